//! The (restricted) log-likelihood of the AR(1) model with β and σ² profiled out, as a function of
//! `z = log((1 + φ) / (1 − φ))` (nlme's unconstrained scale for `corAR1`).
//!
//! With `Q(φ)` the residual sum of squares and `A(φ)` the cross-products of the Prais-transformed
//! rows (first row × √(1−φ²), then `v_t − φ v_{t−1}`), nlme's scaling divides both by `1 − φ²`, and
//! `log|R| = (n − 1) log(1 − φ²)`. Collecting terms, up to a constant:
//! ML: `−n/2 log Q + ½ log(1−φ²)`; REML: `−(n−p)/2 log Q + ½ log(1−φ²) − ½ log|A_xx|`.

use super::moments::LagMoments;
use super::options::Method;

/// φ from the unconstrained `z`.
#[inline]
pub(crate) fn phi_of(z: f64) -> f64 {
    (0.5 * z).tanh()
}

/// `log(1 − φ²)` computed from `z` without cancellation near |φ| = 1.
#[inline]
pub(crate) fn log_one_minus_phi2(z: f64) -> f64 {
    let a = z.abs();
    4f64.ln() - a - 2.0 * (-a).exp().ln_1p()
}

/// The profiled criterion with its reusable `m × m` workspace.
#[derive(Debug)]
pub(crate) struct Profile<'a> {
    moments: &'a LagMoments,
    n: usize,
    method: Method,
    work: Vec<f64>,
    /// Evaluations so far.
    pub evaluations: usize,
}

impl<'a> Profile<'a> {
    pub fn new(moments: &'a LagMoments, n: usize, method: Method) -> Self {
        Profile {
            moments,
            n,
            method,
            work: vec![0.0; moments.m * moments.m],
            evaluations: 0,
        }
    }

    /// Minus the profiled (restricted) log-likelihood at `z`, without its constant; `+∞` where the
    /// transformed cross-products are not positive definite (never at a usable φ).
    pub fn negative(&mut self, z: f64) -> f64 {
        self.evaluations += 1;
        let m = self.moments.m;
        let p = m - 1;
        self.moments.transformed(phi_of(z), &mut self.work);
        let Some((log_det_x, log_q)) = cholesky_logs(&mut self.work, m) else {
            return f64::INFINITY;
        };
        let l1 = log_one_minus_phi2(z);
        match self.method {
            Method::Ml => 0.5 * self.n as f64 * log_q - 0.5 * l1,
            Method::Reml => 0.5 * (self.n - p) as f64 * log_q - 0.5 * l1 + 0.5 * log_det_x,
        }
    }
}

/// In-place Cholesky of the lower triangle of a row-major `m × m` augmented matrix `[X y]'[X y]`.
/// Returns `(log|X'X|, log Q)`: the last pivot squared is the residual sum of squares `Q`.
/// `None` when a pivot is not positive.
pub(crate) fn cholesky_logs(a: &mut [f64], m: usize) -> Option<(f64, f64)> {
    let mut log_det = 0.0;
    for j in 0..m {
        let row_j = j * m;
        let mut d = a[row_j + j];
        for k in 0..j {
            d -= a[row_j + k] * a[row_j + k];
        }
        if d.is_nan() || d <= 0.0 {
            return None;
        }
        if j + 1 == m {
            return Some((log_det, d.ln()));
        }
        log_det += d.ln();
        let l = d.sqrt();
        a[row_j + j] = l;
        for i in j + 1..m {
            let mut s = a[i * m + j];
            for k in 0..j {
                s -= a[i * m + k] * a[row_j + k];
            }
            a[i * m + j] = s / l;
        }
    }
    None
}

/// nlme's (restricted) log-likelihood at the optimum of β and σ², with its σ² and the number of
/// observations its BIC uses (`n`, or `n − p` for REML).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Likelihood {
    pub sigma2: f64,
    pub value: f64,
    pub bic_n: f64,
}

/// From `q = (y − Xβ)'R⁻¹(y − Xβ)`, `log|R|` and `log|X'R⁻¹X|` (used by REML only).
pub(crate) fn nlme_log_likelihood(
    method: Method,
    n: usize,
    p: usize,
    q: f64,
    log_r: f64,
    log_det_x: f64,
) -> Likelihood {
    let (nf, pf) = (n as f64, p as f64);
    let ln_2pi = (2.0 * std::f64::consts::PI).ln();
    match method {
        Method::Ml => {
            let sigma2 = q / nf;
            let value = -0.5 * nf * (ln_2pi + 1.0 + sigma2.ln()) - 0.5 * log_r;
            Likelihood {
                sigma2,
                value,
                bic_n: nf,
            }
        }
        Method::Reml => {
            let sigma2 = q / (nf - pf);
            let value =
                -0.5 * (nf - pf) * (ln_2pi + 1.0 + sigma2.ln()) - 0.5 * log_r - 0.5 * log_det_x;
            Likelihood {
                sigma2,
                value,
                bic_n: nf - pf,
            }
        }
    }
}
