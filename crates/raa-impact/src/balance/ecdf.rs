//! Differences between the weighted empirical CDFs of two groups (eCDF mean and max = KS).

use std::ops::Range;

use rayon::prelude::*;

use super::thin::GridEntry;
pub use super::thin::ThinColumn;
use crate::branch_free::all_values;
use crate::float_order::{ordered_bits, KeyedRow};
use crate::row_set::RowSet;
use crate::value_buckets::{count_true, scatter_two_groups, sort_buckets};

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

/// Weights of the rows for [`SortedColumn::differences_of`].
#[derive(Debug, Clone, Copy)]
pub enum EcdfWeights<'a> {
    /// Every row weighs one.
    Unit,
    /// One weight per row.
    Dense(&'a [f64]),
    /// The rows with a non-zero weight (ascending, no repeats) and their weights; every other row
    /// weighs zero. The rows are found through a [`RowSet`] (one bit per row, in cache), so no
    /// weight vector as long as the data is built, and only their weights are added.
    Sparse {
        /// Rows, ascending.
        rows: &'a [u32],
        /// Their weights.
        values: &'a [f64],
    },
}

/// A column with each group sorted once by (value, row), so that the eCDF statistics of any set
/// of weights (before and after matching) cost one pass that merges the two groups.
///
/// Sums follow sorted order and, within a run of tied values, row order, so the statistics are
/// bit-identical on any machine and however the groups were sorted. Each group's cumulative weight
/// only ever adds its own rows, so merging the two sorted groups gives the same sums as sorting the
/// whole column: a matching kernel that has already sorted both groups hands them over
/// ([`SortedColumn::from_sorted_groups`]) and no sort is repeated.
///
/// The sorted entries are the only copy, 12 bytes a row ([`KeyedRow`]): values are decoded from
/// the key and weights read through the row. Columns of up to 2^32 − 1 rows.
pub struct SortedColumn {
    /// Controls (`[0]`) and treated (`[1]`), each sorted by (key, row).
    groups: [Vec<KeyedRow>; 2],
}

impl SortedColumn {
    /// Sort `x` within each group. Panics on 2^32 rows or more.
    ///
    /// Large samples spend most of this in the sort: a bucket sort on the value (see
    /// `value_buckets`: one scatter of the rows into buckets of about a thousand, then each
    /// bucket sorted in cache), which makes fewer passes over memory than the parallel radix sort
    /// it replaced (eight passes over 64-bit keys) and leaves ties in row order without a second
    /// pass. A column with non-finite values (which the balance table rejects first) is sorted
    /// whole instead.
    pub fn new(x: &[f64], treated: &[bool]) -> Self {
        assert!(
            x.len() <= u32::MAX as usize,
            "a balance column of 2^32 rows or more"
        );
        if !all_values(x, f64::is_finite) {
            return Self::sorted_whole(x, treated);
        }
        let treated_rows = count_true(&treated[..x.len()]);
        let mut groups = scatter_two_groups(
            x.len(),
            Some([x.len() - treated_rows, treated_rows]),
            |i| Some(usize::from(treated[i])),
            |i| x[i],
            ordered_bits,
        );
        sort_buckets(&mut groups, KeyedRow::cmp);
        SortedColumn {
            groups: groups.map(|g| g.pairs),
        }
    }

    /// Each group sorted by a parallel comparison sort of the whole group.
    fn sorted_whole(x: &[f64], treated: &[bool]) -> Self {
        let group = |g: bool| {
            let mut v: Vec<KeyedRow> = (0..x.len())
                .into_par_iter()
                .with_min_len(1 << 14)
                .filter(|&i| treated[i] == g)
                .map(|i| KeyedRow {
                    key: ordered_bits(x[i]),
                    row: i as u32,
                })
                .collect();
            v.par_sort_unstable();
            v
        };
        let (control, treated) = rayon::join(|| group(false), || group(true));
        SortedColumn {
            groups: [control, treated],
        }
    }

    /// From both groups already sorted: `control` and `treated` must each be sorted by (key, row)
    /// (rows tied on a value in row order, see
    /// [`rows_in_order_within_ties`](crate::float_order::rows_in_order_within_ties)) and hold
    /// every row of their group once.
    pub fn from_sorted_groups(control: Vec<KeyedRow>, treated: Vec<KeyedRow>) -> Self {
        debug_assert!(control.windows(2).all(|p| p[0] < p[1]));
        debug_assert!(treated.windows(2).all(|p| p[0] < p[1]));
        SortedColumn {
            groups: [control, treated],
        }
    }

