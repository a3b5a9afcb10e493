//! Nearest available control of one focal unit inside a block.

use super::prepare::{key_of, Block, Prepared};
use super::types::{KernelInput, KernelOptions};
use crate::float_order::ordered_bits;

/// Which control positions (local to a block) are still available.
pub(crate) trait Avail {
    /// Largest available position <= `j`.
    fn left(&mut self, j: usize) -> Option<usize>;
    /// Smallest available position >= `j`.
    fn right(&mut self, j: usize) -> Option<usize>;
}

/// Every control is available (matching with unlimited replacement).
pub(crate) struct AllAvail(pub usize);

impl Avail for AllAvail {
    fn left(&mut self, j: usize) -> Option<usize> {
        (j < self.0).then_some(j)
    }
    fn right(&mut self, j: usize) -> Option<usize> {
        (j < self.0).then_some(j)
    }
}

/// "Next available to the left/right" as two union-find forests with path halving.
/// `r[j] == j` means available; `r[m]` is the right sentinel. `l` is shifted by one: `l[j + 1]`
/// stands for position `j`, `l[0]` is the left sentinel.
pub(crate) struct UnionFind {
    r: Vec<u32>,
    l: Vec<u32>,
}

impl UnionFind {
    pub fn new(m: usize) -> Self {
        UnionFind {
            r: (0..=m as u32).collect(),
            l: (0..=m as u32).collect(),
        }
    }
    fn find(v: &mut [u32], mut x: usize) -> usize {
        while v[x] as usize != x {
            let p = v[x] as usize;
            v[x] = v[p];
            x = p;
        }
        x
    }
    /// Mark position `j` as used.
    pub fn remove(&mut self, j: usize) {
        self.r[j] = j as u32 + 1;
        self.l[j + 1] = j as u32;
    }
}

impl Avail for UnionFind {
    fn left(&mut self, j: usize) -> Option<usize> {
        let x = Self::find(&mut self.l, j + 1);
        (x > 0).then(|| x - 1)
    }
    fn right(&mut self, j: usize) -> Option<usize> {
        let m = self.r.len() - 1;
        if j >= m {
            return None;
        }
        let x = Self::find(&mut self.r, j);
        (x < m).then_some(x)
    }
}

/// One past the last position of the run of equal bits containing `x` (galloping).
fn run_end(block: &[(u64, u32)], x: usize) -> usize {
    let bits = block[x].0;
    let mut step = 1;
    let mut lo = x; // block[lo] has `bits`
    loop {
        let probe = lo + step;
        if probe >= block.len() || block[probe].0 > bits {
            let end = probe.min(block.len());
            return lo + 1 + block[lo + 1..end].partition_point(|e| e.0 <= bits);
        }
        lo = probe;
        step *= 2;
    }
}

/// Read-only context of a block search.
pub(crate) struct Ctx<'a> {
    pub input: &'a KernelInput<'a>,
    pub opts: &'a KernelOptions,
    pub p: &'a Prepared,
    pub b: Block,
}

