//! Aggregations of ATT(g,t) into simple, group, event-time (dynamic) and calendar effects, with
//! influence functions that include the estimation of the cohort weights (R `did`'s `aggte` /
//! `compute.aggte` with `na.rm = TRUE`: cells that are not identified are left out; a cohort's
//! group effect averages its identified post-treatment cells, and a cohort with none is left out
//! of the group aggregation).

use serde::{Deserialize, Serialize};

use super::att_gt::{AttGt, CellStatus};
use super::se::{corrected_se, interval, pointwise_crit};
use crate::inference::multiplier::{multiplier_bootstrap, BootstrapOptions, BootstrapResult};
use crate::{Error, Result};

/// How to aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Aggregation {
    /// One number: post-treatment cells weighted by cohort size.
    Simple,
    /// Per cohort: the mean of its identified post-treatment cells; overall weighted by cohort size.
    Group,
    /// Per event time e = t − g (cohort-size weights); overall: the mean over e ≥ 0.
    Dynamic {
        /// Keep only cohorts observed for at least this many periods after treatment, and event
        /// times up to it (`balance_e`).
        balance_e: Option<i64>,
        /// Smallest event time reported (`min_e`).
        min_e: Option<i64>,
        /// Largest event time reported (`max_e`).
        max_e: Option<i64>,
    },
    /// Per calendar period (post-treatment cells, cohort-size weights); overall: their mean.
    Calendar,
}

/// One aggregated effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggregateCell {
    /// Cohort, event time, or calendar period (per the aggregation).
    pub key: i64,
    /// Estimate.
    pub att: f64,
    /// Standard error (`None` when degenerate).
    pub se: Option<f64>,
    /// Interval with the pointwise normal or uniform bootstrap critical value.
    pub ci: Option<(f64, f64)>,
    /// Cohorts whose cells enter this effect: the units identifying it.
    pub groups: Vec<i64>,
    /// Treated units behind it (the units of those cohorts).
    pub n_treated: usize,
}

/// Result of [`aggregate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregated {
    /// The aggregation.
    pub how: Aggregation,
    /// Per-key effects (empty for `Simple`).
    pub cells: Vec<AggregateCell>,
    /// Overall effect.
    pub overall_att: f64,
    /// Its standard error.
    pub overall_se: Option<f64>,
    /// Its pointwise interval.
    pub overall_ci: Option<(f64, f64)>,
    /// Critical value of the cells' intervals (uniform when bootstrapped).
    pub crit_value: f64,
    /// Whether `crit_value` is a uniform band's.
    pub uniform: bool,
    /// Influence functions of the cells, column-major `n_units × cells.len()`.
    pub influence_cells: Vec<f64>,
    /// Influence function of the overall effect.
    pub influence_overall: Vec<f64>,
    /// Bootstrap of the cells, if run.
    pub bootstrap: Option<BootstrapResult>,
    /// Bootstrap of the overall effect, if run.
    pub bootstrap_overall: Option<BootstrapResult>,
    /// Cells left out (not identified) and other notes.
    pub warnings: Vec<String>,
}

/// Usable cells of an ATT(g,t) result.
struct Usable<'a> {
    att: &'a AttGt,
    /// Indices of cells with an estimate (estimated or reference).
    idx: Vec<usize>,
    /// pg: mean over units of w·1{G = g}, per cohort value.
    pg: Vec<(i64, f64)>,
}

impl Usable<'_> {
    fn pg_of(&self, g: i64) -> f64 {
        self.pg
            .iter()
            .find(|(h, _)| *h == g)
            .map_or(0.0, |(_, p)| *p)
    }
    fn value(&self, k: usize) -> f64 {
        self.att.cells[k].att.unwrap_or(0.0)
    }
}

fn usable<'a>(att: &'a AttGt, warnings: &mut Vec<String>) -> Usable<'a> {
    let n = att.n_units() as f64;
    let mut groups: Vec<i64> = att.cells.iter().map(|c| c.group).collect();
    groups.dedup();
    let pg = groups
        .iter()
        .map(|&g| {
            let s: f64 = att
                .unit_group
                .iter()
                .zip(&att.unit_weight)
                .filter(|(h, _)| **h == g)
                .map(|(_, w)| w)
                .sum();
            (g, s / n)
        })
        .collect();
    let mut idx = Vec::new();
    for (k, c) in att.cells.iter().enumerate() {
        match c.status {
            CellStatus::NotIdentified(_) => warnings.push(format!(
                "ATT({}, {}) is not identified and left out",
                c.group, c.time
            )),
            _ => idx.push(k),
        }
    }
    Usable { att, idx, pg }
}

