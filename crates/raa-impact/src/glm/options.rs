//! Options of [`fit_binomial`](super::fit_binomial).

use super::Link;
use serde::{Deserialize, Serialize};

/// Options of a binomial GLM fit; the defaults are R's `glm` defaults.
///
/// ```
/// use raa_impact::glm::{GlmOptions, Link};
/// let o = GlmOptions { link: Link::Probit, ..GlmOptions::default() };
/// assert!(o.intercept && o.max_iter == 25 && o.epsilon == 1e-8);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlmOptions {
    /// Link function (logit by default).
    pub link: Link,
    /// Add an intercept, named `(Intercept)`, as the first coefficient.
    pub intercept: bool,
    /// Maximum number of IRLS iterations (R's `maxit`, 25).
    pub max_iter: usize,
    /// Convergence tolerance on the relative change of deviance (R's `epsilon`, 1e-8).
    pub epsilon: f64,
    /// Prior weights, one per row, non-negative; rows with weight 0 do not enter the fit.
    pub weights: Option<Vec<f64>>,
}

impl Default for GlmOptions {
    fn default() -> Self {
        GlmOptions {
            link: Link::Logit,
            intercept: true,
            max_iter: 25,
            epsilon: 1e-8,
            weights: None,
        }
    }
}
