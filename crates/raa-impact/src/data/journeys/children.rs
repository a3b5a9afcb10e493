//! Grouping the rows of stacked returns by child, keyed by (LA, CHILD), and flagging children
//! with invalid records.

use crate::data::ssda903::validate::Validation;
use crate::data::ssda903::{
    Ad1Row, EpisodeRow, HeaderRow, PlacedAdoptionRow, Returns, Severity, Table,
};
use crate::error::{Error, Result};
use std::collections::{BTreeSet, HashMap};

/// All rows of one child (CHILD is unique only within an LA, hence the LA in the key).
#[derive(Debug, Default)]
pub(crate) struct ChildRows<'a> {
    pub la: &'a str,
    pub child: &'a str,
    pub header: Vec<&'a HeaderRow>,
    pub episodes: Vec<&'a EpisodeRow>,
    pub ad1: Vec<&'a Ad1Row>,
    pub placed_adoption: Vec<&'a PlacedAdoptionRow>,
    /// At least one of the child's rows has an error-severity validation problem.
    pub invalid: bool,
}

impl ChildRows<'_> {
    /// The number of rows of `table`.
    pub fn rows(&self, table: Table) -> u64 {
        let n = match table {
            Table::Header => self.header.len(),
            Table::Episodes => self.episodes.len(),
            Table::Ad1 => self.ad1.len(),
            Table::PlacedAdoption => self.placed_adoption.len(),
        };
        n as u64
    }
}

/// The invalid-row flags of one table: `flags[i]` for row `i`; an empty vector means "no row is
/// flagged" (e.g. `Validation::default()`), any other length must match the table.
#[allow(clippy::result_large_err)] // the crate-wide Error type; boxing it is the lead's call
fn flags(flags: &[bool], rows: usize, table: Table) -> Result<&[bool]> {
    if flags.is_empty() || flags.len() == rows {
        Ok(flags)
    } else {
        Err(Error::argument(
            "validation",
            format!(
                "flags {} rows of {table} but the returns have {rows}: validate these returns",
                flags.len()
            ),
        ))
    }
}

/// Group every row by (LA, CHILD); the result is sorted by (LA, CHILD).
#[allow(clippy::result_large_err)] // the crate-wide Error type
pub(crate) fn group_by_child<'a>(
    returns: &'a Returns,
    validation: &Validation,
) -> Result<Vec<ChildRows<'a>>> {
    let inv_h = flags(
        &validation.invalid_header,
        returns.header.len(),
        Table::Header,
    )?;
    let inv_e = flags(
        &validation.invalid_episodes,
        returns.episodes.len(),
        Table::Episodes,
    )?;
    let inv_a = flags(&validation.invalid_ad1, returns.ad1.len(), Table::Ad1)?;
    let inv_p = flags(
        &validation.invalid_placed_adoption,
        returns.placed_adoption.len(),
        Table::PlacedAdoption,
    )?;
    let mut index: HashMap<(&'a str, &'a str), usize> = HashMap::new();
    let mut children: Vec<ChildRows<'a>> = Vec::new();
    let mut slot = |la: &'a str, child: &'a str| -> usize {
        *index.entry((la, child)).or_insert_with(|| {
            children.push(ChildRows {
                la,
                child,
                ..ChildRows::default()
            });
            children.len() - 1
        })
    };
    let mut marks: Vec<(usize, bool)> = Vec::new();
    for (i, r) in returns.header.iter().enumerate() {
        let s = slot(&r.src.la, &r.child);
        marks.push((s, inv_h.get(i).copied().unwrap_or(false)));
    }
    let header_marks = std::mem::take(&mut marks);
    let mut episode_slots = Vec::with_capacity(returns.episodes.len());
    for (i, r) in returns.episodes.iter().enumerate() {
        episode_slots.push((
            slot(&r.src.la, &r.child),
            inv_e.get(i).copied().unwrap_or(false),
        ));
    }
    let mut ad1_slots = Vec::with_capacity(returns.ad1.len());
    for (i, r) in returns.ad1.iter().enumerate() {
        ad1_slots.push((
            slot(&r.src.la, &r.child),
            inv_a.get(i).copied().unwrap_or(false),
        ));
    }
    let mut pa_slots = Vec::with_capacity(returns.placed_adoption.len());
    for (i, r) in returns.placed_adoption.iter().enumerate() {
        pa_slots.push((
            slot(&r.src.la, &r.child),
            inv_p.get(i).copied().unwrap_or(false),
        ));
    }
    for (r, &(s, bad)) in returns.header.iter().zip(&header_marks) {
        children[s].header.push(r);
        children[s].invalid |= bad;
    }
    for (r, &(s, bad)) in returns.episodes.iter().zip(&episode_slots) {
        children[s].episodes.push(r);
        children[s].invalid |= bad;
    }
    for (r, &(s, bad)) in returns.ad1.iter().zip(&ad1_slots) {
        children[s].ad1.push(r);
        children[s].invalid |= bad;
    }
    for (r, &(s, bad)) in returns.placed_adoption.iter().zip(&pa_slots) {
        children[s].placed_adoption.push(r);
        children[s].invalid |= bad;
    }
    children.sort_unstable_by(|a, b| (a.la, a.child).cmp(&(b.la, b.child)));
    Ok(children)
}

/// The rules of the error-severity problems of each (LA, child), for the left-out reasons.
pub(crate) fn error_rules(validation: &Validation) -> HashMap<(&str, &str), BTreeSet<&str>> {
    let mut rules: HashMap<(&str, &str), BTreeSet<&str>> = HashMap::new();
    for p in validation
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
    {
        rules
            .entry((p.la.as_str(), p.child.as_str()))
            .or_default()
            .insert(p.rule.as_str());
    }
    rules
}