/// Influence of the estimated cohort weights (did's `wif`) applied to the cell estimates:
/// per unit, Σ_k wif_ik · att_k for the cells `keep` with weights pg_k.
fn weight_influence(u: &Usable, keep: &[usize]) -> Vec<f64> {
    let att = u.att;
    let pgs: Vec<f64> = keep.iter().map(|&k| u.pg_of(att.cells[k].group)).collect();
    let spg: f64 = pgs.iter().sum();
    let pg_att: f64 = keep.iter().zip(&pgs).map(|(&k, p)| p * u.value(k)).sum();
    (0..att.n_units())
        .map(|i| {
            let (gi, wi) = (att.unit_group[i], att.unit_weight[i]);
            let mut c_att = 0.0;
            let mut c_sum = 0.0;
            for (&k, p) in keep.iter().zip(&pgs) {
                let c = if att.cells[k].group == gi { wi } else { 0.0 } - p;
                c_att += c * u.value(k);
                c_sum += c;
            }
            c_att / spg - c_sum * pg_att / (spg * spg)
        })
        .collect()
}

/// Weighted combination (weights ∝ pg) of cells `keep`: estimate and influence function.
fn combine(u: &Usable, keep: &[usize], with_wif: bool) -> (f64, Vec<f64>) {
    let att = u.att;
    let n = att.n_units();
    let pgs: Vec<f64> = keep.iter().map(|&k| u.pg_of(att.cells[k].group)).collect();
    let spg: f64 = pgs.iter().sum();
    let est = keep
        .iter()
        .zip(&pgs)
        .map(|(&k, p)| u.value(k) * p)
        .sum::<f64>()
        / spg;
    let mut psi = vec![0.0; n];
    for (&k, p) in keep.iter().zip(&pgs) {
        let col = att.influence_of(k);
        let a = p / spg;
        psi.iter_mut().zip(col).for_each(|(s, c)| *s += a * c);
    }
    if with_wif {
        let wif = weight_influence(u, keep);
        psi.iter_mut().zip(&wif).for_each(|(s, v)| *s += v);
    }
    (est, psi)
}

/// Equal-weight mean of already aggregated effects and of their influence functions.
fn mean_of(atts: &[f64], psis: &[Vec<f64>]) -> (f64, Vec<f64>) {
    let m = atts.len() as f64;
    let n = psis.first().map_or(0, |p| p.len());
    let mut psi = vec![0.0; n];
    for p in psis {
        psi.iter_mut().zip(p).for_each(|(s, v)| *s += v / m);
    }
    (atts.iter().sum::<f64>() / m, psi)
}

struct Pieces {
    keys: Vec<i64>,
    atts: Vec<f64>,
    psis: Vec<Vec<f64>>,
    members: Vec<Vec<usize>>,
    overall: (f64, Vec<f64>),
}

fn simple(u: &Usable) -> Result<Pieces> {
    let keep: Vec<usize> = u
        .idx
        .iter()
        .copied()
        .filter(|&k| u.att.cells[k].post)
        .collect();
    if keep.is_empty() {
        return Err(Error::argument(
            "how",
            "no post-treatment cell is identified",
        ));
    }
    Ok(Pieces {
        keys: vec![],
        atts: vec![],
        psis: vec![],
        members: vec![],
        overall: combine(u, &keep, true),
    })
}

fn group(u: &Usable, warnings: &mut Vec<String>) -> Result<Pieces> {
    let cells = &u.att.cells;
    let mut gl: Vec<i64> = cells.iter().map(|c| c.group).collect();
    gl.dedup();
    let mut p = Pieces {
        keys: vec![],
        atts: vec![],
        psis: vec![],
        members: vec![],
        overall: (0.0, vec![]),
    };
    for g in gl {
        let all_post = (0..cells.len())
            .filter(|&k| cells[k].group == g && cells[k].post)
            .count();
        let post: Vec<usize> = (0..cells.len())
            .filter(|&k| cells[k].group == g && cells[k].post && u.idx.contains(&k))
            .collect();
        if post.is_empty() {
            warnings.push(format!(
                "cohort {g} has no identified post-treatment cell and is left out"
            ));
            continue;
        }
        if post.len() < all_post {
            warnings.push(format!(
                "cohort {g}: {} of its {all_post} post-treatment cells are not identified; its \
                 effect averages the other {}",
                all_post - post.len(),
                post.len()
            ));
        }
        let (a, psi) = combine(u, &post, false);
        p.keys.push(g);
        p.atts.push(a);
        p.psis.push(psi);
        p.members.push(post);
    }
    if p.keys.is_empty() {
        return Err(Error::argument(
            "how",
            "no cohort has identified post-treatment cells",
        ));
    }
    p.overall = combine_groups(u, &p);
    Ok(p)
}

