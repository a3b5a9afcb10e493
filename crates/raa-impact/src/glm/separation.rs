//! Diagnostics for (quasi-)complete separation of a binary outcome.
//!
//! Two checks, no linear programming:
//! * per covariate, the ranges of its values among outcome-0 and outcome-1 rows: if they do not
//!   overlap the covariate separates completely; if they only touch at one value, quasi-completely
//!   (a dummy whose one level has a single outcome is the common case);
//! * when the fit did not converge or reached fitted probabilities of 0 or 1, the fitted linear
//!   predictor itself: a combination of covariates may separate even when none does alone.

use super::accumulate::CHUNK;
use super::design::Design;
use super::warning::{GlmWarning, SeparationKind};
use crate::float_order::{lower, upper};
use rayon::prelude::*;

/// Value ranges of one covariate by outcome (rows with positive weight).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranges {
    min0: f64,
    max0: f64,
    min1: f64,
    max1: f64,
}

impl Ranges {
    pub const EMPTY: Ranges = Ranges {
        min0: f64::INFINITY,
        max0: f64::NEG_INFINITY,
        min1: f64::INFINITY,
        max1: f64::NEG_INFINITY,
    };

    fn merge(self, o: Ranges) -> Ranges {
        Ranges {
            min0: self.min0.min(o.min0),
            max0: self.max0.max(o.max0),
            min1: self.min1.min(o.min1),
            max1: self.max1.max(o.max1),
        }
    }
}

/// Independent minima and maxima per lane, so the loops vectorise (a floating-point minimum
/// carried in one variable cannot be reordered by the compiler).
const LANES: usize = 8;
/// Rows whose group penalties are formed once and reused for every column.
const BLOCK: usize = 1024;

/// Per-lane bounds of one quantity by outcome.
#[derive(Debug, Clone, Copy)]
struct Lanes {
    min0: [f64; LANES],
    max0: [f64; LANES],
    min1: [f64; LANES],
    max1: [f64; LANES],
}

impl Lanes {
    const EMPTY: Lanes = Lanes {
        min0: [f64::INFINITY; LANES],
        max0: [f64::NEG_INFINITY; LANES],
        min1: [f64::INFINITY; LANES],
        max1: [f64::NEG_INFINITY; LANES],
    };

    /// Add rows whose group penalties are `pen0` and `pen1` (0 for a row in the group, +infinity
    /// otherwise): `v + pen` and `v - pen` leave a row out of the group's minimum and maximum
    /// without a branch on the outcome, which is close to random and would be mispredicted about
    /// half the time (these scans were a tenth of a large logistic fit). Values are finite.
    fn add(&mut self, v: &[f64], pen0: &[f64], pen1: &[f64]) {
        let lanes = v
            .chunks_exact(LANES)
            .zip(pen0.chunks_exact(LANES))
            .zip(pen1.chunks_exact(LANES));
        for ((v, p0), p1) in lanes {
            for l in 0..LANES {
                let (lo0, hi0, lo1, hi1) = (v[l] + p0[l], v[l] - p0[l], v[l] + p1[l], v[l] - p1[l]);
                self.min0[l] = lower(self.min0[l], lo0);
                self.max0[l] = upper(self.max0[l], hi0);
                self.min1[l] = lower(self.min1[l], lo1);
                self.max1[l] = upper(self.max1[l], hi1);
            }
        }
        let whole = v.len() - v.len() % LANES;
        for k in whole..v.len() {
            self.min0[0] = self.min0[0].min(v[k] + pen0[k]);
            self.max0[0] = self.max0[0].max(v[k] - pen0[k]);
            self.min1[0] = self.min1[0].min(v[k] + pen1[k]);
            self.max1[0] = self.max1[0].max(v[k] - pen1[k]);
        }
    }

    fn ranges(&self) -> Ranges {
        (0..LANES).fold(Ranges::EMPTY, |r, l| {
            r.merge(Ranges {
                min0: self.min0[l],
                max0: self.max0[l],
                min1: self.min1[l],
                max1: self.max1[l],
            })
        })
    }
}

/// Ranges by outcome of several per-row quantities, added block by block.
#[derive(Debug, Clone)]
pub(crate) struct OutcomeRanges {
    lanes: Vec<Lanes>,
    /// Group penalties of the current block (see [`Lanes::add`]).
    pen0: Vec<f64>,
    pen1: Vec<f64>,
}

impl OutcomeRanges {
    pub fn new(quantities: usize) -> Self {
        OutcomeRanges {
            lanes: vec![Lanes::EMPTY; quantities],
            pen0: Vec::new(),
            pen1: Vec::new(),
        }
    }

    /// Add the rows `start..start + len` (with positive weight) of each column in `values`.
    pub fn add(&mut self, d: &Design<'_>, values: &[&[f64]], start: usize, len: usize) {
        for b in (start..start + len).step_by(BLOCK) {
            let rows = BLOCK.min(start + len - b);
            self.pen0.resize(rows, 0.0);
            self.pen1.resize(rows, 0.0);
            for (k, (p0, p1)) in self.pen0.iter_mut().zip(&mut self.pen1).enumerate() {
                let used = d.weight(b + k) > 0.0;
                let one = d.y[b + k] == 1.0;
                *p0 = if used && !one { 0.0 } else { f64::INFINITY };
                *p1 = if used && one { 0.0 } else { f64::INFINITY };
            }
            for (l, v) in self.lanes.iter_mut().zip(values) {
                l.add(&v[b..b + rows], &self.pen0, &self.pen1);
            }
        }
    }

