//! Exposure: was a child's adoption journey run by a regional adoption agency?
//!
//! A journey is *exposed* when its index event (placement order by default; ADM decision or entry
//! to care as options) falls on or after its LA's exposure start plus a bed-in (default 183 days).
//! The exposure start is the later of the chosen milestone of the LA's RAA (go-live by default)
//! and the day the LA's area joined that RAA ([`Registry::joined`]): an LA that joined an existing
//! RAA late (Cornwall joined Adopt South West in 2024) is exposed from its joining day.
//!
//! * Index events before `start − anticipation_days` are unexposed (`Pre`).
//! * Index events in `[start − anticipation_days, start)` are `Anticipation` (exposure unknown).
//! * Index events in `[start, start + bed_in_days)` are `BedIn` (exposure unknown).
//! * A *straddler* entered care before the start but reached its index event after it: labelled
//!   (the default) or excluded (`Straddler`, exposure unknown).
//!
//! Milestones known only to the month or year are read conservatively: unexposed means before
//! the first day the milestone may fall on (the stored date), exposed means on or after the last
//! such day plus the bed-in; index events in between are `BedIn`. (Adoption Counts' day-precise
//! 2017-07-03 is unaffected; One Adoption West Yorkshire's "2017" is read as any day of 2017.)
//!
//! There is no fall-back between milestones: an RAA without the chosen milestone leaves its
//! journeys `NoMilestone` (exposure unknown), and the RAA is listed in
//! [`ExposureDesign::raas_missing_milestone`].
//!
//! ```
//! use raa_impact::data::exposure::{exposure, ExposureOptions};
//! let reg = raa_impact::data::registry::load::bundled().unwrap();
//! let design = exposure(&[], &reg, &ExposureOptions::default()).unwrap();
//! assert!(design.rows.is_empty());
//! assert_eq!(design.options.bed_in_days, 183);
//! ```

use crate::data::date::{days_between, Date};
use crate::data::journeys::Journey;
use crate::data::registry::check::last_possible_day;
use crate::data::registry::{DatePrecision, MilestoneKind, Registry};
use crate::{Error, Result};
use serde::Serialize;

/// The event whose date decides exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum IndexEvent {
    /// The placement order (default).
    #[default]
    PlacementOrder,
    /// The ADM decision that the child should be placed for adoption.
    Adm,
    /// Entry to care.
    Entry,
}

impl IndexEvent {
    /// The journey's date of this event.
    pub fn date(self, j: &Journey) -> Option<Date> {
        match self {
            IndexEvent::PlacementOrder => j.po_date,
            IndexEvent::Adm => j.adm_date,
            IndexEvent::Entry => Some(j.entry_date),
        }
    }

    /// `placement_order`, `adm`, `entry`.
    pub fn name(self) -> &'static str {
        match self {
            IndexEvent::PlacementOrder => "placement_order",
            IndexEvent::Adm => "adm",
            IndexEvent::Entry => "entry",
        }
    }
}

/// What to do with journeys that entered care before the exposure start but reached their index
/// event after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Straddlers {
    /// Keep their status and exposure; set [`ExposureRow::straddler`] (default).
    #[default]
    Label,
    /// Status [`ExposureStatus::Straddler`], exposure unknown.
    Exclude,
}

/// Options of the exposure design; recorded in its output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExposureOptions {
    pub index_event: IndexEvent,
    pub milestone: MilestoneKind,
    /// Days after the exposure start during which index events are neither exposed nor unexposed.
    pub bed_in_days: i64,
    /// Days before the exposure start labelled anticipation (exposure unknown).
    pub anticipation_days: i64,
    pub straddlers: Straddlers,
}

impl Default for ExposureOptions {
    fn default() -> Self {
        ExposureOptions {
            index_event: IndexEvent::PlacementOrder,
            milestone: MilestoneKind::GoLive,
            bed_in_days: 183,
            anticipation_days: 0,
            straddlers: Straddlers::Label,
        }
    }
}

