//! The result of a randomisation test.

use serde::{Deserialize, Serialize};

use super::design::Scheme;
use super::options::Alternative;

/// What every result says about the design: the timing was not randomised.
pub const AS_IF_RANDOM_NOTE: &str = "Go-live timing was not randomised: it was chosen by the \
    organisations themselves. This test treats the observed start times as one draw from the \
    design's admissible assignments, so its p-value is valid only under the assumption that timing \
    was as good as random with respect to the outcome (as-if-random timing).";

/// A randomisation test over intervention timing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomisationResult {
    /// The design's scheme.
    pub scheme: Scheme,
    /// The direction tested.
    pub alternative: Alternative,
    /// The statistic at the observed start times.
    pub observed: f64,
    /// The p-value: `#{T* ≥ T} / N` over all `N` assignments when enumerated (the observed one
    /// included), `(1 + #{T* ≥ T}) / (1 + B)` over `B` Monte Carlo draws otherwise.
    pub p_value: f64,
    /// Monte Carlo standard error of the p-value, `√(p(1 − p)/B)`; zero when enumerated.
    pub mc_standard_error: f64,
    /// Whether every assignment was evaluated.
    pub enumerated: bool,
    /// Number of assignments in the design (`None` beyond `u64::MAX`).
    pub n_assignments: Option<u64>,
    /// `log10` of the number of assignments.
    pub log10_n_assignments: f64,
    /// Number of statistics evaluated: `N` when enumerated, `B` otherwise.
    pub n_evaluated: u64,
    /// Number of evaluated statistics at least as extreme as the observed one.
    pub n_extreme: u64,
    /// Seed of the Monte Carlo streams (`None` when enumerated).
    pub seed: Option<u64>,
    /// Relative tie tolerance used.
    pub tolerance: f64,
    /// The randomisation distribution `T*`, in enumeration (or draw) order, rounded to `f32` to
    /// halve its size (4 MB at 10⁶ assignments); empty when not kept.
    pub distribution: Vec<f32>,
    /// In words: the timing was not randomised, so the test assumes as-if-random timing.
    pub note: String,
}
