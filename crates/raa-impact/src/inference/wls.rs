//! Weighted least squares with the pieces a sandwich covariance needs.

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::check;
use crate::{Error, Result};

/// A weighted least-squares fit `y ~ X` with prior weights `w` (as R's `lm(weights = w)`).
#[derive(Debug, Clone, Serialize)]
pub struct WlsFit {
    /// Coefficients, one per column of `X`.
    pub coefficients: Vec<f64>,
    /// `(X'WX)⁻¹`, row-major p×p: the "bread" of the sandwich.
    pub xtwx_inverse: Vec<f64>,
    /// Residuals `y − Xβ`, one per row (including rows of weight zero).
    pub residuals: Vec<f64>,
    /// Rows with a positive weight (R's `lm` drops zero-weight rows from `n`).
    pub n_used: usize,
    /// Number of coefficients.
    pub p: usize,
}

impl WlsFit {
    /// Residual variance `Σ w e² / (n − p)`, R's `sigma(fit)^2`.
    pub fn sigma2(&self, weights: &[f64]) -> f64 {
        let rss: f64 = self
            .residuals
            .iter()
            .zip(weights)
            .map(|(e, w)| w * e * e)
            .sum();
        rss / (self.n_used as f64 - self.p as f64)
    }

    /// The model-based covariance `σ² (X'WX)⁻¹`, row-major.
    pub fn vcov_classical(&self, weights: &[f64]) -> Vec<f64> {
        let s2 = self.sigma2(weights);
        self.xtwx_inverse.iter().map(|v| v * s2).collect()
    }
}

/// Fit `y ~ columns` by weighted least squares. `columns` must include an intercept column if one is
/// wanted. Errors name the column that is not finite or that makes `X'WX` singular.
///
/// ```
/// use raa_impact::inference::wls;
/// let one = vec![1.0; 4];
/// let x = vec![0.0, 1.0, 2.0, 3.0];
/// let y = vec![1.0, 3.0, 5.0, 7.0];
/// let fit = wls(&[&one, &x], &["(Intercept)", "x"], &y, &[1.0; 4]).unwrap();
/// assert!((fit.coefficients[1] - 2.0).abs() < 1e-12);
/// ```
pub fn wls(columns: &[&[f64]], names: &[&str], y: &[f64], weights: &[f64]) -> Result<WlsFit> {
    let n = y.len();
    let p = columns.len();
    check::finite("y", y, n)?;
    check::weights("weights", weights, n)?;
    for (c, name) in columns.iter().zip(names) {
        check::finite(name, c, n)?;
    }
    let n_used = weights.iter().filter(|w| **w > 0.0).count();
    if n_used <= p {
        return Err(Error::argument(
            "weights",
            format!("{n_used} rows with positive weight for {p} coefficients"),
        ));
    }
    let (xtwx, xtwy) = normal_equations(columns, y, weights);
    let inverse = invert_spd(&xtwx, names)?;
    let beta = &inverse * xtwy;
    let residuals = (0..n)
        .map(|i| y[i] - (0..p).map(|j| columns[j][i] * beta[j]).sum::<f64>())
        .collect();
    Ok(WlsFit {
        coefficients: beta.iter().copied().collect(),
        xtwx_inverse: row_major(&inverse),
        residuals,
        n_used,
        p,
    })
}

fn normal_equations(columns: &[&[f64]], y: &[f64], w: &[f64]) -> (DMatrix<f64>, DVector<f64>) {
    let p = columns.len();
    let mut xtwx = DMatrix::zeros(p, p);
    let mut xtwy = DVector::zeros(p);
    for a in 0..p {
        xtwy[a] = (0..y.len()).map(|i| w[i] * columns[a][i] * y[i]).sum();
        for b in 0..=a {
            let s: f64 = (0..y.len())
                .map(|i| w[i] * columns[a][i] * columns[b][i])
                .sum();
            xtwx[(a, b)] = s;
            xtwx[(b, a)] = s;
        }
    }
    (xtwx, xtwy)
}

/// Invert a symmetric positive definite matrix, naming the first column that makes it singular.
pub(crate) fn invert_spd(m: &DMatrix<f64>, names: &[&str]) -> Result<DMatrix<f64>> {
    let singular = |j: usize| {
        Error::argument(
            names.get(j).copied().unwrap_or("X"),
            "is constant or a linear combination of the other columns (X'WX is singular)",
        )
    };
    // Find the first column whose addition loses rank, so the message can name it.
    let p = m.nrows();
    for k in 1..=p {
        let sub = m.view((0, 0), (k, k)).into_owned();
        let scale = (0..k).map(|i| sub[(i, i)].abs()).fold(0.0, f64::max);
        match sub.cholesky() {
            Some(ch) => {
                let l = ch.l();
                if l[(k - 1, k - 1)].powi(2) <= 1e-10 * scale.max(f64::MIN_POSITIVE) {
                    return Err(singular(k - 1));
                }
            }
            None => return Err(singular(k - 1)),
        }
    }
    m.clone()
        .cholesky()
        .map(|c| c.inverse())
        .ok_or_else(|| singular(p.saturating_sub(1)))
}

pub(crate) fn row_major(m: &DMatrix<f64>) -> Vec<f64> {
    let (r, c) = m.shape();
    (0..r)
        .flat_map(|i| (0..c).map(move |j| (i, j)))
        .map(|(i, j)| m[(i, j)])
        .collect()
}
