//! OLS on the AR(1)-transformed rows (Prais form: first row × √(1−ρ²), then `v_t − ρ v_{t−1}`;
//! or Cochrane–Orcutt: first row dropped), by Householder QR for accuracy.

use nalgebra::{DMatrix, DVector};

use super::input::Series;
use super::options::FirstRow;
use crate::{Error, Result};

/// Residual sum of squares below this fraction of the outcome's is an exact fit.
const EXACT_FIT: f64 = 1e-20;

/// OLS on the transformed rows.
#[derive(Debug)]
pub(crate) struct Transformed {
    pub beta: Vec<f64>,
    /// `(W'W)⁻¹`, row-major `p × p`, `W` the transformed design.
    pub wtw_inverse: Vec<f64>,
    /// Residual sum of squares of the transformed rows.
    pub rss: f64,
    /// `log det(W'W)`.
    pub log_det: f64,
    /// Transformed residuals, one per transformed row.
    pub whitened: Vec<f64>,
}

/// Fit `y ~ X` on the rows transformed with AR coefficient `rho` (|rho| < 1).
pub(crate) fn transformed_ols(series: &Series, rho: f64, first: FirstRow) -> Result<Transformed> {
    let skip = usize::from(first == FirstRow::Drop);
    let scale0 = (1.0 - rho * rho).sqrt();
    ols_on_rows(series, skip, |v: &dyn Fn(usize) -> f64, i: usize| {
        if i == 0 {
            scale0 * v(0)
        } else {
            v(i) - rho * v(i - 1)
        }
    })
}

/// Fit `y ~ X` on rows `skip..n` transformed by `transform(column, row)`, a linear filter of the
/// column read through the accessor.
pub(crate) fn ols_on_rows(
    series: &Series,
    skip: usize,
    transform: impl Fn(&dyn Fn(usize) -> f64, usize) -> f64,
) -> Result<Transformed> {
    let (n, p) = (series.n, series.p());
    let rows = n - skip;
    let w = DMatrix::from_fn(rows, p, |r, j| transform(&|i| series.x(i, j), r + skip));
    let wy = DVector::from_fn(rows, |r, _| transform(&|i| series.y[i], r + skip));
    let qr = w.clone().qr();
    let r = qr.r();
    let mut qty = wy.clone();
    qr.q_tr_mul(&mut qty);
    let r_inverse = r
        .solve_upper_triangular(&DMatrix::identity(p, p))
        .filter(|m| m.iter().all(|v| v.is_finite()))
        .ok_or_else(|| {
            Error::argument(
                "columns",
                "the AR-transformed design is singular; expected linearly independent columns",
            )
        })?;
    let beta = &r_inverse * qty.rows(0, p);
    let resid = &wy - &w * &beta;
    let rss = resid.norm_squared();
    // An exact fit leaves only rounding in the residuals: σ, φ and the SEs would be noise.
    if rss <= EXACT_FIT * wy.norm_squared() {
        return Err(Error::argument(
            "y",
            "the outcome is fitted exactly by the columns (residual sum of squares ≈ 0); \
             nothing is left to estimate the errors from",
        ));
    }
    let inverse = &r_inverse * r_inverse.transpose();
    let log_det = 2.0 * (0..p).map(|j| r[(j, j)].abs().ln()).sum::<f64>();
    Ok(Transformed {
        beta: beta.iter().copied().collect(),
        wtw_inverse: (0..p * p).map(|k| inverse[(k / p, k % p)]).collect(),
        rss,
        log_det,
        whitened: resid.iter().copied().collect(),
    })
}
