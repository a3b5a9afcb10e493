"""Adoption journeys: one row per period of care that reaches an adoption decision."""
from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._frames import bool_array, date_days, opt_bool_list, require_columns, str_list, to_frame
from .ssda903 import SSDA903, _as_handle

DateLike = Union[str, "pd.Timestamp", "np.datetime64", None]

#: Columns a journeys DataFrame must carry to be handed back to the core (scorecard, panel, exposure).
CORE_COLUMNS = (
    "la", "child", "period", "entry_date", "adm_date", "po_date", "match_date", "placed_date",
    "order_date", "exit_date", "exit_reason", "reversal_date", "reversal_reason", "cut_date",
)
_DATE_COLUMNS = (
    "entry_date", "adm_date", "po_date", "match_date", "placed_date", "order_date", "exit_date",
    "reversal_date", "cut_date", "dob", "foster_carer_move_in_date",
)


def _days(value: DateLike) -> Optional[int]:
    if value is None:
        return None
    return int(pd.Timestamp(value).to_datetime64().astype("datetime64[D]").astype(np.int64))


def journeys(
    returns: SSDA903, cut_date: DateLike = None, *, with_left_out: bool = False
) -> Union[pd.DataFrame, Tuple[pd.DataFrame, pd.DataFrame]]:
    """Derive adoption journeys from validated returns.

    One row per period of care of a child that reaches a decision that the child should be placed
    for adoption (ADM). Dates are ``datetime64`` (missing = ``NaT``); each duration
    (``entry_to_adm``, ``adm_to_po``, ``po_to_match``, ``po_to_placed``, ``entry_to_placed``) comes
    as ``<name>_days``, ``<name>_event`` (the end event happened by the cut), ``<name>_censored``
    (still running at the cut) and ``<name>_competing`` (the exit code that ended the journey
    first, e.g. ``RD1`` or ``E45``). Means of completed durations are biased for recent cohorts:
    use the event and censoring columns (Kaplan–Meier) instead.

    Records with an error in :meth:`SSDA903.validate` are left out with every other record of
    their child; ``with_left_out=True`` also returns them (LA, child, table, rows, reason), and
    ``df.attrs["left_out"]`` always holds them.

    Parameters
    ----------
    returns
        Returns from :func:`raa_impact.read_ssda903` (or ``synthetic.england(...).returns``).
    cut_date
        The data cut: later events are ignored and running durations censored there. Default:
        31 March of the latest collection year read.

    Examples
    --------
    >>> import raa_impact as ri
    >>> returns = ri.synthetic.england(seed=1, scale=0.02).returns
    >>> j = ri.journeys(returns, cut_date="2024-03-31")
    >>> {"la", "child", "po_date", "placed_date", "harder_to_place"} <= set(j.columns)
    True
    """
    handle = _as_handle(returns)
    cols, left_out_cols, meta = _core.derive_journeys(handle, _days(cut_date))
    frame = to_frame(cols)
    left_out = to_frame(left_out_cols)
    frame.attrs["left_out"] = left_out
    frame.attrs.update({k: v for k, v in dict(meta).items()})
    if with_left_out:
        return frame, left_out
    return frame


def to_core(frame: pd.DataFrame) -> Dict[str, Any]:
    """Journeys DataFrame → the column dict the core reads (dates as int64 days)."""
    require_columns(frame, CORE_COLUMNS, "journeys")
    out: Dict[str, Any] = {}
    for name in frame.columns:
        if name in _DATE_COLUMNS:
            out[name] = date_days(frame[name], name)
    out["la"] = str_list(frame["la"])
    out["child"] = str_list(frame["child"])
    out["period"] = frame["period"].astype(np.int64).to_numpy()
    for name in ("exit_reason", "reversal_reason", "sex", "ethnic", "cin"):
        if name in frame.columns:
            out[name] = str_list(frame[name])
    for name in ("adopted_by_foster_carer", "harder_to_place", "htp_age5plus", "htp_black_or_mixed",
                 "ffa_or_concurrent"):
        if name in frame.columns:
            out[name] = bool_array(frame[name])
    for name in ("htp_sibling_group", "htp_disability"):
        if name in frame.columns:
            out[name] = opt_bool_list(frame[name])
    return out


__all__ = ["journeys", "to_core", "CORE_COLUMNS"]
