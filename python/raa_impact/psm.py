"""Propensity score and covariate matching: ``ri.match`` and its result object.

The Rust core does the work (score model, common support, calipers, the greedy kernel, balance,
effects); this module turns DataFrames into numeric columns and results back into DataFrames,
summaries and figures.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._design import Design, build, id_keys, integer_codes
from ._errors import ArgumentError
from ._frames import to_frame

_DISTANCES = {"logit": "Logit", "ps": "Ps", "scaled_euclidean": "ScaledEuclidean", "mahalanobis": "Mahalanobis"}
_SCALES = {"pooled_sd": "PooledSd", "sd": "Sd", "treated_sd": "TreatedSd", "raw": "Raw"}
_DISCARD = {"none": "None", "treated": "Treated", "control": "Control", "both": "Both"}
_ESTIMANDS = {"ATT": "Att", "ATC": "Atc", "ATE": "Ate"}
_ORDERS = {"largest": "Largest", "smallest": "Smallest", "closest": "Closest", "data": "Data"}


def _choice(name: str, value: str, table: Dict[str, str]) -> str:
    key = value if value in table else str(value).lower()
    if key not in table:
        raise ArgumentError(f"invalid argument `{name}`: {value!r}, expected one of {sorted(table)}")
    return table[key]


def _options(
    model: str, distance: str, estimand: str, ratio: int, replace: bool, reuse_max: Optional[int],
    caliper: Union[None, float, Dict[str, float]], caliper_scale: str, order: str, ties: str,
    tolerance: Optional[float], discard: str, crump_alpha: Optional[float], seed: Optional[int],
) -> Dict[str, Any]:
    if order == "random":
        if seed is None:
            raise ArgumentError('invalid argument `seed`: order="random" needs a seed')
        order_json: Any = {"Random": {"seed": int(seed)}}
    else:
        order_json = _choice("order", order, _ORDERS)
    distance_caliper, covariate_calipers = None, []
    if isinstance(caliper, dict):
        for k, v in caliper.items():
            if k == "distance":
                distance_caliper = float(v)
            else:
                covariate_calipers.append({"covariate": k, "width": float(v), "raw": caliper_scale == "raw"})
    elif caliper is not None:
        distance_caliper = float(caliper)
    if model not in ("logit", "probit"):
        raise ArgumentError(f'invalid argument `model`: {model!r}, expected "logit" or "probit"')
    if ties not in ("first", "all"):
        raise ArgumentError(f'invalid argument `ties`: {ties!r}, expected "first" or "all"')
    if int(ratio) != ratio or ratio < 1:
        raise ArgumentError(f"invalid argument `ratio`: {ratio!r}, expected a positive integer")
    return {
        "link": model.capitalize(),
        "distance": _choice("distance", distance, _DISTANCES),
        "estimand": _choice("estimand", str(estimand).upper(), _ESTIMANDS),
        "ratio": int(ratio),
        "replace": bool(replace),
        "reuse_max": None if reuse_max is None else int(reuse_max),
        "caliper": distance_caliper,
        "caliper_scale": _choice("caliper_scale", caliper_scale, _SCALES),
        "covariate_calipers": covariate_calipers,
        "order": order_json,
        "ties": ties.capitalize(),
        "tolerance": None if tolerance is None else float(tolerance),
        "discard": _choice("discard", discard, _DISCARD),
        "crump_alpha": crump_alpha,
    }


def match(
    data: pd.DataFrame,
    treatment: Optional[str] = None,
    covariates: Union[str, Sequence[str], None] = None,
    *,
    model: str = "logit",
    score: Union[None, str, np.ndarray, pd.Series] = None,
    distance: str = "logit",
    estimand: str = "ATT",
    ratio: int = 1,
    replace: bool = False,
    reuse_max: Optional[int] = None,
    caliper: Union[None, float, Dict[str, float]] = None,
    caliper_scale: str = "pooled_sd",
    exact: Union[None, str, Sequence[str]] = None,
    order: str = "largest",
    ties: str = "first",
    tolerance: Optional[float] = None,
    discard: str = "none",
    crump_alpha: Optional[float] = None,
    id: Optional[str] = None,
    seed: Optional[int] = None,
    missing: str = "error",
) -> "MatchResult":
    """Match treated and control units on a propensity score or on covariates.

    Parameters mirror MatchIt's ``matchit(method="nearest")`` and R Matching's ``Match``:
    ``covariates`` is a list of columns or a formula (``"treat ~ age + I(age**2) + race"``; text
    columns are categorical, dummy-coded with the first sorted level as reference); ``score`` supplies
    the propensity score (a column name or an array) instead of fitting ``model`` ("logit" or
    "probit"). ``distance`` is "logit" (the linear predictor, default), "ps" (the probability,
    MatchIt's and Stata's default), "scaled_euclidean" or "mahalanobis". ``caliper`` is in units of
    ``caliper_scale`` ("pooled_sd", "sd" = SD over all units as MatchIt, "treated_sd", "raw"); a dict
    sets calipers on covariates too (key "distance" for the distance). ``exact`` names columns to match
    exactly on. ``order``: "largest", "smallest", "closest", "data" or "random" (with ``seed``).
    ``ties="all"`` (with ``replace=True``) keeps every tied control with fractional weights. Ties are
    broken by ``id`` when given, else by row order, as MatchIt's sort positions do (``tolerance``:
    sides closer than this count as equally far, default 0); with ``ties="all"`` a control is tied
    when its squared standardised distance is within ``tolerance`` (default 1e-5) of the best, as in
    R Matching. ``missing="drop"`` drops rows with missing
    covariates and reports how many.

    Returns a :class:`MatchResult`.

    >>> import pandas as pd, raa_impact as ri
    >>> df = pd.DataFrame({"t": [1, 1, 0, 0, 0, 0], "x": [3.0, 2.0, 2.9, 2.1, 0.5, 0.1]})
    >>> m = ri.match(df, "t", score=[0.8, 0.6, 0.75, 0.55, 0.2, 0.1], distance="ps")
    >>> m.n_matched
    2
    >>> m.weights.tolist()
    [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    """
    if not isinstance(data, pd.DataFrame):
        raise ArgumentError("invalid argument `data`: expected a pandas DataFrame")
    design = build(data, treatment, covariates, missing)
    options = _options(model, distance, estimand, ratio, replace, reuse_max, caliper, caliper_scale,
                       order, ties, tolerance, discard, crump_alpha, seed)
    score_arr = _score(data, score, design)
    exact_arr = None if exact is None else integer_codes(data, exact, design.rows)
    ids = id_keys(data, id, design.rows)
    inner = _core.match_units(
        np.ascontiguousarray(design.treated, dtype=bool),
        [(n, np.ascontiguousarray(v)) for n, v in design.model],
        [(n, np.ascontiguousarray(v)) for n, v in design.balance],
        score_arr,
        exact_arr,
        ids,
        json.dumps(options),
    )
    return MatchResult(inner, data, design, options)


def _score(data: pd.DataFrame, score: Any, design: Design) -> Optional[np.ndarray]:
    if score is None:
        return None
    if isinstance(score, str):
        if score not in data.columns:
            raise ArgumentError(f"invalid argument `score`: no column named {score!r}")
        values = data[score].to_numpy(dtype=np.float64)
    else:
        values = np.asarray(score, dtype=np.float64)
        if len(values) != len(data):
            raise ArgumentError(f"invalid argument `score`: {len(values)} values for {len(data)} rows")
    return np.ascontiguousarray(values[design.rows])


def match_arrays(
    treated: np.ndarray,
    score: np.ndarray,
    **options: Any,
) -> "MatchResult":
    """Match on NumPy arrays directly (the fast path for very large data): ``treated`` (bool) and a
    supplied ``score``; the other keyword arguments are those of :func:`match` (no covariates).
    The result keeps ``score`` itself, not a copy: its ``ps`` is that array, and its ``distance``
    is computed from it when first read (and by the Abadie–Imbens SEs), so do not change the array
    in place while the result is in use.

    >>> import numpy as np, raa_impact as ri
    >>> m = ri.match_arrays(np.array([True, False, False]), np.array([0.6, 0.5, 0.1]))
    >>> m.n_matched
    1
    """
    treated = np.ascontiguousarray(treated, dtype=bool)
    score = np.ascontiguousarray(score, dtype=np.float64)
    keys = dict(model="logit", distance="logit", estimand="ATT", ratio=1, replace=False, reuse_max=None,
                caliper=None, caliper_scale="pooled_sd", order="largest", ties="first", tolerance=None,
                discard="none", crump_alpha=None, seed=None)
    unknown = set(options) - set(keys)
    if unknown:
        raise ArgumentError(f"invalid argument: {sorted(unknown)} (match_arrays takes no covariates)")
    keys.update(options)
    opts = _options(**keys)
    inner = _core.match_units(treated, [], [], score, None, None, json.dumps(opts))
    # Rows are positions 0..n-1: a range, not an index array as long as the data.
    design = Design("treated", treated, [], [], range(len(treated)))  # type: ignore[arg-type]
    return MatchResult(inner, None, design, opts)


@dataclass
class Effect:
    """A treatment effect (treated minus control) with its standard error and interval."""

    estimand: str
    method: str
    estimate: float
    se: float
    ci: Tuple[float, float]
    level: float
    z: float
    p_value: float
    se_method: str
    n_clusters: Optional[int]
    n_treated: int
    n_control: int
    outcome: str = "y"
    _core_json: str = field(default="", repr=False, compare=False)

    @classmethod
    def _from_core(cls, raw: str, outcome: Any, estimand: Optional[str] = None) -> "Effect":
        """From the core's `Effect` JSON, which is kept so it can travel back unchanged."""
        e = json.loads(raw)
        return cls(
            estimand=estimand or e["estimand"].upper(), method=e["method"], estimate=e["estimate"],
            se=e["se"], ci=tuple(e["ci"]), level=e["level"], z=e["z"], p_value=e["p_value"],
            se_method=e["se_method"], n_clusters=e["n_clusters"], n_treated=e["n_treated"],
            n_control=e["n_control"], outcome=outcome if isinstance(outcome, str) else "y", _core_json=raw,
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the estimate."""
        lo, hi = self.ci
        return pd.DataFrame([{
            "outcome": self.outcome, "estimand": self.estimand, "method": self.method,
            "estimate": self.estimate, "se": self.se, "ci_lower": lo, "ci_upper": hi,
            "z": self.z, "p_value": self.p_value, "se_method": self.se_method,
            "n_clusters": self.n_clusters, "n_treated": self.n_treated, "n_control": self.n_control,
        }])

    def summary(self) -> str:
        """A short printed table."""
        lo, hi = self.ci
        pct = int(round(self.level * 100))
        return (
            f"{self.estimand} of {self.outcome} ({self.method})\n"
            f"  estimate {self.estimate:.6g}  SE {self.se:.6g}  {pct}% CI [{lo:.6g}, {hi:.6g}]  "
            f"z {self.z:.3f}  p {self.p_value:.4g}\n"
            f"  SE: {self.se_method}; matched treated {self.n_treated}, controls {self.n_control}"
            + (f"; {self.n_clusters} clusters" if self.n_clusters else "")
        )

    def __str__(self) -> str:
        return self.summary()


_SE = {"pair": "Pair", "cluster": "Cluster", "robust": "Robust", "ai": "AbadieImbens"}


class MatchResult:
    """The match object: matched set, weights, score, balance before and after, unmatched units.

    Read it with :meth:`summary`, :meth:`balance`, :meth:`matched_data`, :meth:`effect`,
    :meth:`plot_love` and :meth:`plot_overlap`.
    """

    def __init__(self, inner: Any, data: Optional[pd.DataFrame], design: Design, options: Dict[str, Any]):
        self._inner = inner
        self._data = data
        self._design = design
        self.options = options
        self.treatment = design.treatment
        self.n_dropped_missing = design.dropped
        self._index = None if data is None else data.index[design.rows]
        self.warnings: List[str] = list(inner.warnings())
        self.caliper_width: Optional[float] = inner.caliper_width()

    @property
    def weights(self) -> pd.Series:
        """Matching weight of every unit (0 outside the matched set); copied from the core when
        first read, so a match that is never asked for its weights holds them once."""
        if not hasattr(self, "_weights"):
            self._weights = pd.Series(self._inner.weights(), index=self._index, name="weights")
        return self._weights

    @property
    def subclass(self) -> pd.Series:
        """Matched pair (subclass) of every unit, <NA> outside the matched set or with replacement."""
        if not hasattr(self, "_subclass"):
            sub = self._inner.subclass()
            values = pd.array(np.where(sub < 0, 0, sub), dtype="Int64")
            values[sub < 0] = pd.NA
            self._subclass = pd.Series(values, index=self._index, name="subclass")
        return self._subclass

    @property
    def distance(self) -> Optional[pd.Series]:
        """The matching distance of every unit (None for covariate distances). For a supplied
        score it is computed from the score when first read, so a match that is never asked for
        it does not hold a column as long as the data."""
        if not hasattr(self, "_distance"):
            d = self._inner.distance()
            self._distance = pd.Series(d, index=self._index, name="distance") if len(d) else None
        return self._distance

    @property
    def ps(self) -> Optional[pd.Series]:
        """The propensity score of every unit (None for covariate distances without a score)."""
        ps = self._inner.ps()
        return None if ps is None else pd.Series(ps, index=self._index, name="ps")

    @property
    def n_matched(self) -> int:
        """Focal units (treated for ATT) with at least one match."""
        return int(self._inner.n_matched())

    @property
    def treated(self) -> np.ndarray:
        return self._design.treated

    def matches(self) -> pd.DataFrame:
        """One row per (focal unit, matched unit) pair: positions into the data's rows kept, and the
        pair's weight share (1/k for k matches)."""
        focal, offsets, controls = self._inner.matches(False)
        counts = np.diff(offsets.astype(np.int64))
        return pd.DataFrame({
            "focal": np.repeat(focal, counts).astype(np.int64),
            "match": controls.astype(np.int64),
            "share": np.repeat(np.divide(1.0, counts, out=np.zeros(len(counts)), where=counts > 0), counts),
        })

    def unmatched(self) -> pd.DataFrame:
        """Focal units without a match and why (outside support, no control within the caliper, ...)."""
        return to_frame(self._inner.unmatched())

    def model(self) -> Optional[pd.DataFrame]:
        """The score model's coefficient table (None when the score was supplied)."""
        raw = self._inner.model_json()
        if raw is None:
            return None
        fit = json.loads(raw)
        table = pd.DataFrame({
            "term": fit["names"], "estimate": fit["coefficients"], "se": fit["std_errors"],
        })
        table["z"] = table["estimate"] / table["se"]
        return table.set_index("term")

    def balance(self) -> pd.DataFrame:
        """Balance per covariate before and after matching: means, standardised mean difference
        (treated SD for ATT, pooled for ATE), raw difference, variance ratio, eCDF mean and max (KS)."""
        return to_frame(self._inner.balance()).set_index("covariate")

    def sample_sizes(self) -> pd.DataFrame:
        """MatchIt's sample-size table: All, Matched (ESS), Matched, Unmatched, Discarded."""
        s = json.loads(self._inner.sample_sizes_json())
        rows = [("All", "all"), ("Matched (ESS)", "matched_ess"), ("Matched", "matched"),
                ("Unmatched", "unmatched"), ("Discarded", "discarded")]
        return pd.DataFrame(
            {"Control": [s["control"][k] for _, k in rows], "Treated": [s["treated"][k] for _, k in rows]},
            index=[r for r, _ in rows],
        )

    def summary(self) -> "MatchSummary":
        """MatchIt-style printed summary: balance for all data, for the matched data, sample sizes."""
        return MatchSummary(self)

    def matched_data(self) -> pd.DataFrame:
        """The data rows in the matched set with `weights`, `subclass` and `distance` columns."""
        if self._data is None:
            raise ArgumentError("matched_data needs the DataFrame (use ri.match, not ri.match_arrays)")
        out = self._data.iloc[self._design.rows].copy()
        out["weights"] = self.weights.to_numpy()
        out["subclass"] = self.subclass.to_numpy()
        if self.distance is not None:
            out["distance"] = self.distance.to_numpy()
        return out.loc[out["weights"] > 0]

    def _column(self, y: Union[str, np.ndarray, pd.Series], what: str) -> np.ndarray:
        if isinstance(y, str):
            if self._data is None or y not in self._data.columns:
                raise ArgumentError(f"invalid argument `{what}`: no column named {y!r}")
            values = self._data[y].iloc[self._design.rows]
        else:
            values = pd.Series(np.asarray(y))
            if len(values) != len(self._design.rows):
                raise ArgumentError(f"invalid argument `{what}`: {len(values)} values for {len(self._design.rows)} rows")
        return values.to_numpy(dtype=np.float64)

    def effect(
        self,
        y: Union[str, np.ndarray, pd.Series],
        se: str = "pair",
        *,
        cluster: Optional[str] = None,
        adjust: Optional[Sequence[str]] = None,
        level: float = 0.95,
        replicates: int = 999,
        seed: int = 0,
        bias_adjust: bool = False,
        neighbours: int = 2,
    ) -> Effect:
        """Effect of the treatment on outcome `y` in the matched set.

        ``se``: "pair" (clustered on the matched pair, as ``sandwich::vcovCL``; the default without
        replacement), "cluster" (on the ``cluster`` column, e.g. the local authority), "robust"
        (HC1), "ai" (Abadie–Imbens 2006, with replacement, as R Matching), "ai_ps" (Abadie–Imbens
        2016: the ATE's variance adjusted for the estimated logit score, Stata's ``teffects
        psmatch`` default; needs ``estimand="ATE"``, ``replace=True``, ``distance="ps"``;
        `neighbours` units per group for the conditional covariances) or "bootstrap"
        (``replicates`` resamples of pairs or clusters, seeded). ``adjust`` lists covariates for a
        regression-adjusted (g-computation) estimate; ``bias_adjust`` applies the Abadie–Imbens
        (2011) regression bias adjustment with "ai" and "ai_ps".

        >>> import pandas as pd, raa_impact as ri
        >>> df = pd.DataFrame({"t": [1, 1, 1, 0, 0, 0, 0], "y": [10., 8, 7, 6, 5, 5.5, 1]})
        >>> m = ri.match(df, "t", score=[0.8, 0.6, 0.5, 0.7, 0.55, 0.45, 0.1])
        >>> round(m.effect("y").estimate, 4)
        2.8333
        """
        if se == "bootstrap":
            se_json: Any = {"Bootstrap": {"replicates": int(replicates), "seed": int(seed)}}
        elif se == "ai_ps":
            se_json = {"AbadieImbensEstimatedPs": {"neighbours": int(neighbours)}}
        else:
            se_json = _choice("se", se, _SE)
        cluster_arr = None
        if cluster is not None:
            cluster_arr = id_keys(self._data, cluster, self._design.rows) if self._data is not None else None
            if cluster_arr is None:
                raise ArgumentError("invalid argument `cluster`: needs the DataFrame")
        adjust_cols = [(a, np.ascontiguousarray(self._column(a, "adjust"))) for a in (adjust or [])]
        if bias_adjust and se not in ("ai", "ai_ps"):
            raise ArgumentError("invalid argument `bias_adjust`: applies to se=\"ai\" and se=\"ai_ps\"")
        raw = self._inner.effect(self._column(y, "y"), json.dumps(se_json), cluster_arr, adjust_cols, float(level),
                                 bool(bias_adjust), list(self._design.model))
        return Effect._from_core(raw, y)

    def weighting(
        self,
        y: Union[str, np.ndarray, pd.Series],
        scheme: str = "ATT",
        *,
        aipw: bool = False,
        outcome_covariates: Optional[Sequence[str]] = None,
        cluster: Optional[str] = None,
        account_for_ps: bool = True,
        level: float = 0.95,
    ) -> Effect:
        """The weighted counterpart of :meth:`effect`, on the same units and score model, so matched
        and weighted estimates sit side by side: inverse probability weights (``scheme`` "ATE",
        "ATT", "ATC") or overlap weights ("overlap"), Hájek-normalised; with ``aipw=True`` the
        doubly robust estimator with per-arm linear outcome models on ``outcome_covariates``
        (default: the score model's columns). SEs by M-estimation, accounting for the estimated
        score (``account_for_ps=False`` gives the HC0 sandwich of the weighted regression), clustered
        on ``cluster`` when given.

        >>> import raa_impact as ri
        >>> d = ri.datasets.lalonde()
        >>> m = ri.match(d, "treat", ["age", "educ", "race", "married", "nodegree", "re74", "re75"])
        >>> round(m.weighting("re78", "ATT").estimate, 2)
        1214.07
        """
        schemes = {"ATE": "Ate", "ATT": "Att", "ATC": "Atc", "OVERLAP": "Overlap"}
        key = str(scheme).upper()
        if key not in schemes:
            raise ArgumentError(f"invalid argument `scheme`: {scheme!r}, expected one of ATE, ATT, ATC, overlap")
        if not self._design.model:
            raise ArgumentError("weighting fits its own logit score model and needs the match's covariates")
        cluster_arr = None if cluster is None else id_keys(self._data, cluster, self._design.rows)
        options = {"scheme": schemes[key], "level": float(level),
                   "cluster": None if cluster_arr is None else [int(c) for c in cluster_arr],
                   "account_for_ps": bool(account_for_ps)}
        if outcome_covariates is None:
            outcome_cols = list(self._design.model)
        else:
            outcome_cols = [(c, np.ascontiguousarray(self._column(c, "outcome_covariates"))) for c in outcome_covariates]
        raw, weights = _core.weighting_effect(
            np.ascontiguousarray(self._column(y, "y")), np.ascontiguousarray(self._design.treated, dtype=bool),
            [(n, np.ascontiguousarray(v)) for n, v in self._design.model], outcome_cols if aipw else [],
            json.dumps(options), bool(aipw))
        return Effect._from_core(raw, y, "ATO" if key == "OVERLAP" else None)

    def survival(
        self,
        time: Union[str, np.ndarray, pd.Series],
        event: Union[str, np.ndarray, pd.Series],
        tau: float,
        *,
        competing: Union[None, str, np.ndarray, pd.Series] = None,
        cluster: Optional[str] = None,
    ) -> "MatchedSurvival":
        """Censored durations in the matched set: weighted Kaplan–Meier curves per arm, the RMST
        difference up to ``tau`` with a pair-clustered SE (or clustered on ``cluster``), medians,
        cumulative incidence of the event with ``competing`` exits apart, and a marginal Cox hazard
        ratio with a robust SE.

        ``event`` is 1 when the event happened and 0 when the duration was still running at the data
        cut (censored); ``competing`` (optional) is 1 when another exit ended the wait.

        >>> import pandas as pd, raa_impact as ri
        >>> df = pd.DataFrame({"t": [1, 1, 1, 0, 0, 0, 0, 0],
        ...                    "days": [100., 150, 200, 180, 220, 300, 50, 60],
        ...                    "placed": [1, 1, 0, 1, 1, 0, 1, 1]})
        >>> m = ri.match(df, "t", score=[0.8, 0.6, 0.5, 0.7, 0.55, 0.45, 0.3, 0.1])
        >>> s = m.survival("days", "placed", tau=200)
        >>> s.rmst["estimate"] < 0
        True
        """
        t = self._column(time, "time")
        ev = self._column(event, "event")
        bad = ~np.isin(ev, [0.0, 1.0])
        if bad.any():
            raise ArgumentError(f"invalid argument `event`: row {int(np.flatnonzero(bad)[0])} is not 0 or 1")
        status = ev.astype(np.uint8)
        if competing is not None:
            comp = self._column(competing, "competing")
            both = (comp == 1) & (ev == 1)
            if both.any():
                raise ArgumentError(
                    f"invalid argument `competing`: row {int(np.flatnonzero(both)[0])} has both the event and a competing exit"
                )
            status[comp == 1] = 2
        cluster_arr = None if cluster is None else id_keys(self._data, cluster, self._design.rows)
        raw = self._inner.survival(np.ascontiguousarray(t), status, float(tau), cluster_arr)
        return MatchedSurvival(json.loads(raw), time if isinstance(time, str) else "time")

    def sensitivity(
        self,
        y: Union[str, np.ndarray, pd.Series],
        effect: Optional[Effect] = None,
        gammas: Sequence[float] = (1.0, 1.1, 1.2, 1.3, 1.5, 1.75, 2.0, 2.5, 3.0),
        alpha: float = 0.05,
    ) -> "SensitivityResult":
        """Rosenbaum bounds (1:1 pairs, Wilcoxon signed-rank, in the direction of the estimate) at each
        Γ, the critical Γ at ``alpha``, and the E-value of the effect on ``y``."""
        effect = effect or self.effect(y)
        if not effect._core_json:
            raise ArgumentError("invalid argument `effect`: give an Effect returned by effect() or weighting()")
        raw = self._inner.sensitivity(np.ascontiguousarray(self._column(y, "y")), effect._core_json,
                                      [float(g) for g in gammas], float(alpha))
        return SensitivityResult(json.loads(raw))

    def plot_love(self, ax: Any = None, threshold: float = 0.1, absolute: bool = True) -> Any:
        """Love plot: standardised mean differences before and after matching, per covariate."""
        import matplotlib.pyplot as plt

        b = self.balance()
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.35 * len(b) + 1.5))
        before, after = b["before_std_mean_diff"], b["after_std_mean_diff"]
        if absolute:
            before, after = before.abs(), after.abs()
        pos = np.arange(len(b))[::-1]
        ax.scatter(before, pos, marker="o", facecolors="none", edgecolors="C3", label="All")
        ax.scatter(after, pos, marker="o", color="C0", label="Matched")
        ax.set_yticks(pos)
        ax.set_yticklabels(b.index)
        for x in ([threshold] if absolute else [-threshold, threshold]):
            ax.axvline(x, color="grey", linestyle="--", linewidth=0.8)
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_xlabel(("Absolute s" if absolute else "S") + "tandardised mean difference")
        ax.set_title("Covariate balance")
        ax.legend(loc="best")
        return ax

    def plot_overlap(self, ax: Any = None, bins: int = 30) -> Any:
        """Distributions of the distance (score) by group, all units and the matched set."""
        import matplotlib.pyplot as plt

        if self.distance is None:
            raise ArgumentError("plot_overlap needs a score-based distance")
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        d, t, w = self.distance.to_numpy(), self.treated, self.weights.to_numpy()
        edges = np.histogram_bin_edges(d, bins=bins)
        for group, name, color in ((True, "treated", "C1"), (False, "control", "C0")):
            sel = t == group
            ax.hist(d[sel], bins=edges, density=True, histtype="step", linestyle="--", color=color,
                    label=f"{name}, all")
            if w[sel].sum() > 0:
                ax.hist(d[sel], bins=edges, weights=w[sel], density=True, histtype="stepfilled", alpha=0.3,
                        color=color, label=f"{name}, matched")
        ax.set_xlabel("distance (" + self.options["distance"].lower() + ")")
        ax.set_ylabel("density")
        ax.set_title("Overlap of the score")
        ax.legend(loc="best")
        return ax

    def __repr__(self) -> str:
        ss = self.sample_sizes()
        return (
            f"<MatchResult {self.options['estimand'].upper()} {self.options['ratio']}:1 "
            f"{'with' if self.options['replace'] else 'without'} replacement, distance "
            f"{self.options['distance'].lower()}: {int(ss.loc['Matched', 'Treated'])} treated and "
            f"{int(ss.loc['Matched', 'Control'])} controls matched>"
        )


