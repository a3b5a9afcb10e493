//! The Durbin–Watson statistic.

use super::input;
use crate::{Error, Result};

/// `DW = Σ_{t≥1} (e_t − e_{t−1})² / Σ e_t²` of residuals in time order: the statistic of R's
/// `lmtest::dwtest` and statsmodels' `durbin_watson`. About 2 for uncorrelated residuals, below 2
/// for positive autocorrelation. The residuals are used as given (not demeaned).
///
/// Returns the statistic only: its exact p-value depends on the design (`dwtest` integrates over
/// the eigenvalues of `X`); use [`crate::diagnostics::breusch_godfrey()`] for a test. Needs at least
/// two residuals, all finite and not all zero.
///
/// ```
/// use raa_impact::diagnostics::durbin_watson;
/// let dw = durbin_watson(&[1.0, -1.0, 1.0, -1.0]).unwrap();
/// assert!((dw - 3.0).abs() < 1e-15); // (3 · 4) / 4
/// assert!(durbin_watson(&[0.0, 0.0, 0.0]).is_err());
/// ```
pub fn durbin_watson(residuals: &[f64]) -> Result<f64> {
    input::series(
        "residuals",
        residuals,
        2,
        format_args!("the Durbin–Watson statistic"),
    )?;
    let ss: f64 = residuals.iter().map(|e| e * e).sum();
    if ss == 0.0 {
        return Err(Error::argument(
            "residuals",
            "are all zero: the Durbin–Watson statistic is undefined",
        ));
    }
    let diff: f64 = residuals
        .windows(2)
        .map(|w| (w[1] - w[0]) * (w[1] - w[0]))
        .sum();
    Ok(diff / ss)
}
