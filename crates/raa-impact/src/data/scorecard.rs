//! Adoption scorecard indicators computed from journeys, for any window and grouping.
//!
//! Definitions (DfE adoption scorecard; every indicator is over children *adopted* in the window,
//! i.e. with an adoption order dated within it):
//! * **A1** — mean days from entry to care to being placed for adoption (`placed_date − entry_date`);
//!   children without a placement date are excluded.
//! * **A2** — mean days from placement order to match, 0 when the match came first; children with
//!   no placement order or no match are excluded.
//! * **A3** — share (in `value`) and number (in `count`) of adopted children placed within 14
//!   calendar months of entry: `placed_date < entry_date + 14 months` (chrono's calendar-month
//!   addition; 31 Dec + 14 months = 28/29 Feb).
//! * **A10** — A1 with the clock stopped when a child adopted by its foster carers first moved in
//!   with them (`foster_carer_move_in_date`, when before placement; never before entry).
//!
//! The window is the `years` years ending on `period_end` (inclusive): by default the three
//! collection years ending 31 March. Grouping: by LA, by RAA (the RAA the LA belonged to on the
//! child's adoption-order date; children of LAs in no RAA that day form the group `no_raa`), or
//! one England row. Aggregation is per child (each child weighs the same) or the unweighted mean
//! of LA values (each LA weighs the same, as RAA business cases print it); rows say which.
//!
//! ```
//! use raa_impact::data::scorecard::{mean_of_values, difference_to_threshold};
//! let regional = mean_of_values(&[340.0, 363.0, 569.0]).unwrap();
//! assert_eq!(regional, 424.0);
//! assert_eq!(difference_to_threshold(regional, 425.0), -1.0);
//! ```

use crate::data::date::{collection_year, days_between, Date};
use crate::data::journeys::Journey;
use crate::data::registry::Registry;
use crate::{Error, Result};
use chrono::Months;
use serde::Serialize;
use std::collections::BTreeMap;

/// A scorecard indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Indicator {
    A1,
    A2,
    A3,
    A10,
}

impl Indicator {
    /// `A1`, `A2`, `A3`, `A10`.
    pub fn name(self) -> &'static str {
        match self {
            Indicator::A1 => "A1",
            Indicator::A2 => "A2",
            Indicator::A3 => "A3",
            Indicator::A10 => "A10",
        }
    }
}

/// How children are grouped.
#[derive(Debug, Clone, Copy)]
pub enum GroupBy<'r> {
    /// One row per LA code.
    La,
    /// One row per RAA (membership on the adoption-order date), plus `no_raa`.
    Raa(&'r Registry),
    /// One row, `England`.
    England,
}

/// How a group's value is formed from its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Aggregation {
    /// Mean over the group's children (weighted by child).
    #[default]
    PerChild,
    /// Unweighted mean of the LA values in the group.
    MeanOfLas,
}

impl Aggregation {
    /// `per_child`, `mean_of_las`.
    pub fn label(self) -> &'static str {
        match self {
            Aggregation::PerChild => "per_child",
            Aggregation::MeanOfLas => "mean_of_las",
        }
    }
}

/// Scorecard options.
#[derive(Debug, Clone, Copy)]
pub struct ScorecardOptions<'r> {
    pub indicator: Indicator,
    /// Last day of the window (31 March for collection years).
    pub period_end: Date,
    /// Window length in years (3 by default; 1 for a single year).
    pub years: u32,
    pub by: GroupBy<'r>,
    pub aggregation: Aggregation,
}

impl ScorecardOptions<'_> {
    /// A1 for England over the three years ending `period_end`, per child.
    pub fn new(indicator: Indicator, period_end: Date) -> Self {
        ScorecardOptions {
            indicator,
            period_end,
            years: 3,
            by: GroupBy::England,
            aggregation: Aggregation::PerChild,
        }
    }

    /// First day of the window: `period_end − years + 1 day`.
    pub fn window_start(&self) -> Result<Date> {
        if self.years == 0 {
            return Err(Error::argument("years", "must be at least 1"));
        }
        self.period_end
            .checked_sub_months(Months::new(12 * self.years))
            .and_then(|d| d.succ_opt())
            .ok_or_else(|| Error::argument("period_end", "window out of the date range"))
    }
}

