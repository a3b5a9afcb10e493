//! Sample partial autocorrelation function by the Durbin–Levinson recursion on the sample ACF, as
//! R's `pacf(x, lag.max)` and statsmodels' `pacf(x, nlags, method="ldb")` (equivalently `"ywm"`).
//! statsmodels' default `method="ywadjusted"` uses the `n − k` denominators and differs.

use super::acf::{autocorrelation, Correlogram};
use super::input;
use crate::{Error, Result};

/// Partial autocorrelations at lags `1..=max_lag` (`first_lag = 1`), with the `±1.96/√n` band.
///
/// The lag-`k` value is the last coefficient `φ_kk` of the order-`k` Yule–Walker autoregression on
/// the sample ACF (denominator `n`), found by the Durbin–Levinson recursion. Needs
/// `max_lag ≥ 1` and at least `max_lag + 1` points; NaN or a constant series are errors, and so is
/// a series whose ACF makes the recursion singular (a perfectly predictable series).
///
/// ```
/// use raa_impact::diagnostics::{acf, pacf};
/// let x = [2.0, 4.0, 3.0, 5.0, 4.0, 6.0, 5.0, 7.0];
/// let p = pacf(&x, 3).unwrap();
/// assert_eq!(p.first_lag, 1);
/// // At lag 1 the partial and the plain autocorrelation coincide.
/// assert!((p.at(1).unwrap() - acf(&x, 1).unwrap().at(1).unwrap()).abs() < 1e-15);
/// ```
pub fn pacf(x: &[f64], max_lag: usize) -> Result<Correlogram> {
    input::positive_lag("max_lag", max_lag)?;
    input::series("x", x, max_lag + 1, format_args!("a PACF to lag {max_lag}"))?;
    let (mean, ss) = input::mean_and_ss("x", x)?;
    let r: Vec<f64> = (0..=max_lag)
        .map(|k| autocorrelation(x, mean, ss, k))
        .collect();
    let values = durbin_levinson(&r)?;
    Ok(Correlogram::new(1, values, x.len()))
}

/// Partial autocorrelations `φ_kk`, `k = 1..=K`, from autocorrelations `r[0..=K]` (`r[0] = 1`).
fn durbin_levinson(r: &[f64]) -> Result<Vec<f64>> {
    let max_lag = r.len() - 1;
    let mut out = Vec::with_capacity(max_lag);
    // phi[j − 1] = φ_{k,j}, the order-k AR coefficients; prev keeps order k − 1's while updating.
    let mut phi = vec![0.0; max_lag];
    let mut prev = vec![0.0; max_lag];
    for k in 1..=max_lag {
        let num = r[k] - (1..k).map(|j| prev[j - 1] * r[k - j]).sum::<f64>();
        let den = 1.0 - (1..k).map(|j| prev[j - 1] * r[j]).sum::<f64>();
        if den.abs() <= 1e-14 {
            return Err(Error::argument(
                "x",
                format!("is perfectly predictable from its first {} lags: the PACF at lag {k} is undefined", k - 1),
            ));
        }
        let kk = num / den;
        for j in 1..k {
            phi[j - 1] = prev[j - 1] - kk * prev[k - j - 1];
        }
        phi[k - 1] = kk;
        prev[..k].copy_from_slice(&phi[..k]);
        out.push(kk);
    }
    Ok(out)
}