class MatchedSurvival:
    """Survival analysis of a censored duration in a matched set (see :meth:`MatchResult.survival`)."""

    def __init__(self, raw: Dict[str, Any], outcome: str):
        self._raw = raw
        self.outcome = outcome
        self.tau: float = raw["tau"]
        self.rmst: Dict[str, Any] = raw["rmst"]
        self.cox: Dict[str, Any] = raw["cox"]
        self.median_treated: Optional[float] = raw["median_treated"]
        self.median_control: Optional[float] = raw["median_control"]
        events, censored, competing = raw["counts"]
        self.counts = {"event": events, "censored": censored, "competing": competing}

    def km(self) -> pd.DataFrame:
        """Both Kaplan–Meier curves, long format: arm, time, n_risk, n_event, survival, std_err, lower, upper."""
        frames = []
        for arm in ("treated", "control"):
            k = self._raw[f"km_{arm}"]
            frames.append(pd.DataFrame({
                "arm": arm, "time": k["time"], "n_risk": k["n_risk"], "n_event": k["n_event"],
                "n_censor": k["n_censor"], "survival": k["survival"], "std_err": k["std_err"],
                "lower": k["lower"], "upper": k["upper"],
            }))
        return pd.concat(frames, ignore_index=True)

    def incidence(self) -> pd.DataFrame:
        """Cumulative incidence of the event per arm (Aalen–Johansen), long format."""
        frames = [pd.DataFrame({"arm": arm, **{k: self._raw[f"incidence_{arm}"][k] for k in ("time", "incidence", "std_err")}})
                  for arm in ("treated", "control")]
        return pd.concat(frames, ignore_index=True)

    def to_frame(self) -> pd.DataFrame:
        """The headline numbers in one row."""
        r, c = self.rmst, self.cox
        return pd.DataFrame([{
            "outcome": self.outcome, "tau": self.tau, "rmst_treated": r["rmst_treated"],
            "rmst_control": r["rmst_control"], "rmst_difference": r["estimate"], "se": r["se"],
            "ci_lower": r["ci"][0], "ci_upper": r["ci"][1], "median_treated": self.median_treated,
            "median_control": self.median_control, "hazard_ratio": c["hazard_ratio"],
            "hr_ci_lower": c["ci"][0], "hr_ci_upper": c["ci"][1], **self.counts,
        }])

    def summary(self) -> str:
        r, c = self.rmst, self.cox
        return (
            f"Censored outcome {self.outcome} in the matched set "
            f"({self.counts['event']} events, {self.counts['censored']} censored, {self.counts['competing']} competing exits)\n"
            f"  RMST to {self.tau:g}: treated {r['rmst_treated']:.2f}, control {r['rmst_control']:.2f}, "
            f"difference {r['estimate']:.2f} (SE {r['se']:.2f}, 95% CI {r['ci'][0]:.2f} to {r['ci'][1]:.2f}; {r['se_method']})\n"
            f"  median: treated {self.median_treated}, control {self.median_control}\n"
            f"  Cox hazard ratio {c['hazard_ratio']:.3f} (95% CI {c['ci'][0]:.3f} to {c['ci'][1]:.3f}, p {c['p_value']:.4g})"
        )

    __repr__ = summary

    def plot(self, ax: Any = None) -> Any:
        """Kaplan–Meier curves with their 95% bands, the RMST horizon marked."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        km = self.km()
        for arm, color in (("treated", "C1"), ("control", "C0")):
            k = km[km["arm"] == arm]
            t = np.concatenate([[0.0], k["time"].to_numpy()])
            s = np.concatenate([[1.0], k["survival"].to_numpy()])
            ax.step(t, s, where="post", color=color, label=arm)
            lo = np.concatenate([[1.0], k["lower"].to_numpy()])
            hi = np.concatenate([[1.0], k["upper"].to_numpy()])
            ax.fill_between(t, lo, hi, step="post", color=color, alpha=0.15)
        ax.axvline(self.tau, color="grey", linestyle=":", label=f"tau = {self.tau:g}")
        ax.set_xlabel(self.outcome)
        ax.set_ylabel("still waiting (Kaplan–Meier)")
        ax.set_ylim(0, 1.02)
        ax.legend(loc="best")
        return ax


class SensitivityResult:
    """Rosenbaum bounds and E-value (see :meth:`MatchResult.sensitivity`)."""

    def __init__(self, raw: Dict[str, Any]):
        self.rosenbaum = None if raw["rosenbaum"] is None else pd.DataFrame(raw["rosenbaum"])
        self.gamma_critical: Optional[float] = raw["gamma_critical"]
        self.reversed: bool = raw["reversed"]
        self.evalue: Dict[str, float] = raw["evalue"]

    def summary(self) -> str:
        lines = [f"E-value: point {self.evalue['point']:.3f}, confidence limit {self.evalue['ci_limit']:.3f}"]
        if self.rosenbaum is not None:
            lines.append(f"Rosenbaum bounds (signed-rank, {'control − treated' if self.reversed else 'treated − control'}):")
            lines.append(self.rosenbaum.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
            lines.append(f"critical Gamma: {self.gamma_critical:.3f}")
        return "\n".join(lines)

    __repr__ = summary


class MatchSummary:
    """Printed like MatchIt's ``summary()``; the tables are in ``.all``, ``.matched``, ``.sample_sizes``."""

    _COLUMNS = [("mean_treated", "Means Treated"), ("mean_control", "Means Control"),
                ("std_mean_diff", "Std. Mean Diff."), ("var_ratio", "Var. Ratio"),
                ("ecdf_mean", "eCDF Mean"), ("ecdf_max", "eCDF Max")]

    def __init__(self, m: MatchResult):
        b = m.balance()
        self.all = pd.DataFrame({label: b[f"before_{k}"] for k, label in self._COLUMNS})
        self.matched = pd.DataFrame({label: b[f"after_{k}"] for k, label in self._COLUMNS})
        self.sample_sizes = m.sample_sizes()
        self.warnings = m.warnings
        self.n_dropped_missing = m.n_dropped_missing

    def __str__(self) -> str:
        fmt = lambda t: t.to_string(float_format=lambda v: f"{v:.4f}", na_rep="")  # noqa: E731
        parts = ["Summary of Balance for All Data:", fmt(self.all), "",
                 "Summary of Balance for Matched Data:", fmt(self.matched), "",
                 "Sample Sizes:", self.sample_sizes.to_string(float_format=lambda v: f"{v:.2f}".rstrip("0").rstrip("."))]
        if self.n_dropped_missing:
            parts.append(f"\n{self.n_dropped_missing} rows with missing covariates were dropped before matching.")
        parts.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(parts)

    __repr__ = __str__
