//! Generalised linear models fitted by iteratively reweighted least squares, numerically equal to
//! R's `glm` (and `MASS::glm.nb`): Gaussian, binomial (logit, probit; 0/1 or proportions with
//! trials), quasi-binomial, Poisson, quasi-Poisson and negative binomial families, with prior
//! weights and an offset. Binomial fits give propensity scores; count fits give interrupted time
//! series models.
//!
//! ```
//! use raa_impact::glm::{fit_binomial, GlmOptions};
//! let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
//! let y = [0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
//! let fit = fit_binomial(&[&x], &["x".to_string()], &y, &GlmOptions::default()).unwrap();
//! let ps = fit.fitted; // propensity scores
//! assert!(ps.iter().all(|p| *p > 0.0 && *p < 1.0));
//! ```
//!
//! A Poisson rate model with a log-population offset (rate ratios are `exp(coefficient)`):
//!
//! ```
//! use raa_impact::glm::{fit, Family, GlmOptions};
//! let step = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0];
//! let cases = [52.0, 49.0, 55.0, 51.0, 57.0, 41.0, 44.0, 40.0, 43.0, 39.0];
//! let pop = [1.0e5; 10];
//! let options = GlmOptions {
//!     offset: Some(pop.iter().map(|p: &f64| p.ln()).collect()),
//!     ..GlmOptions::for_family(Family::Poisson)
//! };
//! let f = fit(&[&step], &["step".into()], &cases, &options).unwrap();
//! let rate_ratio = f.coefficients[1].exp();
//! assert!(rate_ratio < 1.0 && f.dispersion == 1.0);
//! ```

mod accumulate;
mod collinearity;
mod crossprod;
mod design;
mod entry;
mod family;
mod finish;
mod fit;
mod irls;
mod link;
mod negbin;
mod options;
mod separation;
mod special;
mod warning;

pub use entry::{fit, fit_binomial};
pub use family::Family;
pub use fit::{GlmFit, ThetaConvergence};
pub use link::Link;
pub use options::GlmOptions;
pub use warning::{GlmWarning, SeparationKind};
