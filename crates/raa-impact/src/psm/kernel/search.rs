//! Nearest available control of one focal unit inside a block.

use super::prepare::{key_of, Block, Prepared};
use super::types::{KernelInput, KernelOptions};
use crate::float_order::{gallop, ordered_bits, KeyedRow};

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

/// Available positions as a hierarchical bitset: level 0 has one bit per position, each level
/// above one bit per non-zero word of the level below, up to a single word. "Next available to
/// the left/right" is then a few word reads (four levels cover 16M positions), and the whole
/// structure is 1/64 of a byte per position where two union-find forests took 8 bytes, so it
/// stays in cache while the greedy search walks through millions of controls.
pub(crate) struct AvailBits {
    levels: Vec<Vec<u64>>,
    m: usize,
}

impl AvailBits {
    pub fn new(m: usize) -> Self {
        let mut level: Vec<u64> = (0..m.div_ceil(64))
            .map(|w| match m - w * 64 {
                r if r >= 64 => u64::MAX,
                r => (1u64 << r) - 1,
            })
            .collect();
        let mut levels = Vec::new();
        while level.len() > 1 {
            let up = (0..level.len().div_ceil(64))
                .map(|k| {
                    let words = &level[k * 64..((k + 1) * 64).min(level.len())];
                    words
                        .iter()
                        .enumerate()
                        .fold(0u64, |acc, (i, w)| acc | (u64::from(*w != 0) << i))
                })
                .collect();
            levels.push(std::mem::replace(&mut level, up));
        }
        levels.push(level);
        AvailBits { levels, m }
    }

    /// Mark position `j` as used.
    pub fn remove(&mut self, j: usize) {
        let mut j = j;
        for level in &mut self.levels {
            let w = &mut level[j / 64];
            *w &= !(1u64 << (j % 64));
            if *w != 0 {
                return;
            }
            j /= 64;
        }
    }

    /// Smallest set bit >= `j` on `lvl`.
    fn next(&self, lvl: usize, j: usize) -> Option<usize> {
        let level = &self.levels[lvl];
        let w = j / 64;
        let word = level.get(w)? & (u64::MAX << (j % 64));
        if word != 0 {
            return Some(w * 64 + word.trailing_zeros() as usize);
        }
        let nw = if lvl + 1 == self.levels.len() {
            (w + 1..level.len()).find(|&k| level[k] != 0)?
        } else {
            self.next(lvl + 1, w + 1)?
        };
        Some(nw * 64 + level[nw].trailing_zeros() as usize)
    }

    /// Largest set bit <= `j` on `lvl`.
    fn prev(&self, lvl: usize, j: usize) -> Option<usize> {
        let level = &self.levels[lvl];
        let (w, b) = (j / 64, j % 64);
        let mask = if b == 63 {
            u64::MAX
        } else {
            (1u64 << (b + 1)) - 1
        };
        let word = level.get(w)? & mask;
        if word != 0 {
            return Some(w * 64 + 63 - word.leading_zeros() as usize);
        }
        let pw = if lvl + 1 == self.levels.len() {
            (0..w).rev().find(|&k| level[k] != 0)?
        } else {
            self.prev(lvl + 1, w.checked_sub(1)?)?
        };
        Some(pw * 64 + 63 - level[pw].leading_zeros() as usize)
    }
}

impl Avail for AvailBits {
    fn left(&mut self, j: usize) -> Option<usize> {
        if self.m == 0 {
            return None;
        }
        self.prev(0, j.min(self.m - 1))
    }
    fn right(&mut self, j: usize) -> Option<usize> {
        if j >= self.m {
            return None;
        }
        self.next(0, j)
    }
}

/// One past the last position of the run of equal bits containing `x` (galloping).
fn run_end(block: &[KeyedRow], x: usize) -> usize {
    let bits = block[x].key;
    gallop(block, x, |e| e.key <= bits)
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
        if block.get(ins).is_none_or(|e| e.key != bits) {
            return ins;
        }
        let end = run_end(block, ins);
        let own = (key_of(self.input, self.p.trow[t]), self.p.trow[t]);
        ins + block[ins..end].partition_point(|e| (key_of(self.input, e.row), e.row) < own)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The bitset answers as a plain scan over a vector of flags, after any removals.
    #[test]
    fn avail_bits_equal_a_linear_scan() {
        for m in [0usize, 1, 63, 64, 65, 4095, 4096, 4097, 300_000] {
            let mut bits = AvailBits::new(m);
            let mut free = vec![true; m];
            let mut state = 12345u64;
            for step in 0..2000 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let j = (state >> 33) as usize % (m + 2);
                let left = (0..=j.min(m.saturating_sub(1)))
                    .rev()
                    .find(|&k| k < m && free[k]);
                let right = (j..m).find(|&k| free[k]);
                assert_eq!(
                    bits.left(j),
                    if m == 0 { None } else { left },
                    "m {m} j {j}"
                );
                assert_eq!(bits.right(j), right, "m {m} j {j}");
                // Remove long runs too, so that whole words and upper-level bits empty.
                if j < m && step % 3 != 0 {
                    let end = (j + (state as usize % 700)).min(m);
                    for (k, f) in free.iter_mut().enumerate().take(end).skip(j) {
                        if *f {
                            *f = false;
                            bits.remove(k);
                        }
                    }
                }
            }
        }
    }
}
