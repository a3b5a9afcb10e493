//! Adoption journeys: one row per period of care of a child that reaches an adoption decision.
//!
//! * [`journey`] — the [`Journey`] row, its durations and covariates.
//! * `derive` — building journeys from validated, stacked returns.

pub mod derive;
pub mod journey;

pub use journey::{Duration, Ending, EthnicGroup, Journey, Measure};
