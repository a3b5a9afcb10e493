"""Staggered adoption: Callaway–Sant'Anna group-time effects, computed once and aggregated many ways.

As R's ``did``: :func:`att_gt` estimates every ATT(g, t) (cohort g = first treated period, at
period t) with its influence function, kept in Rust; :meth:`AttGtResult.aggregate` combines them
into the simple, group, dynamic (event-study) and calendar effects with standard errors that
account for the estimated weights, analytic or from a multiplier bootstrap with uniform bands.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._columns import dense_codes, float_column, whole_column
from ._errors import ArgumentError

__all__ = ["att_gt", "AttGtResult", "AggregateResult"]

_CONTROLS = {"notyettreated": "NotYetTreated", "nevertreated": "NeverTreated"}
_METHODS = {"dr": "Dr", "reg": "Reg", "ipw": "Ipw"}
_BASES = {"varying": "Varying", "universal": "Universal"}
_WEIGHTS = {None: None, "rademacher": "Rademacher", "webb": "Webb", "mammen": "Mammen"}
_KEYS = {"simple": None, "group": "group", "dynamic": "event_time", "calendar": "time"}


def att_gt(
    data: pd.DataFrame,
    outcome: str = "y",
    unit: str = "id",
    time: str = "t",
    group: str = "g",
    control_group: str = "notyettreated",
    est_method: str = "dr",
    covariates: Optional[Sequence[str]] = None,
    base_period: str = "varying",
    anticipation: int = 0,
    bootstrap: int = 0,
    cluster: Optional[str] = None,
    seed: Optional[int] = None,
    weights: Optional[str] = None,
    bed_in: int = 0,
    alpha: float = 0.05,
    bootstrap_weights: Optional[str] = None,
    allow_unbalanced_panel: bool = False,
    min_comparison_clusters: int = 0,
    small_sample: bool = False,
) -> "AttGtResult":
    """Group-time average treatment effects (Callaway and Sant'Anna 2021).

    Parameters
    ----------
    data : long panel, one row per unit × period.
    outcome, unit, time : column names; `time` in whole periods (years, quarter numbers).
    group : column with each unit's first treated period (0 = never treated), constant within unit.
    control_group : "notyettreated" (default: units not yet treated by the later of the two periods
        compared, plus the never-treated) or "nevertreated".
    est_method : "dr" (doubly robust, default), "reg" (outcome regression) or "ipw".
    covariates : time-invariant covariates (the 2×2 estimators condition on them).
    base_period : "varying" (default) or "universal".
    anticipation : periods before go-live in which units may already react.
    bed_in : periods after go-live that are a bed-in: effects are measured from go-live + bed_in,
        bed-in cells are left out, units in their bed-in are never comparisons.
    bootstrap : number of multiplier-bootstrap draws (0: analytic standard errors). With draws,
        intervals are uniform bands over the cells, as ``did``'s ``cband = TRUE``.
    cluster : column to cluster on (time-invariant; e.g. the RAA); the unit by default.
    seed : bootstrap seed (counter-based streams: the same draws on any thread count).
    weights : sampling weights (time-invariant).
    bootstrap_weights : "rademacher", "webb" or "mammen"; default Webb with fewer than 12 clusters,
        Rademacher otherwise.
    allow_unbalanced_panel : keep units missing some periods (as ``did``'s argument of that name).
        False (default): they are dropped and counted in `warnings`. True, on an unbalanced panel:
        every ATT(g, t) uses the repeated cross-section estimator of `est_method` on the rows
        observed in its two periods (levels, not within-unit changes), with influence functions
        summed by unit so that SEs, clusters and the bootstrap stay at unit level; `warnings` says
        how many units are incomplete. A balanced panel gives the same result either way.
    min_comparison_clusters : leave out, as not identified, every ATT(g, t) whose comparison units
        lie in fewer clusters than this (needs `cluster`; 0, the default, keeps all as ``did``).
        A clustered SE learns the comparison side's variance from its clusters, so cells compared
        with the one or two RAAs not yet live get intervals far too narrow; the aggregations then
        average the cells that remain (a different estimand: say so when reporting it).
    small_sample : with G clusters (the units when `cluster` is not given), scale every analytic SE
        by sqrt(G / (G - 1)) and use t with G - 1 degrees of freedom for pointwise intervals (the
        cluster factor and critical values of Stata's ``vce(cluster)``). Off by default, as
        ``did``. With about 30 RAAs as clusters the normal interval is too narrow
        (``benches/results/staggered_recovery.md``); this widens it by about 6%. Bootstrap SEs and
        uniform bands are not changed.

    Examples
    --------
    >>> import raa_impact as ri
    >>> d = ri.datasets.mpdta()
    >>> a = ri.att_gt(d, outcome="lemp", unit="countyreal", time="year", group="first_treat",
    ...               control_group="nevertreated")
    >>> round(a.aggregate("simple").overall.estimate, 6), round(a.aggregate("simple").overall.se, 6)
    (-0.039951, 0.012034)
    >>> round(a.aggregate("dynamic").overall.estimate, 6)
    -0.07724
    >>> u = ri.att_gt(d.drop(index=[0, 7, 12]), outcome="lemp", unit="countyreal", time="year",
    ...               group="first_treat", control_group="nevertreated", allow_unbalanced_panel=True)
    >>> [w.split(";")[0] for w in u.warnings if w.startswith("unbalanced")]
    ['unbalanced panel: 3 units are not observed in every period']
    """
    options = {
        "control_group": _pick("control_group", control_group, _CONTROLS),
        "est_method": _pick("est_method", est_method, _METHODS),
        "base_period": _pick("base_period", base_period, _BASES),
        "anticipation": _count("anticipation", anticipation),
        "bed_in": _count("bed_in", bed_in),
        "allow_unbalanced": _flag("allow_unbalanced_panel", allow_unbalanced_panel),
        "min_comparison_clusters": _count("min_comparison_clusters", min_comparison_clusters, "clusters"),
        "small_sample": _flag("small_sample", small_sample),
        "alpha": float(alpha),
        "bootstrap": _bootstrap(bootstrap, seed, bootstrap_weights, alpha),
    }
    labels, codes = dense_codes(data, unit, "unit")
    cov = [(c, float_column(data, c, "covariates")) for c in (covariates or [])]
    cl = None if cluster is None else dense_codes(data, cluster, "cluster")[1]
    w = None if weights is None else float_column(data, weights, "weights")
    inner = _core.did_att_gt(
        codes, whole_column(data, time, "time"), whole_column(data, group, "group"),
        float_column(data, outcome, "outcome"), cov, cl, w, json.dumps(options),
    )
    meta = {"outcome": outcome, "unit": unit, "time": time, "group": group, "cluster": cluster,
            "options": options, "labels": labels, "n_rows": len(data)}
    return AttGtResult(inner, meta)


def _level(alpha: float) -> str:
    """The confidence level of `alpha` in words: 0.05 → "95%"."""
    return f"{100 * (1 - alpha):g}%"


def _pick(name: str, value: str, choices: Dict[str, str]) -> str:
    if value not in choices:
        raise ArgumentError(f"invalid argument `{name}`: {value!r}; expected one of {', '.join(choices)}")
    return choices[value]


def _count(name: str, value: int, what: str = "periods") -> int:
    if int(value) != value or value < 0:
        raise ArgumentError(f"invalid argument `{name}`: {value!r}; expected a whole number of {what} >= 0")
    return int(value)


def _flag(name: str, value: bool) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentError(f"invalid argument `{name}`: {value!r}; expected True or False")
    return bool(value)


def _bootstrap(draws: int, seed: Optional[int], kind: Optional[str], alpha: float) -> Optional[Dict[str, Any]]:
    if not draws:
        return None
    if kind not in _WEIGHTS:
        raise ArgumentError(f"invalid argument `bootstrap_weights`: {kind!r}; expected rademacher, webb or mammen")
    return {"draws": _count("bootstrap", draws), "seed": 20_260_101 if seed is None else int(seed),
            "weights": _WEIGHTS[kind], "alpha": float(alpha)}


class Estimate:
    """An aggregated effect: estimate, se and interval."""

    def __init__(self, estimate: float, se: Optional[float], ci: Optional[Sequence[float]]):
        self.estimate = estimate
        self.se = se
        self.ci_low, self.ci_high = (ci if ci is not None else (None, None))

    def __repr__(self) -> str:
        return f"Estimate(estimate={self.estimate:.6g}, se={self.se}, ci=({self.ci_low}, {self.ci_high}))"


class AttGtResult:
    """Every ATT(g, t), its cohorts and clusters; aggregate with :meth:`aggregate`."""

    def __init__(self, inner: Any, meta: Dict[str, Any]):
        self._inner = inner
        self.meta = meta
        self._raw = json.loads(inner.json())
        self.warnings: List[str] = self._raw["warnings"]
        self.uniform: bool = self._raw["uniform"]
        #: units kept though not observed in every period (allow_unbalanced_panel=True only)
        self.incomplete_units: int = self._raw.get("incomplete_units", 0)

    def table(self) -> pd.DataFrame:
        """One row per ATT(g, t): group, time, event_time, base_time, post, att, se, ci_low, ci_high,
        n_treated, n_control, control_groups, treated_clusters and control_clusters (with `cluster`;
        with fewer than 3 comparison clusters a clustered SE is too small, and a warning says so),
        status."""
        rows = []
        for c in self._raw["cells"]:
            ci = c["ci"] or (None, None)
            status = c["status"] if isinstance(c["status"], str) else "NotIdentified: " + c["status"]["NotIdentified"]
            rows.append({"group": c["group"], "time": c["time"], "event_time": c["event_time"],
                         "base_time": c["base_time"], "post": c["post"], "att": c["att"], "se": c["se"],
                         "ci_low": ci[0], "ci_high": ci[1], "n_treated": c["n_treated"],
                         "n_control": c["n_control"], "control_groups": c["control_groups"],
                         "treated_clusters": (c.get("clusters") or (None, None))[0],
                         "control_clusters": (c.get("clusters") or (None, None))[1], "status": status})
        return pd.DataFrame(rows)

    to_frame = table

    def cohorts(self) -> pd.DataFrame:
        """Units and clusters per cohort (group 0 = never treated)."""
        return pd.DataFrame(self._raw["cohorts"])

    def aggregate(self, type: str = "simple", balance_e: Optional[int] = None, min_e: Optional[int] = None,
                  max_e: Optional[int] = None) -> "AggregateResult":
        """Aggregate into "simple", "group", "dynamic" (event study; `balance_e`, `min_e`, `max_e`) or
        "calendar" effects, bootstrapped (with a uniform band) when the fit was."""
        if type not in _KEYS:
            raise ArgumentError(f"invalid argument `type`: {type!r}; expected simple, group, dynamic or calendar")
        if type == "dynamic":
            how: Any = {"Dynamic": {"balance_e": balance_e, "min_e": min_e, "max_e": max_e}}
        elif any(v is not None for v in (balance_e, min_e, max_e)):
            raise ArgumentError("invalid argument: balance_e, min_e and max_e apply to type='dynamic'")
        else:
            how = type.capitalize()
        boot = self.meta["options"]["bootstrap"]
        raw = self._inner.aggregate(json.dumps(how), None if boot is None else json.dumps(boot))
        return AggregateResult(json.loads(raw), type, self.meta)

    def pretest(self) -> Dict[str, Any]:
        """The Wald pre-test that every pre-treatment ATT(g, t) is zero: W, df, p_value (χ², as R
        ``did``), cells; with clusters also ``few_clusters``: W referred to Hotelling's T² over the
        G clusters (``F``, ``df`` = (q, G − q), ``p_value``; ``None`` when G ≤ q), which removes
        most of the χ² test's over-rejection when the cells are many against the clusters."""
        t = json.loads(self._inner.pretest())
        out = {"W": t["w"], "df": t["df"], "p_value": t["p"], "cells": [tuple(c) for c in t["cells"]]}
        few = t.get("few_clusters")
        if few is not None:
            out["few_clusters"] = {"clusters": few["clusters"], "F": few["f"], "df": tuple(few["df"]),
                                   "p_value": few["p"]}
        return out

    def summary(self) -> str:
        """The ATT(g, t) table, the pre-test and how the intervals were made (as ``summary(att_gt)``)."""
        t = self.table()
        o = self.meta["options"]
        level = _level(o["alpha"])
        band = (f"simultaneous (uniform) {level} band, multiplier bootstrap" if self.uniform
                else f"pointwise {level} intervals, analytic influence-function SEs")
        g = self._raw.get("small_sample_clusters")
        if g and not self.uniform:
            band += (f", small-sample corrected (SEs x sqrt(G/(G-1)) and t({g - 1}) critical value "
                     f"{self._raw['crit_value']:.4f}, G = {g} clusters)")
        lines = [f"Group-time average treatment effects (Callaway and Sant'Anna 2021): {self.meta['outcome']}",
                 f"  control group: {o['control_group']}; estimator: {o['est_method']}; base period: "
                 f"{o['base_period']}; anticipation {o['anticipation']}; bed-in {o['bed_in']}"
                 + ("; unbalanced panel allowed" if o.get("allow_unbalanced") else "")
                 + (f"; cells with comparisons in fewer than {o['min_comparison_clusters']} clusters left out"
                    if o.get("min_comparison_clusters") else ""),
                 f"  {self._raw['n_units']} units; intervals: {band}", "",
                 t[["group", "time", "att", "se", "ci_low", "ci_high", "n_treated", "n_control"]]
                 .to_string(index=False, float_format=lambda v: f"{v:.4f}")]
        try:
            p = self.pretest()
            lines += ["", f"  Pre-test of parallel trends: W = {p['W']:.4f}, df = {p['df']}, p = {p['p_value']:.5f}"]
            few = p.get("few_clusters")
            if few and few["p_value"] is not None:
                lines.append(f"  with {few['clusters']} clusters (Hotelling T²): F = {few['F']:.4f}, "
                             f"df = {few['df']}, p = {few['p_value']:.5f}")
            elif few:
                lines.append(f"  with {few['clusters']} clusters for {p['df']} cells the few-cluster (Hotelling) "
                             "test is not defined; read the event study instead")
        except ValueError as e:
            lines += ["", f"  Pre-test of parallel trends: not available ({e})"]
        lines += [f"  Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The event-study plot: ``aggregate("dynamic").plot()``."""
        return self.aggregate("dynamic", **kwargs).plot(ax=ax)

    def __repr__(self) -> str:
        return f"<AttGtResult {self.meta['outcome']}: {len(self._raw['cells'])} cells, {self._raw['n_units']} units>"


class AggregateResult:
    """An aggregation of ATT(g, t): `overall` and per-key effects (cohort, event time or period)."""

    def __init__(self, raw: Dict[str, Any], type: str, meta: Dict[str, Any]):
        self._raw = raw
        self.type = type
        self.meta = meta
        self.overall = Estimate(raw["overall_att"], raw["overall_se"], raw["overall_ci"])
        self.uniform: bool = raw["uniform"]
        self.crit_value: float = raw["crit_value"]
        self.warnings: List[str] = raw["warnings"]

    def to_frame(self) -> pd.DataFrame:
        """Per key: estimate, se, ci_low, ci_high, the cohorts identifying it and their treated units."""
        key = _KEYS[self.type]
        rows = []
        for c in self._raw["cells"]:
            ci = c["ci"] or (None, None)
            rows.append({key: c["key"], "estimate": c["att"], "se": c["se"], "ci_low": ci[0], "ci_high": ci[1],
                         "cohorts": c["groups"], "n_treated": c["n_treated"]})
        return pd.DataFrame(rows, columns=[key, "estimate", "se", "ci_low", "ci_high", "cohorts", "n_treated"]
                            if key else None)

    def summary(self) -> str:
        o = self.overall
        band = "uniform band (bootstrap)" if self.uniform else "pointwise"
        lines = [f"Aggregated effect ({self.type}) of {self.meta['outcome']}: {o.estimate:.6g} (SE {o.se:.6g}, "
                 f"{_level(self.meta['options']['alpha'])} CI {o.ci_low:.4g} to {o.ci_high:.4g})"]
        if self.type != "simple":
            lines += [f"  by {_KEYS[self.type]} ({band}, critical value {self.crit_value:.3f}):",
                      self.to_frame().drop(columns=["cohorts"]).to_string(index=False, float_format=lambda v: f"{v:.4f}")]
        lines += [f"  Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """Estimates by key with their band (uniform when bootstrapped); pre-periods grey."""
        import matplotlib.pyplot as plt

        if self.type == "simple":
            raise ArgumentError("a simple aggregation has one number: nothing to plot")
        f = self.to_frame()
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.6))
        key = _KEYS[self.type]
        pre = f[key] < 0 if self.type == "dynamic" else np.zeros(len(f), bool)
        for mask, color, label in ((pre, "0.45", "pre-treatment"), (~pre, "C0", "post-treatment")):
            g = f.loc[mask]
            if len(g):
                ax.errorbar(g[key], g["estimate"], yerr=[g["estimate"] - g["ci_low"], g["ci_high"] - g["estimate"]],
                            fmt="o", ms=4, capsize=2, color=color, label=label)
        ax.axhline(0, color="0.6", lw=0.7)
        if self.type == "dynamic":
            ax.axvline(-0.5, color="0.3", lw=0.7, ls=":")
        ax.set_xlabel({"event_time": "event time (periods since go-live)", "group": "cohort (first treated period)",
                       "time": "period"}[key])
        level = _level(self.meta["options"]["alpha"])
        ax.set_ylabel(f"ATT ({'uniform band' if self.uniform else f'pointwise {level}'})")
        ax.legend(frameon=False, fontsize=8)
        return ax
