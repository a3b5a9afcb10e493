//! The input of [`att_gt`](super::att_gt) and its one-time normalisation into a dense
//! unit × period panel (R `did`'s `pre_process_did`): rows sorted by (unit, time), checks of every
//! rule with the offending row named, the group recodings `did` makes, and unbalanced units dropped
//! (or, with `allow_unbalanced`, kept with a mask of the unit-periods observed).

use serde::{Deserialize, Serialize};

use super::options::{AttGtOptions, ControlGroup};
use crate::{Error, Result};

/// A long panel: one row per unit and period.
///
/// `group` is the first period of treatment (0 = never treated) and must be constant within unit.
/// Covariates, weights and clusters must be time-invariant within unit (R `did` uses the base
/// period's covariate values and warns on time-varying weights; requiring invariance makes the two
/// agree and catches coding slips). Times are integer-coded periods (years, quarter numbers, ...).
#[derive(Debug, Clone, Copy)]
pub struct PanelInput<'a> {
    /// Unit id per row.
    pub unit: &'a [i64],
    /// Period per row.
    pub time: &'a [i64],
    /// First treated period per row (0 = never treated).
    pub group: &'a [i64],
    /// Outcome per row.
    pub y: &'a [f64],
    /// Time-invariant covariates, one slice per covariate (may be empty).
    pub covariates: &'a [&'a [f64]],
    /// Cluster id per row (time-invariant); `None` = the unit is the cluster.
    pub cluster: Option<&'a [i64]>,
    /// Sampling weights per row (time-invariant); `None` = 1.
    pub weights: Option<&'a [f64]>,
}

/// Per-cohort counts reported beside the estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortInfo {
    /// First treated period (0 = never treated).
    pub group: i64,
    /// Units in the cohort.
    pub n_units: usize,
    /// Distinct clusters among those units.
    pub n_clusters: usize,
}

/// The dense panel every later step reads.
#[derive(Debug, Clone)]
pub(crate) struct Panel {
    /// Unit ids, ascending.
    pub units: Vec<i64>,
    /// Periods, ascending.
    pub periods: Vec<i64>,
    /// Group per unit after recoding.
    pub group: Vec<i64>,
    /// Outcomes, period-major: `y[p * n + u]` (a cell reads two contiguous periods); NaN where
    /// the unit-period is not observed.
    pub y: Vec<f64>,
    /// Which unit-periods are observed, laid out as `y`; `None` when the panel is balanced (always
    /// without `allow_unbalanced`). `Some` switches every cell to the repeated cross-section
    /// estimators, as R `did` does when the panel it is given is unbalanced.
    pub observed: Option<Vec<bool>>,
    /// Kept units not observed in every period (non-zero only with `allow_unbalanced`).
    pub incomplete: usize,
    /// Distinct group values, ascending (0 first if present).
    pub cohort_values: Vec<i64>,
    /// Index into `cohort_values` per unit.
    pub cohort: Vec<u32>,
    /// Design row per unit, intercept first: `x[u * p + j]`; empty when there are no covariates.
    pub x: Vec<f64>,
    /// Columns of `x`.
    pub p: usize,
    /// Weight per unit.
    pub weight: Vec<f64>,
    /// Dense cluster index per unit (`None` = unit-level).
    pub cluster: Option<Vec<u32>>,
    /// Treated cohorts that get ATT(g,t) cells.
    pub glist: Vec<i64>,
    /// Messages about what preprocessing changed.
    pub warnings: Vec<String>,
}

impl Panel {
    /// Number of units.
    pub fn n(&self) -> usize {
        self.units.len()
    }
}

fn check_input(input: &PanelInput) -> Result<usize> {
    let n = input.unit.len();
    if n == 0 {
        return Err(Error::argument("unit", "the panel has no rows"));
    }
    let same = crate::inference::check::same_length;
    same("time", input.time.len(), n)?;
    same("group", input.group.len(), n)?;
    crate::inference::check::finite("y", input.y, n)?;
    for (j, c) in input.covariates.iter().enumerate() {
        crate::inference::check::finite(&format!("covariates[{j}]"), c, n)?;
    }
    if let Some(c) = input.cluster {
        same("cluster", c.len(), n)?;
    }
    if let Some(w) = input.weights {
        crate::inference::check::weights("weights", w, n)?;
    }
    if let Some(r) = input.group.iter().position(|g| *g < 0) {
        return Err(Error::argument(
            "group",
            format!(
                "row {r} is {}, expected 0 (never treated) or a first treated period",
                input.group[r]
            ),
        ));
    }
    Ok(n)
}

