//! A counting sort of rows into buckets of equal value width, the first step of sorting millions
//! of values: once each bucket (about a thousand rows) is sorted on its own, the buckets in order
//! are the whole column in order, with no comparison sort of the whole array and no radix passes
//! over it. The matching kernel sorts its distances this way, and the balance table its columns.

use rayon::prelude::*;

use std::cmp::Ordering;

use crate::float_order::{lower, upper, KeyedRow};

/// Fixed number of row parts of the scatter (independent of the thread count).
const PARTS: usize = 8;
/// Rows above which a bucket (of a skewed column) is worth sorting in parallel.
const LARGE_BUCKET: usize = 1 << 16;
/// Rows per chunk of the range pass.
const SCAN: usize = 1 << 16;
/// From this many rows on, the range pass reads one row in `STRIDE`.
const SAMPLED: usize = 1 << 20;
/// Stride of the sampled range pass (a multiple of it divides `SCAN`, so the sample is fixed).
const STRIDE: usize = 16;

/// One group's rows, bucket after bucket (each bucket's rows in row order until sorted).
pub(crate) struct Bucketed {
    /// `(key, row)` entries of the group's rows.
    pub pairs: Vec<KeyedRow>,
    /// Start of each bucket in `pairs`, and its length last.
    pub starts: Vec<usize>,
}

impl Bucketed {
    /// The buckets as separate slices, to be sorted in parallel.
    fn buckets_mut(&mut self) -> Vec<&mut [KeyedRow]> {
        let mut out = Vec::with_capacity(self.starts.len().saturating_sub(1));
        let mut rest: &mut [KeyedRow] = &mut self.pairs;
        for w in self.starts.windows(2) {
            let (a, r) = std::mem::take(&mut rest).split_at_mut(w[1] - w[0]);
            out.push(a);
            rest = r;
        }
        out
    }
}

/// Sort every bucket of both groups by `cmp`, in parallel. A bucket holds about a thousand rows
/// unless the values are skewed or discrete: a large one is sorted in parallel itself (a run of
/// one value is already in row order, which the sort sees in one pass).
pub(crate) fn sort_buckets(
    groups: &mut [Bucketed; 2],
    cmp: impl Fn(&KeyedRow, &KeyedRow) -> Ordering + Sync,
) {
    let mut buckets: Vec<&mut [KeyedRow]> =
        groups.iter_mut().flat_map(Bucketed::buckets_mut).collect();
    buckets
        .par_iter_mut()
        .with_min_len(64)
        .for_each_init(Scratch::default, |scratch, b| {
            match b.len() > LARGE_BUCKET {
                true => b.par_sort_unstable_by(&cmp),
                false => scratch.sort(b, &cmp),
            }
        });
}

/// Buckets shorter than this are sorted by comparisons alone.
const SMALL: usize = 64;
/// Parts of a bucket longer than this are sorted by comparisons, not by insertion.
const SHORT_PART: usize = 16;

/// Reused buffers of [`Scratch::sort`].
#[derive(Default)]
struct Scratch {
    entries: Vec<KeyedRow>,
    counts: Vec<u32>,
}

