"""The evaluation's options: defaults, a TOML or YAML file on top, and checks on every key.

Options live in named tables (``[data]``, ``[psm]``, ...). The defaults are gathered from the
report sections (each declares its own ``DEFAULTS``) plus the shared tables below, so the report
can print every option with its value. A key that no table knows, or a value of the wrong type,
is an error naming the file, the table and the key.
"""
from __future__ import annotations

import copy
import os
from typing import Any, Dict, Mapping, Optional, Union

from .._errors import ArgumentError

PathLike = Union[str, "os.PathLike[str]"]

#: Options every section shares.
SHARED: Dict[str, Dict[str, Any]] = {
    "data": {
        "cut_date": "",           # "" = the end of the last collection year in the returns
        "milestone": "go_live",   # go_live | soft_launch | full_integration | agreement
        "bed_in_days": 183,       # exposure starts at the milestone plus this bed-in
        "strict": False,          # raise on the first invalid record instead of leaving it out
    },
    "synthetic": {
        "seed": 0,                # used when no returns are given
        "scale": 1.0,             # 1.0 = national size
    },
    "disclosure": {
        "enabled": "auto",        # auto = on for real returns, off for synthetic England
        "threshold": 5,           # LA-level counts below this are suppressed
        "rounding": 5,            # other LA-level counts are rounded to a multiple of this (1 = none)
    },
    "report": {
        "seed": 20261123,         # seed of every random step (bootstrap, randomisation, matching order)
        "sections": [],           # [] = all; else the keys of the sections to run
        "figure_dpi": 90,
    },
}


class Config:
    """Nested options: ``cfg["psm"]["caliper"]``; ``cfg.source`` is the file read, if any.

    >>> cfg = Config.from_mapping({"costs": {"weekly_foster_cost": 800}}, {"costs": {"weekly_foster_cost": 700}})
    >>> cfg["costs"]["weekly_foster_cost"]
    800
    >>> try:
    ...     Config.from_mapping({"costs": {"weekly_cost": 800}}, {"costs": {"weekly_foster_cost": 700}})
    ... except ValueError as e:
    ...     print(e)
    unknown config key `costs.weekly_cost` (in <mapping>); known keys in [costs]: weekly_foster_cost
    """

    def __init__(self, values: Dict[str, Dict[str, Any]], source: Optional[str] = None) -> None:
        self.values = values
        self.source = source

    def __getitem__(self, table: str) -> Dict[str, Any]:
        return self.values[table]

    def to_dict(self) -> Dict[str, Dict[str, Any]]:
        return copy.deepcopy(self.values)

    @classmethod
    def from_mapping(cls, given: Mapping[str, Any], defaults: Mapping[str, Mapping[str, Any]],
                     source: str = "<mapping>") -> "Config":
        values = {t: dict(v) for t, v in copy.deepcopy(dict(defaults)).items()}
        for table, entries in given.items():
            if table not in values:
                raise ArgumentError(
                    f"unknown config table `[{table}]` (in {source}); known tables: {', '.join(sorted(values))}")
            if not isinstance(entries, Mapping):
                raise ArgumentError(f"config `{table}` (in {source}) must be a table of keys, got {entries!r}")
            for key, value in entries.items():
                values[table][key] = _checked(table, key, value, values[table], source)
        return cls(values, None if source == "<mapping>" else source)

    @classmethod
    def load(cls, path: Optional[PathLike], defaults: Mapping[str, Mapping[str, Any]]) -> "Config":
        """Defaults, with the TOML (``.toml``) or YAML (``.yaml``/``.yml``) file at ``path`` on top."""
        if path is None:
            return cls.from_mapping({}, defaults)
        return cls.from_mapping(_read(os.fspath(path)), defaults, source=os.fspath(path))


def _checked(table: str, key: str, value: Any, known: Dict[str, Any], source: str) -> Any:
    if key not in known:
        raise ArgumentError(
            f"unknown config key `{table}.{key}` (in {source}); known keys in [{table}]: {', '.join(sorted(known))}")
    default = known[key]
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) or (isinstance(default, str) and isinstance(value, str))
    elif isinstance(default, (int, float)):
        ok = isinstance(value, (int, float)) and (isinstance(value, int) or isinstance(default, float))
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ArgumentError(
            f"config key `{table}.{key}` (in {source}) must be {type(default).__name__} like the default "
            f"{default!r}, got {value!r}")
    return float(value) if isinstance(default, float) else value


def _read(path: str) -> Mapping[str, Any]:
    if not os.path.isfile(path):
        raise ArgumentError(f"config file {path} does not exist")
    lower = path.lower()
    if lower.endswith(".toml"):
        try:
            import tomllib  # type: ignore[import-not-found]
        except ModuleNotFoundError:  # Python < 3.11
            import tomli as tomllib  # type: ignore[no-redef]
        with open(path, "rb") as fh:
            try:
                return tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise ArgumentError(f"config file {path} is not valid TOML: {exc}") from None
    if lower.endswith((".yaml", ".yml")):
        import yaml

        with open(path, encoding="utf-8") as fh:
            try:
                data = yaml.safe_load(fh)
            except yaml.YAMLError as exc:
                raise ArgumentError(f"config file {path} is not valid YAML: {exc}") from None
        if data is None:
            return {}
        if not isinstance(data, Mapping):
            raise ArgumentError(f"config file {path} must hold tables of keys, got {type(data).__name__}")
        return data
    raise ArgumentError(f"config file {path}: expected a .toml, .yaml or .yml file")


def to_toml(values: Mapping[str, Mapping[str, Any]]) -> str:
    """The options as TOML text, as the report prints them (a file a user can start from)."""
    import json

    lines = []
    for table in sorted(values):
        lines.append(f"[{table}]")
        for key, value in values[table].items():
            text = ("true" if value else "false") if isinstance(value, bool) else json.dumps(value)
            lines.append(f"{key} = {text}")
        lines.append("")
    return "\n".join(lines)


__all__ = ["Config", "SHARED", "to_toml"]
