//! Multiplier bootstrap of asymptotically linear estimators from their influence functions, as R
//! `did`'s `mboot` does it: each draw multiplies every unit's (or cluster's) influence by an
//! independent mean-zero, unit-variance weight; the standard error is the interquartile range of the
//! draws over that of N(0, 1); the uniform (sup-t) critical value is a quantile of the largest
//! standardised draw over the columns.
//!
//! Random streams are counter-based: draw `b` takes its own ChaCha8 stream `b` under the seed, so
//! the draws do not depend on the thread count or on how the draws are chunked. Draws are
//! computed in fixed chunks of [`CHUNK`] (a matrix product per chunk) and each chunk is
//! reproducible on its own, so the result is bit-identical for any rayon pool.

use nalgebra::DMatrix;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::{Error, Result};

/// Draws per chunk: the unit of parallel work and of the matrix product.
pub const CHUNK: usize = 128;

/// The distribution of the multiplier weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MultiplierWeights {
    /// ±1 with probability ½ each (R `did`'s only choice).
    Rademacher,
    /// Webb's six points ±√½, ±1, ±√(3/2), each with probability ⅙: better with few clusters.
    Webb,
    /// Mammen's two points −(√5−1)/2 and (√5+1)/2, with third moment 1.
    Mammen,
}

/// Options of [`multiplier_bootstrap`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BootstrapOptions {
    /// Number of draws (R `did`'s `biters`; 999 or 1000 are usual).
    pub draws: usize,
    /// Seed of the counter-based streams.
    pub seed: u64,
    /// Weight distribution; `None` = Webb when there are fewer than 12 clusters, else Rademacher.
    pub weights: Option<MultiplierWeights>,
    /// Level of the uniform band: its critical value is the (1 − alpha) quantile of the sup-t draws.
    pub alpha: f64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            draws: 999,
            seed: 20_260_101,
            weights: None,
            alpha: 0.05,
        }
    }
}

/// What [`multiplier_bootstrap`] returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootstrapResult {
    /// Bootstrap standard error per column; `None` where the draws are degenerate (all ~0).
    pub se: Vec<Option<f64>>,
    /// Standard deviation of the draws on the same scale as `se`: a diagnostic. `se` follows R `did`
    /// (IQR / 1.349), which exceeds the standard deviation when the draws are platykurtic, as
    /// Rademacher sums dominated by a few large influence values are.
    pub sd: Vec<Option<f64>>,
    /// Uniform (sup-t) critical value over the non-degenerate columns; `None` if there are none.
    pub crit_value: Option<f64>,
    /// The weights used (after the automatic choice).
    pub weights: MultiplierWeights,
    /// Number of independent units the weights were drawn for (clusters, or units).
    pub n_clusters: usize,
    /// Number of draws.
    pub draws: usize,
}

/// Multiplier bootstrap of `k` influence-function columns over `n` units.
///
/// `influence` is column-major `n × k` (column `j` is `influence[j*n..(j+1)*n]`), on R `did`'s scale:
/// the analytic standard error of column `j` is `sqrt(Σ_i ψ_ij²)/n`. With `cluster` (one id per unit)
/// the influence is summed within cluster first and one weight is drawn per cluster; the bootstrap
/// standard error then estimates `sqrt(Σ_c S_cj²)/n`, with no small-sample factor (as in `did`).
///
/// ```
/// use raa_impact::inference::multiplier::{multiplier_bootstrap, BootstrapOptions};
/// let n = 400;
/// let psi: Vec<f64> = (0..n).map(|i| ((i * 37 % 101) as f64 - 50.0) / 10.0).collect();
/// let analytic = psi.iter().map(|v| v * v).sum::<f64>().sqrt() / n as f64;
/// let opts = BootstrapOptions { draws: 2000, ..Default::default() };
/// let b = multiplier_bootstrap(&psi, n, 1, None, &opts).unwrap();
/// let se = b.se[0].unwrap();
/// assert!((se / analytic - 1.0).abs() < 0.1);
/// ```
pub fn multiplier_bootstrap(
    influence: &[f64],
    n: usize,
    k: usize,
    cluster: Option<&[u32]>,
    opts: &BootstrapOptions,
) -> Result<BootstrapResult> {
    check_inputs(influence, n, k, cluster, opts)?;
    let sums = cluster_sums(influence, n, k, cluster);
    let nc = sums.ncols();
    let weights = opts.weights.unwrap_or(if nc < 12 {
        MultiplierWeights::Webb
    } else {
        MultiplierWeights::Rademacher
    });
    let draws = draw_matrix(&sums, opts, weights);
    let scale = (nc as f64).sqrt() / n as f64;
    let (se, sigma) = column_scales(&draws, opts.draws, k, scale);
    let sd = column_sd(&draws, opts.draws, k, scale);
    let crit_value = sup_t_critical(&draws, opts.draws, &sigma, opts.alpha);
    Ok(BootstrapResult {
        se,
        sd,
        crit_value,
        weights,
        n_clusters: nc,
        draws: opts.draws,
    })
}

