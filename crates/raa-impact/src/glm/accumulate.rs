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
use nalgebra::{DMatrix, DMatrixView};
use rayon::prelude::*;

/// Rows per parallel task. Fixed (not derived from the thread count) for reproducibility.
pub(crate) const CHUNK: usize = 16_384;
/// Rows per inner block, small enough for the block buffers to stay in L1/L2 cache.
const BLOCK: usize = 256;

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

/// The block buffers have their column counts rounded up to a multiple of this, with zero
/// padding. nalgebra hands a product to `matrixmultiply` only when every dimension exceeds 5, and
/// `matrixmultiply`'s micro-kernels are 8 (or 4) wide: with whole panels its packing is a straight
/// copy and no tile of the result goes through its masked edge path.
const PANEL: usize = 8;
/// Rows per tile of the gathering transposition (one cache line of each column).
const TILE: usize = 8;

/// Block buffers reused across the blocks of one chunk.
///
/// The buffers are row-interleaved (the values of one row are adjacent), the layout in which
/// `matrixmultiply` packs its panels by copying runs instead of single elements.
struct Scratch {
    /// Rows per block.
    stride: usize,
    /// `eta - offset - X beta` of the current coefficients (0 when `eta = X beta + offset`).
    xb: Vec<f64>,
    ww: Vec<f64>,
    /// The block's design, row `r` at `r * xw`: intercept, covariates, zero padding.
    x: Vec<f64>,
    /// Row `r` at `r * aw`: `ww * x` for each column, then `ww * r` (the weighted working
    /// residual) in column `p`, then zero padding.
    a: Vec<f64>,
    /// Row widths of `x` (`p` rounded up) and `a` (`p + 1` rounded up).
    xw: usize,
    aw: usize,
    /// `A' X` summed over the chunk's blocks: rows `0..p` are `X'WX`, row `p` is `X'Wr`.
    acc: DMatrix<f64>,
}

impl Scratch {
    /// Buffers for blocks of at most `rows` rows (a short series does not pay for a full block).
    fn new(rows: usize, d: &Design<'_>) -> Self {
        let p = d.p();
        let stride = rows.clamp(1, BLOCK);
        let xw = p.next_multiple_of(PANEL);
        let aw = (p + 1).next_multiple_of(PANEL);
        let mut x = vec![0.0; xw * stride];
        if d.intercept {
            // The intercept column is never overwritten by the gathering.
            x.iter_mut().step_by(xw).for_each(|v| *v = 1.0);
        }
        Scratch {
            stride,
            xb: vec![0.0; stride],
            ww: vec![0.0; stride],
            x,
            a: vec![0.0; aw * stride],
            xw,
            aw,
            acc: DMatrix::zeros(aw, xw),
        }
    }

    /// Copy the covariates of rows `start..start+len` into `x` (after the intercept column) and,
    /// given coefficients, form `eta = X beta + offset` on the way.
    ///
    /// A transposition in tiles of [`TILE`] rows: each column contributes one cache line per tile
    /// and the tile's rows stay in L1 while they are filled (column by column over the whole
    /// block, every store touched a different line and the gathering cost more than the product).
    /// The linear predictor is summed here column by column, vectorised across rows, in R's order
    /// (from 0, intercept first, offset last); summed along a row of `x` each row would be one
    /// chain of dependent additions.
    fn gather(
        &mut self,
        d: &Design<'_>,
        start: usize,
        len: usize,
        mut lp: Option<(&[f64], &mut [f64])>,
    ) {
        let first = usize::from(d.intercept);
        let xw = self.xw;
        for t in (0..len).step_by(TILE) {
            let rows = TILE.min(len - t);
            let tile = &mut self.x[t * xw..(t + rows) * xw];
            if let Some((beta, eta)) = lp.as_mut() {
                let eta = &mut eta[t..t + rows];
                eta.fill(0.0);
                if d.intercept {
                    eta.iter_mut().for_each(|e| *e += beta[0] * 1.0);
                }
            }
            for (j, c) in d.cols.iter().enumerate() {
                let src = &c[start + t..start + t + rows];
                for (row, v) in tile.chunks_exact_mut(xw).zip(src) {
                    row[first + j] = *v;
                }
                if let Some((beta, eta)) = lp.as_mut() {
                    let b = beta[first + j];
                    let eta = &mut eta[t..t + rows];
                    eta.iter_mut().zip(src).for_each(|(e, x)| *e += b * x);
                }
            }
            if let (Some((_, eta)), Some(off)) = (lp.as_mut(), d.offset) {
                let eta = &mut eta[t..t + rows];
                let off = &off[start + t..start + t + rows];
                eta.iter_mut().zip(off).for_each(|(e, o)| *e += o);
            }
        }
    }

