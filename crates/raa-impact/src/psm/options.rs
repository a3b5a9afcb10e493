//! Options of [`match_units`](super::match_units), named as in `ri.match` (see DESIGN.md).

use serde::{Deserialize, Serialize};

pub use super::abadie_imbens::Estimand;
pub use super::kernel::{Order, Ties};
pub use crate::glm::Link;

/// What the matching distance is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Distance {
    /// The linear predictor of the score model, `logit(ps)` (the library's default).
    #[default]
    Logit,
    /// The score itself, on the probability scale (MatchIt's and Stata's default).
    Ps,
    /// Covariates scaled by their inverse variances (R Matching's default, `Weight = 1`).
    ScaledEuclidean,
    /// Mahalanobis distance on the covariates.
    Mahalanobis,
}

impl Distance {
    /// True for the distances computed from a propensity score.
    pub fn uses_score(self) -> bool {
        matches!(self, Distance::Logit | Distance::Ps)
    }
}

/// The standard deviation a caliper given in SD units is multiplied by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CaliperScale {
    /// `sqrt((s²_t + s²_c)/2)` of the distance (Austin's recommendation; the default).
    #[default]
    PooledSd,
    /// The SD of the distance over all units (MatchIt's `std.caliper = TRUE`).
    Sd,
    /// The SD among the treated.
    TreatedSd,
    /// The caliper is already in the distance's own units.
    Raw,
}

/// Which units outside the region of common support are dropped before matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Discard {
    /// Keep everyone.
    #[default]
    None,
    /// Drop treated units whose score lies outside the controls' range.
    Treated,
    /// Drop controls whose score lies outside the treated units' range.
    Control,
    /// Both of the above.
    Both,
}

/// A caliper on a named covariate: `|x_t − x_c| ≤ width` (in SDs of `x` unless `raw`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CovariateCaliper {
    /// Covariate name (a column of the input).
    pub covariate: String,
    /// Width.
    pub width: f64,
    /// True when `width` is in the covariate's units; else in its SD over all units (MatchIt).
    pub raw: bool,
}

/// Every option of a match. `Default` gives `ri.match`'s defaults: logit score, logit distance,
/// ATT, 1:1 greedy nearest neighbour without replacement, largest score first, no caliper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchOptions {
    /// Link of the score model when no score is supplied.
    pub link: Link,
    /// Matching distance.
    pub distance: Distance,
    /// ATT (focal = treated), ATC (focal = controls) or ATE (both directions; needs `replace`).
    pub estimand: Estimand,
    /// Controls per focal unit.
    pub ratio: usize,
    /// Match with replacement.
    pub replace: bool,
    /// With replacement, the most times a control may be used.
    pub reuse_max: Option<usize>,
    /// Caliper on the distance, in units of `caliper_scale`.
    pub caliper: Option<f64>,
    /// What the caliper is measured in.
    pub caliper_scale: CaliperScale,
    /// Calipers on covariates.
    pub covariate_calipers: Vec<CovariateCaliper>,
    /// Matching order of the focal units.
    pub order: Order,
    /// Tie handling (`All` needs `replace`).
    pub ties: Ties,
    /// Ties. `Ties::First`: two sides of a unit closer than this in raw distance count as equally
    /// far (default 0, MatchIt's exact comparison). `Ties::All`: R Matching's `distance.tolerance`
    /// on squared distances standardised by the distance's SD (default 1e-5, Matching's).
    pub tolerance: Option<f64>,
    /// Common-support rule.
    pub discard: Discard,
    /// Crump et al. (2009) trimming: drop units whose score is outside `[α, 1 − α]`.
    pub crump_alpha: Option<f64>,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            link: Link::Logit,
            distance: Distance::Logit,
            estimand: Estimand::Att,
            ratio: 1,
            replace: false,
            reuse_max: None,
            caliper: None,
            caliper_scale: CaliperScale::PooledSd,
            covariate_calipers: Vec::new(),
            order: Order::Largest,
            ties: Ties::First,
            tolerance: None,
            discard: Discard::None,
            crump_alpha: None,
        }
    }
}
