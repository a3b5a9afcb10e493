"""Analysis designs: journeys and exposure turned into one table ready for matching."""
from __future__ import annotations

from typing import Dict, Optional

import numpy as np
import pandas as pd

from ._errors import ArgumentError
from .indicators import exposure
from .registry import Registry

#: Durations ``child_design`` can take as its outcome (measured from the placement order).
_OUTCOMES = {"po_to_placed": "placement_order", "po_to_match": "placement_order"}

#: The covariates ``child_design`` prepares, in the order a matching call would list them.
COVARIATES = (
    "age_at_entry_years", "sex", "ethnic_group", "cin", "placements_before_adm",
    "ffa_or_concurrent", "harder_to_place", "po_year",
)


def _decimal_year(dates: pd.Series) -> np.ndarray:
    """Calendar date as a decimal year (2019-07-02 → ~2019.5): a trend covariate, not a band."""
    d = pd.to_datetime(dates)
    start = pd.to_datetime(d.dt.year.astype("Int64").astype(str) + "-01-01", errors="coerce")
    days_in_year = np.where(d.dt.is_leap_year, 366.0, 365.0)
    return (d.dt.year + (d - start).dt.days / days_in_year).to_numpy(dtype=np.float64)


def child_design(
    journeys: pd.DataFrame,
    registry: Optional[Registry] = None,
    outcome: str = "po_to_placed",
    milestone: str = "go_live",
    bed_in_days: int = 183,
) -> pd.DataFrame:
    """One row per child with a placement order and a known exposure, ready for ``ri.match``.

    A child is treated (``treated == 1``) when its placement order came on or after its LA's
    ``milestone`` plus ``bed_in_days`` (exposure status ``post``) and a control when it came
    before the milestone (``pre``). Every other journey is dropped and counted in
    ``df.attrs["dropped"]`` (a dict: exposure status such as ``bed_in`` or ``no_index_event`` →
    rows, and ``later_period`` for a child's second and later periods with a placement order, of
    which only the first is kept). Rows in = ``len(df) + sum(df.attrs["dropped"].values())``.

    Columns:

    * ``la``, ``child``, ``period``, ``po_date`` and ``treated`` (0/1);
    * covariates (:data:`COVARIATES`): ``age_at_entry_years``, ``sex``, ``ethnic_group``,
      ``cin`` (text, categorical), ``placements_before_adm``, ``ffa_or_concurrent`` and
      ``harder_to_place`` (0/1), ``po_year`` (the placement order date as a decimal year, so that a
      trend can enter the score);
    * the censored outcome: ``time`` (days from the placement order to the event, the competing
      exit or the data cut), ``event`` (1: the outcome happened), ``competing`` (1: another exit,
      e.g. a reversed decision or a special guardianship order, ended the wait), ``censored``
      (1: still waiting at the data cut). Exactly one of the three is 1 on every row.

    Parameters
    ----------
    journeys
        From :func:`raa_impact.journeys`.
    registry
        The RAA registry (default: the bundled one).
    outcome
        ``"po_to_placed"`` (placement order → placed for adoption) or ``"po_to_match"``.
    milestone, bed_in_days
        The exposure rule, as in :func:`raa_impact.exposure`.

    Examples
    --------
    >>> import raa_impact as ri
    >>> syn = ri.synthetic.england(seed=1, scale=0.05)
    >>> j = ri.journeys(syn.returns)
    >>> d = ri.child_design(j, syn.registry)
    >>> len(d) + sum(d.attrs["dropped"].values()) == len(j)
    True
    >>> bool(((d.event + d.competing + d.censored) == 1).all())
    True

    Within an LA the PO year separates treated from controls (after go-live against before it),
    so compare children with a placement order in the same half-year, across LAs (controls from
    LAs not yet live); ``benches/psm_recovery.py`` measures bias and coverage of each design.

    >>> d["po_half"] = (d.po_year * 2).astype(int)
    >>> m = ri.match(d, "treated", list(ri.designs.COVARIATES), exact="po_half", caliper=0.2)
    >>> s = m.survival("time", "event", tau=730, competing="competing")
    >>> s.rmst["se"] > 0
    True
    """
    if outcome not in _OUTCOMES:
        raise ArgumentError(f"invalid argument `outcome`: {outcome!r}, expected one of {sorted(_OUTCOMES)}")
    needed = [f"{outcome}_days", f"{outcome}_event", f"{outcome}_censored", "age_at_entry_days", "sex",
              "ethnic_group", "cin", "placements_before_adm", "ffa_or_concurrent", "harder_to_place"]
    missing = [c for c in needed if c not in journeys.columns]
    if missing:
        raise ArgumentError(f"invalid argument `journeys`: missing columns {missing}")
    e = exposure(journeys, registry, index_event=_OUTCOMES[outcome], milestone=milestone,
                 bed_in_days=int(bed_in_days))
    status = e["status"].to_numpy()
    keep = np.isin(status, ["pre", "post"])
    dropped: Dict[str, int] = {str(k): int(v) for k, v in pd.Series(status[~keep]).value_counts().items()}
    # A child can reach a placement order in more than one period of care: the first one counts,
    # so that each child appears once (the later periods are reported, not lost silently).
    j = journeys.loc[keep]
    order = np.lexsort((j["period"].to_numpy(), j["child"].astype(str).to_numpy(), j["la"].astype(str).to_numpy()))
    j = j.iloc[order]
    later = j.duplicated(["la", "child"], keep="first").to_numpy()
    if later.any():
        dropped["later_period"] = int(later.sum())
    j = j.loc[~later]
    days = j[f"{outcome}_days"]
    if days.isna().any():
        # A journey with a placement order always has a duration; a gap here is a data-layer bug.
        row = int(np.flatnonzero(days.isna().to_numpy())[0])
        raise ArgumentError(f"invalid argument `journeys`: row {row} has a placement order but no {outcome}_days")
    event = j[f"{outcome}_event"].astype(bool).to_numpy()
    censored = j[f"{outcome}_censored"].astype(bool).to_numpy()
    post = (e["status"].to_numpy()[keep][order][~later] == "post")
    df = pd.DataFrame({
        "la": j["la"].astype(str).to_numpy(),
        "child": j["child"].astype(str).to_numpy(),
        "period": j["period"].to_numpy(dtype=np.int64),
        "po_date": j["po_date"].to_numpy(),
        "treated": post.astype(np.int64),
        "age_at_entry_years": j["age_at_entry_days"].to_numpy(dtype=np.float64, na_value=np.nan) / 365.25,
        "sex": j["sex"].astype(str).to_numpy(),
        "ethnic_group": j["ethnic_group"].astype(str).to_numpy(),
        "cin": j["cin"].astype(str).to_numpy(),
        "placements_before_adm": j["placements_before_adm"].to_numpy(dtype=np.float64),
        "ffa_or_concurrent": j["ffa_or_concurrent"].astype(bool).to_numpy().astype(np.int64),
        "harder_to_place": j["harder_to_place"].astype(bool).to_numpy().astype(np.int64),
        "po_year": _decimal_year(j["po_date"]),
        "time": days.to_numpy(dtype=np.float64),
        "event": event.astype(np.int64),
        "competing": (~event & ~censored).astype(np.int64),
        "censored": censored.astype(np.int64),
    })
    df.attrs["dropped"] = dropped
    df.attrs["outcome"] = outcome
    df.attrs["milestone"] = milestone
    df.attrs["bed_in_days"] = int(bed_in_days)
    return df


__all__ = ["child_design", "COVARIATES"]