    /// eCDF mean and max under the weights `w` (indexed by the original rows; `None`: all 1).
    pub fn differences(&self, w: Option<&[f64]>) -> (f64, f64) {
        let w = w.map_or(EcdfWeights::Unit, EcdfWeights::Dense);
        self.differences_of(&[w])[0]
    }

    /// eCDF mean and max under each set of weights, all in one pass over the sorted values.
    ///
    /// The sorted values are cut into spans at value boundaries (fixed by the column, not by the
    /// thread count), each span's differences (one per distinct value) are computed and summed
    /// in order in parallel from the cumulative weights at its start, and the span sums are then
    /// added in span order. The cumulative weights themselves are added in sorted order.
    pub fn differences_of(&self, sets: &[EcdfWeights]) -> Vec<(f64, f64)> {
        self.walk(sets, None).0
    }

    /// [`SortedColumn::differences_of`], and the column thinned to the rows of `keep`: the rows
    /// that later weights may reach (a matched set), each with its place on the whole column's
    /// grid of distinct values. The sorted column is consumed: a caller that holds 12 bytes for
    /// every row frees them here and keeps 8 for each kept row, yet the eCDF statistics of those
    /// later weights ([`ThinColumn::differences`]) are the same, bit for bit, as
    /// [`SortedColumn::differences_of`] would give.
    ///
    /// ```
    /// use raa_impact::balance::ecdf::{EcdfWeights, SortedColumn};
    /// use raa_impact::row_set::RowSet;
    /// let x = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0];
    /// let treated = [true, false, true, false, true, false];
    /// let (rows, w) = ([0u32, 1, 4, 5], [1.0, 2.0, 1.0, 0.5]);
    /// let sorted = SortedColumn::new(&x, &treated);
    /// let full = sorted.differences_of(&[EcdfWeights::Sparse { rows: &rows, values: &w }]);
    /// let keep = RowSet::from_rows(x.len(), rows.iter().copied());
    /// let (before, thin) = sorted.differences_and_thin(&[EcdfWeights::Unit], &keep);
    /// assert_eq!(before.len(), 1);
    /// assert_eq!(thin.differences(&rows, &w).unwrap(), full[0]);
    /// ```
    pub fn differences_and_thin(
        self,
        sets: &[EcdfWeights],
        keep: &RowSet,
    ) -> (Vec<(f64, f64)>, ThinColumn) {
        let (d, thin) = self.walk(sets, Some(keep));
        (d, thin.expect("a walk with rows to keep returns them"))
    }

    /// The walk of both: the differences of `sets`, and the entries whose rows are in `keep`.
    fn walk(
        &self,
        sets: &[EcdfWeights],
        keep: Option<&RowSet>,
    ) -> (Vec<(f64, f64)>, Option<ThinColumn>) {
        let n = self.groups[0].len() + self.groups[1].len();
        let spans = self.spans();
        let weights: Vec<[GroupWeights; 2]> = sets
            .iter()
            .map(|s| {
                let members = match s {
                    EcdfWeights::Sparse { rows, .. } => {
                        Some(RowSet::from_rows(n, rows.iter().copied()))
                    }
                    _ => None,
                };
                let [control, treated] = &self.groups;
                let (c, t) = rayon::join(
                    || GroupWeights::new(*s, members.as_ref(), control, &spans, 0),
                    || GroupWeights::new(*s, members.as_ref(), treated, &spans, 1),
                );
                [c, t]
            })
            .collect();
        let totals: Vec<[f64; 2]> = weights.iter().map(|w| [w[0].total, w[1].total]).collect();
        // One set of unit weights (the balance of a matching distance before matching): the
        // branch-free walk, which gives the same differences and kept entries.
        let unit = matches!(weights.as_slice(), [[a, b]] if a.is_unit() && b.is_unit())
            && self
                .groups
                .iter()
                .all(|g| g.last().is_none_or(|e| e.key < u64::MAX));
        let mut sums = vec![(0.0_f64, 0.0_f64); sets.len()];
        let mut count = 0usize;
        let mut span_starts = Vec::with_capacity(spans.len());
        let mut kept: [Vec<GridEntry>; 2] = Default::default();
        // Each span's sums of differences, added in span order while the next wave is computed.
        let mut add = |walks: Vec<SpanWalk>| {
            for w in walks {
                // Kept entries are placed on the span's grid; the spans before it come first.
                for (all, span) in kept.iter_mut().zip(&w.kept) {
                    all.extend(span.iter().map(|e| GridEntry {
                        row: e.row,
                        at: e.at + count as u32,
                    }));
                }
                span_starts.push(count as u32);
                count += w.distinct;
                for (acc, part) in sums.iter_mut().zip(&w.sums) {
                    acc.0 += part.0;
                    acc.1 = acc.1.max(part.1);
                }
            }
        };
        let mut pending: Vec<SpanWalk> = Vec::new();
        for (w0, wave) in spans.chunks(WAVE).enumerate() {
            let compute = || {
                wave.par_iter()
                    .enumerate()
                    .map_init(UnitScratch::default, |scratch, (k, span)| match unit {
                        true => self.span_differences_unit(span, totals[0], keep, scratch),
                        false => {
                            self.span_differences(span, w0 * WAVE + k, &weights, &totals, keep)
                        }
                    })
                    .collect::<Vec<_>>()
            };
            let previous = std::mem::take(&mut pending);
            let ((), ds) = rayon::join(|| add(previous), compute);
            pending = ds;
        }
        add(pending);
        let thin = keep.map(|_| ThinColumn::new(kept, count, n, span_starts));
        let stats = totals
            .iter()
            .zip(&sums)
            .map(|(&[tc, tt], &(sum, max))| statistics(tc, tt, sum, max, count))
            .collect();
        (stats, thin)
    }

