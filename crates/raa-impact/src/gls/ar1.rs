//! GLS with AR(1) errors by maximum likelihood or REML, as `nlme::gls(correlation = corAR1())`.
//!
//! β and σ² are profiled out in closed form, so the likelihood is a function of φ alone; it is
//! maximised on nlme's unconstrained scale `z = log((1+φ)/(1−φ))`, first on a grid (so that the
//! search starts in the right basin), then by Brent's method to a tight tolerance. The final
//! coefficients come from a QR fit of the transformed rows at φ̂.

use super::brent::{minimise, Minimum};
use super::fit::{FitMethod, GlsFit, Parts};
use super::input::Series;
use super::moments::LagMoments;
use super::options::{Ar1Options, FirstRow, Method};
use super::profile::{log_one_minus_phi2, nlme_log_likelihood, phi_of, Profile};
use super::whiten::transformed_ols;
use crate::{Error, Result};

/// Search range of `z`: |φ| ≤ tanh(5) ≈ 0.99991.
const Z_MAX: f64 = 10.0;
/// Grid step on `z` before the Brent search.
const Z_STEP: f64 = 0.5;
/// An optimum this close to `Z_MAX` is on the boundary (|φ| → 1).
const Z_EDGE: f64 = 0.05;
/// Step of the central second difference giving the curvature at the optimum.
const CURVATURE_STEP: f64 = 1e-3;
/// Standard normal 97.5% quantile.
const Z_975: f64 = 1.959_963_984_540_054;

/// Fit `y ~ columns` with AR(1) errors (rows in time order, equally spaced) by ML or REML.
///
/// Equal to R's `nlme::gls(y ~ X, correlation = corAR1(), method = "ML" | "REML")`: `sigma` is
/// nlme's (`√(Q/n)` for ML, `√(Q/(n−p))` for REML, `Q` the whitened residual sum of squares), the
/// covariance is `Q/(n−p) · (X'R⁻¹X)⁻¹` for both methods (nlme's `vcov`), t statistics use `n − p`
/// degrees of freedom, and the log-likelihood, AIC and BIC are nlme's (REML's BIC uses `n − p`).
/// `converged` is false if the 1-D search ran out of `max_iter` steps (the best point found is
/// returned). An optimum at |φ| → 1 (a non-stationary series) is an error, as is a series too short
/// (at least `p + 3` points), non-finite values, or constant/collinear columns (named).
///
/// ```
/// use raa_impact::gls::{fit_ar1, Ar1Options, Method};
/// let t: Vec<f64> = (0..40).map(f64::from).collect();
/// let y: Vec<f64> = t.iter().map(|v| 5.0 + 0.2 * v + (v * 0.9).sin()).collect();
/// let options = Ar1Options { method: Method::Ml, ..Ar1Options::default() };
/// let fit = fit_ar1(&[&t], &["time".to_string()], &y, &options).unwrap();
/// assert_eq!(fit.names, ["(Intercept)", "time"]);
/// assert!(fit.converged && fit.phi.abs() < 1.0);
/// ```
pub fn fit_ar1(
    columns: &[&[f64]],
    names: &[String],
    y: &[f64],
    options: &Ar1Options,
) -> Result<GlsFit> {
    check_options(options)?;
    let series = Series::new(columns, names, y, options.intercept, 3, "an AR(1) fit")?;
    let (n, p) = (series.n, series.p());
    let moments = LagMoments::new(&series);
    let mut profile = Profile::new(&moments, n, options.method);
    let (best, phi_interval) = match options.fixed_phi {
        Some(phi) => (fixed(&mut profile, phi), None),
        None => {
            let best = search(&mut profile, options)?;
            (best, interval(&mut profile, best))
        }
    };
    let z = best.x;
    let phi = phi_of(z);
    let tr = transformed_ols(&series, phi, FirstRow::Keep)?;
    let l1 = log_one_minus_phi2(z);
    // nlme's whitening divides the Prais-transformed rows by √(1−φ²); log|R| = (n−1) log(1−φ²).
    let lik = nlme_log_likelihood(
        options.method,
        n,
        p,
        tr.rss / l1.exp(),
        (n - 1) as f64 * l1,
        tr.log_det - p as f64 * l1,
    );
    let sigma = lik.sigma2.sqrt();
    let scale = 1.0 / ((0.5 * l1).exp() * sigma);
    let cov_scale = tr.rss / (n - p) as f64;
    GlsFit::assemble(
        series,
        Parts {
            beta: tr.beta,
            covariance: tr.wtw_inverse.iter().map(|v| v * cov_scale).collect(),
            df_residual: n - p,
            ar: vec![phi],
            phi_interval,
            sigma,
            log_likelihood: lik.value,
            bic_n: lik.bic_n,
            n_params: p + 1 + usize::from(options.fixed_phi.is_none()),
            iterations: best.iterations,
            converged: best.converged,
            normalized_residuals: tr.whitened.iter().map(|r| r * scale).collect(),
            method: match options.method {
                Method::Ml => FitMethod::Ml,
                Method::Reml => FitMethod::Reml,
            },
        },
    )
}

