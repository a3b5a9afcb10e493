//! Regression bias adjustment (Abadie & Imbens 2011, Matching's `BiasAdjust = TRUE`): within the
//! group that supplies matches, regress the outcome on the covariates weighted by how often each unit
//! is used as a match, then correct each match's outcome for the covariate gap to its focal unit.

use nalgebra::{DMatrix, DVector};

use crate::{Error, Result};

/// Slopes (no intercept) of the weighted least-squares fit of `y` on `[1, x]` over `rows`,
/// weights `k` (units never used as a match have weight 0 and drop out).
pub(crate) fn slopes(y: &[f64], x: &[&[f64]], rows: &[usize], k: &[f64]) -> Result<Vec<f64>> {
    let p = x.len() + 1;
    let mut xtx = DMatrix::<f64>::zeros(p, p);
    let mut xty = DVector::<f64>::zeros(p);
    let mut row = vec![0.0; p];
    for &r in rows.iter().filter(|&&r| k[r] > 0.0) {
        row[0] = 1.0;
        for (a, col) in x.iter().enumerate() {
            row[a + 1] = col[r];
        }
        for a in 0..p {
            xty[a] += k[r] * row[a] * y[r];
            for b in 0..p {
                xtx[(a, b)] += k[r] * row[a] * row[b];
            }
        }
    }
    let beta = xtx.cholesky().map(|c| c.solve(&xty)).ok_or_else(|| {
        Error::argument(
            "x",
            "bias adjustment: the matched units' covariates are collinear (weighted regression is singular)",
        )
    })?;
    Ok(beta.iter().skip(1).copied().collect())
}
