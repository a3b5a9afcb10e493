//! Sandwich covariances: heteroskedasticity-robust (HC0/HC1) and cluster-robust, as R's
//! `sandwich::vcovHC` and `sandwich::vcovCL` compute them for a weighted `lm`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::wls::WlsFit;
use crate::{Error, Result};

/// The finite-sample adjustment of a cluster-robust covariance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ClusterAdjust {
    /// No adjustment (`vcovCL(type = "HC0", cadjust = FALSE)`).
    None,
    /// `G/(G−1)` only (`vcovCL(type = "HC0")`, the default cluster adjustment).
    Clusters,
    /// `G/(G−1) · (n−1)/(n−p)`: `vcovCL`'s default for `lm` (`type = "HC1"`), Stata's `vce(cluster)`.
    #[default]
    Hc1,
}

/// Cluster-robust covariance of a WLS fit: `c · B (Σ_g s_g s_g') B`, where `s_g` sums the scores
/// `w_i x_i e_i` over the rows of cluster `g` and `B = (X'WX)⁻¹`. Rows of weight zero do not count.
/// Clusters are visited in key order, so the result does not depend on row order beyond rounding.
///
/// ```
/// use raa_impact::inference::{vcov_cluster, wls, ClusterAdjust};
/// let one = vec![1.0; 6];
/// let t = vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
/// let y = vec![3.0, 1.0, 4.0, 1.5, 6.0, 2.0];
/// let w = vec![1.0; 6];
/// let fit = wls(&[&one, &t], &["(Intercept)", "t"], &y, &w).unwrap();
/// let pairs = [0u64, 0, 1, 1, 2, 2];
/// let v = vcov_cluster(&fit, &[&one, &t], &w, &pairs, ClusterAdjust::Hc1).unwrap();
/// assert!(v[3] > 0.0);
/// ```
pub fn vcov_cluster(
    fit: &WlsFit,
    columns: &[&[f64]],
    weights: &[f64],
    cluster: &[u64],
    adjust: ClusterAdjust,
) -> Result<Vec<f64>> {
    let n = fit.residuals.len();
    if cluster.len() != n {
        return Err(Error::argument(
            "cluster",
            format!("has {} rows, expected {n}", cluster.len()),
        ));
    }
    let p = fit.p;
    let mut sums: BTreeMap<u64, Vec<f64>> = BTreeMap::new();
    for i in (0..n).filter(|&i| weights[i] > 0.0) {
        let s = sums.entry(cluster[i]).or_insert_with(|| vec![0.0; p]);
        let u = weights[i] * fit.residuals[i];
        for (j, c) in columns.iter().enumerate() {
            s[j] += c[i] * u;
        }
    }
    let g = sums.len() as f64;
    if g < 2.0 {
        return Err(Error::argument(
            "cluster",
            "needs at least two clusters with positive weight",
        ));
    }
    let meat = outer_sum(sums.values(), p);
    let factor = match adjust {
        ClusterAdjust::None => 1.0,
        ClusterAdjust::Clusters => g / (g - 1.0),
        ClusterAdjust::Hc1 => {
            let nu = fit.n_used as f64;
            g / (g - 1.0) * (nu - 1.0) / (nu - p as f64)
        }
    };
    Ok(sandwich(&fit.xtwx_inverse, &meat, p, factor))
}

/// Heteroskedasticity-robust covariance: HC0 (`hc1 = false`) or HC1 (`n/(n−p)`), as `vcovHC`.
pub fn vcov_hc(fit: &WlsFit, columns: &[&[f64]], weights: &[f64], hc1: bool) -> Vec<f64> {
    let p = fit.p;
    let scores = (0..fit.residuals.len())
        .filter(|&i| weights[i] > 0.0)
        .map(|i| {
            let u = weights[i] * fit.residuals[i];
            columns.iter().map(|c| c[i] * u).collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    let meat = outer_sum(scores.iter(), p);
    let nu = fit.n_used as f64;
    let factor = if hc1 { nu / (nu - p as f64) } else { 1.0 };
    sandwich(&fit.xtwx_inverse, &meat, p, factor)
}

fn outer_sum<'a>(scores: impl Iterator<Item = &'a Vec<f64>>, p: usize) -> Vec<f64> {
    let mut meat = vec![0.0; p * p];
    for s in scores {
        for a in 0..p {
            for b in 0..p {
                meat[a * p + b] += s[a] * s[b];
            }
        }
    }
    meat
}

/// `factor · B M B` for row-major p×p `B` and `M`.
fn sandwich(bread: &[f64], meat: &[f64], p: usize, factor: f64) -> Vec<f64> {
    let mul = |a: &[f64], b: &[f64]| {
        let mut out = vec![0.0; p * p];
        for i in 0..p {
            for k in 0..p {
                let aik = a[i * p + k];
                for j in 0..p {
                    out[i * p + j] += aik * b[k * p + j];
                }
            }
        }
        out
    };
    mul(&mul(bread, meat), bread)
        .into_iter()
        .map(|v| v * factor)
        .collect()
}