/// Row order by (unit, time); the identity when the rows already are in that order.
fn sorted_order(input: &PanelInput) -> Result<Vec<usize>> {
    let key = |i: usize| (input.unit[i], input.time[i]);
    let n = input.unit.len();
    let already = (1..n).all(|i| key(i - 1) < key(i));
    let mut order: Vec<usize> = (0..n).collect();
    if !already {
        order.sort_unstable_by_key(|&i| key(i));
    }
    for w in order.windows(2) {
        if key(w[0]) == key(w[1]) {
            let (a, b) = (w[0].min(w[1]), w[0].max(w[1]));
            return Err(Error::argument(
                "time",
                format!(
                    "rows {a} and {b} are both unit {} at period {}: one row per unit-period expected",
                    input.unit[a], input.time[a]
                ),
            ));
        }
    }
    Ok(order)
}

fn unique_periods(time: &[i64]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for &t in time {
        if let Err(pos) = out.binary_search(&t) {
            out.insert(pos, t);
        }
    }
    out
}

/// Error naming the row where a per-unit value changes.
fn varies(name: &str, unit: i64, row: usize, first_row: usize) -> Error {
    Error::argument(
        name,
        format!("row {row} differs from row {first_row} for unit {unit}: expected a value constant within unit"),
    )
}

/// One unit's rows (in time order) checked for time-invariant columns.
fn check_unit_constant(input: &PanelInput, rows: &[usize]) -> Result<()> {
    let r0 = rows[0];
    let u = input.unit[r0];
    for &r in &rows[1..] {
        if input.group[r] != input.group[r0] {
            return Err(varies("group", u, r, r0));
        }
        if let Some(c) = input.cluster {
            if c[r] != c[r0] {
                return Err(varies("cluster", u, r, r0));
            }
        }
        if let Some(w) = input.weights {
            if w[r] != w[r0] {
                return Err(varies("weights", u, r, r0));
            }
        }
        for (j, c) in input.covariates.iter().enumerate() {
            if c[r] != c[r0] {
                return Err(varies(&format!("covariates[{j}]"), u, r, r0));
            }
        }
    }
    Ok(())
}

/// Units as (first sorted position, row count), checked for constant columns.
fn unit_spans(input: &PanelInput, order: &[usize]) -> Result<Vec<(usize, usize)>> {
    let mut spans = Vec::new();
    let mut start = 0;
    for i in 1..=order.len() {
        if i == order.len() || input.unit[order[i]] != input.unit[order[start]] {
            check_unit_constant(input, &order[start..i])?;
            spans.push((start, i - start));
            start = i;
        }
    }
    Ok(spans)
}

/// Check that go-live dates inside the panel are panel periods.
fn check_groups_are_periods(input: &PanelInput, periods: &[i64]) -> Result<()> {
    let (first, last) = (periods[0], periods[periods.len() - 1]);
    for (r, &g) in input.group.iter().enumerate() {
        if g > first && g <= last && periods.binary_search(&g).is_err() {
            return Err(Error::argument(
                "group",
                format!("row {r} is {g}, which lies inside the panel ({first}–{last}) but is not one of its periods"),
            ));
        }
    }
    Ok(())
}

