//! LA/RAA-period panels: event counts, waiting children and mean durations per unit and period,
//! with exposure columns, ready for interrupted time series and staggered designs.
//!
//! * **Periods** — calendar months, calendar quarters (Jan–Mar = Q1; not financial quarters), or
//!   collection years (1 April – 31 March, labelled by the year they end, as SSDA903 does).
//! * **Units** — LAs (their DfE code), or RAAs: each LA belongs, for the whole panel, to the RAA
//!   of its first membership (so the pre-go-live periods of an RAA hold its future members);
//!   LAs that never joined one form the unit `no_raa`.
//! * **Counts** — events dated in the period: ADM decisions, placement orders, matches,
//!   placements, adoption orders, reversed decisions.
//! * **Waiting** — children with a placement order on or before the period's last day who, by
//!   that day, were not placed, adopted, reversed or out of care; and those of them whose order is
//!   18 months old or more. As known at the data cut: a journey censored at the cut keeps waiting.
//! * **Means** — over journeys whose end event falls in the period: PO → placed and entry →
//!   placed of children placed in the period, PO → match of children matched in the period
//!   (0 when the end event came before the order). Each mean has its count beside it; a mean of
//!   no journeys is `None`, never NaN.
//! * **Cohort means** — over journeys whose placement *order* falls in the period: PO → placed and
//!   PO → match of the period's order cohort, among the children placed (matched) by the cut. An
//!   effect on children whose order came after go-live arrives in these as a step, where the means
//!   by end event phase it in over the following periods. Recent cohorts are incomplete (only the
//!   fast are placed yet): compare `cohort_n_po_to_placed` with `placement_orders`.
//! * **Exposure** — the unit's exposure start (LA: the later of its RAA's milestone and the day it
//!   joined; RAA: the milestone), the period index relative to it (0 = the period containing it),
//!   `post` (index ≥ 0) and `bed_in` (the period overlaps `[start, start + bed_in_days)`).
//!
//! Every unit × period combination is present, units sorted, periods in time order.

use crate::data::date::{collection_year, days_between, Date};
use crate::data::exposure::exposure_start;
use crate::data::journeys::Journey;
use crate::data::registry::{MilestoneKind, Registry};
use crate::{Error, Result};
use chrono::{Datelike, Months};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Period length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Freq {
    Month,
    /// Calendar quarters (Q1 = January–March).
    #[default]
    Quarter,
    /// Collection years, 1 April – 31 March.
    Year,
}

/// Panel unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum PanelUnit {
    #[default]
    La,
    Raa,
}

/// Panel options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PanelOptions {
    pub freq: Freq,
    pub unit: PanelUnit,
    /// First day covered (the panel starts with the period containing it); default: the first event.
    pub start: Option<Date>,
    /// Last day covered; default: the last event on or before the journeys' cut.
    pub end: Option<Date>,
    /// The milestone that starts exposure.
    pub milestone: MilestoneKind,
    pub bed_in_days: i64,
}

impl Default for PanelOptions {
    fn default() -> Self {
        PanelOptions {
            freq: Freq::Quarter,
            unit: PanelUnit::La,
            start: None,
            end: None,
            milestone: MilestoneKind::GoLive,
            bed_in_days: 183,
        }
    }
}

