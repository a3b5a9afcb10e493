"""The result of a reproduce run: one table, its summary and its failures."""
from __future__ import annotations

from typing import Any, Dict

import numpy as np
import pandas as pd

from .._errors import RaaImpactError
from .recovery import TRUTH_CHECKS


class ReproduceCheckError(RaaImpactError):
    """``reproduce(check=True)`` found figures beyond their tolerance; ``.result`` holds the table."""

    def __init__(self, message: str, result: "ReproduceResult"):
        super().__init__(message)
        self.result = result


COLUMNS = ["section", "id", "figure", "reference", "value", "diff", "tolerance", "kind", "status", "note",
           "truth", "se", "ci_low", "ci_high", "truth_check", "truth_ok", "printed", "passage", "source"]


class ReproduceResult:
    """Every re-run figure beside its reference: ``.to_frame()`` (one row per figure), ``.ok``,
    ``.failures()`` and ``.summary()`` (the printed table).

    >>> from raa_impact.reproduce import reproduce
    >>> r = reproduce(recovery=False, progress=False)
    >>> r.failures().empty
    True
    """

    def __init__(self, frame: pd.DataFrame, meta: Dict[str, Any]):
        self._frame = frame.reindex(columns=COLUMNS)
        self.meta = meta

    def to_frame(self) -> pd.DataFrame:
        """One row per figure: section, id, figure, reference, value, |diff|, tolerance and its kind,
        status (ok / FAIL / n/a), note; recovery rows add truth, SE, CI and the truth check."""
        return self._frame.copy()

    @property
    def ok(self) -> bool:
        """True when no figure failed (``n/a`` figures, not reachable from Python, do not fail)."""
        return not (self._frame["status"] == "FAIL").any()

    def failures(self) -> pd.DataFrame:
        """The rows that failed, with the reason in ``note``."""
        return self._frame.loc[self._frame["status"] == "FAIL"].reset_index(drop=True)

    def summary(self) -> str:
        """The table: figure, reference, value, |diff|, tolerance, status, per section; then the
        recovery study (truth vs estimate) and the notes on printed figures and failures."""
        f = self._frame
        lines = [f"raa-impact reproduce: {int((f.status == 'ok').sum())} ok, {int((f.status == 'FAIL').sum())} "
                 f"failed, {int((f.status == 'n/a').sum())} not reachable from the Python API "
                 f"({self.meta.get('seconds', float('nan')):.1f} s)"]
        for section, g in f.groupby("section", sort=False):
            lines += ["", section, _table(g)]
        rec = f.loc[f["truth"].notna()]
        if len(rec):
            lines += ["", "Recovery: truth vs estimate (checks: " + "; ".join(
                f"{k} = {v}" for k, v in TRUTH_CHECKS.items()) + ")", _recovery_table(rec)]
        quiet = f["note"].fillna("").str.endswith("agrees") | f["kind"].eq("min")
        notes = f.loc[f["note"].fillna("").str.len().gt(0) & f["truth"].isna() & ~quiet]
        if len(notes):
            lines += ["", "Notes"] + [f"  {r.id}: {r.note}" for r in notes.itertuples()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<ReproduceResult {len(self._frame)} figures, ok={self.ok}>"


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return ""
    return f"{x:.10g}" if isinstance(x, (float, np.floating)) else str(x)


def _table(g: pd.DataFrame) -> str:
    t = pd.DataFrame({
        "figure": g["figure"].str.slice(0, 70), "reference": g["reference"].map(_fmt), "value": g["value"].map(_fmt),
        "|diff|": g["diff"].map(lambda d: "" if pd.isna(d) else f"{d:.2e}"),
        "tolerance": [("" if pd.isna(t) else f"{t:g} {k}") for t, k in zip(g["tolerance"], g["kind"])],
        "status": g["status"],
    })
    if g["printed"].notna().any():
        t["printed"] = g["printed"].map(_fmt).to_numpy()
        t["print agrees"] = ["" if pd.isna(p) else ("yes" if "agrees" in str(n) else "NO")
                             for p, n in zip(g["printed"], g["note"])]
    return t.to_string(index=False)


def _recovery_table(g: pd.DataFrame) -> str:
    t = pd.DataFrame({
        "estimate of": g["figure"].str.slice(0, 60), "truth": g["truth"].map(lambda x: f"{x:.2f}"),
        "estimate": g["value"].map(lambda x: f"{x:.2f}"), "SE": g["se"].map(lambda x: f"{x:.2f}"),
        "95% CI": [f"[{lo:.1f}, {hi:.1f}]" for lo, hi in zip(g["ci_low"], g["ci_high"])],
        "CI covers": [("yes" if lo <= t <= hi else "no") for lo, hi, t in zip(g["ci_low"], g["ci_high"], g["truth"])],
        "check": g["truth_check"],
        "check ok": g["truth_ok"].map(lambda x: "-" if x is None or pd.isna(x) else ("yes" if x else "NO")),
    })
    return t.to_string(index=False)
