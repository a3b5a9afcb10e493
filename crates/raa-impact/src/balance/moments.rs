//! Weighted means and variances with the conventions cobalt uses.

use rayon::prelude::*;

/// Weighted mean of `x` over the rows where `keep` is true. `None` when the weights sum to zero.
/// The sums are [`two_groups`]'s, so the value is bit-identical to its mean of the kept rows.
pub fn mean(x: &[f64], w: &[f64], keep: impl Fn(usize) -> bool + Sync) -> Option<f64> {
    weighted(x.len().min(w.len()), |i| (x[i], keep(i)), w).mean[1]
}

/// Weighted variance with reliability weights, `Σw(x−m)² · Σw / ((Σw)² − Σw²)`: equal to the usual
/// `n − 1` variance when every weight is one. For a binary variable the variance is `p(1 − p)`, as
/// cobalt computes it, because the `n − 1` correction means nothing for a proportion's spread.
pub fn variance(
    x: &[f64],
    w: &[f64],
    keep: impl Fn(usize) -> bool + Sync,
    binary: bool,
) -> Option<f64> {
    let m = weighted(x.len().min(w.len()), |i| (x[i], keep(i)), w);
    match binary {
        true => m.mean[1].map(|m| m * (1.0 - m)),
        false => m.variance[1],
    }
}

/// Kish's effective sample size `(Σw)² / Σw²` over the rows where `keep` is true.
pub fn effective_size(w: &[f64], keep: impl Fn(usize) -> bool) -> f64 {
    let (mut sw, mut sw2) = (0.0, 0.0);
    for i in (0..w.len()).filter(|&i| keep(i)) {
        sw += w[i];
        sw2 += w[i] * w[i];
    }
    if sw2 > 0.0 {
        sw * sw / sw2
    } else {
        0.0
    }
}

/// True when every value is 0 or 1.
pub fn is_binary(x: &[f64]) -> bool {
    x.iter().all(|v| *v == 0.0 || *v == 1.0)
}

/// Weighted means and variances of the control (`[0]`) and treated (`[1]`) rows: [`mean`] and
/// [`variance`] (never the binary formula) of both groups, and the sums they came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoGroups {
    /// Weighted mean of each group (`None` when its weights sum to zero).
    pub mean: [Option<f64>; 2],
    /// Weighted variance of each group, as [`variance`] with `binary == false`.
    pub variance: [Option<f64>; 2],
    /// `Σw` of each group (its number of rows under unit weights).
    pub sum_weights: [f64; 2],
    /// `Σw(x − mean)²` of each group.
    pub sum_squares: [f64; 2],
}

/// Both groups' moments (`w`: `None` = unit weights, nothing to read), summed by the
/// deterministic chunked scheme described at [`two_groups_with`] over the rows of nonzero weight.
///
/// ```
/// use raa_impact::balance::moments::{two_groups, mean};
/// let (x, t) = ([1.0, 2.0, 4.0, 8.0], [true, false, true, false]);
/// let m = two_groups(&x, None, &t);
/// assert_eq!(m.mean[1], mean(&x, &[1.0; 4], |i| t[i]));
/// assert_eq!(m.variance[0], Some(18.0));
/// ```
pub fn two_groups(x: &[f64], w: Option<&[f64]>, treated: &[bool]) -> TwoGroups {
    let n = x.len().min(treated.len());
    match w {
        Some(w) => weighted(n.min(w.len()), |i| (x[i], treated[i]), w),
        None => two_groups_with(n, |i| (x[i], treated[i], 1.0)),
    }
}

/// [`two_groups`] under weights that are zero except on `rows` (ascending), which weigh `values`:
/// only those rows are read. The same bits as [`two_groups`] on the dense weights, because both
/// sum the rows of nonzero weight only, in row order.
///
/// ```
/// use raa_impact::balance::moments::two_groups;
/// use raa_impact::balance::moments::two_groups_sparse;
/// let (x, t) = ([1.0, 2.0, 4.0, 8.0, 3.0], [true, false, true, false, false]);
/// let dense = two_groups(&x, Some(&[0.5, 0.0, 2.0, 1.0, 1.5]), &t);
/// assert_eq!(two_groups_sparse(&x, &[0, 2, 3, 4], &[0.5, 2.0, 1.0, 1.5], &t), dense);
/// ```
pub fn two_groups_sparse(x: &[f64], rows: &[u32], values: &[f64], treated: &[bool]) -> TwoGroups {
    two_groups_sparse_by(|r| x[r], rows, values, treated)
}

