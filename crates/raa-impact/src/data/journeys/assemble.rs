//! Turning the rows of one child into its journeys, with the accounting of every row.

use super::children::ChildRows;
use super::covariates::{child, covariates};
use super::decisions::{attach, Attached, Decisions};
use super::durations::duration;
use super::journey::{Journey, Measure};
use super::milestones::milestones;
use super::periods::{drop_superseded, episode_order, split_periods, Period};
use super::set::{LeftOut, RowCounts};
use crate::data::date::Date;
use crate::data::ssda903::{EpisodeRow, Table};
use std::collections::BTreeMap;

/// What one child contributes to the [`super::JourneySet`].
#[derive(Debug, Default)]
pub(crate) struct ChildOutcome {
    pub journeys: Vec<Journey>,
    pub left_out: Vec<LeftOut>,
    pub used: RowCounts,
    pub periods: u64,
    pub left_truncated: u64,
    /// Every record of the child was left out.
    pub excluded: bool,
}

/// Rows left out, counted per (table, reason).
#[derive(Default)]
struct Tally(BTreeMap<(Table, String), u64>);

impl Tally {
    fn add(&mut self, table: Table, reason: String) {
        self.add_n(table, reason, 1);
    }

    fn add_n(&mut self, table: Table, reason: String, n: u64) {
        if n > 0 {
            *self.0.entry((table, reason)).or_insert(0) += n;
        }
    }

    fn into_left_out(self, rows: &ChildRows<'_, '_>) -> Vec<LeftOut> {
        self.0
            .into_iter()
            .map(|((table, reason), n)| LeftOut {
                la: rows.la.to_string(),
                child: rows.child.to_string(),
                table,
                rows: n,
                reason,
            })
            .collect()
    }
}

/// Every record of the child left out for `reason`.
pub(crate) fn exclude(rows: &ChildRows<'_, '_>, reason: &str) -> ChildOutcome {
    let left_out = Table::ALL
        .iter()
        .filter(|&&t| rows.rows(t) > 0)
        .map(|&t| LeftOut {
            la: rows.la.to_string(),
            child: rows.child.to_string(),
            table: t,
            rows: rows.rows(t),
            reason: reason.to_string(),
        })
        .collect();
    ChildOutcome {
        left_out,
        excluded: true,
        ..ChildOutcome::default()
    }
}

/// The journeys of one child whose records are all valid.
pub(crate) fn child_journeys(rows: &ChildRows<'_, '_>, cut: Date) -> ChildOutcome {
    if rows.child.is_empty() {
        return exclude(rows, "CHILD is blank (no child to attach the records to)");
    }
    if rows.episodes.is_empty() {
        return exclude(
            rows,
            "child has no episodes (no period of care to attach the records to)",
        );
    }
    if rows.episodes.iter().any(|e| e.decom.is_none()) {
        return exclude(rows, "child has an episode without DECOM");
    }
    let mut tally = Tally::default();
    let mut episodes: Vec<&EpisodeRow> = Vec::with_capacity(rows.episodes.len());
    for &e in rows.episodes {
        if e.decom.is_some_and(|d| d <= cut) {
            episodes.push(e);
        } else {
            tally.add(
                Table::Episodes,
                "episode starts after the data cut (not yet happened)".into(),
            );
        }
    }
    episodes.sort_by(|a, b| episode_order(a, b));
    let superseded = drop_superseded(&mut episodes) as u64;
    let reason = "superseded by a later return's episode starting the same day";
    tally.add_n(Table::Episodes, reason.into(), superseded);
    let periods = match split_periods(&episodes, cut) {
        Ok(p) => p,
        Err(reason) => return exclude(rows, &format!("child has inconsistent episodes: {reason}")),
    };
    let decisions = attach_decisions(rows, &periods, cut, &mut tally);
    let who = child(rows);
    let mut out = ChildOutcome {
        periods: periods.len() as u64,
        left_truncated: periods.iter().filter(|p| p.left_truncated).count() as u64,
        ..ChildOutcome::default()
    };
    for (i, (period, dec)) in periods.iter().zip(&decisions).enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(j) = journey(rows, &who, period, dec, number, cut) {
            out.journeys.push(j);
        }
    }
    out.used = RowCounts {
        header: rows.rows(Table::Header),
        episodes: episodes.len() as u64,
        ad1: decisions.iter().map(|d| d.ad1.len() as u64).sum(),
        placed_adoption: decisions
            .iter()
            .map(|d| d.placed_adoption.len() as u64)
            .sum(),
    };
    out.left_out = tally.into_left_out(rows);
    out
}

