//! Newey–West heteroskedasticity- and autocorrelation-consistent (HAC) covariance for a single time
//! series, as R's `sandwich::NeweyWest(fit, lag, prewhite = FALSE)` and statsmodels'
//! `cov_type = "HAC"` compute it.
//!
//! The function is generic over the model: the caller supplies the design `X`, a per-row score
//! multiplier `m_t` (so the score is `g_t = m_t · x_t`) and the bread `B = (X'WX)⁻¹`. The
//! covariance is `B Ω B` with
//!
//! `Ω = Σ_{l=0..L} w_l Σ_{t>l} (g_t g_{t−l}' + g_{t−l} g_t')` (the `l = 0` term counted once),
//!
//! and Bartlett weights `w_l = 1 − l/(L+1)`.
//!
//! | model | multiplier `m_t` | bread |
//! |---|---|---|
//! | OLS | residual `e_t` | `(X'X)⁻¹` |
//! | WLS (prior weights `w_t`) | `w_t e_t` | `(X'WX)⁻¹` |
//! | GLM (Poisson, binomial, …) | working weight × working residual | `(X'WX)⁻¹`, W = working weights |
//! | Poisson, log link (prior weights `a_t`) | `a_t (y_t − μ_t)` (= `a_t μ_t · (y_t − μ_t)/μ_t`) | as GLM, W = `a_t μ_t` |
//!
//! For a quasi-likelihood family (quasi-Poisson) the dispersion `φ` cancels: `sandwich` divides the
//! scores by `φ` and multiplies the bread by `φ`, so `(φB)(Ω/φ²)(φB) = BΩB`, the same matrix as for
//! the Poisson fit with the same coefficients. Pass the unscaled bread and unscaled scores.
//!
//! Rows left out of a fit with a zero prior weight keep their place in time with a zero score, so
//! pairs are never formed across the gap; `n` still counts them. statsmodels' WLS gives the same
//! matrix. R's `NeweyWest` on `lm(weights = w)` with zero weights returns `(n_used/n)²` times it
//! (`bread.lm` counts the positive-weight rows, `meatHAC` divides by all rows), an artefact of its
//! scaling that is not reproduced here. Dropping the rows instead closes the gap and pairs rows across it.
//!
//! Small-sample scaling: `adjust = true` multiplies by `n/(n−p)` (`n` = all rows given, `p` =
//! columns). This is `sandwich`'s `adjust = TRUE` and statsmodels' `use_correction = True`; the two
//! coincide (statsmodels' `cov_hac_simple` scales by `nobs/(nobs − k_params)`), so one flag serves
//! both. Note the defaults differ: `NeweyWest` and statsmodels' `cov_type="HAC"` default to no scaling,
//! statsmodels' lower-level `cov_hac_simple` defaults to scaling.

use serde::{Deserialize, Serialize};

use super::check;
use crate::{Error, Result};

/// The lag window's kernel. Only Bartlett (Newey–West) for now; an enum so that others can be added.
///
/// ```
/// use raa_impact::inference::{HacOptions, Kernel};
/// assert_eq!(HacOptions::default().kernel, Kernel::Bartlett);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Kernel {
    /// Bartlett weights `w_l = 1 − l/(L+1)` for `l = 0..=L` (Newey & West 1987).
    #[default]
    Bartlett,
}

impl Kernel {
    /// Weight of lag `l` in a window of maximum lag `max_lag`.
    fn weight(self, l: usize, max_lag: usize) -> f64 {
        match self {
            Kernel::Bartlett => 1.0 - l as f64 / (max_lag as f64 + 1.0),
        }
    }
}

/// Options of [`vcov_newey_west`]. The default is the rule-of-thumb lag, no small-sample scaling and
/// the Bartlett kernel.
///
/// ```
/// use raa_impact::inference::HacOptions;
/// // R: NeweyWest(fit, lag = 2, prewhite = FALSE, adjust = TRUE)
/// let o = HacOptions { lag: Some(2), adjust: true, ..HacOptions::default() };
/// assert!(o.adjust && HacOptions::default().lag.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HacOptions {
    /// Maximum lag `L`. `None` uses [`newey_west_default_lag`] `⌊4(n/100)^(2/9)⌋`. Lags of `n` or
    /// more add nothing (there are no pairs that far apart) but still set the Bartlett weights.
    pub lag: Option<usize>,
    /// Multiply by `n/(n−p)` (`sandwich`'s `adjust = TRUE`, statsmodels' `use_correction = True`).
    pub adjust: bool,
    /// Kernel of the lag window.
    pub kernel: Kernel,
}