/// One unit × period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelRow {
    /// LA code, RAA id or `no_raa`.
    pub unit: String,
    pub raa_id: Option<String>,
    pub period_start: Date,
    pub period_end: Date,
    /// `2018-03`, `2018Q1` or `2018` (collection year ending March 2018).
    pub period: String,
    pub adm_decisions: usize,
    pub placement_orders: usize,
    pub matches: usize,
    pub placements: usize,
    pub adoption_orders: usize,
    pub reversals: usize,
    pub waiting_with_po: usize,
    pub waiting_18_months: usize,
    pub mean_po_to_placed: Option<f64>,
    pub n_po_to_placed: usize,
    pub mean_entry_to_placed: Option<f64>,
    pub n_entry_to_placed: usize,
    pub mean_po_to_match: Option<f64>,
    pub n_po_to_match: usize,
    /// PO → placed of the children whose placement order falls in the period (placed by the cut).
    pub cohort_mean_po_to_placed: Option<f64>,
    pub cohort_n_po_to_placed: usize,
    /// PO → match of the children whose placement order falls in the period (matched by the cut).
    pub cohort_mean_po_to_match: Option<f64>,
    pub cohort_n_po_to_match: usize,
    /// The unit's exposure start (see the module docs).
    pub exposure_start: Option<Date>,
    /// Period index relative to the period containing `exposure_start`.
    pub period_index: Option<i64>,
    pub post: Option<bool>,
    pub bed_in: Option<bool>,
}

impl Freq {
    /// A sortable index of the period containing `d`.
    pub fn index(self, d: Date) -> i64 {
        let (y, m0) = (d.year() as i64, d.month0() as i64);
        match self {
            Freq::Month => y * 12 + m0,
            Freq::Quarter => y * 4 + m0 / 3,
            Freq::Year => collection_year(d) as i64,
        }
    }

    /// First and last day of period `index`, and its label.
    pub fn period(self, index: i64) -> Option<(Date, Date, String)> {
        let (start, months, label) = match self {
            Freq::Month => {
                let (y, m0) = (index.div_euclid(12), index.rem_euclid(12));
                let s = Date::from_ymd_opt(i32::try_from(y).ok()?, m0 as u32 + 1, 1)?;
                (s, 1, format!("{y:04}-{:02}", m0 + 1))
            }
            Freq::Quarter => {
                let (y, q) = (index.div_euclid(4), index.rem_euclid(4));
                let s = Date::from_ymd_opt(i32::try_from(y).ok()?, q as u32 * 3 + 1, 1)?;
                (s, 3, format!("{y:04}Q{}", q + 1))
            }
            Freq::Year => {
                let s = Date::from_ymd_opt(i32::try_from(index - 1).ok()?, 4, 1)?;
                (s, 12, format!("{index:04}"))
            }
        };
        let end = start.checked_add_months(Months::new(months))?.pred_opt()?;
        Some((start, end, label))
    }
}

/// Build the panel (see the module docs).
pub fn la_panel(
    journeys: &[Journey],
    registry: &Registry,
    opts: &PanelOptions,
) -> Result<Vec<PanelRow>> {
    if opts.bed_in_days < 0 {
        return Err(Error::argument("bed_in_days", "must be >= 0"));
    }
    let Some((first, last)) = range(journeys, opts)? else {
        return Ok(Vec::new());
    };
    let (lo, hi) = (opts.freq.index(first), opts.freq.index(last));
    let mut units: BTreeMap<String, Vec<&Journey>> = BTreeMap::new();
    for j in journeys {
        units
            .entry(unit_of(j, registry, opts.unit))
            .or_default()
            .push(j);
    }
    let units: Vec<(String, Vec<&Journey>)> = units.into_iter().collect();
    let rows: Vec<Vec<PanelRow>> = units
        .par_iter()
        .map(|(unit, js)| unit_rows(unit, js, registry, opts, lo, hi))
        .collect::<Result<_>>()?;
    Ok(rows.into_iter().flatten().collect())
}

/// The covered days: the options', or the first to the last event on or before the cut.
fn range(journeys: &[Journey], opts: &PanelOptions) -> Result<Option<(Date, Date)>> {
    let events = journeys.iter().flat_map(|j| {
        events(j)
            .into_iter()
            .flatten()
            .filter(move |d| *d <= j.cut_date)
    });
    let (mut first, mut last) = (None::<Date>, None::<Date>);
    for d in events {
        first = Some(first.map_or(d, |f| f.min(d)));
        last = Some(last.map_or(d, |l| l.max(d)));
    }
    let (Some(first), Some(last)) = (opts.start.or(first), opts.end.or(last)) else {
        return Ok(None);
    };
    if first > last {
        return Err(Error::argument(
            "start",
            format!("panel start {first} is after its end {last}"),
        ));
    }
    Ok(Some((first, last)))
}