    /// Spans of both groups cut at value boundaries (a run of tied values never straddles two),
    /// about `SPAN` entries of the larger group each.
    fn spans(&self) -> Vec<[Range<usize>; 2]> {
        let [control, treated] = &self.groups;
        let lead = if control.len() >= treated.len() {
            control
        } else {
            treated
        };
        let mut cuts: Vec<u64> = (SPAN..lead.len())
            .step_by(SPAN)
            .map(|i| lead[i].key)
            .collect();
        cuts.dedup();
        let at = |g: &[KeyedRow], key: u64| g.partition_point(|e| e.key < key);
        let mut spans = Vec::with_capacity(cuts.len() + 1);
        let mut start = [0usize; 2];
        for key in cuts {
            let end = [at(control, key), at(treated, key)];
            spans.push([start[0]..end[0], start[1]..end[1]]);
            start = end;
        }
        spans.push([start[0]..control.len(), start[1]..treated.len()]);
        spans
    }

    /// [`SortedColumn::span_differences`] for one set of unit weights, without a branch on the
    /// data: the two groups are merged an entry at a time, the cumulative weights are the
    /// counts, and the difference is written at every entry but kept (the slot advanced) only
    /// at the last entry of a run of equal values; a kept entry likewise. Merging and runs are
    /// about as unpredictable as the treated rows are scattered, so branches there were mostly
    /// mispredicted. Keys must be below `u64::MAX` (the end of each group reads as it).
    fn span_differences_unit(
        &self,
        span: &[Range<usize>; 2],
        [tc, tt]: [f64; 2],
        keep: Option<&RowSet>,
        scratch: &mut UnitScratch,
    ) -> SpanWalk {
        let [control, treated] = &self.groups;
        let (mut i0, mut i1) = (span[0].start, span[1].start);
        let (end0, end1) = (span[0].end, span[1].end);
        let key = |g: &[KeyedRow], i: usize, end: usize| match i < end {
            true => g[i].key,
            false => u64::MAX,
        };
        let steps = (end0 - i0) + (end1 - i1);
        let mut sum = (0.0_f64, 0.0_f64);
        // Every entry is written to its group's next slot, which only a kept entry advances:
        // slots for the whole span, reused from span to span (what earlier spans left there is
        // overwritten before it is read), so no buffer as long as the span is zeroed each time.
        let UnitScratch { kept, members } = scratch;
        if keep.is_some() {
            for (k, len) in kept.iter_mut().zip([end0 - i0, end1 - i1]) {
                if k.len() < len {
                    k.resize(len, GridEntry { row: 0, at: 0 });
                }
            }
        }
        let mut n_kept = [0usize; 2];
        // Membership read for every entry first: the reads are independent and overlap, where
        // inside the walk each would wait for the one before (the next slot depends on it).
        for (m, (g, r)) in members
            .iter_mut()
            .zip([(control, &span[0]), (treated, &span[1])])
        {
            m.clear();
            if let Some(keep) = keep {
                m.extend(g[r.clone()].iter().map(|e| u8::from(keep.contains(e.row))));
                m.push(0);
            }
        }
        let [m0, m1] = &*members;
        let (s0, s1) = (i0, i1);
        let mut distinct = 0usize;
        let (mut k0, mut k1) = (key(control, i0, end0), key(treated, i1, end1));
        for _ in 0..steps {
            let take_control = k0 <= k1;
            let value = k0.min(k1);
            let g = usize::from(!take_control);
            if keep.is_some() {
                let (row, member) = match take_control {
                    true => (control[i0].row, m0[i0 - s0]),
                    false => (treated[i1].row, m1[i1 - s1]),
                };
                kept[g][n_kept[g]] = GridEntry {
                    row,
                    at: distinct as u32,
                };
                n_kept[g] += usize::from(member);
            }
            i0 += usize::from(take_control);
            i1 += usize::from(!take_control);
            k0 = key(control, i0, end0);
            k1 = key(treated, i1, end1);
            // Added (and compared) at the last entry of a run only; elsewhere zero is added,
            // which leaves the sum as it was (it is never -0.0).
            let last = k0.min(k1) != value;
            let d = (i1 as f64 / tt - i0 as f64 / tc).abs();
            let d = if last { d } else { 0.0 };
            sum.0 += d;
            sum.1 = sum.1.max(d);
            distinct += usize::from(last);
        }
        SpanWalk {
            sums: vec![sum],
            distinct,
            kept: [0, 1].map(|g| kept[g][..n_kept[g]].to_vec()),
        }
    }

