"""Interrupted time series: segmented regression fitted in Rust, results as DataFrames and plots.

>>> import raa_impact as ri
>>> s = ri.datasets.sicily()
>>> s["rate"] = s["aces"] / s["stdpop"] * 1e5
>>> r = ri.its(s, outcome="rate", time="time", interruption=37, errors="newey_west", lags=1)
>>> float(r.coefficients().set_index("term").loc["step", "estimate"])
-24.7171...
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._columns import float_column
from ._errors import ArgumentError

_FAMILIES = {
    "gaussian": "gaussian",
    "poisson": "poisson",
    "quasipoisson": "quasi_poisson",
    "negbin": "negative_binomial",
    "binomial": "binomial",
}
_IMPACTS = ("step", "slope", "pulse", "ramp")


def _choice(name: str, value: Any, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise ArgumentError(f"invalid argument `{name}`: {value!r}; expected one of {allowed}")
    return value


def _impacts(impact: Any) -> List[Any]:
    """("step", "slope", ("ramp", 4), "pulse") -> the core's impact list."""
    if isinstance(impact, (str, tuple)) and (isinstance(impact, str) or impact[0] == "ramp"):
        impact = [impact]
    out: List[Any] = []
    for item in impact:
        if isinstance(item, tuple) and len(item) == 2 and item[0] == "ramp":
            out.append({"ramp": {"periods": int(item[1])}})
        elif item == "ramp":
            raise ArgumentError("invalid argument `impact`: give a ramp as ('ramp', k), k periods")
        else:
            out.append(_choice("impact", item, _IMPACTS))
    return out


def _interruptions(
    interruption: Any, impact: Any, bed_in: int, anticipation: int, transition: str
) -> List[Dict[str, Any]]:
    """A time, a list of times, or dicts with per-interruption options."""
    items = interruption if isinstance(interruption, (list, tuple)) else [interruption]
    out = []
    for k, item in enumerate(items):
        spec = dict(item) if isinstance(item, Mapping) else {"time": item}
        if "time" not in spec:
            raise ArgumentError(f"invalid argument `interruption`: item {k} has no 'time'")
        out.append(
            {
                "label": str(spec.get("label", "")),
                "time": float(spec["time"]),
                "impacts": _impacts(spec.get("impact", impact)),
                "bed_in": int(spec.get("bed_in", bed_in)),
                "anticipation": int(spec.get("anticipation", anticipation)),
                "transition": _choice("transition", spec.get("transition", transition), ("exclude", "segment")),
            }
        )
    return out


def _errors(errors: str, lags: Optional[int], adjust: bool, method: str, ar_order: int) -> Dict[str, Any]:
    errors = _choice("errors", errors, ("ols", "newey_west", "prais_winsten", "ar1", "ar"))
    if errors == "ar":
        return {"kind": "ar", "order": int(ar_order), "method": _choice("method", method, ("ml", "reml"))}
    if errors == "newey_west":
        return {"kind": "newey_west", "lag": lags, "adjust": bool(adjust)}
    if errors == "ar1":
        return {"kind": "ar1", "method": _choice("method", method, ("ml", "reml"))}
    return {"kind": errors}


def _seasonality(seasonality: Optional[Mapping[str, Any]]) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    if seasonality is None:
        return None, None
    s = dict(seasonality)
    column = s.get("column")
    if "period" not in s:
        raise ArgumentError("invalid argument `seasonality`: give a 'period' (12 for months, 4 for quarters)")
    if s.get("dummies"):
        return {"kind": "dummies", "period": int(s["period"])}, column
    return {"kind": "fourier", "period": float(s["period"]), "harmonics": int(s.get("harmonics", 1))}, column


def _columns(data: pd.DataFrame, names: Mapping[str, Optional[str]], covariates: Sequence[str]) -> Dict[str, Any]:
    cols: Dict[str, Any] = {}
    for key, name in names.items():
        cols[key] = None if name is None else float_column(data, name, key)
    cols["covariates"] = [(c, float_column(data, c, "covariates")) for c in covariates]
    return cols


