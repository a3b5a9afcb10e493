"""The multilevel segmented regression of a multiple-baseline design ("multi-level regression").

Every unit (LA) has its own go-live; one mixed model pools them:

    y_it = β0 + β1·t + β2·D_it + β3·(t − T_i)·D_it + [calendar] + b_i'z_it + g_raa + e_it,

with ``D_it = 1`` from unit i's post period ``T_i = T0_i + bed_in`` on (bed-in periods left out),
random effects ``b_i`` on the terms chosen (intercept, level change, slope change), an optional
random intercept for the RAA the unit belongs to, and AR(1) errors within unit. Fitted by REML
with Satterthwaite degrees of freedom (as ``lmerTest``), with a quasi-Newton optimiser that
reaches a boundary (a variance of 0) instead of failing as ``nlme`` can.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._columns import dense_codes, float_column
from ._errors import ArgumentError

__all__ = ["multilevel_its", "MultilevelItsResult"]

_TERMS = {"intercept": "(Intercept)", "time": "time", "step": "step", "slope": "slope"}


def multilevel_its(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    interruption: str,
    impact: Sequence[str] = ("step", "slope"),
    random: Sequence[str] = ("intercept", "step"),
    covariance: str = "unstructured",
    errors: str = "ar1",
    bed_in: int = 0,
    calendar: Optional[str] = None,
    covariates: Optional[Sequence[str]] = None,
    group: Optional[str] = None,
    method: str = "reml",
    level: float = 0.95,
    lower_is_better: bool = False,
) -> "MultilevelItsResult":
    """Fit the multilevel segmented regression.

    Parameters
    ----------
    data : long panel, one row per unit × time.
    outcome, unit, time : column names; `time` in whole periods.
    interruption : column with each unit's go-live period ``T0`` (constant within unit; missing
        for units never treated, which then inform the trend and calendar terms only).
    impact : "step" (level change) and/or "slope" (slope change, ``(t − T)·D``, Huitema–McKean).
    random : terms with a random effect per unit among "intercept", "time", "step", "slope".
    covariance : "unstructured" or "diagonal" for the unit random effects.
    errors : "ar1" (within unit, ``φ^|Δt|``) or "independent".
    bed_in : periods after ``T0`` left out (the post segment starts at ``T0 + bed_in``).
    calendar : "dummies" for a fixed effect per period (replacing the linear trend), or the name of
        a column with a national series to adjust for; None for a linear trend only.
    covariates : further fixed-effect columns.
    group : column of a higher level (the RAA) in which units are nested: a random intercept.
    method : "reml" (default) or "ml".

    Examples
    --------
    >>> import numpy as np, pandas as pd, raa_impact as ri
    >>> rng = np.random.default_rng(1)
    >>> rows = []
    >>> for u in range(12):
    ...     g, a = 8 + u, rng.normal(0, 2)
    ...     for t in range(24):
    ...         rows.append((u, t, g, 50 + a + 0.3 * t - 4.0 * (t >= g) + rng.normal()))
    >>> d = pd.DataFrame(rows, columns=["la", "q", "go", "y"])
    >>> r = ri.multilevel_its(d, outcome="y", unit="la", time="q", interruption="go", impact=["step"],
    ...                       random=["intercept"], errors="independent")
    >>> round(float(r.params["step"]), 1)
    -3.9
    """
    cols = [outcome, unit, time, interruption] + list(covariates or []) + [c for c in (group,) if c]
    if calendar not in (None, "dummies"):
        cols.append(calendar)  # type: ignore[arg-type]
    for c in cols:
        if c not in data.columns:
            raise ArgumentError(f"invalid argument: column {c!r} is not in the data")
    impact = [impact] if isinstance(impact, str) else list(impact)
    bad = [i for i in impact if i not in ("step", "slope")]
    if bad or not impact:
        raise ArgumentError(f"invalid argument `impact`: {bad or impact!r}; expected step and/or slope")
    if errors not in ("ar1", "independent"):
        raise ArgumentError(f"invalid argument `errors`: {errors!r}; expected ar1 or independent")
    if covariance not in ("unstructured", "diagonal"):
        raise ArgumentError(f"invalid argument `covariance`: {covariance!r}; expected unstructured or diagonal")
    if method not in ("reml", "ml"):
        raise ArgumentError(f"invalid argument `method`: {method!r}; expected reml or ml")
    design = _design(data, outcome, unit, time, interruption, impact, bed_in, calendar, covariates or [])
    names = [n for n, _ in design["x"]]
    chosen = []
    for r in random:
        if r not in _TERMS:
            raise ArgumentError(f"invalid argument `random`: {r!r}; expected intercept, time, step or slope")
        if _TERMS[r] != "(Intercept)" and _TERMS[r] not in names:
            raise ArgumentError(f"invalid argument `random`: {r!r} is not a fixed term of this model ({names})")
        chosen.append(_TERMS[r])
    options = {
        "intercept": True, "random": chosen, "covariance": covariance.capitalize(),
        "residual": "Ar1" if errors == "ar1" else "Independent", "method": method.capitalize(),
        "min_unit_obs": 2, "max_iter": 500,
    }
    group_codes = None
    if group is not None:
        group_codes = dense_codes(design["rows"], group, "group", np.uint64)[1]
    fit = _core.mixed_fit(design["y"], design["x"], design["unit"], group_codes, design["t"], json.dumps(options))
    meta = {"outcome": outcome, "unit": unit, "time": time, "level": level, "bed_in": bed_in,
            "lower_is_better": lower_is_better, "impact": impact}
    return MultilevelItsResult(fit, design, meta)


def _design(data: pd.DataFrame, outcome: str, unit: str, time: str, interruption: str, impact: List[str],
            bed_in: int, calendar: Optional[str], covariates: Sequence[str]) -> Dict[str, Any]:
    """The segmented design: rows outside bed-in, trend or calendar terms, step and slope."""
    t = float_column(data, time, "time")
    t0 = float_column(data, interruption, "interruption")
    start = t0 + bed_in
    in_bed_in = np.isfinite(t0) & (t >= t0) & (t < start)
    rows = data.loc[~in_bed_in]
    t, start = t[~in_bed_in], start[~in_bed_in]
    labels, codes = dense_codes(rows, unit, "unit", np.uint64)
    post = np.isfinite(start) & (t >= start)
    x: List = []
    if calendar == "dummies":
        periods = np.unique(t)
        for p in periods[1:]:
            x.append((f"period[{p:g}]", np.ascontiguousarray((t == p).astype(float))))
    else:
        x.append(("time", np.ascontiguousarray(t)))
        if calendar is not None:
            x.append((calendar, float_column(rows, calendar, "calendar")))
    if "step" in impact:
        x.append(("step", np.ascontiguousarray(post.astype(float))))
    if "slope" in impact:
        x.append(("slope", np.ascontiguousarray(np.where(post, t - start, 0.0))))
    for c in covariates:
        x.append((c, float_column(rows, c, "covariates")))
    return {"rows": rows, "y": float_column(rows, outcome, "outcome"), "x": x, "t": np.ascontiguousarray(t),
            "unit": codes, "labels": labels, "post": post,
            "start": start, "n_bed_in": int(in_bed_in.sum())}


class MultilevelItsResult:
    """A fitted multilevel segmented regression: pooled effects, variance components, per-unit
    effects and predictions."""

    def __init__(self, inner: Any, design: Dict[str, Any], meta: Dict[str, Any]):
        self._inner = inner
        self._design = design
        self.meta = meta
        self._raw = json.loads(inner.json())
        self.warnings: List[str] = self._raw["warnings"]
        self.sigma: float = self._raw["sigma"]
        self.phi: Optional[float] = self._raw["phi"]
        self.log_likelihood: float = self._raw["log_likelihood"]
        self.aic: float = self._raw["aic"]
        self.bic: float = self._raw["bic"]
        self.converged: bool = self._raw["convergence"]["converged"]

    def coefficients(self) -> pd.DataFrame:
        """term, estimate, se, df (Satterthwaite), t, p_value, ci_low, ci_high."""
        t = pd.DataFrame(json.loads(self._inner.table(float(self.meta["level"]))))
        return t.rename(columns={"std_error": "se", "t_value": "t"})

    @property
    def params(self) -> pd.Series:
        c = self.coefficients()
        return pd.Series(c["estimate"].to_numpy(), index=c["term"], name="estimate")

    def variance_components(self) -> pd.DataFrame:
        """SDs of the unit random effects (and their correlations), the group SD, σ and φ."""
        rows = [{"level": self.meta["unit"], "term": n, "sd": s}
                for n, s in zip(self._raw["random_names"], self._raw["random_sd"])]
        if self._raw["group_sd"] is not None:
            rows.append({"level": "group", "term": "(Intercept)", "sd": self._raw["group_sd"]})
        rows.append({"level": "residual", "term": "sigma", "sd": self.sigma})
        out = pd.DataFrame(rows)
        out.attrs["correlation"] = pd.DataFrame(self._raw["random_corr"], index=self._raw["random_names"],
                                                columns=self._raw["random_names"])
        out.attrs["phi"] = self.phi
        return out

    def effects(self, horizons: Sequence[int] = (0,)) -> pd.DataFrame:
        """Pooled effect `h` periods into the post segment: ``step + h·slope`` with its
        Satterthwaite df and interval."""
        names = self._raw["names"]
        rows = []
        for h in horizons:
            l = [0.0] * len(names)
            if "step" in names:
                l[names.index("step")] = 1.0
            if "slope" in names:
                l[names.index("slope")] = float(h)
            c, (lo, hi) = json.loads(self._inner.contrast(l, float(self.meta["level"])))
            rows.append({"horizon": int(h), "estimate": c["estimate"], "se": c["std_error"], "df": c["df"],
                         "p_value": c["p_value"], "ci_low": lo, "ci_high": hi})
        df = pd.DataFrame(rows)
        df["improvement"] = df["ci_high"] < 0 if self.meta["lower_is_better"] else df["ci_low"] > 0
        return df

    def unit_effects(self) -> pd.DataFrame:
        """Each unit's level and slope change: the pooled effect plus the unit's BLUP where the term
        has a random effect."""
        out = pd.DataFrame({self.meta["unit"]: self._design["labels"][np.asarray(self._raw["units"], dtype=np.int64)]})
        for term in ("step", "slope"):
            if term in self._raw["names"]:
                out[term] = self._inner.unit_coefficients(term)
        return out

    def predictions(self) -> pd.DataFrame:
        """Per row used: unit, time, observed, fitted (unit level), fitted_population and the unit's
        counterfactual (fitted without its level and slope change)."""
        d = self._design
        out = pd.DataFrame({self.meta["unit"]: d["labels"][d["unit"].astype(np.int64)], self.meta["time"]: d["t"],
                            "observed": d["y"], "fitted": self._raw["fitted_unit"],
                            "fitted_population": self._raw["fitted_population"]})
        eff = self.unit_effects().set_index(self.meta["unit"])
        change = np.zeros(len(out))
        units = out[self.meta["unit"]]
        if "step" in eff:
            change += np.where(d["post"], units.map(eff["step"]).to_numpy(), 0.0)
        if "slope" in eff:
            change += np.where(d["post"], units.map(eff["slope"]).to_numpy() * (d["t"] - np.nan_to_num(d["start"])), 0.0)
        out["counterfactual"] = out["fitted"] - change
        return out

    def summary(self) -> str:
        """A printed summary: fixed effects, variance components, warnings."""
        c = self.coefficients()
        lines = [f"Multilevel segmented regression of {self.meta['outcome']} "
                 f"({self._raw['method']}, {self._raw['n_obs']} observations, {len(self._raw['units'])} units"
                 + (f", {len(self._raw['groups'])} groups" if self._raw["group_sd"] is not None else "") + ")",
                 f"  log-likelihood {self.log_likelihood:.3f}  AIC {self.aic:.2f}  BIC {self.bic:.2f}"
                 + (f"  AR(1) phi {self.phi:.3f}" if self.phi is not None else ""),
                 "", c.to_string(index=False, float_format=lambda v: f"{v:.4g}"), "",
                 self.variance_components().to_string(index=False, float_format=lambda v: f"{v:.4g}")]
        if self._design["n_bed_in"]:
            lines.append(f"  {self._design['n_bed_in']} bed-in rows left out")
        for w in self.warnings:
            lines.append(f"  Warning: {w}")
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Each unit's level change (pooled + BLUP), ordered, with the pooled effect and its interval."""
        import matplotlib.pyplot as plt

        eff = self.unit_effects()
        if "step" not in eff:
            raise ArgumentError("no level change in the model (impact without 'step')")
        eff = eff.sort_values("step").reset_index(drop=True)
        if ax is None:
            _, ax = plt.subplots(figsize=(6, max(3.0, 0.12 * len(eff))))
        ax.plot(eff["step"], np.arange(len(eff)), "o", ms=3, color="C0")
        pooled = self.effects([0]).iloc[0]
        ax.axvline(pooled["estimate"], color="C3", lw=1, label=f"pooled {pooled['estimate']:.3g}")
        ax.axvspan(pooled["ci_low"], pooled["ci_high"], color="C3", alpha=0.12, lw=0)
        ax.axvline(0, color="0.6", lw=0.6)
        ax.set_yticks([])
        ax.set_xlabel("level change (pooled + unit BLUP)")
        ax.legend(frameon=False, fontsize=8)
        return ax

    def __repr__(self) -> str:
        return f"<MultilevelItsResult {self.meta['outcome']}: {len(self._raw['units'])} units>"
