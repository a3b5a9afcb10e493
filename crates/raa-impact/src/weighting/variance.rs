//! From per-unit influence values to a standard error, and the shared [`Effect`] constructor.

use std::collections::BTreeMap;

use statrs::distribution::{ContinuousCDF, Normal};

use crate::psm::effect::Effect;
use crate::psm::Estimand;

/// `sqrt(Σ φ_i²)`, or with clusters `sqrt(G/(G−1) Σ_g (Σ_{i∈g} φ_i)²)`; returns the SE and `G`.
/// `phi` is on the scale of the estimate (already divided by the normalising sums).
/// Clusters are visited in key order so the result does not depend on how rows are ordered
/// within the map beyond rounding.
pub(crate) fn se_from_influence(phi: &[f64], cluster: Option<&[u64]>) -> (f64, Option<usize>) {
    match cluster {
        None => (phi.iter().map(|v| v * v).sum::<f64>().sqrt(), None),
        Some(ids) => {
            let mut sums: BTreeMap<u64, f64> = BTreeMap::new();
            for (v, g) in phi.iter().zip(ids) {
                *sums.entry(*g).or_insert(0.0) += v;
            }
            let g = sums.len() as f64;
            let ss: f64 = sums.values().map(|s| s * s).sum();
            ((g / (g - 1.0) * ss).sqrt(), Some(sums.len()))
        }
    }
}

/// What an estimator computed, before the interval and test are added.
pub(crate) struct Estimate {
    pub estimand: Estimand,
    pub method: String,
    pub estimate: f64,
    pub se: f64,
    pub se_method: String,
    pub n_clusters: Option<usize>,
}

/// Add the normal interval, z and p-value, and the group sizes.
pub(crate) fn finish(e: Estimate, level: f64, treated: &[bool]) -> Effect {
    let normal = Normal::standard();
    let q = normal.inverse_cdf(0.5 + level / 2.0);
    let z = e.estimate / e.se;
    let n_treated = treated.iter().filter(|t| **t).count();
    Effect {
        estimand: e.estimand,
        method: e.method,
        estimate: e.estimate,
        se: e.se,
        ci: (e.estimate - q * e.se, e.estimate + q * e.se),
        level,
        z,
        p_value: 2.0 * normal.cdf(-z.abs()),
        se_method: e.se_method,
        n_clusters: e.n_clusters,
        n_treated,
        n_control: treated.len() - n_treated,
    }
}

/// The clause of `se_method` describing the clustering.
pub(crate) fn cluster_clause(n_clusters: Option<usize>) -> String {
    match n_clusters {
        Some(g) => {
            format!(", clustered: estimating functions summed within {g} clusters, times G/(G−1)")
        }
        None => String::new(),
    }
}