/// The rule-of-thumb maximum lag `⌊4 (n/100)^(2/9)⌋` (Newey & West 1994).
///
/// This is statsmodels' default (`S_hac_simple`, `nlags=None`) and the pilot lag of `sandwich`'s
/// `bwNeweyWest`. It is *not* the default of R's `NeweyWest(lag = NULL)`, which uses the data-driven
/// bandwidth `bwNeweyWest` (computed from the scores); pass `lag` explicitly to match R.
///
/// ```
/// use raa_impact::inference::newey_west_default_lag;
/// assert_eq!(newey_west_default_lag(59), 3);
/// assert_eq!(newey_west_default_lag(100), 4);
/// assert_eq!(newey_west_default_lag(20), 2);
/// ```
pub fn newey_west_default_lag(n: usize) -> usize {
    // Same floating-point expression as statsmodels, so the two agree at every n.
    (4.0 * (n as f64 / 100.0).powf(2.0 / 9.0)).floor() as usize
}

/// Newey–West HAC covariance `B Ω B` (row-major p×p); see the module notes for what to pass.
///
/// `columns` is the full design (intercept included by the caller), rows in time order and equally
/// spaced; `multiplier` is the per-row score factor; `bread` is `(X'WX)⁻¹`, row-major p×p, unscaled.
///
/// ```
/// use raa_impact::inference::{vcov_newey_west, wls, HacOptions};
/// let one = vec![1.0; 8];
/// let t: Vec<f64> = (0..8).map(f64::from).collect();
/// let y = vec![1.0, 2.5, 2.0, 4.5, 4.0, 6.5, 6.0, 8.5];
/// let fit = wls(&[&one, &t], &["(Intercept)", "t"], &y, &[1.0; 8]).unwrap();
/// let options = HacOptions { lag: Some(1), ..HacOptions::default() };
/// let v = vcov_newey_west(&[&one, &t], &fit.residuals, &fit.xtwx_inverse, &options).unwrap();
/// assert!(v[3] > 0.0 && (v[1] - v[2]).abs() < 1e-15);
/// ```
pub fn vcov_newey_west(
    columns: &[&[f64]],
    multiplier: &[f64],
    bread: &[f64],
    options: &HacOptions,
) -> Result<Vec<f64>> {
    let n = multiplier.len();
    let p = columns.len();
    check_inputs(columns, multiplier, bread)?;
    if options.adjust && n <= p {
        return Err(Error::argument(
            "adjust",
            format!("n/(n−p) needs more rows than columns: {n} rows for {p} columns"),
        ));
    }
    let lag = options.lag.unwrap_or_else(|| newey_west_default_lag(n));
    let mut meat = vec![0.0; p * p];
    accumulate_meat(columns, multiplier, lag, options.kernel, &mut meat);
    let factor = if options.adjust {
        n as f64 / (n - p) as f64
    } else {
        1.0
    };
    Ok(sandwich(bread, &meat, p, factor))
}

fn check_inputs(columns: &[&[f64]], multiplier: &[f64], bread: &[f64]) -> Result<()> {
    let n = multiplier.len();
    let p = columns.len();
    if p == 0 {
        return Err(Error::argument("columns", "no columns: expected p ≥ 1"));
    }
    if n == 0 {
        return Err(Error::argument("multiplier", "no rows: expected n ≥ 1"));
    }
    check::finite("multiplier", multiplier, n)?;
    for (j, c) in columns.iter().enumerate() {
        // Name the column only on the error path: formatting costs more than the check.
        if c.len() != n || c.iter().any(|v| !v.is_finite()) {
            check::finite(&format!("columns[{j}]"), c, n)?;
        }
    }
    if bread.len() != p * p {
        return Err(Error::argument(
            "bread",
            format!("has {} entries, expected p·p = {}", bread.len(), p * p),
        ));
    }
    check::finite("bread", bread, p * p)
}

