//! GLS with AR(p) errors by ML or REML, as `nlme::gls(correlation = corARMA(p = p))`.
//!
//! β and σ² are profiled out; the likelihood of the partial autocorrelations π_k is maximised on
//! nlme's unconstrained scale `z_k = log((1+π_k)/(1−π_k))` by BFGS, from the residuals' sample
//! partial autocorrelations and from zero (the better optimum wins).

use super::bfgs::{minimise_n, MinimumN};
use super::fit::{FitMethod, GlsFit, Parts};
use super::input::Series;
use super::levinson::{pacf_of_ar, ArWhitener};
use super::options::{ArOptions, Method};
use super::profile::{cholesky_logs, nlme_log_likelihood, phi_of};
use super::whiten::{ols_on_rows, transformed_ols};
use super::FirstRow;
use crate::{Error, Result};

/// Unconstrained parameters beyond this are a boundary optimum (|π| → 1).
const Z_MAX: f64 = 10.0;
/// Starting partial autocorrelations are clipped to this.
const START_CLIP: f64 = 0.9;

/// Fit `y ~ columns` with AR(p) errors (rows in time order, equally spaced) by ML or REML.
///
/// Same conventions as [`fit_ar1`](super::fit_ar1) (nlme's σ, covariance, df, logLik, AIC, BIC with
/// `k = p_β + order + 1`); the AR coefficients are in `ar` (`phi` is φ₁) and there is no interval
/// for them. Needs at least `p_β + order + 2` points. An optimum with a partial autocorrelation at
/// ±1 is an error; a search that runs out of steps is flagged by `converged == false`.
///
/// ```
/// use raa_impact::gls::{fit_ar, ArOptions};
/// let t: Vec<f64> = (0..50).map(f64::from).collect();
/// let y: Vec<f64> = t.iter().map(|v| 1.0 + 0.1 * v + (v * 1.1).sin() + (v * 0.37).cos()).collect();
/// let fit = fit_ar(&[&t], &["time".to_string()], &y, &ArOptions::default()).unwrap();
/// assert_eq!(fit.ar.len(), 2);
/// ```
pub fn fit_ar(
    columns: &[&[f64]],
    names: &[String],
    y: &[f64],
    options: &ArOptions,
) -> Result<GlsFit> {
    check_options(options)?;
    let order = options.order;
    let series = Series::new(
        columns,
        names,
        y,
        options.intercept,
        order + 2,
        &format!("an AR({order}) fit"),
    )?;
    let mut data = Centred::new(&series, order);
    let mut eval = |z: &[f64]| data.negative(z, options.method);
    let best = match &options.fixed {
        Some(ar) => {
            let z: Vec<f64> = pacf_of_ar(ar)
                .ok_or_else(|| {
                    Error::argument("fixed", format!("{ar:?} is not a stationary AR process"))
                })?
                .iter()
                .map(|p| ((1.0 + p) / (1.0 - p)).ln())
                .collect();
            let fx = eval(&z);
            MinimumN {
                x: z,
                fx,
                iterations: 0,
                converged: true,
            }
        }
        None => search(&series, &mut eval, options)?,
    };
    if !best.fx.is_finite() {
        return Err(Error::argument(
            "y",
            "the outcome is fitted exactly by the columns (zero residual sum of squares)",
        ));
    }
    finish(series, best, options)
}

fn check_options(options: &ArOptions) -> Result<()> {
    if options.order == 0 {
        return Err(Error::argument("order", "is 0; expected at least 1"));
    }
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::argument(
            "tolerance",
            format!("is {}; expected a positive number", options.tolerance),
        ));
    }
    if options.max_iter == 0 {
        return Err(Error::argument("max_iter", "is 0; expected at least 1"));
    }
    if let Some(ar) = &options.fixed {
        if ar.len() != options.order {
            return Err(Error::argument(
                "fixed",
                format!(
                    "has {} coefficients; expected order = {}",
                    ar.len(),
                    options.order
                ),
            ));
        }
    }
    Ok(())
}

