//! One parallel pass over the rows: linear predictor, deviance, and the weighted cross-products
//! `X'WX` and `X'Wr` of the next IRLS step.
//!
//! Rows are cut into chunks of a fixed size; each chunk is summed in a fixed order and the chunk
//! sums are added in chunk order, so the result is bit-identical for any number of threads. A
//! design of at most one chunk (every interrupted time series) is summed on the calling thread,
//! with no rayon task: the same arithmetic, without the scheduling overhead.

use super::crossprod::{Column, CrossProducts, MAX_BLOCK};
use super::design::Design;
use super::family::Dist;
use super::link::{Link, LinkEval};
use super::separation::{merge as merge_ranges, OutcomeRanges, Ranges};
use rayon::prelude::*;

/// Rows per parallel task. Fixed (not derived from the thread count) for reproducibility.
pub(crate) const CHUNK: usize = 16_384;
/// Rows per inner block: the block's columns and weighted columns stay in L1 cache while the
/// cross-product tiles run over them.
const BLOCK: usize = MAX_BLOCK;

/// A link and a distribution: what a pass needs to form the working weights.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub link: Link,
    pub le: LinkEval,
    pub dist: Dist,
}

impl Model {
    pub fn new(link: Link, dist: Dist) -> Self {
        Model {
            link,
            le: link.evaluator(),
            dist,
        }
    }
}

/// Where the linear predictor of the pass comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EtaSource<'a> {
    /// R's starting values: `eta = linkfun(mustart)` with the family's `mustart`, not in the
    /// column space.
    Start,
    /// A given starting linear predictor (R's `etastart`, offset included).
    Eta(&'a [f64]),
    /// `eta = X beta + offset`.
    Beta(&'a [f64]),
}

/// Sums of one pass.
#[derive(Debug, Clone)]
pub(crate) struct PassSums {
    /// `X'WX`, p×p row-major, upper triangle filled (mirrored by `symmetrise`).
    pub xtwx: Vec<f64>,
    /// `X'W r` with `r = z - X beta` (the working residual).
    pub xtwr: Vec<f64>,
    /// Deviance at the pass's linear predictor.
    pub deviance: f64,
}

impl PassSums {
    fn zeros(p: usize) -> Self {
        PassSums {
            xtwx: vec![0.0; p * p],
            xtwr: vec![0.0; p],
            deviance: 0.0,
        }
    }

    fn add(&mut self, other: &PassSums) {
        self.xtwx
            .iter_mut()
            .zip(&other.xtwx)
            .for_each(|(a, b)| *a += b);
        self.xtwr
            .iter_mut()
            .zip(&other.xtwr)
            .for_each(|(a, b)| *a += b);
        self.deviance += other.deviance;
    }

    /// Copy the upper triangle into the lower one.
    pub fn symmetrise(&mut self, p: usize) {
        for j in 0..p {
            for k in 0..j {
                self.xtwx[j * p + k] = self.xtwx[k * p + j];
            }
        }
    }
}

/// Block buffers reused across the blocks of one chunk.
struct Scratch {
    /// Rows per block.
    stride: usize,
    /// `eta - offset - X beta` of the current coefficients (0 when `eta = X beta + offset`).
    xb: Vec<f64>,
    /// Working weights.
    ww: Vec<f64>,
    /// Working residuals `z - X beta` (0 for rows left out).
    r: Vec<f64>,
    /// `X'WX` and `X'Wr` summed over the chunk's blocks.
    cp: CrossProducts,
}

impl Scratch {
    /// Buffers for blocks of at most `rows` rows (a short series does not pay for a full block).
    fn new(rows: usize, d: &Design<'_>) -> Self {
        let stride = rows.clamp(1, BLOCK);
        Scratch {
            stride,
            xb: vec![0.0; stride],
            ww: vec![0.0; stride],
            r: vec![0.0; stride],
            cp: CrossProducts::new(d.p()),
        }
    }

    /// Move the chunk's sums into `sums` (upper triangle of `X'WX`, and `X'Wr`).
    fn drain_into(&self, sums: &mut PassSums) {
        self.cp.totals(&mut sums.xtwx, &mut sums.xtwr);
    }
}

/// The design columns (intercept first) of rows `start..start + len`.
fn columns<'a>(d: &'a Design<'_>, start: usize, len: usize) -> Vec<Column<'a>> {
    let intercept = d.intercept.then_some(Column::Ones);
    intercept
        .into_iter()
        .chain(
            d.cols
                .iter()
                .map(|c| Column::Values(&c[start..start + len])),
        )
        .collect()
}

/// `X beta + offset` over one block into `out`, column by column (vectorised across rows) in R's
/// order: from 0, intercept first, offset last.
fn linear_predictor(d: &Design<'_>, beta: &[f64], x: &[Column<'_>], start: usize, out: &mut [f64]) {
    out.fill(0.0);
    for (c, b) in x.iter().zip(beta) {
        match c {
            Column::Values(v) => out.iter_mut().zip(*v).for_each(|(o, x)| *o += b * x),
            Column::Ones => out.iter_mut().for_each(|o| *o += b * 1.0),
        }
    }
    if let Some(off) = d.offset {
        let off = &off[start..start + out.len()];
        out.iter_mut().zip(off).for_each(|(o, f)| *o += f);
    }
}

