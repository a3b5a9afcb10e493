//! Scorecard indicators before and after each RAA's go-live: the table a business case or an
//! annual report prints ("A1 in the three years before the RAA, and since").
//!
//! For every journey of an LA in an RAA, the LA's exposure start `S` (the chosen milestone, or the
//! day the LA joined if later; see [`exposure_start`]) defines two windows of `years` years each:
//! *before* = `[S − years, S − 1 day]` and *after* = `[S + bed_in, S + bed_in + years − 1 day]`.
//! A child counts in a window when adopted (adoption order) in it, exactly as the scorecard
//! counts children adopted in its window, and contributes [`child_value`]. Rows are per RAA,
//! per-child means with their counts. An after-window cut short by the data cut is reported with
//! its real end (`after_end` is the earlier of the window's end and the latest cut date), so a
//! reader sees how much of it the data cover.

use crate::data::date::Date;
use crate::data::exposure::exposure_start;
use crate::data::journeys::Journey;
use crate::data::registry::{MilestoneKind, Registry};
use crate::data::scorecard::{child_value, mean_of_values, Indicator};
use crate::error::{Error, Result};
use chrono::{Days, Months};
use serde::Serialize;
use std::collections::BTreeMap;

/// Options of [`before_after`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BeforeAfterOptions {
    pub indicator: Indicator,
    /// Length of each window in years (3, as the scorecard).
    pub years: u32,
    /// Days after the exposure start before the after-window opens.
    pub bed_in_days: i64,
    pub milestone: MilestoneKind,
}

impl BeforeAfterOptions {
    /// Three-year windows, a 183-day bed-in, go-live.
    pub fn new(indicator: Indicator) -> Self {
        BeforeAfterOptions {
            indicator,
            years: 3,
            bed_in_days: 183,
            milestone: MilestoneKind::GoLive,
        }
    }
}

/// One RAA's indicator before and after its go-live.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeforeAfterRow {
    pub raa_id: String,
    pub raa_name: String,
    /// The RAA's milestone date (member LAs that joined later start later).
    pub milestone_date: Option<Date>,
    pub indicator: Indicator,
    pub before: Option<f64>,
    pub n_before: usize,
    pub after: Option<f64>,
    pub n_after: usize,
    /// Earliest start of a before-window among the RAA's children, and latest end of an
    /// after-window (capped at the data cut).
    pub before_start: Option<Date>,
    pub after_end: Option<Date>,
}

#[derive(Default)]
struct Acc {
    name: String,
    milestone: Option<Date>,
    before: Vec<f64>,
    after: Vec<f64>,
    before_start: Option<Date>,
    after_end: Option<Date>,
}

/// Each RAA's indicator before and after its go-live (see the module documentation). RAAs are in
/// order of milestone date, then id; journeys of LAs in no RAA, or whose RAA lacks the milestone,
/// are not counted.
///
/// ```
/// use raa_impact::data::before_after::{before_after, BeforeAfterOptions};
/// use raa_impact::data::scorecard::Indicator;
/// let reg = raa_impact::data::registry::load::bundled().unwrap();
/// assert!(before_after(&[], &reg, &BeforeAfterOptions::new(Indicator::A1)).unwrap().is_empty());
/// ```
pub fn before_after(
    journeys: &[Journey],
    registry: &Registry,
    opts: &BeforeAfterOptions,
) -> Result<Vec<BeforeAfterRow>> {
    if opts.years == 0 {
        return Err(Error::argument("years", "must be at least 1"));
    }
    if opts.bed_in_days < 0 {
        return Err(Error::argument("bed_in_days", "must not be negative"));
    }
    let mut accs: BTreeMap<String, Acc> = BTreeMap::new();
    for j in journeys {
        let Ok(start) = exposure_start(registry, &j.la, opts.milestone) else {
            continue;
        };
        let Some(s) = start.start else { continue };
        let acc = accs.entry(start.raa.id.clone()).or_default();
        acc.name.clone_from(&start.raa.name);
        acc.milestone = start.milestone.map(|m| m.date);
        let (b0, b1, a0, a1) = windows(s, opts)?;
        let a1 = a1.min(j.cut_date);
        acc.before_start = Some(acc.before_start.map_or(b0, |d| d.min(b0)));
        acc.after_end = Some(acc.after_end.map_or(a1, |d| d.max(a1)));
        let (Some(order), Some(v)) = (j.order_date, child_value(j, opts.indicator)) else {
            continue;
        };
        if b0 <= order && order <= b1 {
            acc.before.push(v);
        } else if a0 <= order && order <= a1 {
            acc.after.push(v);
        }
    }
    let mut rows: Vec<BeforeAfterRow> = accs
        .into_iter()
        .map(|(raa_id, a)| BeforeAfterRow {
            raa_id,
            raa_name: a.name,
            milestone_date: a.milestone,
            indicator: opts.indicator,
            before: mean_of_values(&a.before),
            n_before: a.before.len(),
            after: mean_of_values(&a.after),
            n_after: a.after.len(),
            before_start: a.before_start,
            after_end: a.after_end,
        })
        .collect();
    rows.sort_by(|x, y| (x.milestone_date, &x.raa_id).cmp(&(y.milestone_date, &y.raa_id)));
    Ok(rows)
}

/// (before start, before end, after start, after end) for exposure start `s`.
fn windows(s: Date, opts: &BeforeAfterOptions) -> Result<(Date, Date, Date, Date)> {
    let out_of_range = || Error::argument("years", "window out of the date range");
    let span = Months::new(12 * opts.years);
    let b0 = s.checked_sub_months(span).ok_or_else(out_of_range)?;
    let b1 = s.pred_opt().ok_or_else(out_of_range)?;
    let a0 = s
        .checked_add_days(Days::new(opts.bed_in_days as u64))
        .ok_or_else(out_of_range)?;
    let a1 = a0
        .checked_add_months(span)
        .and_then(|d| d.pred_opt())
        .ok_or_else(out_of_range)?;
    Ok((b0, b1, a0, a1))
}
