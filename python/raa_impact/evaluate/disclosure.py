"""Statistical disclosure control for LA-level counts, as official statistics publish them.

Counts of children at LA level can identify a child when they are small. As the DfE's
children-looked-after statistics do, a count from 1 to ``threshold - 1`` is suppressed (shown as
``"c"``) and every other count is rounded to a multiple of ``rounding``; zeros stay zero (they
disclose nothing). Secondary suppression (hiding a second cell so that a total cannot give a
suppressed one away) is not applied: the report publishes no LA totals beside suppressed cells.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

SUPPRESSED = "c"


def protect(frame: pd.DataFrame, counts: Sequence[str], threshold: int = 5, rounding: int = 5) -> pd.DataFrame:
    """A copy of ``frame`` with the ``counts`` columns suppressed below ``threshold`` and rounded.

    >>> t = pd.DataFrame({"la": ["A", "B", "C"], "n": [0, 3, 12]})
    >>> protect(t, ["n"]).n.tolist()
    [0, 'c', 10]
    """
    out = frame.copy()
    for column in counts:
        if column not in out.columns:
            continue
        values = pd.to_numeric(out[column], errors="coerce").to_numpy(dtype=float)
        rounded = np.where(np.isnan(values), np.nan, _round(values, rounding))
        small = (values > 0) & (values < threshold)
        cells = [SUPPRESSED if s else (None if np.isnan(r) else int(r)) for s, r in zip(small, rounded)]
        out[column] = pd.Series(cells, index=out.index, dtype=object)
    return out


def _round(values: np.ndarray, rounding: int) -> np.ndarray:
    if rounding <= 1:
        return values
    # Half away from zero, as published tables round (numpy's default rounds half to even).
    return np.floor(values / rounding + 0.5) * rounding


__all__ = ["protect", "SUPPRESSED"]