    pub fn ranges(&self) -> Vec<Ranges> {
        self.lanes.iter().map(Lanes::ranges).collect()
    }
}

/// Ranges by outcome of each quantity in `values` (each a per-row column) over the rows
/// `start..start + len` with positive weight.
fn chunk_ranges(d: &Design<'_>, values: &[&[f64]], start: usize, len: usize) -> Vec<Ranges> {
    let mut r = OutcomeRanges::new(values.len());
    r.add(d, values, start, len);
    r.ranges()
}

/// Merge per-chunk ranges (minima and maxima do not depend on the order).
pub(crate) fn merge(a: Vec<Ranges>, b: Vec<Ranges>) -> Vec<Ranges> {
    a.iter().zip(&b).map(|(a, b)| a.merge(*b)).collect()
}

/// Value ranges by outcome of each per-row quantity in `values` (rows with positive weight), in
/// parallel over the fixed chunks above one chunk (minima and maxima do not depend on the order).
fn ranges(d: &Design<'_>, values: &[&[f64]]) -> Vec<Ranges> {
    if d.n <= CHUNK {
        return chunk_ranges(d, values, 0, d.n);
    }
    (0..d.n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| chunk_ranges(d, values, c * CHUNK, CHUNK.min(d.n - c * CHUNK)))
        .reduce(|| vec![Ranges::EMPTY; values.len()], merge)
}

fn kind_of(r: Ranges) -> Option<SeparationKind> {
    if r.max0 < r.min1 || r.max1 < r.min0 {
        Some(SeparationKind::Complete)
    } else if r.max0 <= r.min1 || r.max1 <= r.min0 {
        Some(SeparationKind::QuasiComplete)
    } else {
        None
    }
}

/// Covariates that separate the outcome on their own, grouped by kind, from their ranges by
/// outcome when already known.
fn univariate(d: &Design<'_>, known: Option<&[Ranges]>) -> Vec<GlmWarning> {
    let offset = usize::from(d.intercept);
    let mut complete = Vec::new();
    let mut quasi = Vec::new();
    let ranges = match known {
        Some(r) => r.to_vec(),
        None => ranges(d, &d.cols),
    };
    let kinds: Vec<Option<SeparationKind>> = ranges.into_iter().map(kind_of).collect();
    for (j, kind) in kinds.into_iter().enumerate() {
        match kind {
            Some(SeparationKind::Complete) => complete.push(d.names[j + offset].clone()),
            Some(SeparationKind::QuasiComplete) => quasi.push(d.names[j + offset].clone()),
            None => {}
        }
    }
    let mut out = Vec::new();
    if !complete.is_empty() {
        out.push(GlmWarning::Separation {
            kind: SeparationKind::Complete,
            covariates: complete,
        });
    }
    if !quasi.is_empty() {
        out.push(GlmWarning::Separation {
            kind: SeparationKind::QuasiComplete,
            covariates: quasi,
        });
    }
    out
}

/// Covariates that drive the linear predictor: coefficient times range at least a tenth of the
/// largest such product.
fn drivers(d: &Design<'_>, beta: &[f64]) -> Vec<String> {
    let offset = usize::from(d.intercept);
    let spread: Vec<f64> = d
        .cols
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let (lo, hi) = c
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                    (l.min(*v), h.max(*v))
                });
            (beta[j + offset] * (hi - lo)).abs()
        })
        .collect();
    let top = spread.iter().cloned().fold(0.0, f64::max);
    spread
        .iter()
        .enumerate()
        .filter(|(_, s)| **s >= 0.1 * top && top > 0.0)
        .map(|(j, _)| d.names[j + offset].clone())
        .collect()
}

/// Separation found by the fitted linear predictor, when the fit looks divergent.
fn combined(
    d: &Design<'_>,
    beta: &[f64],
    eta: &[f64],
    mu: &[f64],
    converged: bool,
) -> Option<GlmWarning> {
    let r = ranges(d, &[eta])[0];
    let kind = if r.max0 < r.min1 {
        SeparationKind::Complete
    } else if converged {
        // A converged fit with extreme but correct predictions is near-separation, not separation.
        return None;
    } else {
        // Quasi-complete: every row fitted at 0 or 1 has that outcome, and some rows are there.
        let at_bound = |i: usize| mu[i] < 1e-5 || mu[i] > 1.0 - 1e-5;
        let rows: Vec<usize> = (0..d.n)
            .filter(|&i| d.weight(i) > 0.0 && at_bound(i))
            .collect();
        let right = rows.iter().all(|&i| (mu[i] > 0.5) == (d.y[i] == 1.0));
        if rows.is_empty() || !right {
            return None;
        }
        SeparationKind::QuasiComplete
    };
    Some(GlmWarning::Separation {
        kind,
        covariates: drivers(d, beta),
    })
}

/// All separation warnings for a fit.
pub(crate) fn diagnose(
    d: &Design<'_>,
    covariate_ranges: Option<&[Ranges]>,
    beta: &[f64],
    eta: &[f64],
    mu: &[f64],
    converged: bool,
    at_zero_or_one: bool,
) -> Vec<GlmWarning> {
    let found = univariate(d, covariate_ranges);
    if !found.is_empty() || (converged && !at_zero_or_one) {
        return found;
    }
    combined(d, beta, eta, mu, converged).into_iter().collect()
}