def its(
    data: pd.DataFrame,
    outcome: Union[str, Sequence[str]],
    time: str,
    interruption: Any,
    family: str = "gaussian",
    offset: Optional[str] = None,
    exposure: Optional[str] = None,
    weights: Optional[str] = None,
    covariates: Optional[Sequence[str]] = None,
    impact: Any = ("step", "slope"),
    seasonality: Optional[Mapping[str, Any]] = None,
    bed_in: Optional[int] = None,
    anticipation: int = 0,
    transition: str = "exclude",
    errors: str = "ols",
    lags: Optional[int] = None,
    adjust: bool = False,
    method: str = "reml",
    ar_order: int = 2,
    slope_origin: float = 0.0,
    comparison: Optional[str] = None,
    by: Optional[str] = None,
    level: float = 0.95,
    lower_is_better: bool = False,
    trend: bool = True,
    freq: Optional[str] = None,
) -> Union["ItsResult", "ItsBatch"]:
    """Fit a segmented regression (interrupted time series) to one series, or to every group of `by`.

    The level change is measured at the interruption: the slope term is ``(t - T) * D``
    (Huitema–McKean), or ``(t - T + slope_origin) * D``, where ``T = T0 + bed_in`` is where the
    post-interruption segment starts (``T0`` itself without a bed-in).

    Parameters
    ----------
    data : DataFrame with one row per time point (per group with `by` or `comparison`).
    outcome, time : column names; `time` in whole periods (e.g. month 1, 2, ...), without gaps.
        A list of outcomes fits the specification to each (with `by`, to each outcome × group)
        and returns an :class:`ItsBatch` keyed by ``outcome`` (and the group).
    interruption : the first post-interruption time point ``T0``; a list for several
        interruptions, or dicts ``{"time": 37, "label": "go_live", "bed_in": 6, "impact": ...}``;
        with `by`, a column name gives each group its own ``T0`` (e.g. each LA's go-live period).
    family : "gaussian" | "poisson" | "quasipoisson" | "negbin" | "binomial".
    offset : column already on the log scale; exposure : column to be logged (e.g. population).
    weights : precision weights (gaussian) or numbers of trials (binomial proportions).
    impact : shapes among "step", "slope", "pulse" and ("ramp", k).
    seasonality : ``{"column": "month", "period": 12, "harmonics": 2}`` for Fourier pairs, or
        ``{"column": "quarter", "period": 4, "dummies": True}``.
    bed_in, anticipation : periods after / before ``T0``; `transition` "exclude" leaves them out,
        "segment" gives them their own level and slope. `bed_in` defaults to six months when
        `freq` says what a period is (6 for ``"month"``, 2 for ``"quarter"``, 1 for ``"year"``),
        else to 0; `anticipation` defaults to 0.
    freq : "month" | "quarter" | "year": the length of one `time` period (sets the default bed-in).
    errors : "ols" | "newey_west" (`lags`, `adjust`) | "prais_winsten" | "ar1" (`method` "ml"/"reml")
        | "ar" (AR(`ar_order`) errors by `method`, as nlme's ``corARMA(p = ar_order)``).
    comparison : a 0/1 column marking the treated series (1) and a comparison series (0): a
        controlled ITS whose effects are the treated-minus-comparison changes (``group:step`` ...).
    by : fit every group of this column separately (in parallel) and return an :class:`ItsBatch`.
    lower_is_better : the outcome is a duration or a bad event; summaries say "improvement" for a
        fall.

    Examples
    --------
    >>> import raa_impact as ri
    >>> s = ri.datasets.sicily()
    >>> r = ri.its(s, outcome="aces", time="time", interruption=37, family="poisson",
    ...            exposure="stdpop", impact="step")
    >>> round(float(r.coefficients().set_index("term").loc["step", "ratio"]), 4)
    0.8944
    """
    covariates = list(covariates or [])
    if bed_in is None:
        bed_in = _default_bed_in(freq)
    per_group = isinstance(interruption, str)
    if per_group and by is None:
        raise ArgumentError("invalid argument `interruption`: a column name needs by= (one interruption per group)")
    season_spec, season_col = _seasonality(seasonality)
    spec = {
        "interruptions": _interruptions(0.0 if per_group else interruption, impact, bed_in, anticipation, transition),
        "family": _FAMILIES[_choice("family", family, _FAMILIES)],
        "errors": _errors(errors, lags, adjust, method, ar_order),
        "seasonality": season_spec,
        "slope_origin": float(slope_origin),
        "trend": bool(trend),
        "level": float(level),
    }
    names = {
        "time": time,
        "y": outcome,
        "weights": weights,
        "offset": offset,
        "exposure": exposure,
        "season": season_col,
        "group": comparison,
    }
    meta = {"outcome": outcome, "time": time, "lower_is_better": lower_is_better, "family": family}
    spec_json = json.dumps(spec)
    if isinstance(outcome, str) and by is None:
        cols = _columns(data, names, covariates)
        return ItsResult(_core.its_fit(cols, spec_json), cols, spec_json, meta)
    if by is not None and by not in data.columns:
        raise ArgumentError(f"invalid argument `by`: column {by!r} is not in the data")
    outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    if not outcomes:
        raise ArgumentError("invalid argument `outcome`: the list of outcomes is empty")
    blocks = _blocks(data, by)
    # Stack one copy of the (group-sorted) data per outcome: every outcome × group is one
    # contiguous block for the core's parallel batch.
    stacked = pd.concat([blocks[0].assign(__y=float_column(data, o, "outcome")[blocks[1]]) for o in outcomes],
                        ignore_index=True)
    groups = blocks[2]
    bounds = [0]
    keys: List[Any] = []
    for i, o in enumerate(outcomes):
        offset = i * len(data)
        bounds.extend(offset + b for b in groups[1:])
        keys.extend(_batch_key(o, k, multi=not isinstance(outcome, str), by=by) for k in blocks[3])
    cols = _columns(stacked, {**names, "y": "__y"}, covariates)
    times = _group_times(stacked, interruption, by, bounds) if per_group else None
    results = _core.its_fit_many(cols, bounds, spec_json, times)
    key_names = ([] if isinstance(outcome, str) else ["outcome"]) + ([] if by is None else [by])
    metas = [{**meta, "outcome": o} for o in outcomes for _ in blocks[3]]
    return ItsBatch(key_names[0] if len(key_names) == 1 else key_names, keys, results, meta, metas)


