//! Propensity score and covariate matching. [`match_units`] is the front door: it checks the input
//! once, fits (or takes) the score, applies common support and calipers, runs the greedy
//! [`kernel`], and returns a [`MatchSet`] carrying the matched set, its weights and the balance
//! before and after. Effects ([`effect`]) read the match object. [`abadie_imbens`] holds R
//! Matching's estimator and its standard errors. Domain-free: inputs are numbers.

pub mod abadie_imbens;
pub mod caliper;
pub mod effect;
pub mod input;
pub mod kernel;
pub mod matchset;
pub mod options;
pub mod sample_sizes;
pub mod score;
pub mod sensitivity;
pub mod support;
pub mod survival;
pub mod validate;
pub mod weights;

pub use input::MatchInput;
pub use matchset::{match_units, MatchSet};
pub use options::{CaliperScale, CovariateCaliper, Discard, Distance, Estimand, MatchOptions};
