//! The five durations of a journey as event times with censoring and competing exits.

use super::journey::{Duration, Measure};
use super::milestones::Milestones;
use crate::data::date::{days_between, Date};

/// The start and end milestones of `m`.
fn span(m: Measure, ms: &Milestones) -> (Option<Date>, Option<Date>) {
    match m {
        Measure::EntryToAdm => (Some(ms.entry), ms.adm),
        Measure::AdmToPo => (ms.adm, ms.po),
        Measure::PoToMatch => (ms.po, ms.matched),
        Measure::PoToPlaced => (ms.po, ms.placed),
        Measure::EntryToPlaced => (Some(ms.entry), ms.placed),
    }
}

/// Measures whose duration is 0, not negative, when the end came first (DfE scorecard A2: a
/// child matched or placed before the placement order waited no time after it).
fn floored_at_zero(m: Measure) -> bool {
    matches!(m, Measure::PoToMatch | Measure::PoToPlaced)
}

/// The duration `m` of a journey with milestones `ms` at data cut `cut`.
pub(crate) fn duration(m: Measure, ms: &Milestones, cut: Date) -> Duration {
    let (start, end) = span(m, ms);
    let Some(s) = start else {
        return Duration::default();
    };
    if let Some(e) = end {
        let days = days_between(s, e);
        let days = if floored_at_zero(m) {
            days.max(0)
        } else {
            days
        };
        return Duration {
            days: Some(days),
            event: true,
            censored: false,
            competing: None,
        };
    }
    if let Some((x, code)) = ms.first_exit() {
        return Duration {
            days: Some(days_between(s, x)),
            event: false,
            censored: false,
            competing: Some(code.to_string()),
        };
    }
    Duration {
        days: Some(days_between(s, cut)),
        event: false,
        censored: true,
        competing: None,
    }
}
