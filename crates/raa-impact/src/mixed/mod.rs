//! Linear mixed models by REML or ML for many short series: random effects per unit on a chosen
//! subset of the fixed-effect columns (unstructured or diagonal covariance), an optional random
//! intercept for groups in which units are nested, and AR(1) residuals within unit (`φ^|Δt|`,
//! gaps allowed). This is the multilevel segmented regression of a multiple-baseline design, the
//! model of `nlme::lme(y ~ X, random = ~ Z | unit, correlation = corAR1(form = ~ time | unit))`.
//!
//! Domain-free: plain columns in, a [`MixedFit`] out (β̂, Var(β̂), Satterthwaite df, variance
//! components, BLUPs, fitted values, boundary warnings).
//!
//! How: β and σ² are profiled out; the variance parameters θ (free Cholesky entries of Ψ/σ²,
//! the group SD ratio, `atanh φ`) are found by BFGS from several starts. Each deviance evaluation
//! reduces every unit to a `(p+2) × (p+2)` block by AR(1) whitening (from lag cross-products
//! computed once) and a `q × q` Woodbury step, so it costs `O(m (p² + q p² + q³))`, independent of
//! the series length.
//!
//! ```
//! use raa_impact::mixed::{fit_mixed, MixedInput, MixedOptions, Residual};
//! let (mut y, mut t, mut unit) = (vec![], vec![], vec![]);
//! for u in 0..10u64 {
//!     for s in 0..8 {
//!         t.push(s as f64);
//!         unit.push(u);
//!         y.push(2.0 + 0.3 * s as f64 + (u as f64 - 4.5) * 0.5 + ((u * 13 + s * 5) as f64).sin());
//!     }
//! }
//! let names = vec!["time".to_string()];
//! let input = MixedInput { y: &y, x: &[&t], x_names: &names, unit: &unit, group: None, time: &t };
//! let options = MixedOptions { residual: Residual::Ar1, ..Default::default() };
//! let fit = fit_mixed(&input, &options).unwrap();
//! assert_eq!(fit.names, ["(Intercept)", "time"]);
//! assert!(fit.phi.is_some() && fit.df[1] > 0.0);
//! ```

mod blocks;
mod blup;
mod contrast;
mod dense;
mod deviance;
mod fit;
mod input;
mod optimise;
mod options;
mod params;
mod satterthwaite;
mod table;
mod warnings;

/// Name of the intercept column.
pub const INTERCEPT: &str = "(Intercept)";

pub use contrast::{Contrast, Prediction};
pub use fit::{fit_mixed, log_likelihood_at, Convergence, MixedFit, VarianceParameters};
pub use input::MixedInput;
pub use options::{Method, MixedOptions, RandomCovariance, Residual};
pub use satterthwaite::SatterthwaiteParts;
pub use table::{t_interval, CoefficientRow};
