//! Each RAA's series beside a comparison series of LAs not yet live: the data of a controlled
//! interrupted time series whose comparison shares the national shocks but not the go-live.
//!
//! From an LA × period panel ([`crate::data::panel::la_panel`] with LA units):
//!
//! * **Treated series** — the RAA's founding LAs (exposure start within the first bed-in of the
//!   RAA's earliest start; later joiners are left out of both series), their cell means pooled
//!   with the children as weights.
//! * **Window** — `pre` periods before the go-live period, the bed-in periods (any period that
//!   overlaps a founding LA's bed-in), then `post` periods, all of which must end on or before
//!   `last_period` (so that order cohorts have had time to be placed).
//! * **Comparison series** — every LA (of any RAA) whose exposure starts after the window ends,
//!   pooled the same way: not yet live throughout the window, so exposed to the same calendar
//!   (Re B-S, COVID) but never to an RAA.
//!
//! An RAA is skipped, with its reason, when its window runs past `last_period` or the panel's
//! start, when fewer than `min_controls` LAs qualify, or when a period of either series has no
//! children. The domain layer builds the series; estimating on them is the ITS module's job.

use crate::data::panel::PanelRow;
use crate::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which cell mean of the panel to pool (each with its own count as the weight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum PanelMean {
    /// PO → placed of the period's order cohort (the effect arrives as a step).
    #[default]
    CohortPoToPlaced,
    /// PO → match of the period's order cohort.
    CohortPoToMatch,
    /// PO → placed of the children placed in the period.
    PoToPlaced,
    /// Entry → placed of the children placed in the period.
    EntryToPlaced,
    /// PO → match of the children matched in the period.
    PoToMatch,
}

impl PanelMean {
    /// The (mean, count) of a row.
    fn of(self, r: &PanelRow) -> (Option<f64>, usize) {
        match self {
            PanelMean::CohortPoToPlaced => (r.cohort_mean_po_to_placed, r.cohort_n_po_to_placed),
            PanelMean::CohortPoToMatch => (r.cohort_mean_po_to_match, r.cohort_n_po_to_match),
            PanelMean::PoToPlaced => (r.mean_po_to_placed, r.n_po_to_placed),
            PanelMean::EntryToPlaced => (r.mean_entry_to_placed, r.n_entry_to_placed),
            PanelMean::PoToMatch => (r.mean_po_to_match, r.n_po_to_match),
        }
    }
}

/// Window and comparison settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlledOptions {
    pub mean: PanelMean,
    /// Periods before the go-live period.
    pub pre: usize,
    /// Periods after the bed-in.
    pub post: usize,
    /// Fewest comparison LAs accepted.
    pub min_controls: usize,
    /// Label of the last period a window may reach (e.g. `"2022Q1"`); default: the panel's last.
    pub last_period: Option<String>,
}

impl Default for ControlledOptions {
    fn default() -> Self {
        ControlledOptions {
            mean: PanelMean::CohortPoToPlaced,
            pre: 16,
            post: 4,
            min_controls: 3,
            last_period: None,
        }
    }
}

/// One period of one of the two series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlledRow {
    /// 1-based position in the window.
    pub t: usize,
    pub period: String,
    /// `true`: the RAA's series; `false`: the comparison.
    pub treated: bool,
    /// Children-weighted mean of the cell means.
    pub mean: f64,
    /// Children behind the mean.
    pub n: usize,
}

/// An RAA's controlled series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlledSeries {
    pub raa_id: String,
    /// The RAA's founding LAs (the treated series).
    pub las: Vec<String>,
    /// The comparison LAs.
    pub controls: Vec<String>,
    /// Window position (`t`) of the go-live period.
    pub go_live_t: usize,
    /// Bed-in periods after it (left out of the post segment).
    pub bed_in_periods: usize,
    /// Label of the go-live period.
    pub go_live_period: String,
    /// Treated rows, then comparison rows, each in time order.
    pub rows: Vec<ControlledRow>,
}

/// An RAA without series, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub raa_id: String,
    pub reason: String,
}

/// Every RAA's controlled series, and the RAAs skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ControlledPanel {
    pub series: Vec<ControlledSeries>,
    pub skipped: Vec<Skipped>,
}

/// An LA's rows in time order, with its exposure in panel positions.
struct La<'a> {
    code: &'a str,
    raa: Option<&'a str>,
    rows: Vec<&'a PanelRow>,
    /// Position of the period containing the exposure start.
    start: Option<usize>,
    /// First position after every bed-in period.
    after_bed_in: Option<usize>,
    /// Exposed in some period of the panel (a start before the panel's first period counts).
    ever_post: bool,
}

/// Build every RAA's treated and not-yet-live comparison series (see the module docs).
///
/// ```
/// use raa_impact::data::controlled::{controlled_series, ControlledOptions};
/// let out = controlled_series(&[], &ControlledOptions::default()).unwrap();
/// assert!(out.series.is_empty());
/// ```
pub fn controlled_series(rows: &[PanelRow], opts: &ControlledOptions) -> Result<ControlledPanel> {
    if opts.post == 0 || opts.pre < 2 {
        return Err(Error::argument(
            "pre/post",
            format!(
                "need pre >= 2 and post >= 1 periods, got pre = {}, post = {}",
                opts.pre, opts.post
            ),
        ));
    }
    let las = by_la(rows)?;
    let Some(periods) = las.first().map(|l| l.rows.len()) else {
        return Ok(ControlledPanel::default());
    };
    let last = last_position(&las[0], opts)?;
    let mut raas: BTreeMap<&str, Vec<&La>> = BTreeMap::new();
    for la in &las {
        if let (Some(raa), Some(_)) = (la.raa, la.start) {
            raas.entry(raa).or_default().push(la);
        }
    }
    let mut out = ControlledPanel::default();
    for (raa, members) in raas {
        match raa_series(raa, &members, &las, periods.min(last + 1), opts) {
            Ok(s) => out.series.push(s),
            Err(reason) => out.skipped.push(Skipped {
                raa_id: raa.to_string(),
                reason,
            }),
        }
    }
    Ok(out)
}

