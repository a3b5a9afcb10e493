"""The Abadie–Imbens matching estimator on covariates, as R Matching's ``Match()`` computes it.

Every unit of the target group is matched, with replacement, to its ``m`` nearest units of the
other group on scaled covariates (all ties kept); the effect is the mean of the imputed
differences, with the Abadie–Imbens (2006) standard error. Use :func:`raa_impact.match` for
greedy nearest-neighbour matching on a propensity score (MatchIt's way).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._columns import float_column
from ._design import _treated
from ._errors import ArgumentError

_SCALINGS = ("inverse_variance", "mahalanobis", "none")


@dataclass(frozen=True)
class AbadieImbensResult:
    """Estimate, Abadie–Imbens SE (Matching's ``se``), naive SE (``se.standard``) and the matches."""

    estimand: str
    estimate: float
    se: float
    se_naive: float
    level: float
    n_treated: int
    n_control: int
    n_matched: int
    n_weighted: float
    options: dict
    matches: pd.DataFrame = field(repr=False)

    @property
    def ci(self) -> Tuple[float, float]:
        """Normal confidence interval at ``level`` from the Abadie–Imbens SE."""
        z = NormalDist().inv_cdf(0.5 + self.level / 2)
        return (self.estimate - z * self.se, self.estimate + z * self.se)

    def to_frame(self) -> pd.DataFrame:
        lo, hi = self.ci
        return pd.DataFrame([{"estimand": self.estimand, "estimate": self.estimate, "se": self.se,
                              "se_naive": self.se_naive, "ci_lower": lo, "ci_upper": hi,
                              "n_treated": self.n_treated, "n_control": self.n_control,
                              "n_matched": self.n_matched, "n_weighted": self.n_weighted}])

    def summary(self) -> str:
        lo, hi = self.ci
        o = self.options
        return (f"Abadie–Imbens matching estimator ({self.estimand}, M={o['m']}, {o['scaling']} scaling, "
                f"{'sample' if o['sample'] else 'population'} variance{', bias-adjusted' if o['bias_adjust'] else ''})\n"
                f"  estimate {self.estimate:.6g}  AI SE {self.se:.6g}  naive SE {self.se_naive:.6g}  "
                f"{int(round(self.level * 100))}% CI [{lo:.6g}, {hi:.6g}]\n"
                f"  treated {self.n_treated}, controls {self.n_control}; matched {self.n_matched} units "
                f"(weighted {self.n_weighted:.6g})")

    def __str__(self) -> str:
        return self.summary()


def abadie_imbens(
    data: pd.DataFrame,
    outcome: str,
    treatment: str,
    covariates: Union[str, Sequence[str]],
    *,
    estimand: str = "ATT",
    m: int = 1,
    scaling: str = "inverse_variance",
    sample: bool = False,
    bias_adjust: bool = False,
    var_calc: int = 0,
    tolerance: float = 1e-5,
    level: float = 0.95,
) -> AbadieImbensResult:
    """Abadie–Imbens matching on covariates (R Matching's ``Match(Y, Tr, X)``).

    ``scaling``: ``"inverse_variance"`` (each covariate over its SD; Matching's ``Weight = 1``),
    ``"mahalanobis"`` (``Weight = 2``) or ``"none"``. ``sample=True`` gives the variance of the
    sample average effect (Matching's ``sample = TRUE``); ``bias_adjust`` the regression bias
    adjustment (``BiasAdjust = TRUE``); ``var_calc=J`` the heteroskedastic variance from J
    neighbours (``Var.calc``); ``tolerance`` Matching's ``distance.tolerance``. Missing values are
    an error naming the column and row.

    Examples
    --------
    >>> import raa_impact as ri
    >>> nsw = ri.datasets.nsw_dw()
    >>> r = ri.abadie_imbens(nsw, "re78", "t", ["age"], estimand="ATE", sample=True)
    >>> round(r.estimate, 6), round(r.se, 7)     # R Matching 4.10-8
    (1.785191, 0.6867167)
    """
    cols = [covariates] if isinstance(covariates, str) else list(covariates)
    if not cols:
        raise ArgumentError("invalid argument `covariates`: give at least one column")
    if scaling not in _SCALINGS:
        raise ArgumentError(f"invalid argument `scaling`: {scaling!r}, expected one of {list(_SCALINGS)}")
    if not 0 < level < 1:
        raise ArgumentError(f"invalid argument `level`: {level}, expected a number between 0 and 1")
    y = float_column(data, outcome, "outcome")
    x = [float_column(data, c, "covariates") for c in cols]
    for name, v in [(outcome, y)] + list(zip(cols, x)):
        bad = np.flatnonzero(~np.isfinite(v))
        if len(bad):
            raise ArgumentError(f"invalid argument `data`: column {name!r} row {int(bad[0])} is missing or not finite "
                                f"({int(len(bad))} rows in all); drop or impute them first")
    treated = np.ascontiguousarray(_treated(data, treatment))
    raw, (focal, other, weight) = _core.ai_match(y, treated, x, estimand, int(m), scaling, float(tolerance),
                                                 bool(bias_adjust), bool(sample), int(var_calc))
    r = json.loads(raw)
    options = {"m": int(m), "scaling": scaling, "sample": bool(sample), "bias_adjust": bool(bias_adjust),
               "var_calc": int(var_calc), "tolerance": float(tolerance)}
    return AbadieImbensResult(
        estimand=str(r["estimand"]).upper(), estimate=r["estimate"], se=r["se"], se_naive=r["se_naive"],
        level=float(level), n_treated=r["n_treated"], n_control=r["n_control"], n_matched=r["n_matched_obs"],
        n_weighted=r["n_weighted"], options=options,
        matches=pd.DataFrame({"focal": focal, "match": other, "weight": weight}),
    )


__all__ = ["abadie_imbens", "AbadieImbensResult"]
