//! Deriving adoption journeys from validated, stacked SSDA903 returns: the library's definition
//! of a journey.
//!
//! The input is a [`Returns`] that holds one or many LAs and collection years, stacked and
//! de-duplicated (the `ssda903::dedup` step), and its [`Validation`]. Children are derived in
//! parallel (rayon); the rules are these.
//!
//! # Data cut
//! Everything is judged at the data cut ([`JourneyOptions::cut_date`]; by default 31 March of the
//! latest collection year among the files read, or, with no files, the latest date in the
//! records). An event dated after the cut has not happened yet: episodes that start after it are
//! left out, a DEC after it leaves its episode open, and every other date after it counts as
//! missing.
//!
//! # Children and exclusions
//! * Rows are grouped by child, keyed by (LA, CHILD): CHILD is unique only within an LA.
//! * A child with any row flagged invalid by validation (an error-severity problem) is left out
//!   entirely, because a journey built from part of its records would be wrong. So is a child with
//!   a blank CHILD, with no episodes, with an episode without DECOM, or whose episodes are
//!   inconsistent (see below).
//! * Codes are compared exactly as stored (the reader trims them).
//! * Every input row is either *used* ([`JourneySet::rows_used`]) or listed in
//!   [`JourneySet::left_out`] with a reason: all rows of a left-out child; episodes that start
//!   after the cut; episodes superseded by a later return (below); AD1 and PlacedAdoption rows without a decision date, with one after the cut,
//!   or with one outside every period of care. The used rows are the others: every Header row of
//!   a kept child, its episodes up to the cut, and the decision rows attached to a period.
//!
//! # Periods of care
//! A child's episodes are sorted by DECOM (on the same day an episode that ended comes before
//! one still open; then collection year, file and row). Of episodes starting on the same day only
//! those of the latest collection year are kept: an earlier return's version of an episode that a
//! later return repeats is superseded (the `dedup` step normally removed it already). A period of care starts at an episode with RNE `S` and
//! runs until an episode with a DEC (by the cut) and a REC other than `X1`; that DEC ends it and
//! the next `S` episode starts the next period. Periods are numbered from 1 among all the child's
//! periods in the data, with or without an adoption decision.
//! When the child's first episode is not `S` (the returns start mid-period, e.g. 2011 data) its
//! period opens at that episode: the entry date is the first DECOM seen, so the period is
//! *left-truncated* and its entry-based durations are too short. Such periods are counted in
//! [`JourneySet::periods_left_truncated`]; the journey carries no flag.
//! An `S` episode while a period is still running, or an episode other than `S` after a period
//! ended, makes the child's episodes inconsistent: the child is left out.
//!
//! # Journeys and milestones
//! A journey is a period of care that reached an adoption decision (ADM) by the cut. A record
//! belongs to the period whose entry is on or before its date and whose end (or the cut, while
//! it runs) is on or after it; a date that both ends one period and opens the next belongs to the
//! later one. In a period:
//! * **ADM**: the earliest PlacedAdoption DATE_PLACED; without one, the earliest AD1 DATE_INT
//!   (AD1 rows are attached by DATE_INT).
//! * **Placement order**: the first DECOM with LS `E1`, or `D1` when DECOM is before 2006-01-01.
//! * **Match**: the earliest AD1 DATE_MATCH of the period's AD1 rows.
//! * **Placed**: the first DECOM with PLACE `A3`–`A6`.
//! * **Exit**: DEC and REC of the period's last episode when the period ended by the cut.
//! * **Adoption order**: the exit date when REC is `E11` or `E12`.
//! * **Reversal**: DATE_PLACED_CEASED (by the cut) with REASON_PLACED_CEASED `RD1`–`RD4` of the
//!   period's *latest* decision (a decision replaced by a later one in the same period does not
//!   end the journey); among repeats of that decision the latest return's cessation is used.
//!   A cessation with another reason is not a reversal.
//!
//! # Ending
//! `Adopted` when there is an adoption order; else `Reversed(RD)` when there is a reversal (even
//! if the child stays in care); else `OtherExit(REC)` when the period ended; else `Ongoing`.
//!
//! # Durations
//! Entry→ADM, ADM→PO, PO→match, PO→placed and entry→placed, from start S to end E:
//! * S missing: `days = None`, no event, not censored.
//! * E present: `days = E − S`, `event = true`. PO→match and PO→placed are floored at 0 when the
//!   match or placement came before the order (DfE scorecard A2: "0 when the match came first").
//! * Else, when the journey ended by a competing exit X — the earlier of the reversal (code
//!   RD1–RD4) and the exit from care (its REC, `E11`/`E12` included when E is missing), the
//!   reversal on a tie: `days = X − S`, `competing = Some(code)`, no event, not censored.
//! * Else: censored at the cut, `days = cut − S`, `censored = true`.
//!
//! Other negative days (e.g. ADM before entry, a competing exit before S) cannot happen on valid
//! data; when they do they are returned as they are, for the user to see.
//!
//! # Covariates
//! * Sex, DOB and ethnicity: each from the latest Header row (collection year, then file and row)
//!   that fills it; DOB falls back on PlacedAdoption, then AD1, when there is no Header row.
//!   Ethnic group: [`EthnicGroup::of_code`](super::EthnicGroup::of_code). Sibling-group and
//!   disability flags: the latest Header row that carries them, `None` when none does.
//! * `age_at_entry_days`: entry date − DOB. `cin`: CIN of the period's first episode.
//! * `placements_before_adm`: placements that started strictly before the ADM date: the period's
//!   first episode and each later episode with RNE `S`, `P`, `T` or `B` (a new carer; `L` and `U`
//!   keep the carer).
//! * `ffa_or_concurrent`: an episode of the period with PLACE `U2` or `U5` starting on or before
//!   the adoptive placement (any time when not placed).
//! * `adopted_by_foster_carer`: an AD1 row of the period with FOSTER_CARE `1`, or an episode with
//!   PLACE `A3`/`A5` (placed with the current foster carer). It also holds for a child placed
//!   with its foster carers and not yet adopted.
//! * `foster_carer_move_in_date` (only for those children): from the first `A3`/`A5` episode (or,
//!   when AD1 alone says so, the first `A3`–`A6` episode), walk back over episodes that kept the
//!   carer; the DECOM of the latest episode at or before it with RNE `S`, `P`, `T` or `B` (the
//!   period's first episode when there is none).
//! * Harder to place: `htp_age5plus` (whole years ≥ 5 at ADM), `htp_black_or_mixed` (Black or
//!   Mixed group), `htp_sibling_group` and `htp_disability` (the Header flags),
//!   `harder_to_place` = any of them true.
//!
//! # Order
//! Journeys are sorted by (LA, child, period) and left-out entries by (LA, child, table, reason);
//! the output does not depend on the order of the input rows.

