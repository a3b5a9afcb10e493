//! Iteratively reweighted least squares, step for step as R's `glm.fit`.
//!
//! Each step solves `X'WX delta = X'W(z - X beta)` (Cholesky with one refinement) and sets
//! `beta += delta`; solving for the increment keeps the rounding error proportional to the step,
//! not to the coefficients, so that the normal equations match R's QR to far below 1e-8.

use super::accumulate::{pass, EtaSource, Model, PassSums};
use super::design::Design;
use crate::{Error, Result};
use nalgebra::{Cholesky, DMatrix, DVector, Dyn};

/// Where the loop stopped.
pub(crate) struct Irls {
    /// Coefficients.
    pub beta: Vec<f64>,
    /// Final linear predictor (offset included).
    pub eta: Vec<f64>,
    /// Linear predictor at which the last step's working weights were formed (R's `fit$weights`
    /// and the covariance come from that step, the residuals from the final `eta`).
    pub eta_prev: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
    pub deviance: f64,
    /// Cholesky factor of the last step's `X'WX` (R takes the covariance from the last QR).
    pub chol: Cholesky<f64, Dyn>,
    /// First iteration at which a non-finite deviance halved the step.
    pub halved_at: Option<usize>,
}

/// Run IRLS from `start` until the relative change of deviance is below `epsilon` or
/// `max_iter` (>= 1) steps are done.
pub(crate) fn irls(
    d: &Design<'_>,
    m: &Model,
    start: EtaSource<'_>,
    max_iter: usize,
    epsilon: f64,
) -> Result<Irls> {
    let p = d.p();
    let mut eta = vec![0.0; d.n];
    let mut eta_new = vec![0.0; d.n];
    let mut sums = pass(d, m, start, &mut eta);
    let mut devold = sums.deviance;
    if !devold.is_finite() {
        return Err(Error::argument(
            "y",
            format!("the deviance at the starting values is {devold}; the data cannot be fitted"),
        ));
    }
    let mut beta = vec![0.0; p];
    let mut last = None;
    let mut halved_at = None;
    let mut converged = false;
    let mut iterations = 0;
    let mut deviance = devold;
    for it in 1..=max_iter {
        let chol = factor(&sums, p)?;
        let delta = solve_refined(&chol, &sums, p);
        let next: Vec<f64> = beta.iter().zip(delta.iter()).map(|(b, s)| b + s).collect();
        if next.iter().any(|b| !b.is_finite()) {
            return Err(singular());
        }
        let step = take_step(d, m, &beta, next, it, max_iter, &mut eta_new)?;
        if step.halved {
            halved_at = halved_at.or(Some(it));
        }
        let dev = step.sums.deviance;
        beta = step.beta;
        std::mem::swap(&mut eta, &mut eta_new);
        iterations = it;
        deviance = dev;
        last = Some(chol);
        if (dev - devold).abs() / (dev.abs() + 0.1) < epsilon {
            converged = true;
            break;
        }
        devold = dev;
        sums = step.sums;
    }
    let chol = last.ok_or_else(singular)?;
    Ok(Irls {
        beta,
        eta,
        eta_prev: eta_new,
        iterations,
        converged,
        deviance,
        chol,
        halved_at,
    })
}

/// An accepted step.
struct Step {
    beta: Vec<f64>,
    sums: PassSums,
    halved: bool,
}

/// Evaluate the step to `next`; if the deviance there is not finite, halve the step towards
/// `beta` as R does (an error at the first iteration, where R has no previous coefficients).
fn take_step(
    d: &Design<'_>,
    m: &Model,
    beta: &[f64],
    mut next: Vec<f64>,
    it: usize,
    max_iter: usize,
    eta_out: &mut [f64],
) -> Result<Step> {
    let mut sums = pass(d, m, EtaSource::Beta(&next), eta_out);
    if sums.deviance.is_finite() {
        return Ok(Step {
            beta: next,
            sums,
            halved: false,
        });
    }
    if it == 1 {
        return Err(Error::argument(
            "columns",
            format!(
                "the deviance became {} at iteration 1; the data cannot be fitted (no valid set \
                 of coefficients was found)",
                sums.deviance
            ),
        ));
    }
    for _ in 0..max_iter {
        next.iter_mut()
            .zip(beta)
            .for_each(|(n, b)| *n = (*n + b) / 2.0);
        sums = pass(d, m, EtaSource::Beta(&next), eta_out);
        if sums.deviance.is_finite() {
            return Ok(Step {
                beta: next,
                sums,
                halved: true,
            });
        }
    }
    Err(Error::argument(
        "columns",
        format!(
            "the deviance stayed {} after {max_iter} step halvings at iteration {it}; the data \
             cannot be fitted",
            sums.deviance
        ),
    ))
}

pub(crate) fn singular() -> Error {
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