/// Group overall: cohort effects weighted by pg, with the weights' influence.
fn combine_groups(u: &Usable, p: &Pieces) -> (f64, Vec<f64>) {
    let pgs: Vec<f64> = p.keys.iter().map(|g| u.pg_of(*g)).collect();
    let spg: f64 = pgs.iter().sum();
    let est = p.atts.iter().zip(&pgs).map(|(a, w)| a * w).sum::<f64>() / spg;
    let n = u.att.n_units();
    let pg_att: f64 = p.atts.iter().zip(&pgs).map(|(a, w)| a * w).sum();
    let psi = (0..n)
        .map(|i| {
            let (gi, wi) = (u.att.unit_group[i], u.att.unit_weight[i]);
            let mut v = 0.0;
            let (mut c_att, mut c_sum) = (0.0, 0.0);
            for (j, g) in p.keys.iter().enumerate() {
                v += pgs[j] / spg * p.psis[j][i];
                let c = if *g == gi { wi } else { 0.0 } - pgs[j];
                c_att += c * p.atts[j];
                c_sum += c;
            }
            v + c_att / spg - c_sum * pg_att / (spg * spg)
        })
        .collect();
    (est, psi)
}

fn dynamic(
    u: &Usable,
    balance_e: Option<i64>,
    min_e: Option<i64>,
    max_e: Option<i64>,
) -> Result<Pieces> {
    let cells = &u.att.cells;
    let max_t = u.idx.iter().map(|&k| cells[k].time).max().unwrap_or(0);
    let first_t = u.att.periods.first().copied().unwrap_or(0);
    let balanced = |k: usize| balance_e.is_none_or(|b| max_t - cells[k].group >= b);
    let mut es: Vec<i64> = u
        .idx
        .iter()
        .filter(|&&k| balanced(k))
        .map(|&k| cells[k].event_time)
        .collect();
    es.sort_unstable();
    es.dedup();
    if let Some(b) = balance_e {
        es.retain(|e| *e <= b && *e >= b - max_t + first_t);
    }
    es.retain(|e| min_e.is_none_or(|m| *e >= m) && max_e.is_none_or(|m| *e <= m));
    if es.is_empty() {
        return Err(Error::argument(
            "how",
            "no event time falls within min_e/max_e/balance_e",
        ));
    }
    let mut p = pieces_by(u, es, |k, e| cells[k].event_time == e && balanced(k));
    let pos: Vec<usize> = (0..p.keys.len()).filter(|&j| p.keys[j] >= 0).collect();
    if pos.is_empty() {
        return Err(Error::argument(
            "how",
            "no event time ≥ 0 for the overall effect",
        ));
    }
    let atts: Vec<f64> = pos.iter().map(|&j| p.atts[j]).collect();
    let psis: Vec<Vec<f64>> = pos.iter().map(|&j| p.psis[j].clone()).collect();
    p.overall = mean_of(&atts, &psis);
    Ok(p)
}

fn calendar(u: &Usable) -> Result<Pieces> {
    let cells = &u.att.cells;
    let min_g = cells.iter().map(|c| c.group).min().unwrap_or(0);
    let mut ts: Vec<i64> = u
        .idx
        .iter()
        .filter(|&&k| cells[k].post)
        .map(|&k| cells[k].time)
        .collect();
    ts.sort_unstable();
    ts.dedup();
    ts.retain(|t| *t >= min_g);
    if ts.is_empty() {
        return Err(Error::argument(
            "how",
            "no calendar period has identified post-treatment cells",
        ));
    }
    let mut p = pieces_by(u, ts, |k, t| cells[k].time == t && cells[k].post);
    p.overall = mean_of(&p.atts, &p.psis);
    Ok(p)
}

/// One combined effect per key, over the usable cells `member` assigns to it (the overall effect
/// is left for the caller).
fn pieces_by(u: &Usable, keys: Vec<i64>, member: impl Fn(usize, i64) -> bool) -> Pieces {
    let mut p = Pieces {
        keys: vec![],
        atts: vec![],
        psis: vec![],
        members: vec![],
        overall: (0.0, vec![]),
    };
    for key in keys {
        let keep: Vec<usize> = u.idx.iter().copied().filter(|&k| member(k, key)).collect();
        let (a, psi) = combine(u, &keep, true);
        p.keys.push(key);
        p.atts.push(a);
        p.psis.push(psi);
        p.members.push(keep);
    }
    p
}