fn check_options(options: &Ar1Options) -> Result<()> {
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::argument(
            "tolerance",
            format!("is {}; expected a positive number", options.tolerance),
        ));
    }
    if options.max_iter == 0 {
        return Err(Error::argument("max_iter", "is 0; expected at least 1"));
    }
    if let Some(phi) = options.fixed_phi {
        if !(phi.is_finite() && phi.abs() < 1.0) {
            return Err(Error::argument(
                "fixed_phi",
                format!("is {phi}; expected a number in (−1, 1)"),
            ));
        }
    }
    Ok(())
}

/// The "search" result for a φ held fixed.
fn fixed(profile: &mut Profile, phi: f64) -> Minimum {
    let x = ((1.0 + phi) / (1.0 - phi)).ln();
    Minimum {
        x,
        fx: profile.negative(x),
        iterations: 0,
        converged: true,
    }
}

/// Grid over `z`, then Brent's method between the best grid point's neighbours.
fn search(profile: &mut Profile, options: &Ar1Options) -> Result<Minimum> {
    let steps = (2.0 * Z_MAX / Z_STEP).round() as usize;
    let mut best = (f64::INFINITY, 0.0);
    for k in 0..=steps {
        let z = -Z_MAX + Z_STEP * k as f64;
        let f = profile.negative(z);
        if f < best.0 {
            best = (f, z);
        }
    }
    if !best.0.is_finite() {
        return Err(Error::argument(
            "y",
            "the outcome is fitted exactly by the columns (zero residual sum of squares at every φ)",
        ));
    }
    let lo = (best.1 - Z_STEP).max(-Z_MAX);
    let hi = (best.1 + Z_STEP).min(Z_MAX);
    let found = minimise(
        |z| profile.negative(z),
        lo,
        hi,
        options.tolerance,
        options.max_iter,
    );
    if found.x.abs() > Z_MAX - Z_EDGE {
        return Err(Error::argument(
            "y",
            format!(
                "the AR(1) likelihood is maximised at the boundary (φ → {:+}): the errors look \
                 non-stationary; model the trend or difference the series",
                found.x.signum()
            ),
        ));
    }
    Ok(found)
}

/// nlme's `intervals()` for φ: a 95% Wald interval on `z` from the curvature of the profile (the
/// inverse of the full Hessian's `z` entry equals the profile's), mapped back to φ.
fn interval(profile: &mut Profile, best: Minimum) -> Option<[f64; 2]> {
    let h = CURVATURE_STEP;
    let up = profile.negative(best.x + h);
    let down = profile.negative(best.x - h);
    let curvature = (up - 2.0 * best.fx + down) / (h * h);
    if !(curvature.is_finite() && curvature > 0.0) {
        return None;
    }
    let half = Z_975 / curvature.sqrt();
    Some([phi_of(best.x - half), phi_of(best.x + half)])
}
