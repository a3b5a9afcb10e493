//! Per-unit cross-products of `[X y 1]`, computed once, from which the AR(1)-whitened
//! cross-products for any φ follow in `O(k²)` per unit.
//!
//! With `corr = φ^|Δt|` the whitened rows are `w₁ = a₁` and `w_j = (a_j − ρ_j a_{j−1}) / √(1 − ρ_j²)`,
//! `ρ_j = φ^{Δt_j}` (exact for a Markov process observed with gaps), so `Σ w_j w_j'` needs, per
//! distinct gap, only `Σ a_j a_j'`, `Σ (a_j a_{j−1}' + a_{j−1} a_j')` and `Σ a_{j−1} a_{j−1}'`.

use rayon::prelude::*;

use super::input::{Design, UnitRows};

/// Sums over the pairs of consecutive rows that are `lag` apart.
#[derive(Debug, Clone)]
pub(crate) struct LagClass {
    pub lag: i32,
    pub count: usize,
    pub s0: Vec<f64>,
    pub s1: Vec<f64>,
    pub s2: Vec<f64>,
}

/// One unit's cross-products (`k × k`, row-major).
#[derive(Debug, Clone)]
pub(crate) struct UnitBlock {
    /// `a₁a₁'` with AR(1); the whole cross-product without.
    pub first: Vec<f64>,
    pub classes: Vec<LagClass>,
    pub group: usize,
}

fn add_outer(m: &mut [f64], a: &[f64], b: &[f64], k: usize) {
    for i in 0..k {
        let ai = a[i];
        for j in 0..k {
            m[i * k + j] += ai * b[j];
        }
    }
}

fn unit_block(design: &Design<'_>, unit: &UnitRows, ar1: bool) -> UnitBlock {
    let k = design.k();
    let row = |r: usize| -> Vec<f64> { (0..k).map(|c| design.value(r, c)).collect() };
    let mut first = vec![0.0; k * k];
    let mut classes: Vec<LagClass> = Vec::new();
    let mut prev = row(unit.rows[0]);
    add_outer(&mut first, &prev, &prev, k);
    for (w, &r) in unit.rows.iter().enumerate().skip(1) {
        let cur = row(r);
        if ar1 {
            // Lags are below 1e9 (checked at the door), so they fit an i32.
            let lag = i32::try_from(unit.lags[w]).unwrap_or(i32::MAX);
            let idx = match classes.iter().position(|c| c.lag == lag) {
                Some(i) => i,
                None => {
                    classes.push(LagClass {
                        lag,
                        count: 0,
                        s0: vec![0.0; k * k],
                        s1: vec![0.0; k * k],
                        s2: vec![0.0; k * k],
                    });
                    classes.len() - 1
                }
            };
            let c = &mut classes[idx];
            c.count += 1;
            add_outer(&mut c.s0, &cur, &cur, k);
            add_outer(&mut c.s1, &cur, &prev, k);
            add_outer(&mut c.s1, &prev, &cur, k);
            add_outer(&mut c.s2, &prev, &prev, k);
        } else {
            add_outer(&mut first, &cur, &cur, k);
        }
        prev = cur;
    }
    UnitBlock {
        first,
        classes,
        group: unit.group,
    }
}

/// Blocks of all units (in unit order; each unit is independent, so any thread count gives the
/// same bits).
pub(crate) fn unit_blocks(design: &Design<'_>, ar1: bool) -> Vec<UnitBlock> {
    design
        .units
        .par_iter()
        .map(|u| unit_block(design, u, ar1))
        .collect()
}

impl UnitBlock {
    /// Whitened cross-product `[X y 1]' R⁻¹ [X y 1]` at `phi` into `out`; returns `log|R|`, or
    /// `None` when `|φ^lag| ≥ 1`.
    pub fn whitened(&self, phi: f64, out: &mut [f64]) -> Option<f64> {
        out.copy_from_slice(&self.first);
        let mut log_det = 0.0;
        for c in &self.classes {
            let rho = phi.powi(c.lag);
            let one_minus = 1.0 - rho * rho;
            if one_minus.is_nan() || one_minus <= 0.0 {
                return None;
            }
            let inv = 1.0 / one_minus;
            for (o, ((a, b), d)) in out.iter_mut().zip(c.s0.iter().zip(&c.s1).zip(&c.s2)) {
                *o += (a - rho * b + rho * rho * d) * inv;
            }
            log_det += c.count as f64 * one_minus.ln();
        }
        Some(log_det)
    }
}
