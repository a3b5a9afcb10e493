//! Iteratively reweighted least squares, step for step as R's `glm.fit`.
//!
//! Each step solves `X'WX delta = X'W(z - X beta)` (Cholesky with one refinement) and sets
//! `beta += delta`; solving for the increment keeps the rounding error proportional to the step,
//! not to the coefficients, so that the normal equations match R's QR to far below 1e-8.

use super::accumulate::{chunked_sum, pass, EtaSource, PassSums};
use super::collinearity;
use super::design::Design;
use super::family::{aic_term, deviance_residual};
use super::fit::GlmFit;
use super::options::GlmOptions;
use super::separation;
use super::warning::GlmWarning;
use crate::{Error, Result};
use nalgebra::{Cholesky, DMatrix, DVector, Dyn};
use rayon::prelude::*;

/// Fitted probabilities closer than this to 0 or 1 are reported.
const BOUNDARY: f64 = 1e-5;

/// Fit a binomial GLM (logit or probit) by IRLS, reproducing R's
/// `glm(y ~ ..., family = binomial(link))`.
///
/// `columns` are the covariates (no intercept column: set `options.intercept`), `names` their
/// names, `y` the 0/1 outcome. The iterations follow R's `glm.fit` (starting values
/// `(w y + 0.5) / (w + 1)`, working weights and response, convergence on
/// `|dev - dev_old| / (|dev| + 0.1) < epsilon`), so coefficients, standard errors, deviance, AIC
/// and the iteration count agree with R to better than 1e-9 (relative) on the tested data sets.
///
/// # Errors
/// [`Error::Argument`](crate::Error::Argument) naming the column and row for: lengths that
/// differ, a non-finite value, an outcome other than 0/1 or without variation, negative weights,
/// no more rows (with positive weight) than coefficients, a constant covariate, or a covariate that
/// is an exact linear combination of earlier ones (R would give `NA`; here a column whose residual
/// norm after projection is below 1e-7 of its norm counts as aliased, stricter than R's 1e-11).
///
/// # Warnings
/// Non-convergence, fitted probabilities within 1e-5 of 0 or 1, and (quasi-)complete separation
/// with the separating covariates named are returned in [`GlmFit::warnings`].
///
/// Sums over rows use a fixed chunking, so results are bit-identical for any rayon thread count.
///
/// ```
/// use raa_impact::glm::{fit_binomial, GlmOptions, Link};
/// let age = [23.0, 31.0, 45.0, 52.0, 29.0, 61.0, 38.0, 47.0, 33.0, 56.0];
/// let treated = [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0];
/// let opts = GlmOptions { link: Link::Probit, ..GlmOptions::default() };
/// let fit = fit_binomial(&[&age], &["age".into()], &treated, &opts).unwrap();
/// assert_eq!(fit.fitted.len(), 10);
/// assert!(fit.deviance < fit.null_deviance);
/// ```
pub fn fit_binomial(
    columns: &[&[f64]],
    names: &[String],
    y: &[f64],
    options: &GlmOptions,
) -> Result<GlmFit> {
    check_options(options)?;
    let d = Design::new(
        columns,
        names,
        y,
        options.intercept,
        options.weights.as_deref(),
    )?;
    collinearity::check(&d)?;
    let le = options.link.evaluator();
    let p = d.p();
    let mut eta = vec![0.0; d.n];
    let mut sums = pass(&d, &le, EtaSource::Start(options.link), &mut eta);
    let mut devold = sums.deviance;
    let mut beta = vec![0.0; p];
    let mut state = Iteration {
        iterations: 0,
        converged: false,
        deviance: devold,
        chol: None,
    };
    for it in 1..=options.max_iter {
        let chol = factor(&sums, p)?;
        let delta = solve_refined(&chol, &sums, p);
        let next: Vec<f64> = beta.iter().zip(delta.iter()).map(|(b, s)| b + s).collect();
        if next.iter().any(|b| !b.is_finite()) {
            return Err(singular());
        }
        let new_sums = pass(&d, &le, EtaSource::Beta(&next), &mut eta);
        let dev = new_sums.deviance;
        if !dev.is_finite() {
            return Err(Error::argument(
                "columns",
                format!("the deviance became {dev} at iteration {it}; the data cannot be fitted"),
            ));
        }
        beta = next;
        state = Iteration {
            iterations: it,
            converged: false,
            deviance: dev,
            chol: Some(chol),
        };
        if (dev - devold).abs() / (dev.abs() + 0.1) < options.epsilon {
            state.converged = true;
            break;
        }
        devold = dev;
        sums = new_sums;
    }
    Ok(finish(&d, options, beta, eta, state))
}

