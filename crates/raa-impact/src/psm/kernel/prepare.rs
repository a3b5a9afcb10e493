//! Validation, sorting of units by distance, and the split into independent blocks.

use super::types::{KernelInput, KernelOptions, Order};
use crate::{Error, Result};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rayon::prelude::*;

/// A group of units that cannot interact with any other group: one exact stratum, or a run of the
/// sorted distances whose gaps never exceed the caliper.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block {
    pub c0: usize,
    pub c1: usize,
    pub t0: usize,
    pub t1: usize,
    /// The stratum has no eligible control at all.
    pub empty_stratum: bool,
}

/// Eligible units sorted by (stratum, distance, key), plus blocks and the processing order.
pub(crate) struct Prepared {
    pub cd: Vec<f64>,
    pub crow: Vec<u32>,
    pub td: Vec<f64>,
    pub trow: Vec<u32>,
    /// For each sorted treated, the first sorted control of its stratum with distance >= its own.
    pub tins: Vec<u32>,
    pub blocks: Vec<Block>,
    /// Block of each sorted treated.
    pub tblock: Vec<u32>,
}

/// Sort key of an f64 that orders like the number (−0.0 folded onto 0.0).
fn ord_bits(x: f64) -> u64 {
    let b = (x + 0.0).to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

pub(crate) fn key_of(input: &KernelInput, row: u32) -> u64 {
    match input.key {
        Some(k) => k[row as usize],
        None => row as u64,
    }
}

pub(crate) fn validate(input: &KernelInput, o: &KernelOptions) -> Result<()> {
    let n = input.treated.len();
    if input.distance.len() != n {
        return Err(Error::argument(
            "distance",
            format!("has {} rows, `treated` has {n}", input.distance.len()),
        ));
    }
    if n > u32::MAX as usize - 1 {
        return Err(Error::argument("treated", "more than 2^32 - 2 rows"));
    }
    let check_len = |name: &str, len: usize| -> Result<()> {
        if len != n {
            return Err(Error::argument(
                name,
                format!("has {len} rows, expected {n}"),
            ));
        }
        Ok(())
    };
    if let Some(s) = input.stratum {
        check_len("stratum", s.len())?;
    }
    if let Some(k) = input.key {
        check_len("key", k.len())?;
    }
    if let Some(e) = input.eligible {
        check_len("eligible", e.len())?;
    }
    for (j, (col, w)) in input.covariate_calipers.iter().enumerate() {
        check_len(&format!("covariate_calipers[{j}]"), col.len())?;
        if !(w.is_finite() && *w >= 0.0) {
            return Err(Error::argument(
                format!("covariate_calipers[{j}]"),
                format!("width {w} must be finite and >= 0"),
            ));
        }
    }
    if o.ratio == 0 {
        return Err(Error::argument("ratio", "must be at least 1"));
    }
    if o.reuse_max == Some(0) {
        return Err(Error::argument("reuse_max", "must be at least 1"));
    }
    if let Some(c) = o.caliper {
        if !(c.is_finite() && c >= 0.0) {
            return Err(Error::argument(
                "caliper",
                format!("{c} must be finite and >= 0"),
            ));
        }
    }
    if !(o.tolerance.is_finite() && o.tolerance >= 0.0) {
        return Err(Error::argument("tolerance", "must be finite and >= 0"));
    }
    if o.ties == super::Ties::All && !(o.replace && o.reuse_max.is_none()) {
        return Err(Error::argument(
            "ties",
            "Ties::All needs replace = true and no reuse_max",
        ));
    }
    let bad = (0..n).into_par_iter().find_first(|&i| {
        is_eligible(input, i)
            && (!input.distance[i].is_finite()
                || input
                    .covariate_calipers
                    .iter()
                    .any(|(c, _)| !c[i].is_finite()))
    });
    if let Some(i) = bad {
        return Err(Error::argument(
            "distance",
            format!("row {i}: distance and caliper covariates must be finite for eligible units"),
        ));
    }
    Ok(())
}

pub(crate) fn is_eligible(input: &KernelInput, i: usize) -> bool {
    input.eligible.is_none_or(|e| e[i])
}

#[derive(Clone, Copy)]
struct Entry {
    bits: u64,
    stratum: u32,
    row: u32,
}

/// Eligible rows of one group sorted by (stratum, distance, key, row).
fn sorted_group(input: &KernelInput, focal: bool) -> Vec<Entry> {
    let n = input.treated.len();
    let mut v: Vec<Entry> = (0..n)
        .into_par_iter()
        .with_min_len(1 << 14)
        .filter(|&i| input.treated[i] == focal && is_eligible(input, i))
        .map(|i| Entry {
            bits: ord_bits(input.distance[i]),
            stratum: input.stratum.map_or(0, |s| s[i]),
            row: i as u32,
        })
        .collect();
    v.par_sort_unstable_by_key(|e| (e.stratum, e.bits));
    // The unstable sort leaves equal distances in any order: fix each run by (key, row) so the
    // result does not depend on the thread count or the row order.
    let same = |a: &Entry, b: &Entry| a.stratum == b.stratum && a.bits == b.bits;
    let mut i = 0;
    while i < v.len() {
        let mut j = i + 1;
        while j < v.len() && same(&v[i], &v[j]) {
            j += 1;
        }
        if j - i > 1 {
            v[i..j].sort_unstable_by_key(|e| (key_of(input, e.row), e.row));
        }
        i = j;
    }
    v
}

pub(crate) fn prepare(input: &KernelInput, o: &KernelOptions) -> Prepared {
    let (c, t) = rayon::join(|| sorted_group(input, false), || sorted_group(input, true));
    let cd: Vec<f64> = c
        .par_iter()
        .map(|e| input.distance[e.row as usize])
        .collect();
    let crow: Vec<u32> = c.par_iter().map(|e| e.row).collect();
    let cstr: Vec<u32> = if input.stratum.is_some() {
        c.iter().map(|e| e.stratum).collect()
    } else {
        Vec::new()
    };
    drop(c);
    let td: Vec<f64> = t.iter().map(|e| input.distance[e.row as usize]).collect();
    let trow: Vec<u32> = t.iter().map(|e| e.row).collect();
    let tstr: Vec<u32> = t.iter().map(|e| e.stratum).collect();
    drop(t);
    let (blocks, tins, tblock) = split_blocks(&cd, &cstr, &td, &tstr, o.caliper);
    Prepared {
        cd,
        crow,
        td,
        trow,
        tins,
        blocks,
        tblock,
    }
}

/// Walk the merged sorted sequences once: strata boundaries, and (with a caliper) gaps wider than
/// the caliper, end a block. Blocks without treated units are dropped.
fn split_blocks(
    cd: &[f64],
    cstr: &[u32],
    td: &[f64],
    tstr: &[u32],
    caliper: Option<f64>,
) -> (Vec<Block>, Vec<u32>, Vec<u32>) {
    let strat = |s: &[u32], i: usize| if s.is_empty() { 0 } else { s[i] };
    let (nc, nt) = (cd.len(), td.len());
    let mut blocks = Vec::new();
    let mut tins = vec![0u32; nt];
    let mut tblock = vec![0u32; nt];
    let (mut ci, mut ti) = (0usize, 0usize);
    while ti < nt {
        let s = strat(tstr, ti);
        while ci < nc && strat(cstr, ci) < s {
            ci += 1;
        }
        let cs0 = ci;
        let mut ce = ci;
        while ce < nc && strat(cstr, ce) == s {
            ce += 1;
        }
        let mut te = ti;
        while te < nt && strat(tstr, te) == s {
            te += 1;
        }
        let empty = cs0 == ce;
        // Merge treated [ti, te) with controls [cs0, ce).
        let mut b = Block {
            c0: cs0,
            c1: cs0,
            t0: ti,
            t1: ti,
            empty_stratum: empty,
        };
        let mut last: Option<f64> = None;
        let mut c = cs0;
        let mut t = ti;
        while c < ce || t < te {
            let take_t = t < te && (c >= ce || td[t] <= cd[c]);
            let x = if take_t { td[t] } else { cd[c] };
            if let (Some(cal), Some(l)) = (caliper, last) {
                if x - l > cal {
                    if b.t1 > b.t0 {
                        blocks.push(b);
                    }
                    b = Block {
                        c0: c,
                        c1: c,
                        t0: t,
                        t1: t,
                        empty_stratum: empty,
                    };
                }
            }
            last = Some(x);
            if take_t {
                tins[t] = c as u32;
                tblock[t] = blocks.len() as u32;
                t += 1;
                b.t1 = t;
            } else {
                c += 1;
                b.c1 = c;
            }
        }
        if b.t1 > b.t0 {
            blocks.push(b);
        }
        ci = ce;
        ti = te;
    }
    (blocks, tins, tblock)
}

/// Positions (into the sorted treated arrays) in processing order, for the non-dynamic orders.
pub(crate) fn treated_order(input: &KernelInput, p: &Prepared, order: Order) -> Vec<u32> {
    let mut pos: Vec<u32> = (0..p.trow.len() as u32).collect();
    let key = |i: &u32| {
        let r = p.trow[*i as usize];
        (key_of(input, r), r)
    };
    match order {
        Order::Largest => pos.par_sort_unstable_by(|a, b| {
            let (da, db) = (ord_bits(p.td[*a as usize]), ord_bits(p.td[*b as usize]));
            db.cmp(&da).then_with(|| key(a).cmp(&key(b)))
        }),
        Order::Smallest | Order::Closest => pos.par_sort_unstable_by(|a, b| {
            let (da, db) = (ord_bits(p.td[*a as usize]), ord_bits(p.td[*b as usize]));
            da.cmp(&db).then_with(|| key(a).cmp(&key(b)))
        }),
        Order::Data => pos.par_sort_unstable_by_key(key),
        Order::Random { seed } => {
            pos.par_sort_unstable_by_key(key);
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            pos.shuffle(&mut rng);
        }
    }
    pos
}