fn check_inputs(
    influence: &[f64],
    n: usize,
    k: usize,
    cluster: Option<&[u32]>,
    opts: &BootstrapOptions,
) -> Result<()> {
    if n == 0 || k == 0 {
        return Err(Error::argument(
            "influence",
            "needs at least one unit and one column",
        ));
    }
    if influence.len() != n * k {
        return Err(Error::argument(
            "influence",
            format!(
                "has {} entries, expected n × k = {}",
                influence.len(),
                n * k
            ),
        ));
    }
    if let Some(i) = influence.iter().position(|v| !v.is_finite()) {
        return Err(Error::argument(
            "influence",
            format!("unit {} of column {} is not finite", i % n, i / n),
        ));
    }
    if let Some(c) = cluster {
        crate::inference::check::same_length("cluster", c.len(), n)?;
    }
    if opts.draws < 2 {
        return Err(Error::argument("draws", "needs at least 2 bootstrap draws"));
    }
    if !(opts.alpha > 0.0 && opts.alpha < 1.0) {
        return Err(Error::argument(
            "alpha",
            format!("{} is not in (0, 1)", opts.alpha),
        ));
    }
    Ok(())
}

/// `k × n_clusters` matrix of influence sums (transposed so that draws multiply on the right).
/// Clusters are ordered by id, so the sums do not depend on the unit order beyond rounding.
fn cluster_sums(influence: &[f64], n: usize, k: usize, cluster: Option<&[u32]>) -> DMatrix<f64> {
    match cluster {
        None => DMatrix::from_fn(k, n, |j, i| influence[j * n + i]),
        Some(ids) => {
            let mut sorted: Vec<u32> = ids.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            let mut m = DMatrix::zeros(k, sorted.len());
            for (i, id) in ids.iter().enumerate() {
                // `sorted` holds every id, so the search always succeeds.
                let c = sorted.binary_search(id).unwrap_or(0);
                for j in 0..k {
                    m[(j, c)] += influence[j * n + i];
                }
            }
            m
        }
    }
}

/// Fill `out` with draw `b`'s weights for units `first..first + out.len()`: its own stream under
/// the seed, positioned at the first unit, so any blocking of the units yields the same weights.
/// Rademacher takes bit `i mod 64` of 64-bit word `i / 64`; the others take 32-bit word `i`.
fn fill_weights(out: &mut [f64], seed: u64, b: usize, first: usize, kind: MultiplierWeights) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(b as u64);
    match kind {
        MultiplierWeights::Rademacher => {
            debug_assert!(first % 64 == 0);
            rng.set_word_pos((first / 64 * 2) as u128);
            for block in out.chunks_mut(64) {
                let bits = rng.next_u64();
                for (i, v) in block.iter_mut().enumerate() {
                    *v = if (bits >> i) & 1 == 1 { 1.0 } else { -1.0 };
                }
            }
        }
        MultiplierWeights::Webb => {
            rng.set_word_pos(first as u128);
            let h = 0.5f64.sqrt();
            let t = 1.5f64.sqrt();
            let pts = [-t, -1.0, -h, h, 1.0, t];
            for v in out.iter_mut() {
                // Multiply-shift maps a 32-bit word onto 0..6 (bias below 2⁻²⁹), one word per unit.
                let k = ((rng.next_u32() as u64 * 6) >> 32) as usize;
                *v = pts[k];
            }
        }
        MultiplierWeights::Mammen => {
            rng.set_word_pos(first as u128);
            let s5 = 5f64.sqrt();
            let p_low = (s5 + 1.0) / (2.0 * s5);
            for v in out.iter_mut() {
                let u = rng.next_u32() as f64 / 4_294_967_296.0;
                *v = if u < p_low {
                    -(s5 - 1.0) / 2.0
                } else {
                    (s5 + 1.0) / 2.0
                };
            }
        }
    }
}

/// Units per block of the product (a multiple of 64, so Rademacher words align).
const BLOCK: usize = 4096;

