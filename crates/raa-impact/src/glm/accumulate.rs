//! One parallel pass over the rows: linear predictor, deviance, and the weighted cross-products
//! `X'WX` and `X'Wr` of the next IRLS step.
//!
//! Rows are cut into chunks of a fixed size; each chunk is summed in a fixed order and the chunk
//! sums are added in chunk order, so the result is bit-identical for any number of threads. A
//! design of at most one chunk (every interrupted time series) is summed on the calling thread,
//! with no rayon task: the same arithmetic, without the scheduling overhead.

use super::design::Design;
use super::family::Dist;
use super::link::{Link, LinkEval};
use rayon::prelude::*;

/// Rows per parallel task. Fixed (not derived from the thread count) for reproducibility.
pub(crate) const CHUNK: usize = 16_384;
/// Rows per inner block, small enough for the block buffers to stay in L1/L2 cache.
const BLOCK: usize = 256;
static ONES: [f64; BLOCK] = [1.0; BLOCK];

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

/// Dot product with four independent accumulators (lets the compiler vectorise; the order is fixed).
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (a4, ar) = a.split_at(a.len() - a.len() % 4);
    let (b4, br) = b.split_at(a4.len());
    for (x, y) in a4.chunks_exact(4).zip(b4.chunks_exact(4)) {
        for l in 0..4 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (x, y) in ar.iter().zip(br) {
        s += x * y;
    }
    s
}

/// Column `j` of the design (intercept first) restricted to rows `start..start+len`.
#[inline]
fn column<'a>(d: &'a Design<'_>, j: usize, start: usize, len: usize) -> &'a [f64] {
    match (d.intercept, j) {
        (true, 0) => &ONES[..len],
        (true, j) => &d.cols[j - 1][start..start + len],
        (false, j) => &d.cols[j][start..start + len],
    }
}

/// Block buffers reused across the blocks of one chunk.
struct Scratch {
    /// `eta - offset - X beta` of the current coefficients (0 when `eta = X beta + offset`).
    xb: Vec<f64>,
    ww: Vec<f64>,
    wr: Vec<f64>,
    wx: Vec<f64>,
}

/// Add `sum_i ww_i x_ij x_ik` and `sum_i wr_i x_ij` over one block to `sums`.
fn add_cross_products(
    d: &Design<'_>,
    start: usize,
    len: usize,
    s: &mut Scratch,
    sums: &mut PassSums,
) {
    let p = d.p();
    let stride = s.ww.len();
    for j in 0..p {
        let xj = column(d, j, start, len);
        let wxj = &mut s.wx[j * stride..j * stride + len];
        for ((o, w), x) in wxj.iter_mut().zip(&s.ww[..len]).zip(xj) {
            *o = w * x;
        }
        sums.xtwr[j] += dot(&s.wr[..len], xj);
    }
    for j in 0..p {
        let wxj = &s.wx[j * stride..j * stride + len];
        for k in j..p {
            sums.xtwx[j * p + k] += dot(wxj, column(d, k, start, len));
        }
    }
}

/// `X beta + offset` over one block into `out`.
pub(crate) fn linear_predictor(d: &Design<'_>, beta: &[f64], start: usize, out: &mut [f64]) {
    let len = out.len();
    out.fill(0.0);
    for (j, b) in beta.iter().enumerate() {
        let xj = column(d, j, start, len);
        for (o, x) in out.iter_mut().zip(xj) {
            *o += b * x;
        }
    }
    if let Some(off) = d.offset {
        for (o, f) in out.iter_mut().zip(&off[start..start + len]) {
            *o += f;
        }
    }
}

/// Starting linear predictor for the rows of one block, and its part outside `X beta` (beta = 0).
fn start_eta(
    d: &Design<'_>,
    m: &Model,
    given: Option<&[f64]>,
    start: usize,
    s: &mut Scratch,
    eta: &mut [f64],
) {
    for (k, e) in eta.iter_mut().enumerate() {
        let i = start + k;
        *e = match given {
            Some(g) => g[i],
            None => {
                let w = d.weight(i);
                m.link.link(m.dist.start_mu(m.dist.outcome(d.y[i], w), w))
            }
        };
        s.xb[k] = *e - d.offset(i);
    }
}

/// Working weights and weighted working residuals of one block; returns its deviance.
fn working_values(d: &Design<'_>, m: &Model, start: usize, eta: &[f64], s: &mut Scratch) -> f64 {
    let mut dev = 0.0;
    for (k, &e) in eta.iter().enumerate() {
        let i = start + k;
        let wt = d.weight(i);
        let y = m.dist.outcome(d.y[i], wt);
        let (mu, me) = m.le.inverse_and_derivative(e);
        dev += m.dist.deviance_residual(y, mu, wt);
        // R drops rows with zero prior weight or zero derivative from the least-squares step.
        if wt > 0.0 && me != 0.0 {
            let ww = wt * me * me / m.dist.variance(mu);
            s.ww[k] = ww;
            s.wr[k] = ww * (s.xb[k] + (y - mu) / me);
        } else {
            s.ww[k] = 0.0;
            s.wr[k] = 0.0;
        }
    }
    dev
}

impl Scratch {
    /// Buffers for blocks of at most `rows` rows (a short series does not pay for a full block).
    fn new(rows: usize, p: usize) -> Self {
        let len = rows.clamp(1, BLOCK);
        Scratch {
            xb: vec![0.0; len],
            ww: vec![0.0; len],
            wr: vec![0.0; len],
            wx: vec![0.0; len * p],
        }
    }
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
    let mut s = Scratch::new(eta_out.len(), p);
    let block = s.ww.len();
    for (b, eta) in eta_out.chunks_mut(block).enumerate() {
        let bstart = start + b * block;
        let len = eta.len();
        match source {
            EtaSource::Start => start_eta(d, m, None, bstart, &mut s, eta),
            EtaSource::Eta(given) => start_eta(d, m, Some(given), bstart, &mut s, eta),
            EtaSource::Beta(beta) => {
                linear_predictor(d, beta, bstart, eta);
                s.xb[..len].fill(0.0);
            }
        }
        sums.deviance += working_values(d, m, bstart, eta, &mut s);
        add_cross_products(d, bstart, len, &mut s, &mut sums);
    }
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

/// `X'WX` with the prior weights only (for the collinearity check), p×p row-major, symmetric.
pub(crate) fn gram(d: &Design<'_>) -> Vec<f64> {
    let p = d.p();
    let chunk = |c: usize| {
        let start = c * CHUNK;
        let end = (start + CHUNK).min(d.n);
        let mut sums = PassSums::zeros(p);
        let mut s = Scratch::new(end - start, p);
        let block = s.ww.len();
        for bstart in (start..end).step_by(block) {
            let len = block.min(end - bstart);
            for k in 0..len {
                s.ww[k] = d.weight(bstart + k);
            }
            add_cross_products(d, bstart, len, &mut s, &mut sums);
        }
        sums
    };
    let mut total = PassSums::zeros(p);
    if d.n <= CHUNK {
        total.add(&chunk(0));
    } else {
        let parts: Vec<PassSums> = (0..d.n.div_ceil(CHUNK))
            .into_par_iter()
            .map(chunk)
            .collect();
        for part in &parts {
            total.add(part);
        }
    }
    total.symmetrise(p);
    total.xtwx
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
