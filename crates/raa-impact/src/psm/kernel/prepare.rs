//! Validation, sorting of units by distance, and the split into independent blocks.

use super::types::{DistanceScale, KernelInput, KernelOptions, Order};
use crate::branch_free::all_values;
use crate::float_order::{gallop, ordered_bits, KeyedRow};
use crate::value_buckets::{count_true, scatter_two_groups, sort_buckets};
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
    /// Eligible controls as (order bits of the distance, row), sorted.
    pub c: Vec<KeyedRow>,
    pub td: Vec<f64>,
    pub trow: Vec<u32>,
    /// For each sorted treated, the first sorted control of its stratum with distance >= its own.
    pub tins: Vec<u32>,
    pub blocks: Vec<Block>,
    /// Block of each sorted treated.
    pub tblock: Vec<u32>,
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
    // Usually every value is finite, which a branch-free pass shows; otherwise the first bad
    // row of an eligible unit is searched in fixed chunks: the same answer for any thread count.
    if all_finite(input) {
        return Ok(());
    }
    let bad = (0..n.div_ceil(SCAN))
        .into_par_iter()
        .find_map_first(|k| first_bad(input, k * SCAN, ((k + 1) * SCAN).min(n)));
    if let Some((i, what)) = bad {
        return Err(Error::argument(
            what,
            format!("row {i}: must be finite for eligible units"),
        ));
    }
    Ok(())
}

const SCAN: usize = 1 << 16;

/// True when every distance (eligible or not) and every caliper covariate is finite: the fold
/// has no branch, so it runs at the speed of memory.
fn all_finite(input: &KernelInput) -> bool {
    let column = |c: &[f64], scale: DistanceScale| all_values(c, |v| scale.finite(v));
    column(input.distance, input.scale)
        && input
            .covariate_calipers
            .iter()
            .all(|(c, _)| column(c, DistanceScale::AsGiven))
}

fn first_bad(input: &KernelInput, a: usize, b: usize) -> Option<(usize, String)> {
    let el = |i: usize| is_eligible(input, i);
    if let Some(i) = (a..b).find(|&i| !distance_finite(input, i) && el(i)) {
        return Some((i, "distance".into()));
    }
    for (j, (c, _)) in input.covariate_calipers.iter().enumerate() {
        if let Some(i) = (a..b).find(|&i| !c[i].is_finite() && el(i)) {
            return Some((i, format!("covariate_calipers[{j}]")));
        }
    }
    None
}

/// Whether row `i`'s distance is finite; the logit of `p` is finite exactly when `0 < p < 1`
/// (read without the logarithm).
fn distance_finite(input: &KernelInput, i: usize) -> bool {
    input.scale.finite(input.distance[i])
}

pub(crate) fn is_eligible(input: &KernelInput, i: usize) -> bool {
    input.eligible.is_none_or(|e| e[i])
}

/// One group sorted by (stratum, distance, key, row): (order bits, row) pairs and strata (empty
/// when there are no strata).
struct Sorted {
    pairs: Vec<KeyedRow>,
    stratum: Vec<u32>,
}

impl Prepared {
    /// Distance of sorted control `i`.
    pub fn cd(&self, i: usize) -> f64 {
        self.c[i].value()
    }
    /// Row of sorted control `i`.
    pub fn crow(&self, i: usize) -> u32 {
        self.c[i].row
    }
}

fn in_group(input: &KernelInput, focal: bool, i: usize) -> bool {
    input.treated[i] == focal && is_eligible(input, i)
}