/// Group the panel by LA; every LA must cover the same periods (as `la_panel` makes them).
fn by_la(rows: &[PanelRow]) -> Result<Vec<La<'_>>> {
    let mut map: BTreeMap<&str, Vec<&PanelRow>> = BTreeMap::new();
    for r in rows {
        map.entry(r.unit.as_str()).or_default().push(r);
    }
    let mut las = Vec::with_capacity(map.len());
    let mut labels: Option<Vec<&str>> = None;
    for (code, mut rs) in map {
        rs.sort_by_key(|r| r.period_start);
        let these: Vec<&str> = rs.iter().map(|r| r.period.as_str()).collect();
        match &labels {
            Some(l) if *l != these => {
                return Err(Error::argument(
                    "panel",
                    format!("LA {code} covers other periods than the first LA; build the panel with la_panel"),
                ))
            }
            None => labels = Some(these),
            _ => {}
        }
        let start = rs.iter().position(|r| r.period_index == Some(0));
        let after_bed_in = start.map(|s| {
            let tail = rs[s..]
                .iter()
                .take_while(|r| r.bed_in == Some(true))
                .count();
            s + tail
        });
        let ever_post = rs.iter().any(|r| r.post == Some(true));
        las.push(La {
            ever_post,
            code,
            raa: rs.first().and_then(|r| r.raa_id.as_deref()),
            rows: rs,
            start,
            after_bed_in,
        });
    }
    Ok(las)
}

fn last_position(la: &La, opts: &ControlledOptions) -> Result<usize> {
    let Some(label) = &opts.last_period else {
        return Ok(la.rows.len().saturating_sub(1));
    };
    la.rows
        .iter()
        .position(|r| &r.period == label)
        .ok_or_else(|| {
            Error::argument(
                "last_period",
                format!("period {label:?} is not in the panel"),
            )
        })
}

/// One RAA's series, or why it has none.
fn raa_series(
    raa: &str,
    members: &[&La],
    las: &[La],
    periods: usize,
    opts: &ControlledOptions,
) -> std::result::Result<ControlledSeries, String> {
    let first = members
        .iter()
        .filter_map(|l| l.start)
        .min()
        .ok_or("no go-live")?;
    let first_after = members
        .iter()
        .filter(|l| l.start == Some(first))
        .filter_map(|l| l.after_bed_in)
        .max()
        .ok_or("no go-live")?;
    // Founding members: their exposure starts before the first bed-in is over.
    let founding: Vec<&La> = members
        .iter()
        .copied()
        .filter(|l| l.start.is_some_and(|s| s < first_after.max(first + 1)))
        .collect();
    let post_start = founding
        .iter()
        .filter_map(|l| l.after_bed_in)
        .max()
        .ok_or("no go-live")?;
    let end = post_start + opts.post; // exclusive
    if first < opts.pre {
        return Err(format!(
            "fewer than {} periods before go-live in the panel",
            opts.pre
        ));
    }
    if end > periods {
        return Err(format!(
            "the window needs {} periods after the bed-in, past the last period allowed",
            opts.post
        ));
    }
    let controls: Vec<&La> = las
        .iter()
        .filter(|l| not_yet_live(l, end) && !members.iter().any(|m| m.code == l.code))
        .collect();
    if controls.len() < opts.min_controls {
        return Err(format!(
            "{} LAs not yet live through the window; {} needed",
            controls.len(),
            opts.min_controls
        ));
    }
    let lo = first - opts.pre;
    let treated = pooled(&founding, lo, end, true, opts.mean)?;
    let comparison = pooled(&controls, lo, end, false, opts.mean)?;
    Ok(ControlledSeries {
        raa_id: raa.to_string(),
        las: founding.iter().map(|l| l.code.to_string()).collect(),
        controls: controls.iter().map(|l| l.code.to_string()).collect(),
        go_live_t: first - lo + 1,
        bed_in_periods: post_start - first,
        go_live_period: founding[0].rows[first].period.clone(),
        rows: treated.into_iter().chain(comparison).collect(),
    })
}

/// Unexposed in every period before `end` (never live in the panel, or live from `end` on).
fn not_yet_live(la: &La, end: usize) -> bool {
    match la.start {
        Some(s) => s >= end,
        None => !la.ever_post,
    }
}

/// The children-weighted mean of the LAs' cell means, period by period.
fn pooled(
    las: &[&La],
    lo: usize,
    end: usize,
    treated: bool,
    mean: PanelMean,
) -> std::result::Result<Vec<ControlledRow>, String> {
    (lo..end)
        .map(|k| {
            let (mut sum, mut n) = (0.0, 0usize);
            for la in las {
                if let (Some(m), c) = mean.of(la.rows[k]) {
                    sum += m * c as f64;
                    n += c;
                }
            }
            let period = las[0].rows[k].period.clone();
            if n == 0 {
                let which = if treated { "RAA" } else { "comparison" };
                return Err(format!("the {which} series has no children in {period}"));
            }
            Ok(ControlledRow {
                t: k - lo + 1,
                period,
                treated,
                mean: sum / n as f64,
                n,
            })
        })
        .collect()
}