    /// The sum and maximum of the differences over the distinct values of span `k`, one pair
    /// per set of weights.
    fn span_differences(
        &self,
        span: &[Range<usize>; 2],
        k: usize,
        weights: &[[GroupWeights; 2]],
        totals: &[[f64; 2]],
        keep: Option<&RowSet>,
    ) -> SpanWalk {
        let [control, treated] = &self.groups;
        let mut walks: Vec<[SpanCursor; 2]> = weights
            .iter()
            .map(|w| [0, 1].map(|g| w[g].cursor(&self.groups[g], span[g].clone(), k)))
            .collect();
        let mut last: Vec<Option<([f64; 2], f64)>> = vec![None; weights.len()];
        // Distinct values since the cumulative weights last changed, not yet added.
        let mut runs = vec![0u32; weights.len()];
        let mut sums = vec![(0.0_f64, 0.0_f64); weights.len()];
        let mut kept: [Vec<GridEntry>; 2] = Default::default();
        let mut distinct = 0u32;
        let (mut i0, mut i1) = (span[0].start, span[1].start);
        let (end0, end1) = (span[0].end, span[1].end);
        loop {
            let key = match (i0 < end0, i1 < end1) {
                (true, true) => control[i0].key.min(treated[i1].key),
                (true, false) => control[i0].key,
                (false, true) => treated[i1].key,
                (false, false) => break,
            };
            let e0 = run_end(&control[..end0], i0, key);
            let e1 = run_end(&treated[..end1], i1, key);
            if let Some(keep) = keep {
                for (g, run) in [(0, &control[i0..e0]), (1, &treated[i1..e1])] {
                    kept[g].extend(run.iter().filter(|e| keep.contains(e.row)).map(|e| {
                        GridEntry {
                            row: e.row,
                            at: distinct,
                        }
                    }));
                }
            }
            distinct += 1;
            let each = walks.iter_mut().zip(&mut last).zip(totals).zip(&mut sums);
            for ((((w, last), &[tc, tt]), sum), run) in each.zip(&mut runs) {
                let cum = [w[0].advance(e0), w[1].advance(e1)];
                // The eCDFs are compared after the last row of each run of equal values. While
                // the cumulative weights stay the same (rows of zero weight), so does the
                // difference: it is added once for the whole run (see `run_sum`).
                match *last {
                    Some((c, _)) if c == cum => *run += 1,
                    _ => {
                        sum.0 += run_sum(last.map(|(_, d)| d), *run);
                        let d = (cum[1] / tt - cum[0] / tc).abs();
                        *last = Some((cum, d));
                        *run = 1;
                        sum.1 = sum.1.max(d);
                    }
                }
            }
            (i0, i1) = (e0, e1);
        }
        for ((sum, last), run) in sums.iter_mut().zip(&last).zip(&runs) {
            sum.0 += run_sum(last.map(|(_, d)| d), *run);
        }
        SpanWalk {
            sums,
            distinct: distinct as usize,
            kept,
        }
    }
}

