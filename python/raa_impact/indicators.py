"""Exposure, scorecard indicators and LA/RAA-period panels: DataFrames in, DataFrames out."""
from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np  # noqa: F401  (re-exported for doctests)
import pandas as pd

from . import _core
from ._frames import to_frame
from .journeys import _days, to_core
from .registry import Registry
from .registry import _as_handle as _registry_handle


def exposure(
    journeys: pd.DataFrame,
    registry: Optional[Registry] = None,
    index_event: str = "placement_order",
    milestone: str = "go_live",
    bed_in_days: int = 183,
    anticipation_days: int = 0,
    straddlers: str = "label",
) -> pd.DataFrame:
    """Which journeys ran after their LA's RAA went live.

    A journey is exposed when its index event (``"placement_order"``, ``"adm"`` or ``"entry"``)
    falls on or after its LA's ``milestone`` (``"go_live"``, ``"soft_launch"``,
    ``"full_integration"``, ``"agreement"``) plus ``bed_in_days``; unexposed when before the
    milestone less ``anticipation_days``; in between it is labelled ``bed_in`` or
    ``anticipation`` with ``exposed`` missing. ``straddlers="exclude"`` also leaves out journeys
    that entered care before the milestone but reached the index event after it.

    Returns one row per journey, in the same order, with the RAA, the milestone date and its
    precision, the index date, days from milestone, ``status`` and ``exposed``.

    Examples
    --------
    >>> import raa_impact as ri
    >>> syn = ri.synthetic.england(seed=1, scale=0.02)
    >>> e = ri.exposure(syn.journeys(), syn.registry)
    >>> set(e.status.unique()) <= {"pre", "bed_in", "anticipation", "post", "straddler",
    ...     "no_index_event", "no_raa", "no_milestone", "unknown_la"}
    True
    """
    cols = _core.exposure(
        to_core(journeys), _registry_handle(registry), index_event, milestone, int(bed_in_days),
        int(anticipation_days), straddlers,
    )
    return to_frame(cols)


def scorecard(
    journeys: pd.DataFrame,
    indicator: Union[str, Sequence[str]] = "A1",
    period_end: Union[str, pd.Timestamp, Sequence[Union[str, pd.Timestamp]]] = "2018-03-31",
    years: int = 3,
    by: Optional[str] = "la",
    aggregation: str = "per_child",
    registry: Optional[Registry] = None,
) -> pd.DataFrame:
    """Adoption scorecard indicators for a window and grouping.

    * ``A1``: mean days from entry to care to placement, over children adopted in the window.
    * ``A2``: mean days from placement order to match (0 when the match came first).
    * ``A3``: share (and number, ``count``) of adopted children placed within 14 months of entry.
    * ``A10``: A1 with the clock stopped when a child later adopted by its foster carers moved in.

    The window is ``years`` years ending ``period_end`` (3 by default, 1 for a single year).
    ``indicator`` and ``period_end`` may be lists: one call then gives every indicator for every
    window (rows by indicator, then window), handing the journeys to the core once.
    ``by``: ``"la"``, ``"raa"`` or ``None`` (England). ``aggregation``: ``"per_child"`` (weighted)
    or ``"mean_of_las"`` (unweighted mean of LA values, as RAA business cases print them).

    Columns: the grouping column named after ``by`` (``la`` or ``raa``; ``group`` holding
    ``"England"`` when ``by=None``), then ``indicator, value, n_children, count`` (A3's number),
    ``n_las, aggregation, window_start, window_end, threshold, difference_to_threshold`` (the
    dated DfE threshold, where one is published). By RAA, a child belongs to the RAA its LA was in
    on the adoption date (``no_raa`` before its LA joined one).

    Examples
    --------
    >>> import raa_impact as ri
    >>> j = ri.synthetic.england(seed=1, scale=0.02).journeys()
    >>> ri.scorecard(j, "A1", period_end="2018-03-31", by=None).columns[:4].tolist()
    ['group', 'indicator', 'value', 'n_children']
    >>> ri.scorecard(j, "A2", by="la").columns[:2].tolist()
    ['la', 'indicator']
    >>> t = ri.scorecard(j, ["A1", "A2"], period_end=["2017-03-31", "2018-03-31"], by=None)
    >>> t[["indicator", "window_end"]].astype(str).values.tolist()[:2]
    [['A1', '2017-03-31'], ['A1', '2018-03-31']]
    """
    indicators = [indicator] if isinstance(indicator, str) else list(indicator)
    ends = [period_end] if isinstance(period_end, (str, pd.Timestamp)) or not hasattr(period_end, "__iter__") \
        else list(period_end)
    cols = _core.scorecard(
        to_core(journeys), _registry_handle(registry), indicators, [_days(e) for e in ends], int(years),
        "england" if by is None else by, aggregation,
    )
    frame = to_frame(cols)
    return frame if by is None else frame.rename(columns={"group": by})


