//! Abadie–Imbens (2006) variance of the matching estimator, as in R Matching.
//!
//! With K(j) = Σ over focal units i that use j of 1/#matches(i) and KK(j) the same sum of squares,
//! σ²(j) the conditional outcome variance and τᵢ the unit-level effect of focal unit i:
//! - sample (SATE):  Σⱼ σ²(j)·(tⱼ + cⱼK(j))² / N²,
//! - population:     Σⱼ σ²(j)·cⱼ·(K(j)² − KK(j) [+ 2K(j) for the ATE]) / N² + Σᵢ (τᵢ − τ̂)² / N²,
//!
//! where tⱼ = 1 for focal units, cⱼ = 1 for units that can serve as matches, N = number of focal units.

use super::neighbours::Pool;
use crate::{Error, Result};

/// Inputs of the variance formulas, per row of the data.
pub(crate) struct VarianceInputs<'a> {
    pub is_focal: &'a [bool],
    pub is_match_group: &'a [bool],
    pub k: &'a [f64],
    pub kk: &'a [f64],
    pub unit_effects: &'a [(usize, f64)],
    pub estimate: f64,
    pub ate: bool,
}

/// (sample variance, population variance) given σ² per row.
pub(crate) fn variances(v: &VarianceInputs<'_>, sigma2: &[f64]) -> (f64, f64) {
    let sn = v.unit_effects.len() as f64;
    let (mut sample, mut pop) = (0.0, 0.0);
    for (j, s2) in sigma2.iter().enumerate() {
        let t = if v.is_focal[j] { 1.0 } else { 0.0 };
        let c = if v.is_match_group[j] { 1.0 } else { 0.0 };
        let a = t + c * v.k[j];
        sample += s2 * a * a;
        let extra = if v.ate { 2.0 * v.k[j] } else { 0.0 };
        pop += s2 * c * (v.k[j] * v.k[j] + extra - v.kk[j]);
    }
    let spread: f64 = v
        .unit_effects
        .iter()
        .map(|(_, e)| (e - v.estimate).powi(2))
        .sum();
    (sample / (sn * sn), (pop + spread) / (sn * sn))
}

/// Homoskedastic σ²: half the weighted mean squared deviation of the pair differences.
pub(crate) fn homoskedastic(pairs: &[(f64, f64)], estimate: f64) -> f64 {
    let sw: f64 = pairs.iter().map(|p| p.1).sum();
    0.5 * pairs
        .iter()
        .map(|(tau, w)| w * (tau - estimate).powi(2))
        .sum::<f64>()
        / sw
}

/// Heteroskedastic σ²(j): sample variance (n − 1) of the outcome over unit j and its `j_near`
/// nearest units of the same group (ties kept), Matching's `Var.calc = J`.
pub(crate) fn heteroskedastic(
    y: &[f64],
    treated: &[bool],
    coords: &[Vec<f64>],
    j_near: usize,
    tol: f64,
) -> Result<Vec<f64>> {
    let n = y.len();
    let mut out = vec![0.0; n];
    for group in [true, false] {
        let rows: Vec<usize> = (0..n).filter(|&r| treated[r] == group).collect();
        if rows.len() < 2 {
            return Err(Error::argument(
                "var_calc",
                "needs at least two units in each group to estimate conditional variances",
            ));
        }
        let m = j_near.min(rows.len() - 1);
        let pool = Pool::new(coords, rows.clone(), true);
        let sets = pool.match_all(&rows, m, tol);
        for (&i, set) in rows.iter().zip(&sets) {
            let vals: Vec<f64> = std::iter::once(y[i])
                .chain(set.iter().map(|&j| y[j]))
                .collect();
            let cnt = vals.len() as f64;
            let mean = vals.iter().sum::<f64>() / cnt;
            out[i] = vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (cnt - 1.0);
        }
    }
    Ok(out)
}