/// The six counted events of a journey.
fn events(j: &Journey) -> [Option<Date>; 6] {
    [
        j.adm_date,
        j.po_date,
        j.match_date,
        j.placed_date,
        j.order_date,
        j.reversal_date,
    ]
}

fn unit_of(j: &Journey, registry: &Registry, unit: PanelUnit) -> String {
    match unit {
        PanelUnit::La => j.la.clone(),
        PanelUnit::Raa => registry
            .first_raa(&j.la)
            .map_or_else(|| "no_raa".into(), |r| r.id.clone()),
    }
}

/// The unit's RAA id and exposure start.
fn unit_exposure(
    unit: &str,
    registry: &Registry,
    opts: &PanelOptions,
) -> (Option<String>, Option<Date>) {
    match opts.unit {
        PanelUnit::La => match exposure_start(registry, unit, opts.milestone) {
            Ok(s) => (Some(s.raa.id.clone()), s.start),
            Err(_) => (None, None),
        },
        PanelUnit::Raa => match registry.raa(unit) {
            Some(r) => (
                Some(r.id.clone()),
                r.milestone(opts.milestone).map(|m| m.date),
            ),
            None => (None, None),
        },
    }
}

/// Per-period accumulators of one unit, indexed from `lo`.
struct Acc {
    counts: Vec<[usize; 6]>,
    waiting: Vec<i64>,
    waiting_18: Vec<i64>,
    /// Means by end event (PO → placed, entry → placed, PO → match), then by order cohort
    /// (PO → placed, PO → match).
    sums: Vec<[(f64, usize); 5]>,
}

fn unit_rows(
    unit: &str,
    js: &[&Journey],
    registry: &Registry,
    opts: &PanelOptions,
    lo: i64,
    hi: i64,
) -> Result<Vec<PanelRow>> {
    let n = (hi - lo + 1) as usize;
    let mut acc = Acc {
        counts: vec![[0; 6]; n],
        waiting: vec![0; n + 1],
        waiting_18: vec![0; n + 1],
        sums: vec![[(0.0, 0); 5]; n],
    };
    let slot = |d: Date| -> Option<usize> {
        let i = opts.freq.index(d);
        (lo..=hi).contains(&i).then(|| (i - lo) as usize)
    };
    for j in js {
        add_journey(j, &mut acc, &slot, opts.freq, lo, hi);
    }
    let (raa_id, start) = unit_exposure(unit, registry, opts);
    let mut rows = Vec::with_capacity(n);
    let (mut w, mut w18) = (0i64, 0i64);
    for k in 0..n {
        let index = lo + k as i64;
        let (period_start, period_end, label) = opts
            .freq
            .period(index)
            .ok_or_else(|| Error::argument("start", "panel period out of the date range"))?;
        w += acc.waiting[k];
        w18 += acc.waiting_18[k];
        let mean = |i: usize| {
            let (s, c) = acc.sums[k][i];
            (c > 0).then(|| s / c as f64)
        };
        let [adm, po, mat, placed, order, rev] = acc.counts[k];
        let rel = start.map(|s| index - opts.freq.index(s));
        rows.push(PanelRow {
            unit: unit.to_string(),
            raa_id: raa_id.clone(),
            period_start,
            period_end,
            period: label,
            adm_decisions: adm,
            placement_orders: po,
            matches: mat,
            placements: placed,
            adoption_orders: order,
            reversals: rev,
            waiting_with_po: w.max(0) as usize,
            waiting_18_months: w18.max(0) as usize,
            mean_po_to_placed: mean(0),
            n_po_to_placed: acc.sums[k][0].1,
            mean_entry_to_placed: mean(1),
            n_entry_to_placed: acc.sums[k][1].1,
            mean_po_to_match: mean(2),
            n_po_to_match: acc.sums[k][2].1,
            cohort_mean_po_to_placed: mean(3),
            cohort_n_po_to_placed: acc.sums[k][3].1,
            cohort_mean_po_to_match: mean(4),
            cohort_n_po_to_match: acc.sums[k][4].1,
            exposure_start: start,
            period_index: rel,
            post: rel.map(|r| r >= 0),
            bed_in: start.map(|s| overlaps_bed_in(period_start, period_end, s, opts)),
        });
    }
    Ok(rows)
}

