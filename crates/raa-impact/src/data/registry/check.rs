//! Consistency checks run on every load and every amendment.
//!
//! A registry is consistent when:
//! * LA codes and RAA ids are unique, and every successor code names a known LA;
//! * every membership names a known LA and a known RAA, and `valid_to` is not before `valid_from`;
//! * no LA belongs to two RAAs (or twice to one) at overlapping dates;
//! * each RAA has at most one milestone of each kind, and its milestones are in order
//!   (agreement ≤ soft launch ≤ go-live ≤ full integration).
//!
//! Milestones known only to the month or year are compared on the whole span they may fall in:
//! they are out of order only when the earlier kind's first possible day is after the later
//! kind's last possible day.

use super::types::{DatePrecision, Milestone, Registry};
use crate::data::date::Date;
use crate::{Error, Result};
use chrono::{Datelike, Months};
use std::collections::{HashMap, HashSet};

/// Check `reg`; the first inconsistency found is returned as [`Error::Registry`].
pub fn check(reg: &Registry) -> Result<()> {
    check_unique_keys(reg)?;
    check_memberships(reg)?;
    check_overlaps(reg)?;
    check_milestones(reg)
}

fn check_unique_keys(reg: &Registry) -> Result<()> {
    let mut codes = HashSet::new();
    for la in &reg.las {
        if !codes.insert(la.dfe_code.as_str()) {
            return Err(Error::registry(format!(
                "LA code {} ({}) appears twice",
                la.dfe_code, la.name
            )));
        }
    }
    for la in &reg.las {
        if let Some(s) = la.successors.iter().find(|s| !codes.contains(s.as_str())) {
            return Err(Error::registry(format!(
                "LA {} ({}) names unknown successor {s}",
                la.dfe_code, la.name
            )));
        }
    }
    let mut ids = HashSet::new();
    for raa in &reg.raas {
        if !ids.insert(raa.id.as_str()) {
            return Err(Error::registry(format!(
                "RAA id `{}` appears twice",
                raa.id
            )));
        }
    }
    Ok(())
}

fn check_memberships(reg: &Registry) -> Result<()> {
    for m in &reg.memberships {
        if reg.la(&m.la_code).is_none() {
            return Err(Error::registry(format!(
                "membership of unknown LA {} in RAA `{}` from {}",
                m.la_code, m.raa_id, m.valid_from
            )));
        }
        if reg.raa(&m.raa_id).is_none() {
            return Err(Error::registry(format!(
                "membership of LA {} names unknown RAA `{}` (from {})",
                m.la_code, m.raa_id, m.valid_from
            )));
        }
        if let Some(to) = m.valid_to.filter(|to| *to < m.valid_from) {
            return Err(Error::registry(format!(
                "membership of LA {} in RAA `{}` ends ({to}) before it starts ({})",
                m.la_code, m.raa_id, m.valid_from
            )));
        }
    }
    Ok(())
}

fn check_overlaps(reg: &Registry) -> Result<()> {
    let mut by_la: HashMap<&str, Vec<_>> = HashMap::new();
    for m in &reg.memberships {
        by_la.entry(m.la_code.as_str()).or_default().push(m);
    }
    let mut las: Vec<_> = by_la.into_iter().collect();
    las.sort_by(|a, b| a.0.cmp(b.0));
    for (la, mut ms) in las {
        ms.sort_by_key(|m| m.valid_from);
        for pair in ms.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.valid_to.is_none_or(|to| to >= b.valid_from) {
                let name = reg.la(la).map_or("", |l| l.name.as_str());
                let until = a
                    .valid_to
                    .map_or("open-ended".to_string(), |d| d.to_string());
                return Err(Error::registry(format!(
                    "LA {la} ({name}) is in RAA `{}` from {} to {until} and in RAA `{}` from {}: memberships overlap",
                    a.raa_id, a.valid_from, b.raa_id, b.valid_from
                )));
            }
        }
    }
    Ok(())
}

fn check_milestones(reg: &Registry) -> Result<()> {
    for raa in &reg.raas {
        let mut ms: Vec<&Milestone> = raa.milestones.iter().collect();
        ms.sort_by_key(|m| m.kind);
        for pair in ms.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.kind == b.kind {
                return Err(Error::registry(format!(
                    "RAA `{}` has two {} milestones ({} and {})",
                    raa.id,
                    a.kind.name(),
                    a.date,
                    b.date
                )));
            }
        }
        for (i, a) in ms.iter().enumerate() {
            if let Some(b) = ms[i + 1..].iter().find(|b| a.date > last_possible_day(b)) {
                return Err(Error::registry(format!(
                    "RAA `{}`: milestone {} ({}) is after {} ({}); expected agreement <= soft_launch <= go_live <= full_integration",
                    raa.id,
                    a.kind.name(),
                    a.date,
                    b.kind.name(),
                    b.date
                )));
            }
        }
    }
    Ok(())
}

/// The last day a milestone may fall on, given its precision (its date for day precision, the
/// end of the month or year otherwise).
pub fn last_possible_day(m: &Milestone) -> Date {
    let months = match m.precision {
        DatePrecision::Day => return m.date,
        DatePrecision::Month => 1,
        DatePrecision::Year => 12 - m.date.month0(),
    };
    m.date
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(months)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(m.date)
}
