//! Stacking several years of SSDA903 returns: keep the latest version of each repeated record.
//!
//! An LA's return for a year repeats every episode still open at the start of that year, and a
//! later return may complete it (DEC and REC filled in) or correct it. [`stack`] keeps one version
//! of each record:
//!
//! | table          | identity                  | version kept                                  |
//! |----------------|---------------------------|-----------------------------------------------|
//! | Header         | (LA, CHILD)               | the latest collection year's row              |
//! | Episodes       | (LA, CHILD, DECOM)        | the latest collection year's row              |
//! | AD1            | (LA, CHILD, DATE_INT)     | the latest collection year's row              |
//! | PlacedAdoption | (LA, CHILD, DATE_PLACED)  | the latest collection year's row              |
//!
//! * The latest year wins because it carries the most complete information. It wins whole: a
//!   field left blank in the latest version but filled in earlier stays blank (mixing fields of
//!   different returns would create a record no LA submitted; a blank in the latest return is
//!   itself information, e.g. a corrected DEC).
//! * Ties (two versions from the same collection year, e.g. the same episode twice in a file or a
//!   year's return supplied twice) keep the later one in (file path, row) order and add a warning
//!   problem to [`Returns::read_problems`] on the dropped row: `duplicate_child` (Header),
//!   `duplicate_episode`, `duplicate_ad1`, `duplicate_placed_adoption`.
//! * Rows without an identity (blank CHILD, or a blank/unparseable DECOM, DATE_INT or
//!   DATE_PLACED) are all kept: they cannot be matched across years, and validation flags them.
//! * Dropped rows are counted in [`Returns::superseded`].
//!
//! The result does not depend on the order of the input: [`Returns::files`] is sorted by path
//! (row sources are renumbered to match), every table is sorted by its identity, then collection
//! year, file and row, and the read problems by file, table, row and rule. Stacking is idempotent.
//! The read functions stack by default (see [`crate::data::ssda903::read::ReadOptions::stack`]).

use super::problem::{Problem, Severity};
use super::tables::{Ad1Row, EpisodeRow, HeaderRow, PlacedAdoptionRow, Returns, Source, Table};
use crate::data::date::Date;
use rayon::prelude::*;
use std::cmp::Ordering;

/// Stack returns of one or several LAs and years, keeping the latest version of each record.
/// See the module documentation for the rules.
///
/// ```
/// use raa_impact::data::ssda903::{dedup::stack, Returns};
/// let stacked = stack(Returns::default());
/// assert_eq!(stacked.superseded.episodes, 0);
/// ```
pub fn stack(mut returns: Returns) -> Returns {
    sort_files(&mut returns);
    let paths: Vec<String> = returns.files.iter().map(|f| f.path.clone()).collect();
    let mut ties = Vec::new();
    let header = std::mem::take(&mut returns.header);
    let (header, n) = keep_latest(header, Table::Header, &paths, &mut ties, |r: &HeaderRow| {
        Ident {
            src: &r.src,
            child: &r.child,
            date: None,
            dated: false,
        }
    });
    returns.header = header;
    returns.superseded.header += n;
    let episodes = std::mem::take(&mut returns.episodes);
    let (episodes, n) = keep_latest(
        episodes,
        Table::Episodes,
        &paths,
        &mut ties,
        |r: &EpisodeRow| Ident {
            src: &r.src,
            child: &r.child,
            date: r.decom,
            dated: true,
        },
    );
    returns.episodes = episodes;
    returns.superseded.episodes += n;
    let ad1 = std::mem::take(&mut returns.ad1);
    let (ad1, n) = keep_latest(ad1, Table::Ad1, &paths, &mut ties, |r: &Ad1Row| Ident {
        src: &r.src,
        child: &r.child,
        date: r.date_int,
        dated: true,
    });
    returns.ad1 = ad1;
    returns.superseded.ad1 += n;
    let pa = std::mem::take(&mut returns.placed_adoption);
    let (pa, n) = keep_latest(
        pa,
        Table::PlacedAdoption,
        &paths,
        &mut ties,
        |r: &PlacedAdoptionRow| Ident {
            src: &r.src,
            child: &r.child,
            date: r.date_placed,
            dated: true,
        },
    );
    returns.placed_adoption = pa;
    returns.superseded.placed_adoption += n;
    returns.read_problems.append(&mut ties);
    returns.read_problems.par_sort_by(problem_order);
    returns
}

/// Sort [`Returns::files`] by path and renumber every row's `src.file`.
fn sort_files(r: &mut Returns) {
    let mut order: Vec<usize> = (0..r.files.len()).collect();
    order.sort_by(|&a, &b| r.files[a].path.cmp(&r.files[b].path));
    let mut new_index = vec![u32::MAX; r.files.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = u32::try_from(new).unwrap_or(u32::MAX);
    }
    let files = std::mem::take(&mut r.files);
    let mut slots: Vec<Option<_>> = files.into_iter().map(Some).collect();
    r.files = order.iter().filter_map(|&i| slots[i].take()).collect();
    // A source pointing past the files (rows built in memory) keeps an out-of-range index.
    let remap = |s: &mut Source| {
        if let Some(&n) = new_index.get(s.file as usize) {
            s.file = n;
        }
    };
    r.header.iter_mut().for_each(|x| remap(&mut x.src));
    r.episodes.iter_mut().for_each(|x| remap(&mut x.src));
    r.ad1.iter_mut().for_each(|x| remap(&mut x.src));
    r.placed_adoption.iter_mut().for_each(|x| remap(&mut x.src));
}