/// [`two_groups_sparse`] of a column that is not held: `value(row)` computes each listed row's
/// value as it is read, in parallel (the same bits as the held column's).
pub fn two_groups_sparse_by(
    value: impl Fn(usize) -> f64 + Sync,
    rows: &[u32],
    values: &[f64],
    treated: &[bool],
) -> TwoGroups {
    let n = rows.len().min(values.len());
    let row = |k: usize| (value(rows[k] as usize), treated[rows[k] as usize]);
    weighted(n, row, values)
}

/// [`two_groups_with`] over the entries `0..n` of nonzero weight `w[k]` only, `row(k)` giving the
/// entry's value and group: an entry that weighs nothing changes no sum, and leaving it out makes
/// the chunks of dense weights those of the sparse form, so both give the same bits.
fn weighted(n: usize, row: impl Fn(usize) -> (f64, bool) + Sync, w: &[f64]) -> TwoGroups {
    let w = &w[..n];
    let with_weight = |k: usize| {
        let (x, t) = row(k);
        (x, t, w[k])
    };
    if w.par_iter().with_min_len(1 << 14).all(|v| *v != 0.0) {
        return two_groups_with(n, with_weight);
    }
    let kept: Vec<u32> = (0..n as u32).filter(|&k| w[k as usize] != 0.0).collect();
    two_groups_with(kept.len(), |j| with_weight(kept[j] as usize))
}

/// Rows per chunk of the sums. Fixed, so that every figure is the same whatever the thread count.
const CHUNK: usize = 2048;
/// Interleaved accumulators within a chunk (the `i`-th row of a chunk adds to lane `i % LANES`):
/// independent chains of additions that the processor runs side by side.
const LANES: usize = 4;
/// Chunks below which the sums are not worth handing to other threads (the result is the same).
const PARALLEL_CHUNKS: usize = 8;

/// Both groups' moments over the rows `0..n`, `row(i)` giving row `i`'s value, group (`true`:
/// treated) and weight.
///
/// The rows are cut into fixed chunks of 2,048. Each chunk gives, per group, `Σw`, `Σwx`, `Σw²`
/// and `Σw(x − m_c)²` about its own mean `m_c`, summed in four interleaved lanes. The chunks'
/// sums are then added in chunk order, and the squares about the overall mean `m` follow from
/// `Σ_c [Σw(x − m_c)² + Σw_c (m_c − m)²]` (Chan, Golub and LeVeque's update). The chunks run in
/// parallel, yet every figure is the same bits on any number of threads, and the rows are read
/// once: `row` may compute its value (a logit, a gather) without a column being materialised.
///
/// ```
/// use raa_impact::balance::moments::{two_groups, two_groups_with};
/// let (x, t) = ([1.0, 2.0, 4.0, 8.0], [true, false, true, false]);
/// assert_eq!(two_groups_with(4, |i| (x[i], t[i], 1.0)), two_groups(&x, None, &t));
/// ```
pub fn two_groups_with(n: usize, row: impl Fn(usize) -> (f64, bool, f64) + Sync) -> TwoGroups {
    let chunks = n.div_ceil(CHUNK);
    let sums = |buffer: &mut Buffer, c: usize| {
        let (start, end) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
        buffer.chunk_sums(end - start, |k| row(start + k))
    };
    let partial: Vec<[Sums; 2]> = match chunks >= PARALLEL_CHUNKS {
        true => (0..chunks)
            .into_par_iter()
            .map_init(Buffer::default, sums)
            .collect(),
        false => {
            let mut buffer = Buffer::default();
            (0..chunks).map(|c| sums(&mut buffer, c)).collect()
        }
    };
    combine(&partial)
}

