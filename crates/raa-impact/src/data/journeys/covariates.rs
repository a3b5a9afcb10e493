//! Child covariates of a journey: who the child is (from the Header), its path through care in
//! the period (placements, fostering for adoption, adoption by its foster carers) and the
//! harder-to-place flags.

use super::children::ChildRows;
use super::decisions::Decisions;
use super::journey::EthnicGroup;
use super::periods::Period;
use crate::data::date::{age_years, days_between, Date};
use crate::data::ssda903::{EpisodeRow, HeaderRow};

/// Who the child is, from its latest Header row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Child {
    pub sex: String,
    pub dob: Option<Date>,
    pub ethnic: String,
    pub sibling_group: Option<bool>,
    pub disability: Option<bool>,
}

/// The child's Header values: each from the latest return (collection year, then file and row)
/// that fills it; DOB falls back on PlacedAdoption and AD1 when there is no Header row.
pub(crate) fn child(rows: &ChildRows<'_, '_>) -> Child {
    // Latest return first; the codes break ties so that the input order never matters.
    let latest = |filled: &dyn Fn(&HeaderRow) -> bool| {
        rows.header
            .iter()
            .copied()
            .filter(|h| filled(h))
            .max_by(|a, b| header_order(a, b))
    };
    let text = |f: fn(&HeaderRow) -> &str| {
        latest(&|h| !f(h).is_empty())
            .map(|h| f(h).to_string())
            .unwrap_or_default()
    };
    let dob = latest(&|h| h.dob.is_some())
        .and_then(|h| h.dob)
        .or_else(|| {
            let pa = rows.placed_adoption.iter().filter_map(|r| r.dob).min();
            pa.or_else(|| rows.ad1.iter().filter_map(|r| r.dob).min())
        });
    Child {
        sex: text(|h| &h.sex),
        dob,
        ethnic: text(|h| &h.ethnic),
        sibling_group: latest(&|h| h.sibling_group.is_some()).and_then(|h| h.sibling_group),
        disability: latest(&|h| h.disability.is_some()).and_then(|h| h.disability),
    }
}

/// Order of Header rows: collection year, file, row, then the values (so that the order of the
/// input never matters).
fn header_order(a: &HeaderRow, b: &HeaderRow) -> std::cmp::Ordering {
    (a.src.year, a.src.file, a.src.row, &a.sex, &a.ethnic, a.dob)
        .cmp(&(b.src.year, b.src.file, b.src.row, &b.sex, &b.ethnic, b.dob))
}

/// Covariates of one journey.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Covariates {
    pub ethnic_group: EthnicGroup,
    pub age_at_entry_days: Option<i64>,
    pub cin: String,
    pub placements_before_adm: u32,
    pub ffa_or_concurrent: bool,
    pub adopted_by_foster_carer: bool,
    pub foster_carer_move_in_date: Option<Date>,
    pub htp_age5plus: bool,
    pub htp_black_or_mixed: bool,
    pub harder_to_place: bool,
}

/// An episode that starts a new placement with a new carer: entry (S), new placement (P), new
/// legal status and placement (T), or the older code B. L (legal status only) and U (placement
/// type changed, same carer) continue the placement.
fn starts_placement(e: &EpisodeRow) -> bool {
    matches!(e.rne.as_str(), "S" | "P" | "T" | "B")
}

/// PLACE A3/A5: placed for adoption with the child's current foster carer(s).
fn with_foster_carer(e: &EpisodeRow) -> bool {
    matches!(e.place.as_str(), "A3" | "A5")
}

/// Distinct placements started before `adm`: the first episode of the period (the placement the
/// child was in when the period, or the returns, began) and every later episode that starts a
/// new placement.
fn placements_before(period: &Period<'_>, adm: Option<Date>) -> u32 {
    let Some(adm) = adm else { return 0 };
    let n = period
        .episodes
        .iter()
        .enumerate()
        .filter(|(i, e)| (*i == 0 || starts_placement(e)) && e.decom.is_some_and(|d| d < adm))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Fostering for adoption or concurrent planning (PLACE U2/U5) on or before the adoptive
/// placement (any time in the period when the child has not been placed).
fn ffa_or_concurrent(period: &Period<'_>, placed: Option<Date>) -> bool {
    period.episodes.iter().any(|e| {
        matches!(e.place.as_str(), "U2" | "U5")
            && e.decom.is_some_and(|d| placed.is_none_or(|p| d <= p))
    })
}

/// When the child moved in with the foster carers who adopt it: walking back from its first
/// A3/A5 episode (or, when AD1 alone says so, its first A3–A6 episode) over episodes that kept
/// the carer (RNE L or U), the DECOM of the episode that started that placement.
fn move_in_date(period: &Period<'_>) -> Option<Date> {
    let eps = &period.episodes;
    let anchor = eps.iter().position(|e| with_foster_carer(e)).or_else(|| {
        eps.iter()
            .position(|e| matches!(e.place.as_str(), "A3" | "A4" | "A5" | "A6"))
    })?;
    let start = eps[..=anchor]
        .iter()
        .rposition(|e| starts_placement(e))
        .unwrap_or(0);
    eps[start].decom
}

/// Covariates of the journey of `period` with decision rows `dec`, ADM date `adm` and placement
/// date `placed`.
pub(crate) fn covariates(
    child: &Child,
    period: &Period<'_>,
    dec: &Decisions<'_>,
    adm: Option<Date>,
    placed: Option<Date>,
) -> Covariates {
    let ethnic_group = EthnicGroup::of_code(&child.ethnic);
    let cin = period
        .episodes
        .first()
        .map(|e| e.cin.to_string())
        .unwrap_or_default();
    let adopted_by_foster_carer = dec.ad1.iter().any(|r| r.foster_care == "1")
        || period.episodes.iter().any(|e| with_foster_carer(e));
    let age_at = adm.unwrap_or(period.entry);
    let htp_age5plus = child.dob.is_some_and(|dob| age_years(dob, age_at) >= 5);
    let htp_black_or_mixed = matches!(ethnic_group, EthnicGroup::Black | EthnicGroup::Mixed);
    let harder_to_place = htp_age5plus
        || htp_black_or_mixed
        || child.sibling_group == Some(true)
        || child.disability == Some(true);
    Covariates {
        ethnic_group,
        age_at_entry_days: child.dob.map(|dob| days_between(dob, period.entry)),
        cin,
        placements_before_adm: placements_before(period, adm),
        ffa_or_concurrent: ffa_or_concurrent(period, placed),
        adopted_by_foster_carer,
        foster_carer_move_in_date: if adopted_by_foster_carer {
            move_in_date(period)
        } else {
            None
        },
        htp_age5plus,
        htp_black_or_mixed,
        harder_to_place,
    }
}
