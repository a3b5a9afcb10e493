"""Randomisation tests over intervention timing in a multiple-baseline design.

The single-case tradition's test: if go-live dates had been assigned at random among the admissible
ones, how often would the statistic be at least as extreme as the one observed? Three schemes:
Marascuilo–Busk (each unit's start drawn within its own window), Wampold–Worsham (units permuted
over the observed stagger positions) and Koehler–Levin (both). Every assignment is enumerated when
there are at most ``max_enumerate`` of them; Monte Carlo draws otherwise.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._columns import dense_codes, float_column, whole_column
from ._errors import ArgumentError

__all__ = ["randomization_test", "RandomizationResult"]

_SCHEMES = ("marascuilo_busk", "wampold_worsham", "koehler_levin")
_ALTERNATIVES = {"greater": "Greater", "less": "Less", "two-sided": "TwoSided"}


def randomization_test(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    start: str,
    scheme: str = "marascuilo_busk",
    window: Optional[Tuple[int, int]] = None,
    windows: Optional[Any] = None,
    statistic: Union[str, Callable[[pd.DataFrame], float]] = "phase_difference",
    bed_in: int = 0,
    alternative: str = "two-sided",
    draws: int = 9_999,
    max_enumerate: int = 1_000_000,
    seed: int = 20_170_401,
    keep_distribution: bool = True,
    cluster: Optional[str] = None,
    aggregation: str = "simple",
    **cs_options: Any,
) -> "RandomizationResult":
    """Randomisation test of a multiple-baseline design over the units' start times.

    Parameters
    ----------
    data : long panel, one row per unit × time.
    outcome, unit, time : column names; `time` in whole periods (integers).
    start : column with each unit's observed first post-intervention period (constant within unit).
    scheme : "marascuilo_busk" | "wampold_worsham" | "koehler_levin".
    window : ``(before, after)``: each unit's (Marascuilo–Busk) or each position's (Koehler–Levin)
        admissible starts run from ``start - before`` to ``start + after``.
    windows : explicit windows instead: ``{unit: (first, last)}`` for Marascuilo–Busk, a list of
        ``(first, last)`` per position (ordered like the sorted observed starts) for Koehler–Levin.
        Wampold–Worsham needs neither: its positions are the observed starts.
    statistic : "phase_difference": the mean over units of mean(phase B) − mean(phase A), with
        `bed_in` periods after each start left out of both phases; or "cs": the Callaway–Sant'Anna
        `aggregation` ("simple", the default, or "dynamic"/"group"/"calendar" overall effect)
        re-estimated by :func:`ri.att_gt` for every assignment, with `cs_options`
        (``control_group``, ``est_method``, ``base_period``, ``anticipation``,
        ``min_comparison_clusters``; `bed_in` too) and `cluster`. With ``min_comparison_clusters``
        each assignment's cells compared with units in fewer clusters are left out, as in
        :func:`ri.att_gt`; an assignment that leaves no cell is an error naming its starts.
        Or any estimator, as a callable: it receives `data` with the `start` column set to one
        assignment's starts (per row, from its unit) and returns a number, e.g. the TWFE or the
        imputation estimate (``lambda d: ri.twfe(d.assign(treated=(d.q >= d.go_live).astype(int)),
        ...).coefficient``). It is called once at the observed starts and once per assignment, one
        at a time in a fixed order (so the same input and seed give the same p-value); an
        exception it raises stops the test and is re-raised. `bed_in` and `cs_options` do not
        apply (the callable handles them).
    alternative : "two-sided" (|T*| ≥ |T|), "greater" or "less".
    draws, max_enumerate, seed : Monte Carlo draws when the design has more than `max_enumerate`
        assignments (p = (1 + #{T* ≥ T}) / (1 + B)), and their seed.

    The result says in words that go-live timing was not randomised: the test assumes it was as
    good as random with respect to the outcome.

    Examples
    --------
    >>> import numpy as np, pandas as pd, raa_impact as ri
    >>> rows = [(u, t, 10 + (3 if t >= s else 0) + np.sin(u + t), s)
    ...         for u, s in enumerate([6, 9, 12, 15]) for t in range(20)]
    >>> d = pd.DataFrame(rows, columns=["la", "q", "y", "go_live"])
    >>> r = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go_live",
    ...                           scheme="marascuilo_busk", window=(2, 2), alternative="greater")
    >>> r.enumerated, r.n_assignments, round(r.p_value, 4)
    (True, 625, 0.0048)
    >>> def pooled_b_minus_a(frame):  # any estimator, given the frame with one assignment's starts
    ...     post = frame["q"] >= frame["go_live"]
    ...     return frame.loc[post, "y"].mean() - frame.loc[~post, "y"].mean()
    >>> r2 = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go_live",
    ...                            window=(2, 2), statistic=pooled_b_minus_a, alternative="greater")
    >>> r2.n_assignments, r2.statistic, r2.p_value < 0.05
    (625, 'pooled_b_minus_a', True)
    """
    if scheme not in _SCHEMES:
        raise ArgumentError(f"invalid argument `scheme`: {scheme!r}; expected one of {', '.join(_SCHEMES)}")
    if alternative not in _ALTERNATIVES:
        raise ArgumentError(f"invalid argument `alternative`: {alternative!r}; expected {', '.join(_ALTERNATIVES)}")
    if not callable(statistic) and statistic not in ("phase_difference", "cs"):
        raise ArgumentError(f"invalid argument `statistic`: {statistic!r}; expected phase_difference, cs or "
                            "a callable")
    if callable(statistic) and bed_in:
        raise ArgumentError("invalid argument `bed_in`: a callable statistic leaves out bed-in periods itself")
    if cs_options and statistic != "cs":
        raise ArgumentError(f"invalid argument: {sorted(cs_options)} apply to statistic='cs'")
    labels, codes = dense_codes(data, unit, "unit", np.uint64)
    times = whole_column(data, time, "time")
    starts = _unit_starts(data, unit, start, labels, codes)
    spans = _windows(scheme, labels, starts, window, windows)
    options = {
        "alternative": _ALTERNATIVES[alternative], "max_enumerate": int(max_enumerate), "draws": int(draws),
        "seed": int(seed), "tolerance": 1e-9, "keep_distribution": bool(keep_distribution),
    }
    if callable(statistic):
        raw = _callable_test(data, codes, start, starts, scheme, spans, options, statistic)
        return RandomizationResult(json.loads(raw), list(labels), starts, getattr(statistic, "__name__", "callable"))
    y = float_column(data, outcome, "outcome")
    if statistic == "cs":
        raw = _cs_test(data, codes, times, y, starts, scheme, spans, options, cluster, aggregation, bed_in, cs_options)
        return RandomizationResult(json.loads(raw), list(labels), starts, f"cs_{aggregation}")
    raw = _core.randomisation_phase_test(
        codes, times, y, [int(s) for s in starts], scheme, spans,
        json.dumps(options), int(bed_in),
    )
    return RandomizationResult(json.loads(raw), list(labels), starts, statistic)


def _cs_test(data: pd.DataFrame, codes: np.ndarray, times: np.ndarray, y: np.ndarray, starts: np.ndarray,
             scheme: str, spans: List[Tuple[int, int]], options: Dict[str, Any], cluster: Optional[str],
             aggregation: str, bed_in: int, cs_options: Dict[str, Any]) -> str:
    from .staggered import _BASES, _CONTROLS, _METHODS, _count, _pick

    known = {"control_group", "est_method", "base_period", "anticipation", "min_comparison_clusters"}
    if set(cs_options) - known:
        raise ArgumentError(f"invalid argument: {sorted(set(cs_options) - known)}; cs options are {sorted(known)}")
    cs = {
        "control_group": _pick("control_group", cs_options.get("control_group", "notyettreated"), _CONTROLS),
        "est_method": _pick("est_method", cs_options.get("est_method", "dr"), _METHODS),
        "base_period": _pick("base_period", cs_options.get("base_period", "varying"), _BASES),
        "anticipation": _count("anticipation", cs_options.get("anticipation", 0)),
        "min_comparison_clusters": _count("min_comparison_clusters", cs_options.get("min_comparison_clusters", 0),
                                          "clusters"),
        "bed_in": _count("bed_in", bed_in), "alpha": 0.05, "bootstrap": None,
    }
    hows = {"simple": "Simple", "group": "Group", "calendar": "Calendar",
            "dynamic": {"Dynamic": {"balance_e": None, "min_e": None, "max_e": None}}}
    if aggregation not in hows:
        raise ArgumentError(f"invalid argument `aggregation`: {aggregation!r}; expected {', '.join(hows)}")
    cl = None if cluster is None else dense_codes(data, cluster, "cluster")[1]
    return _core.randomisation_cs_test(
        np.ascontiguousarray(codes, dtype=np.int64), times, y, cl, [int(v) for v in starts], scheme, spans,
        json.dumps(options), json.dumps(cs), json.dumps(hows[aggregation]),
    )


def _callable_test(data: pd.DataFrame, codes: np.ndarray, start: str, starts: np.ndarray, scheme: str,
                   spans: List[Tuple[int, int]], options: Dict[str, Any],
                   statistic: Callable[[pd.DataFrame], float]) -> str:
    """The test of a Python statistic: the core calls ``at`` with each assignment's starts."""
    def at(assigned: List[int]) -> float:
        per_row = np.asarray(assigned, dtype=np.int64)[codes]
        return float(statistic(data.assign(**{start: per_row})))

    return _core.randomisation_callable_test([int(v) for v in starts], scheme, spans, json.dumps(options), at)


