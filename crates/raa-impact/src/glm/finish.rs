//! From the last IRLS step to a [`GlmFit`]: fitted means, working weights and residuals,
//! dispersion, covariance, null deviance, log-likelihood and information criteria, warnings, all
//! with R's definitions (`glm.fit`, `summary.glm`, `logLik.glm`, `MASS::glm.nb`).

use super::accumulate::{chunked_sum, EtaSource, Model, CHUNK};
use super::design::Design;
use super::family::{gaussian_aic, Dist};
use super::fit::{GlmFit, ThetaConvergence};
use super::irls::{irls, Irls};
use super::options::GlmOptions;
use super::separation;
use super::warning::GlmWarning;
use super::Family;
use crate::Result;
use rayon::prelude::*;

/// Fitted probabilities closer than this to 0 or 1 are reported.
const BOUNDARY: f64 = 1e-5;

/// How R starts the intercept-only refit that gives the null deviance when there is an offset.
#[derive(Debug, Clone)]
pub(crate) enum NullStart {
    /// `glm`: from the full model's fitted means (`mustart = fitted`), same family.
    Fitted,
    /// `glm.nb`: from the family's own starting values, with this (final-θ) family.
    Family(Model),
}

/// What the θ estimation of `glm.nb` adds to a fit.
#[derive(Debug, Clone)]
pub(crate) struct ThetaResult {
    pub theta: f64,
    pub se: f64,
    /// `glm.nb`'s `Lm`: the log-likelihood at the final θ and means.
    pub log_likelihood: f64,
    pub convergence: ThetaConvergence,
    pub warnings: Vec<GlmWarning>,
}

/// `f(i)` for every row, in parallel only above one chunk (element-wise: any order gives the
/// same values).
pub(crate) fn map_rows(n: usize, f: impl Fn(usize) -> f64 + Sync) -> Vec<f64> {
    if n <= CHUNK {
        (0..n).map(f).collect()
    } else {
        (0..n).into_par_iter().map(&f).collect()
    }
}

/// Assemble the fit.
pub(crate) fn finish(
    d: &Design<'_>,
    options: &GlmOptions,
    m: &Model,
    r: Irls,
    null_start: NullStart,
    theta: Option<ThetaResult>,
) -> Result<GlmFit> {
    let p = d.p();
    let family = options.family;
    let fitted = map_rows(d.n, |i| m.le.inverse(r.eta[i]));
    let covariance_unscaled = inverse(&r, p);
    let (working_weights, working_residuals) = working(d, m, &r, &fitted);
    let used = (0..d.n).filter(|&i| d.weight(i) > 0.0).count();
    let df_residual = used - p;
    let dispersion = if family.estimates_dispersion() {
        let ssq = chunked_sum(d.n, |i| {
            let w = working_weights[i];
            if w > 0.0 {
                w * working_residuals[i] * working_residuals[i]
            } else {
                0.0
            }
        });
        ssq / df_residual as f64
    } else {
        1.0
    };
    let covariance: Vec<f64> = covariance_unscaled.iter().map(|v| v * dispersion).collect();
    let std_errors = (0..p).map(|j| covariance[j * p + j].sqrt()).collect();
    let pearson_chi2 = chunked_sum(d.n, |i| {
        let wt = d.weight(i);
        if wt > 0.0 {
            let e = m.dist.outcome(d.y[i], wt) - fitted[i];
            wt * e * e / m.dist.variance(fitted[i])
        } else {
            0.0
        }
    });
    let mut warnings = Vec::new();
    if !r.converged {
        warnings.push(GlmWarning::NotConverged {
            iterations: r.iterations,
        });
    }
    if let Some(iteration) = r.halved_at {
        warnings.push(GlmWarning::StepHalved { iteration });
    }
    if m.dist == Dist::Binomial {
        warnings.extend(binomial_warnings(d, &r, &fitted));
    }
    let (null_deviance, null_converged) = null_deviance(d, options, m, &fitted, null_start)?;
    if !null_converged {
        warnings.push(GlmWarning::NullDevianceNotConverged);
    }
    let lik = likelihood(d, family, m.dist, &fitted, r.deviance, used, theta.as_ref());
    let (theta_value, theta_se, theta_convergence) = match (&theta, m.dist) {
        (Some(t), _) => {
            warnings.extend(t.warnings.iter().cloned());
            (Some(t.theta), Some(t.se), Some(t.convergence))
        }
        (None, Dist::NegBin(th)) => (Some(th), None, None),
        (None, _) => (None, None, None),
    };
    Ok(GlmFit {
        names: d.names.clone(),
        coefficients: r.beta,
        std_errors,
        covariance,
        covariance_unscaled,
        linear_predictor: r.eta,
        fitted,
        deviance: r.deviance,
        null_deviance,
        aic: lik.aic,
        bic: lik.bic,
        log_likelihood: lik.log_likelihood,
        family,
        dispersion,
        df_residual,
        pearson_chi2,
        theta: theta_value,
        theta_se,
        theta_convergence,
        prior_weights: options.weights.clone(),
        working_weights,
        working_residuals,
        offset: options.offset.clone(),
        iterations: r.iterations,
        converged: r.converged,
        warnings,
        link: options.link,
    })
}

/// `(X'WX)^{-1}` from the last step's Cholesky factor, p×p row-major.
fn inverse(r: &Irls, p: usize) -> Vec<f64> {
    let inv = r.chol.inverse();
    (0..p * p).map(|k| inv[(k / p, k % p)]).collect()
}

