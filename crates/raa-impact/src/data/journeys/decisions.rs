//! Attaching AD1 and PlacedAdoption rows (the adoption decision, match and reversal) to the
//! period of care they belong to.
//!
//! A row belongs to the period whose entry is on or before its decision date (PlacedAdoption
//! DATE_PLACED, AD1 DATE_INT) and whose end (or the cut, while it runs) is on or after it. On a
//! day that both ends one period and opens the next, the later period wins.

use super::periods::Period;
use crate::data::date::Date;
use crate::data::ssda903::{Ad1Row, PlacedAdoptionRow};

/// The decision rows of one period of care.
#[derive(Debug, Default, Clone)]
pub(crate) struct Decisions<'a> {
    pub placed_adoption: Vec<&'a PlacedAdoptionRow>,
    pub ad1: Vec<&'a Ad1Row>,
}

/// Where a decision row went.
pub(crate) enum Attached {
    /// Index of its period.
    Period(usize),
    /// Not used, with the reason.
    LeftOut(String),
}

/// The period a decision dated `date` (field `field`) belongs to.
pub(crate) fn attach(
    periods: &[Period<'_>],
    date: Option<Date>,
    field: &str,
    cut: Date,
) -> Attached {
    let Some(d) = date else {
        return Attached::LeftOut(format!("no {field} (decision date)"));
    };
    if d > cut {
        return Attached::LeftOut(format!("{field} after the data cut (not yet happened)"));
    }
    match periods.iter().rposition(|p| p.entry <= d) {
        Some(i) if d <= periods[i].last_day(cut) => Attached::Period(i),
        _ => Attached::LeftOut(format!("{field} outside every period of care")),
    }
}
