//! Grouping the rows of stacked returns by child, keyed by (LA, CHILD), and flagging children
//! with invalid records.

use crate::data::hash::FastMap;
use crate::data::ssda903::validate::Validation;
use crate::data::ssda903::{
    Ad1Row, EpisodeRow, HeaderRow, PlacedAdoptionRow, Returns, Severity, Table,
};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// All rows of one child (CHILD is unique only within an LA, hence the LA in the key).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChildRows<'g, 'a> {
    pub la: &'a str,
    pub child: &'a str,
    pub header: &'g [&'a HeaderRow],
    pub episodes: &'g [&'a EpisodeRow],
    pub ad1: &'g [&'a Ad1Row],
    pub placed_adoption: &'g [&'a PlacedAdoptionRow],
    /// At least one of the child's rows has an error-severity validation problem.
    pub invalid: bool,
}

impl ChildRows<'_, '_> {
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

/// The rows of one table laid out child by child: `rows[start[c]..start[c + 1]]` are child `c`'s.
pub(crate) struct Grouped<'a, T> {
    rows: Vec<&'a T>,
    start: Vec<usize>,
}

impl<'a, T> Grouped<'a, T> {
    /// Lay out `rows` by their child slot (`slots[i]` for row `i`; `n` children), keeping the
    /// input order within a child (a counting sort: no per-child allocation).
    fn new(rows: &'a [T], slots: &[usize], n: usize) -> Self {
        let mut start = vec![0usize; n + 1];
        for &s in slots {
            start[s + 1] += 1;
        }
        for c in 0..n {
            start[c + 1] += start[c];
        }
        let mut next = start.clone();
        let mut out: Vec<Option<&'a T>> = vec![None; rows.len()];
        for (r, &s) in rows.iter().zip(slots) {
            out[next[s]] = Some(r);
            next[s] += 1;
        }
        Grouped {
            rows: out.into_iter().flatten().collect(),
            start,
        }
    }

    fn of(&self, c: usize) -> &[&'a T] {
        &self.rows[self.start[c]..self.start[c + 1]]
    }
}

/// The rows of the returns grouped by child.
pub(crate) struct ByChild<'a> {
    /// (LA, CHILD) of each child, sorted.
    keys: Vec<(&'a str, &'a str)>,
    invalid: Vec<bool>,
    header: Grouped<'a, HeaderRow>,
    episodes: Grouped<'a, EpisodeRow>,
    ad1: Grouped<'a, Ad1Row>,
    placed_adoption: Grouped<'a, PlacedAdoptionRow>,
}

impl<'a> ByChild<'a> {
    /// Number of children.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The rows of the `c`-th child in (LA, CHILD) order.
    pub fn child(&self, c: usize) -> ChildRows<'_, 'a> {
        ChildRows {
            la: self.keys[c].0,
            child: self.keys[c].1,
            header: self.header.of(c),
            episodes: self.episodes.of(c),
            ad1: self.ad1.of(c),
            placed_adoption: self.placed_adoption.of(c),
            invalid: self.invalid[c],
        }
    }
}

/// A CHILD key of up to 24 bytes held inline, so that probing the map compares bytes in the map
/// itself instead of chasing each stored key's heap string (a cache miss per probe).
type InlineChild = [u8; 24];

/// `None` when `child` does not fit or holds a NUL byte (the zero padding must be unambiguous).
fn inline_child(child: &str) -> Option<InlineChild> {
    let b = child.as_bytes();
    if b.len() > 24 || b.contains(&0) {
        return None;
    }
    let mut k = [0u8; 24];
    k[..b.len()].copy_from_slice(b);
    Some(k)
}

/// The children of one LA. Keeping one small map per LA (returns come file by file, one LA at a
/// time) keeps each map in cache while that LA's rows are read.
#[derive(Default)]
struct LaChildren<'a> {
    short: FastMap<InlineChild, usize>,
    long: FastMap<&'a str, usize>,
}

/// Assigns each (LA, CHILD) key a slot and records which slots have invalid rows.
#[derive(Default)]
struct Slots<'a> {
    las: FastMap<&'a str, usize>,
    children: Vec<LaChildren<'a>>,
    keys: Vec<(&'a str, &'a str)>,
    invalid: Vec<bool>,
    /// The previous row's slot: returns list a child's rows together, so most rows skip the hash.
    last: Option<usize>,
    /// The previous row's LA and its index in `children`.
    last_la: Option<(&'a str, usize)>,
}

impl<'a> Slots<'a> {
    fn slot(&mut self, la: &'a str, child: &'a str, bad: bool) -> usize {
        if let Some(s) = self.last.filter(|&s| self.keys[s] == (la, child)) {
            self.invalid[s] |= bad;
            return s;
        }
        let s = self.new_or_known(la, child);
        self.invalid[s] |= bad;
        self.last = Some(s);
        s
    }

    fn la_index(&mut self, la: &'a str) -> usize {
        if let Some((l, i)) = self.last_la {
            if l == la {
                return i;
            }
        }
        let next = self.children.len();
        let i = *self.las.entry(la).or_insert(next);
        if i == next {
            self.children.push(LaChildren::default());
        }
        self.last_la = Some((la, i));
        i
    }