impl Scratch {
    /// Sort one bucket by `cmp`, which must order by key first. The bucket's values span a narrow
    /// range, so its keys differ only in their low bits: a counting pass splits it into about
    /// four parts per entry on those bits (stable, so each part keeps the bucket's order), and
    /// each part, of an entry or two, is finished by insertion. A part that is long anyway (a
    /// run of tied or clumped values) is sorted by comparisons. About 40% faster than sorting
    /// each bucket by comparisons alone, and the same order: every part is fully sorted by
    /// `cmp`, and the parts are in key order.
    fn sort(&mut self, b: &mut [KeyedRow], cmp: &impl Fn(&KeyedRow, &KeyedRow) -> Ordering) {
        let n = b.len();
        let (lo, hi) = b
            .iter()
            .fold((u64::MAX, 0), |(l, h), e| (l.min(e.key), h.max(e.key)));
        if n < SMALL || lo == hi {
            // Equal keys stay in the bucket's order unless `cmp` orders them otherwise.
            b.sort_unstable_by(cmp);
            return;
        }
        // A shift that leaves between 2n and 4n parts over the keys' range.
        let width = 64 - (hi - lo).leading_zeros();
        let shift = width.saturating_sub(n.ilog2() + 2);
        let parts = ((hi - lo) >> shift) as usize + 1;
        let part = |e: &KeyedRow| ((e.key - lo) >> shift) as usize;
        // `next[p]`: where part p's next entry goes; once all are placed, where part p ends.
        let next = &mut self.counts;
        next.clear();
        next.resize(parts, 0);
        for e in b.iter() {
            next[part(e)] += 1;
        }
        let mut start = 0;
        for c in next.iter_mut() {
            (start, *c) = (start + *c, start);
        }
        let out = &mut self.entries;
        out.clear();
        out.resize(n, KeyedRow::default());
        for e in b.iter() {
            let p = &mut next[part(e)];
            out[*p as usize] = *e;
            *p += 1;
        }
        let mut start = 0;
        for &end in next.iter() {
            let run = &mut out[start..end as usize];
            match run.len() > SHORT_PART {
                true => run.sort_unstable_by(cmp),
                false => insertion_sort(run, cmp),
            }
            start = end as usize;
        }
        b.copy_from_slice(out);
    }
}