/// R `did`'s group recodings, applied to one group value per unit. Returns the kept periods' upper
/// bound (exclusive) and the treated cohorts.
fn recode_groups(
    group: &mut [i64],
    periods: &[i64],
    opts: &AttGtOptions,
    warnings: &mut Vec<String>,
) -> (Option<i64>, Vec<i64>) {
    let antic = opts.anticipation as i64;
    let last = periods[periods.len() - 1];
    let late = group.iter().filter(|g| **g > last + antic).count();
    if late > 0 {
        warnings.push(format!(
            "{late} units first treated after the last period (plus anticipation) are treated as never treated"
        ));
        group
            .iter_mut()
            .filter(|g| **g > last + antic)
            .for_each(|g| *g = 0);
    }
    let mut cutoff = None;
    let mut drop_latest = None;
    if !group.contains(&0) {
        let latest = group.iter().copied().max().unwrap_or(0);
        cutoff = Some(latest - antic);
        match opts.control_group {
            ControlGroup::NeverTreated => {
                warnings.push(format!(
                    "no never-treated units: the last cohort ({latest}) serves as never treated and periods from {} on are dropped",
                    latest - antic
                ));
                group
                    .iter_mut()
                    .filter(|g| **g == latest)
                    .for_each(|g| *g = 0);
            }
            ControlGroup::NotYetTreated => {
                warnings.push(format!(
                    "no never-treated units: the last cohort ({latest}) serves only as a comparison and periods from {} on are dropped",
                    latest - antic
                ));
                drop_latest = Some(latest);
            }
        }
    }
    let mut glist: Vec<i64> = group.iter().copied().filter(|g| *g > 0).collect();
    glist.sort_unstable();
    glist.dedup();
    if let Some(l) = drop_latest {
        glist.retain(|g| *g != l);
    }
    (cutoff, glist)
}

/// Normalise the input once (see the module docs).
pub(crate) fn build_panel(input: &PanelInput, opts: &AttGtOptions) -> Result<Panel> {
    let n_rows = check_input(input)?;
    let order = sorted_order(input)?;
    let all_periods = unique_periods(input.time);
    check_groups_are_periods(input, &all_periods)?;
    let spans = unit_spans(input, &order)?;
    let mut warnings = Vec::new();
    let mut group: Vec<i64> = spans.iter().map(|(s, _)| input.group[order[*s]]).collect();
    let (cutoff, mut glist) = recode_groups(&mut group, &all_periods, opts, &mut warnings);
    let periods: Vec<i64> = match cutoff {
        Some(c) => all_periods.iter().copied().filter(|t| *t < c).collect(),
        None => all_periods.clone(),
    };
    if periods.len() < 2 {
        return Err(Error::argument("time", "fewer than two usable periods"));
    }
    let antic = opts.anticipation as i64;
    let first = periods[0];
    glist.retain(|g| *g > first + antic);
    let keep = keep_units(
        &spans,
        &group,
        &periods,
        input,
        &order,
        (first + antic, opts.allow_unbalanced),
        &mut warnings,
    );
    if glist.is_empty() {
        return Err(Error::argument(
            "group",
            "no treated cohort starts after the first period (plus anticipation)",
        ));
    }
    let panel = assemble(
        input, &order, &spans, &group, &keep, periods, glist, warnings,
    )?;
    debug_assert!(panel.y.len() <= n_rows);
    Ok(panel)
}

