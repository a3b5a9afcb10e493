//! The coefficient table and intervals with Satterthwaite degrees of freedom.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::contrast::Contrast;
use super::fit::MixedFit;
use crate::{Error, Result};

/// One fixed effect with its t test and interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoefficientRow {
    pub term: String,
    pub estimate: f64,
    pub std_error: f64,
    /// Satterthwaite denominator df.
    pub df: f64,
    pub t_value: f64,
    pub p_value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// `estimate ± t_{df, (1+level)/2} · se`; a normal quantile when the df are not finite.
///
/// ```
/// use raa_impact::mixed::t_interval;
/// let (lo, hi) = t_interval(1.0, 0.5, 10.0, 0.95).unwrap();
/// assert!((hi - 1.0 - 0.5 * 2.228138851986522).abs() < 1e-9 && (1.0 - lo - (hi - 1.0)).abs() < 1e-12);
/// ```
pub fn t_interval(estimate: f64, se: f64, df: f64, level: f64) -> Result<(f64, f64)> {
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::argument(
            "level",
            format!("{level}: expected a value in (0, 1)"),
        ));
    }
    let p = 0.5 + level / 2.0;
    let q = if df.is_finite() && df > 0.0 {
        StudentsT::new(0.0, 1.0, df)
            .map_err(|e| Error::argument("df", e.to_string()))?
            .inverse_cdf(p)
    } else {
        statrs::distribution::Normal::standard().inverse_cdf(p)
    };
    Ok((estimate - q * se, estimate + q * se))
}

impl MixedFit {
    /// Every fixed effect with its SE, Satterthwaite df, t, p and `level` interval.
    pub fn table(&self, level: f64) -> Result<Vec<CoefficientRow>> {
        (0..self.names.len())
            .map(|k| {
                let (ci_low, ci_high) =
                    t_interval(self.coefficients[k], self.std_errors[k], self.df[k], level)?;
                Ok(CoefficientRow {
                    term: self.names[k].clone(),
                    estimate: self.coefficients[k],
                    std_error: self.std_errors[k],
                    df: self.df[k],
                    t_value: self.t_values[k],
                    p_value: self.p_values[k],
                    ci_low,
                    ci_high,
                })
            })
            .collect()
    }
}

impl Contrast {
    /// The `level` interval with the contrast's Satterthwaite df.
    pub fn interval(&self, level: f64) -> Result<(f64, f64)> {
        t_interval(self.estimate, self.std_error, self.df, level)
    }
}
