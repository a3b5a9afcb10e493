//! Input checks shared by the diagnostics, so that every one words its errors the same way.

use crate::inference::check;
use crate::{Error, Result};

/// Error unless `x` is all finite and has at least `needed` points (`why` says what needs them; a
/// `format_args!` so that nothing is formatted unless there is an error).
pub(crate) fn series(
    name: &str,
    x: &[f64],
    needed: usize,
    why: std::fmt::Arguments<'_>,
) -> Result<()> {
    if x.len() < needed {
        return Err(Error::argument(
            name,
            format!("has {} points; {why} needs at least {needed}", x.len()),
        ));
    }
    check::finite(name, x, x.len())
}

/// Mean and sum of squared deviations of `x`; error if the series is constant (zero variance).
pub(crate) fn mean_and_ss(name: &str, x: &[f64]) -> Result<(f64, f64)> {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
    // A constant series leaves only rounding noise in the deviations: treat that as zero variance.
    let scale = x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if ss <= n * (8.0 * f64::EPSILON * scale).powi(2) {
        return Err(Error::argument(
            name,
            format!("is constant ({mean} in every row): zero variance, autocorrelations undefined"),
        ));
    }
    Ok((mean, ss))
}

/// Error unless a lag count is at least 1.
pub(crate) fn positive_lag(name: &str, lag: usize) -> Result<()> {
    if lag == 0 {
        Err(Error::argument(name, "is 0, expected at least 1 lag"))
    } else {
        Ok(())
    }
}