/// BFGS from the residuals' sample PACF and from zero; the better end point wins.
fn search(
    series: &Series,
    eval: &mut impl FnMut(&[f64]) -> f64,
    options: &ArOptions,
) -> Result<MinimumN> {
    let ols = transformed_ols(series, 0.0, FirstRow::Keep)?;
    let start: Vec<f64> = sample_pacf(&ols.whitened, options.order)
        .iter()
        .map(|p| {
            let p = p.clamp(-START_CLIP, START_CLIP);
            ((1.0 + p) / (1.0 - p)).ln()
        })
        .collect();
    let zero = vec![0.0; options.order];
    let a = minimise_n(&mut *eval, &start, options.tolerance, options.max_iter);
    let b = minimise_n(&mut *eval, &zero, options.tolerance, options.max_iter);
    let best = if b.fx < a.fx { b } else { a };
    if best.x.iter().any(|z| z.abs() > Z_MAX) {
        return Err(Error::argument(
            "y",
            format!(
                "the AR({}) likelihood is maximised at the boundary (a partial autocorrelation → ±1): \
                 the errors look non-stationary; model the trend or difference the series",
                options.order
            ),
        ));
    }
    Ok(best)
}

/// Sample partial autocorrelations of `e` up to `order` (Durbin–Levinson on the autocorrelations).
fn sample_pacf(e: &[f64], order: usize) -> Vec<f64> {
    let n = e.len();
    let mean = e.iter().sum::<f64>() / n as f64;
    let acov = |k: usize| {
        (k..n)
            .map(|t| (e[t] - mean) * (e[t - k] - mean))
            .sum::<f64>()
    };
    let c0 = acov(0);
    let r: Vec<f64> = (0..=order)
        .map(|k| if c0 > 0.0 { acov(k) / c0 } else { 0.0 })
        .collect();
    let mut a: Vec<f64> = Vec::new();
    let mut pacf = Vec::with_capacity(order);
    for m in 1..=order {
        let num = r[m] - (0..m - 1).map(|k| a[k] * r[m - 1 - k]).sum::<f64>();
        let den = 1.0 - (0..m - 1).map(|k| a[k] * r[k + 1]).sum::<f64>();
        let pi = if den > 0.0 {
            (num / den).clamp(-0.99, 0.99)
        } else {
            0.0
        };
        a = (0..m - 1).map(|k| a[k] - pi * a[m - 2 - k]).collect();
        a.push(pi);
        pacf.push(pi);
    }
    pacf
}

/// The design and outcome, centred when there is an intercept (a unit-triangular change of basis:
/// it changes neither the residual sum of squares nor `det(W'W)`), with the lag cross-products
/// `C_jk = Σ_{t≥p} z_{t−j} z_{t−k}'` (j, k ≤ p), so that each likelihood evaluation costs
/// `O(p² m²)` instead of a pass over the rows: for `t ≥ p` the transformed row is
/// `s Σ_j c_j z_{t−j}` (`c_0 = 1`, `c_j = −φ_j`), only the first p rows are transformed one by one.
struct Centred {
    n: usize,
    m: usize,
    order: usize,
    /// Row-major `n × m` centred data (outcome last).
    z: Vec<f64>,
    /// Blocks `C_jk`, each `m × m` row-major, block `(j, k)` at `(j (p+1) + k) m²`.
    lag: Vec<f64>,
    cross: Vec<f64>,
    row: Vec<f64>,
    pacf: Vec<f64>,
}

