//! Greedy nearest-neighbour matching kernel (MatchIt 4.7.2 semantics), parallel and deterministic.
//!
//! Rules (read from MatchIt's `nn_matchC_vec`, `nn_matchC_vec_closest` and `find_control_vec`):
//! - focal units are visited in `Order`; each takes the eligible control nearest in distance that
//!   satisfies the caliper (`|d_t − d_c| <= caliper`), the covariate calipers and the exact stratum;
//! - with `ratio = k` and limited reuse (no replacement or `reuse_max`), matching is in rounds:
//!   every focal unit takes its first control, then every still matched unit its second, ...; a
//!   unit that finds nothing in round 1 is unmatched for good; a control is never given twice to
//!   the same focal unit;
//! - with unlimited replacement every focal unit independently takes its `k` nearest controls (the
//!   order is irrelevant; MatchIt forces `"data"`).
//!
//! Ties follow MatchIt's sort positions with the unit key (`key`, else row index) standing for the
//! row order of R's stable sort: see [`Ties::First`]; `Ties::All` keeps R Matching's ties.
//! Results are bit-identical for any thread count, and for permuted rows when unique keys are given.
//!
//! Departures from MatchIt, by design: `Order::Random` uses its own
//! seeded shuffle (not R's stream); `-0.0` and `0.0` are the same distance; with `Order::Closest`
//! the pair priority is recomputed when popped rather than reusing a stale control.
//!
//! Cost: sorting is a bucket sort on the value (8 fixed row parts, ≤ 8192 buckets, each bucket
//! sorted by (distance, key)), written straight into its result: 16 bytes per control, plus a
//! hierarchical bitset of available controls per block (1/64 byte per control). Runs of equal distances are
//! visited once per search, so discrete scores stay near-linear. Covariate calipers without a
//! distance caliper may scan far (every control failing the covariate check is visited).
//!
//! Speed: both groups are sorted once; the nearest available control is found from the focal unit's
//! insertion point with "next available to the left/right" searches in a hierarchical bitset; exact strata and
//! gaps in the sorted distances wider than the caliper split the units into independent blocks
//! matched in parallel. With unlimited replacement no focal unit's match depends on another's:
//! the whole sample is one block (each insertion point found by galloping from the last), and
//! fixed chunks of focal units are matched in parallel.
//!
//! ```
//! use raa_impact::psm::kernel::{match_nearest, KernelInput, KernelOptions};
//! let distance = [0.9, 0.1, 0.85, 0.5, 0.2];
//! let treated = [true, false, false, true, false];
//! let input = KernelInput { distance: &distance, treated: &treated, ..Default::default() };
//! let m = match_nearest(&input, &KernelOptions::default()).unwrap();
//! assert_eq!(m.focal, vec![0, 3]);
//! assert_eq!(m.controls_of(0), &[2]); // 0.9 goes first (largest) and takes 0.85
//! assert_eq!(m.controls_of(1), &[4]); // 0.5 then takes 0.2 (|0.3|) over 0.1 (|0.4|)
//! ```

mod covariates;
mod greedy;
mod prepare;
mod search;
mod types;

pub use covariates::{match_nearest_covariates, CovariateScaling};
pub use types::{
    DistanceScale, KernelInput, KernelOptions, Matches, Order, Ties, Unmatched, UnmatchedReason,
};

use crate::float_order::{ordered_bits, rows_in_order_within_ties, KeyedRow};
use crate::row_set::RowSet;
use crate::Result;
use greedy::Out;
use prepare::{prepare, treated_order, validate, Prepared};
use rayon::prelude::*;
use search::Ctx;

/// Fixed chunk of focal units per task with unlimited replacement (results do not depend on it).
const CHUNK: usize = 4096;

/// Greedy nearest-neighbour matching on a one-dimensional distance. See the module docs.
///
/// Errors (`Error::Argument`) on lengths that differ, non-finite distances or caliper covariates
/// of eligible units, `ratio == 0`, `reuse_max == Some(0)`, a negative or non-finite caliper or
/// tolerance, and `Ties::All` without unlimited replacement.
pub fn match_nearest(input: &KernelInput, options: &KernelOptions) -> Result<Matches> {
    match_and_keep(input, options, false).map(|(m, _)| m)
}

/// Both groups sorted by distance, as the kernel sorted them for [`match_nearest_sorted`]: every
/// focal unit and every other unit once, ascending in ([`ordered_bits`](crate::float_order) of
/// the distance, row).
#[derive(Debug, Clone, Default)]
pub struct SortedGroups {
    /// The focal units (the kernel's `treated`).
    pub focal: Vec<KeyedRow>,
    /// The others.
    pub others: Vec<KeyedRow>,
}

/// [`match_nearest`], also handing back both groups sorted by distance when `keep` and the kernel
/// sorted every unit (no strata, nobody ineligible): the balance table's eCDF of the distance then
/// needs no sort of its own.
pub fn match_nearest_sorted(
    input: &KernelInput,
    options: &KernelOptions,
    keep: bool,
) -> Result<(Matches, Option<SortedGroups>)> {
    match_and_keep(input, options, keep)
}

