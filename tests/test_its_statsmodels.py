"""ri.its against statsmodels on many generated series (issue 5: "parity tests against statsmodels").

Each test generates seeded series (lengths 24-120, various interruptions, trends, noise, with
and without covariates, seasonality, offsets and weights), builds the segmented design by hand
(``(Intercept)``, ``time`` = t, ``step`` = 1[t >= T], ``slope`` = (t - T) * 1[t >= T] with
T = T0 + bed_in, Fourier ``season_sin{k}``/``season_cos{k}`` = sin/cos(2 pi k s / period), then the
covariates), fits it with statsmodels and compares with ri.its term by term.

Tolerances: closed-form least squares (OLS, WLS, Newey-West) agree to rounding (1e-8 relative);
iteratively reweighted fits (GLM families) are run to tight convergence on both sides, so 1e-7
relative; NB2's theta comes from a numerical optimiser on each side, so 1e-5 relative (the
log-likelihood is flat in theta near its maximum, which the tolerance on parameters reflects).

Prais-Winsten is not compared: statsmodels has no Prais-Winsten that keeps the first row (GLSAR
is iterated Cochrane-Orcutt and drops it), and ri.its offers no Cochrane-Orcutt.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import raa_impact as ri

sm = pytest.importorskip("statsmodels.api")

N_SERIES = 25


# --------------------------------------------------------------------------- helpers


def _series(rng, *, covariates=0, seasonal=False, bed_in=False):
    """One generated series: a DataFrame with t (random start), an interruption T0, and extras.

    The outcome is filled in by the caller (it depends on the family); `eta` is a linear
    predictor on an arbitrary scale (trend, level change, slope change, AR(1) noise) to build it.
    """
    n = int(rng.integers(24, 121))
    start = int(rng.integers(-10, 60))
    t = np.arange(start, start + n, dtype=float)
    b = int(rng.integers(0, 4)) if bed_in else 0
    # At least 6 pre and 6 post points (after any bed-in).
    t0 = float(t[int(rng.integers(6, n - 6 - b))])
    d = pd.DataFrame({"t": t})
    for j in range(covariates):
        d[f"x{j + 1}"] = rng.normal(size=n) * rng.uniform(0.5, 3)
    if seasonal:
        d["month"] = (t - 1) % 12 + 1
    phi = rng.uniform(-0.3, 0.8)
    e = np.zeros(n)
    e[0] = rng.normal()
    for i in range(1, n):
        e[i] = phi * e[i - 1] + rng.normal()
    post = t >= t0 + b
    eta = (rng.normal() * 0.02 * (t - t.mean()) + rng.normal() * 0.5 * post
           + rng.normal() * 0.02 * (t - t0 - b) * post + 0.3 * e)
    if seasonal:
        eta = eta + 0.3 * np.sin(2 * np.pi * d["month"].to_numpy() / 12)
    for j in range(covariates):
        eta = eta + 0.1 * rng.normal() * d[f"x{j + 1}"].to_numpy()
    return d, t0, b, eta


def _design(d, t0, *, bed_in=0, covariates=(), seasonality=None, impact=("step", "slope")):
    """The segmented design ri.its documents, by hand, rows in the transition left out.

    Returns (X DataFrame with ri.its' term names and order, boolean mask of rows kept).
    """
    t = d["t"].to_numpy(dtype=float)
    big_t = t0 + bed_in
    keep = ~((t >= t0) & (t < big_t))
    post = (t >= big_t).astype(float)
    cols = {"(Intercept)": np.ones_like(t), "time": t}
    if "step" in impact:
        cols["step"] = post
    if "slope" in impact:
        cols["slope"] = (t - big_t) * post
    if seasonality is not None:
        s = d[seasonality["column"]].to_numpy(dtype=float)
        for k in range(1, seasonality.get("harmonics", 1) + 1):
            w = 2 * np.pi * k / seasonality["period"]
            cols[f"season_sin{k}"] = np.sin(w * s)
            cols[f"season_cos{k}"] = np.cos(w * s)
    for c in covariates:
        cols[c] = d[c].to_numpy(dtype=float)
    return pd.DataFrame(cols)[keep].reset_index(drop=True), keep


def _table(r):
    """ri.its' coefficient table indexed by term."""
    return r.coefficients().set_index("term")


def _rel(a, b):
    """Worst relative difference, |a - b| / max(|b|, tiny)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def _check(ours, theirs, rel, what, abs_=0.0):
    """Assert elementwise closeness with a message naming the quantity."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    assert np.allclose(ours, theirs, rtol=rel, atol=abs_), (
        f"{what}: worst relative difference {_rel(ours, theirs):.3g}\nours   {ours}\ntheirs {theirs}")


