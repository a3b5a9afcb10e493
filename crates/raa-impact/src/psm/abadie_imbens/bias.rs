//! Regression bias adjustment (Abadie & Imbens 2011, Matching's `BiasAdjust = TRUE`): within the
//! group that supplies matches, regress the outcome on the covariates weighted by how often each unit
//! is used as a match, then correct each match's outcome for the covariate gap to its focal unit.

use nalgebra::{DMatrix, DVector};

use crate::{Error, Result};

/// Matching's `tolerance` (√machine epsilon): eigenvalue below which the normal equations get a ridge.
const TINY: f64 = 1.490_116_119_384_765_6e-8;

/// Slopes (no intercept) of the weighted least-squares fit of `y` on `[1, x]` over `rows`,
/// weights `k` (units never used as a match have weight 0 and drop out).
///
/// Like Matching, when the smallest eigenvalue of the weighted cross-product matrix is at most
/// √ε, a ridge of √ε × (largest sd of the √k-weighted design columns over all `k.len()` rows) is
/// added to its diagonal, so that e.g. a covariate constant among the matched units gets slope 0
/// instead of failing.
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
    if xtx.clone().symmetric_eigen().eigenvalues.min() <= TINY {
        let ridge = TINY * max_weighted_sd(x, rows, k);
        for a in 0..p {
            xtx[(a, a)] += ridge;
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

/// Largest sample sd (n − 1) over the design columns [1, x] multiplied by √k, taken over all rows
/// (rows outside the group count as zeros), as Matching computes it.
fn max_weighted_sd(x: &[&[f64]], rows: &[usize], k: &[f64]) -> f64 {
    let n = k.len() as f64;
    let column_sd = |value: &dyn Fn(usize) -> f64| {
        let vals: Vec<f64> = rows.iter().map(|&r| k[r].sqrt() * value(r)).collect();
        let mean = vals.iter().sum::<f64>() / n;
        let zeros = n - vals.len() as f64;
        let ss = vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() + zeros * mean * mean;
        (ss / (n - 1.0)).sqrt()
    };
    let mut best = column_sd(&|_| 1.0);
    for col in x {
        best = best.max(column_sd(&|r| col[r]));
    }
    best
}