/// One chunk of draws `start..start + m`: `k × m`, accumulated over unit blocks in a fixed order.
fn draw_chunk(
    sums: &DMatrix<f64>,
    seed: u64,
    start: usize,
    m: usize,
    kind: MultiplierWeights,
) -> DMatrix<f64> {
    let (k, nc) = sums.shape();
    let mut acc = DMatrix::<f64>::zeros(k, m);
    let mut first = 0;
    while first < nc {
        let len = BLOCK.min(nc - first);
        let mut v = DMatrix::<f64>::zeros(len, m);
        for r in 0..m {
            let col = &mut v.as_mut_slice()[r * len..(r + 1) * len];
            fill_weights(col, seed, start + r, first, kind);
        }
        acc.gemm(1.0, &sums.columns(first, len), &v, 1.0);
        first += len;
    }
    acc
}

/// All draws, row-major `draws × k`: draw b, column j = Σ_c v_bc S_jc / sqrt(n_c) (did's `bres`).
fn draw_matrix(sums: &DMatrix<f64>, opts: &BootstrapOptions, kind: MultiplierWeights) -> Vec<f64> {
    let (k, nc) = sums.shape();
    let norm = 1.0 / (nc as f64).sqrt();
    let starts: Vec<usize> = (0..opts.draws).step_by(CHUNK).collect();
    let chunks: Vec<Vec<f64>> = starts
        .par_iter()
        .map(|&start| {
            let m = CHUNK.min(opts.draws - start);
            let prod = draw_chunk(sums, opts.seed, start, m, kind);
            let mut out = vec![0.0; m * k];
            for r in 0..m {
                for j in 0..k {
                    out[r * k + j] = prod[(j, r)] * norm;
                }
            }
            out
        })
        .collect();
    chunks.concat()
}

/// Type-1 quantile (R `quantile(type = 1)`) of sorted values.
fn type1(sorted: &[f64], p: f64) -> f64 {
    let nb = sorted.len();
    let idx = ((p * nb as f64).ceil() as usize).clamp(1, nb);
    sorted[idx - 1]
}

/// Per column: the IQR-based scale of the draws, and the standard error (scale · sqrt(n_c)/n).
fn column_scales(
    draws: &[f64],
    b: usize,
    k: usize,
    scale: f64,
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let iqr_norm = normal_quantile(0.75) - normal_quantile(0.25);
    let tiny = f64::EPSILON.sqrt() * 10.0;
    let mut se = Vec::with_capacity(k);
    let mut sigma = Vec::with_capacity(k);
    for j in 0..k {
        let mut col: Vec<f64> = (0..b).map(|r| draws[r * k + j]).collect();
        let ss: f64 = col.iter().map(|v| v * v).sum();
        if ss <= tiny {
            se.push(None);
            sigma.push(None);
            continue;
        }
        col.sort_unstable_by(f64::total_cmp);
        let s = (type1(&col, 0.75) - type1(&col, 0.25)) / iqr_norm;
        sigma.push(Some(s));
        se.push((s * scale > tiny).then_some(s * scale));
    }
    (se, sigma)
}

/// Per column: the draws' standard deviation (mean-zero by construction, so about 0) times scale.
fn column_sd(draws: &[f64], b: usize, k: usize, scale: f64) -> Vec<Option<f64>> {
    (0..k)
        .map(|j| {
            let m = (0..b).map(|r| draws[r * k + j]).sum::<f64>() / b as f64;
            let v = (0..b).map(|r| (draws[r * k + j] - m).powi(2)).sum::<f64>() / (b - 1) as f64;
            let s = v.sqrt() * scale;
            (s > 0.0).then_some(s)
        })
        .collect()
}

/// The (1 − alpha) type-1 quantile over draws of max_j |draw_j| / sigma_j.
fn sup_t_critical(draws: &[f64], b: usize, sigma: &[Option<f64>], alpha: f64) -> Option<f64> {
    let k = sigma.len();
    if sigma.iter().all(|s| s.is_none()) {
        return None;
    }
    let mut maxes: Vec<f64> = (0..b)
        .map(|r| {
            sigma
                .iter()
                .enumerate()
                .filter_map(|(j, s)| s.filter(|s| *s > 0.0).map(|s| (draws[r * k + j] / s).abs()))
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .filter(|v| v.is_finite())
        .collect();
    if maxes.is_empty() {
        return None;
    }
    maxes.sort_unstable_by(f64::total_cmp);
    Some(type1(&maxes, 1.0 - alpha))
}

/// Standard normal quantile.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    // The standard normal's parameters are valid constants, so construction cannot fail.
    Normal::standard().inverse_cdf(p)
}