/// Where a journey's index event sits relative to its LA's exposure start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ExposureStatus {
    /// Before `start − anticipation_days`: unexposed.
    Pre,
    /// In the anticipation window before the start.
    Anticipation,
    /// In the bed-in after the start.
    BedIn,
    /// On or after `start + bed_in_days`: exposed.
    Post,
    /// A straddler, excluded ([`Straddlers::Exclude`]).
    Straddler,
    /// The journey has no index event (e.g. no placement order yet).
    NoIndexEvent,
    /// The LA never joined an RAA.
    NoRaa,
    /// The LA's RAA lacks the chosen milestone.
    NoMilestone,
    /// The LA code is not in the registry.
    UnknownLa,
}

impl ExposureStatus {
    /// `pre`, `anticipation`, `bed_in`, `post`, `straddler`, `no_index_event`, `no_raa`,
    /// `no_milestone`, `unknown_la`.
    pub fn label(self) -> &'static str {
        match self {
            ExposureStatus::Pre => "pre",
            ExposureStatus::Anticipation => "anticipation",
            ExposureStatus::BedIn => "bed_in",
            ExposureStatus::Post => "post",
            ExposureStatus::Straddler => "straddler",
            ExposureStatus::NoIndexEvent => "no_index_event",
            ExposureStatus::NoRaa => "no_raa",
            ExposureStatus::NoMilestone => "no_milestone",
            ExposureStatus::UnknownLa => "unknown_la",
        }
    }
}

/// One journey's exposure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExposureRow {
    pub la: String,
    pub child: String,
    pub period: u32,
    /// The RAA of the LA's first membership.
    pub raa_id: Option<String>,
    pub raa_name: Option<String>,
    /// The RAA's chosen milestone.
    pub milestone_date: Option<Date>,
    pub milestone_precision: Option<DatePrecision>,
    /// The later of the milestone and the day the LA's area joined the RAA.
    pub start_date: Option<Date>,
    /// The last day the start may fall on, given the milestone's precision (= `start_date` for
    /// day precision).
    pub start_latest: Option<Date>,
    pub index_date: Option<Date>,
    /// Days from `start_date` to the index event (negative before).
    pub days_from_start: Option<i64>,
    pub status: ExposureStatus,
    /// `Some(true)` exposed, `Some(false)` unexposed, `None` unknown (bed-in, anticipation, ...).
    pub exposed: Option<bool>,
    /// Entered care before `start_date` with the index event on or after it.
    pub straddler: bool,
}

/// The exposure design: rows in journey order, and how they were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExposureDesign {
    pub rows: Vec<ExposureRow>,
    pub options: ExposureOptions,
    pub milestone_used: MilestoneKind,
    /// RAAs (with member LAs among the journeys) lacking the chosen milestone, sorted.
    pub raas_missing_milestone: Vec<String>,
}

/// Label each journey's exposure (one row per journey, same order).
///
/// Errors when `bed_in_days` or `anticipation_days` is negative.
pub fn exposure(
    journeys: &[Journey],
    registry: &Registry,
    opts: &ExposureOptions,
) -> Result<ExposureDesign> {
    check_options(opts)?;
    let rows: Vec<ExposureRow> = journeys
        .iter()
        .map(|j| exposure_row(j, registry, opts))
        .collect();
    let mut missing: Vec<String> = rows
        .iter()
        .filter(|r| r.status == ExposureStatus::NoMilestone)
        .filter_map(|r| r.raa_id.clone())
        .collect();
    missing.sort();
    missing.dedup();
    Ok(ExposureDesign {
        rows,
        options: opts.clone(),
        milestone_used: opts.milestone,
        raas_missing_milestone: missing,
    })
}

