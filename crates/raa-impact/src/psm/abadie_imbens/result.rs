//! Result of the Abadie–Imbens matching estimator.

use serde::{Deserialize, Serialize};

use super::Estimand;

/// One match: a focal unit, one of its matches and the pair's weight (1 / number of matches of the
/// focal unit, so that each focal unit weighs 1 in total).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AiPair {
    /// Row of the focal unit (the unit being matched).
    pub index_focal: usize,
    /// Row of the matched unit (of the other group).
    pub index_match: usize,
    /// Weight of the pair.
    pub weight: f64,
}

/// Estimate and standard errors of [`ai_match`](super::ai_match).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AiResult {
    /// Effect estimate (bias-adjusted when requested); Matching's `est`.
    pub estimate: f64,
    /// Abadie–Imbens standard error; Matching's `se`.
    pub se: f64,
    /// Naive standard error treating matched pairs as independent; Matching's `se.standard`.
    pub se_naive: f64,
    /// Number of treated rows in the input.
    pub n_treated: usize,
    /// Number of control rows in the input.
    pub n_control: usize,
    /// All matches, grouped by focal unit in row order, matches in row order.
    pub matches: Vec<AiPair>,
    /// Target population.
    pub estimand: Estimand,
    /// Number of focal units that were matched.
    pub n_matched_obs: usize,
    /// Sum of the pair weights (Matching's `wnobs`).
    pub n_weighted: f64,
}
