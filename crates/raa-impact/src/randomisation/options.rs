//! Options of a randomisation test.

use serde::{Deserialize, Serialize};

/// Which statistics count as at least as extreme as the observed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Alternative {
    /// `T* ≥ T`: the intervention raised the outcome.
    #[default]
    Greater,
    /// `T* ≤ T`: the intervention lowered the outcome.
    Less,
    /// `|T*| ≥ |T|`.
    TwoSided,
}

/// Options of [`randomisation_test`](super::randomisation_test).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomisationOptions {
    /// Direction of the test.
    pub alternative: Alternative,
    /// Enumerate every assignment when there are at most this many (default 10⁶).
    pub max_enumerate: u64,
    /// Monte Carlo draws `B` when the assignments are too many to enumerate (default 9,999).
    pub draws: u64,
    /// Seed of the Monte Carlo streams.
    pub seed: u64,
    /// Relative tolerance for ties: `T*` counts as `≥ T` when `T* ≥ T − tol · max(|T|, |T*|)`, so
    /// that a permuted statistic equal to the observed one up to rounding (the same sum added in a
    /// different order) is counted as a tie, as exact arithmetic would. Default 1e-9.
    pub tolerance: f64,
    /// Keep the randomisation distribution (as `f32`) in the result, for a histogram. Default true.
    pub keep_distribution: bool,
}

impl Default for RandomisationOptions {
    fn default() -> Self {
        RandomisationOptions {
            alternative: Alternative::Greater,
            max_enumerate: 1_000_000,
            draws: 9_999,
            seed: 20_170_401,
            tolerance: 1e-9,
            keep_distribution: true,
        }
    }
}

impl Alternative {
    /// Whether `t_star` is at least as extreme as `t`, ties within `tol` (relative) counted.
    pub fn at_least_as_extreme(self, t_star: f64, t: f64, tol: f64) -> bool {
        let (a, b) = match self {
            Alternative::Greater => (t_star, t),
            Alternative::Less => (-t_star, -t),
            Alternative::TwoSided => (t_star.abs(), t.abs()),
        };
        a >= b - tol * a.abs().max(b.abs())
    }
}