def la_panel(
    journeys: pd.DataFrame,
    registry: Optional[Registry] = None,
    freq: str = "quarter",
    unit: str = "la",
    milestone: str = "go_live",
    bed_in_days: int = 183,
) -> pd.DataFrame:
    """An LA (or RAA) × period panel for time-series and staggered designs.

    Counts of ADM decisions, placement orders, matches, placements, adoption orders and reversals
    per period; children with a placement order waiting at period end (and 18+ months); mean
    durations with their counts; exposure columns (RAA, go-live, period relative to go-live,
    post and bed-in flags). ``freq``: ``"month"``, ``"quarter"`` or ``"year"``.

    Examples
    --------
    >>> import raa_impact as ri
    >>> syn = ri.synthetic.england(seed=1, scale=0.02)
    >>> p = ri.la_panel(syn.journeys(), syn.registry, freq="year")
    >>> {"la", "period_start", "placement_orders", "post"} <= set(p.columns)
    True
    """
    cols = _core.la_panel(
        to_core(journeys), _registry_handle(registry), freq, unit, milestone, int(bed_in_days)
    )
    return to_frame(cols)


def scorecard_before_after(
    journeys: pd.DataFrame,
    indicator: str = "A1",
    registry: Optional[Registry] = None,
    years: int = 3,
    bed_in_days: int = 183,
    milestone: str = "go_live",
) -> pd.DataFrame:
    """Each RAA's indicator over the ``years`` before its go-live and the ``years`` after go-live
    plus ``bed_in_days``, counting children adopted in each window (as the scorecard does).

    Windows follow each LA's own exposure start (an LA that joined later starts later). An
    after-window that the data cut shortens ends at the cut: see ``after_end``. One row per RAA:
    ``raa_id, raa, go_live, indicator, before, n_before, after, n_after, before_start, after_end``.

    Examples
    --------
    >>> import raa_impact as ri
    >>> syn = ri.synthetic.england(seed=1, scale=0.02)
    >>> t = ri.scorecard_before_after(syn.journeys(), "A1", registry=syn.registry)
    >>> t.columns[:4].tolist()
    ['raa_id', 'raa', 'go_live', 'indicator']
    """
    cols = _core.before_after(
        to_core(journeys), _registry_handle(registry), indicator, int(years), int(bed_in_days), milestone
    )
    return to_frame(cols)


def controlled_series(
    journeys: pd.DataFrame,
    registry: Optional[Registry] = None,
    mean: str = "cohort_po_to_placed",
    pre: int = 16,
    post: int = 4,
    min_controls: int = 3,
    last_period: Optional[str] = None,
    freq: str = "quarter",
    milestone: str = "go_live",
    bed_in_days: int = 183,
) -> pd.DataFrame:
    """Each RAA's series beside a comparison series of LAs not yet live: the data of a controlled ITS.

    The RAA's founding LAs are pooled (children as weights) over `pre` periods before the go-live
    period, the bed-in periods and `post` periods after them; the comparison pools every LA whose
    exposure starts after that window, so it shares the national shocks (Re B-S, COVID) but not
    the go-live. `mean` picks the panel mean: ``"cohort_po_to_placed"`` (by quarter of the
    placement order: an effect on children ordered after go-live arrives as a step),
    ``"cohort_po_to_match"``, ``"po_to_placed"``, ``"entry_to_placed"`` or ``"po_to_match"`` (by
    quarter of the end event). `last_period` (e.g. ``"2022Q1"``) keeps windows clear of the data
    cut, where order cohorts are still incomplete.

    One row per RAA × series × period: ``raa_id, t, period, treated, mean, n, go_live_t,
    bed_in_periods, go_live_period, las, n_controls``. RAAs without series are listed with the
    reason in ``df.attrs["skipped"]``. Fit each with ``ri.its(..., comparison="treated")``.

    Examples
    --------
    >>> import raa_impact as ri
    >>> syn = ri.synthetic.england(seed=1, scale=0.1)
    >>> d = ri.controlled_series(syn.journeys(), syn.registry, last_period="2022Q1")
    >>> one = d.loc[d["raa_id"] == d["raa_id"].iloc[0]]
    >>> r = ri.its(one, outcome="mean", time="t",
    ...            weights="n", comparison="treated", impact="step",
    ...            interruption=int(one["go_live_t"].iloc[0]), bed_in=int(one["bed_in_periods"].iloc[0]))
    >>> "group:step" in r.params.index
    True
    """
    cols, skipped = _core.controlled_series(
        to_core(journeys), _registry_handle(registry), freq, milestone, int(bed_in_days), mean,
        int(pre), int(post), int(min_controls), last_period,
    )
    df = to_frame(cols)
    df.attrs["skipped"] = to_frame(skipped)
    return df


__all__ = ["exposure", "scorecard", "la_panel", "controlled_series", "scorecard_before_after", "np"]