/// What IRLS takes from one row at its linear predictor.
#[derive(Debug, Clone, Copy)]
struct RowValues {
    /// Deviance residual.
    dev: f64,
    /// Whether the row enters the least-squares step (R drops rows with zero prior weight or
    /// zero derivative).
    kept: bool,
    /// Working weight `wt mu.eta^2 / V(mu)`.
    ww: f64,
    /// `(y - mu) / mu.eta`, the working response minus the linear predictor.
    resid: f64,
}

impl RowValues {
    fn at(m: &Model, y: f64, wt: f64, eta: f64) -> Self {
        let (mu, me) = m.le.inverse_and_derivative(eta);
        let dev = m.dist.deviance_residual(y, mu, wt);
        let kept = wt > 0.0 && me != 0.0;
        let (ww, resid) = if kept {
            (wt * me * me / m.dist.variance(mu), (y - mu) / me)
        } else {
            (0.0, 0.0)
        };
        RowValues {
            dev,
            kept,
            ww,
            resid,
        }
    }
}

/// R's starting values of a unit-weight row with outcome 0 and with outcome 1 (every row of a
/// propensity model): its linear predictor and what IRLS takes from it, computed once per chunk
/// instead of with a logarithm, an exponential and a logarithm (or normal quantiles) per row.
#[derive(Debug, Clone, Copy)]
struct UnitStart {
    eta: [f64; 2],
    values: [RowValues; 2],
}

impl UnitStart {
    fn new(m: &Model) -> Self {
        let eta = [0.0, 1.0].map(|y| m.link.link(m.dist.start_mu(m.dist.outcome(y, 1.0), 1.0)));
        UnitStart {
            eta,
            values: [0, 1].map(|c| RowValues::at(m, c as f64, 1.0, eta[c])),
        }
    }

    /// The class (outcome) of a row that starts from these values, if it is one.
    #[inline]
    fn class(y: f64, wt: f64) -> Option<usize> {
        (wt == 1.0 && (y == 0.0 || y == 1.0)).then_some(usize::from(y == 1.0))
    }
}

/// Starting linear predictor for the rows of one block, and its part outside `X beta` (beta = 0).
fn start_eta(
    d: &Design<'_>,
    m: &Model,
    given: Option<&[f64]>,
    unit: &UnitStart,
    start: usize,
    s: &mut Scratch,
    eta: &mut [f64],
) {
    for (k, e) in eta.iter_mut().enumerate() {
        let i = start + k;
        *e = match given {
            Some(g) => g[i],
            None => {
                let (y, w) = (d.y[i], d.weight(i));
                match UnitStart::class(y, w) {
                    Some(c) => unit.eta[c],
                    None => m.link.link(m.dist.start_mu(m.dist.outcome(y, w), w)),
                }
            }
        };
        s.xb[k] = *e - d.offset(i);
    }
}

/// Working weights (into `ww`) and working residuals (into `r`) of one block; returns its
/// deviance. `unit`: the rows start from R's starting values.
fn working_values(
    d: &Design<'_>,
    m: &Model,
    start: usize,
    eta: &[f64],
    unit: Option<&UnitStart>,
    s: &mut Scratch,
) -> f64 {
    let mut dev = 0.0;
    for (k, &e) in eta.iter().enumerate() {
        let i = start + k;
        let wt = d.weight(i);
        let y = m.dist.outcome(d.y[i], wt);
        let v = match unit.zip(UnitStart::class(y, wt)) {
            Some((u, c)) => u.values[c],
            None => RowValues::at(m, y, wt, e),
        };
        dev += v.dev;
        s.ww[k] = v.ww;
        s.r[k] = if v.kept { s.xb[k] + v.resid } else { 0.0 };
    }
    dev
}