/// Buffers of [`SortedColumn::span_differences_unit`], reused by a thread from span to span:
/// each group's slots for kept entries and its membership flags.
#[derive(Default)]
struct UnitScratch {
    kept: [Vec<GridEntry>; 2],
    members: [Vec<u8>; 2],
}

/// What the walk of one span gives: the sum and maximum of its differences (one pair per set of
/// weights), the number of distinct values, and the kept entries of each group, placed on the
/// span's own grid.
struct SpanWalk {
    sums: Vec<(f64, f64)>,
    distinct: usize,
    kept: [Vec<GridEntry>; 2],
}

/// What a run of `run` distinct values adds to a span's sum of differences, all of them with
/// `difference` (`None`: no run): the difference times the run's length, so the sum of a
/// span costs one addition per change of the cumulative weights, not one per distinct value.
/// Every walk (the whole column's, the thinned column's) cuts runs the same way: where the
/// cumulative weights change and at span starts; so their sums have the same bits.
pub(super) fn run_sum(difference: Option<f64>, run: u32) -> f64 {
    difference.map_or(0.0, |d| d * f64::from(run))
}

/// The eCDF mean and max from the sums over `count` distinct values and the group totals.
pub(super) fn statistics(tc: f64, tt: f64, sum: f64, max: f64, count: usize) -> (f64, f64) {
    if tt <= 0.0 || tc <= 0.0 {
        (f64::NAN, f64::NAN)
    } else if count == 0 {
        (f64::NAN, 0.0)
    } else {
        (sum / count as f64, max)
    }
}

/// Entries of the larger group per span of [`SortedColumn::differences_of`].
const SPAN: usize = 1 << 15;
/// Spans computed in parallel before their differences are added (bounds the buffers).
const WAVE: usize = 8;

/// One past the last entry of `v` from `i` on whose key is `key`.
fn run_end(v: &[KeyedRow], mut i: usize, key: u64) -> usize {
    while v.get(i).is_some_and(|e| e.key == key) {
        i += 1;
    }
    i
}

/// One group's weights under one set of weights, as the spans need them: how to read them, the
/// group's total (added in sorted order) and its cumulative weight at each span's start.
struct GroupWeights<'a> {
    kind: Kind<'a>,
    total: f64,
    /// Cumulative weight before each span (empty for unit weights: the position is the count).
    starts: Vec<f64>,
}

enum Kind<'a> {
    Unit,
    Dense(&'a [f64]),
    /// The entries of non-zero weight of each span, ascending. Entries of zero weight add nothing
    /// (a sum, never `-0.0`, is unchanged by `+0.0`), so only these are read.
    Listed(Vec<Vec<Member>>),
}

/// An entry of non-zero weight: its sorted position and weight (packed: 12 bytes).
#[derive(Clone, Copy, Debug)]
#[repr(C, packed)]
struct Member {
    pos: u32,
    w: f64,
}

const CHUNK: usize = 1 << 15;

impl<'a> GroupWeights<'a> {
    /// Group `g`'s weights; `members`: the rows of sparse weights, when they are.
    fn new(
        set: EcdfWeights<'a>,
        members: Option<&RowSet>,
        group: &[KeyedRow],
        spans: &[[Range<usize>; 2]],
        g: usize,
    ) -> Self {
        let kind = match (set, members) {
            (EcdfWeights::Dense(w), _) => Kind::Dense(w),
            (EcdfWeights::Sparse { values, .. }, Some(members)) => Kind::Listed(
                spans
                    .par_iter()
                    .map(|s| listed(group, s[g].clone(), members, values))
                    .collect(),
            ),
            _ => Kind::Unit,
        };
        // One sequential pass adds the weights in sorted order, noting the sum at span starts.
        let mut starts = Vec::new();
        let total = match &kind {
            Kind::Unit => group.len() as f64,
            Kind::Dense(w) => {
                let mut acc = 0.0;
                let mut buf = Vec::new();
                let mut next = spans.iter().map(|s| s[g].start).peekable();
                for from in (0..group.len()).step_by(CHUNK) {
                    gather(w, group, from, &mut buf);
                    for (i, v) in (from..).zip(&buf) {
                        while next.next_if(|&s| s == i).is_some() {
                            starts.push(acc);
                        }
                        acc += v;
                    }
                }
                starts.extend(next.map(|_| acc));
                acc
            }
            Kind::Listed(per_span) => {
                let mut acc = 0.0;
                for members in per_span {
                    starts.push(acc);
                    acc = members.iter().fold(acc, |a, m| a + { m.w });
                }
                acc
            }
        };
        GroupWeights {
            kind,
            total,
            starts,
        }
    }