def _check_ci(c, fit):
    """95% interval bounds to 1e-8 relative, with a floor of 1e-8 standard errors: a bound is
    estimate - t * se, so where the two nearly cancel (a bound near zero) its relative error is
    the components' error magnified, and the SE is the scale the interval is known to."""
    ci, se = fit.conf_int(0.05), np.asarray(fit.bse, dtype=float)
    for ours, theirs, what in ((c["ci_low"], ci[0], "ci_low"), (c["ci_high"], ci[1], "ci_high")):
        ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
        assert np.all(np.abs(ours - theirs) <= 1e-8 * (np.abs(theirs) + se)), (
            f"{what}: worst difference in SEs {np.max(np.abs(ours - theirs) / se):.3g}\nours   {ours}\ntheirs {theirs}")


def _check_ls_params(ours, fit):
    """Least-squares estimates: 1e-8 relative, or 1e-8 standard errors for a coefficient small
    next to the others (rounding error in a least-squares solve scales with the whole
    coefficient vector and the design's conditioning, not with each coefficient's own size)."""
    _check(ours, fit.params, 1e-8, "params", abs_=1e-8 * np.asarray(fit.bse))


def _default_lag(n):
    """Newey-West's rule, floor(4 (n/100)^(2/9)) (statsmodels needs maxlags given)."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


# --------------------------------------------------------------------------- Gaussian


def _gaussian_case(rng, k):
    covs = [f"x{j + 1}" for j in range(k % 3)]
    seasonality = {"column": "month", "period": 12, "harmonics": 1 + k % 2} if k % 4 == 1 else None
    d, t0, b, eta = _series(rng, covariates=len(covs), seasonal=seasonality is not None, bed_in=k % 5 == 2)
    level = rng.choice([0.0, 10.0, 1000.0])
    d["y"] = level + eta * rng.uniform(0.5, 20)
    X, keep = _design(d, t0, bed_in=b, covariates=covs, seasonality=seasonality)
    y = d["y"].to_numpy()[keep]
    kw = dict(covariates=covs, seasonality=seasonality, bed_in=b)
    return d, t0, X, y, kw, keep


@pytest.mark.parametrize("seed", [1, 2])
def test_ols_matches_statsmodels(seed):
    """OLS: estimates, se, t-statistics, p-values (t on n - p df), 95% CIs, sigma^2 and log-lik.

    Closed-form least squares on both sides: 1e-8 relative. P-values below 1e-12 are compared
    absolutely (tail evaluations differ in the last bits there).
    """
    rng = np.random.default_rng(seed)
    for k in range(N_SERIES):
        d, t0, X, y, kw, keep = _gaussian_case(rng, k)
        r = ri.its(d, outcome="y", time="t", interruption=t0, **kw)
        f = sm.OLS(y, X).fit()
        c = _table(r).loc[list(X.columns)]
        assert r.n_used == len(y)
        _check_ls_params(c["estimate"], f)
        _check(c["se"], f.bse, 1e-8, "bse")
        _check(c["statistic"], f.tvalues, 1e-8, "t")
        _check(c["p_value"], f.pvalues, 1e-8, "p", abs_=1e-12)
        _check_ci(c, f)
        assert r.df_resid == pytest.approx(f.df_resid)
        _check(r.dispersion, f.scale, 1e-8, "sigma^2")
        _check(r.log_likelihood, f.llf, 1e-8, "llf")


@pytest.mark.parametrize("seed", [3])
def test_ols_information_criteria_count_sigma_like_r(seed):
    """AIC/BIC: ri.its counts sigma^2 as a parameter (R's AIC(lm), logLik df = p + 1);
    statsmodels' OLS counts only the p coefficients. So ours = statsmodels' + 2 (AIC) and
    + log(n) (BIC), to 1e-8 relative."""
    rng = np.random.default_rng(seed)
    for k in range(N_SERIES):
        d, t0, X, y, kw, keep = _gaussian_case(rng, k)
        r = ri.its(d, outcome="y", time="t", interruption=t0, **kw)
        f = sm.OLS(y, X).fit()
        _check(r.aic, f.aic + 2, 1e-8, "aic")
        _check(r.bic, f.bic + np.log(len(y)), 1e-8, "bic")


def test_wls_precision_weights_match_statsmodels():
    """WLS with precision weights (e.g. children per cell behind a mean duration): estimates,
    se, sigma^2 (weighted residual variance) and log-lik (with the 0.5 sum log w term, as R's
    logLik(lm(weights=))), 1e-8 relative."""
    rng = np.random.default_rng(4)
    for k in range(N_SERIES):
        d, t0, X, y, kw, keep = _gaussian_case(rng, k)
        d["w"] = rng.integers(1, 40, size=len(d)).astype(float)
        w = d["w"].to_numpy()[keep]
        r = ri.its(d, outcome="y", time="t", interruption=t0, weights="w", **kw)
        f = sm.WLS(y, X, weights=w).fit()
        c = _table(r).loc[list(X.columns)]
        _check_ls_params(c["estimate"], f)
        _check(c["se"], f.bse, 1e-8, "bse")
        _check(r.dispersion, f.scale, 1e-8, "sigma^2")
        _check(r.log_likelihood, f.llf, 1e-8, "llf")


@pytest.mark.parametrize("adjust", [False, True])
def test_newey_west_matches_statsmodels_hac(adjust):
    """Newey-West (Bartlett kernel, no prewhitening) with lags L given: se to 1e-8 relative.

    `adjust=True` is the n / (n - p) small-sample scaling: statsmodels' use_correction=True.
    P-values: statsmodels uses the normal for HAC unless use_t=True; ri.its uses t(n - p) for
    Gaussian fits, so we compare with statsmodels' use_t=True (the comparable choice).
    """
    rng = np.random.default_rng(5 + adjust)
    for k in range(N_SERIES):
        d, t0, X, y, kw, keep = _gaussian_case(rng, k)
        lags = int(rng.integers(0, 7))
        r = ri.its(d, outcome="y", time="t", interruption=t0, errors="newey_west", lags=lags,
                   adjust=adjust, **kw)
        f = sm.OLS(y, X).fit(cov_type="HAC", use_t=True,
                             cov_kwds={"maxlags": lags, "use_correction": adjust})
        c = _table(r).loc[list(X.columns)]
        _check_ls_params(c["estimate"], f)
        _check(c["se"], f.bse, 1e-8, f"HAC bse (L={lags}, adjust={adjust})")
        _check(c["p_value"], f.pvalues, 1e-8, "p (t)", abs_=1e-12)
        _check_ci(c, f)


def test_newey_west_default_lag_is_the_rule_of_thumb():
    """lags=None means floor(4 (n/100)^(2/9)) on the rows used; statsmodels is given that lag.
    Se to 1e-8 relative."""
    rng = np.random.default_rng(7)
    for k in range(N_SERIES):
        d, t0, X, y, kw, keep = _gaussian_case(rng, k)
        r = ri.its(d, outcome="y", time="t", interruption=t0, errors="newey_west", **kw)
        f = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": _default_lag(len(y))})
        _check(_table(r).loc[list(X.columns), "se"], f.bse, 1e-8, f"HAC bse (n={len(y)})")


# ri.its centres and scales its design columns before fitting (a time in calendar units once made
# X'WX look singular), so large time values must fit as statsmodels fits them.
def test_large_time_values_are_not_rank_deficient():
    """A time index in the tens of thousands (days since 1970 run past 20,000; spreadsheet serial
    dates past 45,000) gives a design that statsmodels fits without trouble (condition number
    1e8-1e9, far from singular in double precision). ri.its should fit it too; params compared
    to 1e-6 relative (loose: the design is ill-conditioned)."""
    rng = np.random.default_rng(8)
    for start in (30000, 45000, 100000):
        for n in (24, 60, 120):
            t = np.arange(start, start + n, dtype=float)
            d = pd.DataFrame({"t": t, "y": 10 + 0.5 * (t - start) + rng.normal(size=n)})
            t0 = t[n // 2]
            X, _ = _design(d, t0)
            f = sm.OLS(d["y"].to_numpy(), X).fit()
            assert np.linalg.matrix_rank(X.to_numpy()) == X.shape[1]
            r = ri.its(d, outcome="y", time="t", interruption=t0)
            c = _table(r).loc[list(X.columns)]
            _check(c["estimate"], f.params, 1e-6, f"params (t from {start})", abs_=1e-6 * f.bse.to_numpy())
            _check(c["se"], f.bse, 1e-6, "bse")


# --------------------------------------------------------------------------- count families
#
# ri.its fits GLMs exactly as R's glm.fit does (start mu = y + 0.1 for counts, IRLS stopped when
# |dev - dev_old| / (|dev| + 0.1) < 1e-8, and the covariance, Pearson dispersion and sandwich
# taken from the last iteration's working weights, i.e. at the previous iterate's mu). statsmodels
# is run here to convergence (tol 1e-13) and evaluates everything at the final estimate.
# Hence three kinds of comparison:
#   * estimates, log-likelihood, AIC, theta: the converged values, to a tolerance set by R's
#     stopping rule (estimates within 1e-6 standard errors; observed <= 2e-8 se);
#   * se, dispersion, statistics, CIs (coarse guard, 5e-4 relative): what the one-step-stale
#     working weights can move them (observed <= 6e-5 relative on se and the Pearson
#     dispersion, 1e-4 se on CI bounds); any formula error (t vs z, df, n/(n-p)) is >= 1e-2;
#   * the same at 1e-7 relative, xfail(strict) except NB2 (whose se come from statsmodels'
#     GLM at ri.its' theta and agree): the mismatch, reported to the lead.

GLM_TOL = 1e-7  # statsmodels' IRLS converged to 1e-13: what "the same number" should mean
STALE_TOL = 5e-4  # R-style stale working weights: observed <= 6e-5 on se, 1e-4 on CI bounds (se units)
FAMILIES = ["poisson", "quasipoisson", "binomial", "negbin", "poisson_hac", "poisson_hac_adjusted"]


def _count_case(rng, k, *, mean=None):
    """Counts with a log-link mean exp(log(pop) + eta), pop varying over time."""
    covs = [f"x{j + 1}" for j in range(k % 2)]
    seasonality = {"column": "month", "period": 12, "harmonics": 1} if k % 3 == 1 else None
    d, t0, b, eta = _series(rng, covariates=len(covs), seasonal=seasonality is not None)
    n = len(d)
    d["pop"] = rng.uniform(1e3, 1e5) * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    rate = (mean if mean is not None else rng.uniform(2, 200)) / d["pop"].mean()
    mu = d["pop"].to_numpy() * rate * np.exp(eta)
    d["log_pop"] = np.log(d["pop"])
    X, keep = _design(d, t0, covariates=covs, seasonality=seasonality)
    kw = dict(covariates=covs, seasonality=seasonality)
    return d, t0, X, keep, mu, kw


def _glm_fit(y, X, family, offset, **fit):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(y, X, family=family, offset=offset).fit(tol=1e-13, maxiter=200, **fit)


def _glm_cases(family):
    """(ri result, statsmodels GLM result for inference, statsmodels result for the estimates,
    X) for N_SERIES generated series of one family; cached (several tests read them)."""
    if family in _GLM_CACHE:
        return _GLM_CACHE[family]
    rng = np.random.default_rng(10 + FAMILIES.index(family))
    out = []
    for k in range(N_SERIES):
        if family == "binomial":
            covs = [f"x{j + 1}" for j in range(k % 2)]
            d, t0, _, eta = _series(rng, covariates=len(covs))
            trials = rng.integers(5, 200, size=len(d))
            succ = rng.binomial(trials, 1 / (1 + np.exp(-(rng.uniform(-2, 2) + eta))))
            d["trials"], d["prop"] = trials.astype(float), succ / trials
            X, _ = _design(d, t0, covariates=covs)
            r = ri.its(d, outcome="prop", time="t", interruption=t0, family="binomial", weights="trials",
                       covariates=covs)
            f = _glm_fit(np.column_stack([succ, trials - succ]), X, sm.families.Binomial(), None)
            out.append((r, f, f, X))
            continue
        d, t0, X, keep, mu, kw = _count_case(rng, k, mean=rng.uniform(5, 100) if family == "negbin" else None)
        off = d["log_pop"][keep].to_numpy()
        if family == "negbin":
            theta = rng.uniform(2, 30)
            d["y"] = rng.negative_binomial(theta, theta / (theta + mu)).astype(float)
        elif family == "quasipoisson":  # overdispersed: a gamma-mixed Poisson
            d["y"] = rng.poisson(mu * rng.gamma(5, 1 / 5, size=len(mu))).astype(float)
        else:
            d["y"] = rng.poisson(mu).astype(float)
        y = d["y"][keep].to_numpy()
        if family == "negbin":
            r = ri.its(d, outcome="y", time="t", interruption=t0, family="negbin", exposure="pop", **kw)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = sm.NegativeBinomial(y, X, loglike_method="nb2", offset=off)
                # BFGS from statsmodels' own start (Poisson fit), then Newton to polish.
                rough = model.fit(method="bfgs", maxiter=2000, gtol=1e-8, disp=0)
                est = model.fit(start_params=rough.params, method="newton", maxiter=100, tol=1e-12, disp=0)
            # Se as R's glm.nb reports them: the GLM information with theta fixed at its estimate.
            f = _glm_fit(y, X, sm.families.NegativeBinomial(alpha=1 / r.theta), off)
            out.append((r, f, est, X))
            continue
        if family.startswith("poisson_hac"):
            adjust = family.endswith("adjusted")
            lags = int(rng.integers(0, 6))
            r = ri.its(d, outcome="y", time="t", interruption=t0, family="poisson", exposure="pop",
                       errors="newey_west", lags=lags, adjust=adjust, **kw)
            # adjust=True is the n / (n - p) scaling: statsmodels' use_correction=True.
            f = _glm_fit(y, X, sm.families.Poisson(), off, cov_type="HAC",
                         cov_kwds={"maxlags": lags, "use_correction": adjust})
        elif family == "quasipoisson":
            r = ri.its(d, outcome="y", time="t", interruption=t0, family="quasipoisson", exposure="pop", **kw)
            # Pearson dispersion (scale="X2"); R's quasipoisson uses t(n - p): use_t=True.
            f = _glm_fit(y, X, sm.families.Poisson(), off, scale="X2", use_t=True)
        else:
            # Alternate exposure= (logged by ri.its) and offset= (already on the log scale).
            how = {"exposure": "pop"} if k % 2 else {"offset": "log_pop"}
            r = ri.its(d, outcome="y", time="t", interruption=t0, family="poisson", **how, **kw)
            f = _glm_fit(y, X, sm.families.Poisson(), off)
        out.append((r, f, f, X))
    _GLM_CACHE[family] = out
    return out


_GLM_CACHE: dict = {}


@pytest.mark.parametrize("family", FAMILIES)
def test_glm_estimates_match_statsmodels(family):
    """Estimates (and rate / odds ratios) within 1e-6 se of statsmodels' converged ones (R's
    stopping rule; observed <= 2e-8 se); log-likelihood and AIC 1e-8 relative (flat at the
    optimum: second order in the estimates' error). R's and statsmodels' AIC agree for these
    families (2p; NB2 counts theta: 2(p + 1), statsmodels' discrete model does too).
    NB2: estimates and theta = 1/alpha against statsmodels' discrete NegativeBinomial
    (nb2, Newton to 1e-12), 1e-5 relative: two optimisers on a likelihood flat in theta."""
    for r, f, est, X in _glm_cases(family):
        c = _table(r).loc[list(X.columns)]
        if family == "negbin":
            _check(c["estimate"], est.params.iloc[:-1], 1e-5, "params (NB2 ML)", abs_=1e-8)
            _check(r.theta, 1 / est.params.iloc[-1], 1e-5, "theta")
            _check(r.log_likelihood, est.llf, 1e-8, "llf")
            _check(r.aic, est.aic, 1e-8, "aic")
        elif family != "quasipoisson":  # quasi-Poisson: no likelihood, no AIC (R gives NA)
            _check(r.log_likelihood, est.llf, 1e-8, "llf")
            _check(r.aic, est.aic, 1e-8, "aic")
        gap = np.abs(c["estimate"].to_numpy() - f.params.to_numpy()) / f.bse.to_numpy()
        assert gap.max() < 1e-6, f"estimates differ by {gap.max():.3g} se"
        _check(c["ratio"], np.exp(c["estimate"]), 1e-12, "ratio = exp(estimate)")


def _inference_gaps(family):
    """Worst relative differences of the inference quantities over the series of one family.

    P-values are left out: their relative error is the statistic's times about z^2 (a 3e-5
    relative change in z = 35 moves p by 4%), so they are checked instead against the
    reference distribution at ri.its' own statistic (test below).
    """
    worst = {}
    for r, f, _, X in _glm_cases(family):
        c = _table(r).loc[list(X.columns)]
        se = f.bse.to_numpy()
        if family == "quasipoisson":
            # ri.its gives quasi-Poisson Wald intervals with the normal quantile (as the Sicily
            # oracle, R's confint.default) but t(n - p) p-values (R's summary.glm); statsmodels'
            # use_t=True fit would use t for both, so build the z interval from its params, bse.
            z = stats.norm.ppf(0.975)
            ci = (f.params - z * f.bse, f.params + z * f.bse)
        else:
            ci = f.conf_int(0.05)
        stat = np.asarray(f.tvalues)
        pairs = {"se": (c["se"], f.bse),
                 # Statistics near zero: differences relative to max(1, |z|).
                 "statistic": ((c["statistic"] - stat) / np.maximum(1, np.abs(stat)) + 1, 1),
                 # CI bounds can sit near zero: their differences in units of the se.
                 "ci_low": ((c["ci_low"] - ci[0]) / se + 1, 1), "ci_high": ((c["ci_high"] - ci[1]) / se + 1, 1)}
        if family in ("quasipoisson",):
            pairs["dispersion"] = (r.dispersion, f.scale)
        for name, (a, b) in pairs.items():
            worst[name] = max(worst.get(name, 0.0), _rel(a, b))
    return worst


@pytest.mark.parametrize("family", FAMILIES)
def test_glm_p_values_follow_the_reference_distribution(family):
    """p = 2 P(|T| > |statistic|) with T normal (statsmodels' GLM default), or t(n - p) for
    quasi-Poisson (statsmodels' use_t=True, R's summary.glm); scipy as the reference, 1e-8
    relative (1e-15 absolute for tail values)."""
    for r, f, _, X in _glm_cases(family):
        c = _table(r).loc[list(X.columns)]
        dist = stats.t(f.df_resid) if family == "quasipoisson" else stats.norm
        _check(c["p_value"], 2 * dist.sf(np.abs(c["statistic"])), 1e-8, "p", abs_=1e-15)


@pytest.mark.parametrize("family", FAMILIES)
def test_glm_inference_matches_statsmodels_to_r_convergence(family):
    """Se, statistics (z; t for quasi-Poisson), Wald CIs and the Pearson dispersion:
    1e-4 relative, the most R's one-step-stale working weights move them (see the section
    comment); the strict comparison is the xfail test below."""
    worst = _inference_gaps(family)
    assert max(worst.values()) < STALE_TOL, worst


_STALE = pytest.mark.xfail(strict=True, reason=(
    "ri.its takes the GLM covariance, Pearson dispersion and HAC meat from the last IRLS "
    "iteration's working weights (R glm.fit's convention, stopping at relative deviance change "
    "< 1e-8), not at the final estimate as statsmodels does: se differ up to ~6e-5 relative, "
    "the quasi-Poisson dispersion up to ~5e-5"))


@pytest.mark.parametrize("family", [f if f == "negbin" else pytest.param(f, marks=_STALE) for f in FAMILIES])
def test_glm_inference_at_the_converged_estimate(family):
    """Se, statistics, CIs and dispersion evaluated at the converged estimate, as statsmodels
    reports them: 1e-7 relative."""
    worst = _inference_gaps(family)
    assert max(worst.values()) < GLM_TOL, worst