/// Sort both groups (`[others, focal]`). Without strata: a bucket sort on the value (buckets
/// are monotone in the distance; each bucket is then fully sorted by (bits, key, row)), which
/// needs no comparison sort of the whole array, both groups in the same passes over the rows.
/// With strata: a parallel comparison sort of each group.
fn sorted_groups(input: &KernelInput) -> [Sorted; 2] {
    if input.stratum.is_some() {
        let (c, t) = rayon::join(
            || sorted_by_stratum(input, false),
            || sorted_by_stratum(input, true),
        );
        return [c, t];
    }
    let tie = |a: &KeyedRow, b: &KeyedRow| {
        { a.key }
            .cmp(&{ b.key })
            .then_with(|| key_of(input, a.row).cmp(&key_of(input, b.row)))
            .then({ a.row }.cmp(&{ b.row }))
    };
    // Without eligibility the groups' sizes are a count of the focal flags.
    let sizes = input.eligible.is_none().then(|| {
        let focal = count_true(input.treated);
        [input.treated.len() - focal, focal]
    });
    let mut groups = scatter_two_groups(
        input.treated.len(),
        sizes,
        |i| is_eligible(input, i).then(|| usize::from(input.treated[i])),
        // Buckets are ranges of the column as given (no logarithm per row for a logit scale to
        // place a row); the order is mended across their boundaries below.
        |i| input.distance[i],
        |x| ordered_bits(input.scale.of(x)),
    );
    // Bucket b holds the rows of that value range in row order; sort each fully. Without keys,
    // (bits, row) is the pairs' own order: no key lookups.
    let keyless = input.key.is_none();
    match keyless {
        true => sort_buckets(&mut groups, KeyedRow::cmp),
        false => sort_buckets(&mut groups, tie),
    }
    // Buckets are ranges of the column as given. On a scale, values in neighbouring buckets can
    // share a distance (the logit rounds distinct probabilities to the same double; were its
    // rounding not monotone, they could even be inverted): mend the order across boundaries.
    if input.scale != DistanceScale::AsGiven {
        for g in &mut groups {
            if keyless {
                mend_boundaries(&mut g.pairs, &g.starts, KeyedRow::cmp);
            } else {
                mend_boundaries(&mut g.pairs, &g.starts, tie);
            }
        }
    }
    groups.map(|g| Sorted {
        pairs: g.pairs,
        stratum: Vec::new(),
    })
}

/// Put `v`, sorted within each bucket (`starts`: bucket starts), in order across the buckets'
/// boundaries, by insertion: each bucket's entries are moved left while they are out of order,
/// and once one is in place the rest of its bucket is too. Linear when nothing is out of order.
fn mend_boundaries(
    v: &mut [KeyedRow],
    starts: &[usize],
    cmp: impl Fn(&KeyedRow, &KeyedRow) -> std::cmp::Ordering,
) {
    let out_of_order = |v: &[KeyedRow], j: usize| cmp(&v[j - 1], &v[j]).is_gt();
    for &s in starts.iter().filter(|&&s| s > 0) {
        for j in s..v.len() {
            if !out_of_order(v, j) {
                break;
            }
            let mut k = j;
            while k > 0 && out_of_order(v, k) {
                v.swap(k - 1, k);
                k -= 1;
            }
        }
    }
}

/// One group sorted by (stratum, distance, key, row) with a parallel comparison sort.
fn sorted_by_stratum(input: &KernelInput, focal: bool) -> Sorted {
    let n = input.treated.len();
    let st = input.stratum.unwrap_or_default();
    let mut v: Vec<(u32, u64, u32)> = (0..n)
        .into_par_iter()
        .with_min_len(SCAN)
        .filter(|&i| in_group(input, focal, i))
        .map(|i| (st[i], ordered_bits(input.dist(i)), i as u32))
        .collect();
    v.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then_with(|| key_of(input, a.2).cmp(&key_of(input, b.2)))
            .then(a.2.cmp(&b.2))
    });
    Sorted {
        pairs: v.iter().map(|e| KeyedRow { key: e.1, row: e.2 }).collect(),
        stratum: v.iter().map(|e| e.0).collect(),
    }
}

pub(crate) fn prepare(input: &KernelInput, o: &KernelOptions) -> Prepared {
    let [c, t] = sorted_groups(input);
    let (td, trow): (Vec<f64>, Vec<u32>) = rayon::join(
        || {
            t.pairs
                .par_iter()
                .with_min_len(SCAN)
                .map(KeyedRow::value)
                .collect()
        },
        || {
            t.pairs
                .par_iter()
                .with_min_len(SCAN)
                .map(|e| e.row)
                .collect()
        },
    );
    let unstratified = c.stratum.is_empty() && t.stratum.is_empty();
    let independent = o.replace && o.reuse_max.is_none();
    let (blocks, tins, tblock) = match (unstratified, independent) {
        (true, true) => one_block(&c.pairs, &t.pairs),
        (true, false) => split_unstratified(&c.pairs, &td, o.caliper),
        (false, _) => split_blocks(&c.pairs, &c.stratum, &td, &t.stratum, o.caliper),
    };
    Prepared {
        c: c.pairs,
        td,
        trow,
        tins,
        blocks,
        tblock,
    }
}

