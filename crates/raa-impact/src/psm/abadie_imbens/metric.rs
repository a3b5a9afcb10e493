//! Scaling of the covariates so that the matching distance is a plain squared Euclidean distance
//! between transformed coordinates (Matching's standardisation and `Weight.matrix`).

use nalgebra::DMatrix;

use super::Scaling;
use crate::{Error, Result};

/// Matching's `tolerance` (√machine epsilon): floor of a standard deviation and of an eigenvalue.
const TINY: f64 = 1.490_116_119_384_765_6e-8;

/// Transformed coordinates, one column per dimension.
pub(crate) fn transform(x: &[&[f64]], scaling: Scaling) -> Result<Vec<Vec<f64>>> {
    match scaling {
        Scaling::Identity => Ok(x.iter().map(|c| c.to_vec()).collect()),
        Scaling::InverseVariance => Ok(x.iter().map(|c| standardise(c)).collect()),
        Scaling::Mahalanobis => mahalanobis(x.iter().map(|c| standardise(c)).collect()),
    }
}

/// (x − mean) / sd, with Matching's sd: √(Σx²/n − mean²)·√(n/(n−1)).
fn standardise(col: &[f64]) -> Vec<f64> {
    let n = col.len() as f64;
    let mean = col.iter().sum::<f64>() / n;
    let sum_sq: f64 = col.iter().map(|v| v * v).sum();
    let mut sd = ((sum_sq.max(TINY) / n - mean * mean).max(0.0)).sqrt() * (n / (n - 1.0)).sqrt();
    // NaN-safe floor (a NaN sd would fail `sd >= TINY` too).
    if sd.is_nan() || sd < TINY {
        sd = TINY;
    }
    col.iter().map(|v| (v - mean) / sd).collect()
}

/// Standardised columns z mapped to R·z, where RᵀR = (zᵀz/n)⁻¹, so that ‖R(zⱼ − zᵢ)‖² is the
/// Mahalanobis distance. Like Matching, falls back to the identity when zᵀz/n is near singular.
fn mahalanobis(z: Vec<Vec<f64>>) -> Result<Vec<Vec<f64>>> {
    let p = z.len();
    let n = z.first().map_or(0, |c| c.len());
    let mut s = DMatrix::<f64>::zeros(p, p);
    for a in 0..p {
        for b in 0..=a {
            let v = z[a].iter().zip(&z[b]).map(|(u, w)| u * w).sum::<f64>() / n as f64;
            s[(a, b)] = v;
            s[(b, a)] = v;
        }
    }
    let min_eigen = s.clone().symmetric_eigen().eigenvalues.min();
    if min_eigen <= 1e-7 {
        return Ok(z);
    }
    let w = s
        .try_inverse()
        .ok_or_else(|| Error::argument("x", "covariance matrix of the covariates is singular"))?;
    let chol = w.cholesky().ok_or_else(|| {
        Error::argument("x", "inverse covariance matrix is not positive definite")
    })?;
    // L Lᵀ = W, so R = Lᵀ satisfies RᵀR = W.
    let r = chol.l().transpose();
    let mut out = vec![vec![0.0; n]; p];
    for i in 0..n {
        for a in 0..p {
            out[a][i] = (a..p).map(|b| r[(a, b)] * z[b][i]).sum();
        }
    }
    Ok(out)
}