def _default_bed_in(freq: Optional[str]) -> int:
    """Six months of bed-in in periods of `freq` (the RAA evaluation's default), 0 without one."""
    if freq is None:
        return 0
    periods = {"month": 6, "quarter": 2, "year": 1}
    if freq not in periods:
        raise ArgumentError(f"invalid argument `freq`: {freq!r}; expected month, quarter or year")
    return periods[freq]


def _batch_key(outcome: str, group: Any, multi: bool, by: Optional[str]) -> Any:
    """A batch fit's key: the outcome, the group, or both as a tuple."""
    if multi and by is not None:
        return (outcome, group)
    return outcome if multi else group


def _blocks(data: pd.DataFrame, by: Optional[str]) -> Tuple[pd.DataFrame, np.ndarray, List[int], List[Any]]:
    """The data sorted by `by` (stable), the row order, group bounds and group keys."""
    if by is None:
        return data, np.arange(len(data)), [0, len(data)], [None]
    order = np.argsort(data[by].to_numpy(), kind="stable")
    keys = data[by].to_numpy()[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], dtype=int)
    return data.iloc[order], order, [int(b) for b in np.r_[starts, len(keys)]], [keys[s] for s in starts]


def _group_times(data: pd.DataFrame, column: str, by: str, bounds: List[int]) -> List[float]:
    """Each group's interruption from `column`, which must be constant within the group."""
    values = float_column(data, column, "interruption")
    times = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        v = values[lo:hi]
        if not (v == v[0]).all():
            key = data[by].iloc[lo]
            raise ArgumentError(
                f"invalid argument `interruption`: column {column!r} takes several values in group {by}={key!r}; "
                "it must give one interruption time per group")
        times.append(float(v[0]))
    return times