use super::assemble::{child_journeys, exclude, ChildOutcome};
use super::children::{error_rules, group_by_child, ChildRows};
use super::set::{JourneySet, RowCounts};
use crate::data::date::{year_end, Date};
use crate::data::ssda903::validate::Validation;
use crate::data::ssda903::Returns;
use crate::error::{Error, Result};
use rayon::prelude::*;

/// Options of [`derive_journeys`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JourneyOptions {
    /// The data cut; `None` for 31 March of the latest collection year read (with no files, the
    /// latest date in the records).
    pub cut_date: Option<Date>,
}

/// Derive the adoption journeys of `returns`, leaving out children with invalid records.
///
/// `validation` must come from [`validate`](crate::data::ssda903::validate::validate) on the same
/// returns (an empty flag vector, as in `Validation::default()`, flags nothing). The rules are
/// those of the [module documentation](self).
///
/// # Errors
/// [`Error::Argument`] when the validation flags do not match the returns, or when no cut is given
/// and none can be inferred (no files and no dates).
///
/// ```
/// use raa_impact::data::date::Date;
/// use raa_impact::data::journeys::{derive_journeys, JourneyOptions};
/// use raa_impact::data::ssda903::{validate::validate, Returns};
///
/// let returns = Returns::default();
/// let opts = JourneyOptions { cut_date: Date::from_ymd_opt(2020, 3, 31) };
/// let set = derive_journeys(&returns, &validate(&returns), &opts).unwrap();
/// assert!(set.journeys.is_empty());
/// assert_eq!(set.cut_date, Date::from_ymd_opt(2020, 3, 31).unwrap());
/// ```
pub fn derive_journeys(
    returns: &Returns,
    validation: &Validation,
    opts: &JourneyOptions,
) -> Result<JourneySet> {
    let cut = cut_date(returns, opts)?;
    let children = group_by_child(returns, validation)?;
    let rules = error_rules(validation);
    let outcomes: Vec<ChildOutcome> = (0..children.len())
        .into_par_iter()
        .map(|c| {
            let rows = &children.child(c);
            if rows.invalid {
                exclude(rows, &invalid_reason(rows, &rules))
            } else {
                child_journeys(rows, cut)
            }
        })
        .collect();
    Ok(collect(outcomes, children.len() as u64, cut))
}