/// Aggregate ATT(g,t) cells (R `did`'s `aggte`). Weights are cohort shares pg = mean(w·1{G = g})
/// over all kept units; the influence functions include the estimation of those shares.
/// Standard errors are analytic (clustered as in [`att_gt`](super::att_gt)) unless `bootstrap`
/// is given; then the cells' SEs and uniform critical value and the overall SE come from
/// multiplier bootstraps (one over the cells, one over the overall effect, same seed).
///
/// ```
/// use raa_impact::did::{aggregate, att_gt, Aggregation, AttGtOptions, PanelInput};
/// let (mut unit, mut time, mut group, mut y) = (vec![], vec![], vec![], vec![]);
/// for u in 1..=9i64 {
///     let g = [3, 3, 3, 4, 4, 4, 0, 0, 0][(u - 1) as usize];
///     for t in 1..=4i64 {
///         unit.push(u); time.push(t); group.push(g);
///         let effect = if g > 0 && t >= g { 2.0 } else { 0.0 };
///         y.push(u as f64 + t as f64 + effect + 0.01 * ((u * t * 7) % 5) as f64);
///     }
/// }
/// let input = PanelInput { unit: &unit, time: &time, group: &group, y: &y,
///     covariates: &[], cluster: None, weights: None };
/// let res = att_gt(&input, &AttGtOptions::default()).unwrap();
/// let agg = aggregate(&res, &Aggregation::Simple, None).unwrap();
/// assert!((agg.overall_att - 2.0).abs() < 0.1);
/// ```
pub fn aggregate(
    att: &AttGt,
    how: &Aggregation,
    bootstrap: Option<&BootstrapOptions>,
) -> Result<Aggregated> {
    let mut warnings = Vec::new();
    let u = usable(att, &mut warnings);
    let p = match *how {
        Aggregation::Simple => simple(&u)?,
        Aggregation::Group => group(&u, &mut warnings)?,
        Aggregation::Dynamic {
            balance_e,
            min_e,
            max_e,
        } => dynamic(&u, balance_e, min_e, max_e)?,
        Aggregation::Calendar => calendar(&u)?,
    };
    finish(att, *how, p, bootstrap, warnings)
}

fn finish(
    att: &AttGt,
    how: Aggregation,
    p: Pieces,
    bootstrap: Option<&BootstrapOptions>,
    warnings: Vec<String>,
) -> Result<Aggregated> {
    let n = att.n_units();
    let cl = att.unit_cluster.as_deref();
    let small = att.small_sample();
    let se_of = |psi: &[f64]| corrected_se(psi, cl, small);
    let mut ses: Vec<Option<f64>> = p.psis.iter().map(|psi| se_of(psi)).collect();
    let mut overall_se = se_of(&p.overall.1);
    let influence_cells: Vec<f64> = p.psis.concat();
    let mut crit = pointwise_crit(att.options.alpha, small);
    let z = crit;
    let mut uniform = false;
    let mut boot_res = None;
    let mut boot_overall = None;
    if let Some(b) = bootstrap {
        // The band's level is the estimate's alpha.
        let b = &BootstrapOptions {
            alpha: att.options.alpha,
            ..*b
        };
        if !p.keys.is_empty() {
            let boot = multiplier_bootstrap(&influence_cells, n, p.keys.len(), cl, b)?;
            ses = boot.se.clone();
            if let Some(c) = boot.crit_value {
                // did falls back to pointwise when the band would be narrower.
                if c >= z {
                    crit = c;
                    uniform = true;
                }
            }
            boot_res = Some(boot);
        }
        let ob = multiplier_bootstrap(&p.overall.1, n, 1, cl, b)?;
        overall_se = ob.se[0];
        boot_overall = Some(ob);
    }
    let cells = p
        .keys
        .iter()
        .enumerate()
        .map(|(j, &key)| {
            let mut groups: Vec<i64> = p.members[j].iter().map(|&k| att.cells[k].group).collect();
            groups.sort_unstable();
            groups.dedup();
            let n_treated = att.unit_group.iter().filter(|g| groups.contains(g)).count();
            AggregateCell {
                key,
                att: p.atts[j],
                se: ses[j],
                ci: interval(Some(p.atts[j]), ses[j], crit),
                groups,
                n_treated,
            }
        })
        .collect();
    Ok(Aggregated {
        how,
        cells,
        overall_att: p.overall.0,
        overall_se,
        overall_ci: interval(Some(p.overall.0), overall_se, z),
        crit_value: crit,
        uniform,
        influence_cells,
        influence_overall: p.overall.1,
        bootstrap: boot_res,
        bootstrap_overall: boot_overall,
        warnings,
    })
}