/// One scorecard row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorecardRow {
    /// LA code, RAA id, `no_raa` or `England`.
    pub group: String,
    pub indicator: Indicator,
    /// Mean days (A1, A2, A10) or share (A3); `None` when no child is eligible.
    pub value: Option<f64>,
    /// A3: number of children placed within 14 months; `None` for the other indicators.
    pub count: Option<usize>,
    /// Children contributing to `value`.
    pub n_children: usize,
    /// LAs contributing to `value`.
    pub n_las: usize,
    pub aggregation: Aggregation,
    pub window_start: Date,
    pub window_end: Date,
    /// The DfE threshold for the window ([`dfe_threshold`]), if any.
    pub threshold: Option<f64>,
    /// `value − threshold` ([`difference_to_threshold`]).
    pub difference_to_threshold: Option<f64>,
}

/// Compute the indicator for every group (rows sorted by group).
pub fn scorecard(journeys: &[Journey], opts: &ScorecardOptions<'_>) -> Result<Vec<ScorecardRow>> {
    let start = opts.window_start()?;
    let end = opts.period_end;
    // group -> LA -> child values (None = adopted in the window but not eligible)
    let mut groups: BTreeMap<String, BTreeMap<&str, Vec<f64>>> = BTreeMap::new();
    for j in journeys {
        let Some(order) = j.order_date.filter(|d| start <= *d && *d <= end) else {
            continue;
        };
        let las = groups.entry(group_of(j, order, opts.by)).or_default();
        let values = las.entry(j.la.as_str()).or_default();
        if let Some(v) = child_value(j, opts.indicator) {
            values.push(v);
        }
    }
    let threshold = dfe_threshold(opts.indicator, end);
    Ok(groups
        .into_iter()
        .map(|(group, las)| {
            let (value, count, n_children, n_las) = aggregate(&las, opts.aggregation);
            ScorecardRow {
                group,
                indicator: opts.indicator,
                value,
                count: (opts.indicator == Indicator::A3).then_some(count),
                n_children,
                n_las,
                aggregation: opts.aggregation,
                window_start: start,
                window_end: end,
                threshold,
                difference_to_threshold: value
                    .zip(threshold)
                    .map(|(v, t)| difference_to_threshold(v, t)),
            }
        })
        .collect())
}

fn group_of(j: &Journey, order: Date, by: GroupBy<'_>) -> String {
    match by {
        GroupBy::La => j.la.clone(),
        GroupBy::England => "England".into(),
        GroupBy::Raa(reg) => reg
            .raa_of(&j.la, order)
            .map_or_else(|| "no_raa".into(), |r| r.id.clone()),
    }
}

/// Value, A3 count (sum of the 0/1 values), children and LAs of one group.
fn aggregate(
    las: &BTreeMap<&str, Vec<f64>>,
    how: Aggregation,
) -> (Option<f64>, usize, usize, usize) {
    let contributing: Vec<&Vec<f64>> = las.values().filter(|v| !v.is_empty()).collect();
    let n_children = contributing.iter().map(|v| v.len()).sum();
    // A3 values are 0/1, so their sum is the number placed within 14 months.
    let count = contributing
        .iter()
        .flat_map(|v| v.iter())
        .filter(|x| **x > 0.5)
        .count();
    let value = match how {
        Aggregation::PerChild => {
            let all: Vec<f64> = contributing
                .iter()
                .flat_map(|v| v.iter().copied())
                .collect();
            mean_of_values(&all)
        }
        Aggregation::MeanOfLas => {
            let la_values: Vec<f64> = contributing
                .iter()
                .filter_map(|v| mean_of_values(v))
                .collect();
            mean_of_values(&la_values)
        }
    };
    (value, count, n_children, contributing.len())
}

/// One child's contribution: days (A1, A2, A10) or 0/1 (A3); `None` when not eligible.
pub fn child_value(j: &Journey, indicator: Indicator) -> Option<f64> {
    let days = match indicator {
        Indicator::A1 => days_between(j.entry_date, j.placed_date?),
        Indicator::A2 => days_between(j.po_date?, j.match_date?).max(0),
        Indicator::A3 => {
            let placed = j.placed_date?;
            let limit = j.entry_date.checked_add_months(Months::new(14))?;
            return Some(if placed < limit { 1.0 } else { 0.0 });
        }
        Indicator::A10 => days_between(j.entry_date, a10_clock_stop(j)?),
    };
    Some(days as f64)
}

