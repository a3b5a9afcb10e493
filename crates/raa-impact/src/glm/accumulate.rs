//! One parallel pass over the rows: linear predictor, deviance, and the weighted cross-products
//! `X'WX` and `X'Wr` of the next IRLS step.
//!
//! Rows are cut into chunks of a fixed size; each chunk is summed in a fixed order and the chunk
//! sums are added in chunk order, so the result is bit-identical for any number of threads.

use super::design::Design;
use super::family::{deviance_residual, variance};
use super::link::{Link, LinkEval};
use rayon::prelude::*;

/// Rows per parallel task. Fixed (not derived from the thread count) for reproducibility.
pub(crate) const CHUNK: usize = 16_384;
/// Rows per inner block, small enough for the block buffers to stay in L1/L2 cache.
const BLOCK: usize = 256;
static ONES: [f64; BLOCK] = [1.0; BLOCK];

/// Where the linear predictor of the pass comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EtaSource<'a> {
    /// R's starting values: `eta = linkfun((w y + 0.5) / (w + 1))`, not in the column space.
    Start(Link),
    /// `eta = X beta`.
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
    for j in 0..p {
        let xj = column(d, j, start, len);
        let wxj = &mut s.wx[j * BLOCK..j * BLOCK + len];
        for ((o, w), x) in wxj.iter_mut().zip(&s.ww[..len]).zip(xj) {
            *o = w * x;
        }
        sums.xtwr[j] += dot(&s.wr[..len], xj);
    }
    for j in 0..p {
        let wxj = &s.wx[j * BLOCK..j * BLOCK + len];
        for k in j..p {
            sums.xtwx[j * p + k] += dot(wxj, column(d, k, start, len));
        }
    }
}

/// `X beta` over one block into `out`.
fn linear_predictor(d: &Design<'_>, beta: &[f64], start: usize, out: &mut [f64]) {
    let len = out.len();
    out.fill(0.0);
    for (j, b) in beta.iter().enumerate() {
        let xj = column(d, j, start, len);
        for (o, x) in out.iter_mut().zip(xj) {
            *o += b * x;
        }
    }
}

/// R's starting linear predictor for the rows of one block.
fn start_eta(d: &Design<'_>, link: Link, start: usize, eta: &mut [f64], xb: &mut [f64]) {
    for (k, e) in eta.iter_mut().enumerate() {
        let i = start + k;
        let w = d.weight(i);
        // R sets y to 0 where the weight is 0 before computing mustart.
        let y = if w == 0.0 { 0.0 } else { d.y[i] };
        *e = link.link((w * y + 0.5) / (w + 1.0));
    }
    xb.fill(0.0);
}

/// Working weights and weighted working residuals of one block; returns its deviance.
fn working_values(
    d: &Design<'_>,
    le: &LinkEval,
    start: usize,
    eta: &[f64],
    s: &mut Scratch,
) -> f64 {
    let mut dev = 0.0;
    for (k, &e) in eta.iter().enumerate() {
        let i = start + k;
        let wt = d.weight(i);
        let y = if wt == 0.0 { 0.0 } else { d.y[i] };
        let (mu, me) = le.inverse_and_derivative(e);
        dev += deviance_residual(y, mu, wt);
        // R drops rows with zero prior weight or zero derivative from the least-squares step.
        if wt > 0.0 && me != 0.0 {
            let ww = wt * me * me / variance(mu);
            s.ww[k] = ww;
            s.wr[k] = ww * ((e - s.xb[k]) + (y - mu) / me);
        } else {
            s.ww[k] = 0.0;
            s.wr[k] = 0.0;
        }
    }
    dev
}

/// One chunk: fills `eta_out` and returns the chunk's sums.
fn chunk_pass(
    d: &Design<'_>,
    le: &LinkEval,
    source: EtaSource<'_>,
    start: usize,
    eta_out: &mut [f64],
) -> PassSums {
    let p = d.p();
    let mut sums = PassSums::zeros(p);
    let mut s = Scratch {
        xb: vec![0.0; BLOCK],
        ww: vec![0.0; BLOCK],
        wr: vec![0.0; BLOCK],
        wx: vec![0.0; BLOCK * p],
    };
    for (b, eta) in eta_out.chunks_mut(BLOCK).enumerate() {
        let bstart = start + b * BLOCK;
        let len = eta.len();
        match source {
            EtaSource::Start(link) => start_eta(d, link, bstart, eta, &mut s.xb[..len]),
            EtaSource::Beta(beta) => {
                linear_predictor(d, beta, bstart, eta);
                s.xb[..len].copy_from_slice(eta);
            }
        }
        sums.deviance += working_values(d, le, bstart, eta, &mut s);
        add_cross_products(d, bstart, len, &mut s, &mut sums);
    }
    sums
}

/// One full pass: writes the linear predictor into `eta_out` (length n) and returns the sums.
pub(crate) fn pass(
    d: &Design<'_>,
    le: &LinkEval,
    source: EtaSource<'_>,
    eta_out: &mut [f64],
) -> PassSums {
    let parts: Vec<PassSums> = eta_out
        .par_chunks_mut(CHUNK)
        .enumerate()
        .map(|(c, eta)| chunk_pass(d, le, source, c * CHUNK, eta))
        .collect();
    let mut total = PassSums::zeros(d.p());
    for part in &parts {
        total.add(part);
    }
    total.symmetrise(d.p());
    total
}

/// `X'WX` with the prior weights only (for the collinearity check), p×p row-major, symmetric.
pub(crate) fn gram(d: &Design<'_>) -> Vec<f64> {
    let p = d.p();
    let parts: Vec<PassSums> = (0..d.n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let start = c * CHUNK;
            let end = (start + CHUNK).min(d.n);
            let mut sums = PassSums::zeros(p);
            let mut s = Scratch {
                xb: Vec::new(),
                ww: vec![0.0; BLOCK],
                wr: vec![0.0; BLOCK],
                wx: vec![0.0; BLOCK * p],
            };
            for bstart in (start..end).step_by(BLOCK) {
                let len = BLOCK.min(end - bstart);
                for k in 0..len {
                    s.ww[k] = d.weight(bstart + k);
                }
                add_cross_products(d, bstart, len, &mut s, &mut sums);
            }
            sums
        })
        .collect();
    let mut total = PassSums::zeros(p);
    for part in &parts {
        total.add(part);
    }
    total.symmetrise(p);
    total.xtwx
}

/// `sum_i f(i)` over `0..n`, in parallel with the fixed chunking (bit-identical for any thread
/// count).
pub(crate) fn chunked_sum(n: usize, f: impl Fn(usize) -> f64 + Sync) -> f64 {
    let parts: Vec<f64> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| (c * CHUNK..((c + 1) * CHUNK).min(n)).map(&f).sum())
        .collect();
    parts.iter().sum()
}
