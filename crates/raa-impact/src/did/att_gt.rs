//! Group-time average treatment effects ATT(g,t) (Callaway & Sant'Anna 2021), cell by cell as
//! R `did` 2.5's `compute.att_gt` forms them (a balanced panel's cells here, an unbalanced one's in
//! [`super::unbalanced`]), with the influence-function matrix kept for aggregation, the pre-test
//! and the bootstrap.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::intercept_only::{estimate_in_place, InPlace};
use super::options::{AttGtOptions, BasePeriod, ControlGroup};
use super::panel::{build_panel, cohort_info, CohortInfo, Panel, PanelInput};
use super::se::{corrected_se, interval, pointwise_crit, SmallSample};
use super::two_by_two::{estimate, Cell};
use super::unbalanced::unbalanced_cell;
use crate::inference::multiplier::{multiplier_bootstrap, BootstrapOptions, BootstrapResult};
use crate::{Error, Result};

/// Whether a cell has an estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CellStatus {
    /// Estimated.
    Estimated,
    /// The universal base period's own cell: 0 by construction, no standard error.
    Reference,
    /// Not identified (no comparison units, overlap failure, singular design): the reason.
    /// R `did` reports NA; here the cell is kept out of aggregations and the pre-test.
    NotIdentified(String),
}

/// One ATT(g,t).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GtCell {
    /// Cohort: first treated period.
    pub group: i64,
    /// Period t.
    pub time: i64,
    /// The period compared with t.
    pub base_time: i64,
    /// Event time t − g.
    pub event_time: i64,
    /// Whether t ≥ g (a treatment effect rather than a pre-trend placebo).
    pub post: bool,
    /// Estimate (`None` unless estimated or reference).
    pub att: Option<f64>,
    /// Standard error (analytic or bootstrap; `None` when degenerate).
    pub se: Option<f64>,
    /// Confidence interval att ± c·se, with c pointwise normal or the uniform bootstrap value.
    pub ci: Option<(f64, f64)>,
    /// Units of cohort g used.
    pub n_treated: usize,
    /// Comparison units used.
    pub n_control: usize,
    /// Cohorts the comparison units come from (0 = never treated).
    pub control_groups: Vec<i64>,
    /// Clusters holding the cell's treated and comparison units (`None` without clusters). With
    /// one or two comparison clusters a cluster-robust SE cannot see the comparison side's
    /// variance, and the interval is too narrow.
    #[serde(default)]
    pub clusters: Option<(usize, usize)>,
    /// Estimated, reference, or not identified.
    pub status: CellStatus,
}

/// Result of [`att_gt`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttGt {
    /// Cells ordered by group, then time.
    pub cells: Vec<GtCell>,
    /// Influence functions, column-major `n_units × cells.len()`, on `did`'s scale
    /// (analytic se = sqrt(Σψ²)/n); zero columns for reference and unidentified cells.
    pub influence: Vec<f64>,
    /// Units kept (ascending id); the rows of `influence`.
    pub units: Vec<i64>,
    /// Group of each kept unit after `did`'s recodings (0 = never treated / comparison only).
    pub unit_group: Vec<i64>,
    /// Weight of each kept unit.
    pub unit_weight: Vec<f64>,
    /// Kept units not observed in every period: non-zero only with `allow_unbalanced` on an
    /// unbalanced panel, whose cells then use the repeated cross-section estimators.
    #[serde(default)]
    pub incomplete_units: usize,
    /// Dense cluster index of each kept unit (`None` = unit-level).
    pub unit_cluster: Option<Vec<u32>>,
    /// Periods used.
    pub periods: Vec<i64>,
    /// Units and clusters per cohort.
    pub cohorts: Vec<CohortInfo>,
    /// Distinct clusters holding at least one treated unit.
    pub n_treated_clusters: usize,
    /// Critical value used for `ci` (normal, or uniform sup-t from the bootstrap).
    pub crit_value: f64,
    /// Whether `crit_value` is a uniform band's.
    pub uniform: bool,
    /// The bootstrap run, if any.
    pub bootstrap: Option<BootstrapResult>,
    /// Options used.
    pub options: AttGtOptions,
    /// What preprocessing changed, cells not identified, one-cluster cohorts.
    pub warnings: Vec<String>,
}

