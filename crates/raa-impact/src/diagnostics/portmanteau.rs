//! Portmanteau tests of residual autocorrelation: Ljung–Box and Box–Pierce, as R's
//! `Box.test(x, lag, type, fitdf)` and statsmodels' `acorr_ljungbox(x, lags, model_df, boxpierce)`.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::acf::autocorrelation;
use super::input;
use super::test_result::{TestName, TestResult};
use crate::{Error, Result};

/// Ljung–Box `Q = n(n+2) Σ_{k=1..h} r_k²/(n−k)`, χ² with `h − fitdf` df, on the sample
/// autocorrelations `r_k` (denominator `n`, as [`crate::diagnostics::acf()`]).
///
/// `fitdf` is the number of ARMA parameters fitted to the series (0 for regression residuals
/// unless their errors were modelled, e.g. 1 after an AR(1) fit). Needs `lags > fitdf` and at least
/// `lags + 1` points. The p-value is the exact upper tail; R's `Box.test` computes `1 − pchisq(Q)`,
/// which agrees to within 1e-16 absolute but rounds p-values below ~1e-16 to 0.
///
/// ```
/// use raa_impact::diagnostics::ljung_box;
/// let x = [0.3, -0.1, 0.4, -0.6, 0.2, 0.5, -0.3, 0.1, -0.2, 0.4, -0.5, 0.0];
/// let q = ljung_box(&x, 3, 0).unwrap();
/// assert_eq!(q.df, Some(3.0));
/// assert!(q.statistic > 0.0);
/// assert!(ljung_box(&x, 3, 3).is_err()); // no degrees of freedom left
/// ```
pub fn ljung_box(x: &[f64], lags: usize, fitdf: usize) -> Result<TestResult> {
    portmanteau(x, lags, fitdf, TestName::LjungBox)
}

/// Box–Pierce `Q = n Σ_{k=1..h} r_k²`, χ² with `h − fitdf` df; otherwise as [`ljung_box`].
///
/// ```
/// use raa_impact::diagnostics::{box_pierce, ljung_box};
/// let x = [0.3, -0.1, 0.4, -0.6, 0.2, 0.5, -0.3, 0.1, -0.2, 0.4, -0.5, 0.0];
/// let bp = box_pierce(&x, 3, 0).unwrap();
/// // Ljung–Box inflates each term by (n+2)/(n−k) > 1.
/// assert!(bp.statistic < ljung_box(&x, 3, 0).unwrap().statistic);
/// ```
pub fn box_pierce(x: &[f64], lags: usize, fitdf: usize) -> Result<TestResult> {
    portmanteau(x, lags, fitdf, TestName::BoxPierce)
}

fn portmanteau(x: &[f64], lags: usize, fitdf: usize, test: TestName) -> Result<TestResult> {
    input::positive_lag("lags", lags)?;
    if fitdf >= lags {
        return Err(Error::argument(
            "fitdf",
            format!("is {fitdf}, expected fewer than lags = {lags} (the test has lags − fitdf df)"),
        ));
    }
    input::series(
        "x",
        x,
        lags + 1,
        format_args!("a portmanteau test over {lags} lags"),
    )?;
    let (mean, ss) = input::mean_and_ss("x", x)?;
    let n = x.len() as f64;
    let sum: f64 = (1..=lags)
        .map(|k| {
            let r = autocorrelation(x, mean, ss, k);
            match test {
                TestName::LjungBox => r * r / (n - k as f64),
                _ => r * r,
            }
        })
        .sum();
    let statistic = match test {
        TestName::LjungBox => n * (n + 2.0) * sum,
        _ => n * sum,
    };
    let df = (lags - fitdf) as f64;
    Ok(TestResult {
        test,
        statistic,
        df: Some(df),
        df2: None,
        p_value: chi_squared_upper(statistic, df)?,
    })
}

/// Upper tail `P(χ²_df > q)`.
pub(crate) fn chi_squared_upper(q: f64, df: f64) -> Result<f64> {
    let dist = ChiSquared::new(df)
        .map_err(|e| Error::argument("df", format!("{df} is not a valid χ² df: {e}")))?;
    Ok(dist.sf(q))
}
