//! Sample autocorrelation function, as R's `acf(x, lag.max, type = "correlation", demean = TRUE)`
//! and statsmodels' `acf(x, nlags, adjusted = False)`.

use serde::{Deserialize, Serialize};

use super::input;
use crate::Result;

/// `qnorm(0.975)`: the two-sided 95% normal quantile of R's default `plot.acf` band.
const Z_975: f64 = 1.959_963_984_540_054;

/// Auto- or partial autocorrelations at consecutive lags, with the white-noise band.
///
/// `values[i]` is the value at lag `first_lag + i`. The band is `±1.96/√n` (R's `plot.acf` default
/// `ci.type = "white"`): under white noise about 95% of the values fall inside it.
///
/// ```
/// use raa_impact::diagnostics::acf;
/// let c = acf(&[1.0, 2.0, 3.0, 4.0, 5.0], 2).unwrap();
/// assert_eq!(c.first_lag, 0);
/// assert_eq!(c.at(0), Some(1.0));
/// assert!((c.at(1).unwrap() - 0.4).abs() < 1e-15);
/// assert!(c.outside_band(2) == Some(false));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correlogram {
    /// Lag of `values[0]`: 0 for the ACF (whose value there is 1), 1 for the PACF.
    pub first_lag: usize,
    /// The correlations at lags `first_lag, first_lag + 1, …, max_lag`.
    pub values: Vec<f64>,
    /// Half-width of the approximate 95% white-noise band, `1.959964/√n`.
    pub band: f64,
    /// Number of points in the series.
    pub n: usize,
}

impl Correlogram {
    pub(crate) fn new(first_lag: usize, values: Vec<f64>, n: usize) -> Self {
        Correlogram {
            first_lag,
            values,
            band: Z_975 / (n as f64).sqrt(),
            n,
        }
    }

    /// The value at `lag`, or `None` outside the computed lags.
    ///
    /// ```
    /// use raa_impact::diagnostics::pacf;
    /// let p = pacf(&[1.0, 3.0, 2.0, 4.0, 3.0, 5.0], 2).unwrap();
    /// assert!(p.at(0).is_none() && p.at(2).is_some() && p.at(3).is_none());
    /// ```
    pub fn at(&self, lag: usize) -> Option<f64> {
        lag.checked_sub(self.first_lag)
            .and_then(|i| self.values.get(i).copied())
    }

    /// Whether the value at `lag` lies outside `±band` (`None` outside the computed lags).
    ///
    /// ```
    /// use raa_impact::diagnostics::acf;
    /// let c = acf(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 1).unwrap();
    /// assert_eq!(c.outside_band(1), Some(false)); // 0.625 < 1.96/√8
    /// assert_eq!(c.outside_band(0), Some(true)); // lag 0 is 1
    /// ```
    pub fn outside_band(&self, lag: usize) -> Option<bool> {
        self.at(lag).map(|v| v.abs() > self.band)
    }
}

/// Sample autocorrelations at lags `0..=max_lag`: the series is demeaned and every lag divides by
/// the same `Σ(x − x̄)²` (denominator `n`, as R's `acf` and statsmodels' `acf(adjusted=False)`).
///
/// Needs at least `max_lag + 1` points (R's `acf` silently caps `lag.max` at `n − 1`; here asking
/// for more is an error). NaN, an empty or a constant series are errors.
///
/// ```
/// use raa_impact::diagnostics::acf;
/// let x = [2.0, 4.0, 3.0, 5.0, 4.0, 6.0];
/// let c = acf(&x, 3).unwrap();
/// assert_eq!(c.values.len(), 4);
/// assert!(c.values[1] < 0.0); // the series zig-zags
/// assert!(acf(&x, 6).is_err()); // 6 points carry lags 0..=5 only
/// ```
pub fn acf(x: &[f64], max_lag: usize) -> Result<Correlogram> {
    input::series(
        "x",
        x,
        (max_lag + 1).max(2),
        format_args!("an ACF to lag {max_lag}"),
    )?;
    let (mean, ss) = input::mean_and_ss("x", x)?;
    let values = (0..=max_lag)
        .map(|k| autocorrelation(x, mean, ss, k))
        .collect();
    Ok(Correlogram::new(0, values, x.len()))
}

/// `Σ_{t≥k} (x_t − x̄)(x_{t−k} − x̄) / ss`, with `ss = Σ (x_t − x̄)²`; `k < x.len()`.
pub(crate) fn autocorrelation(x: &[f64], mean: f64, ss: f64, k: usize) -> f64 {
    let s: f64 = x[k..]
        .iter()
        .zip(x)
        .map(|(a, b)| (a - mean) * (b - mean))
        .sum();
    s / ss
}
