//! The variance parameters as the optimiser sees them (an unconstrained vector θ) and as the
//! likelihood uses them.
//!
//! The unit-level covariance relative to σ² is `Ψ = ΛΛ'` with `Λ` lower triangular. The entries of
//! `Λ` are free reals (as lme4's θ): a variance can reach exactly zero at a finite θ, where the
//! deviance is smooth, so that a boundary fit converges instead of drifting towards −∞ as it
//! would on a log scale. The group-level relative SD `τ` is free in the same way (only τ² enters);
//! the AR(1) coefficient is `φ = tanh(θ_φ)`.

use super::options::RandomCovariance;

/// Which parameters the model has.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub q: usize,
    pub diagonal: bool,
    pub group: bool,
    pub ar1: bool,
    /// Typical size of each random-effect column: θ holds row `i` of Λ times `scales[i]`, so
    /// that every θ entry is a relative SD on the scale of its column and the optimiser sees
    /// parameters of similar size (a slope in quarters would otherwise be ~10× smaller).
    pub scales: Vec<f64>,
}

/// Variance parameters in likelihood form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VarParams {
    /// `q × q` row-major lower-triangular factor of Ψ (relative to σ²).
    pub lambda: Vec<f64>,
    /// Group-level relative SD (0 without a group level).
    pub tau: f64,
    /// AR(1) coefficient (0 for independent residuals).
    pub phi: f64,
}

impl Layout {
    pub fn new(
        q: usize,
        covariance: RandomCovariance,
        group: bool,
        ar1: bool,
        scales: Vec<f64>,
    ) -> Self {
        Layout {
            q,
            diagonal: covariance == RandomCovariance::Diagonal,
            group,
            ar1,
            scales,
        }
    }

    /// Number of entries of Λ that are free.
    pub fn n_lambda(&self) -> usize {
        if self.diagonal {
            self.q
        } else {
            self.q * (self.q + 1) / 2
        }
    }

    /// Length of θ.
    pub fn len(&self) -> usize {
        self.n_lambda() + usize::from(self.group) + usize::from(self.ar1)
    }

    /// Row-major positions in Λ of the free entries, column by column (diagonal first).
    pub fn lambda_positions(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(self.n_lambda());
        for j in 0..self.q {
            out.push((j, j));
            if !self.diagonal {
                out.extend((j + 1..self.q).map(|i| (i, j)));
            }
        }
        out
    }

    pub fn unpack(&self, theta: &[f64]) -> VarParams {
        let q = self.q;
        let mut lambda = vec![0.0; q * q];
        for (k, (i, j)) in self.lambda_positions().into_iter().enumerate() {
            lambda[i * q + j] = theta[k] / self.scales[i];
        }
        let mut next = self.n_lambda();
        let tau = if self.group {
            next += 1;
            theta[next - 1]
        } else {
            0.0
        };
        let phi = if self.ar1 { theta[next].tanh() } else { 0.0 };
        VarParams { lambda, tau, phi }
    }

    pub fn pack(&self, v: &VarParams) -> Vec<f64> {
        let q = self.q;
        let mut theta: Vec<f64> = self
            .lambda_positions()
            .into_iter()
            .map(|(i, j)| v.lambda[i * q + j] * self.scales[i])
            .collect();
        if self.group {
            theta.push(v.tau);
        }
        if self.ar1 {
            theta.push(v.phi.atanh());
        }
        theta
    }
}

/// `Ψ = ΛΛ'` (row-major `q × q`).
pub(crate) fn psi(lambda: &[f64], q: usize) -> Vec<f64> {
    let mut out = vec![0.0; q * q];
    for i in 0..q {
        for j in 0..q {
            out[i * q + j] = (0..q).map(|k| lambda[i * q + k] * lambda[j * q + k]).sum();
        }
    }
    out
}

/// A lower-triangular Λ with `ΛΛ' = Ψ` for a positive semi-definite Ψ (zero columns where a
/// pivot vanishes).
pub(crate) fn lambda_of(psi: &[f64], q: usize) -> Vec<f64> {
    let mut l = vec![0.0f64; q * q];
    for j in 0..q {
        let d = psi[j * q + j] - (0..j).map(|k| l[j * q + k].powi(2)).sum::<f64>();
        if d <= 1e-14 * psi[j * q + j].abs().max(f64::MIN_POSITIVE) {
            continue;
        }
        let s = d.sqrt();
        l[j * q + j] = s;
        for i in j + 1..q {
            let v = psi[i * q + j] - (0..j).map(|k| l[i * q + k] * l[j * q + k]).sum::<f64>();
            l[i * q + j] = v / s;
        }
    }
    l
}