impl AttGt {
    /// The small-sample correction when the options ask for it.
    pub(crate) fn small_sample(&self) -> Option<SmallSample> {
        SmallSample::of(self.options.small_sample, self.n_clusters())
    }

    /// `G` of the small-sample correction when it was applied (asked for, and two or more
    /// clusters); `None` otherwise.
    pub fn small_sample_clusters(&self) -> Option<usize> {
        self.small_sample().map(|s| s.clusters)
    }

    /// Number of clusters (units when no cluster column was given): `G` of the small-sample
    /// correction.
    pub fn n_clusters(&self) -> usize {
        match &self.unit_cluster {
            Some(c) => c.iter().copied().max().map_or(0, |m| m as usize + 1),
            None => self.n_units(),
        }
    }

    /// Number of kept units (rows of the influence matrix).
    pub fn n_units(&self) -> usize {
        self.units.len()
    }
    /// Influence function of cell `k`.
    pub fn influence_of(&self, k: usize) -> &[f64] {
        let n = self.n_units();
        &self.influence[k * n..(k + 1) * n]
    }
}

/// Where each cell sits in the panel.
struct CellPlan {
    group: i64,
    cur: usize,
    base: usize,
    reference: bool,
}

fn plan_cells(panel: &Panel, opts: &AttGtOptions) -> Vec<CellPlan> {
    let antic = opts.anticipation as i64;
    let periods = &panel.periods;
    let mut plans = Vec::new();
    for &g in &panel.glist {
        // Base period of post-treatment cells: the last period before g − anticipation.
        let Some(pret_g) = periods.iter().rposition(|t| t + antic < g) else {
            continue;
        };
        let start = match opts.base_period {
            BasePeriod::Varying => 1,
            BasePeriod::Universal => 0,
        };
        let effective = effective_start(periods, g, opts.bed_in);
        for (cur, &t_cur) in periods.iter().enumerate().skip(start) {
            if g <= t_cur && effective.is_none_or(|e| t_cur < e) {
                continue; // a bed-in period
            }
            let mut base = match opts.base_period {
                BasePeriod::Varying => cur - 1,
                BasePeriod::Universal => pret_g,
            };
            if g <= t_cur {
                base = pret_g;
            }
            let reference = opts.base_period == BasePeriod::Universal && base == cur;
            plans.push(CellPlan {
                group: g,
                cur,
                base,
                reference,
            });
        }
    }
    plans
}

/// The first period at or after go-live + `bed_in` periods (`None` beyond the panel).
fn effective_start(periods: &[i64], g: i64, bed_in: u32) -> Option<i64> {
    let first = periods.iter().position(|t| *t >= g)?;
    periods.get(first + bed_in as usize).copied()
}

/// Role of each cohort (by index into `cohort_values`) in a cell: 1 treated, 2 comparison, 0 out.
fn roles(panel: &Panel, opts: &AttGtOptions, plan: &CellPlan) -> Vec<u8> {
    let later = panel.periods[plan.cur.max(plan.base)];
    panel
        .cohort_values
        .iter()
        .map(|&gu| {
            let control = match opts.control_group {
                ControlGroup::NeverTreated => gu == 0,
                ControlGroup::NotYetTreated => {
                    gu == 0 || (gu > later + opts.anticipation as i64 && gu != plan.group)
                }
            };
            if gu == plan.group {
                1
            } else if control {
                2
            } else {
                0
            }
        })
        .collect()
}

fn empty_record(panel: &Panel, plan: &CellPlan) -> GtCell {
    GtCell {
        group: plan.group,
        time: panel.periods[plan.cur],
        base_time: panel.periods[plan.base],
        event_time: panel.periods[plan.cur] - plan.group,
        post: plan.group <= panel.periods[plan.cur],
        att: None,
        se: None,
        ci: None,
        n_treated: 0,
        n_control: 0,
        control_groups: Vec::new(),
        clusters: None,
        status: CellStatus::Estimated,
    }
}