/// Where the A10 clock stops: the move-in with foster carers who went on to adopt, when before
/// placement (and not before entry to care), else placement.
fn a10_clock_stop(j: &Journey) -> Option<Date> {
    let placed = j.placed_date?;
    let move_in = j
        .foster_carer_move_in_date
        .filter(|_| j.adopted_by_foster_carer)
        .filter(|m| *m < placed)
        .map(|m| m.max(j.entry_date));
    Some(move_in.unwrap_or(placed))
}

/// The unweighted mean of `values`; `None` for an empty slice (never NaN).
pub fn mean_of_values(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}

/// `value − threshold`: negative is better than the threshold for the timeliness indicators.
pub fn difference_to_threshold(value: f64, threshold: f64) -> f64 {
    value - threshold
}

/// A dated DfE threshold for a three-year scorecard window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Threshold {
    pub indicator: Indicator,
    /// The window ends 31 March of this year.
    pub period_end_year: i32,
    pub days: f64,
    pub source: &'static str,
    pub note: &'static str,
}

const WOLVERHAMPTON: &str =
    "https://docplayer.net/amp/20077661-Analysis-of-adoption-scorecard-information-2011-2014.html";
const DFE_2014: &str =
    "https://gov.uk/government/news/adoption-scorecards-and-thresholds-published";
const CARRIED: &str = "14 / 4 month target of 2013-16 assumed unchanged (not checked against later methodology documents); the Bexley, Kent & Medway business case (Dec 2019) prints 425 / 121 for 2018-19";

/// DfE A1/A2 thresholds by the year their three-year window ends. 2011 and 2013 are not
/// sourced and are left out.
pub const DFE_THRESHOLDS: [Threshold; 14] = [
    th(
        Indicator::A1,
        2012,
        639.0,
        WOLVERHAMPTON,
        "21 months; thresholds introduced 2012",
    ),
    th(
        Indicator::A2,
        2012,
        213.0,
        WOLVERHAMPTON,
        "7 months; thresholds introduced 2012",
    ),
    th(Indicator::A1, 2014, 547.0, WOLVERHAMPTON, "18 months"),
    th(Indicator::A2, 2014, 182.0, WOLVERHAMPTON, "6 months"),
    th(Indicator::A1, 2015, 487.0, WOLVERHAMPTON, "16 months"),
    th(Indicator::A2, 2015, 152.0, WOLVERHAMPTON, "5 months"),
    th(
        Indicator::A1,
        2016,
        426.0,
        DFE_2014,
        "14 months (2013-16 target)",
    ),
    th(
        Indicator::A2,
        2016,
        121.0,
        DFE_2014,
        "4 months (2013-16 target)",
    ),
    th(Indicator::A1, 2017, 426.0, DFE_2014, CARRIED),
    th(Indicator::A2, 2017, 121.0, DFE_2014, CARRIED),
    th(Indicator::A1, 2018, 426.0, DFE_2014, CARRIED),
    th(Indicator::A2, 2018, 121.0, DFE_2014, CARRIED),
    th(Indicator::A1, 2019, 426.0, DFE_2014, CARRIED),
    th(Indicator::A2, 2019, 121.0, DFE_2014, CARRIED),
];

const fn th(
    indicator: Indicator,
    period_end_year: i32,
    days: f64,
    source: &'static str,
    note: &'static str,
) -> Threshold {
    Threshold {
        indicator,
        period_end_year,
        days,
        source,
        note,
    }
}

/// The DfE threshold (days) for `indicator` in the window ending `period_end` (its collection
/// year), from [`DFE_THRESHOLDS`]; `None` when none is recorded (A3, A10, unsourced years).
///
/// ```
/// use raa_impact::data::date::Date;
/// use raa_impact::data::scorecard::{dfe_threshold, Indicator};
/// let end = Date::from_ymd_opt(2015, 3, 31).unwrap();
/// assert_eq!(dfe_threshold(Indicator::A1, end), Some(487.0));
/// assert_eq!(dfe_threshold(Indicator::A3, end), None);
/// ```
pub fn dfe_threshold(indicator: Indicator, period_end: Date) -> Option<f64> {
    let year = collection_year(period_end);
    DFE_THRESHOLDS
        .iter()
        .find(|t| t.indicator == indicator && t.period_end_year == year)
        .map(|t| t.days)
}
