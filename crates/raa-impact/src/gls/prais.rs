//! Prais–Winsten (first observation kept, scaled by √(1−ρ²)) and Cochrane–Orcutt (dropped)
//! feasible GLS with AR(1) errors, iterated as Stata's `prais` or two-step.

use super::fit::{FitMethod, GlsFit, Parts};
use super::input::Series;
use super::options::{FirstRow, PraisOptions};
use super::whiten::{transformed_ols, Transformed};
use crate::{Error, Result};

/// Fit `y ~ columns` (rows in time order, equally spaced) by Prais–Winsten or Cochrane–Orcutt.
///
/// Starts from OLS; each iteration sets ρ to the slope of the regression (without a constant) of
/// the residuals `y − Xβ` on their lag (Stata's default `rhotype(regress)`), then refits β by OLS on
/// the transformed rows; it stops when ρ changes by less than `tolerance` (or after one update with
/// `twostep`). Standard errors, `sigma` (root MSE) and t statistics (`df = rows − p`) come from that
/// final transformed OLS. `log_likelihood` is the exact Gaussian AR(1) log-likelihood at (β̂, ρ̂)
/// with σ² profiled (Prais–Winsten) or the likelihood of rows 2..n conditional on row 1
/// (Cochrane–Orcutt). `converged` is false when `max_iter` updates did not settle ρ. A ρ outside
/// (−1, 1) is an error.
///
/// ```
/// use raa_impact::gls::{prais_winsten, PraisOptions};
/// let t: Vec<f64> = (0..30).map(f64::from).collect();
/// let y: Vec<f64> = t.iter().map(|v| 3.0 - 0.1 * v + (v * 1.3).sin()).collect();
/// let fit = prais_winsten(&[&t], &["t".to_string()], &y, &PraisOptions::default()).unwrap();
/// assert!(fit.converged && fit.phi.abs() < 1.0);
/// ```
pub fn prais_winsten(
    columns: &[&[f64]],
    names: &[String],
    y: &[f64],
    options: &PraisOptions,
) -> Result<GlsFit> {
    check_options(options)?;
    let drop = options.first_row == FirstRow::Drop;
    let model = if drop {
        "a Cochrane–Orcutt fit"
    } else {
        "a Prais–Winsten fit"
    };
    let series = Series::new(
        columns,
        names,
        y,
        options.intercept,
        2 + usize::from(drop),
        model,
    )?;
    let mut fit = transformed_ols(&series, 0.0, FirstRow::Keep)?;
    let mut rho = 0.0;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < options.max_iter {
        let next = lag_slope(&series, &fit.beta)?;
        fit = transformed_ols(&series, next, options.first_row)?;
        iterations += 1;
        let change = (next - rho).abs();
        rho = next;
        if options.twostep || change < options.tolerance {
            converged = true;
            break;
        }
    }
    finish(series, fit, rho, iterations, converged, options)
}

fn check_options(options: &PraisOptions) -> Result<()> {
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::argument(
            "tolerance",
            format!("is {}; expected a positive number", options.tolerance),
        ));
    }
    if options.max_iter == 0 {
        return Err(Error::argument("max_iter", "is 0; expected at least 1"));
    }
    Ok(())
}

/// ρ = Σ e_t e_{t−1} / Σ e_{t−1}² over t ≥ 2, with `e = y − Xβ`; an error unless |ρ| < 1.
fn lag_slope(series: &Series, beta: &[f64]) -> Result<f64> {
    let p = series.p();
    let resid = |i: usize| series.y[i] - (0..p).map(|j| series.x(i, j) * beta[j]).sum::<f64>();
    let (mut num, mut den) = (0.0, 0.0);
    let mut prev = resid(0);
    for i in 1..series.n {
        let e = resid(i);
        num += e * prev;
        den += prev * prev;
        prev = e;
    }
    let rho = num / den;
    if rho.is_finite() && rho.abs() < 1.0 {
        Ok(rho)
    } else {
        Err(Error::argument(
            "y",
            format!(
                "the residuals' lag-1 regression gives ρ = {rho}; expected |ρ| < 1 \
                 (non-stationary errors or a perfect fit)"
            ),
        ))
    }
}

fn finish(
    series: Series,
    fit: Transformed,
    rho: f64,
    iterations: usize,
    converged: bool,
    options: &PraisOptions,
) -> Result<GlsFit> {
    let (n, p) = (series.n, series.p());
    let series_p = p;
    let rows = fit.whitened.len();
    let df = rows - p;
    let s2 = fit.rss / df as f64;
    let ln_2pi = (2.0 * std::f64::consts::PI).ln();
    let rf = rows as f64;
    let log_likelihood = match options.first_row {
        // Exact AR(1) likelihood with innovation variance σ² profiled (rss/n): the transformed
        // rows are independent N(0, σ²) and the transform's Jacobian is √(1−ρ²).
        FirstRow::Keep => {
            -0.5 * rf * (ln_2pi + 1.0 + (fit.rss / rf).ln()) + 0.5 * (1.0 - rho * rho).ln()
        }
        FirstRow::Drop => -0.5 * rf * (ln_2pi + 1.0 + (fit.rss / rf).ln()),
    };
    let sigma = s2.sqrt();
    let method = match (options.first_row, options.twostep) {
        (FirstRow::Keep, false) => FitMethod::PraisWinsten,
        (FirstRow::Keep, true) => FitMethod::PraisWinstenTwoStep,
        (FirstRow::Drop, false) => FitMethod::CochraneOrcutt,
        (FirstRow::Drop, true) => FitMethod::CochraneOrcuttTwoStep,
    };
    debug_assert!(rows == n || rows + 1 == n);
    GlsFit::assemble(
        series,
        Parts {
            beta: fit.beta,
            covariance: fit.wtw_inverse.iter().map(|v| v * s2).collect(),
            df_residual: df,
            ar: vec![rho],
            phi_interval: None,
            sigma,
            log_likelihood,
            bic_n: rf,
            n_params: series_p + 2,
            iterations,
            converged,
            normalized_residuals: fit.whitened.iter().map(|r| r / sigma).collect(),
            method,
        },
    )
}