class ItsResult:
    """A fitted interrupted time series.

    Read it with :meth:`coefficients`, :meth:`summary`, :meth:`counterfactual`, :meth:`effects`,
    :meth:`placebo` and :meth:`plot`.
    """

    def __init__(self, inner: Any, columns: Optional[Dict[str, Any]], spec_json: str, meta: Dict[str, Any]):
        self._inner = inner
        self._columns = columns
        self._spec_json = spec_json
        self._parsed: Optional[Dict[str, Any]] = None
        self.meta = meta

    @property
    def _raw(self) -> Dict[str, Any]:
        # Parsed on first use: a batch of thousands of fits need not pay for every path.
        if self._parsed is None:
            self._parsed = json.loads(self._inner.json())
        return self._parsed

    def _model(self, key: str) -> Any:
        return self._raw["model"][key]

    spec = property(lambda self: self._raw["spec"], doc="The specification fitted (the core's ItsSpec).")
    n_used = property(lambda self: self._raw["n_used"], doc="Rows used in the fit.")
    n_rows = property(lambda self: self._raw["n_rows"], doc="Rows given.")
    excluded_times = property(lambda self: self._raw["excluded_times"], doc="Time points left out (transitions).")
    dispersion = property(lambda self: self._model("dispersion"), doc="σ² (Gaussian), φ (quasi), else 1.")
    ar1 = property(lambda self: self._model("ar1"), doc="AR(1) coefficient (GLS, Prais–Winsten); φ₁ of AR(p).")
    ar = property(lambda self: self._model("ar"), doc="Every AR coefficient of an AR(p) fit.")
    theta = property(lambda self: self._model("theta"), doc="Negative binomial θ.")
    aic = property(lambda self: self._model("aic"), doc="AIC where the model has a likelihood.")
    bic = property(lambda self: self._model("bic"), doc="BIC where the model has a likelihood.")
    log_likelihood = property(lambda self: self._model("log_likelihood"), doc="Log-likelihood, where defined.")
    df_resid = property(lambda self: self._model("df"), doc="Degrees of freedom of t statistics (None: z).")
    converged = property(lambda self: self._model("converged"), doc="Whether every iterative step converged.")
    warnings = property(lambda self: self._model("warnings"), doc="Warnings from the fitter.")
    scale = property(lambda self: self._model("scale"), doc="Scale of the linear predictor.")

    @property
    def params(self) -> pd.Series:
        """Estimates by term (statsmodels' name)."""
        c = self.coefficients()
        return pd.Series(c["estimate"].to_numpy(), index=c["term"], name="estimate")

    @property
    def bse(self) -> pd.Series:
        """Standard errors by term."""
        c = self.coefficients()
        return pd.Series(c["se"].to_numpy(), index=c["term"], name="se")

    def coefficients(self) -> pd.DataFrame:
        """Term, estimate, se, statistic, p_value, ci_low, ci_high (+ ratio columns for log/logit links)."""
        df = pd.DataFrame(json.loads(self._inner.coefficients_json()))
        if df["ratio"].isna().all():  # identity link: no ratios
            df = df.drop(columns=["ratio", "ratio_low", "ratio_high"])
        return df

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table."""
        return self.coefficients()

    def cov_params(self) -> pd.DataFrame:
        """The covariance matrix used for inference."""
        names = self._raw["model"]["names"]
        p = len(names)
        v = np.asarray(self._raw["model"]["covariance"]).reshape(p, p)
        return pd.DataFrame(v, index=names, columns=names)

    def counterfactual(self) -> pd.DataFrame:
        """Observed, fitted and counterfactual (no intervention terms) path with its confidence band."""
        return pd.DataFrame(self._raw["path"])

    def effects(self, horizons: Optional[Sequence[int]] = None) -> pd.DataFrame:
        """Pointwise, average and cumulative effects over the first `h` post-interruption periods
        (counted from ``T = T0 + bed_in``, the start of the post segment).

        `horizons` defaults to the whole observed post period. Absolute effects are on the outcome's
        scale; relative ones are ``fitted / counterfactual - 1`` with intervals from the log ratio.
        """
        hs = [self._inner.n_post()] if horizons is None else [int(h) for h in horizons]
        df = pd.DataFrame(json.loads(self._inner.effects(hs)))
        if self.meta.get("lower_is_better"):
            df["improvement"] = df["ci_high"] < 0
        else:
            df["improvement"] = df["ci_low"] > 0
        return df

    def diagnostics(self, lags: Optional[int] = None) -> Dict[str, Any]:
        """Residual diagnostics: ACF/PACF (DataFrame), Durbin–Watson, Breusch–Godfrey (least squares),
        Ljung–Box and, for Poisson fits, the Cameron–Trivedi overdispersion test.

        `lags` defaults to the seasonal period when there is one, else ``min(12, n_used // 5)``.
        """
        if lags is None:
            season = self.spec.get("seasonality") or {}
            lags = int(season.get("period", 0)) or max(1, min(12, self.n_used // 5))
        raw = json.loads(self._inner.diagnostics(int(lags)))
        acf = raw["acf"]
        pacf = raw["pacf"]
        table = pd.DataFrame({"lag": range(1, lags + 1)})
        table["acf"] = acf["values"][1 - acf["first_lag"]:][:lags]
        table["pacf"] = pacf["values"][1 - pacf["first_lag"]:][:lags]
        table["band"] = acf["band"]
        tests = []
        for name in ("breusch_godfrey", "ljung_box"):
            if raw[name] is not None:
                tests.append({"test": name, **{k: raw[name][k] for k in ("statistic", "df", "p_value")}})
        if raw["overdispersion"] is not None:
            od = raw["overdispersion"]
            tests.append({"test": "overdispersion", "statistic": od["result"]["statistic"], "df": None,
                          "p_value": od["result"]["p_value"], "estimate": od["estimate"]})
        return {"correlogram": table, "durbin_watson": raw["durbin_watson"], "tests": pd.DataFrame(tests)}

    def placebo(self) -> pd.DataFrame:
        """Refit at every admissible date of the pre-period (on the pre-period alone).

        One row per placebo date and change term, with the estimate, se and p-value, then the real
        estimate's rank among them (``share_as_large``: the share of placebo estimates at least as
        large in absolute value).
        """
        if self._columns is None:
            raise ArgumentError("placebo needs the data (fit with ri.its, not a batch)")
        fits, shares_json = _core.its_placebo(self._inner, self._columns, self._spec_json)
        shares = {s["term"]: s["share_as_large"] for s in json.loads(shares_json)}
        parts = []
        for t, fit in fits:
            c = pd.DataFrame(json.loads(fit.coefficients_json()))
            c.insert(0, "placebo_time", t)
            parts.append(c)
        if not parts:
            return pd.DataFrame()
        df = pd.concat(parts, ignore_index=True)
        df = df.loc[df["term"].isin(shares)].reset_index(drop=True)
        df["share_as_large"] = df["term"].map(shares)
        return df

    def summary(self) -> "ItsSummary":
        """A statsmodels-style printed summary."""
        return ItsSummary(self)

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """Observed points, fitted line, counterfactual with its band; interruption and bed-in shaded."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        p = self.counterfactual()
        ax.plot(p["time"], p["observed"], "o", ms=3, color="0.35", label="observed")
        ax.plot(p["time"], p["fitted"], "-", color="C0", label="fitted")
        first = self.spec["interruptions"][0]["time"] - self.spec["interruptions"][0]["anticipation"]
        cf = p.loc[p["time"] >= first]
        ax.plot(cf["time"], cf["counterfactual"], "--", color="C3", label="counterfactual")
        ax.fill_between(cf["time"], cf["counterfactual_low"], cf["counterfactual_high"], color="C3", alpha=0.15)
        for it in self.spec["interruptions"]:
            ax.axvline(it["time"] - 0.5, color="0.2", lw=0.8)
            lo, hi = it["time"] - it["anticipation"], it["time"] + it["bed_in"]
            if hi > lo:
                ax.axvspan(lo - 0.5, hi - 0.5, color="0.8", alpha=0.5, lw=0, label="transition")
        ax.set_xlabel(self.meta["time"])
        ax.set_ylabel(self.meta["outcome"])
        if title:
            ax.set_title(title)
        ax.legend(frameon=False, fontsize=8)
        return ax

    def __repr__(self) -> str:
        return f"<ItsResult {self.meta['outcome']} ~ {self.meta['family']}, n={self.n_used}>"


