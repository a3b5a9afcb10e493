//! The milestones of one journey (entry, ADM, placement order, match, placed, adoption order,
//! exit, reversal) and how it ended.

use super::decisions::Decisions;
use super::journey::Ending;
use super::periods::Period;
use crate::data::date::Date;
use crate::data::ssda903::PlacedAdoptionRow;

/// Placement orders were recorded as LS `D1` (Freeing order) before this date.
fn d1_counts_until() -> Date {
    Date::from_ymd_opt(2006, 1, 1).unwrap_or(Date::MIN)
}

/// Milestones of a period of care; every date is on or before the cut.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Milestones {
    pub entry: Date,
    pub adm: Option<Date>,
    pub po: Option<Date>,
    pub matched: Option<Date>,
    pub placed: Option<Date>,
    pub order: Option<Date>,
    /// DEC and REC of the period's last episode when the period ended.
    pub exit: Option<(Date, String)>,
    /// DATE_PLACED_CEASED and RD1–RD4 of the latest decision of the period.
    pub reversal: Option<(Date, String)>,
}

impl Milestones {
    /// How the journey ended: adopted, else reversed, else another exit, else still running.
    pub fn ending(&self) -> Ending {
        if self.order.is_some() {
            Ending::Adopted
        } else if let Some((_, rd)) = &self.reversal {
            Ending::Reversed(rd.clone())
        } else if let Some((_, rec)) = &self.exit {
            Ending::OtherExit(rec.clone())
        } else {
            Ending::Ongoing
        }
    }

    /// The first exit that ended the journey (reversal or leaving care), with its code; on the
    /// same day the reversal is taken.
    pub fn first_exit(&self) -> Option<(Date, &str)> {
        let rev = self.reversal.as_ref().map(|(d, c)| (*d, c.as_str()));
        let exit = self.exit.as_ref().map(|(d, c)| (*d, c.as_str()));
        match (rev, exit) {
            (Some(r), Some(e)) => Some(if e.0 < r.0 { e } else { r }),
            (r, e) => r.or(e),
        }
    }
}

/// The milestones of `period` with its decision rows `dec`.
pub(crate) fn milestones(period: &Period<'_>, dec: &Decisions<'_>, cut: Date) -> Milestones {
    let by_cut = |d: Option<Date>| d.filter(|&d| d <= cut);
    let first_episode = |f: &dyn Fn(&str, &str, Date) -> bool| {
        period
            .episodes
            .iter()
            .filter_map(|e| e.decom.map(|d| (d, e)))
            .find(|(d, e)| f(e.ls.as_str(), e.place.as_str(), *d))
            .map(|(d, _)| d)
    };
    let po = first_episode(&|ls, _, d| ls == "E1" || (ls == "D1" && d < d1_counts_until()));
    let placed = first_episode(&|_, place, _| matches!(place, "A3" | "A4" | "A5" | "A6"));
    let adm_pa = dec
        .placed_adoption
        .iter()
        .filter_map(|r| by_cut(r.date_placed))
        .min();
    let adm_ad1 = dec.ad1.iter().filter_map(|r| by_cut(r.date_int)).min();
    let exit = period.end.map(|(d, rec)| (d, rec.to_string()));
    let order = exit
        .as_ref()
        .filter(|(_, rec)| rec == "E11" || rec == "E12")
        .map(|(d, _)| *d);
    Milestones {
        entry: period.entry,
        adm: adm_pa.or(adm_ad1),
        po,
        matched: dec.ad1.iter().filter_map(|r| by_cut(r.date_match)).min(),
        placed,
        order,
        exit,
        reversal: reversal(&dec.placed_adoption, cut),
    }
}

/// The reversal of the period's latest decision: a decision replaced by a later one does not end
/// the journey. Among repeats of that decision (several collection years), the latest return
/// that records a cessation with RD1–RD4 on or before the cut is used.
fn reversal(rows: &[&PlacedAdoptionRow], cut: Date) -> Option<(Date, String)> {
    let latest = rows
        .iter()
        .filter_map(|r| r.date_placed)
        .filter(|&d| d <= cut)
        .max()?;
    rows.iter()
        .filter(|r| r.date_placed == Some(latest))
        .filter_map(|r| {
            let d = r.date_placed_ceased.filter(|&d| d <= cut)?;
            let code = r.reason_placed_ceased.as_str();
            matches!(code, "RD1" | "RD2" | "RD3" | "RD4")
                .then(|| ((r.src.year, r.src.file, r.src.row, d), code))
        })
        .max()
        .map(|((_, _, _, d), code)| (d, code.to_string()))
}
