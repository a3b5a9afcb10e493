//! Satterthwaite denominator degrees of freedom for `Lβ̂`, as lmerTest computes them:
//! `df = 2 (L C L')² / (g' A g)` with `C = Var(β̂) = σ²(X'V⁻¹X)⁻¹`, `g_j = L (∂C/∂ψ_j) L'` and
//! `A = 2 H⁻¹` the asymptotic covariance of the variance parameters `ψ = (θ, σ)`, `H` the Hessian of
//! the (REML or ML) deviance in ψ (σ not profiled). Derivatives are central differences. At an
//! interior optimum `g'Ag` does not depend on how ψ is parameterised, so our θ (free Cholesky
//! entries, `atanh φ`) gives lmerTest's numbers.

use nalgebra::{DMatrix, SymmetricEigen};
use serde::{Deserialize, Serialize};

use super::dense::inverse_from_cholesky;
use super::deviance::Model;

/// What a contrast's degrees of freedom need, kept in the fit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SatterthwaiteParts {
    /// `A`: asymptotic covariance of `ψ = (θ, σ)` (row-major, `d × d`).
    pub varpar_cov: Vec<f64>,
    /// `∂C/∂ψ_j`, each row-major `p × p`.
    pub vcov_jacobian: Vec<Vec<f64>>,
    /// Whether the Hessian had to be pseudo-inverted (not positive definite).
    pub pseudo_inverse: bool,
}

/// `σ²(X'V⁻¹X)⁻¹` at θ and σ; `None` where undefined.
fn vcov_at(model: &Model<'_>, theta: &[f64], sigma: f64) -> Option<Vec<f64>> {
    let pr = model.profile(&model.layout.unpack(theta))?;
    let p = model.design.p;
    let inv = inverse_from_cholesky(&pr.xx_chol, p);
    Some(inv.into_iter().map(|v| v * sigma * sigma).collect())
}

fn full_deviance(model: &Model<'_>, psi: &[f64]) -> f64 {
    let d = psi.len();
    let sigma = psi[d - 1];
    match model.profile(&model.layout.unpack(&psi[..d - 1])) {
        Some(pr) => model.deviance_at_sigma(&pr, sigma * sigma),
        None => f64::INFINITY,
    }
}

fn step(x: f64) -> f64 {
    1e-4 * x.abs().max(0.05)
}

fn hessian(model: &Model<'_>, psi: &[f64]) -> Vec<f64> {
    let d = psi.len();
    let f0 = full_deviance(model, psi);
    let mut h = vec![0.0; d * d];
    let mut x = psi.to_vec();
    let at = |x: &mut Vec<f64>, i: usize, di: f64, j: usize, dj: f64| {
        let (xi, xj) = (x[i], x[j]);
        x[i] += di;
        x[j] += dj;
        let v = full_deviance(model, x);
        x[i] = xi;
        x[j] = xj;
        v
    };
    for i in 0..d {
        let hi = step(psi[i]);
        let up = at(&mut x, i, hi, i, 0.0);
        let down = at(&mut x, i, -hi, i, 0.0);
        h[i * d + i] = (up - 2.0 * f0 + down) / (hi * hi);
        for j in 0..i {
            let hj = step(psi[j]);
            let pp = at(&mut x, i, hi, j, hj);
            let pm = at(&mut x, i, hi, j, -hj);
            let mp = at(&mut x, i, -hi, j, hj);
            let mm = at(&mut x, i, -hi, j, -hj);
            let v = (pp - pm - mp + mm) / (4.0 * hi * hj);
            h[i * d + j] = v;
            h[j * d + i] = v;
        }
    }
    h
}

/// `2H⁻¹`, pseudo-inverted over the positive eigenvalues when H is not positive definite.
fn twice_inverse(h: &[f64], d: usize) -> (Vec<f64>, bool) {
    let eig = SymmetricEigen::new(DMatrix::from_row_slice(d, d, h));
    let top = eig.eigenvalues.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut pseudo = false;
    let mut out = vec![0.0; d * d];
    for (k, &lam) in eig.eigenvalues.iter().enumerate() {
        if lam.is_nan() || lam <= 1e-10 * top {
            pseudo = true;
            continue;
        }
        for i in 0..d {
            for j in 0..d {
                out[i * d + j] += 2.0 * eig.eigenvectors[(i, k)] * eig.eigenvectors[(j, k)] / lam;
            }
        }
    }
    (out, pseudo)
}

/// The parts at the optimum `theta`, `sigma`.
pub(crate) fn parts(model: &Model<'_>, theta: &[f64], sigma: f64) -> Option<SatterthwaiteParts> {
    let mut psi = theta.to_vec();
    psi.push(sigma);
    let d = psi.len();
    let (varpar_cov, pseudo_inverse) = twice_inverse(&hessian(model, &psi), d);
    let mut vcov_jacobian = Vec::with_capacity(d);
    let mut x = theta.to_vec();
    for j in 0..theta.len() {
        let h = step(theta[j]);
        x[j] = theta[j] + h;
        let up = vcov_at(model, &x, sigma)?;
        x[j] = theta[j] - h;
        let down = vcov_at(model, &x, sigma)?;
        x[j] = theta[j];
        vcov_jacobian.push(
            up.iter()
                .zip(&down)
                .map(|(a, b)| (a - b) / (2.0 * h))
                .collect(),
        );
    }
    // C is σ² times a function of θ alone.
    let c = vcov_at(model, theta, sigma)?;
    vcov_jacobian.push(c.iter().map(|v| 2.0 * v / sigma).collect());
    Some(SatterthwaiteParts {
        varpar_cov,
        vcov_jacobian,
        pseudo_inverse,
    })
}

impl SatterthwaiteParts {
    /// Degrees of freedom of `l'β̂` given `C = Var(β̂)` (row-major `p × p`); `None` when the
    /// variance of the contrast does not depend on the variance parameters.
    pub fn df(&self, l: &[f64], vcov: &[f64]) -> Option<f64> {
        let p = l.len();
        let quad = |m: &[f64]| -> f64 {
            (0..p)
                .map(|i| l[i] * (0..p).map(|j| m[i * p + j] * l[j]).sum::<f64>())
                .sum()
        };
        let var = quad(vcov);
        let g: Vec<f64> = self.vcov_jacobian.iter().map(|m| quad(m)).collect();
        let d = g.len();
        let denom: f64 = (0..d)
            .map(|i| {
                g[i] * (0..d)
                    .map(|j| self.varpar_cov[i * d + j] * g[j])
                    .sum::<f64>()
            })
            .sum();
        let df = 2.0 * var * var / denom;
        (df.is_finite() && df > 0.0).then_some(df)
    }
}
