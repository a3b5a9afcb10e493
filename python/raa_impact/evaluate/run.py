"""Run the evaluation: load the data, build each section in turn, write the report.

A section that fails is reported with its reason and the report goes on (a referee would rather
read eight sections and one explanation than nothing). Each section's time is recorded.
"""
from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .config import SHARED, Config, to_toml
from .context import Context
from .disclosure import protect
from .html import figure_png, page, section_html
from .section import Section, describe
from .sections import SECTIONS

PathLike = Union[str, "os.PathLike[str]"]


def defaults() -> Dict[str, Dict[str, Any]]:
    """Every option with its default: the shared tables plus each section's own table."""
    out = {k: dict(v) for k, v in SHARED.items()}
    for module in SECTIONS:
        table = getattr(module, "DEFAULTS", None)
        if table:
            out[module.KEY] = dict(table)
    return out


class Evaluation:
    """The evaluation's sections and the context they were computed from.

    ``sections`` holds one :class:`~raa_impact.evaluate.section.Section` per report section;
    ``numbers`` the headline numbers by section; :meth:`write` writes the HTML report, every table
    as CSV and every number as JSON.
    """

    def __init__(self, context: Context, sections: List[Section], seconds: float) -> None:
        self.context = context
        self.sections = sections
        self.seconds = seconds

    @property
    def numbers(self) -> Dict[str, Dict[str, Any]]:
        return {s.key: s.numbers for s in self.sections}

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def failed(self) -> Dict[str, str]:
        """Sections that could not be computed, with the reason."""
        return {s.key: s.error or "" for s in self.sections if not s.ok}

    def summary(self) -> str:
        lines = [f"raa-impact evaluation: {len(self.sections)} sections in {self.seconds:.1f} s"]
        for s in self.sections:
            state = "ok" if s.ok else f"NOT COMPUTED: {s.error}"
            extra = f", {len(s.notes)} notes" if s.notes else ""
            lines.append(f"  {s.key:<18} {s.seconds:6.1f} s  {len(s.tables)} tables, {len(s.figures)} figures{extra}  {state}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def write(self, out: PathLike) -> str:
        """Write ``report.html``, ``tables/*.csv``, ``figures/*.png``, ``numbers.json`` and
        ``config.toml`` under ``out``; returns the report's path."""
        out = os.fspath(out)
        os.makedirs(os.path.join(out, "tables"), exist_ok=True)
        os.makedirs(os.path.join(out, "figures"), exist_ok=True)
        dpi = int(self.context.config["report"]["figure_dpi"])
        blocks = []
        for s in self.sections:
            pngs = [figure_png(f.figure, dpi) for f in s.figures]
            for f, png in zip(s.figures, pngs):
                with open(os.path.join(out, "figures", f"{s.key}_{f.name}.png"), "wb") as fh:
                    fh.write(png)
            names = []
            for t in s.tables:
                name = f"tables/{s.key}_{t.name}.csv"
                t.frame.to_csv(os.path.join(out, name), index=False)
                names.append(name)
            blocks.append(section_html(s, pngs, names))
        with open(os.path.join(out, "numbers.json"), "w", encoding="utf-8") as fh:
            json.dump(_finite({"sections": self.numbers, "not_computed": self.failed()}), fh, indent=2,
                      default=_json, allow_nan=False)
        with open(os.path.join(out, "config.toml"), "w", encoding="utf-8") as fh:
            fh.write(to_toml(self.context.config.values))
        path = os.path.join(out, "report.html")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(page(_title(self.context), _subtitle(self), blocks, self.sections))
        return path


def _title(ctx: Context) -> str:
    data = "synthetic England" if ctx.is_synthetic else "SSDA903 returns"
    return f"Regional adoption agencies and adoption timeliness: evaluation on {data}"


def _subtitle(ev: Evaluation) -> str:
    from .. import __version__

    return f"raa-impact {__version__}; computed in {ev.seconds:.0f} s; data cut {ev.context.cut_date or 'end of the latest return'}."


def _finite(value: Any) -> Any:
    """NaN and infinities become null: numbers.json stays valid JSON for any reader."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return None
    return value


def _json(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(pd.Timestamp(value).date())
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def _inputs(returns: Optional[PathLike], registry: Optional[PathLike], config: Optional[PathLike]) -> List[str]:
    files: List[str] = []
    for p in (returns, registry):
        if p is None:
            continue
        p = os.fspath(p)
        if os.path.isdir(p):
            for root, _, names in sorted(os.walk(p)):
                files += [os.path.join(root, n) for n in sorted(names) if n.lower().endswith(".csv")]
        else:
            files.append(p)
    if config is not None:
        files.append(os.fspath(config))
    return files


def load_context(returns: Optional[PathLike] = None, registry: Optional[PathLike] = None,
                 config: Union[None, PathLike, Config] = None) -> Context:
    """The evaluation's inputs: the returns (default: synthetic England), registry and options."""
    import raa_impact as ri

    cfg = config if isinstance(config, Config) else Config.load(config, defaults())
    if returns is None:
        syn = ri.synthetic.england(seed=int(cfg["synthetic"]["seed"]), scale=float(cfg["synthetic"]["scale"]))
        reg = ri.load_registry(registry) if registry is not None else syn.registry
        data, synthetic = syn.returns, syn
    else:
        data = ri.read_ssda903(returns, strict=bool(cfg["data"]["strict"]))
        reg = ri.load_registry(registry) if registry is not None else ri.load_registry()
        synthetic = None
    cfg_path = None if isinstance(config, Config) or config is None else config
    return Context(cfg, data, reg, synthetic, _inputs(returns, registry, cfg_path))


def evaluate(returns: Optional[PathLike] = None, registry: Optional[PathLike] = None,
             config: Union[None, PathLike, Config] = None, out: Optional[PathLike] = None,
             sections: Optional[Sequence[str]] = None, progress: bool = True) -> Evaluation:
    """Run the evaluation and (with ``out``) write its report.

    With no ``returns`` it runs on synthetic England (the embedded default data), where the true
    effect is known and the report shows it beside each estimate.

    Parameters
    ----------
    returns
        A folder of SSDA903 returns (see :func:`raa_impact.read_ssda903`), or ``None``.
    registry
        A registry folder (see :func:`raa_impact.load_registry`); default: the bundled one (or the
        generator's for synthetic England).
    config
        A TOML or YAML file of options (unknown keys are an error), or a :class:`Config`.
    out
        Folder for ``report.html`` and the CSV/JSON/PNG files beside it.
    sections
        Keys of the sections to run (default: the config's ``report.sections``, else all).
    progress
        Show a progress bar (one step per section) on standard error.

    Examples
    --------
    >>> import raa_impact as ri
    >>> from raa_impact.evaluate import Config, defaults
    >>> cfg = Config.from_mapping({"synthetic": {"scale": 0.05}}, defaults())
    >>> ev = ri.evaluate(config=cfg, sections=["data"], progress=False)
    >>> ev.section("data").ok
    True
    """
    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    ctx = load_context(returns, registry, config)
    chosen = list(sections or ctx.config["report"]["sections"] or [m.KEY for m in SECTIONS])
    unknown = sorted(set(chosen) - {m.KEY for m in SECTIONS})
    if unknown:
        from .._errors import ArgumentError

        raise ArgumentError(f"unknown report sections {unknown}; known: {[m.KEY for m in SECTIONS]}")
    modules = [m for m in SECTIONS if m.KEY in chosen]
    bar = tqdm(total=len(modules), file=sys.stderr, disable=not progress, leave=False, unit="section")
    done = [_build(m, ctx, bar) for m in modules]
    bar.close()
    ev = Evaluation(ctx, done, time.perf_counter() - t0)
    if out is not None:
        ev.write(out)
    return ev


def _build(module: Any, ctx: Context, bar: Any) -> Section:
    import matplotlib.pyplot as plt

    section = Section(module.KEY, module.TITLE)
    bar.set_description(module.TITLE)
    t0 = time.perf_counter()
    try:
        module.build(ctx, section)
    except Exception as exc:  # the report says why, and goes on with the next section
        section.error = describe(exc)
    section.seconds = time.perf_counter() - t0
    for f in section.figures:
        # Closed figures still save; closing keeps a notebook from drawing every one at cell end.
        plt.close(f.figure)
    if ctx.disclosure:
        _protect(section, ctx)
    if not bar.disable:
        bar.write(f"  {module.TITLE}: {section.seconds:.1f} s{'' if section.ok else ' (not computed)'}")
    bar.update(1)
    return section


def _protect(section: Section, ctx: Context) -> None:
    d = ctx.config["disclosure"]
    for t in section.tables:
        if t.counts:
            t.frame = protect(t.frame, t.counts, int(d["threshold"]), int(d["rounding"]))


__all__ = ["evaluate", "Evaluation", "defaults", "load_context"]
