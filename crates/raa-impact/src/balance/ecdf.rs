//! Differences between the weighted empirical CDFs of two groups (eCDF mean and max = KS).

use rayon::prelude::*;
use voracious_radix_sort::{RadixSort, Radixable};

use crate::float_order::{from_ordered_bits, ordered_bits};

/// Mean and maximum absolute difference between the weighted eCDFs of the treated and control rows,
/// evaluated at every distinct value (MatchIt's "eCDF Mean" and "eCDF Max"; the max is the
/// Kolmogorov–Smirnov statistic). The eCDFs are evaluated at every distinct value of the whole
/// sample, rows of zero weight included (they add no mass), as MatchIt does: the eCDF mean after
/// matching is then an average over the same grid as before.
///
/// ```
/// use raa_impact::balance::ecdf::ecdf_differences;
/// let x = [1.0, 2.0, 3.0, 4.0];
/// let (mean, max) = ecdf_differences(&x, &[1.0; 4], &[true, true, false, false]);
/// assert_eq!((mean, max), (0.5, 1.0));
/// ```
pub fn ecdf_differences(x: &[f64], w: &[f64], treated: &[bool]) -> (f64, f64) {
    SortedColumn::new(x, treated).differences(Some(w))
}

/// A column sorted once, with the treatment of each sorted position, so that the eCDF statistics
/// of any set of weights (before and after matching) cost one sequential pass.
///
/// Large samples spend most of the balance table's time sorting: a parallel radix sort on
/// order-preserving bit patterns is about twice as fast as a parallel comparison sort on 10M rows.
/// The sorted entries are the only copy, 12 bytes a row (the key, then the row with its treatment
/// in the top bit); values are decoded from the key and weights read through the row, so no other
/// per-row array is materialised. Columns of up to 2^31 − 1 rows.
pub struct SortedColumn {
    keyed: Vec<Keyed>,
}

/// A row's sort key, and its index with the treatment in the top bit (the radix sort reads the key
/// alone). Packed: 12 bytes, not 16.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
#[repr(C, packed)]
struct Keyed {
    key: u64,
    tagged: u32,
}

const TREATED: u32 = 1 << 31;

impl Keyed {
    fn row(&self) -> usize {
        (self.tagged & !TREATED) as usize
    }
    fn treated(&self) -> bool {
        self.tagged & TREATED != 0
    }
}

impl Radixable<u64> for Keyed {
    type Key = u64;
    fn key(&self) -> u64 {
        self.key
    }
}

impl SortedColumn {
    /// Sort `x` (finite values) and carry `treated` along. Panics on 2^31 rows or more.
    pub fn new(x: &[f64], treated: &[bool]) -> Self {
        assert!(
            x.len() < TREATED as usize,
            "a balance column of 2^31 rows or more"
        );
        let mut keyed: Vec<Keyed> = x
            .par_iter()
            .zip(treated.par_iter())
            .enumerate()
            .map(|(i, (v, t))| Keyed {
                key: ordered_bits(*v),
                tagged: i as u32 | if *t { TREATED } else { 0 },
            })
            .collect();
        keyed.voracious_mt_sort(rayon::current_num_threads().max(1));
        // The radix sort leaves tied values in an order that depends on the thread count; rows in
        // their input order within a tie make the weighted sums bit-identical on any machine.
        for run in keyed.chunk_by_mut(|a, b| { a.key } == { b.key }) {
            if run.len() > 1 {
                run.sort_unstable_by_key(|k| k.row());
            }
        }
        SortedColumn { keyed }
    }

    /// eCDF mean and max under the weights `w` (indexed by the original rows; `None`: all 1).
    pub fn differences(&self, w: Option<&[f64]>) -> (f64, f64) {
        let (mut tt, mut tc) = (0.0, 0.0);
        // `+0.0` for the other group leaves each sum's bits unchanged and avoids a mispredicted
        // branch per row (the groups are interleaved in sorted order).
        let pick = |t: bool, v: f64| if t { (v, 0.0) } else { (0.0, v) };
        self.for_each(w, |_, t, wi| {
            let (a, b) = pick(t, wi);
            tt += a;
            tc += b;
        });
        if tt <= 0.0 || tc <= 0.0 {
            return (f64::NAN, f64::NAN);
        }
        // The eCDFs are compared after the last row of each run of equal values.
        let (mut ct, mut cc) = (0.0, 0.0);
        let (mut sum, mut max, mut count) = (0.0_f64, 0.0_f64, 0usize);
        let mut run: Option<f64> = None;
        let mut close = |ct: f64, cc: f64| {
            let d = (ct / tt - cc / tc).abs();
            sum += d;
            max = max.max(d);
            count += 1;
        };
        self.for_each(w, |v, t, wi| {
            if run != Some(v) {
                if run.is_some() {
                    close(ct, cc);
                }
                run = Some(v);
            }
            let (a, b) = pick(t, wi);
            ct += a;
            cc += b;
        });
        if run.is_some() {
            close(ct, cc);
        }
        (sum / count as f64, max)
    }

    /// `f(value, treated, weight)` in sorted order. Unit weights need no read through the row
    /// index (the before-matching statistics); given weights are gathered a chunk at a time in
    /// parallel (random reads through the row index are the slow part), then added in order.
    fn for_each(&self, w: Option<&[f64]>, mut f: impl FnMut(f64, bool, f64)) {
        let value = |k: &Keyed| from_ordered_bits(k.key);
        let Some(w) = w else {
            self.keyed
                .iter()
                .for_each(|k| f(value(k), k.treated(), 1.0));
            return;
        };
        const CHUNK: usize = 1 << 15;
        let mut buf = vec![0.0; CHUNK.min(self.keyed.len())];
        for chunk in self.keyed.chunks(CHUNK) {
            let buf = &mut buf[..chunk.len()];
            buf.par_iter_mut()
                .with_min_len(4096)
                .zip(chunk.par_iter())
                .for_each(|(b, k)| *b = w[k.row()]);
            for (k, wi) in chunk.iter().zip(buf.iter()) {
                f(value(k), k.treated(), *wi);
            }
        }
    }
}
