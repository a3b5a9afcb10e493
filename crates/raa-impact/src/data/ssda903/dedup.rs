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
//! (row sources are renumbered to match), every table keeps its surviving rows in (file, row)
//! order (the order [`crate::data::ssda903::read`] produces), and the read problems are sorted by
//! file, table, row and rule. Stacking is idempotent. The read functions stack by default (see
//! [`crate::data::ssda903::read::ReadOptions::stack`]).
//!
//! Cost: per table, the identities are hashed in parallel and (hash, row index) pairs sorted, so
//! the rows themselves are never sorted or copied, only the superseded ones dropped in place
//! (about 0.5 CPU-seconds for a million episodes, half of them repeats). The reader stacks the
//! files it read without concatenating them first: only the surviving rows are moved, once.

use super::problem::{Problem, Severity};
use super::tables::{Ad1Row, EpisodeRow, HeaderRow, PlacedAdoptionRow, Returns, Source, Table};
use crate::data::date::Date;
use crate::data::hash::FastHasher;
use crate::data::hash::FastMap;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::hash::{BuildHasher, BuildHasherDefault, Hash};

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
    let r = &mut returns;
    r.superseded.header += keep_latest(&mut r.header, Table::Header, &paths, &mut ties, |x| {
        Ident::new(&x.src, &x.child, None, false)
    });
    r.superseded.episodes +=
        keep_latest(&mut r.episodes, Table::Episodes, &paths, &mut ties, |x| {
            Ident::new(&x.src, &x.child, x.decom, true)
        });
    r.superseded.ad1 += keep_latest(&mut r.ad1, Table::Ad1, &paths, &mut ties, |x| {
        Ident::new(&x.src, &x.child, x.date_int, true)
    });
    let pa = &mut r.placed_adoption;
    r.superseded.placed_adoption +=
        keep_latest(pa, Table::PlacedAdoption, &paths, &mut ties, |x| {
            Ident::new(&x.src, &x.child, x.date_placed, true)
        });
    returns.read_problems.append(&mut ties);
    sort_problems(&mut returns.read_problems);
    returns
}

/// The rows of the four tables, file by file, for [`stack_parts`].
#[derive(Default)]
pub(crate) struct TableParts {
    pub header: Vec<Vec<HeaderRow>>,
    pub episodes: Vec<Vec<EpisodeRow>>,
    pub ad1: Vec<Vec<Ad1Row>>,
    pub placed_adoption: Vec<Vec<PlacedAdoptionRow>>,
}

/// [`stack`] of `returns` (whose tables are empty) with the rows of `parts` appended, without
/// concatenating the rows first: only the surviving rows are moved, once. The reader uses it
/// (the concatenation and the later `retain` each moved every row, hundreds of megabytes).
///
/// Precondition (the reader's): `returns.files` is sorted by path, and each part holds one
/// file's rows in row order, the parts in file order, so the rows are in (file, row) order.
pub(crate) fn stack_parts(mut returns: Returns, parts: TableParts) -> Returns {
    let paths: Vec<String> = returns.files.iter().map(|f| f.path.clone()).collect();
    let paths = paths.as_slice();
    let TableParts {
        header,
        episodes,
        ad1,
        placed_adoption,
    } = parts;
    // The tables are independent: stacking them side by side overlaps each one's serial steps.
    let ((h, e), (a, p)) = rayon::join(
        || {
            rayon::join(
                || {
                    kept(header, Table::Header, paths, |x| {
                        Ident::new(&x.src, &x.child, None, false)
                    })
                },
                || {
                    kept(episodes, Table::Episodes, paths, |x| {
                        Ident::new(&x.src, &x.child, x.decom, true)
                    })
                },
            )
        },
        || {
            rayon::join(
                || {
                    kept(ad1, Table::Ad1, paths, |x| {
                        Ident::new(&x.src, &x.child, x.date_int, true)
                    })
                },
                || {
                    kept(placed_adoption, Table::PlacedAdoption, paths, |x| {
                        Ident::new(&x.src, &x.child, x.date_placed, true)
                    })
                },
            )
        },
    );
    let r = &mut returns;
    (r.header, r.superseded.header) = (h.rows, h.dropped);
    (r.episodes, r.superseded.episodes) = (e.rows, e.dropped);
    (r.ad1, r.superseded.ad1) = (a.rows, a.dropped);
    (r.placed_adoption, r.superseded.placed_adoption) = (p.rows, p.dropped);
    for mut k in [h.ties, e.ties, a.ties, p.ties] {
        r.read_problems.append(&mut k);
    }
    sort_problems(&mut returns.read_problems);
    returns
}

