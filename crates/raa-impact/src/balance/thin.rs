//! A sorted column thinned to the rows later weights may reach: the eCDF statistics of those
//! weights on the whole column's grid, without the whole column.

use rayon::prelude::*;

use super::ecdf::{run_sum, statistics};
use crate::row_set::RowSet;
use crate::{Error, Result};

/// A kept entry: its row and its place on the whole column's grid (the number of distinct values
/// of the whole column below its value; entries with one value share it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct GridEntry {
    pub(super) row: u32,
    pub(super) at: u32,
}

/// The entries of a sorted column whose rows were kept, each group in sorted order, with the size
/// of the whole column's grid: made by
/// [`SortedColumn::differences_and_thin`](super::ecdf::SortedColumn::differences_and_thin).
///
/// The eCDF mean is an average over every distinct value of the whole column, rows of zero
/// weight included (MatchIt's grid). Between two kept values the weighted eCDFs do not move, so
/// each kept value's difference stands for the grid values up to the next kept one. The whole
/// column's walk adds a difference once per run of grid values with unchanged cumulative weights
/// within a span, times the run's length; the same runs are cut here (a kept row of zero weight
/// leaves the cumulative weights, and so the run, unchanged), and the span sums are added in
/// order, as that walk adds them, so the sums have the same bits.
#[derive(Debug, Clone)]
pub struct ThinColumn {
    /// Controls (`[0]`) and treated (`[1]`).
    groups: [Vec<GridEntry>; 2],
    /// Distinct values of the whole column.
    grid: usize,
    /// Rows of the whole column.
    n: usize,
    /// The grid place where each span of the whole column's walk starts (ascending, from 0).
    span_starts: Vec<u32>,
}

impl ThinColumn {
    pub(super) fn new(
        mut groups: [Vec<GridEntry>; 2],
        grid: usize,
        n: usize,
        span_starts: Vec<u32>,
    ) -> Self {
        groups.iter_mut().for_each(Vec::shrink_to_fit);
        ThinColumn {
            groups,
            grid,
            n,
            span_starts,
        }
    }

    /// Number of kept entries.
    pub fn len(&self) -> usize {
        self.groups[0].len() + self.groups[1].len()
    }

    /// True when no entry was kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// eCDF mean and max under the weights `values` of `rows` (ascending, no repeats; every
    /// other row weighs zero). Errors when the two lengths differ or a row with a weight was not
    /// kept.
    pub fn differences(&self, rows: &[u32], values: &[f64]) -> Result<(f64, f64)> {
        if rows.len() != values.len() {
            return Err(Error::argument(
                "adjusted weights",
                format!("{} rows but {} weights", rows.len(), values.len()),
            ));
        }
        if let Some(&r) = rows.iter().find(|&&r| r as usize >= self.n) {
            return Err(Error::argument(
                "adjusted weights",
                format!("row {r} is beyond the column's {} rows", self.n),
            ));
        }
        let set = RowSet::from_rows(self.n, rows.iter().copied());
        let found: usize = self
            .groups
            .par_iter()
            .map(|g| g.par_iter().filter(|e| set.contains(e.row)).count())
            .sum();
        if found != set.len() {
            return Err(Error::argument(
                "adjusted weights",
                format!(
                    "{} weighted rows were not kept when the column was thinned",
                    set.len() - found
                ),
            ));
        }
        // The weights are read in sorted order, which is random in the rows: gathered in
        // parallel first, the reads overlap; inside the walk each would wait for memory.
        let [wc, wt] = [0, 1].map(|g| weights_in_order(&self.groups[g], &set, values));
        // Totals in sorted order, as the whole walk adds them (a zero changes no sum).
        let [tc, tt] = [&wc, &wt].map(|w| w.iter().fold(0.0, |a, x| a + x));
        let [control, treated] = &self.groups;
        let (mut i, mut j) = (0, 0);
        let mut cum = [0.0_f64; 2];
        let mut previous: Option<[f64; 2]> = None;
        let mut sums = SpanSums::new(&self.span_starts);
        // Grid values below the first kept one add zero differences, which change no sum.
        while let Some(at) = next_at(control, i, treated, j) {
            while control.get(i).is_some_and(|e| e.at == at) {
                cum[0] += wc[i];
                i += 1;
            }
            while treated.get(j).is_some_and(|e| e.at == at) {
                cum[1] += wt[j];
                j += 1;
            }
            let until = next_at(control, i, treated, j).unwrap_or(self.grid as u32);
            let d = (cum[1] / tt - cum[0] / tc).abs();
            // The same difference at every grid value up to the next kept one, and at the kept
            // ones before it while the cumulative weights did not change.
            sums.repeat(d, at, until, previous == Some(cum));
            previous = Some(cum);
        }
        let (sum, max) = sums.finish();
        Ok(statistics(tc, tt, sum, max, self.grid))
    }
}

/// The sum of differences over grid values as the whole column's walk forms it: a sum per span
/// (the grid places from one span start to the next) of each run's difference times its length
/// ([`run_sum`]), and the span sums added in order.
struct SpanSums<'a> {
    /// Starts of the spans after the current one.
    next: &'a [u32],
    /// The current span's sum.
    span: f64,
    /// The current run's difference and its grid values so far in the current span.
    run: Option<f64>,
    length: u32,
    total: f64,
    max: f64,
}

impl<'a> SpanSums<'a> {
    fn new(span_starts: &'a [u32]) -> Self {
        SpanSums {
            next: span_starts.get(1..).unwrap_or_default(),
            span: 0.0,
            run: None,
            length: 0,
            total: 0.0,
            max: 0.0,
        }
    }

    /// Difference `d` at each grid value in `from..until` (ascending calls, no overlaps);
    /// `same`: the cumulative weights are those of the call before (the run goes on).
    fn repeat(&mut self, d: f64, from: u32, until: u32, same: bool) {
        if !same {
            self.end_run();
        }
        let mut at = from;
        while at < until {
            // Close the spans that end at or before `at` (zero differences filled their rest).
            while self.next.first().is_some_and(|&s| s <= at) {
                self.close();
            }
            let stop = self.next.first().map_or(until, |&s| s.min(until));
            self.run = Some(d);
            self.length += stop - at;
            at = stop;
        }
        self.max = self.max.max(d);
    }

    fn end_run(&mut self) {
        self.span += run_sum(self.run, self.length);
        self.length = 0;
    }

    fn close(&mut self) {
        self.end_run();
        self.total += self.span;
        self.span = 0.0;
        self.next = &self.next[1..];
    }

    /// The total over every span, and the largest difference.
    fn finish(mut self) -> (f64, f64) {
        while !self.next.is_empty() {
            self.close();
        }
        self.end_run();
        self.total += self.span;
        (self.total, self.max)
    }
}

/// The weight of each entry, in order (zero for a kept row without weight).
fn weights_in_order(group: &[GridEntry], set: &RowSet, values: &[f64]) -> Vec<f64> {
    group
        .par_iter()
        .with_min_len(1 << 12)
        .map(|e| match set.contains(e.row) {
            true => values[set.rank(e.row)],
            false => 0.0,
        })
        .collect()
}

/// The smaller grid place of the next entries of the two groups.
fn next_at(a: &[GridEntry], i: usize, b: &[GridEntry], j: usize) -> Option<u32> {
    match (a.get(i), b.get(j)) {
        (Some(x), Some(y)) => Some(x.at.min(y.at)),
        (x, y) => x.or(y).map(|e| e.at),
    }
}