/// Distinct clusters of the treated and of the comparison units of a cell (`unit_role`: 1 treated,
/// 2 comparison, 0 out).
pub(crate) fn cell_clusters(
    panel: &Panel,
    unit_role: impl Fn(usize) -> u8,
) -> Option<(usize, usize)> {
    let cluster = panel.cluster.as_ref()?;
    let n_clusters = cluster.iter().max().map_or(0, |m| *m as usize + 1);
    let mut seen = vec![0u8; n_clusters];
    for (u, &c) in cluster.iter().enumerate() {
        match unit_role(u) {
            1 => seen[c as usize] |= 1,
            2 => seen[c as usize] |= 2,
            _ => {}
        }
    }
    let count = |bit: u8| seen.iter().filter(|s| *s & bit != 0).count();
    Some((count(1), count(2)))
}

/// Estimate one cell into its record and its influence column (length n, zero on entry), then
/// leave it out if its comparisons span too few clusters (`min_comparison_clusters`).
fn compute_cell(panel: &Panel, opts: &AttGtOptions, plan: &CellPlan, column: &mut [f64]) -> GtCell {
    let mut record = estimate_cell(panel, opts, plan, column);
    let min = opts.min_comparison_clusters as usize;
    if let (CellStatus::Estimated, Some((_, k))) = (&record.status, record.clusters) {
        if k < min {
            record.att = None;
            record.status = CellStatus::NotIdentified(format!(
                "comparison units in {k} clusters, fewer than min_comparison_clusters = {min}"
            ));
            column.iter_mut().for_each(|v| *v = 0.0);
        }
    }
    record
}

fn estimate_cell(
    panel: &Panel,
    opts: &AttGtOptions,
    plan: &CellPlan,
    column: &mut [f64],
) -> GtCell {
    let (n, p) = (panel.n(), panel.p);
    let mut record = empty_record(panel, plan);
    if plan.reference {
        record.att = Some(0.0);
        record.status = CellStatus::Reference;
        return record;
    }
    let role = roles(panel, opts, plan);
    if let Some(observed) = &panel.observed {
        let periods = (plan.cur, plan.base);
        unbalanced_cell(
            panel,
            observed,
            opts.est_method,
            periods,
            &role,
            &mut record,
            column,
        );
        return record;
    }
    record.clusters = cell_clusters(panel, |u| role[panel.cohort[u] as usize]);
    let mut counts = vec![0usize; role.len()];
    panel.cohort.iter().for_each(|&c| counts[c as usize] += 1);
    for (k, &r) in role.iter().enumerate() {
        match r {
            1 => record.n_treated += counts[k],
            2 if counts[k] > 0 => {
                record.n_control += counts[k];
                record.control_groups.push(panel.cohort_values[k]);
            }
            _ => {}
        }
    }
    let n1 = record.n_treated + record.n_control;
    let (y_cur, y_base) = (
        &panel.y[plan.cur * n..(plan.cur + 1) * n],
        &panel.y[plan.base * n..(plan.base + 1) * n],
    );
    if p == 1 {
        let c = InPlace {
            role: &role,
            cohort: &panel.cohort,
            y_cur,
            y_base,
            weight: &panel.weight,
        };
        // did rescales the cell's influence function to the full sample: ψ · n / n₁.
        let scale = n as f64 / n1.max(1) as f64;
        match estimate_in_place(&c, opts.est_method, scale, column) {
            Ok(att) if att.is_finite() => record.att = Some(att),
            Ok(_) => record.status = CellStatus::NotIdentified("the estimate is not finite".into()),
            Err(why) => record.status = CellStatus::NotIdentified(why),
        }
        if record.att.is_none() {
            column.iter_mut().for_each(|v| *v = 0.0);
        }
        return record;
    }
    let mut idx = Vec::with_capacity(n1);
    let (mut d, mut dy, mut w) = (
        Vec::with_capacity(n1),
        Vec::with_capacity(n1),
        Vec::with_capacity(n1),
    );
    let mut x = Vec::with_capacity(if p > 1 { n1 * p } else { 0 });
    for u in 0..n {
        let r = role[panel.cohort[u] as usize];
        if r == 0 {
            continue;
        }
        idx.push(u);
        d.push(if r == 1 { 1.0 } else { 0.0 });
        dy.push(y_cur[u] - y_base[u]);
        w.push(panel.weight[u]);
        if p > 1 {
            x.extend_from_slice(&panel.x[u * p..(u + 1) * p]);
        }
    }
    let cell = Cell {
        d: &d,
        dy: &dy,
        x: &x,
        p,
        w: &w,
    };
    match estimate(&cell, opts.est_method) {
        Ok(fit) if fit.att.is_finite() && fit.influence.iter().all(|v| v.is_finite()) => {
            // did rescales the cell's influence function to the full sample: ψ · n / n₁.
            let scale = n as f64 / n1 as f64;
            for (k, &u) in idx.iter().enumerate() {
                column[u] = fit.influence[k] * scale;
            }
            record.att = Some(fit.att);
        }
        Ok(_) => record.status = CellStatus::NotIdentified("the estimate is not finite".into()),
        Err(why) => record.status = CellStatus::NotIdentified(why),
    }
    record
}

