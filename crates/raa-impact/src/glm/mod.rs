//! Generalised linear models fitted by iteratively reweighted least squares (binomial logit and
//! probit for propensity scores), numerically equal to R's `glm`.
//!
//! ```
//! use raa_impact::glm::{fit_binomial, GlmOptions};
//! let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
//! let y = [0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
//! let fit = fit_binomial(&[&x], &["x".to_string()], &y, &GlmOptions::default()).unwrap();
//! let ps = fit.fitted; // propensity scores
//! assert!(ps.iter().all(|p| *p > 0.0 && *p < 1.0));
//! ```

mod accumulate;
mod collinearity;
mod design;
mod family;
mod fit;
mod irls;
mod link;
mod options;
mod separation;
mod warning;

pub use fit::GlmFit;
pub use irls::fit_binomial;
pub use link::Link;
pub use options::GlmOptions;
pub use warning::{GlmWarning, SeparationKind};
