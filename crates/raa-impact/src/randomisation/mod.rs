//! Randomisation tests over intervention timing for multiple-baseline (staggered) designs.
//!
//! A design lists the start-time vectors the randomisation could have produced
//! ([`Design`]: Marascuilo–Busk, Wampold–Worsham or Koehler–Levin); the test evaluates a
//! statistic of the start times over all of them (complete enumeration up to 10⁶) or over `B`
//! random ones, and reports where the observed statistic falls ([`randomisation_test`]). The
//! statistic is any function of the start times; [`PhaseMeanDifference`] is the classical
//! phase B − phase A mean difference.
//!
//! Timing in observational roll-outs is not randomised: every result carries a note saying the
//! test assumes as-if-random timing.
//!
//! ```
//! use raa_impact::randomisation::{randomisation_test, Design, RandomisationOptions};
//! let d = Design::wampold_worsham(4, &[3, 5, 7, 9]).unwrap();
//! let r = randomisation_test(&d, &[3, 5, 7, 9], |s| Ok(s[0] as f64), &RandomisationOptions::default()).unwrap();
//! assert_eq!(r.n_evaluated, 24);
//! assert!(r.note.contains("as-if-random"));
//! ```

pub mod design;
pub mod draw;
pub mod index;
mod matching;
pub mod options;
pub mod phase_difference;
pub mod result;
pub mod run;

pub use design::{Design, Scheme, Window};
pub use draw::Streams;
pub use options::{Alternative, RandomisationOptions};
pub use phase_difference::{phase_difference_test, PhaseMeanDifference};
pub use result::{RandomisationResult, AS_IF_RANDOM_NOTE};
pub use run::{randomisation_test, randomisation_test_serial};