fn check_options(opts: &ExposureOptions) -> Result<()> {
    if opts.bed_in_days < 0 {
        return Err(Error::argument(
            "bed_in_days",
            format!("must be >= 0, got {}", opts.bed_in_days),
        ));
    }
    if opts.anticipation_days < 0 {
        return Err(Error::argument(
            "anticipation_days",
            format!("must be >= 0, got {}", opts.anticipation_days),
        ));
    }
    Ok(())
}

/// The exposure start of LA `la` for milestone `kind`: the RAA, the milestone and the later of the
/// milestone date and the day the LA's area joined. `Err(status)` says why there is none.
pub fn exposure_start<'r>(
    registry: &'r Registry,
    la: &str,
    kind: MilestoneKind,
) -> std::result::Result<ExposureStart<'r>, ExposureStatus> {
    if registry.la(la).is_none() {
        return Err(ExposureStatus::UnknownLa);
    }
    let (membership, joined) = registry.joined(la).ok_or(ExposureStatus::NoRaa)?;
    let raa = registry
        .raa(&membership.raa_id)
        .ok_or(ExposureStatus::NoRaa)?;
    let milestone = raa.milestone(kind);
    Ok(ExposureStart {
        raa,
        milestone,
        start: milestone.map(|m| m.date.max(joined)),
        latest: milestone.map(|m| last_possible_day(m).max(joined)),
    })
}

/// An LA's RAA and the date its exposure starts (see [`exposure_start`]).
#[derive(Debug, Clone, Copy)]
pub struct ExposureStart<'r> {
    pub raa: &'r crate::data::registry::Raa,
    /// The RAA's chosen milestone, if recorded.
    pub milestone: Option<&'r crate::data::registry::Milestone>,
    /// `None` when the milestone is missing.
    pub start: Option<Date>,
    /// The last day the start may fall on (see [`last_possible_day`]).
    pub latest: Option<Date>,
}

fn exposure_row(j: &Journey, registry: &Registry, opts: &ExposureOptions) -> ExposureRow {
    let index_date = opts.index_event.date(j);
    let mut row = ExposureRow {
        la: j.la.clone(),
        child: j.child.clone(),
        period: j.period,
        raa_id: None,
        raa_name: None,
        milestone_date: None,
        milestone_precision: None,
        start_date: None,
        start_latest: None,
        index_date,
        days_from_start: None,
        status: ExposureStatus::NoIndexEvent,
        exposed: None,
        straddler: false,
    };
    let found = match exposure_start(registry, &j.la, opts.milestone) {
        Ok(s) => s,
        Err(status) => {
            row.status = status;
            return row;
        }
    };
    row.raa_id = Some(found.raa.id.clone());
    row.raa_name = Some(found.raa.name.clone());
    row.milestone_date = found.milestone.map(|m| m.date);
    row.milestone_precision = found.milestone.map(|m| m.precision);
    row.start_date = found.start;
    row.start_latest = found.latest;
    let (Some(start), Some(latest)) = (found.start, found.latest) else {
        row.status = ExposureStatus::NoMilestone;
        return row;
    };
    let Some(index) = index_date else {
        return row;
    };
    let days = days_between(start, index);
    row.days_from_start = Some(days);
    row.straddler = j.entry_date < start && index >= start;
    (row.status, row.exposed) = classify(days, days_between(latest, index), opts);
    if row.straddler && opts.straddlers == Straddlers::Exclude {
        (row.status, row.exposed) = (ExposureStatus::Straddler, None);
    }
    row
}

/// Status and exposure of an index event `days` after the exposure start's first possible day
/// and `days_latest` after its last possible day.
fn classify(days: i64, days_latest: i64, opts: &ExposureOptions) -> (ExposureStatus, Option<bool>) {
    if days < -opts.anticipation_days {
        (ExposureStatus::Pre, Some(false))
    } else if days < 0 {
        (ExposureStatus::Anticipation, None)
    } else if days_latest < opts.bed_in_days {
        (ExposureStatus::BedIn, None)
    } else {
        (ExposureStatus::Post, Some(true))
    }
}
