//! Options of [`att_gt`](super::att_gt), with R `did` 2.5's defaults where they differ from the
//! project's (the project defaults to not-yet-treated controls, `did` to never-treated).

use serde::{Deserialize, Serialize};

use crate::inference::multiplier::BootstrapOptions;

/// Which units serve as comparisons for cohort g at period t.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ControlGroup {
    /// Never-treated units plus units first treated after both periods of the comparison (plus
    /// anticipation), excluding cohort g itself (`control_group = "notyettreated"`).
    #[default]
    NotYetTreated,
    /// Never-treated units only (`control_group = "nevertreated"`).
    NeverTreated,
}

/// The 2×2 estimator of each ATT(g,t) (Sant'Anna & Zhao 2020, R `DRDID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum EstMethod {
    /// Doubly robust (`drdid_panel`): weighted-logit propensity score and a control-unit outcome
    /// regression of the change.
    #[default]
    Dr,
    /// Outcome regression (`reg_did_panel`).
    Reg,
    /// Normalised inverse-probability weighting (`std_ipw_did_panel`).
    Ipw,
}

/// How pre-treatment cells choose their base period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BasePeriod {
    /// Pre-treatment cells compare t with t − 1 (short gaps); post-treatment cells with g − 1 −
    /// anticipation.
    #[default]
    Varying,
    /// Every cell compares with g − 1 − anticipation; that reference cell is reported as 0.
    Universal,
}

/// Options of [`att_gt`](super::att_gt).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AttGtOptions {
    /// Comparison units.
    pub control_group: ControlGroup,
    /// 2×2 estimator.
    pub est_method: EstMethod,
    /// Base period of pre-treatment cells.
    pub base_period: BasePeriod,
    /// Periods before go-live in which units may already react (`anticipation`).
    pub anticipation: u32,
    /// Periods from go-live on that are a bed-in: the effect is measured from go-live + `bed_in`
    /// (the effective date), the bed-in cells are left out (neither pre- nor post-treatment, so
    /// they enter no aggregation and not the pre-test), post-treatment cells still compare with
    /// the last period before go-live, and a unit in its bed-in is never a comparison unit.
    #[serde(default)]
    pub bed_in: u32,
    /// Keep units that miss some periods (R `did`'s `allow_unbalanced_panel = TRUE`). When the
    /// panel is unbalanced, every cell uses the repeated cross-section 2×2 estimator (`DRDID`'s
    /// `drdid_rc`, `reg_did_rc`, `std_ipw_did_rc`) on the rows observed in its two periods, and a
    /// unit's influence contributions are summed, so SEs, clusters and the bootstrap stay at unit
    /// level. A balanced panel is estimated as without the option. Off: units missing a period
    /// are dropped (counted in `warnings`).
    #[serde(default)]
    pub allow_unbalanced: bool,
    /// Leave out (as not identified) every cell whose comparison units lie in fewer clusters
    /// than this; 0 (default) keeps all, as R `did`. Needs clusters. A cluster-robust variance
    /// estimates the comparison side's variance from its clusters, so with one or two of them
    /// (late cohorts compared with the few units not yet treated) the interval is far too
    /// narrow; dropping such cells changes the estimand to the cells with enough comparisons.
    #[serde(default)]
    pub min_comparison_clusters: u32,
    /// Small-sample correction of analytic inference (off by default, as R `did`): with `G`
    /// clusters (units when no cluster column is given) every analytic SE is scaled by
    /// `sqrt(G/(G − 1))` and pointwise intervals use t with `G − 1` degrees of freedom, Stata's
    /// `vce(cluster)` convention. With about 30 RAAs as clusters the normal interval is too
    /// narrow; this widens it by about 6%. Bootstrap SEs and uniform bands are not changed.
    #[serde(default)]
    pub small_sample: bool,
    /// Level of the confidence intervals (0.05 for 95%).
    pub alpha: f64,
    /// Multiplier bootstrap for standard errors and a uniform band; analytic SEs when `None`.
    /// Its `alpha` is replaced by this struct's `alpha`.
    pub bootstrap: Option<BootstrapOptions>,
}

impl Default for AttGtOptions {
    fn default() -> Self {
        AttGtOptions {
            control_group: ControlGroup::NotYetTreated,
            est_method: EstMethod::Dr,
            base_period: BasePeriod::Varying,
            anticipation: 0,
            bed_in: 0,
            allow_unbalanced: false,
            min_comparison_clusters: 0,
            small_sample: false,
            alpha: 0.05,
            bootstrap: None,
        }
    }
}