impl Ctx<'_> {
    fn ckey(&self, j: usize) -> u64 {
        key_of(self.input, self.p.crow(self.b.c0 + j))
    }
    fn cov_ok(&self, trow: usize, j: usize) -> bool {
        let crow = self.p.crow(self.b.c0 + j) as usize;
        self.input
            .covariate_calipers
            .iter()
            .all(|(x, w)| (x[trow] - x[crow]).abs() <= *w)
    }
    fn dist(&self, t: usize, j: usize) -> f64 {
        (self.p.td[t] - self.p.cd(self.b.c0 + j)).abs()
    }
    fn in_caliper(&self, d: f64) -> bool {
        self.opts.caliper.is_none_or(|c| d <= c)
    }

    /// Nearest valid control on one side, walking available positions outwards from `start`.
    fn nearest_side(
        &self,
        av: &mut impl Avail,
        t: usize,
        start: Option<usize>,
        go_left: bool,
        excluded: &[u32],
    ) -> Option<(usize, f64)> {
        let trow = self.p.trow[t] as usize;
        let mut j = start.and_then(|s| if go_left { av.left(s) } else { av.right(s) });
        while let Some(x) = j {
            let d = self.dist(t, x);
            if !self.in_caliper(d) {
                return None;
            }
            if !excluded.contains(&(x as u32)) && self.cov_ok(trow, x) {
                return Some((x, d));
            }
            j = if go_left {
                x.checked_sub(1).and_then(|s| av.left(s))
            } else {
                av.right(x + 1)
            };
        }
        None
    }

    /// Valid controls on one side (`go_left`) from `from` outwards with distance <= `limit`.
    fn collect_side(
        &self,
        av: &mut impl Avail,
        t: usize,
        (from, go_left): (usize, bool),
        limit: f64,
        excluded: &[u32],
        out: &mut Vec<(u64, u32)>,
    ) {
        let trow = self.p.trow[t] as usize;
        let mut j = Some(from);
        while let Some(x) = j {
            let d = self.dist(t, x);
            if d > limit || !self.in_caliper(d) {
                return;
            }
            if !excluded.contains(&(x as u32)) && self.cov_ok(trow, x) {
                out.push((self.ckey(x), x as u32));
            }
            j = if go_left {
                x.checked_sub(1).and_then(|s| av.left(s))
            } else {
                av.right(x + 1)
            };
        }
    }

    /// Local position where focal `t` sits among the block's controls in (distance, key) order:
    /// controls at the same distance with a smaller key come before it, as in MatchIt's stable
    /// sort of all units.
    fn insertion(&self, t: usize) -> usize {
        let ins = self.p.tins[t] as usize - self.b.c0;
        let block = &self.p.c[self.b.c0..self.b.c1];
        let bits = ordered_bits(self.p.td[t]);
        if block.get(ins).is_none_or(|e| e.0 != bits) {
            return ins;
        }
        let end = run_end(block, ins);
        let own = (key_of(self.input, self.p.trow[t]), self.p.trow[t]);
        ins + block[ins..end].partition_point(|e| (key_of(self.input, e.1), e.1) < own)
    }

    /// Best distance `D` of focal `t` (sorted position). With `all == false`, `out[0]` is the
    /// control MatchIt would take; with `all == true`, every valid control tied with `D` by
    /// [`tie_limit`], as (key, local position) sorted by key. `None` (and `out` empty) if none.
    pub fn candidates(
        &self,
        av: &mut impl Avail,
        t: usize,
        excluded: &[u32],
        all: bool,
        out: &mut Vec<(u64, u32)>,
    ) -> Option<f64> {
        out.clear();
        let ins = self.insertion(t);
        let m = self.b.c1 - self.b.c0;
        let l = self.nearest_side(av, t, ins.checked_sub(1), true, excluded);
        let r = self.nearest_side(av, t, (ins < m).then_some(ins), false, excluded);
        let best = match (l, r) {
            (Some(a), Some(b)) => a.1.min(b.1),
            (Some(a), None) => a.1,
            (None, Some(b)) => b.1,
            (None, None) => return None,
        };
        if !all {
            // MatchIt's rule: the nearest available control on each side of the focal unit's place
            // in the (distance, key) order, the left (smaller distance) one when the two are
            // equally far (within `tolerance`, 0 by default for MatchIt's exact comparison).
            let pick = match (l, r) {
                (Some(a), Some(b)) if a.1 <= b.1 + self.opts.tolerance => a,
                (Some(a), None) => a,
                (_, Some(b)) => b,
                (None, None) => return None,
            };
            out.push((self.ckey(pick.0), pick.0 as u32));
            return Some(best);
        }
        // Every control tied with the best, by R Matching's rule on squared distances.
        let limit = tie_limit(best, self.opts.tolerance);
        if let Some((x, _)) = l {
            self.collect_side(av, t, (x, true), limit, excluded, out);
        }
        if let Some((x, _)) = r {
            self.collect_side(av, t, (x, false), limit, excluded, out);
        }
        out.sort_unstable();
        Some(best)
    }
}

/// Largest distance tied with `best`: R Matching's rule, `d² ≤ best² + tolerance`.
pub(crate) fn tie_limit(best: f64, tolerance: f64) -> f64 {
    (best * best + tolerance).sqrt()
}
