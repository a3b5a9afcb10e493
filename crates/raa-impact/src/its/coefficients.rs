//! The coefficient table: estimate, standard error, statistic, p-value, interval, and the ratio
//! (rate or odds ratio) where the link is log or logit.

use super::model::ModelFit;
use serde::{Deserialize, Serialize};

/// One row of the coefficient table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coefficient {
    /// Term name.
    pub term: String,
    /// Estimate on the linear-predictor scale.
    pub estimate: f64,
    /// Standard error.
    pub se: f64,
    /// `estimate / se` (t or z).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit.
    pub ci_high: f64,
    /// `exp(estimate)` for log and logit links.
    pub ratio: Option<f64>,
    /// `exp(ci_low)`.
    pub ratio_low: Option<f64>,
    /// `exp(ci_high)`.
    pub ratio_high: Option<f64>,
}

/// The table for a fit at confidence `level`.
pub(crate) fn table(fit: &ModelFit, level: f64) -> Vec<Coefficient> {
    let q = fit.critical(level);
    let p = fit.p();
    let ratio = |v: f64| fit.scale.has_ratio().then(|| v.exp());
    (0..p)
        .map(|j| {
            let (b, se) = (fit.coefficients[j], fit.covariance[j * p + j].sqrt());
            let statistic = b / se;
            let (lo, hi) = (b - q * se, b + q * se);
            Coefficient {
                term: fit.names[j].clone(),
                estimate: b,
                se,
                statistic,
                p_value: fit.p_value(statistic),
                ci_low: lo,
                ci_high: hi,
                ratio: ratio(b),
                ratio_low: ratio(lo),
                ratio_high: ratio(hi),
            }
        })
        .collect()
}
