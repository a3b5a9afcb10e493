//! Greedy matching inside one block, and the independent (unlimited replacement) case.

use super::prepare::key_of;
use super::search::{tie_limit, AllAvail, AvailBits, Ctx};
use super::types::{Order, Ties, UnmatchedReason};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What one block (or chunk) produced, as row indices.
#[derive(Default)]
pub(crate) struct Out {
    pub events: Vec<(u32, u32)>,
    pub order: Vec<u32>,
    pub unmatched: Vec<(u32, UnmatchedReason)>,
}

/// Why `t` found nothing at all.
fn reason(ctx: &Ctx, t: usize) -> UnmatchedReason {
    if ctx.b.empty_stratum {
        return UnmatchedReason::EmptyStratum;
    }
    let mut all = AllAvail(ctx.b.c1 - ctx.b.c0);
    let mut buf = Vec::new();
    match ctx.candidates(&mut all, t, &[], false, &mut buf) {
        Some(_) => UnmatchedReason::ControlsExhausted,
        None => UnmatchedReason::NoControlInCaliper,
    }
}

/// Use counts of controls and the availability forest of a block matched with limited reuse.
struct Pool {
    uf: AvailBits,
    uses: Vec<u32>,
    max: u32,
}

impl Pool {
    fn new(m: usize, max: usize) -> Self {
        Pool {
            uf: AvailBits::new(m),
            uses: if max > 1 { vec![0; m] } else { Vec::new() },
            max: max.min(u32::MAX as usize) as u32,
        }
    }
    fn take(&mut self, j: usize) {
        if self.max > 1 {
            self.uses[j] += 1;
            if self.uses[j] < self.max {
                return;
            }
        }
        self.uf.remove(j);
    }
}

/// Rounds of greedy matching (without replacement, or with `reuse_max`) in one block, in the
/// given order of focal positions (ignored for `Order::Closest`).
pub(crate) fn match_block(ctx: &Ctx, order: &[u32]) -> Out {
    let b = ctx.b;
    let nt = b.t1 - b.t0;
    let max = if ctx.opts.replace {
        ctx.opts.reuse_max.unwrap_or(usize::MAX)
    } else {
        1
    };
    let mut pool = Pool::new(b.c1 - b.c0, max);
    // Controls already taken by each focal unit, only needed when one control may serve a focal
    // unit twice otherwise (reuse > 1 and ratio > 1).
    let track = max > 1 && ctx.opts.ratio > 1;
    let mut mine: Vec<Vec<u32>> = if track {
        vec![Vec::new(); nt]
    } else {
        Vec::new()
    };
    let mut active = vec![true; nt];
    let mut out = Out::default();
    let mut buf = Vec::new();
    for round in 0..ctx.opts.ratio {
        if ctx.opts.order == Order::Closest {
            closest_round(ctx, &mut pool, &mut mine, &mut active, round, &mut out);
            continue;
        }
        for &t in order {
            let (t, i) = (t as usize, t as usize - b.t0);
            if !active[i] {
                continue;
            }
            let excl: &[u32] = if track { &mine[i] } else { &[] };
            if ctx
                .candidates(&mut pool.uf, t, excl, false, &mut buf)
                .is_some()
            {
                let j = buf[0].1 as usize;
                pool.take(j);
                if track {
                    mine[i].push(j as u32);
                }
                out.events.push((ctx.p.trow[t], ctx.p.crow(b.c0 + j)));
            } else if round == 0 {
                active[i] = false;
                out.unmatched.push((ctx.p.trow[t], reason(ctx, t)));
            }
        }
    }
    out
}

/// One round of `Order::Closest`: a lazy priority queue of (best distance, key); an entry is
/// recomputed when popped and matched only if its distance is unchanged, so the pair matched is
/// always the one with the smallest current distance (ties by focal key).
fn closest_round(
    ctx: &Ctx,
    pool: &mut Pool,
    mine: &mut [Vec<u32>],
    active: &mut [bool],
    round: usize,
    out: &mut Out,
) {
    let b = ctx.b;
    let track = !mine.is_empty();
    let mut buf = Vec::new();
    let mut heap = BinaryHeap::new();
    let mut failed = Vec::new();
    for t in b.t0..b.t1 {
        let i = t - b.t0;
        if !active[i] {
            continue;
        }
        let excl: &[u32] = if track { &mine[i] } else { &[] };
        match ctx.candidates(&mut pool.uf, t, excl, false, &mut buf) {
            Some(d) => heap.push(Reverse((d.to_bits(), key_of(ctx.input, ctx.p.trow[t]), t))),
            None => failed.push(t),
        }
    }
    while let Some(Reverse((bits, k, t))) = heap.pop() {
        let i = t - b.t0;
        let excl: &[u32] = if track { &mine[i] } else { &[] };
        match ctx.candidates(&mut pool.uf, t, excl, false, &mut buf) {
            Some(d) if d.to_bits() == bits => {
                let j = buf[0].1 as usize;
                pool.take(j);
                if track {
                    mine[i].push(j as u32);
                }
                out.events.push((ctx.p.trow[t], ctx.p.crow(b.c0 + j)));
                if round == 0 {
                    out.order.push(ctx.p.trow[t]);
                }
            }
            Some(d) => heap.push(Reverse((d.to_bits(), k, t))),
            None => failed.push(t),
        }
    }
    if round == 0 {
        failed.sort_unstable_by_key(|&t| key_of(ctx.input, ctx.p.trow[t]));
        for t in failed {
            active[t - b.t0] = false;
            out.order.push(ctx.p.trow[t]);
            out.unmatched.push((ctx.p.trow[t], reason(ctx, t)));
        }
    }
}

/// Buffers of [`match_replace`], reused from one focal unit to the next (a million focal units
/// would otherwise allocate and free two small vectors each).
#[derive(Default)]
pub(crate) struct ReplaceScratch {
    buf: Vec<(u64, u32)>,
    taken: Vec<u32>,
}

/// Unlimited replacement: each focal unit independently takes its `ratio` nearest controls.
pub(crate) fn match_replace(ctx: &Ctx, t: usize, out: &mut Out, scratch: &mut ReplaceScratch) {
    let b = ctx.b;
    let mut all = AllAvail(b.c1 - b.c0);
    let ReplaceScratch { buf, taken } = scratch;
    taken.clear();
    let mut last_best = None;
    for _ in 0..ctx.opts.ratio {
        match ctx.candidates(&mut all, t, taken, false, buf) {
            Some(d) => {
                taken.push(buf[0].1);
                last_best = Some(d);
            }
            None => break,
        }
    }
    if taken.is_empty() {
        out.unmatched.push((ctx.p.trow[t], reason(ctx, t)));
        return;
    }
    if ctx.opts.ties == Ties::All {
        // Everything else within tolerance of the last chosen distance joins, by key.
        if ctx.candidates(&mut all, t, taken, true, buf).is_some() {
            let limit = tie_limit(last_best.unwrap_or(0.0), ctx.opts.tolerance);
            let extra: Vec<u32> = buf
                .iter()
                .filter(|(_, j)| (ctx.p.td[t] - ctx.p.cd(b.c0 + *j as usize)).abs() <= limit)
                .map(|(_, j)| *j)
                .collect();
            taken.extend(extra);
        }
    }
    for &j in taken.iter() {
        out.events
            .push((ctx.p.trow[t], ctx.p.crow(b.c0 + j as usize)));
    }
}