fn overlaps_bed_in(p_start: Date, p_end: Date, start: Date, opts: &PanelOptions) -> bool {
    let bed_end = start + chrono::Days::new(opts.bed_in_days.max(0) as u64);
    opts.bed_in_days > 0 && p_end >= start && p_start < bed_end
}

fn add_journey(
    j: &Journey,
    acc: &mut Acc,
    slot: &dyn Fn(Date) -> Option<usize>,
    freq: Freq,
    lo: i64,
    hi: i64,
) {
    for (i, d) in events(j).into_iter().enumerate() {
        if let Some(k) = d.and_then(slot) {
            acc.counts[k][i] += 1;
        }
    }
    if let Some(placed) = j.placed_date {
        if let Some(k) = slot(placed) {
            if let Some(po) = j.po_date {
                add_mean(&mut acc.sums[k][0], days_between(po, placed).max(0));
            }
            add_mean(&mut acc.sums[k][1], days_between(j.entry_date, placed));
        }
    }
    if let (Some(po), Some(matched)) = (j.po_date, j.match_date) {
        if let Some(k) = slot(matched) {
            add_mean(&mut acc.sums[k][2], days_between(po, matched).max(0));
        }
    }
    let Some(po) = j.po_date else { return };
    add_cohort(j, po, acc, slot);
    let stop = [j.placed_date, j.order_date, j.exit_date, j.reversal_date]
        .into_iter()
        .flatten()
        .min();
    mark_interval(&mut acc.waiting, freq, lo, hi, Some(po), stop);
    let old = po.checked_add_months(Months::new(18));
    mark_interval(&mut acc.waiting_18, freq, lo, hi, old, stop);
}

/// The order cohort's durations, counted in the period of the placement order. Events after the
/// cut are unknown (a journey censored at the cut has none), so cohorts near the cut are partial.
fn add_cohort(j: &Journey, po: Date, acc: &mut Acc, slot: &dyn Fn(Date) -> Option<usize>) {
    let Some(k) = slot(po) else { return };
    let known = |d: Option<Date>| d.filter(|d| *d <= j.cut_date);
    if let Some(placed) = known(j.placed_date) {
        add_mean(&mut acc.sums[k][3], days_between(po, placed).max(0));
    }
    if let Some(matched) = known(j.match_date) {
        add_mean(&mut acc.sums[k][4], days_between(po, matched).max(0));
    }
}

fn add_mean(sum: &mut (f64, usize), days: i64) {
    sum.0 += days as f64;
    sum.1 += 1;
}

/// Mark "in state at the period's last day" for days in `[from, stop)` in a difference array:
/// the state holds at period end E when `from ≤ E < stop`, i.e. from the period containing `from`
/// up to the one before the period containing `stop`.
fn mark_interval(
    diff: &mut [i64],
    freq: Freq,
    lo: i64,
    hi: i64,
    from: Option<Date>,
    stop: Option<Date>,
) {
    let Some(from) = from else { return };
    if stop.is_some_and(|s| s <= from) {
        return;
    }
    let clamp = |i: i64| (i.max(lo) - lo) as usize;
    let begin = freq.index(from);
    if begin > hi {
        return;
    }
    diff[clamp(begin)] += 1;
    if let Some(s) = stop {
        let end = freq.index(s);
        if end <= hi {
            diff[clamp(end)] -= 1;
        }
    }
}
