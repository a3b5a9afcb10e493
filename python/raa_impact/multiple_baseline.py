"""The multiple-baseline panel: one strip per unit, ordered by go-live, with phase lines.

The picture single-case researchers draw first: each unit's series in its own row, the phase line
(A → B) at that unit's go-live, and the bed-in shaded, so that a reader sees whether each series
changed when, and only when, its own intervention started.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd

from ._errors import ArgumentError

__all__ = ["plot_multiple_baseline"]


def plot_multiple_baseline(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    go_live: str,
    bed_in: float = 0,
    units: Optional[Sequence[Any]] = None,
    weights: Optional[str] = None,
    height: float = 0.55,
    axes: Any = None,
) -> Any:
    """Draw the multiple-baseline panel: one row per unit ordered by go-live, a phase line at each
    unit's go-live and its bed-in shaded.

    Parameters
    ----------
    data : long panel, one row per unit × time.
    outcome, unit, time : column names; `time` numeric or dates.
    go_live : column holding each unit's go-live (same scale as `time`; constant within unit;
        missing for units never treated, drawn last without a phase line).
    bed_in : length of the bed-in after go-live, in units of `time` (for dates: days).
    units : the units to draw (default: all), drawn in go-live order.
    weights : optional column (e.g. children per cell) that sizes the points.
    height : inches per row.
    axes : a sequence of Axes, one per unit; a new figure otherwise.

    Returns
    -------
    The array of Axes, one per unit, top (earliest go-live) to bottom.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd, numpy as np, raa_impact as ri
    >>> d = pd.DataFrame({"la": np.repeat(["a", "b"], 8), "t": np.tile(np.arange(8), 2),
    ...                   "y": np.arange(16.0), "g": np.repeat([3, 5], 8)})
    >>> axes = ri.plot_multiple_baseline(d, outcome="y", unit="la", time="t", go_live="g", bed_in=1)
    >>> [ax.get_ylabel() for ax in axes]
    ['a', 'b']
    """
    import matplotlib.pyplot as plt

    for what, col in (("outcome", outcome), ("unit", unit), ("time", time), ("go_live", go_live)):
        if col not in data.columns:
            raise ArgumentError(f"invalid argument `{what}`: column {col!r} is not in the data")
    starts = _go_lives(data, unit, go_live)
    if units is not None:
        missing = [u for u in units if u not in starts.index]
        if missing:
            raise ArgumentError(f"invalid argument `units`: {missing[:3]!r} not in column {unit!r}")
        starts = starts.loc[list(units)]
    order = starts.sort_values(na_position="last").index
    if len(order) == 0:
        raise ArgumentError("nothing to draw: the data have no units")
    if axes is None:
        _, axes = plt.subplots(len(order), 1, figsize=(8, max(2.0, height * len(order))), sharex=True,
                               squeeze=False)
        axes = axes[:, 0]
    axes = np.asarray(axes).ravel()
    if len(axes) != len(order):
        raise ArgumentError(f"invalid argument `axes`: {len(axes)} given for {len(order)} units")
    for ax, key in zip(axes, order):
        _strip(ax, data.loc[data[unit] == key].sort_values(time), outcome, time, weights, starts[key], bed_in)
        ax.set_ylabel(str(key), rotation=0, ha="right", va="center", fontsize=8)
        ax.tick_params(axis="y", labelsize=6)
    axes[-1].set_xlabel(time)
    return axes


def _go_lives(data: pd.DataFrame, unit: str, go_live: str) -> pd.Series:
    """Each unit's go-live; an error names the first unit where it is not constant."""
    per_unit = data.groupby(unit, sort=False)[go_live]
    if (per_unit.nunique(dropna=False) > 1).any():
        bad = per_unit.nunique(dropna=False)
        key = bad[bad > 1].index[0]
        raise ArgumentError(f"invalid argument `go_live`: column {go_live!r} takes several values for {unit}={key!r}")
    return per_unit.first()


def _strip(ax: Any, d: pd.DataFrame, outcome: str, time: str, weights: Optional[str], start: Any,
           bed_in: float) -> None:
    """One unit: its series, the phase line and the bed-in."""
    x, y = d[time], d[outcome].astype(float)
    ax.plot(x, y, "-", color="0.55", lw=0.7)
    sizes = 6 if weights is None else 2 + 30 * d[weights] / max(float(d[weights].max()), 1.0)
    if pd.isna(start):
        ax.scatter(x, y, s=sizes, color="0.35", lw=0)
        return
    post = x >= start
    ax.scatter(x[~post], y[~post], s=sizes if np.isscalar(sizes) else sizes[~post], color="0.35", lw=0)
    ax.scatter(x[post], y[post], s=sizes if np.isscalar(sizes) else sizes[post], color="C0", lw=0)
    ax.axvline(start, color="C3", lw=0.9)
    if bed_in:
        end = start + (pd.Timedelta(days=bed_in) if isinstance(start, pd.Timestamp) else bed_in)
        ax.axvspan(start, end, color="C3", alpha=0.12, lw=0)
