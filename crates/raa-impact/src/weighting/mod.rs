//! Propensity-score weighting estimators, domain-free: Hájek inverse probability weighting for the
//! ATE, ATT, ATC and overlap population ([`ipw_effect`]), with M-estimation standard errors that
//! account for the estimated score, and augmented IPW ([`aipw_effect`], doubly robust). Both
//! return the same [`Effect`](crate::psm::effect::Effect) as matching, so matched and weighted
//! estimates sit side by side.
//!
//! Standard errors:
//! * IPW, `account_for_ps = true` (default): M-estimation. The logit score equations
//!   `(t − e) x` are stacked with the two weighted-mean equations and the sandwich
//!   `A⁻¹ B A⁻ᵀ` is taken (Lunceford & Davidian 2004 for the ATE; the ATT, ATC and overlap
//!   versions follow from the same derivation with their own weight derivatives). Written as a
//!   per-unit influence value, so clustering just sums it within clusters.
//! * IPW, `account_for_ps = false`: the HC0 sandwich of `lm(y ~ t, weights = w)`, as R
//!   `sandwich::vcovHC(type = "HC0")`; the score is treated as known.
//! * AIPW: the efficient influence function.
//! * With `cluster`: the estimating functions (influence values) are summed within clusters and
//!   the variance is multiplied by `G/(G−1)` (R `vcovCL(type = "HC0")`, whose default `cadjust`
//!   is that factor); no `(n−1)/(n−p)` factor.
//!
//! All loops are sequential over rows in input order, so results do not depend on the thread
//! count. Scores numerically 0 or 1 (within 1e-8) are an error naming the row; scores within 1e-5
//! of 0 or 1 are accepted with a warning appended to `se_method`.
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