/// Focal units per task of [`one_block`] (fixed: the result does not depend on it anyway).
const FOCAL_PIECE: usize = 1 << 14;

/// The blocks and insertion points when every focal unit is matched on its own (unlimited
/// replacement, no strata): no unit's match depends on another's, so blocks would only shorten
/// searches that the caliper ends anyway, and the whole sample is one block. Each focal unit's
/// insertion point (the controls with a smaller distance: a focal unit goes before controls of
/// equal distance, as in [`split_unstratified`]) is found by galloping from the one before it,
/// the focal units being sorted: a few controls read per focal unit, where the walk of
/// [`split_unstratified`] reads every control. The same insertion points (a test compares them).
fn one_block(cpairs: &[KeyedRow], tpairs: &[KeyedRow]) -> (Vec<Block>, Vec<u32>, Vec<u32>) {
    let (nc, nt) = (cpairs.len(), tpairs.len());
    if nt == 0 {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    let mut tins = vec![0u32; nt];
    tins.par_chunks_mut(FOCAL_PIECE)
        .zip(tpairs.par_chunks(FOCAL_PIECE))
        .for_each(|(out, focal)| {
            let mut at = cpairs.partition_point(|e| e.key < focal[0].key);
            for (o, t) in out.iter_mut().zip(focal) {
                at = gallop(cpairs, at, |e| e.key < t.key);
                *o = at as u32;
            }
        });
    let block = Block {
        c0: 0,
        c1: nc,
        t0: 0,
        t1: nt,
        empty_stratum: nc == 0,
    };
    (vec![block], tins, vec![0; nt])
}

/// One piece's block starts (control, treated positions) and its treated units' insertion points.
type Piece = (Vec<(usize, usize)>, Vec<u32>);

/// Controls per piece of [`split_unstratified`] (fixed: the result does not depend on it anyway).
const PIECE: usize = 1 << 16;

/// [`split_blocks`] without strata, in parallel: the merged sequence (a treated unit before
/// controls of equal distance) is cut into pieces at fixed control positions, each piece walked
/// on its own from the value of the element before it, and the block starts (the elements
/// farther than the caliper from the one before them) stitched in order. The same blocks,
/// insertion points and block numbers as the sequential walk (a test compares them).
fn split_unstratified(
    cpairs: &[KeyedRow],
    td: &[f64],
    caliper: Option<f64>,
) -> (Vec<Block>, Vec<u32>, Vec<u32>) {
    let (nc, nt) = (cpairs.len(), td.len());
    if nt == 0 {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    let cal = caliper.unwrap_or(f64::INFINITY);
    let cd = |i: usize| cpairs[i].value();
    // Piece k starts at control k·PIECE and at the first treated unit that does not come before
    // it (a treated unit comes before every control of equal or greater distance).
    let cuts: Vec<(usize, usize)> = (0..nc.div_ceil(PIECE).max(1))
        .map(|k| {
            let c = k * PIECE;
            let t = match c {
                0 => 0,
                _ => td.partition_point(|&x| x <= cd(c)),
            };
            (c, t)
        })
        .chain(std::iter::once((nc, nt)))
        .collect();
    let pieces: Vec<Piece> = cuts
        .par_windows(2)
        .map(|w| {
            let ((c0, t0), (c1, t1)) = (w[0], w[1]);
            // The value of the element before the piece: the later of control c0 − 1 and treated
            // t0 − 1 in the merged order, which is the larger (equal values: either).
            let before = |c: usize, t: usize| match (c.checked_sub(1), t.checked_sub(1)) {
                (Some(a), Some(b)) => cd(a).max(td[b]),
                (Some(a), None) => cd(a),
                (None, Some(b)) => td[b],
                (None, None) => f64::NAN,
            };
            let mut last = before(c0, t0);
            let (mut c, mut t) = (c0, t0);
            let mut starts = Vec::new();
            let mut tins = Vec::with_capacity(t1 - t0);
            while c < c1 || t < t1 {
                let treated_next = t < t1 && (c == c1 || td[t] <= cd(c));
                let x = if treated_next { td[t] } else { cd(c) };
                if x - last > cal {
                    starts.push((c, t));
                }
                last = x;
                if treated_next {
                    tins.push(c as u32);
                    t += 1;
                } else {
                    c += 1;
                }
            }
            (starts, tins)
        })
        .collect();
    let mut starts = vec![(0usize, 0usize)];
    let mut tins = Vec::with_capacity(nt);
    for (s, ti) in pieces {
        starts.extend(s);
        tins.extend(ti);
    }
    starts.push((nc, nt));
    let blocks: Vec<Block> = starts
        .windows(2)
        .filter(|w| w[1].1 > w[0].1)
        .map(|w| Block {
            c0: w[0].0,
            c1: w[1].0,
            t0: w[0].1,
            t1: w[1].1,
            empty_stratum: nc == 0,
        })
        .collect();
    let mut tblock = vec![0u32; nt];
    for (k, b) in blocks.iter().enumerate() {
        tblock[b.t0..b.t1].fill(k as u32);
    }
    (blocks, tins, tblock)
}

/// Walk the merged sorted sequences once: strata boundaries, and (with a caliper) gaps wider than
/// the caliper, end a block. Blocks without treated units are dropped.
fn split_blocks(
    cpairs: &[KeyedRow],
    cstr: &[u32],
    td: &[f64],
    tstr: &[u32],
    caliper: Option<f64>,
) -> (Vec<Block>, Vec<u32>, Vec<u32>) {
    let strat = |s: &[u32], i: usize| if s.is_empty() { 0 } else { s[i] };
    let cd = |i: usize| cpairs[i].value();
    let (nc, nt) = (cpairs.len(), td.len());
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
        let (mut ce, mut te) = (ci, ti);
        if cstr.is_empty() {
            (ce, te) = (nc, nt);
        }
        while ce < nc && strat(cstr, ce) == s {
            ce += 1;
        }
        while te < nt && strat(tstr, te) == s {
            te += 1;
        }
        let empty = cs0 == ce;
        // Merge treated [ti, te) with controls [cs0, ce); a treated goes before equal controls.
        let cal = caliper.unwrap_or(f64::INFINITY);
        let mut b = Block {
            c0: cs0,
            c1: cs0,
            t0: ti,
            t1: ti,
            empty_stratum: empty,
        };
        let mut last = f64::NAN;
        let mut c = cs0;
        for t in ti..te {
            let x = td[t];
            // Controls below this treated; a gap wider than the caliper ends the block.
            while c < ce && cd(c) < x {
                if cd(c) - last > cal {
                    b.c1 = c;
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
                last = cd(c);
                c += 1;
            }
            if x - last > cal {
                b.c1 = c;
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
            last = x;
            tins[t] = c as u32;
            tblock[t] = blocks.len() as u32;
            b.t1 = t + 1;
        }
        // Controls above the last treated join its block up to the first wide gap.
        while c < ce && cd(c) - last <= cal {
            last = cd(c);
            c += 1;
        }
        b.c1 = c;
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
    let bits = |i: usize| ordered_bits(p.td[i]);
    match order {
        // Without strata the focal units are already sorted by (distance, key, row): ascending
        // distance is their own order, descending distance their runs of equal distance taken
        // from the last, each run keeping its (key, row) order. No sort needed.
        Order::Smallest | Order::Closest if input.stratum.is_none() => {}
        Order::Largest if input.stratum.is_none() => {
            pos.clear();
            let mut end = p.td.len();
            while end > 0 {
                let mut start = end - 1;
                while start > 0 && bits(start - 1) == bits(end - 1) {
                    start -= 1;
                }
                pos.extend(start as u32..end as u32);
                end = start;
            }
        }
        Order::Largest => pos.par_sort_unstable_by(|a, b| {
            let (da, db) = (
                ordered_bits(p.td[*a as usize]),
                ordered_bits(p.td[*b as usize]),
            );
            db.cmp(&da).then_with(|| key(a).cmp(&key(b)))
        }),
        Order::Smallest | Order::Closest => pos.par_sort_unstable_by(|a, b| {
            let (da, db) = (
                ordered_bits(p.td[*a as usize]),
                ordered_bits(p.td[*b as usize]),
            );
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn sorted_pairs(values: &[f64]) -> Vec<KeyedRow> {
        let mut v: Vec<KeyedRow> = values
            .iter()
            .enumerate()
            .map(|(i, &x)| KeyedRow {
                key: ordered_bits(x),
                row: i as u32,
            })
            .collect();
        v.sort_unstable();
        v
    }

    /// With unlimited replacement, the one block's insertion points are the walk's.
    #[test]
    fn one_block_insertion_points_equal_the_walk() {
        let mut rng = ChaCha8Rng::seed_from_u64(22);
        for (nc, nt) in [
            (0, 5),
            (5, 0),
            (1, 1),
            (300, 40),
            (200_000, 30_000),
            (10, 40_000),
        ] {
            for coarse in [true, false] {
                let mut draw = |n: usize| -> Vec<f64> {
                    (0..n)
                        .map(|_| match coarse {
                            true => f64::from(rng.random_range(0..400_u32)) / 8.0 - 20.0,
                            false => rng.random::<f64>() * 50.0 - 25.0,
                        })
                        .collect()
                };
                let c = sorted_pairs(&draw(nc));
                let t = sorted_pairs(&draw(nt));
                let td: Vec<f64> = t.iter().map(KeyedRow::value).collect();
                let (blocks, tins, tblock) = one_block(&c, &t);
                let (_, want, _) = split_blocks(&c, &[], &td, &[], None);
                assert_eq!(tins, want, "nc={nc} nt={nt} coarse={coarse}");
                assert!(tblock.iter().all(|&b| b == 0));
                match nt {
                    0 => assert!(blocks.is_empty()),
                    _ => assert_eq!((blocks[0].c1, blocks[0].t1), (nc, nt)),
                }
            }
        }
    }

    fn same(a: &(Vec<Block>, Vec<u32>, Vec<u32>), b: &(Vec<Block>, Vec<u32>, Vec<u32>)) -> bool {
        let key = |x: &Block| (x.c0, x.c1, x.t0, x.t1, x.empty_stratum);
        a.0.iter().map(key).eq(b.0.iter().map(key)) && a.1 == b.1 && a.2 == b.2
    }

    /// The parallel split gives the sequential walk's blocks, insertion points and block numbers:
    /// coarse values (ties within and across the groups), continuous values, several pieces,
    /// calipers from none to zero, and groups that are empty or tiny.
    #[test]
    fn parallel_split_equals_the_sequential_walk() {
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        let sizes = [
            (0, 5),
            (5, 0),
            (1, 1),
            (300, 40),
            (200_000, 30_000),
            (150_000, 3),
        ];
        for (nc, nt) in sizes {
            for coarse in [true, false] {
                let mut draw = |n: usize| -> Vec<f64> {
                    (0..n)
                        .map(|_| match coarse {
                            true => f64::from(rng.random_range(0..400_u32)) / 8.0,
                            false => rng.random::<f64>() * 50.0,
                        })
                        .collect()
                };
                let c = sorted_pairs(&draw(nc));
                let mut td = draw(nt);
                td.sort_by(f64::total_cmp);
                for caliper in [None, Some(0.0), Some(0.01), Some(0.2), Some(5.0)] {
                    let want = split_blocks(&c, &[], &td, &[], caliper);
                    let got = split_unstratified(&c, &td, caliper);
                    assert!(
                        same(&got, &want),
                        "nc={nc} nt={nt} coarse={coarse} caliper={caliper:?}: {} vs {} blocks",
                        got.0.len(),
                        want.0.len()
                    );
                }
            }
        }
    }
}
