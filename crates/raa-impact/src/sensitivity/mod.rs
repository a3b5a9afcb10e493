//! Sensitivity analysis for matched designs: Rosenbaum bounds and the E-value.
//!
//! ```
//! use raa_impact::sensitivity::evalue_risk_ratio;
//! let e = evalue_risk_ratio(3.9, 1.8, 8.7).unwrap();
//! assert!((e.point - 7.26).abs() < 0.01);
//! ```

pub mod evalue;
pub mod rosenbaum;

pub use evalue::{evalue_difference, evalue_hazard_ratio, evalue_risk_ratio, EValue};
pub use rosenbaum::{gamma_at_significance, rosenbaum_wilcoxon, RosenbaumBound};