def _unit_starts(data: pd.DataFrame, unit: str, start: str, labels: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Each unit's observed start; an error names a unit whose start is not constant."""
    s = pd.Series(whole_column(data, start, "start"))
    by_unit = s.groupby(codes)
    varying = np.flatnonzero(by_unit.nunique().to_numpy() > 1)
    if len(varying):
        raise ArgumentError(f"invalid argument `start`: column {start!r} takes several values for "
                            f"{unit}={labels[varying[0]]!r}")
    return by_unit.first().to_numpy()


def _windows(scheme: str, labels: np.ndarray, starts: np.ndarray, window: Optional[Tuple[int, int]],
             windows: Any) -> List[Tuple[int, int]]:
    if scheme == "wampold_worsham":
        return [(int(s), int(s)) for s in sorted(starts)]
    if windows is None and window is None:
        raise ArgumentError(f"invalid argument `window`: scheme {scheme} needs window=(before, after) or windows=")
    if scheme == "marascuilo_busk":
        if windows is not None:
            if not isinstance(windows, Mapping):
                raise ArgumentError("invalid argument `windows`: give {unit: (first, last)} for marascuilo_busk")
            missing = [u for u in labels if u not in windows]
            if missing:
                raise ArgumentError(f"invalid argument `windows`: no window for unit {missing[0]!r}")
            return [(int(windows[u][0]), int(windows[u][1])) for u in labels]
        before, after = window  # type: ignore[misc]
        return [(int(s - before), int(s + after)) for s in starts]
    if windows is not None:
        return [(int(a), int(b)) for a, b in windows]
    before, after = window  # type: ignore[misc]
    return [(int(s - before), int(s + after)) for s in sorted(starts)]


class RandomizationResult:
    """A randomisation test: the observed statistic, its p-value and the randomisation distribution."""

    def __init__(self, raw: Dict[str, Any], units: Sequence[Any], starts: np.ndarray, statistic: str):
        self._raw = raw
        self.units = list(units)
        self.observed_starts = dict(zip(self.units, (int(s) for s in starts)))
        self.statistic = statistic
        self.observed: float = raw["observed"]
        self.p_value: float = raw["p_value"]
        self.mc_standard_error: float = raw["mc_standard_error"]
        self.enumerated: bool = raw["enumerated"]
        self.n_assignments: Optional[int] = raw["n_assignments"]
        self.n_evaluated: int = raw["n_evaluated"]
        self.scheme: str = raw["scheme"]
        self.alternative: str = raw["alternative"]
        self.note: str = raw["note"]
        self.distribution = np.asarray(raw["distribution"], dtype=float)

    def to_frame(self) -> pd.DataFrame:
        """One row: scheme, statistic, observed, p-value and how it was computed."""
        return pd.DataFrame([{
            "scheme": self.scheme, "statistic": self.statistic, "alternative": self.alternative,
            "observed": self.observed, "p_value": self.p_value, "mc_standard_error": self.mc_standard_error,
            "enumerated": self.enumerated, "n_assignments": self.n_assignments, "n_evaluated": self.n_evaluated,
        }])

    def summary(self) -> str:
        """A printed summary, with the as-if-random caveat."""
        how = (f"all {self.n_assignments:,} assignments enumerated" if self.enumerated
               else f"{self.n_evaluated:,} Monte Carlo draws (MC SE of p {self.mc_standard_error:.4f}), "
                    f"seed {self._raw['seed']}")
        return "\n".join([
            f"Randomisation test over start times ({self.scheme}, {len(self.units)} units)",
            f"  statistic: {self.statistic}; observed {self.observed:.6g}",
            f"  p-value ({self.alternative}): {self.p_value:.4g}; {how}",
            f"  Note: {self.note}",
        ])

    def __repr__(self) -> str:
        return f"<RandomizationResult {self.scheme}: T = {self.observed:.4g}, p = {self.p_value:.4g}>"

    def plot(self, ax: Any = None, bins: int = 40) -> Any:
        """Histogram of the randomisation distribution with the observed statistic marked."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.2))
        if len(self.distribution) == 0:
            raise ArgumentError("the distribution was not kept (keep_distribution=False)")
        ax.hist(self.distribution, bins=bins, color="0.7", edgecolor="white")
        ax.axvline(self.observed, color="C3", lw=1.5, label=f"observed {self.observed:.3g} (p = {self.p_value:.3g})")
        ax.set_xlabel(self.statistic)
        ax.set_ylabel("assignments" if self.enumerated else "draws")
        ax.legend(frameon=False, fontsize=8)
        return ax
