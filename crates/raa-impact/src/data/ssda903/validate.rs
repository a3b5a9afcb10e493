//! Validation of SSDA903 returns: DfE code lists and the date-order rules that matter for adoption.
//!
//! (Interface fixed; the rules are being written.)

use super::problem::Problem;
use super::tables::Returns;
use serde::Serialize;

/// The outcome of validation: every problem as a row, and which rows are invalid (an
/// error-severity problem) in each table, indexed like the vectors of [`Returns`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Validation {
    pub problems: Vec<Problem>,
    pub invalid_header: Vec<bool>,
    pub invalid_episodes: Vec<bool>,
    pub invalid_ad1: Vec<bool>,
    pub invalid_placed_adoption: Vec<bool>,
}

/// Check `returns` against the code lists and date-order rules. Includes the read problems.
pub fn validate(returns: &Returns) -> Validation {
    Validation {
        problems: returns.read_problems.clone(),
        invalid_header: vec![false; returns.header.len()],
        invalid_episodes: vec![false; returns.episodes.len()],
        invalid_ad1: vec![false; returns.ad1.len()],
        invalid_placed_adoption: vec![false; returns.placed_adoption.len()],
    }
}