/// Group-time average treatment effects ATT(g,t).
///
/// Follows R `did` 2.5 (`att_gt(..., panel = TRUE)`): cohorts are the first treated periods;
/// units first treated after the last period (plus anticipation) count as never treated; units
/// treated in the first period (plus anticipation) are dropped; with no never-treated units the
/// last cohort becomes the comparison and later periods are dropped; units missing a period are
/// dropped (counted in `warnings`), or with `opts.allow_unbalanced` kept, every cell then using the
/// repeated cross-section estimators (`allow_unbalanced_panel = TRUE`; see the module docs). Each
/// cell is a 2×2 DiD (see [`EstMethod`](super::EstMethod)).
/// Standard errors are analytic from the influence functions (`sqrt(Σψ²)/n`; with clusters,
/// `sqrt(Σ_c (Σ_{i∈c} ψ_i)²)/n`, no small-sample factor, as `did`), or from the multiplier
/// bootstrap with a uniform band when `opts.bootstrap` is set.
///
/// ```
/// use raa_impact::did::{att_gt, AttGtOptions, ControlGroup, PanelInput};
/// // 6 units × 4 periods: units 1-2 treated from period 3 (+1.0), units 3-4 from 4, 5-6 never.
/// let (mut unit, mut time, mut group, mut y) = (vec![], vec![], vec![], vec![]);
/// for u in 1..=6i64 {
///     let g = [3, 3, 4, 4, 0, 0][(u - 1) as usize];
///     for t in 1..=4i64 {
///         unit.push(u); time.push(t); group.push(g);
///         let effect = if g > 0 && t >= g { 1.0 } else { 0.0 };
///         y.push(0.1 * u as f64 + 0.5 * t as f64 + effect + 0.01 * ((u * t) % 3) as f64);
///     }
/// }
/// let input = PanelInput { unit: &unit, time: &time, group: &group, y: &y,
///     covariates: &[], cluster: None, weights: None };
/// let res = att_gt(&input, &AttGtOptions { control_group: ControlGroup::NeverTreated, ..Default::default() }).unwrap();
/// let cell = res.cells.iter().find(|c| c.group == 3 && c.time == 3).unwrap();
/// assert!((cell.att.unwrap() - 1.0).abs() < 0.05);
/// ```
pub fn att_gt(input: &PanelInput, opts: &AttGtOptions) -> Result<AttGt> {
    check_options(input, opts)?;
    let panel = build_panel(input, opts)?;
    let plans = plan_cells(&panel, opts);
    if plans.is_empty() {
        return Err(Error::argument(
            "group",
            "no cohort has a period before treatment",
        ));
    }
    let n = panel.n();
    let mut influence = vec![0.0; n * plans.len()];
    // Each cell writes only its own column, so the result does not depend on scheduling.
    let cells: Vec<GtCell> = influence
        .par_chunks_mut(n)
        .zip(plans.par_iter())
        .map(|(column, plan)| compute_cell(&panel, opts, plan, column))
        .collect();
    let mut warnings = panel.warnings.clone();
    for c in &cells {
        if let CellStatus::NotIdentified(why) = &c.status {
            warnings.push(format!(
                "ATT({}, {}) not identified: {why}",
                c.group, c.time
            ));
        }
    }
    let cohorts = cohort_info(&panel);
    cluster_warnings(&panel, &cohorts, &mut warnings);
    few_comparison_clusters(&cells, &mut warnings);
    let mut res = AttGt {
        cells,
        influence,
        n_treated_clusters: treated_clusters(&panel),
        units: panel.units,
        unit_group: panel.group,
        unit_weight: panel.weight,
        incomplete_units: panel.incomplete,
        unit_cluster: panel.cluster,
        periods: panel.periods,
        cohorts,
        crit_value: f64::NAN, // set by fill_inference
        uniform: false,
        bootstrap: None,
        options: *opts,
        warnings,
    };
    fill_inference(&mut res)?;
    Ok(res)
}