fn match_and_keep(
    input: &KernelInput,
    options: &KernelOptions,
    keep: bool,
) -> Result<(Matches, Option<SortedGroups>)> {
    validate(input, options)?;
    let p = prepare(input, options);
    let order = treated_order(input, &p, options.order);
    let independent = options.replace && options.reuse_max.is_none();
    let outs: Vec<Out> = if independent {
        order
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut out = Out::default();
                let mut scratch = greedy::ReplaceScratch::default();
                for &t in chunk {
                    let ctx = ctx_of(input, options, &p, p.tblock[t as usize] as usize);
                    greedy::match_replace(&ctx, t as usize, &mut out, &mut scratch);
                }
                out
            })
            .collect()
    } else {
        let per_block = bucket_by_block(&p, &order);
        per_block
            .par_iter()
            .enumerate()
            .map(|(bi, ord)| greedy::match_block(&ctx_of(input, options, &p, bi), ord))
            .collect()
    };
    let order_rows: Option<Vec<u32>> =
        (independent || options.order != Order::Closest).then(|| {
            order
                .par_iter()
                .with_min_len(CHUNK)
                .map(|&t| p.trow[t as usize])
                .collect()
        });
    // The sorted units are not needed to assemble the result: free them first, unless kept.
    let everyone = input.stratum.is_none() && input.eligible.is_none_or(|e| e.iter().all(|x| *x));
    let sorted = match keep && everyone {
        true => Some(sorted_groups(p, input)),
        false => {
            drop(p);
            None
        }
    };
    drop(order);
    let mut m = assemble(input, outs);
    if let Some(rows) = order_rows {
        m.match_order = rows;
    }
    Ok((m, sorted))
}

/// The sorted controls and focal units as (key, row) entries, rows tied on a distance in row
/// order (the kernel sorted them in unit-key order, the row itself when no keys are given).
fn sorted_groups(p: Prepared, input: &KernelInput) -> SortedGroups {
    let Prepared {
        mut c, td, trow, ..
    } = p;
    let mut focal: Vec<KeyedRow> = td
        .par_iter()
        .zip(&trow)
        .with_min_len(CHUNK)
        .map(|(d, r)| KeyedRow {
            key: ordered_bits(*d),
            row: *r,
        })
        .collect();
    if input.key.is_some() {
        rayon::join(
            || rows_in_order_within_ties(&mut c),
            || rows_in_order_within_ties(&mut focal),
        );
    }
    SortedGroups { focal, others: c }
}

fn ctx_of<'a>(
    input: &'a KernelInput<'a>,
    opts: &'a KernelOptions,
    p: &'a Prepared,
    bi: usize,
) -> Ctx<'a> {
    Ctx {
        input,
        opts,
        p,
        b: p.blocks[bi],
    }
}

/// The global order split by block, each keeping its relative order.
fn bucket_by_block(p: &Prepared, order: &[u32]) -> Vec<Vec<u32>> {
    let mut per: Vec<Vec<u32>> = p
        .blocks
        .iter()
        .map(|b| Vec::with_capacity(b.t1 - b.t0))
        .collect();
    for &t in order {
        per[p.tblock[t as usize] as usize].push(t);
    }
    per
}

/// Gather block outputs into the compressed-row result, focal units in row order.
pub(crate) fn assemble(input: &KernelInput, outs: Vec<Out>) -> Matches {
    // Focal index (number of focal rows before it) of any row: the rank among the focal rows, in
    // 3/16 of a byte per row where an index per row took 4 bytes.
    let rank = RowSet::from_flags(input.treated);
    let focal = rank.members();
    // Every event's focal index, looked up in parallel first (random reads that would otherwise
    // each wait for memory inside the sequential fill below).
    let places: Vec<Vec<u32>> = outs
        .par_iter()
        .map(|o| o.events.iter().map(|&(t, _)| rank.rank(t) as u32).collect())
        .collect();
    let mut offsets = vec![0u32; focal.len() + 1];
    for &i in places.iter().flatten() {
        offsets[i as usize + 1] += 1;
    }
    for i in 0..focal.len() {
        offsets[i + 1] += offsets[i];
    }
    // `offsets[i]` serves as unit i's fill position, in event order; once filled it is where
    // unit i + 1 starts, and shifting by one restores the starts.
    let mut controls = vec![0u32; *offsets.last().unwrap_or(&0) as usize];
    for (o, places) in outs.iter().zip(&places) {
        for (&(_, c), &i) in o.events.iter().zip(places) {
            controls[offsets[i as usize] as usize] = c;
            offsets[i as usize] += 1;
        }
    }
    offsets.rotate_right(1);
    offsets[0] = 0;
    drop(places);
    let mut reasons: Vec<Option<UnmatchedReason>> = focal
        .par_iter()
        .with_min_len(CHUNK)
        .map(|&r| (!prepare::is_eligible(input, r as usize)).then_some(UnmatchedReason::Discarded))
        .collect();
    let mut match_order = Vec::with_capacity(outs.iter().map(|o| o.order.len()).sum());
    for o in outs {
        for (t, r) in o.unmatched {
            reasons[rank.rank(t)] = Some(r);
        }
        match_order.extend(o.order);
    }
    let unmatched = focal
        .iter()
        .zip(&reasons)
        .filter_map(|(&row, r)| r.map(|reason| Unmatched { row, reason }))
        .collect();
    Matches {
        focal,
        offsets,
        controls,
        unmatched,
        match_order,
    }
}
