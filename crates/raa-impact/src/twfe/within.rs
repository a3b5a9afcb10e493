//! The two-way fixed-effects coefficient on the treatment dummy, by the within transformation:
//! in a balanced panel, subtracting unit and time means (and adding back the grand mean) removes
//! both sets of effects exactly, and by Frisch–Waugh–Lovell the slope of the double-demeaned
//! outcome on the double-demeaned treatment is the coefficient of the dummy regression.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::panel::Panel;
use crate::inference::ClusterAdjust;
use crate::{Error, Result};

/// The TWFE estimate `y_it = α_i + λ_t + β D_it + ε_it`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwfeFit {
    /// The coefficient on `D`.
    pub coefficient: f64,
    /// Its cluster-robust standard error.
    pub std_error: f64,
    /// Number of clusters.
    pub n_clusters: usize,
    /// Number of observations.
    pub n_obs: usize,
    /// The finite-sample adjustment used.
    pub adjust: ClusterAdjust,
}

/// `x_it − x̄_i − x̄_t + x̄`, unit-major.
pub fn double_demean(x: &[f64], n_units: usize, n_times: usize) -> Vec<f64> {
    let mut unit_mean = vec![0.0; n_units];
    let mut time_mean = vec![0.0; n_times];
    for i in 0..n_units {
        for t in 0..n_times {
            let v = x[i * n_times + t];
            unit_mean[i] += v;
            time_mean[t] += v;
        }
    }
    unit_mean.iter_mut().for_each(|m| *m /= n_times as f64);
    time_mean.iter_mut().for_each(|m| *m /= n_units as f64);
    let grand = unit_mean.iter().sum::<f64>() / n_units as f64;
    let mut out = vec![0.0; x.len()];
    for i in 0..n_units {
        for t in 0..n_times {
            out[i * n_times + t] = x[i * n_times + t] - unit_mean[i] - time_mean[t] + grand;
        }
    }
    out
}

/// TWFE coefficient on the treatment with a cluster-robust SE (clusters: [`Panel::clusters`]).
///
/// `adjust`: `None` is the plain sandwich; `Clusters` multiplies by `G/(G−1)`; `Hc1` also by
/// `(n−1)/(n−K)` with `K = T + 1`: the slope and the `T` time effects, unit effects not counted
/// because they are nested in the clusters. This is pyfixest's `ssc(k_fixef="nonnested")`, which
/// counts every level of a non-nested fixed effect (no reference level removed); the test on mpdta
/// matches it to 1e-8.
///
/// ```
/// use raa_impact::twfe::{twfe, Panel};
/// use raa_impact::inference::ClusterAdjust;
/// let unit = [1, 1, 1, 2, 2, 2, 3, 3, 3];
/// let time = [1, 2, 3, 1, 2, 3, 1, 2, 3];
/// let d = [0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
/// let y = [1.0, 3.1, 3.0, 2.0, 2.1, 4.0, 0.0, 0.2, 0.1];
/// let p = Panel::new(&unit, &time, &d, &y).unwrap();
/// let fit = twfe(&p, ClusterAdjust::Clusters).unwrap();
/// assert!(fit.coefficient > 1.5 && fit.std_error > 0.0);
/// ```
pub fn twfe(panel: &Panel, adjust: ClusterAdjust) -> Result<TwfeFit> {
    let (nu, nt) = (panel.n_units(), panel.n_times());
    let d: Vec<f64> = panel
        .treated
        .iter()
        .map(|&b| f64::from(u8::from(b)))
        .collect();
    let dd = double_demean(&d, nu, nt);
    let yd = double_demean(&panel.y, nu, nt);
    let sxx: f64 = dd.iter().map(|v| v * v).sum();
    if sxx <= 1e-12 * (nu * nt) as f64 {
        return Err(Error::argument(
            "treated",
            "has no variation left after unit and time effects (everyone treated at the same time, or no one treated)",
        ));
    }
    let beta = dd.iter().zip(&yd).map(|(a, b)| a * b).sum::<f64>() / sxx;
    // Scores by cluster: Σ D̃ ê over the cluster's rows, with ê = ỹ − β D̃ (the full model's residual).
    let mut scores: BTreeMap<u64, f64> = BTreeMap::new();
    for i in 0..nu {
        let s: f64 = (0..nt)
            .map(|t| {
                let k = i * nt + t;
                dd[k] * (yd[k] - beta * dd[k])
            })
            .sum();
        *scores.entry(panel.clusters[i]).or_insert(0.0) += s;
    }
    let g = scores.len();
    if g < 2 {
        return Err(Error::argument("cluster", "needs at least two clusters"));
    }
    let meat: f64 = scores.values().map(|s| s * s).sum();
    let n = (nu * nt) as f64;
    let (gf, k) = (g as f64, nt as f64 + 1.0);
    let factor = match adjust {
        ClusterAdjust::None => 1.0,
        ClusterAdjust::Clusters => gf / (gf - 1.0),
        ClusterAdjust::Hc1 => gf / (gf - 1.0) * (n - 1.0) / (n - k),
    };
    Ok(TwfeFit {
        coefficient: beta,
        std_error: (factor * meat).sqrt() / sxx,
        n_clusters: g,
        n_obs: nu * nt,
        adjust,
    })
}