/// Sort a short slice by insertion (stable).
fn insertion_sort(v: &mut [KeyedRow], cmp: &impl Fn(&KeyedRow, &KeyedRow) -> Ordering) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && cmp(&v[j - 1], &x).is_gt() {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

/// Value buckets of one group: `count` buckets of equal width from `lo`, monotone in the value.
#[derive(Clone, Copy)]
struct Buckets {
    lo: f64,
    scale: f64,
    count: usize,
}

impl Buckets {
    /// Buckets for `m` values in `[lo, hi]`: about 1024 values each, at most 8192 buckets.
    fn new(lo: f64, hi: f64, m: usize) -> Self {
        let count = (m / 1024).clamp(1, 1 << 13);
        let width = hi - lo;
        let scale = if width > 0.0 && width.is_finite() {
            count as f64 / width
        } else {
            0.0
        };
        Buckets { lo, scale, count }
    }

    fn of(&self, x: f64) -> usize {
        (((x - self.lo) * self.scale) as usize).min(self.count - 1)
    }
}

/// The number of `true` flags, in parallel (a sum of bytes, which vectorises): the size of a
/// group for [`scatter_two_groups`] when it is a column of flags.
pub(crate) fn count_true(flags: &[bool]) -> usize {
    flags
        .par_chunks(SCAN)
        .map(|c| c.iter().map(|&f| usize::from(f)).sum::<usize>())
        .sum()
}

/// Scatter rows `0..n` into each group's value buckets: `sizes`, when the caller knows them
/// cheaply, the number of rows in each group (they must be exact; else they are counted);
/// `group(i)` is row `i`'s group (0 or 1; `None` leaves it out), `value(i)` the finite number
/// the buckets cut, `key(x)` the entry's key for that value. The buckets are monotone in the value, so a key that orders like the value
/// (or nearly: see the matching kernel's mending) leaves the buckets in order.
///
/// One pass finds each group's range (on a sample of the rows when there are a million or more)
/// and size, a second counts each fixed row part's rows per bucket while the results are
/// allocated (the allocation of a large block may take as long as that pass: see
/// `raa-impact-alloc`), a third writes every part's rows into
/// its own segments of the results (bucket-major, then part), so no second copy of a group is
/// ever held, every row is read two or three times for both groups, and the result does not
/// depend on the thread count.
pub(crate) fn scatter_two_groups(
    n: usize,
    sizes: Option<[usize; 2]>,
    group: impl Fn(usize) -> Option<usize> + Sync,
    value: impl Fn(usize) -> f64 + Sync,
    key: impl Fn(f64) -> u64 + Sync,
) -> [Bucketed; 2] {
    let chunks = n.div_ceil(SCAN);
    let range = |k: usize| k * SCAN..((k + 1) * SCAN).min(n);
    type Range3 = (f64, f64, usize);
    let empty: Range3 = (f64::INFINITY, f64::NEG_INFINITY, 0);
    // `lower`/`upper`: plain comparisons (the values are finite), cheaper than `f64::min`.
    let join = |a: Range3, b: Range3| (lower(a.0, b.0), upper(a.1, b.1), a.2 + b.2);
    // The buckets need only a range and a size that are about right, and a row sampled at a
    // fixed stride gives them: a value outside the sampled range goes to the end bucket on its
    // side, so the buckets stay monotone; the exact counts come from the counting pass.
    let stride = if n >= SAMPLED { STRIDE } else { 1 };
    // Each group's exact size, unless given, is counted on the way (every row's group).
    let (sampled, counted) = (0..chunks)
        .into_par_iter()
        .map(|k| {
            let mut r = [empty; 2];
            for i in range(k).step_by(stride) {
                if let Some(g) = group(i) {
                    let x = value(i);
                    r[g] = join(r[g], (x, x, 1));
                }
            }
            let mut in_group = [0usize; 2];
            if sizes.is_none() {
                for i in range(k) {
                    if let Some(g) = group(i) {
                        in_group[g] += 1;
                    }
                }
            }
            (r, in_group)
        })
        .reduce(
            || ([empty; 2], [0; 2]),
            |a, b| {
                let r = [join(a.0[0], b.0[0]), join(a.0[1], b.0[1])];
                (r, [a.1[0] + b.1[0], a.1[1] + b.1[1]])
            },
        );
    let sizes = sizes.unwrap_or(counted);
    let buckets = sampled.map(|(lo, hi, m)| Buckets::new(lo, hi, m * stride));
    let per = n.div_ceil(PARTS).max(1);
    let rows =
        |k: usize| (k * per..((k + 1) * per).min(n)).filter_map(|i| group(i).map(|g| (i, g)));
    // The results are allocated while the rows are counted: zeroed, not filled, a large block
    // comes from the system as zero pages (the extension's allocator maps it populated, which
    // takes a while for 12 bytes a row), and no pass writes zeros over it.
    let (pairs, counts): ([Vec<KeyedRow>; 2], Vec<[Vec<usize>; 2]>) = rayon::join(
        || sizes.map(bytemuck::zeroed_vec),
        || {
            (0..PARTS)
                .into_par_iter()
                .map(|k| {
                    let mut c = buckets.map(|b| vec![0usize; b.count]);
                    for (i, g) in rows(k) {
                        c[g][buckets[g].of(value(i))] += 1;
                    }
                    c
                })
                .collect()
        },
    );
    let [control_pairs, treated_pairs] = pairs;
    let mut out = [(0, control_pairs), (1, treated_pairs)].map(|(g, pairs)| {
        let nb = buckets[g].count;
        let mut starts = vec![0usize; nb + 1];
        for b in 0..nb {
            starts[b + 1] = starts[b] + counts.iter().map(|c| c[g][b]).sum::<usize>();
        }
        debug_assert_eq!(pairs.len(), starts[nb], "the sizes count the rows counted");
        Bucketed { pairs, starts }
    });
    let mut segments: Vec<[Vec<&mut [KeyedRow]>; 2]> = (0..PARTS)
        .map(|_| buckets.map(|b| Vec::with_capacity(b.count)))
        .collect();
    for (g, bucketed) in out.iter_mut().enumerate() {
        let mut rest: &mut [KeyedRow] = &mut bucketed.pairs;
        for b in 0..buckets[g].count {
            for (k, c) in counts.iter().enumerate() {
                let (a, r) = std::mem::take(&mut rest).split_at_mut(c[g][b]);
                segments[k][g].push(a);
                rest = r;
            }
        }
    }
    segments
        .into_par_iter()
        .enumerate()
        .for_each(|(k, mut seg)| {
            let mut fill = buckets.map(|b| vec![0usize; b.count]);
            for (i, g) in rows(k) {
                let x = value(i);
                let b = buckets[g].of(x);
                seg[g][b][fill[g][b]] = KeyedRow {
                    key: key(x),
                    row: i as u32,
                };
                fill[g][b] += 1;
            }
        });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::float_order::ordered_bits;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// One bucket's sort gives the comparison sort's order, whatever the spread of its keys (one
    /// entry a part, long parts of clumped or tied values, keys spanning all 64 bits) and whatever
    /// the tie rule (`cmp` may order tied keys against the bucket's order).
    #[test]
    fn bucket_sort_equals_a_comparison_sort() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let by_row = |a: &KeyedRow, b: &KeyedRow| KeyedRow::cmp(a, b);
        let rows_reversed =
            |a: &KeyedRow, b: &KeyedRow| { a.key }.cmp(&{ b.key }).then({ b.row }.cmp(&{ a.row }));
        let mut scratch = Scratch::default();
        for n in [0, 1, 5, 63, 64, 65, 200, 1000, 5000] {
            let shapes: [&dyn Fn(&mut ChaCha8Rng) -> f64; 5] = [
                &|r| 1.0 + r.random::<f64>() * 1e-3,
                // Nine in ten in a sliver: a few parts hold almost everything.
                &|r| match r.random::<f64>() < 0.9 {
                    true => 1.0 + r.random::<f64>() * 1e-12,
                    false => 1.0 + r.random::<f64>(),
                },
                &|r| f64::from(r.random_range(0..4_u8)),
                &|r| (r.random::<f64>() - 0.5) * 1e300,
                &|_| 7.0,
            ];
            for (s, shape) in shapes.iter().enumerate() {
                let bucket: Vec<KeyedRow> = (0..n)
                    .map(|i| KeyedRow {
                        key: ordered_bits(shape(&mut rng)),
                        row: i as u32,
                    })
                    .collect();
                let mut got = bucket.clone();
                let mut want = bucket.clone();
                scratch.sort(&mut got, &by_row);
                want.sort_unstable_by(by_row);
                assert_eq!(got, want, "n={n} shape {s}");
                scratch.sort(&mut got, &rows_reversed);
                want.sort_unstable_by(rows_reversed);
                assert_eq!(got, want, "n={n} shape {s}, rows reversed");
            }
        }
    }

    /// From a million rows on, the range is taken from a sample: values beyond it (here the
    /// extremes sit on rows the sample skips) go to the end buckets, and a group whose rows are
    /// all skipped still gets all of them, so both groups come out whole and in order.
    #[test]
    fn sampled_range_keeps_every_row_in_order() {
        let n = SAMPLED + 12_345;
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut x: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        x[17] = -1e9;
        x[n - 3] = 1e9;
        x[1001] = 2.0;
        // Group 1: three rows, none of them sampled (rows 0, 16, 32, ... are).
        let group = |i: usize| Some(usize::from(matches!(i, 1 | 5000 | 777_777)));
        let mut got = scatter_two_groups(n, None, group, |i| x[i], ordered_bits);
        sort_buckets(&mut got, KeyedRow::cmp);
        for (g, bucketed) in got.iter().enumerate() {
            let mut want: Vec<KeyedRow> = (0..n)
                .filter(|&i| group(i) == Some(g))
                .map(|i| KeyedRow {
                    key: ordered_bits(x[i]),
                    row: i as u32,
                })
                .collect();
            want.sort_unstable();
            assert_eq!(bucketed.pairs, want, "group {g}");
        }
        assert_eq!(got[1].pairs.len(), 3);
    }
}
