//! Options of the weighting estimators.

use serde::{Deserialize, Serialize};

use super::WeightScheme;

/// Options of [`ipw_effect`](super::ipw_effect) and [`aipw_effect`](super::aipw_effect).
///
/// ```
/// use raa_impact::weighting::{WeightScheme, WeightingOptions};
/// let o = WeightingOptions { scheme: WeightScheme::Att, ..WeightingOptions::default() };
/// assert!(o.account_for_ps && o.level == 0.95 && o.cluster.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightingOptions {
    /// Target population (ATE by default).
    pub scheme: WeightScheme,
    /// Confidence level of the interval, in (0, 1).
    pub level: f64,
    /// Cluster id per unit: estimating functions are summed within clusters, with the `G/(G−1)`
    /// small-sample factor.
    pub cluster: Option<Vec<u64>>,
    /// IPW only: take the estimation of the propensity score into account by stacking the logit
    /// score equations with the weighted means (M-estimation, Lunceford & Davidian 2004). When
    /// false, the SE is the HC0 sandwich of the weighted regression `y ~ t`, as if the score were
    /// known (usually conservative for the ATE).
    pub account_for_ps: bool,
}

impl Default for WeightingOptions {
    fn default() -> Self {
        WeightingOptions {
            scheme: WeightScheme::Ate,
            level: 0.95,
            cluster: None,
            account_for_ps: true,
        }
    }
}
