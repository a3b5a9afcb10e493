//! Analytic standard errors from influence functions, as R `did` forms them, and the optional
//! small-sample correction of clustered inference.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::inference::multiplier::normal_quantile;

/// Below this a standard error counts as zero (R `did`: `sqrt(.Machine$double.eps) * 10`).
pub(crate) fn tiny() -> f64 {
    f64::EPSILON.sqrt() * 10.0
}

/// `sqrt(Σ_i ψ_i²)/n`, or with clusters `sqrt(Σ_c (Σ_{i∈c} ψ_i)²)/n` (no small-sample factor, as
/// `did`'s clustered analytic variance); `None` when it is (numerically) zero.
fn analytic_se(psi: &[f64], cluster: Option<&[u32]>) -> Option<f64> {
    let n = psi.len() as f64;
    let ss = match cluster {
        None => psi.iter().map(|v| v * v).sum::<f64>(),
        Some(c) => {
            let nc = c.iter().copied().max().map_or(0, |m| m as usize + 1);
            let mut sums = vec![0.0; nc];
            for (v, &ci) in psi.iter().zip(c) {
                sums[ci as usize] += v;
            }
            sums.iter().map(|s| s * s).sum()
        }
    };
    let se = ss.sqrt() / n;
    (se.is_finite() && se > tiny()).then_some(se)
}

/// The small-sample correction of clustered inference (Stata's `vce(cluster)` convention): with
/// `G` clusters (units when there are none), analytic SEs are scaled by `sqrt(G/(G − 1))` and
/// pointwise intervals use the t distribution with `G − 1` degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SmallSample {
    /// `G`.
    pub clusters: usize,
}

impl SmallSample {
    /// The correction for `clusters` clusters, when asked for and when there are at least two.
    pub fn of(on: bool, clusters: usize) -> Option<Self> {
        (on && clusters >= 2).then_some(SmallSample { clusters })
    }

    /// The factor on an analytic SE.
    pub fn factor(&self) -> f64 {
        let g = self.clusters as f64;
        (g / (g - 1.0)).sqrt()
    }

    /// The two-sided pointwise critical value at level `alpha`.
    pub fn crit(&self, alpha: f64) -> f64 {
        // G ≥ 2, so the degrees of freedom are positive and the distribution exists.
        StudentsT::new(0.0, 1.0, (self.clusters - 1) as f64)
            .map_or(f64::NAN, |t| t.inverse_cdf(1.0 - alpha / 2.0))
    }
}

/// The analytic SE of `psi`, with the small-sample factor when one is given.
pub(crate) fn corrected_se(
    psi: &[f64],
    cluster: Option<&[u32]>,
    small: Option<SmallSample>,
) -> Option<f64> {
    analytic_se(psi, cluster).map(|se| small.map_or(se, |s| se * s.factor()))
}

/// The pointwise critical value: normal, or t with `G − 1` df under the small-sample correction.
pub(crate) fn pointwise_crit(alpha: f64, small: Option<SmallSample>) -> f64 {
    small.map_or_else(|| normal_quantile(1.0 - alpha / 2.0), |s| s.crit(alpha))
}

/// `att ± c·se` when both are known.
pub(crate) fn interval(att: Option<f64>, se: Option<f64>, c: f64) -> Option<(f64, f64)> {
    match (att, se) {
        (Some(a), Some(s)) => Some((a - c * s, a + c * s)),
        _ => None,
    }
}
