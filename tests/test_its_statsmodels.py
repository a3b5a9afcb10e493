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
        _check(c["estimate"], f.params, 1e-8, "params")
        _check(c["se"], f.bse, 1e-8, "bse")
        _check(c["statistic"], f.tvalues, 1e-8, "t")
        _check(c["p_value"], f.pvalues, 1e-8, "p", abs_=1e-12)
        ci = f.conf_int(0.05)
        _check(c["ci_low"], ci[0], 1e-8, "ci_low")
        _check(c["ci_high"], ci[1], 1e-8, "ci_high")
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
        _check(c["estimate"], f.params, 1e-8, "params")
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
        _check(c["estimate"], f.params, 1e-8, "params")
        _check(c["se"], f.bse, 1e-8, f"HAC bse (L={lags}, adjust={adjust})")
        _check(c["p_value"], f.pvalues, 1e-8, "p (t)", abs_=1e-12)
        ci = f.conf_int(0.05)
        _check(c["ci_low"], ci[0], 1e-8, "ci_low")
        _check(c["ci_high"], ci[1], 1e-8, "ci_high")


def test_newey_west_default_lag_is_the_rule_of_thumb():
    """lags=None means floor(4 (n/100)^(2/9)) on the rows used; statsmodels is given that lag.
    Se to 1e-8 relative."""
    rng = np.random.default_rng(7)
    for k in range(N_SERIES):
        d, t0, X, y, kw, keep = _gaussian_case(rng, k)
        r = ri.its(d, outcome="y", time="t", interruption=t0, errors="newey_west", **kw)
        f = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": _default_lag(len(y))})
        _check(_table(r).loc[list(X.columns), "se"], f.bse, 1e-8, f"HAC bse (n={len(y)})")


# --------------------------------------------------------------------------- count families

GLM_TOL = 1e-7  # both sides IRLS to tight convergence


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


def test_poisson_with_exposure_and_offset_matches_statsmodels():
    """Poisson, log link: exposure= (logged by ri.its) and offset= (already logged) give the same
    fit as statsmodels' GLM with offset log(pop). Estimates, se, z-statistics, p-values (normal),
    Wald CIs and log-lik/AIC (R's and statsmodels' AIC agree for Poisson: 2p)."""
    rng = np.random.default_rng(11)
    for k in range(N_SERIES):
        d, t0, X, keep, mu, kw = _count_case(rng, k)
        d["y"] = rng.poisson(mu).astype(float)
        f = _glm_fit(d["y"][keep].to_numpy(), X, sm.families.Poisson(), d["log_pop"][keep].to_numpy())
        ci = f.conf_int(0.05)
        for how in ({"exposure": "pop"}, {"offset": "log_pop"}):
            r = ri.its(d, outcome="y", time="t", interruption=t0, family="poisson", **how, **kw)
            c = _table(r).loc[list(X.columns)]
            _check(c["estimate"], f.params, GLM_TOL, f"params {how}")
            _check(c["se"], f.bse, GLM_TOL, "bse")
            _check(c["statistic"], f.tvalues, GLM_TOL, "z")
            _check(c["p_value"], f.pvalues, GLM_TOL, "p", abs_=1e-12)
            _check(c["ci_low"], ci[0], GLM_TOL, "ci_low")
            _check(c["ci_high"], ci[1], GLM_TOL, "ci_high")
            _check(c["ratio"], np.exp(f.params), GLM_TOL, "rate ratio")
            _check(r.log_likelihood, f.llf, GLM_TOL, "llf")
            _check(r.aic, f.aic, GLM_TOL, "aic")


def test_quasi_poisson_dispersion_and_se_match_statsmodels():
    """Quasi-Poisson: statsmodels' GLM Poisson fit with scale="X2" (Pearson chi^2 / (n - p)).
    Dispersion and se (Poisson se * sqrt(dispersion)) to 1e-7 relative. P-values: R's
    quasipoisson (and, we check, ri.its) use t(n - p); statsmodels does with use_t=True."""
    rng = np.random.default_rng(12)
    for k in range(N_SERIES):
        d, t0, X, keep, mu, kw = _count_case(rng, k)
        # Overdispersed counts: a gamma-mixed Poisson.
        d["y"] = rng.poisson(mu * rng.gamma(5, 1 / 5, size=len(mu))).astype(float)
        r = ri.its(d, outcome="y", time="t", interruption=t0, family="quasipoisson", exposure="pop", **kw)
        f = _glm_fit(d["y"][keep].to_numpy(), X, sm.families.Poisson(), d["log_pop"][keep].to_numpy(),
                     scale="X2", use_t=True)
        c = _table(r).loc[list(X.columns)]
        _check(r.dispersion, f.scale, GLM_TOL, "dispersion")
        _check(c["estimate"], f.params, GLM_TOL, "params")
        _check(c["se"], f.bse, GLM_TOL, "bse")
        _check(c["p_value"], f.pvalues, GLM_TOL, "p (t)", abs_=1e-12)