/// The decision rows of each period; rows that fit no period are tallied as left out.
fn attach_decisions<'a>(
    rows: &ChildRows<'_, 'a>,
    periods: &[Period<'_>],
    cut: Date,
    tally: &mut Tally,
) -> Vec<Decisions<'a>> {
    let mut out = vec![Decisions::default(); periods.len()];
    for &r in rows.placed_adoption {
        match attach(periods, r.date_placed, "DATE_PLACED", cut) {
            Attached::Period(i) => out[i].placed_adoption.push(r),
            Attached::LeftOut(reason) => tally.add(Table::PlacedAdoption, reason),
        }
    }
    for &r in rows.ad1 {
        match attach(periods, r.date_int, "DATE_INT", cut) {
            Attached::Period(i) => out[i].ad1.push(r),
            Attached::LeftOut(reason) => tally.add(Table::Ad1, reason),
        }
    }
    out
}

/// The journey of one period of care, when it reached an adoption decision by the cut.
fn journey(
    rows: &ChildRows<'_, '_>,
    who: &super::covariates::Child,
    period: &Period<'_>,
    dec: &Decisions<'_>,
    number: u32,
    cut: Date,
) -> Option<Journey> {
    let ms = milestones(period, dec, cut);
    ms.adm?;
    let cov = covariates(who, period, dec, ms.adm, ms.placed);
    let d = |m: Measure| duration(m, &ms, cut);
    Some(Journey {
        la: rows.la.to_string(),
        child: rows.child.to_string(),
        period: number,
        entry_date: ms.entry,
        adm_date: ms.adm,
        po_date: ms.po,
        match_date: ms.matched,
        placed_date: ms.placed,
        order_date: ms.order,
        exit_date: ms.exit.as_ref().map(|(d, _)| *d),
        exit_reason: ms.exit.as_ref().map(|(_, r)| r.clone()),
        reversal_date: ms.reversal.as_ref().map(|(d, _)| *d),
        reversal_reason: ms.reversal.as_ref().map(|(_, r)| r.clone()),
        ending: ms.ending(),
        cut_date: cut,
        entry_to_adm: d(Measure::EntryToAdm),
        adm_to_po: d(Measure::AdmToPo),
        po_to_match: d(Measure::PoToMatch),
        po_to_placed: d(Measure::PoToPlaced),
        entry_to_placed: d(Measure::EntryToPlaced),
        sex: who.sex.clone(),
        dob: who.dob,
        ethnic: who.ethnic.clone(),
        ethnic_group: cov.ethnic_group,
        age_at_entry_days: cov.age_at_entry_days,
        cin: cov.cin,
        placements_before_adm: cov.placements_before_adm,
        ffa_or_concurrent: cov.ffa_or_concurrent,
        adopted_by_foster_carer: cov.adopted_by_foster_carer,
        foster_carer_move_in_date: cov.foster_carer_move_in_date,
        htp_age5plus: cov.htp_age5plus,
        htp_black_or_mixed: cov.htp_black_or_mixed,
        htp_sibling_group: who.sibling_group,
        htp_disability: who.disability,
        harder_to_place: cov.harder_to_place,
    })
}