/// The reason a child with invalid rows is left out, naming the rules it broke.
fn invalid_reason(
    rows: &ChildRows<'_, '_>,
    rules: &std::collections::HashMap<(&str, &str), std::collections::BTreeSet<&str>>,
) -> String {
    match rules.get(&(rows.la, rows.child)) {
        Some(r) if !r.is_empty() => {
            let names: Vec<&str> = r.iter().copied().collect();
            let word = if names.len() == 1 { "rule" } else { "rules" };
            format!("child has invalid records: {word} {}", names.join(", "))
        }
        _ => "child has invalid records".to_string(),
    }
}

/// Gather the per-child outcomes (already in (LA, child) order) into the set.
fn collect(outcomes: Vec<ChildOutcome>, children_seen: u64, cut: Date) -> JourneySet {
    let mut set = JourneySet {
        journeys: Vec::new(),
        left_out: Vec::new(),
        cut_date: cut,
        children_seen,
        children_with_adm: 0,
        children_left_out: 0,
        periods: 0,
        periods_left_truncated: 0,
        rows_used: RowCounts::default(),
    };
    for o in outcomes {
        set.children_with_adm += u64::from(!o.journeys.is_empty());
        set.children_left_out += u64::from(o.excluded);
        set.periods += o.periods;
        set.periods_left_truncated += o.left_truncated;
        set.rows_used.merge(&o.used);
        set.journeys.extend(o.journeys);
        set.left_out.extend(o.left_out);
    }
    set
}

/// The cut: as given, else 31 March of the latest collection year, else the latest date seen.
fn cut_date(returns: &Returns, opts: &JourneyOptions) -> Result<Date> {
    if let Some(c) = opts.cut_date {
        return Ok(c);
    }
    if let Some(y) = returns.last_year() {
        return Ok(year_end(y));
    }
    latest_date(returns).ok_or_else(|| {
        Error::argument(
            "cut_date",
            "cannot infer the data cut: the returns list no files and hold no dates; pass a cut date",
        )
    })
}

/// The latest event date in the records.
fn latest_date(r: &Returns) -> Option<Date> {
    let episodes = r.episodes.iter().flat_map(|e| [e.decom, e.dec]);
    let ad1 = r.ad1.iter().flat_map(|a| [a.date_int, a.date_match]);
    let pa = r
        .placed_adoption
        .iter()
        .flat_map(|p| [p.date_placed, p.date_placed_ceased]);
    episodes.chain(ad1).chain(pa).flatten().max()
}

/// Recompute a journey's ending and its five durations from its dates and cut date.
///
/// Use it after editing a journey's dates (or when rebuilding journeys from a table, as the
/// Python binding does), so that durations, censoring and competing exits stay consistent with
/// the dates under the rules above.
///
/// ```
/// # use raa_impact::data::journeys::{derive::refresh_outcomes, Journey};
/// # fn demo(j: &mut Journey) {
/// refresh_outcomes(j);
/// # }
/// ```
pub fn refresh_outcomes(j: &mut crate::data::journeys::Journey) {
    use super::durations::duration;
    use super::journey::Measure;
    let ms = super::milestones::Milestones {
        entry: j.entry_date,
        adm: j.adm_date,
        po: j.po_date,
        matched: j.match_date,
        placed: j.placed_date,
        order: j.order_date,
        exit: j.exit_date.zip(j.exit_reason.clone()),
        reversal: j.reversal_date.zip(j.reversal_reason.clone()),
    };
    j.ending = ms.ending();
    j.entry_to_adm = duration(Measure::EntryToAdm, &ms, j.cut_date);
    j.adm_to_po = duration(Measure::AdmToPo, &ms, j.cut_date);
    j.po_to_match = duration(Measure::PoToMatch, &ms, j.cut_date);
    j.po_to_placed = duration(Measure::PoToPlaced, &ms, j.cut_date);
    j.entry_to_placed = duration(Measure::EntryToPlaced, &ms, j.cut_date);
}