impl Centred {
    fn new(series: &Series, order: usize) -> Self {
        let (n, p) = (series.n, series.p());
        let m = p + 1;
        let mut z = vec![0.0; n * m];
        for i in 0..n {
            for j in 0..p {
                z[i * m + j] = series.x(i, j);
            }
            z[i * m + p] = series.y[i];
        }
        if series.intercept {
            for j in 1..m {
                let mean = (0..n).map(|i| z[i * m + j]).sum::<f64>() / n as f64;
                (0..n).for_each(|i| z[i * m + j] -= mean);
            }
        }
        let q = order + 1;
        let mut lag = vec![0.0; q * q * m * m];
        for t in order..n {
            for j in 0..q {
                let zj = &z[(t - j) * m..(t - j + 1) * m];
                for k in 0..q {
                    let zk = &z[(t - k) * m..(t - k + 1) * m];
                    let block = &mut lag[(j * q + k) * m * m..(j * q + k + 1) * m * m];
                    for a in 0..m {
                        for b in 0..m {
                            block[a * m + b] += zj[a] * zk[b];
                        }
                    }
                }
            }
        }
        Centred {
            n,
            m,
            order,
            z,
            lag,
            cross: vec![0.0; m * m],
            row: vec![0.0; m],
            pacf: vec![0.0; order],
        }
    }

    /// Minus the profiled (restricted) log-likelihood at unconstrained `z`, without its constant.
    fn negative(&mut self, zs: &[f64], method: Method) -> f64 {
        for (p, z) in self.pacf.iter_mut().zip(zs) {
            *p = phi_of(*z);
        }
        if self.pacf.iter().any(|p| p.abs() >= 1.0) {
            return f64::INFINITY;
        }
        let w = ArWhitener::from_pacf(&self.pacf);
        let (n, m, q) = (self.n, self.m, self.order + 1);
        // Rows t ≥ p from the lag cross-products.
        let s2 = w.top_scale().powi(2);
        let c: Vec<f64> = std::iter::once(1.0)
            .chain(w.ar().iter().map(|a| -a))
            .collect();
        self.cross.iter_mut().for_each(|v| *v = 0.0);
        for j in 0..q {
            for k in 0..q {
                let f = s2 * c[j] * c[k];
                let block = &self.lag[(j * q + k) * m * m..(j * q + k + 1) * m * m];
                for a in 0..m {
                    for b in 0..=a {
                        self.cross[a * m + b] += f * block[a * m + b];
                    }
                }
            }
        }
        // The first p rows one by one.
        for t in 0..self.order.min(n) {
            for (j, r) in self.row.iter_mut().enumerate() {
                *r = w.row(t, |i| self.z[i * m + j]);
            }
            for a in 0..m {
                for b in 0..=a {
                    self.cross[a * m + b] += self.row[a] * self.row[b];
                }
            }
        }
        let Some((log_det_x, log_q)) = cholesky_logs(&mut self.cross, m) else {
            return f64::INFINITY;
        };
        let log_r = w.log_det(n);
        let k = m - 1;
        match method {
            Method::Ml => 0.5 * n as f64 * log_q + 0.5 * log_r,
            Method::Reml => 0.5 * (n - k) as f64 * log_q + 0.5 * log_r + 0.5 * log_det_x,
        }
    }
}

fn finish(series: Series, best: MinimumN, options: &ArOptions) -> Result<GlsFit> {
    let (n, p) = (series.n, series.p());
    let pacf: Vec<f64> = best.x.iter().map(|z| phi_of(*z)).collect();
    let w = ArWhitener::from_pacf(&pacf);
    let tr = ols_on_rows(&series, 0, |v: &dyn Fn(usize) -> f64, t: usize| w.row(t, v))?;
    let lik = nlme_log_likelihood(options.method, n, p, tr.rss, w.log_det(n), tr.log_det);
    let sigma = lik.sigma2.sqrt();
    let cov_scale = tr.rss / (n - p) as f64;
    GlsFit::assemble(
        series,
        Parts {
            beta: tr.beta,
            covariance: tr.wtw_inverse.iter().map(|v| v * cov_scale).collect(),
            df_residual: n - p,
            ar: w.ar().to_vec(),
            phi_interval: None,
            sigma,
            log_likelihood: lik.value,
            bic_n: lik.bic_n,
            n_params: p
                + 1
                + if options.fixed.is_some() {
                    0
                } else {
                    options.order
                },
            iterations: best.iterations,
            converged: best.converged,
            normalized_residuals: tr.whitened.iter().map(|r| r / sigma).collect(),
            method: match options.method {
                Method::Ml => FitMethod::Ml,
                Method::Reml => FitMethod::Reml,
            },
        },
    )
}