/// Which units stay: treated after the first period, and observed in every kept period (with
/// `allow_unbalanced`: in at least one).
fn keep_units(
    spans: &[(usize, usize)],
    group: &[i64],
    periods: &[i64],
    input: &PanelInput,
    order: &[usize],
    (first_plus, allow_unbalanced): (i64, bool),
    warnings: &mut Vec<String>,
) -> Vec<bool> {
    let (mut early, mut incomplete, mut unseen) = (0, 0, 0);
    let keep = spans
        .iter()
        .zip(group)
        .map(|(&(s, len), &g)| {
            if g != 0 && g <= first_plus {
                early += 1;
                return false;
            }
            let seen = order[s..s + len]
                .iter()
                .filter(|&&r| periods.binary_search(&input.time[r]).is_ok())
                .count();
            if seen == 0 {
                unseen += 1;
                return false;
            }
            if seen != periods.len() {
                incomplete += 1;
                return allow_unbalanced;
            }
            true
        })
        .collect();
    if early > 0 {
        warnings.push(format!(
            "dropped {early} units already treated in the first period (plus anticipation)"
        ));
    }
    if allow_unbalanced {
        if unseen > 0 {
            warnings.push(format!(
                "dropped {unseen} units with no row in the periods used"
            ));
        }
        if incomplete > 0 {
            warnings.push(format!(
                "unbalanced panel: {incomplete} units are not observed in every period; each \
                 ATT(g,t) uses the repeated cross-section estimator on the rows observed in its two \
                 periods, with influence functions summed by unit (allow_unbalanced)"
            ));
        }
    } else if incomplete + unseen > 0 {
        warnings.push(format!(
            "dropped {} units not observed in every period (balanced panel required; \
             allow_unbalanced keeps them)",
            incomplete + unseen
        ));
    }
    keep
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    input: &PanelInput,
    order: &[usize],
    spans: &[(usize, usize)],
    group: &[i64],
    keep: &[bool],
    periods: Vec<i64>,
    glist: Vec<i64>,
    warnings: Vec<String>,
) -> Result<Panel> {
    let nt = periods.len();
    let p = 1 + input.covariates.len();
    let n = keep.iter().filter(|k| **k).count();
    if n == 0 {
        return Err(Error::argument(
            "unit",
            "no unit is left after dropping units treated in the first period or missing a period",
        ));
    }
    let mut panel = Panel {
        units: Vec::with_capacity(n),
        periods,
        group: Vec::with_capacity(n),
        y: vec![f64::NAN; n * nt],
        observed: None,
        incomplete: 0,
        cohort_values: Vec::new(),
        cohort: Vec::new(),
        x: Vec::with_capacity(if p > 1 { n * p } else { 0 }),
        p,
        weight: Vec::with_capacity(n),
        cluster: None,
        glist,
        warnings,
    };
    let mut raw_cluster = Vec::with_capacity(n);
    let mut observed = vec![false; n * nt];
    for (v, (u, &(s, len))) in spans
        .iter()
        .enumerate()
        .filter(|(u, _)| keep[*u])
        .enumerate()
    {
        let r0 = order[s];
        panel.units.push(input.unit[r0]);
        panel.group.push(group[u]);
        panel.weight.push(input.weights.map_or(1.0, |w| w[r0]));
        if p > 1 {
            panel.x.push(1.0);
            panel.x.extend(input.covariates.iter().map(|c| c[r0]));
        }
        for &r in &order[s..s + len] {
            // Rows in dropped periods (after the cutoff) have no slot.
            if let Ok(p) = panel.periods.binary_search(&input.time[r]) {
                panel.y[p * n + v] = input.y[r];
                observed[p * n + v] = true;
            }
        }
        if let Some(c) = input.cluster {
            raw_cluster.push(c[r0]);
        }
    }
    panel.incomplete = (0..n)
        .filter(|&u| (0..nt).any(|p| !observed[p * n + u]))
        .count();
    if panel.incomplete > 0 {
        panel.observed = Some(observed);
    }
    let mut values = panel.group.clone();
    values.sort_unstable();
    values.dedup();
    panel.cohort = panel
        .group
        .iter()
        .map(|g| values.binary_search(g).unwrap_or(0) as u32)
        .collect();
    panel.cohort_values = values;
    if input.cluster.is_some() {
        let mut ids = raw_cluster.clone();
        ids.sort_unstable();
        ids.dedup();
        panel.cluster = Some(
            raw_cluster
                .iter()
                .map(|c| ids.binary_search(c).unwrap_or(0) as u32)
                .collect(),
        );
    }
    Ok(panel)
}

/// Units and clusters per cohort (never treated first, as group 0).
pub(crate) fn cohort_info(panel: &Panel) -> Vec<CohortInfo> {
    let mut gs: Vec<i64> = panel.group.clone();
    gs.sort_unstable();
    gs.dedup();
    gs.iter()
        .map(|&g| {
            let members: Vec<usize> = (0..panel.n()).filter(|&u| panel.group[u] == g).collect();
            let n_clusters = match &panel.cluster {
                Some(c) => {
                    let mut cs: Vec<u32> = members.iter().map(|&u| c[u]).collect();
                    cs.sort_unstable();
                    cs.dedup();
                    cs.len()
                }
                None => members.len(),
            };
            CohortInfo {
                group: g,
                n_units: members.len(),
                n_clusters,
            }
        })
        .collect()
}