def test_binomial_proportions_with_trials_match_statsmodels():
    """Binomial, logit link: ri.its(outcome=proportion, weights=trials) vs statsmodels' GLM on
    (successes, failures). Estimates, se, p-values (normal) and odds ratios, 1e-7 relative; the
    log-likelihood includes the log binomial coefficients on both sides (as R's logLik)."""
    rng = np.random.default_rng(13)
    for k in range(N_SERIES):
        covs = [f"x{j + 1}" for j in range(k % 2)]
        d, t0, b, eta = _series(rng, covariates=len(covs))
        trials = rng.integers(5, 200, size=len(d))
        p = 1 / (1 + np.exp(-(rng.uniform(-2, 2) + eta)))
        succ = rng.binomial(trials, p)
        d["trials"] = trials.astype(float)
        d["prop"] = succ / trials
        X, keep = _design(d, t0, covariates=covs)
        r = ri.its(d, outcome="prop", time="t", interruption=t0, family="binomial", weights="trials",
                   covariates=covs)
        f = _glm_fit(np.column_stack([succ, trials - succ]), X, sm.families.Binomial(), None)
        c = _table(r).loc[list(X.columns)]
        _check(c["estimate"], f.params, GLM_TOL, "params")
        _check(c["se"], f.bse, GLM_TOL, "bse")
        _check(c["p_value"], f.pvalues, GLM_TOL, "p", abs_=1e-12)
        _check(c["ratio"], np.exp(f.params), GLM_TOL, "odds ratio")
        _check(r.log_likelihood, f.llf, GLM_TOL, "llf")


def test_negative_binomial_theta_by_ml_matches_statsmodels():
    """NB2 with theta by ML: statsmodels' discrete NegativeBinomial (loglike_method="nb2",
    alpha = 1/theta), Newton to gradient 1e-12. Estimates, theta and log-lik to 1e-5 relative
    (two optimisers on a likelihood flat in theta near its maximum). Se as R's glm.nb reports
    them (the GLM information with theta fixed at its estimate): statsmodels' GLM
    NegativeBinomial(alpha=1/theta_ours), 1e-7 relative."""
    rng = np.random.default_rng(14)
    for k in range(N_SERIES):
        d, t0, X, keep, mu, kw = _count_case(rng, k, mean=rng.uniform(5, 100))
        theta = rng.uniform(2, 30)
        d["y"] = rng.negative_binomial(theta, theta / (theta + mu)).astype(float)
        r = ri.its(d, outcome="y", time="t", interruption=t0, family="negbin", exposure="pop", **kw)
        y, off = d["y"][keep].to_numpy(), d["log_pop"][keep].to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = np.r_[_glm_fit(y, X, sm.families.Poisson(), off).params, 0.1]
            nb = sm.NegativeBinomial(y, X, loglike_method="nb2", offset=off).fit(
                start_params=start, method="newton", maxiter=200, tol=1e-12, disp=0)
        c = _table(r).loc[list(X.columns)]
        _check(c["estimate"], nb.params.iloc[:-1], 1e-5, "params", abs_=1e-8)
        _check(r.theta, 1 / nb.params.iloc[-1], 1e-5, "theta")
        _check(r.log_likelihood, nb.llf, 1e-8, "llf")
        g = _glm_fit(y, X, sm.families.NegativeBinomial(alpha=1 / r.theta), off)
        _check(c["estimate"], g.params, GLM_TOL, "params given theta")
        _check(c["se"], g.bse, GLM_TOL, "bse given theta")


@pytest.mark.parametrize("adjust", [False, True])
def test_poisson_with_hac_matches_statsmodels(adjust):
    """HAC (Newey-West) around a Poisson GLM: statsmodels' GLM fit(cov_type="HAC") with the same
    lag; estimates and se to 1e-7 relative; adjust=True is use_correction=True (n / (n - p))."""
    rng = np.random.default_rng(15 + adjust)
    for k in range(N_SERIES):
        d, t0, X, keep, mu, kw = _count_case(rng, k)
        d["y"] = rng.poisson(mu).astype(float)
        lags = int(rng.integers(0, 6))
        r = ri.its(d, outcome="y", time="t", interruption=t0, family="poisson", exposure="pop",
                   errors="newey_west", lags=lags, adjust=adjust, **kw)
        f = _glm_fit(d["y"][keep].to_numpy(), X, sm.families.Poisson(), d["log_pop"][keep].to_numpy(),
                     cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": adjust})
        c = _table(r).loc[list(X.columns)]
        _check(c["estimate"], f.params, GLM_TOL, "params")
        _check(c["se"], f.bse, GLM_TOL, f"HAC bse (L={lags}, adjust={adjust})")