/// One chunk's values and each group's weights (zero on the other group's rows), reused from
/// chunk to chunk.
struct Buffer {
    x: Vec<f64>,
    w: [Vec<f64>; 2],
}

impl Default for Buffer {
    fn default() -> Self {
        Buffer {
            x: vec![0.0; CHUNK],
            w: [vec![0.0; CHUNK], vec![0.0; CHUNK]],
        }
    }
}

impl Buffer {
    /// The control (`[0]`) and treated (`[1]`) sums of one chunk of `len ≤ CHUNK` rows.
    fn chunk_sums(&mut self, len: usize, row: impl Fn(usize) -> (f64, bool, f64)) -> [Sums; 2] {
        for k in 0..len {
            let (x, t, w) = row(k);
            self.x[k] = x;
            // The other group's weight is +0.0: it adds +0.0 to that group's sums, which leaves
            // them unchanged, so neither pass of `group_sums` branches on the group.
            self.w[usize::from(t)][k] = w;
            self.w[usize::from(!t)][k] = 0.0;
        }
        [0, 1].map(|g| group_sums(&self.x[..len], &self.w[g][..len]))
    }
}

/// One group's sums over one chunk.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    sw: f64,
    swx: f64,
    sw2: f64,
    /// `Σw(x − m_c)²` about the chunk's own mean.
    ss: f64,
}

/// [`Sums`] of one group of a chunk, the rows of the other group weighing zero.
fn group_sums(x: &[f64], w: &[f64]) -> Sums {
    let (sw, swx) = lanes(x, w, |x, w| (w, w * x));
    let swx = sum_lanes(swx);
    let sw = sum_lanes(sw);
    if sw <= 0.0 {
        return Sums::default();
    }
    let m = swx / sw;
    let (sw2, ss) = lanes(x, w, |x, w| (w * w, w * (x - m) * (x - m)));
    Sums {
        sw,
        swx,
        sw2: sum_lanes(sw2),
        ss: sum_lanes(ss),
    }
}

/// Two sums of `f(x, w)` over the rows, row `i` added to lane `i % LANES`.
#[inline]
fn lanes(x: &[f64], w: &[f64], f: impl Fn(f64, f64) -> (f64, f64)) -> ([f64; LANES], [f64; LANES]) {
    let (mut a, mut b) = ([0.0; LANES], [0.0; LANES]);
    for (xs, ws) in x.chunks(LANES).zip(w.chunks(LANES)) {
        for l in 0..xs.len() {
            let (u, v) = f(xs[l], ws[l]);
            a[l] += u;
            b[l] += v;
        }
    }
    (a, b)
}

fn sum_lanes(l: [f64; LANES]) -> f64 {
    (l[0] + l[1]) + (l[2] + l[3])
}

/// The chunks' sums added in chunk order, and the squares moved to the overall mean.
fn combine(partial: &[[Sums; 2]]) -> TwoGroups {
    let group = |g: usize| {
        let (mut sw, mut swx, mut sw2) = (0.0, 0.0, 0.0);
        for p in partial.iter().map(|p| p[g]) {
            sw += p.sw;
            swx += p.swx;
            sw2 += p.sw2;
        }
        let mean = (sw > 0.0).then(|| swx / sw);
        let m = mean.unwrap_or(f64::NAN);
        let mut ss = 0.0;
        for p in partial.iter().map(|p| p[g]).filter(|p| p.sw > 0.0) {
            let d = p.swx / p.sw - m;
            ss += p.ss + p.sw * d * d;
        }
        let denominator = sw * sw - sw2;
        let variance = mean.and((denominator > 0.0).then(|| ss * sw / denominator));
        (mean, variance, sw, ss)
    };
    let [c, t] = [0, 1].map(group);
    TwoGroups {
        mean: [c.0, t.0],
        variance: [c.1, t.1],
        sum_weights: [c.2, t.2],
        sum_squares: [c.3, t.3],
    }
}