/// The identity of a row and where it came from.
struct Ident<'a> {
    src: &'a Source,
    child: &'a str,
    date: Option<Date>,
    /// Whether the identity includes a date (all tables but Header).
    dated: bool,
}

impl Ident<'_> {
    /// Rows without a usable identity are never merged.
    fn identifiable(&self) -> bool {
        !self.child.is_empty() && (!self.dated || self.date.is_some())
    }

    fn same_record(&self, other: &Ident) -> bool {
        self.identifiable()
            && other.identifiable()
            && self.src.la == other.src.la
            && self.child == other.child
            && self.date == other.date
    }

    /// Identity, then year, then file and row: the last of a run of equal identities is kept.
    fn cmp(&self, other: &Ident) -> Ordering {
        (
            &self.src.la,
            self.child,
            self.date,
            self.src.year,
            self.src.file,
            self.src.row,
        )
            .cmp(&(
                &other.src.la,
                other.child,
                other.date,
                other.src.year,
                other.src.file,
                other.src.row,
            ))
    }
}

/// Sort `rows` by identity and keep the last row of each identity. Returns the kept rows and
/// how many were dropped; same-year drops add a warning to `ties`.
fn keep_latest<T: Send + Sync>(
    rows: Vec<T>,
    table: Table,
    paths: &[String],
    ties: &mut Vec<Problem>,
    ident: impl Fn(&T) -> Ident<'_> + Sync,
) -> (Vec<T>, u64) {
    // Sort indices, not rows: rows are large and a sort would move each many times. The index
    // breaks ties between rows with equal sources (only possible for rows built in memory).
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.par_sort_unstable_by(|&a, &b| ident(&rows[a]).cmp(&ident(&rows[b])).then(a.cmp(&b)));
    let keep: Vec<bool> = order
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            order
                .get(k + 1)
                .map_or(true, |&j| !ident(&rows[i]).same_record(&ident(&rows[j])))
        })
        .collect();
    for (k, kept) in keep.iter().enumerate() {
        if let (false, Some(&j)) = (*kept, order.get(k + 1)) {
            let (dropped, next) = (ident(&rows[order[k]]), ident(&rows[j]));
            if dropped.src.year == next.src.year {
                ties.push(tie_problem(table, paths, &dropped, &next));
            }
        }
    }
    let dropped = keep.iter().filter(|k| !**k).count() as u64;
    let mut slots: Vec<Option<T>> = rows.into_iter().map(Some).collect();
    let out = order
        .iter()
        .zip(keep)
        .filter(|(_, kept)| *kept)
        .filter_map(|(&i, _)| slots[i].take())
        .collect();
    (out, dropped)
}

fn tie_problem(table: Table, paths: &[String], dropped: &Ident, kept: &Ident) -> Problem {
    let path = |s: &Source| {
        paths
            .get(s.file as usize)
            .cloned()
            .unwrap_or_else(|| "<memory>".into())
    };
    let (rule, field, what) = match table {
        Table::Header => ("duplicate_child", "CHILD", "child"),
        Table::Episodes => ("duplicate_episode", "DECOM", "episode (LA, CHILD, DECOM)"),
        Table::Ad1 => (
            "duplicate_ad1",
            "DATE_INT",
            "AD1 record (LA, CHILD, DATE_INT)",
        ),
        Table::PlacedAdoption => (
            "duplicate_placed_adoption",
            "DATE_PLACED",
            "PlacedAdoption record (LA, CHILD, DATE_PLACED)",
        ),
    };
    let value = match (table, dropped.date) {
        (Table::Header, _) | (_, None) => dropped.child.to_string(),
        (_, Some(d)) => crate::data::date::format_ssda903(d),
    };
    Problem {
        table,
        file: path(dropped.src),
        row: dropped.src.row,
        la: dropped.src.la.clone(),
        child: dropped.child.to_string(),
        field: field.to_string(),
        rule: rule.to_string(),
        value,
        message: format!(
            "the same {what} appears twice in collection year {}; this row was dropped and the one in {} row {} kept",
            dropped.src.year,
            path(kept.src),
            kept.src.row
        ),
        severity: Severity::Warning,
    }
}

/// The order of problems everywhere in the crate: file, table, row, rule, then the rest.
pub fn problem_order(a: &Problem, b: &Problem) -> Ordering {
    (
        &a.file, a.table, a.row, &a.rule, &a.field, &a.child, &a.value, &a.message,
    )
        .cmp(&(
            &b.file, b.table, b.row, &b.rule, &b.field, &b.child, &b.value, &b.message,
        ))
        .then(a.severity.cmp(&b.severity))
}