/// What stacking one table keeps and drops.
struct Kept<T> {
    rows: Vec<T>,
    dropped: u64,
    /// Warnings on rows dropped for a same-year repeat.
    ties: Vec<Problem>,
}

/// The surviving rows of `parts` (see [`survivors`]), concatenated, and what was dropped.
fn kept<T: Send + Sync>(
    parts: Vec<Vec<T>>,
    table: Table,
    paths: &[String],
    ident: impl Fn(&T) -> Ident<'_> + Sync,
) -> Kept<T> {
    let mut ties = Vec::new();
    let keep = {
        // Row `i` of the concatenation, by reference: 8 bytes a row instead of moving rows.
        let refs: Vec<&T> = parts.iter().flatten().collect();
        survivors(refs.len(), &|i| refs[i], table, paths, &mut ties, &ident)
    };
    let n_kept = keep.iter().filter(|k| **k).count();
    let mut rows = Vec::with_capacity(n_kept);
    let mut flags = keep.iter();
    for part in parts {
        rows.extend(
            part.into_iter()
                .filter(|_| flags.next().copied().unwrap_or(true)),
        );
    }
    Kept {
        rows,
        dropped: (keep.len() - n_kept) as u64,
        ties,
    }
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

impl<'a> Ident<'a> {
    /// Rows without a usable identity are never merged.
    fn identifiable(&self) -> bool {
        !self.child.is_empty() && (!self.dated || self.date.is_some())
    }

    fn new(src: &'a Source, child: &'a str, date: Option<Date>, dated: bool) -> Self {
        Ident {
            src,
            child,
            date,
            dated,
        }
    }

    fn key(&self) -> (&'a str, &'a str, Option<Date>) {
        (self.src.la.as_str(), self.child, self.date)
    }
}

/// Drop every row of `rows` that a later version of the same record supersedes; return how
/// many were dropped. Same-year drops add a warning to `ties`.
fn keep_latest<T: Send + Sync>(
    rows: &mut Vec<T>,
    table: Table,
    paths: &[String],
    ties: &mut Vec<Problem>,
    ident: impl Fn(&T) -> Ident<'_> + Sync,
) -> u64 {
    // (file, row) order makes "later" well defined; rows from `read` are in it already.
    let in_order = rows.windows(2).all(|w| {
        let (a, b) = (ident(&w[0]).src, ident(&w[1]).src);
        (a.file, a.row) <= (b.file, b.row)
    });
    if !in_order {
        rows.par_sort_by_key(|x| {
            let s = ident(x).src;
            (s.file, s.row)
        });
    }
    let keep = survivors(rows.len(), &|i| &rows[i], table, paths, ties, &ident);
    let dropped = keep.iter().filter(|k| !**k).count() as u64;
    let mut flags = keep.into_iter();
    rows.retain(|_| flags.next().unwrap_or(true));
    dropped
}

/// `keep[i]` for each of the `n` rows (`at(i)`, in (file, row) order): false when a later version
/// of the same record supersedes row `i`. Same-year drops add a warning to `ties`.
fn survivors<'r, T: Sync + 'r>(
    n: usize,
    at: &(impl Fn(usize) -> &'r T + Sync),
    table: Table,
    paths: &[String],
    ties: &mut Vec<Problem>,
    ident: &(impl Fn(&T) -> Ident<'_> + Sync),
) -> Vec<bool> {
    let hashed = hash_sorted(n, |i| {
        let id = ident(at(i));
        id.identifiable().then(|| id.key())
    });
    // Only runs of two or more rows can hold superseded versions.
    let runs: Vec<&[(u64, usize)]> = hashed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|r| r.len() > 1)
        .collect();
    let outcome: Vec<RunOutcome> = runs
        .par_chunks(4096)
        .map(|batch| {
            let mut out = RunOutcome::default();
            let mut group = Vec::new();
            for run in batch {
                for_each_key_group(
                    run,
                    |i| ident(at(i)).key(),
                    &mut group,
                    |g| losers_in(|i| ident(at(i)).src.year, g, &mut out),
                );
            }
            out
        })
        .collect();
    let mut keep = vec![true; n];
    for RunOutcome { losers, tied } in &outcome {
        for &l in losers {
            keep[l] = false;
        }
        for &(l, w) in tied {
            ties.push(tie_problem(table, paths, &ident(at(l)), &ident(at(w))));
        }
    }
    keep
}

/// Rows dropped, and the (dropped, kept) pairs from the same collection year.
#[derive(Default)]
struct RunOutcome {
    losers: Vec<usize>,
    tied: Vec<(usize, usize)>,
}

/// Within one identity's rows (indices ascending, so in (file, row) order): keep the latest
/// year (`year(i)` of row `i`), the later row on equal years; record the others.
fn losers_in(year: impl Fn(usize) -> i32, group: &[usize], out: &mut RunOutcome) {
    let Some((&first, rest)) = group.split_first() else {
        return;
    };
    let mut best = first;
    let start = out.losers.len();
    for &i in rest {
        if year(i) >= year(best) {
            out.losers.push(std::mem::replace(&mut best, i));
        } else {
            out.losers.push(i);
        }
    }
    let won = year(best);
    for &l in &out.losers[start..] {
        if year(l) == won {
            out.tied.push((l, best));
        }
    }
}

/// `(hash of key, index)` for every `i` in `0..n` whose key is not `None`, sorted: rows with
/// equal keys become adjacent runs, each in ascending index order. Hashing runs in parallel and
/// the sort moves 16-byte pairs, not rows, so this is cache-friendly on a million rows.
pub(crate) fn hash_sorted<K: Hash>(
    n: usize,
    key: impl Fn(usize) -> Option<K> + Sync,
) -> Vec<(u64, usize)> {
    let build = BuildHasherDefault::<FastHasher>::default();
    let mut v: Vec<(u64, usize)> = (0..n)
        .into_par_iter()
        .filter_map(|i| key(i).map(|k| (build.hash_one(k), i)))
        .collect();
    v.par_sort_unstable();
    v
}

/// Call `f` with the indices of each distinct key within a run of equal hashes (ascending).
/// A run almost always holds one key; a 64-bit hash collision splits it. `buf` is reused.
pub(crate) fn for_each_key_group<K: Eq>(
    run: &[(u64, usize)],
    key: impl Fn(usize) -> K,
    buf: &mut Vec<usize>,
    mut f: impl FnMut(&[usize]),
) {
    let Some(&(_, head)) = run.first() else {
        return;
    };
    let k = key(head);
    if run.iter().all(|&(_, i)| key(i) == k) {
        buf.clear();
        buf.extend(run.iter().map(|&(_, i)| i));
        f(buf);
        return;
    }
    let mut pending: Vec<usize> = run.iter().map(|&(_, i)| i).collect();
    while let Some(&head) = pending.first() {
        let k = key(head);
        buf.clear();
        pending.retain(|&i| {
            let same = key(i) == k;
            if same {
                buf.push(i);
            }
            !same
        });
        f(buf);
    }
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
        la: dropped.src.la.to_string(),
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

/// Sort problems by [`problem_order`], quickly: files are ranked once so that most comparisons
/// are of integers, not of long paths that share a prefix.
pub(crate) fn sort_problems(problems: &mut Vec<Problem>) {
    let mut names: Vec<&str> = {
        let mut seen: FastMap<&str, ()> = FastMap::default();
        problems
            .iter()
            .filter_map(|p| {
                seen.insert(p.file.as_str(), ())
                    .is_none()
                    .then_some(p.file.as_str())
            })
            .collect()
    };
    names.sort_unstable();
    let rank: FastMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let keys: Vec<usize> = problems
        .iter()
        .map(|p| rank.get(p.file.as_str()).copied().unwrap_or(0))
        .collect();
    drop(rank);
    let mut keyed: Vec<(usize, Problem)> = keys.into_iter().zip(problems.drain(..)).collect();
    keyed.par_sort_by(|(ka, a), (kb, b)| {
        (ka, a.table, a.row)
            .cmp(&(kb, b.table, b.row))
            .then_with(|| problem_order(a, b))
    });
    problems.extend(keyed.into_iter().map(|(_, p)| p));
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
