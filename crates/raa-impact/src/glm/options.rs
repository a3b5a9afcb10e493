//! Options of [`fit`](super::fit) and [`fit_binomial`](super::fit_binomial).

use super::{Family, Link};
use serde::{Deserialize, Serialize};

/// Options of a GLM fit; the defaults are R's `glm` defaults with the binomial family.
///
/// The link is not switched with the family: with a family other than the binomial ones, set
/// the link too (or start from [`GlmOptions::for_family`]), else the fit is refused.
///
/// ```
/// use raa_impact::glm::{Family, GlmOptions, Link};
/// let o = GlmOptions { link: Link::Probit, ..GlmOptions::default() };
/// assert!(o.intercept && o.max_iter == 25 && o.epsilon == 1e-8);
/// let p = GlmOptions { offset: Some(vec![0.5; 3]), ..GlmOptions::for_family(Family::Poisson) };
/// assert_eq!(p.link, Link::Log);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlmOptions {
    /// Link function (logit by default; must suit `family`).
    pub link: Link,
    /// Error distribution (binomial by default).
    pub family: Family,
    /// Add an intercept, named `(Intercept)`, as the first coefficient.
    pub intercept: bool,
    /// Maximum number of IRLS iterations (R's `maxit`, 25); also the limit of the negative
    /// binomial θ iterations and alternations, as in `MASS::glm.nb`.
    pub max_iter: usize,
    /// Convergence tolerance on the relative change of deviance (R's `epsilon`, 1e-8).
    pub epsilon: f64,
    /// Prior weights, one per row, non-negative; rows with weight 0 do not enter the fit. For a
    /// binomial proportion outcome, the numbers of trials.
    pub weights: Option<Vec<f64>>,
    /// Offset on the linear-predictor scale, one finite value per row (e.g. `log(population)`).
    pub offset: Option<Vec<f64>>,
}

impl GlmOptions {
    /// R's defaults for `family` with its default (canonical) link.
    pub fn for_family(family: Family) -> Self {
        GlmOptions {
            link: family.default_link(),
            family,
            ..GlmOptions::default()
        }
    }
}

impl Default for GlmOptions {
    fn default() -> Self {
        GlmOptions {
            link: Link::Logit,
            family: Family::Binomial,
            intercept: true,
            max_iter: 25,
            epsilon: 1e-8,
            weights: None,
            offset: None,
        }
    }
}
