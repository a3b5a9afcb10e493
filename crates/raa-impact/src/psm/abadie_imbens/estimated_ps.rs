//! Abadie–Imbens (2016) standard error of the ATE when matching on an *estimated* logit propensity
//! score (the correction Stata's `teffects psmatch` applies by default).
//!
//! Formula implemented (Abadie & Imbens 2016, Econometrica 84:781, Theorem 1 specialised to a logit,
//! where the density of the index is f = p(1 − p)):
//!
//! Var_adj(τ̂) = Var(τ̂) − c′ I⁻¹ c / N, with
//! - Var(τ̂): the Abadie–Imbens variance of matching on the (treated-as-known) score, i.e. `se²` of
//!   [`AiResult`] (population variance, `sample = false`);
//! - I = (1/N) Σᵢ pᵢ(1 − pᵢ) Xᵢ Xᵢ′, the logit information matrix (X: the design matrix of the logit,
//!   intercept column included);
//! - c = (1/N) Σᵢ [ cov₁(Xᵢ, Yᵢ)·(1 − pᵢ) + cov₀(Xᵢ, Yᵢ)·pᵢ ], which is E[(cov(X, μ₁ | p)/p +
//!   cov(X, μ₀ | p)/(1 − p))·f]; cov_w(Xᵢ, Yᵢ) is the sample covariance (divisor n − 1) of X and Y
//!   over the `neighbours` units of group w nearest to pᵢ on the score (unit i itself counts as its
//!   own nearest neighbour when it belongs to w; ties at the last distance are all kept).
//!
//! The adjustment c′I⁻¹c is a quadratic form in a positive definite matrix, so the adjusted SE never
//! exceeds the unadjusted one (the paper's result for the ATE). The ATT correction (which can go
//! either way) is not implemented: the function returns an error for other estimands.

use nalgebra::{DMatrix, DVector};

use super::neighbours::Pool;
use super::validate::{check_covariates, check_outcome_and_groups};
use super::{AiResult, Estimand};
use crate::{Error, Result};

/// Abadie–Imbens (2016) SE of an ATE matching estimate on an estimated logit propensity score.
///
/// `result`: output of [`ai_match`](super::ai_match) on `fitted_ps` with `Estimand::Ate` and
/// `sample = false`; `ps_columns`: the logit's design matrix columns (include the column of ones);
/// `fitted_ps`: the logit's fitted probabilities; `neighbours` (≥ 2): units per group used for the
/// conditional covariances (Stata uses 2 by default). See the module documentation for the formula.
///
/// ```
/// use raa_impact::psm::abadie_imbens::{ai_match, ai_se_estimated_ps, AiOptions, Estimand};
/// let y = [3.0, 4.5, 2.0, 1.0, 2.5, 0.5, 3.5, 1.5];
/// let t = [true, true, true, false, false, false, true, false];
/// let x = [1.2, 2.0, 0.4, 0.3, 1.1, -0.5, 1.6, 0.2];
/// let ones = [1.0; 8];
/// let ps = [0.7, 0.85, 0.5, 0.45, 0.66, 0.3, 0.78, 0.42];
/// let o = AiOptions { estimand: Estimand::Ate, ..AiOptions::default() };
/// let r = ai_match(&y, &t, &[&ps[..]], &o).unwrap();
/// let se = ai_se_estimated_ps(&r, &y, &t, &[&ones[..], &x[..]], &ps, 2).unwrap();
/// assert!(se <= r.se);
/// ```
pub fn ai_se_estimated_ps(
    result: &AiResult,
    y: &[f64],
    treated: &[bool],
    ps_columns: &[&[f64]],
    fitted_ps: &[f64],
    neighbours: usize,
) -> Result<f64> {
    if result.estimand != Estimand::Ate {
        return Err(Error::argument(
            "result",
            "the estimated-score correction is implemented for the ATE only; expected Estimand::Ate",
        ));
    }
    check_outcome_and_groups(y, treated)?;
    check_covariates(ps_columns, y.len(), false)?;
    check_scores(fitted_ps, y.len())?;
    if neighbours < 2 {
        return Err(Error::argument(
            "neighbours",
            "expected at least 2 (a covariance needs two units)",
        ));
    }
    let n = y.len();
    let p = ps_columns.len();
    let coords = vec![fitted_ps.to_vec()];
    let mut c = DVector::<f64>::zeros(p);
    for group in [true, false] {
        let rows: Vec<usize> = (0..n).filter(|&r| treated[r] == group).collect();
        if rows.len() < neighbours {
            return Err(Error::argument(
                "neighbours",
                format!("is {neighbours} but a group has only {} units", rows.len()),
            ));
        }
        let pool = Pool::new(&coords, rows, true);
        for i in 0..n {
            let own = treated[i] == group;
            let m = if own { neighbours - 1 } else { neighbours };
            let mut set = pool.matches_of(i, m, 0.0);
            if own {
                set.push(i);
            }
            let cov = local_covariance(&set, y, ps_columns);
            // Weight (1 − p) for the treated-arm covariance, p for the control arm: cov/p·p(1 − p).
            let w = if group {
                1.0 - fitted_ps[i]
            } else {
                fitted_ps[i]
            };
            c += cov * w;
        }
    }
    c /= n as f64;
    let info = information(ps_columns, fitted_ps);
    let solved = info
        .clone()
        .cholesky()
        .map(|ch| ch.solve(&c))
        .ok_or_else(|| {
            Error::argument(
                "ps_columns",
                "the logit information matrix is singular (collinear design columns)",
            )
        })?;
    let adjustment = c.dot(&solved) / n as f64;
    Ok((result.se * result.se - adjustment).max(0.0).sqrt())
}

fn check_scores(ps: &[f64], n: usize) -> Result<()> {
    if ps.len() != n {
        return Err(Error::argument(
            "fitted_ps",
            format!("has {} rows; expected {n}", ps.len()),
        ));
    }
    if let Some(i) = ps.iter().position(|&v| !(v > 0.0 && v < 1.0)) {
        return Err(Error::argument(
            "fitted_ps",
            format!("row {i} is {}; expected a probability in (0, 1)", ps[i]),
        ));
    }
    Ok(())
}

/// Sample covariance (divisor n − 1) of each design column with y over the rows in `set`.
fn local_covariance(set: &[usize], y: &[f64], x: &[&[f64]]) -> DVector<f64> {
    let k = set.len() as f64;
    let y_bar = set.iter().map(|&j| y[j]).sum::<f64>() / k;
    DVector::from_iterator(
        x.len(),
        x.iter().map(|col| {
            let x_bar = set.iter().map(|&j| col[j]).sum::<f64>() / k;
            set.iter()
                .map(|&j| (col[j] - x_bar) * (y[j] - y_bar))
                .sum::<f64>()
                / (k - 1.0)
        }),
    )
}

/// (1/N) Σ p(1 − p) x x′.
fn information(x: &[&[f64]], ps: &[f64]) -> DMatrix<f64> {
    let p = x.len();
    let n = ps.len();
    let mut info = DMatrix::<f64>::zeros(p, p);
    for i in 0..n {
        let w = ps[i] * (1.0 - ps[i]);
        for a in 0..p {
            for b in 0..=a {
                info[(a, b)] += w * x[a][i] * x[b][i];
            }
        }
    }
    for a in 0..p {
        for b in 0..a {
            info[(b, a)] = info[(a, b)];
        }
    }
    info / n as f64
}
