//! Lag cross-products of the series, from which the AR(1)-transformed cross-products follow for any φ
//! without another pass over the rows.
//!
//! With `z_t = [x_t, y_t]` and the transform `w_1 = √(1−φ²) z_1`, `w_t = z_t − φ z_{t−1}`,
//! `Σ w w' = S − φ D + φ² M` where `S = Σ z z'`, `D = Σ_{t≥2} (z_t z_{t−1}' + z_{t−1} z_t')` and
//! `M = S − z_1 z_1' − z_n z_n'`. When there is an intercept, the other columns and `y` are centred
//! first: that is a unit-triangular change of basis, so it changes neither the residual sum of squares
//! nor `det(X'X)`, and it keeps the cancellation in `y'y − b'A⁻¹b` small.

use super::input::Series;

/// The three `m × m` matrices (`m = p + 1`, the outcome last), row-major, lower triangle filled.
#[derive(Debug)]
pub(crate) struct LagMoments {
    pub m: usize,
    s: Vec<f64>,
    d: Vec<f64>,
    mm: Vec<f64>,
}

impl LagMoments {
    pub fn new(series: &Series) -> Self {
        let p = series.p();
        let m = p + 1;
        let centre = centres(series);
        let row = |i: usize, out: &mut [f64]| {
            for (j, o) in out[..p].iter_mut().enumerate() {
                *o = series.x(i, j) - centre[j];
            }
            out[p] = series.y[i] - centre[p];
        };
        let (mut s, mut d) = (vec![0.0; m * m], vec![0.0; m * m]);
        let (mut prev, mut cur) = (vec![0.0; m], vec![0.0; m]);
        for i in 0..series.n {
            row(i, &mut cur);
            for a in 0..m {
                for b in 0..=a {
                    s[a * m + b] += cur[a] * cur[b];
                    if i > 0 {
                        d[a * m + b] += cur[a] * prev[b] + prev[a] * cur[b];
                    }
                }
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        // `prev` now holds the last row; rebuild the first.
        row(0, &mut cur);
        let mut mm = s.clone();
        for a in 0..m {
            for b in 0..=a {
                mm[a * m + b] -= cur[a] * cur[b] + prev[a] * prev[b];
            }
        }
        LagMoments { m, s, d, mm }
    }

    /// Write `S − φ D + φ² M` (lower triangle) into `out`.
    #[inline]
    pub fn transformed(&self, phi: f64, out: &mut [f64]) {
        let phi2 = phi * phi;
        for (o, ((s, d), m)) in out.iter_mut().zip(self.s.iter().zip(&self.d).zip(&self.mm)) {
            *o = s - phi * d + phi2 * m;
        }
    }
}

/// Column means (and the outcome's mean, last) to subtract; zeros without an intercept, and zero for
/// the intercept column itself.
fn centres(series: &Series) -> Vec<f64> {
    let p = series.p();
    let mut c = vec![0.0; p + 1];
    if series.intercept {
        let n = series.n as f64;
        for (j, cj) in c.iter_mut().enumerate().take(p).skip(1) {
            *cj = series.cols[j - 1].iter().sum::<f64>() / n;
        }
        c[p] = series.y.iter().sum::<f64>() / n;
    }
    c
}