/// One chunk: fills `eta_out` and returns the chunk's sums.
fn chunk_pass(
    d: &Design<'_>,
    m: &Model,
    source: EtaSource<'_>,
    start: usize,
    eta_out: &mut [f64],
) -> PassSums {
    let p = d.p();
    let mut sums = PassSums::zeros(p);
    let mut s = Scratch::new(eta_out.len(), d);
    let block = s.stride;
    let unit = UnitStart::new(m);
    let from_start = matches!(source, EtaSource::Start).then_some(&unit);
    for (b, eta) in eta_out.chunks_mut(block).enumerate() {
        let bstart = start + b * block;
        let len = eta.len();
        let x = columns(d, bstart, len);
        match source {
            EtaSource::Start => start_eta(d, m, None, &unit, bstart, &mut s, eta),
            EtaSource::Eta(given) => start_eta(d, m, Some(given), &unit, bstart, &mut s, eta),
            EtaSource::Beta(beta) => {
                linear_predictor(d, beta, &x, bstart, eta);
                s.xb[..len].fill(0.0);
            }
        }
        sums.deviance += working_values(d, m, bstart, eta, from_start, &mut s);
        s.cp.add(&s.ww[..len], &x, Some(&s.r[..len]));
    }
    s.drain_into(&mut sums);
    sums
}

/// One full pass: writes the linear predictor into `eta_out` (length n) and returns the sums.
pub(crate) fn pass(
    d: &Design<'_>,
    m: &Model,
    source: EtaSource<'_>,
    eta_out: &mut [f64],
) -> PassSums {
    let p = d.p();
    let mut total = PassSums::zeros(p);
    if d.n <= CHUNK {
        total.add(&chunk_pass(d, m, source, 0, eta_out));
    } else {
        let parts: Vec<PassSums> = eta_out
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(c, eta)| chunk_pass(d, m, source, c * CHUNK, eta))
            .collect();
        for part in &parts {
            total.add(part);
        }
    }
    total.symmetrise(p);
    total
}

/// One pass over the design before IRLS.
#[derive(Debug, Clone)]
pub(crate) struct DesignScan {
    /// `X'WX` with the prior weights only (for the collinearity check), p×p row-major,
    /// symmetric.
    pub gram: Vec<f64>,
    /// Each covariate's ranges by outcome (for the separation check of a binary outcome), when
    /// asked for.
    pub ranges: Option<Vec<Ranges>>,
}

/// The prior-weight Gram matrix and, with `outcome_ranges`, the covariates' ranges by outcome:
/// both read every covariate, so one pass over the columns serves both checks (the ranges are
/// formed while a block's columns are in cache from the product).
pub(crate) fn scan(d: &Design<'_>, outcome_ranges: bool) -> DesignScan {
    let p = d.p();
    let chunk = |c: usize| {
        let start = c * CHUNK;
        let end = (start + CHUNK).min(d.n);
        let mut sums = PassSums::zeros(p);
        let mut s = Scratch::new(end - start, d);
        let mut ranges = outcome_ranges.then(|| OutcomeRanges::new(d.cols.len()));
        let block = s.stride;
        for bstart in (start..end).step_by(block) {
            let len = block.min(end - bstart);
            for k in 0..len {
                s.ww[k] = d.weight(bstart + k);
            }
            s.cp.add(&s.ww[..len], &columns(d, bstart, len), None);
            if let Some(r) = ranges.as_mut() {
                r.add(d, &d.cols, bstart, len);
            }
        }
        s.drain_into(&mut sums);
        (sums, ranges.map(|r| r.ranges()))
    };
    let parts: Vec<(PassSums, Option<Vec<Ranges>>)> = if d.n <= CHUNK {
        vec![chunk(0)]
    } else {
        (0..d.n.div_ceil(CHUNK))
            .into_par_iter()
            .map(chunk)
            .collect()
    };
    let mut total = PassSums::zeros(p);
    let mut ranges: Option<Vec<Ranges>> = None;
    for (sums, r) in parts {
        total.add(&sums);
        ranges = match (ranges, r) {
            (Some(a), Some(b)) => Some(merge_ranges(a, b)),
            (a, b) => a.or(b),
        };
    }
    total.symmetrise(p);
    DesignScan {
        gram: total.xtwx,
        ranges,
    }
}

/// `sum_i f(i)` over `0..n`, in parallel with the fixed chunking (bit-identical for any thread
/// count; sequential for at most one chunk).
pub(crate) fn chunked_sum(n: usize, f: impl Fn(usize) -> f64 + Sync) -> f64 {
    if n <= CHUNK {
        let part: f64 = (0..n).map(&f).sum();
        return 0.0 + part;
    }
    let parts: Vec<f64> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| (c * CHUNK..((c + 1) * CHUNK).min(n)).map(&f).sum())
        .collect();
    parts.iter().sum()
}