/// Where the loop stopped.
struct Iteration {
    iterations: usize,
    converged: bool,
    deviance: f64,
    /// Cholesky factor of the last step's `X'WX` (R takes the covariance from the last QR).
    chol: Option<Cholesky<f64, Dyn>>,
}

fn check_options(o: &GlmOptions) -> Result<()> {
    if o.max_iter == 0 {
        return Err(Error::argument(
            "max_iter",
            "max_iter is 0; expected at least 1",
        ));
    }
    if !(o.epsilon > 0.0 && o.epsilon.is_finite()) {
        return Err(Error::argument(
            "epsilon",
            format!(
                "epsilon is {}; expected a positive finite number",
                o.epsilon
            ),
        ));
    }
    Ok(())
}

fn singular() -> Error {
    Error::argument(
        "columns",
        "the weighted cross-product matrix became singular during IRLS (the covariates are \
         collinear among the rows with non-zero working weight)",
    )
}

fn factor(sums: &PassSums, p: usize) -> Result<Cholesky<f64, Dyn>> {
    DMatrix::from_row_slice(p, p, &sums.xtwx)
        .cholesky()
        .ok_or_else(singular)
}

/// Solve `A delta = b` and refine once with the residual (p×p, cheap).
fn solve_refined(chol: &Cholesky<f64, Dyn>, sums: &PassSums, p: usize) -> DVector<f64> {
    let a = DMatrix::from_row_slice(p, p, &sums.xtwx);
    let b = DVector::from_column_slice(&sums.xtwr);
    let mut x = chol.solve(&b);
    let r = &b - &a * &x;
    x += chol.solve(&r);
    x
}

fn finish(
    d: &Design<'_>,
    options: &GlmOptions,
    beta: Vec<f64>,
    eta: Vec<f64>,
    state: Iteration,
) -> GlmFit {
    let p = d.p();
    let le = options.link.evaluator();
    let fitted: Vec<f64> = eta.par_iter().map(|&e| le.inverse(e)).collect();
    let covariance: Vec<f64> = match &state.chol {
        Some(c) => {
            let inv = c.inverse();
            (0..p * p).map(|k| inv[(k / p, k % p)]).collect()
        }
        None => vec![f64::NAN; p * p],
    };
    let std_errors = (0..p).map(|j| covariance[j * p + j].sqrt()).collect();
    let mut warnings = Vec::new();
    if !state.converged {
        warnings.push(GlmWarning::NotConverged {
            iterations: state.iterations,
        });
    }
    let used = |i: &usize| d.weight(*i) > 0.0;
    let at_boundary = (0..d.n)
        .filter(used)
        .filter(|&i| fitted[i] < BOUNDARY || fitted[i] > 1.0 - BOUNDARY)
        .count();
    if at_boundary > 0 {
        warnings.push(GlmWarning::FittedAtBoundary { count: at_boundary });
    }
    // R's own "fitted probabilities numerically 0 or 1" threshold triggers the deeper diagnostic.
    let eps = 10.0 * f64::EPSILON;
    let r_boundary = (0..d.n)
        .filter(used)
        .any(|i| fitted[i] < eps || fitted[i] > 1.0 - eps);
    warnings.extend(separation::diagnose(
        d,
        &beta,
        &eta,
        &fitted,
        state.converged,
        r_boundary,
    ));
    let null_deviance = null_deviance(d, options);
    let aic = chunked_sum(d.n, |i| aic_term(d.y[i], fitted[i], d.weight(i))) + 2.0 * p as f64;
    GlmFit {
        names: d.names.clone(),
        coefficients: beta,
        std_errors,
        covariance,
        linear_predictor: eta,
        fitted,
        deviance: state.deviance,
        null_deviance,
        aic,
        iterations: state.iterations,
        converged: state.converged,
        warnings,
        link: options.link,
    }
}

/// Deviance at the weighted mean of `y` (with intercept) or at `linkinv(0) = 0.5` (without).
fn null_deviance(d: &Design<'_>, options: &GlmOptions) -> f64 {
    let mu = if options.intercept {
        chunked_sum(d.n, |i| d.weight(i) * d.y[i]) / chunked_sum(d.n, |i| d.weight(i))
    } else {
        options.link.evaluator().inverse(0.0)
    };
    chunked_sum(d.n, |i| deviance_residual(d.y[i], mu, d.weight(i)))
}
