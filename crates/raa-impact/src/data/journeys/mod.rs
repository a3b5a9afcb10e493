//! Adoption journeys: one row per period of care of a child that reaches an adoption decision.
//!
//! * [`journey`] — the [`Journey`] row, its durations and covariates.
//! * [`derive`](mod@derive) — building journeys from validated, stacked returns ([`derive_journeys`]); its
//!   documentation is the library's definition of a journey.
//! * [`set`] — the result: journeys, left-out records with reasons, counts.
//! * `children`, `periods`, `decisions`, `milestones`, `durations`, `covariates`, `assemble` —
//!   the steps of the derivation (grouping by child, periods of care, attaching decision rows,
//!   milestone dates, event times, covariates, one child's journeys).

mod assemble;
mod children;
mod covariates;
mod decisions;
pub mod derive;
mod durations;
pub mod journey;
mod milestones;
mod periods;
pub mod set;

pub use derive::{derive_journeys, JourneyOptions};
pub use journey::{Duration, Ending, EthnicGroup, Journey, Measure};
pub use set::{JourneySet, LeftOut, RowCounts};
