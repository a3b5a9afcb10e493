"""The reference figures (data, not code): loading them and comparing a run with them."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import numpy as np
import pandas as pd

from .._errors import ArgumentError

REFERENCES = Path(__file__).parent.parent / "data" / "reference" / "oracles.json"
DEFAULT_SEED = 0
RECOVERY_SCALE = 0.25
PIN_TOLERANCE = 1e-6

Values = Dict[str, float]
PathLike = Union[str, Path]


def load_references(path: Optional[PathLike] = None) -> pd.DataFrame:
    """The reference figures of ``path`` (default: the packaged ``oracles.json``) as one row per
    figure, with the CSV tables it names expanded into one row per cell.

    >>> from raa_impact.reproduce import load_references
    >>> refs = load_references()
    >>> {"id", "reference", "tolerance", "kind", "source"} <= set(refs.columns)
    True
    """
    path = Path(path) if path is not None else REFERENCES
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArgumentError(f"invalid argument `references`: cannot read {path} as JSON ({exc})") from exc
    rows = [dict(r) for r in spec.get("figures", [])]
    for table in spec.get("tables", []):
        rows.extend(_table_rows(path.parent / table["file"], table))
    frame = pd.DataFrame(rows).rename(columns={"value": "reference"})
    for col in ("printed", "passage", "unavailable"):
        if col not in frame.columns:
            frame[col] = None
    _check_references(frame, path)
    frame.attrs["recovery"] = spec.get("recovery", {})
    frame.attrs["published_inputs"] = spec.get("published_inputs", {})
    return frame


def _check_references(frame: pd.DataFrame, path: Path) -> None:
    for col in ("id", "section", "figure", "reference", "tolerance", "kind"):
        if col not in frame.columns or frame[col].isna().any():
            name = "value" if col == "reference" else col
            raise ArgumentError(f"invalid references {path}: every figure needs `{name}`")
    dup = frame["id"][frame["id"].duplicated()]
    if len(dup):
        raise ArgumentError(f"invalid references {path}: figure id {dup.iloc[0]!r} is listed twice")
    bad = set(frame["kind"]) - {"abs", "rel", "exact", "min"}
    if bad:
        raise ArgumentError(f"invalid references {path}: tolerance kind {sorted(bad)}, expected abs, rel, exact or min")


def _table_rows(file: Path, table: Dict[str, Any]) -> List[Dict[str, Any]]:
    """One figure per (row, value column) of an oracle CSV; rows whose values are all missing are
    skipped and rows repeated on the key are kept once (the aggregations repeat their overall)."""
    try:
        data = pd.read_csv(file)
    except OSError as exc:
        raise ArgumentError(f"invalid references: table {file} cannot be read ({exc}); keep the CSV files "
                            "beside the JSON") from exc
    keys: List[str] = list(table["key"])
    cols = list(table["values"])
    data = data.dropna(subset=cols, how="all")
    if keys:
        data = data.drop_duplicates(subset=keys)
    rows = []
    for _, r in data.iterrows():
        key = ",".join(f"{k}={_key(r[k])}" for k in keys)
        for col, tol in table["values"].items():
            if pd.isna(r[col]):
                continue
            fid = f"{table['id']}[{key}].{col}" if keys else f"{table['id']}.{col}"
            rows.append({"id": fid, "section": table["section"], "figure": f"{table['figure']} {key} {col}".strip(),
                         "value": float(r[col]), "tolerance": tol["tolerance"], "kind": tol["kind"],
                         "source": table["source"]})
    return rows


def _key(v: Any) -> str:
    return str(int(v)) if isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer() else str(v)


def _within(value: float, reference: float, tolerance: float, kind: str) -> bool:
    if not np.isfinite(value):
        return False
    if kind == "exact":
        return value == reference
    if kind == "min":
        return value >= tolerance
    if kind == "rel":
        return abs(value - reference) <= tolerance * abs(reference)
    return abs(value - reference) <= tolerance


def _printed_note(value: float, printed: Any, passage: Any) -> str:
    """Published figures are printed as whole numbers: a recomputation that rounds elsewhere
    disagrees with the print."""
    if printed is None or (isinstance(printed, float) and np.isnan(printed)) or not np.isfinite(value):
        return ""
    if abs(value - float(printed)) < 0.5:
        return f"printed {printed:g} agrees"
    return f"printed {printed:g} DIFFERS from the recomputation; passage: {passage}"


def _compare_references(refs: pd.DataFrame, values: Values, errors: Dict[str, str]) -> pd.DataFrame:
    rows = []
    for r in refs.to_dict("records"):
        row = {k: r.get(k) for k in ("id", "section", "figure", "reference", "tolerance", "kind", "source",
                                      "printed", "passage")}
        value = values.get(r["id"])
        unavailable = r.get("unavailable")
        if isinstance(unavailable, str) and value is None:
            row.update(value=np.nan, diff=np.nan, status="n/a", note=unavailable)
        elif value is None:
            why = next((e for p, e in errors.items() if r["id"].startswith(p)), "the run produced no such figure")
            row.update(value=np.nan, diff=np.nan, status="FAIL", note=f"not computed: {why}")
        else:
            value = float(value)
            ok = _within(value, float(r["reference"]), float(r["tolerance"]), r["kind"])
            row.update(value=value, diff=abs(value - float(r["reference"])), status="ok" if ok else "FAIL",
                       note=_printed_note(value, r.get("printed"), r.get("passage")))
        rows.append(row)
    return pd.DataFrame(rows)