    /// Add `sum_i ww_i x_ij x_ik` and `sum_i wr_i x_ij` over the block (its `ww`, `x`, and the
    /// `wr` already in column `p` of `a`) to `acc`.
    ///
    /// One matrix product `A' X` of (p+1) × len by len × p through nalgebra, which hands it to
    /// `matrixmultiply`: packed panels and a register-blocked micro-kernel chosen at run time for
    /// the CPU (AVX-512, AVX2+FMA, AVX or SSE2), several times the throughput of one dot product per
    /// pair of columns, whose additions are serialised by their latency. The kernel sums each entry
    /// over the rows in a fixed order, so the result depends only on the block, never on threads.
    fn add_cross_products(&mut self, p: usize, len: usize) {
        let (xw, aw) = (self.xw, self.aw);
        for r in 0..len {
            let w = self.ww[r];
            let x = &self.x[r * xw..r * xw + p];
            for (o, x) in self.a[r * aw..r * aw + p].iter_mut().zip(x) {
                *o = w * x;
            }
        }
        let at = DMatrixView::from_slice(&self.a[..aw * len], aw, len);
        let x = DMatrixView::from_slice_with_strides(&self.x[..xw * len], len, xw, xw, 1);
        self.acc.gemm(1.0, &at, &x, 1.0);
    }

    /// Move the accumulated products into `sums` (upper triangle and `X'Wr`) and reset them.
    fn drain_into(&mut self, p: usize, sums: &mut PassSums) {
        for j in 0..p {
            for k in j..p {
                sums.xtwx[j * p + k] = self.acc[(j, k)];
            }
            sums.xtwr[j] = self.acc[(p, j)];
        }
        self.acc.fill(0.0);
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
    let from_y = |y: f64, w: f64| m.link.link(m.dist.start_mu(m.dist.outcome(y, w), w));
    // A unit-weight 0/1 row (every row of a propensity model) starts from one of two values:
    // computed once instead of with a logarithm (or a normal quantile) per row.
    let unit = [from_y(0.0, 1.0), from_y(1.0, 1.0)];
    for (k, e) in eta.iter_mut().enumerate() {
        let i = start + k;
        *e = match given {
            Some(g) => g[i],
            None => {
                let (y, w) = (d.y[i], d.weight(i));
                if w == 1.0 && (y == 0.0 || y == 1.0) {
                    unit[usize::from(y == 1.0)]
                } else {
                    from_y(y, w)
                }
            }
        };
        s.xb[k] = *e - d.offset(i);
    }
}

/// Working weights (into `ww`) and weighted working residuals (into column `p` of `a`) of one
/// block; returns its deviance.
fn working_values(d: &Design<'_>, m: &Model, start: usize, eta: &[f64], s: &mut Scratch) -> f64 {
    let mut dev = 0.0;
    let wr = s.a.iter_mut().skip(d.p()).step_by(s.aw);
    for (k, (&e, wr)) in eta.iter().zip(wr).enumerate() {
        let i = start + k;
        let wt = d.weight(i);
        let y = m.dist.outcome(d.y[i], wt);
        let (mu, me) = m.le.inverse_and_derivative(e);
        dev += m.dist.deviance_residual(y, mu, wt);
        // R drops rows with zero prior weight or zero derivative from the least-squares step.
        if wt > 0.0 && me != 0.0 {
            let ww = wt * me * me / m.dist.variance(mu);
            s.ww[k] = ww;
            *wr = ww * (s.xb[k] + (y - mu) / me);
        } else {
            s.ww[k] = 0.0;
            *wr = 0.0;
        }
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
    for (b, eta) in eta_out.chunks_mut(block).enumerate() {
        let bstart = start + b * block;
        let len = eta.len();
        match source {
            EtaSource::Start => {
                s.gather(d, bstart, len, None);
                start_eta(d, m, None, bstart, &mut s, eta);
            }
            EtaSource::Eta(given) => {
                s.gather(d, bstart, len, None);
                start_eta(d, m, Some(given), bstart, &mut s, eta);
            }
            EtaSource::Beta(beta) => {
                s.gather(d, bstart, len, Some((beta, &mut *eta)));
                s.xb[..len].fill(0.0);
            }
        }
        sums.deviance += working_values(d, m, bstart, eta, &mut s);
        s.add_cross_products(p, len);
    }
    s.drain_into(p, &mut sums);
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
        let mut s = Scratch::new(end - start, d);
        let block = s.stride;
        for bstart in (start..end).step_by(block) {
            let len = block.min(end - bstart);
            s.gather(d, bstart, len, None);
            for k in 0..len {
                s.ww[k] = d.weight(bstart + k);
            }
            s.add_cross_products(p, len);
        }
        s.drain_into(p, &mut sums);
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