    /// True for unit weights.
    fn is_unit(&self) -> bool {
        matches!(self.kind, Kind::Unit)
    }

    /// A cursor over the group's entries `range`, span `k`.
    fn cursor(&self, group: &[KeyedRow], range: Range<usize>, k: usize) -> SpanCursor<'_> {
        match &self.kind {
            Kind::Unit => SpanCursor::Unit,
            Kind::Dense(w) => SpanCursor::Dense {
                w: group[range.clone()]
                    .iter()
                    .map(|e| w[e.row as usize])
                    .collect(),
                at: range.start,
                pos: range.start,
                acc: self.starts[k],
            },
            Kind::Listed(per_span) => SpanCursor::Listed {
                entries: &per_span[k],
                next: 0,
                acc: self.starts[k],
            },
        }
    }
}

/// A group's cumulative weight, advanced over a span a run at a time.
enum SpanCursor<'a> {
    Unit,
    /// The span's weights `w` (entries from `at`), the next entry `pos` and the sum so far.
    Dense {
        w: Vec<f64>,
        at: usize,
        pos: usize,
        acc: f64,
    },
    Listed {
        entries: &'a [Member],
        next: usize,
        acc: f64,
    },
}

impl SpanCursor<'_> {
    /// The cumulative weight of the group's entries before `end` (in sorted order).
    fn advance(&mut self, end: usize) -> f64 {
        match self {
            // A sum of ones is exact: the count itself has the same bits.
            SpanCursor::Unit => end as f64,
            SpanCursor::Dense { w, at, pos, acc } => {
                for v in &w[*pos - *at..end - *at] {
                    *acc += v;
                }
                *pos = end;
                *acc
            }
            SpanCursor::Listed { entries, next, acc } => {
                while let Some(m) = entries.get(*next) {
                    if m.pos as usize >= end {
                        break;
                    }
                    *acc += m.w;
                    *next += 1;
                }
                *acc
            }
        }
    }
}

/// The weights of `group[from..from + CHUNK]`, read through their rows in parallel.
fn gather(w: &[f64], group: &[KeyedRow], from: usize, buf: &mut Vec<f64>) {
    let chunk = &group[from..(from + CHUNK).min(group.len())];
    buf.clear();
    buf.par_extend(
        chunk
            .par_iter()
            .with_min_len(4096)
            .map(|k| w[k.row as usize]),
    );
}