/// Add `Σ_l w_l Σ_t (g_t g_{t−l}' + g_{t−l} g_t')` into `meat`.
fn accumulate_meat(columns: &[&[f64]], m: &[f64], lag: usize, kernel: Kernel, meat: &mut [f64]) {
    let n = m.len();
    let p = columns.len();
    // Scores row by row (n·p values), so that each lag is a run of contiguous rank-one updates.
    let g: Vec<f64> = (0..n)
        .flat_map(|t| columns.iter().map(move |c| m[t] * c[t]))
        .collect();
    let mut gamma = vec![0.0; p * p];
    for l in 0..=lag.min(n.saturating_sub(1)) {
        // Γ_l = Σ_t g_t g_{t−l}'.
        gamma.iter_mut().for_each(|v| *v = 0.0);
        for t in l..n {
            let now = &g[t * p..(t + 1) * p];
            let before = &g[(t - l) * p..(t - l + 1) * p];
            for (row, ga) in gamma.chunks_exact_mut(p).zip(now) {
                for (cell, gb) in row.iter_mut().zip(before) {
                    *cell += ga * gb;
                }
            }
        }
        // Ω gets w (Γ_l + Γ_l'); the lag-0 term enters once (Γ_0 is symmetric), so halve its weight.
        let w = kernel.weight(l, lag) * if l == 0 { 0.5 } else { 1.0 };
        for a in 0..p {
            for b in 0..p {
                meat[a * p + b] += w * (gamma[a * p + b] + gamma[b * p + a]);
            }
        }
    }
}

/// `factor · B M B` for row-major p×p `B` and `M`.
fn sandwich(bread: &[f64], meat: &[f64], p: usize, factor: f64) -> Vec<f64> {
    let mut half = vec![0.0; p * p];
    for i in 0..p {
        for k in 0..p {
            let bik = bread[i * p + k];
            for j in 0..p {
                half[i * p + j] += bik * meat[k * p + j];
            }
        }
    }
    let mut out = vec![0.0; p * p];
    for i in 0..p {
        for k in 0..p {
            let hik = half[i * p + k];
            for j in 0..p {
                out[i * p + j] += hik * bread[k * p + j];
            }
        }
    }
    out.iter_mut().for_each(|v| *v *= factor);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_zero_is_hc0() {
        // With L = 0 the meat is Σ g g', the HC0 meat.
        let one = [1.0; 4];
        let x = [0.0, 1.0, 3.0, 4.0];
        let m = [0.5, -1.0, 0.25, 0.25];
        let bread = [1.0, 0.0, 0.0, 1.0];
        let options = HacOptions {
            lag: Some(0),
            ..HacOptions::default()
        };
        let v = vcov_newey_west(&[&one, &x], &m, &bread, &options).unwrap();
        let hc0_00: f64 = m.iter().map(|e| e * e).sum();
        let hc0_11: f64 = m.iter().zip(&x).map(|(e, x)| (e * x).powi(2)).sum();
        assert!((v[0] - hc0_00).abs() < 1e-15);
        assert!((v[3] - hc0_11).abs() < 1e-15);
    }

    #[test]
    fn lag_beyond_series_only_changes_weights() {
        let one = [1.0; 3];
        let m = [1.0, 2.0, -1.0];
        let bread = [1.0];
        let v = |lag| {
            let o = HacOptions {
                lag: Some(lag),
                ..HacOptions::default()
            };
            vcov_newey_west(&[&one], &m, &bread, &o).unwrap()[0]
        };
        // L = 5: 6 + 2·(5/6)·(2 − 2) + 2·(4/6)·(−1) = 6 − 4/3.
        assert!((v(5) - (6.0 - 4.0 / 3.0)).abs() < 1e-14);
    }

    #[test]
    fn bad_input_is_an_error() {
        let one = [1.0; 3];
        let o = HacOptions::default();
        assert!(vcov_newey_west(&[&one], &[1.0, f64::NAN, 0.0], &[1.0], &o).is_err());
        assert!(vcov_newey_west(&[&one], &[1.0, 2.0], &[1.0], &o).is_err());
        assert!(vcov_newey_west(&[&one], &[1.0, 2.0, 3.0], &[1.0, 0.0], &o).is_err());
        assert!(vcov_newey_west(&[], &[1.0, 2.0, 3.0], &[], &o).is_err());
        let adj = HacOptions { adjust: true, ..o };
        assert!(vcov_newey_west(&[&one[..1]], &[1.0], &[1.0], &adj).is_err());
    }
}
