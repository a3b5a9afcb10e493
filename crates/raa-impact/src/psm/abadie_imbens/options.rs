//! Options of the Abadie–Imbens matching estimator (R Matching's `Match()` arguments).

use serde::{Deserialize, Serialize};

use super::Estimand;

/// How covariates are scaled before the squared Euclidean distance is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scaling {
    /// Each covariate divided by its sample standard deviation (n − 1); Matching's `Weight = 1`.
    InverseVariance,
    /// Standardised covariates weighted by the inverse of their (1/n) correlation matrix, i.e. the
    /// Mahalanobis distance; Matching's `Weight = 2`.
    Mahalanobis,
    /// Raw covariates, no scaling (no counterpart in Matching, which always standardises).
    Identity,
}

/// Options of [`ai_match`](super::ai_match). `Default` gives Matching's defaults (ATT, M = 1,
/// inverse-variance scaling, all ties kept, `distance.tolerance = 1e-5`, no bias adjustment,
/// population variance, homoskedastic variance).
///
/// ```
/// use raa_impact::psm::abadie_imbens::{AiOptions, Estimand};
/// let o = AiOptions { estimand: Estimand::Ate, sample: true, ..AiOptions::default() };
/// assert_eq!(o.m, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AiOptions {
    /// Target population.
    pub estimand: Estimand,
    /// Number of matches per focal unit (capped at the size of the other group).
    pub m: usize,
    /// Covariate scaling.
    pub scaling: Scaling,
    /// `true` keeps every unit tied with the M-th nearest (Matching's default). `false` is not
    /// supported (Matching breaks ties at random) and is rejected.
    pub ties: bool,
    /// Distance tolerance on the *squared* scaled distance: a candidate is a match when its squared
    /// distance is at most the M-th smallest plus this (Matching's `distance.tolerance`).
    pub tolerance: f64,
    /// Regression bias adjustment on the matching covariates (Abadie–Imbens 2011).
    pub bias_adjust: bool,
    /// `true`: variance of the sample average effect (SATE, `sample = TRUE`); `false`: population.
    pub sample: bool,
    /// 0: homoskedastic conditional variance; J > 0: heteroskedastic, estimated from the J nearest
    /// units of the same group (Matching's `Var.calc`).
    pub var_calc: usize,
}

impl Default for AiOptions {
    fn default() -> Self {
        AiOptions {
            estimand: Estimand::Att,
            m: 1,
            scaling: Scaling::InverseVariance,
            ties: true,
            tolerance: 1e-5,
            bias_adjust: false,
            sample: false,
            var_calc: 0,
        }
    }
}