/// The group's entries in `range` whose row is a member, in sorted order, with their weights.
/// The membership is read from a bitset that stays in cache; the members are found first and
/// their weights read after, so that the reads of `values` at random ranks are independent and
/// overlap, which they do not behind the membership branch.
fn listed(
    group: &[KeyedRow],
    range: Range<usize>,
    members: &RowSet,
    values: &[f64],
) -> Vec<Member> {
    // Written at every entry, the next slot taken only by a member: no branch on membership,
    // which is random in sorted order and would be mispredicted about as often as not.
    let mut found = vec![(0u32, 0u32); range.len()];
    let mut k = 0;
    for (e, i) in group[range.clone()].iter().zip(range.start..) {
        found[k] = (i as u32, members.rank(e.row) as u32);
        k += usize::from(members.contains(e.row));
    }
    found.truncate(k);
    found
        .into_iter()
        .map(|(pos, rank)| Member {
            pos,
            w: values[rank as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The branch-free walk of unit weights gives the bits of the general walk (weights of one,
    /// whose sums are the counts), and keeps the same entries: compared through the statistics
    /// of several later weights on the thinned column. Ties within and across groups, runs cut
    /// by span boundaries (several spans), one group empty, and columns of one value.
    #[test]
    fn unit_walk_equals_the_general_walk() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        for (n, levels) in [(150_000, 0), (150_000, 40), (90_000, 3), (500, 0), (7, 1)] {
            for share in [0.1, 0.5, 0.0] {
                let x: Vec<f64> = (0..n)
                    .map(|_| match levels {
                        0 => rng.random::<f64>(),
                        l => f64::from(rng.random_range(0..l)),
                    })
                    .collect();
                let t: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < share).collect();
                let ones = vec![1.0; n];
                let rows: Vec<u32> = (0..n as u32)
                    .filter(|_| rng.random::<f64>() < 0.2)
                    .collect();
                let w: Vec<f64> = rows.iter().map(|_| rng.random::<f64>() + 0.1).collect();
                let keep = RowSet::from_rows(n, rows.iter().copied());
                let sorted = || SortedColumn::new(&x, &t);
                let case = format!("n={n} levels={levels} share={share}");
                let bits = |v: &[(f64, f64)]| -> Vec<(u64, u64)> {
                    v.iter().map(|(a, b)| (a.to_bits(), b.to_bits())).collect()
                };
                assert_eq!(
                    bits(&sorted().differences_of(&[EcdfWeights::Unit])),
                    bits(&sorted().differences_of(&[EcdfWeights::Dense(&ones)])),
                    "{case}"
                );
                let (a, thin_a) = sorted().differences_and_thin(&[EcdfWeights::Unit], &keep);
                let (b, thin_b) =
                    sorted().differences_and_thin(&[EcdfWeights::Dense(&ones)], &keep);
                assert_eq!(bits(&a), bits(&b), "{case}");
                assert_eq!(thin_a.len(), rows.len(), "{case}");
                assert_eq!(thin_a.len(), thin_b.len(), "{case}");
                let half = rows.len() / 2;
                for (r, v) in [(&rows[..], &w[..]), (&rows[..half], &w[..half])] {
                    let got = thin_a.differences(r, v).expect("kept rows");
                    let want = thin_b.differences(r, v).expect("kept rows");
                    assert!(
                        got.0.to_bits() == want.0.to_bits() && got.1.to_bits() == want.1.to_bits(),
                        "{case}: {got:?} vs {want:?}"
                    );
                }
            }
        }
    }

    /// The bucket sort gives exactly the (key, row) order of a sort of the whole group, whatever
    /// the shape of the column: continuous, heavy-tailed, discrete, constant, signed zeros,
    /// subnormals, one group empty, and a skewed column whose first bucket is sorted in parallel.
    #[test]
    fn bucket_sort_equals_a_whole_sort() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let mut columns: Vec<(&str, Vec<f64>)> = Vec::new();
        let n = 200_000;
        let mut draw = |f: &mut dyn FnMut(&mut ChaCha8Rng) -> f64| -> Vec<f64> {
            (0..n).map(|_| f(&mut rng)).collect()
        };
        columns.push(("uniform", draw(&mut |r| r.random::<f64>())));
        columns.push((
            "heavy tail",
            draw(&mut |r| (r.random::<f64>() * 40.0 - 20.0).exp()),
        ));
        columns.push((
            "discrete",
            draw(&mut |r| f64::from(r.random_range(0..6_u8))),
        ));
        columns.push(("constant", vec![2.5; n]));
        columns.push((
            "signed zeros",
            draw(&mut |r| match r.random_range(0..3_u8) {
                0 => -0.0,
                1 => 0.0,
                _ => r.random::<f64>() - 0.5,
            }),
        ));
        columns.push((
            "subnormal",
            draw(&mut |r| f64::from_bits(r.random_range(1..1000_u64)) * r.random::<f64>()),
        ));
        // 99% of the rows in a sliver of the range: one bucket above `LARGE_BUCKET`.
        columns.push((
            "skewed",
            draw(&mut |r| match r.random::<f64>() < 0.99 {
                true => r.random::<f64>(),
                false => 1e6 * r.random::<f64>(),
            }),
        ));
        columns.push(("tiny", vec![3.0, -1.0, 3.0]));
        columns.push(("empty", Vec::new()));
        for (name, x) in &columns {
            for share in [0.3, 0.0, 1.0] {
                let t: Vec<bool> = (0..x.len()).map(|_| rng.random::<f64>() < share).collect();
                let fast = SortedColumn::new(x, &t);
                let whole = SortedColumn::sorted_whole(x, &t);
                assert_eq!(fast.groups, whole.groups, "{name}, share treated {share}");
            }
        }
    }
}