    fn new_or_known(&mut self, la: &'a str, child: &'a str) -> usize {
        let next = self.keys.len();
        let l = self.la_index(la);
        let map = &mut self.children[l];
        let s = match inline_child(child) {
            Some(k) => *map.short.entry(k).or_insert(next),
            None => *map.long.entry(child).or_insert(next),
        };
        if s == next {
            self.keys.push((la, child));
            self.invalid.push(false);
        }
        s
    }

    fn table<T>(
        &mut self,
        rows: &'a [T],
        flags: &[bool],
        key: impl Fn(&'a T) -> (&'a str, &'a str),
    ) -> Vec<usize> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| {
                let (la, child) = key(r);
                self.slot(la, child, flags.get(i).copied().unwrap_or(false))
            })
            .collect()
    }
}

/// Group every row by (LA, CHILD); children come in (LA, CHILD) order.
pub(crate) fn group_by_child<'a>(
    returns: &'a Returns,
    validation: &Validation,
) -> Result<ByChild<'a>> {
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
    let mut s = Slots::default();
    let h = s.table(&returns.header, inv_h, |r| (&r.src.la, &r.child));
    let e = s.table(&returns.episodes, inv_e, |r| (&r.src.la, &r.child));
    let a = s.table(&returns.ad1, inv_a, |r| (&r.src.la, &r.child));
    let p = s.table(&returns.placed_adoption, inv_p, |r| (&r.src.la, &r.child));
    // Renumber the slots in (LA, CHILD) order so that the output is sorted.
    let order = sorted_slots(&s.keys);
    let n = s.keys.len();
    let mut rank = vec![0usize; n];
    for (r, &o) in order.iter().enumerate() {
        rank[o] = r;
    }
    let renumber = |v: Vec<usize>| -> Vec<usize> { v.into_iter().map(|x| rank[x]).collect() };
    // The four tables are laid out independently: side by side on two cores.
    let ((header, episodes), (ad1, placed_adoption)) = rayon::join(
        || {
            rayon::join(
                || Grouped::new(&returns.header, &renumber(h), n),
                || Grouped::new(&returns.episodes, &renumber(e), n),
            )
        },
        || {
            rayon::join(
                || Grouped::new(&returns.ad1, &renumber(a), n),
                || Grouped::new(&returns.placed_adoption, &renumber(p), n),
            )
        },
    );
    Ok(ByChild {
        keys: order.iter().map(|&o| s.keys[o]).collect(),
        invalid: order.iter().map(|&o| s.invalid[o]).collect(),
        header,
        episodes,
        ad1,
        placed_adoption,
    })
}

/// The slots in (LA, CHILD) order.
///
/// Comparing the keys' strings directly chases two heap pointers per comparison (millions of
/// cache misses); instead each key is compared by the rank of its LA (few distinct LAs) and an
/// inline 24-byte prefix of CHILD, falling back on the strings only when those tie.
fn sorted_slots(keys: &[(&str, &str)]) -> Vec<usize> {
    let mut las: Vec<&str> = Vec::new();
    let mut last = None;
    for &(la, _) in keys {
        if last != Some(la) {
            las.push(la);
            last = Some(la);
        }
    }
    las.sort_unstable();
    las.dedup();
    let la_rank: FastMap<&str, u32> = las
        .iter()
        .enumerate()
        .map(|(i, &la)| (la, i as u32))
        .collect();
    let prefix = |child: &str| {
        let mut p = [0u8; 24];
        let n = child.len().min(24);
        p[..n].copy_from_slice(&child.as_bytes()[..n]);
        p
    };
    let mut sort_keys: Vec<(u32, [u8; 24], usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, &(la, child))| {
            (
                la_rank.get(la).copied().unwrap_or(u32::MAX),
                prefix(child),
                i,
            )
        })
        .collect();
    sort_keys.par_sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| keys[a.2].1.cmp(keys[b.2].1))
    });
    sort_keys.into_iter().map(|k| k.2).collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ssda903::Source;

    fn header(la: &str, child: &str, row: u64) -> HeaderRow {
        HeaderRow {
            src: Source {
                file: 0,
                row,
                la: la.into(),
                year: 2018,
            },
            child: child.into(),
            sex: "1".into(),
            dob: None,
            ethnic: "WBRI".into(),
            sibling_group: None,
            disability: None,
        }
    }

    #[test]
    fn children_come_in_la_then_child_order_whatever_their_length() {
        let long = "L".repeat(40);
        let keys = [
            ("886", "X"),
            ("88", "6X"),
            ("886", "A\0"),
            ("886", "A"),
            ("887", "A"),
            ("886", long.as_str()),
            ("886", "X"),
            ("8860", ""),
        ];
        let returns = Returns {
            header: keys
                .iter()
                .enumerate()
                .map(|(i, (la, c))| header(la, c, i as u64))
                .collect(),
            ..Returns::default()
        };
        let g = group_by_child(&returns, &Validation::default()).expect("groups");
        let got: Vec<(&str, &str, usize)> = (0..g.len())
            .map(|c| {
                let r = g.child(c);
                (r.la, r.child, r.header.len())
            })
            .collect();
        let mut want: Vec<(&str, &str)> = keys.to_vec();
        want.sort();
        want.dedup();
        let want: Vec<(&str, &str, usize)> = want
            .into_iter()
            .map(|(la, c)| (la, c, keys.iter().filter(|k| **k == (la, c)).count()))
            .collect();
        assert_eq!(got, want);
    }
}
