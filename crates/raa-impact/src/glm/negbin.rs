//! Negative binomial (NB2) regression with θ estimated by maximum likelihood, round for round as
//! `MASS::glm.nb`: a Poisson fit, then alternately IRLS for the coefficients at the current θ
//! and Newton scoring for θ at the previous means (`theta.ml`), until the log-likelihood and θ
//! settle.

use super::accumulate::{chunked_sum, EtaSource, Model};
use super::design::Design;
use super::family::Dist;
use super::finish::{finish, map_rows, NullStart, ThetaResult};
use super::fit::{GlmFit, ThetaConvergence};
use super::irls::irls;
use super::options::GlmOptions;
use super::special::{digamma, trigamma};
use super::warning::GlmWarning;
use crate::{Error, Result};
use statrs::function::gamma::ln_gamma;

/// `theta.ml`'s tolerance on the Newton step, `.Machine$double.eps^0.25`.
const THETA_EPS: f64 = 1.220_703_125e-4;

/// One `theta.ml` estimate.
struct ThetaMl {
    theta: f64,
    se: f64,
    /// Newton steps taken.
    steps: usize,
    /// R's `it == limit`: the loop ended on its counter.
    limit_reached: bool,
}

/// Fit `MASS::glm.nb(y ~ ..., weights, offset)` on a validated design.
pub(crate) fn fit_ml(d: &Design<'_>, options: &GlmOptions) -> Result<GlmFit> {
    let (max_iter, eps, link) = (options.max_iter, options.epsilon, options.link);
    let poisson = Model::new(link, Dist::Poisson);
    let mut r = irls(d, &poisson, EtaSource::Start, max_iter, eps)?;
    let mut mu = map_rows(d.n, |i| poisson.le.inverse(r.eta[i]));
    let sum_w = chunked_sum(d.n, |i| d.weight(i));
    let mut th = theta_ml(d, &mu, sum_w, max_iter)?;
    let mut model = Model::new(link, Dist::NegBin(th.theta));
    let mut fitted_with = model.clone();
    let used = (0..d.n).filter(|&i| d.weight(i) > 0.0).count();
    let d1 = (2.0 * (used - d.p()).max(1) as f64).sqrt();
    let d2 = 1.0;
    let mut del: f64 = 1.0;
    let mut lm = log_likelihood(d, th.theta, &mu);
    let mut lm0 = lm + 2.0 * d1;
    let mut iter = 0;
    loop {
        iter += 1;
        if !(iter <= max_iter && (lm0 - lm).abs() / d1 + del.abs() / d2 > eps) {
            break;
        }
        let eta0 = map_rows(d.n, |i| link.link(mu[i]));
        r = irls(d, &model, EtaSource::Eta(&eta0), max_iter, eps)?;
        fitted_with = model;
        let t0 = th.theta;
        // As glm.nb: θ is re-estimated at the means *before* this round's fit.
        th = theta_ml(d, &mu, sum_w, max_iter)?;
        model = Model::new(link, Dist::NegBin(th.theta));
        mu = map_rows(d.n, |i| fitted_with.le.inverse(r.eta[i]));
        del = t0 - th.theta;
        lm0 = lm;
        lm = log_likelihood(d, th.theta, &mu);
    }
    let converged = iter <= max_iter;
    let mut warnings = Vec::new();
    if th.limit_reached {
        warnings.push(GlmWarning::ThetaIterationLimit {
            iterations: max_iter,
        });
    }
    if !converged {
        warnings.push(GlmWarning::AlternationLimit {
            alternations: max_iter,
        });
    }
    let theta = ThetaResult {
        theta: th.theta,
        se: th.se,
        log_likelihood: lm,
        convergence: ThetaConvergence {
            alternations: iter - 1,
            converged,
            theta_iterations: th.steps,
            theta_converged: !th.limit_reached,
        },
        warnings,
    };
    finish(
        d,
        options,
        &fitted_with,
        r,
        NullStart::Family(model),
        Some(theta),
        None,
    )
}

/// `glm.nb`'s log-likelihood at shape `th` and means `mu`.
fn log_likelihood(d: &Design<'_>, th: f64, mu: &[f64]) -> f64 {
    let (lg, tl) = (ln_gamma(th), th * th.ln());
    chunked_sum(d.n, |i| {
        let (w, y, m) = (d.weight(i), d.y[i], mu[i]);
        let ym = if y == 0.0 { 0.0 } else { y * m.ln() };
        w * (ln_gamma(th + y) - lg - ln_gamma(y + 1.0) + tl + ym - (th + y) * (th + m).ln())
    })
}

/// `MASS::theta.ml`: Newton scoring for θ from the moment start `n / sum(w (y/mu - 1)^2)`.
fn theta_ml(d: &Design<'_>, mu: &[f64], n: f64, limit: usize) -> Result<ThetaMl> {
    let pearson = chunked_sum(d.n, |i| {
        let r = d.y[i] / mu[i] - 1.0;
        d.weight(i) * r * r
    });
    let mut t0 = n / pearson;
    if !(t0.is_finite() && t0 > 0.0) {
        return Err(no_theta(format!(
            "the starting value of theta is {t0} (the counts show no variation around the \
             Poisson means)"
        )));
    }
    let mut it = 0;
    let mut del: f64 = 1.0;
    let mut info = f64::NAN;
    loop {
        it += 1;
        if !(it < limit && del.abs() > THETA_EPS) {
            break;
        }
        t0 = t0.abs();
        let (s, i) = score_and_information(d, mu, t0);
        info = i;
        del = s / i;
        t0 += del;
    }
    if !(t0.is_finite() && t0 > 0.0) {
        return Err(no_theta(format!(
            "the estimate of theta is {t0} (MASS would truncate it at 0): the counts are not \
             over-dispersed relative to the fitted means; fit a Poisson model instead"
        )));
    }
    let se = (1.0 / info).sqrt();
    if !se.is_finite() {
        return Err(no_theta(format!(
            "the information for theta is {info}; its standard error is not defined"
        )));
    }
    Ok(ThetaMl {
        theta: t0,
        se,
        steps: it - 1,
        limit_reached: it == limit,
    })
}

/// Score and observed information of the log-likelihood in θ (`theta.ml`'s `score` and `info`).
fn score_and_information(d: &Design<'_>, mu: &[f64], th: f64) -> (f64, f64) {
    let (dg, tg, lt) = (digamma(th), trigamma(th), th.ln());
    let score = chunked_sum(d.n, |i| {
        let (w, y, m) = (d.weight(i), d.y[i], mu[i]);
        w * (digamma(th + y) - dg + lt + 1.0 - (th + m).ln() - (y + th) / (m + th))
    });
    let info = chunked_sum(d.n, |i| {
        let (w, y, m) = (d.weight(i), d.y[i], mu[i]);
        let mt = m + th;
        w * (-trigamma(th + y) + tg - 1.0 / th + 2.0 / mt - (y + th) / (mt * mt))
    });
    (score, info)
}

fn no_theta(message: String) -> Error {
    Error::argument(
        "y",
        format!("negative binomial theta cannot be estimated: {message}"),
    )
}
