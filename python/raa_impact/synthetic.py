"""Synthetic England: SSDA903-shaped returns for ~150 LAs, 2011–2024, with the true RAA effects.

The embedded default data set. Its national totals and timeliness follow the published series
(adoptions per year, the 2015 peak, the 2013–14 fall in decisions, COVID), go-lives are staggered
as in the RAA registry, and a known effect is injected at each LA's go-live so that every estimator
can be checked for bias and coverage against ``.truth``.
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional, Union

import pandas as pd

from . import _core
from ._frames import to_frame
from .journeys import _days
from .registry import Registry
from .ssda903 import SSDA903


class SyntheticEngland:
    """Generated returns with the truth beside them.

    Attributes
    ----------
    returns : SSDA903
        The returns as the generator writes them: each collection year's return whole, so open
        episodes repeat from year to year (as ``ri.read_ssda903(folder, stack=False)`` gives them
        back). :func:`raa_impact.journeys` handles the repeats.
    registry : Registry
        The registry the generator used (bundled go-lives; imputed ones flagged).
    truth : pandas.DataFrame
        One row per child whose placement order fell in the data: the counterfactual and actual
        PO→placed days and the injected effect.
    truth_las : pandas.DataFrame
        One row per LA: RAA, go-live, whether the go-live was imputed, size.
    config : dict
        The generator's configuration (seed, effects, bed-in, scale, years).
    """

    def __init__(self, handle: "_core.Synthetic") -> None:
        self._handle = handle
        self.returns = SSDA903(handle.returns())
        self.registry = Registry(handle.registry())
        self._truth: Optional[pd.DataFrame] = None
        self._truth_las: Optional[pd.DataFrame] = None
        self.config: Dict[str, Any] = json.loads(handle.config_json())

    @property
    def truth(self) -> pd.DataFrame:
        if self._truth is None:
            self._truth = to_frame(self._handle.truth_children())
        return self._truth

    @property
    def truth_las(self) -> pd.DataFrame:
        if self._truth_las is None:
            self._truth_las = to_frame(self._handle.truth_las())
        return self._truth_las

    def journeys(self, cut_date: Union[str, pd.Timestamp, None] = None) -> pd.DataFrame:
        """The journeys derived from these returns (same as ``ri.journeys(self.returns)``)."""
        from .journeys import journeys

        return journeys(self.returns, cut_date)  # type: ignore[return-value]

    def write(self, folder: Union[str, "os.PathLike[str]"]) -> None:
        """Write the returns as CSV files, ``folder/<la>/<year>/<table>.csv``."""
        self.returns.write(folder)

    def __repr__(self) -> str:
        c = self.config
        return (
            f"SyntheticEngland(seed={c.get('seed')}, years {c.get('first_year')}–{c.get('last_year')}, "
            f"{len(self.truth_las)} LAs, scale={c.get('scale')})\n{self.returns.summary()}"
        )


def england(
    seed: int = 0,
    *,
    effect_po_to_placed_days: float = -14.0,
    effect_htp_po_to_placed_days: float = -35.0,
    bed_in_days: int = 183,
    bed_in_dip_days: float = 10.0,
    scale: float = 1.0,
    first_year: int = 2011,
    last_year: int = 2024,
) -> SyntheticEngland:
    """Generate synthetic England.

    Parameters
    ----------
    seed
        Random seed; the same seed gives the same data on any machine and thread count.
    effect_po_to_placed_days, effect_htp_po_to_placed_days
        The true RAA effect on placement order → placed days for children whose placement order
        came after go-live plus bed-in (all children / harder-to-place children). Zero is allowed.
    bed_in_days, bed_in_dip_days
        The bed-in period after go-live and the temporary worsening during it.
    scale
        1.0 is national size (~150 LAs, ~4,000 adoptions a year at the 2015 peak over 5,000);
        smaller values thin every LA (handy in tests and docs).
    first_year, last_year
        Collection years written (a year ends on 31 March).

    Examples
    --------
    >>> import raa_impact as ri
    >>> syn = ri.synthetic.england(seed=1, scale=0.02)
    >>> syn.truth[["effect_days"]].min().item() >= -35
    True
    """
    handle = _core.synthetic_england(
        seed=int(seed),
        effect=float(effect_po_to_placed_days),
        effect_htp=float(effect_htp_po_to_placed_days),
        bed_in_days=int(bed_in_days),
        bed_in_dip_days=float(bed_in_dip_days),
        scale=float(scale),
        first_year=int(first_year),
        last_year=int(last_year),
    )
    return SyntheticEngland(handle)


__all__ = ["england", "SyntheticEngland", "_days"]