/// R's `fit$weights` (from the last step's linear predictor) and working residuals (at the fit).
fn working(d: &Design<'_>, m: &Model, r: &Irls, fitted: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let weights = map_rows(d.n, |i| {
        let wt = d.weight(i);
        let (mu, me) = m.le.inverse_and_derivative(r.eta_prev[i]);
        if wt > 0.0 && me != 0.0 {
            wt * me * me / m.dist.variance(mu)
        } else {
            0.0
        }
    });
    let residuals = map_rows(d.n, |i| {
        let y = m.dist.outcome(d.y[i], d.weight(i));
        (y - fitted[i]) / m.le.mu_eta(r.eta[i])
    });
    (weights, residuals)
}

/// Boundary probabilities and separation (binomial families).
fn binomial_warnings(d: &Design<'_>, r: &Irls, fitted: &[f64]) -> Vec<GlmWarning> {
    let mut warnings = Vec::new();
    let used = |i: &usize| d.weight(*i) > 0.0;
    let at_boundary = (0..d.n)
        .filter(used)
        .filter(|&i| fitted[i] < BOUNDARY || fitted[i] > 1.0 - BOUNDARY)
        .count();
    if at_boundary > 0 {
        warnings.push(GlmWarning::FittedAtBoundary { count: at_boundary });
    }
    // Separation is a property of 0/1 outcomes; proportions are not diagnosed.
    let binary = (0..d.n)
        .filter(used)
        .all(|i| d.y[i] == 0.0 || d.y[i] == 1.0);
    if !binary {
        return warnings;
    }
    // R's own "fitted probabilities numerically 0 or 1" threshold triggers the deeper diagnostic.
    let eps = 10.0 * f64::EPSILON;
    let r_boundary = (0..d.n)
        .filter(used)
        .any(|i| fitted[i] < eps || fitted[i] > 1.0 - eps);
    warnings.extend(separation::diagnose(
        d,
        &r.beta,
        &r.eta,
        fitted,
        r.converged,
        r_boundary,
    ));
    warnings
}

/// Null deviance as R's `glm` computes it, and whether its refit (if any) converged.
fn null_deviance(
    d: &Design<'_>,
    options: &GlmOptions,
    m: &Model,
    fitted: &[f64],
    null_start: NullStart,
) -> Result<(f64, bool)> {
    if d.offset.is_some() && d.intercept {
        let d0 = d.intercept_only();
        let r0 = match null_start {
            NullStart::Fitted => {
                let eta0 = map_rows(d.n, |i| m.link.link(fitted[i]));
                irls(
                    &d0,
                    m,
                    EtaSource::Eta(&eta0),
                    options.max_iter,
                    options.epsilon,
                )?
            }
            NullStart::Family(m0) => irls(
                &d0,
                &m0,
                EtaSource::Start,
                options.max_iter,
                options.epsilon,
            )?,
        };
        return Ok((r0.deviance, r0.converged));
    }
    let y = |i: usize| m.dist.outcome(d.y[i], d.weight(i));
    let dev = if d.intercept {
        let mu = chunked_sum(d.n, |i| d.weight(i) * y(i)) / chunked_sum(d.n, |i| d.weight(i));
        chunked_sum(d.n, |i| m.dist.deviance_residual(y(i), mu, d.weight(i)))
    } else {
        chunked_sum(d.n, |i| {
            let mu = m.le.inverse(d.offset(i));
            m.dist.deviance_residual(y(i), mu, d.weight(i))
        })
    };
    Ok((dev, true))
}

/// AIC, BIC and log-likelihood.
struct Likelihood {
    aic: f64,
    bic: Option<f64>,
    log_likelihood: Option<f64>,
}

fn likelihood(
    d: &Design<'_>,
    family: Family,
    dist: Dist,
    fitted: &[f64],
    deviance: f64,
    used: usize,
    theta: Option<&ThetaResult>,
) -> Likelihood {
    let p = d.p() as f64;
    // R's logLik: aic = family aic + 2 rank, logLik = df - aic / 2, with df = rank (+1 for the
    // Gaussian scale and for glm.nb's theta).
    let (aic, ll, df) = match (theta, dist) {
        (Some(t), _) => {
            let aic = -2.0 * t.log_likelihood + 2.0 * p + 2.0;
            (aic, t.log_likelihood, p + 1.0)
        }
        (None, Dist::Gaussian) => {
            let slw = chunked_sum(d.n, |i| {
                let w = d.weight(i);
                if w > 0.0 {
                    w.ln()
                } else {
                    0.0
                }
            });
            let aic = gaussian_aic(used, deviance, slw) + 2.0 * p;
            (aic, p + 1.0 - aic / 2.0, p + 1.0)
        }
        (None, _) => {
            let a = chunked_sum(d.n, |i| {
                let wt = d.weight(i);
                dist.aic_term(dist.outcome(d.y[i], wt), fitted[i], wt)
            });
            let aic = a + 2.0 * p;
            (aic, p - aic / 2.0, p)
        }
    };
    if !family.has_likelihood() {
        return Likelihood {
            aic,
            bic: None,
            log_likelihood: None,
        };
    }
    Likelihood {
        aic,
        bic: Some(-2.0 * ll + (used as f64).ln() * df),
        log_likelihood: Some(ll),
    }
}
