//! Propensity-score weighting estimators, domain-free: Hájek inverse probability weighting for the
//! ATE, ATT, ATC and overlap population ([`ipw_effect`]), with M-estimation standard errors that
//! account for the estimated score, and augmented IPW ([`aipw_effect`], doubly robust). Both
//! return the same [`Effect`](crate::psm::effect::Effect) as matching, so matched and weighted
//! estimates sit side by side.
//!
//! ```
//! use raa_impact::weighting::{ipw_effect, WeightingOptions};
//! let x: Vec<f64> = (0..50).map(|i| (i % 10) as f64).collect();
//! let treated: Vec<bool> = (0..50).map(|i| (i * 3 + i / 10) % 4 < 2).collect();
//! let y: Vec<f64> = (0..50).map(|i| if treated[i] { 1.0 } else { 0.0 }).collect();
//! let (e, w) = ipw_effect(&y, &treated, &[&x], &["x".into()], &WeightingOptions::default()).unwrap();
//! assert!((e.estimate - 1.0).abs() < 1e-12);
//! assert!(w.iter().all(|w| *w >= 1.0)); // ATE weights 1/e and 1/(1−e)
//! ```

mod aipw;
mod input;
mod ipw;
mod options;
mod scheme;
mod variance;

pub use aipw::aipw_effect;
pub use ipw::ipw_effect;
pub use options::WeightingOptions;
pub use scheme::{ps_weights, WeightScheme};
