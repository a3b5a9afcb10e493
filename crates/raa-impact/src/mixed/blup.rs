//! Best linear unbiased predictions of the random effects (unit and group level) at the optimum.
//!
//! Group: `g = τ² 1'V_b⁻¹r / (1 + τ² 1'V_b⁻¹1)` with `V_b` the block-diagonal unit covariance;
//! unit: `b_i = Λ M_i⁻¹ Λ' Z̃_i'(r̃_i − g 1̃)`, `M_i = I + Λ'Z̃_i'Z̃_iΛ` (all relative to σ², which
//! cancels).

use super::dense::{backward, cholesky, forward};
use super::deviance::{Model, Work};
use super::params::VarParams;

/// Unit BLUPs (`m × q`) and group BLUPs (one per group; empty without a group level).
pub(crate) fn blups(
    model: &Model<'_>,
    v: &VarParams,
    beta: &[f64],
) -> Option<(Vec<Vec<f64>>, Vec<f64>)> {
    let d = &model.design;
    let (k, p, q) = (d.k(), d.p, model.layout.q);
    let o = k - 1;
    // Residual coefficients over the block columns: r = y − Xβ.
    let mut coef = vec![0.0; k];
    for j in 0..p {
        coef[j] = -beta[j];
    }
    coef[p] = 1.0;
    let mut work = Work::new(k, q);
    let mut a = vec![0.0; k * k];
    let mut group_blup = Vec::new();
    let white = model.whitened(v.phi)?;
    if model.layout.group {
        let (mut w, mut s) = (vec![0.0; model.n_groups], vec![0.0; model.n_groups]);
        for (i, block) in model.blocks.iter().enumerate() {
            model.unit_schur(i, &white, v, &mut a, &mut work)?;
            w[block.group] += (0..k).map(|c| a[o * k + c] * coef[c]).sum::<f64>();
            s[block.group] += a[o * k + o];
        }
        let tau2 = v.tau * v.tau;
        group_blup = w
            .iter()
            .zip(&s)
            .map(|(w, s)| tau2 * w / (1.0 + tau2 * s))
            .collect();
    }
    let mut unit_blup = Vec::with_capacity(model.blocks.len());
    let mut m = vec![0.0; q * q];
    for block in &model.blocks {
        block.whitened(v.phi, &mut a)?;
        let mut c = coef.clone();
        if let Some(g) = group_blup.get(block.group) {
            c[o] = -g;
        }
        let ztr: Vec<f64> =
            d.z.iter()
                .map(|&zr| (0..k).map(|col| a[zr * k + col] * c[col]).sum())
                .collect();
        // x = Λ' Z̃'r̃
        let mut x: Vec<f64> = (0..q)
            .map(|i| (i..q).map(|b| v.lambda[b * q + i] * ztr[b]).sum())
            .collect();
        for i in 0..q {
            for j in 0..q {
                let mut s = f64::from(u8::from(i == j));
                for b1 in i..q {
                    for b2 in j..q {
                        s += v.lambda[b1 * q + i] * a[d.z[b1] * k + d.z[b2]] * v.lambda[b2 * q + j];
                    }
                }
                m[i * q + j] = s;
            }
        }
        cholesky(&mut m, q)?;
        forward(&m, q, &mut x);
        backward(&m, q, &mut x);
        unit_blup.push(
            (0..q)
                .map(|i| (0..=i).map(|j| v.lambda[i * q + j] * x[j]).sum())
                .collect(),
        );
    }
    Some((unit_blup, group_blup))
}

impl super::fit::MixedFit {
    /// Each unit's coefficient of fixed effect `term` (in `units` order): β̂ plus the unit's BLUP
    /// when the term has a unit random effect, β̂ alone otherwise.
    pub fn unit_coefficients(&self, term: &str) -> crate::Result<Vec<f64>> {
        let k = self.names.iter().position(|n| n == term).ok_or_else(|| {
            crate::Error::argument(
                "term",
                format!("{term:?} is not a fixed effect ({:?})", self.names),
            )
        })?;
        let beta = self.coefficients[k];
        let r = self.random_names.iter().position(|n| n == term);
        Ok(self
            .unit_blups
            .iter()
            .map(|b| beta + r.map_or(0.0, |r| b[r]))
            .collect())
    }
}