fn check_options(input: &PanelInput, opts: &AttGtOptions) -> Result<()> {
    if opts.min_comparison_clusters > 0 && input.cluster.is_none() {
        return Err(Error::argument(
            "min_comparison_clusters",
            "counts clusters of comparison units, but no cluster column was given",
        ));
    }
    if !(opts.alpha > 0.0 && opts.alpha < 1.0) {
        return Err(Error::argument(
            "alpha",
            format!("{} is not in (0, 1)", opts.alpha),
        ));
    }
    Ok(())
}

fn treated_clusters(panel: &Panel) -> usize {
    let mut ids: Vec<u64> = (0..panel.n())
        .filter(|&u| panel.glist.contains(&panel.group[u]))
        .map(|u| panel.cluster.as_ref().map_or(u as u64, |c| c[u] as u64))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

fn cluster_warnings(panel: &Panel, cohorts: &[CohortInfo], warnings: &mut Vec<String>) {
    if panel.cluster.is_none() {
        return;
    }
    for c in cohorts.iter().filter(|c| c.group > 0 && c.n_clusters == 1) {
        warnings.push(format!(
            "cohort {} lies in a single cluster: its effects are not separable from that cluster's shocks",
            c.group
        ));
    }
}

/// Post-treatment cells whose comparison units lie in fewer than three clusters: their
/// cluster-robust SEs miss most of the comparison side's variance.
fn few_comparison_clusters(cells: &[GtCell], warnings: &mut Vec<String>) {
    let few: Vec<String> = cells
        .iter()
        .filter(|c| c.post && c.att.is_some())
        .filter_map(|c| match c.clusters {
            Some((_, k)) if k < 3 => Some(format!("ATT({}, {}): {k}", c.group, c.time)),
            _ => None,
        })
        .collect();
    if !few.is_empty() {
        warnings.push(format!(
            "{} post-treatment cells have comparison units in fewer than 3 clusters, so their \
             clustered SEs are too small ({}); consider never-treated controls, unit-level SEs or \
             fewer late periods",
            few.len(),
            few.join(", ")
        ));
    }
}

/// Standard errors, critical value and intervals of every cell.
fn fill_inference(res: &mut AttGt) -> Result<()> {
    let n = res.n_units();
    let k = res.cells.len();
    let small = res.small_sample();
    res.crit_value = pointwise_crit(res.options.alpha, small);
    for j in 0..k {
        if res.cells[j].status == CellStatus::Estimated {
            let cl = res.unit_cluster.as_deref();
            res.cells[j].se = corrected_se(res.influence_of(j), cl, small);
        }
    }
    if let Some(b) = res.options.bootstrap {
        // The band's level is the estimate's alpha.
        let b = BootstrapOptions {
            alpha: res.options.alpha,
            ..b
        };
        let boot = multiplier_bootstrap(&res.influence, n, k, res.unit_cluster.as_deref(), &b)?;
        for (cell, se) in res.cells.iter_mut().zip(&boot.se) {
            if cell.se.is_some() {
                cell.se = *se;
            }
        }
        if let Some(c) = boot.crit_value {
            res.crit_value = c;
            res.uniform = true;
            if c >= 7.0 {
                res.warnings.push(format!(
                    "uniform critical value {c:.2} is too large to be reliable"
                ));
            }
        }
        res.bootstrap = Some(boot);
    }
    let cv = res.crit_value;
    for cell in &mut res.cells {
        cell.ci = interval(cell.att, cell.se, cv);
    }
    Ok(())
}
