//! Options of a linear mixed-model fit.

use serde::{Deserialize, Serialize};

/// Likelihood maximised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Method {
    /// Restricted (residual) maximum likelihood, as `nlme::lme(method = "REML")`.
    #[default]
    Reml,
    /// Maximum likelihood.
    Ml,
}

/// Structure of the covariance of the unit-level random effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RandomCovariance {
    /// Any positive semi-definite matrix (`pdSymm` / `pdLogChol` in nlme).
    #[default]
    Unstructured,
    /// Independent random effects (`pdDiag`).
    Diagonal,
}

/// Within-unit residual correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Residual {
    /// Independent residuals.
    #[default]
    Independent,
    /// AR(1) in the (integer-valued) time index: `corr(e_s, e_t) = φ^|t − s|`, so that gaps in a
    /// series are allowed (as `nlme::corAR1(form = ~ time | unit)`).
    Ar1,
}

/// Options of [`fit_mixed`](super::fit_mixed).
///
/// ```
/// use raa_impact::mixed::{MixedOptions, Residual};
/// let o = MixedOptions { random: vec!["(Intercept)".into()], residual: Residual::Ar1, ..Default::default() };
/// assert!(o.intercept);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixedOptions {
    /// Add an intercept column named `(Intercept)` as the first fixed effect.
    pub intercept: bool,
    /// Names of the fixed-effect columns that also get a unit-level random effect
    /// (`(Intercept)` for the random intercept). Every name must be a fixed-effect column.
    pub random: Vec<String>,
    /// Covariance structure of the unit-level random effects.
    pub covariance: RandomCovariance,
    /// Residual correlation within unit.
    pub residual: Residual,
    /// REML (default) or ML.
    pub method: Method,
    /// Fewest observations a unit may have.
    pub min_unit_obs: usize,
    /// Iteration limit of each quasi-Newton run.
    pub max_iter: usize,
}

impl Default for MixedOptions {
    fn default() -> Self {
        MixedOptions {
            intercept: true,
            random: vec![super::INTERCEPT.to_string()],
            covariance: RandomCovariance::Unstructured,
            residual: Residual::Independent,
            method: Method::Reml,
            min_unit_obs: 2,
            max_iter: 500,
        }
    }
}