class ItsSummary:
    """Printed summary of an :class:`ItsResult`."""

    def __init__(self, r: ItsResult):
        self.r = r

    def __str__(self) -> str:
        r = self.r
        errors = r.spec["errors"]["kind"]
        lines = [
            f"Interrupted time series: {r.meta['outcome']} ({r.meta['family']}, errors: {errors})",
            f"Rows used: {r.n_used} of {r.n_rows}"
            + (f"; left out (transition): {len(r.excluded_times)}" if r.excluded_times else ""),
        ]
        extra = []
        if r.ar1 is not None:
            extra.append(f"AR(1) {r.ar1:.5f}")
        if r.theta is not None:
            extra.append(f"theta {r.theta:.4f}")
        extra.append(f"dispersion {r.dispersion:.5g}")
        for name, v in (("log-lik", r.log_likelihood), ("AIC", r.aic), ("BIC", r.bic)):
            if v is not None:
                extra.append(f"{name} {v:.4f}")
        lines.append(", ".join(extra))
        table = r.coefficients().set_index("term")
        lines.append(table.to_string(float_format=lambda v: f"{v:.6g}"))
        for w in r.warnings:
            lines.append(f"warning: {w}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return "<pre>" + str(self) + "</pre>"


class ItsBatch:
    """One specification fitted to every group of a panel: a tidy table, and each fit by key."""

    def __init__(self, by: Union[str, List[str]], keys: List[Any], results: List[Tuple[Any, Optional[str]]],
                 meta: Dict[str, Any], metas: Optional[List[Dict[str, Any]]] = None):
        self.by = by
        self.keys = keys
        self.meta = meta
        self.fits: Dict[Any, ItsResult] = {}
        self.errors: Dict[Any, str] = {}
        for i, (key, (fit, err)) in enumerate(zip(keys, results)):
            if fit is not None:
                self.fits[key] = ItsResult(fit, None, "", metas[i] if metas else meta)
            else:
                self.errors[key] = str(err)

    def __getitem__(self, key: Any) -> ItsResult:
        return self.fits[key]

    def __len__(self) -> int:
        return len(self.keys)

    def to_frame(self) -> pd.DataFrame:
        """Every group's coefficient table stacked (group first), plus a row per failed group."""
        parts = []
        names = [self.by] if isinstance(self.by, str) else list(self.by)
        for key in self.keys:
            values = [key] if isinstance(self.by, str) else list(key)
            if key in self.fits:
                c = self.fits[key].coefficients()
                c["error"] = None
            else:
                c = pd.DataFrame({"error": [self.errors[key]]})
            for pos, (name, value) in enumerate(zip(names, values)):
                c.insert(pos, name, value)
            parts.append(c)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def summary(self) -> str:
        """How many groups were fitted and why the others failed."""
        label = self.by if isinstance(self.by, str) else " × ".join(self.by)
        lines = [f"ITS fitted to {len(self.fits)} of {len(self.keys)} groups of {label}"]
        for k, e in self.errors.items():
            lines.append(f"  {k}: {e}")
        return "\n".join(lines)


    def plot(self, keys: Optional[Sequence[Any]] = None, ncols: int = 3, sharey: bool = False,
             figsize: Optional[Tuple[float, float]] = None) -> Any:
        """Small multiples: one panel per fit (observed, fitted, counterfactual with its band,
        interruption and transition shaded), in the batch's order or that of `keys`.

        Returns the array of Axes (panels beyond the fits are hidden); the legend is on the first.

        Examples
        --------
        >>> import raa_impact as ri, pandas as pd
        >>> s = ri.datasets.sicily()
        >>> both = pd.concat([s.assign(region="a"), s.assign(region="b")])
        >>> axes = ri.its(both, outcome="aces", time="time", interruption=37, by="region").plot(ncols=2)
        >>> axes.shape
        (1, 2)
        """
        import matplotlib.pyplot as plt

        keys = list(self.fits) if keys is None else list(keys)
        missing = [k for k in keys if k not in self.fits]
        if missing:
            raise ArgumentError(f"invalid argument `keys`: no fit for {missing[:3]!r}")
        if not keys:
            raise ArgumentError("nothing to plot: the batch has no successful fit")
        ncols = max(1, min(int(ncols), len(keys)))
        nrows = -(-len(keys) // ncols)
        size = figsize or (4.2 * ncols, 2.8 * nrows)
        _, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False, sharey=sharey)
        for i, (ax, key) in enumerate(zip(axes.flat, keys)):
            self.fits[key].plot(ax=ax, title=str(key))
            if i > 0 and ax.get_legend() is not None:
                ax.get_legend().remove()
        for ax in axes.flat[len(keys):]:
            ax.set_visible(False)
        return axes


__all__ = ["its", "ItsResult", "ItsBatch", "ItsSummary"]
