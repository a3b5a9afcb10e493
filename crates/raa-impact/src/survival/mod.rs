//! Weighted survival analysis for censored outcomes: Kaplan–Meier, restricted mean survival time,
//! cumulative incidence, Cox.
//!
//! Domain-free: every function takes plain slices (durations, event flags, optional weights and
//! cluster ids), so that matched samples (weights 2 for a control reused twice, 1/k for k:1) and
//! cluster-robust inference (matched pair or local authority) come for free. Inputs are validated
//! once ([`input`]) and sorted once; the workers are O(n log n) for the sort and O(n) afterwards.
//!
//! ```
//! use raa_impact::survival::kaplan_meier;
//! let km = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], &[true, false, true, true], None).unwrap();
//! assert!((km.at(1.5) - 0.75).abs() < 1e-12);
//! // S = 1 on [0, 1), 0.75 on [1, 3) (the row at 2 is censored), 0.375 on [3, 4)
//! assert!((km.rmst(4.0) - (1.0 + 0.75 * 2.0 + 0.375)).abs() < 1e-12);
//! ```

pub mod cox;
pub mod cuminc;
pub mod input;
pub mod km;
pub mod rmst;

pub use cox::{cox_treatment, CoxResult};
pub use cuminc::{cumulative_incidence, CumulativeIncidence};
pub use km::{kaplan_meier, KmCurve};
pub use rmst::{rmst_difference, RmstDifference};

/// 97.5% quantile of the standard normal distribution (95% two-sided intervals).
pub(crate) const Z975: f64 = 1.959_963_984_540_054;
