//! The (restricted) deviance with β and σ² profiled out, from per-unit Woodbury reductions:
//! each evaluation costs `O(m (k² + q k² + q³))` for `m` units and `k = p + 2` block columns.
//!
//! For unit `i` with whitened cross-product `C`, `V_i = σ²(Z Ψ Z' + R)` gives
//! `[X y 1]' V_i⁻¹ [X y 1] σ² = C − U'U` with `U = L⁻¹ Λ' C_Z·`, `LL' = I + Λ' C_ZZ Λ`, and
//! `log|V_i/σ²| = log|R| + log|LL'|`. A group-level random intercept adds the rank-one
//! update of the ones column over the units of the group.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::blocks::UnitBlock;
use super::dense::{backward, cholesky, forward};
use super::input::Design;
use super::options::Method;
use super::params::{Layout, VarParams};

/// Units × block entries above which a deviance evaluation reduces units in parallel (below it,
/// thread hand-off costs more than it saves).
const PARALLEL_WORK: usize = 100_000;

/// The design, its unit blocks and the parameter layout: everything a deviance evaluation needs.
#[derive(Debug)]
pub(crate) struct Model<'a> {
    pub design: Design<'a>,
    pub blocks: Vec<UnitBlock>,
    pub layout: Layout,
    pub method: Method,
    pub n_groups: usize,
    /// Whitened blocks at the last φ.
    pub cache: Mutex<Option<Arc<Whitened>>>,
}

/// All units' whitened cross-products (`m × k × k`) and `log|R_i|` at one φ.
#[derive(Debug)]
pub(crate) struct Whitened {
    phi_bits: u64,
    c: Vec<f64>,
    log_r: Vec<f64>,
}

/// Generalised least squares at fixed variance parameters.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub beta: Vec<f64>,
    /// Cholesky factor of `X'V⁻¹X·σ²`.
    pub xx_chol: Vec<f64>,
    pub rss: f64,
    pub log_det_v: f64,
    pub log_det_xx: f64,
}

impl Model<'_> {
    /// Observations counted by the likelihood (`n − p` for REML).
    pub fn n_eff(&self) -> f64 {
        let n = self.design.n_obs as f64;
        match self.method {
            Method::Reml => n - self.design.p as f64,
            Method::Ml => n,
        }
    }

    /// Unit `i`'s Schur block `C − U'U` into `a`, lower triangle only (see [`mirror_lower`]);
    /// returns `log|V_i/σ²|`.
    pub fn unit_schur(
        &self,
        i: usize,
        white: &Whitened,
        v: &VarParams,
        a: &mut [f64],
        work: &mut Work,
    ) -> Option<f64> {
        let k = self.design.k();
        let q = self.layout.q;
        let z = &self.design.z;
        a.copy_from_slice(&white.c[i * k * k..(i + 1) * k * k]);
        let log_r = white.log_r[i];
        if q == 0 {
            return Some(log_r);
        }
        // T = Λ' C_Z· (q × k)
        let t = &mut work.t;
        for ai in 0..q {
            for c in 0..k {
                t[ai * k + c] = (ai..q)
                    .map(|b| v.lambda[b * q + ai] * a[z[b] * k + c])
                    .sum();
            }
        }
        // M = I + T_·Z Λ
        let m = &mut work.m;
        for ai in 0..q {
            for aj in 0..q {
                let s: f64 = (aj..q)
                    .map(|b| t[ai * k + z[b]] * v.lambda[b * q + aj])
                    .sum();
                m[ai * q + aj] = s + f64::from(u8::from(ai == aj));
            }
        }
        let log_m = cholesky(m, q)?;
        // U = L⁻¹ T, column by column.
        let col = &mut work.col;
        for c in 0..k {
            for ai in 0..q {
                col[ai] = t[ai * k + c];
            }
            forward(m, q, col);
            for ai in 0..q {
                t[ai * k + c] = col[ai];
            }
        }
        subtract_gram(a, t, k, &mut work.s);
        Some(log_r + log_m)
    }

    /// Totals over all units and groups at `v`. Units are reduced in parallel when the blocks are
    /// large, but always summed in unit order, so the bits do not depend on the thread count.
    pub fn totals(&self, v: &VarParams) -> Option<(Vec<f64>, f64)> {
        let k = self.design.k();
        let mut groups = vec![0.0; self.n_groups * k * k];
        let mut log_det = 0.0;
        let white = self.whitened(v.phi)?;
        if self.blocks.len() * k * k >= PARALLEL_WORK {
            let reduced: Vec<Option<(Vec<f64>, f64)>> = (0..self.blocks.len())
                .into_par_iter()
                .map_init(
                    || Work::new(k, self.layout.q),
                    |work, i| {
                        let mut a = vec![0.0; k * k];
                        let ld = self.unit_schur(i, &white, v, &mut a, work)?;
                        Some((a, ld))
                    },
                )
                .collect();
            for (block, r) in self.blocks.iter().zip(reduced) {
                let (a, ld) = r?;
                log_det += ld;
                add_lower(
                    &mut groups[block.group * k * k..(block.group + 1) * k * k],
                    &a,
                    k,
                );
            }
        } else {
            let mut work = Work::new(k, self.layout.q);
            let mut a = vec![0.0; k * k];
            for (i, block) in self.blocks.iter().enumerate() {
                log_det += self.unit_schur(i, &white, v, &mut a, &mut work)?;
                add_lower(
                    &mut groups[block.group * k * k..(block.group + 1) * k * k],
                    &a,
                    k,
                );
            }
        }
        // The upper triangles are the sums of the same entries in the same order.
        groups.chunks_mut(k * k).for_each(|g| mirror_lower(g, k));
        let mut total = vec![0.0; k * k];
        let o = k - 1;
        for g in groups.chunks_mut(k * k) {
            if self.layout.group {
                let tau2 = v.tau * v.tau;
                let s = g[o * k + o];
                let f = tau2 / (1.0 + tau2 * s);
                let col: Vec<f64> = (0..k).map(|i| g[i * k + o]).collect();
                for i in 0..k {
                    for j in 0..k {
                        g[i * k + j] -= f * col[i] * col[j];
                    }
                }
                log_det += (tau2 * s).ln_1p();
            }
            total.iter_mut().zip(g.iter()).for_each(|(x, y)| *x += y);
        }
        Some((total, log_det))
    }

    /// Every unit's whitened cross-product at `phi`, cached: a finite-difference gradient moves φ
    /// in only two of its evaluations, and without AR(1) the blocks never change.
    pub fn whitened(&self, phi: f64) -> Option<Arc<Whitened>> {
        let mut cache = self.cache.lock().ok()?;
        if let Some(w) = cache.as_ref().filter(|w| w.phi_bits == phi.to_bits()) {
            return Some(Arc::clone(w));
        }
        let k2 = self.design.k() * self.design.k();
        let m = self.blocks.len();
        let mut c = vec![0.0; m * k2];
        let mut log_r = vec![0.0; m];
        let ok = if m * k2 >= PARALLEL_WORK {
            c.par_chunks_mut(k2)
                .zip(log_r.par_iter_mut())
                .zip(self.blocks.par_iter())
                .all(|((ci, lr), b)| b.whitened(phi, ci).map(|v| *lr = v).is_some())
        } else {
            c.chunks_mut(k2)
                .zip(log_r.iter_mut())
                .zip(&self.blocks)
                .all(|((ci, lr), b)| b.whitened(phi, ci).map(|v| *lr = v).is_some())
        };
        if !ok {
            return None;
        }
        let w = Arc::new(Whitened {
            phi_bits: phi.to_bits(),
            c,
            log_r,
        });
        *cache = Some(Arc::clone(&w));
        Some(w)
    }

    /// GLS at `v`; `None` when a matrix is not positive definite.
    pub fn profile(&self, v: &VarParams) -> Option<Profile> {
        let (totals, log_det_v) = self.totals(v)?;
        let k = self.design.k();
        let p = self.design.p;
        let mut xx = vec![0.0; p * p];
        let mut beta = vec![0.0; p];
        for i in 0..p {
            for j in 0..p {
                xx[i * p + j] = totals[i * k + j];
            }
            beta[i] = totals[i * k + p];
        }
        let log_det_xx = cholesky(&mut xx, p)?;
        let mut w = beta.clone();
        forward(&xx, p, &mut w);
        let explained: f64 = w.iter().map(|x| x * x).sum();
        let rss = totals[p * k + p] - explained;
        backward(&xx, p, &mut w);
        if rss.is_nan() || rss <= 0.0 || !log_det_v.is_finite() {
            return None;
        }
        Some(Profile {
            beta: w,
            xx_chol: xx,
            rss,
            log_det_v,
            log_det_xx,
        })
    }

    /// −2 × the profiled (restricted) log-likelihood at θ; +∞ where it is undefined.
    pub fn deviance(&self, theta: &[f64]) -> f64 {
        let v = self.layout.unpack(theta);
        match self.profile(&v) {
            Some(pr) => self.deviance_of(&pr),
            None => f64::INFINITY,
        }
    }

    pub fn deviance_of(&self, pr: &Profile) -> f64 {
        let ne = self.n_eff();
        let sigma2 = pr.rss / ne;
        self.deviance_at_sigma(pr, sigma2)
    }

    /// −2ℓ at θ's profile with σ² given (not profiled): used for the Hessian in (θ, σ).
    pub fn deviance_at_sigma(&self, pr: &Profile, sigma2: f64) -> f64 {
        let ne = self.n_eff();
        let reml = match self.method {
            Method::Reml => pr.log_det_xx,
            Method::Ml => 0.0,
        };
        ne * (2.0 * std::f64::consts::PI * sigma2).ln() + pr.log_det_v + reml + pr.rss / sigma2
    }
}

/// `a −= U'U` on the lower triangle of the `k × k` block `a` (`u`: `q × k`, row-major). Each
/// entry subtracts `Σ_a u[a][i]·u[a][j]` summed over `a` from zero in order, as a plain loop
/// would, but a row's sums are built side by side (`s`, at least `k` long) so that they vectorise.
fn subtract_gram(a: &mut [f64], u: &[f64], k: usize, s: &mut [f64]) {
    for r in 0..k {
        let s = &mut s[..=r];
        s.fill(-0.0); // where f64 sums start, so an all-zero sum keeps its sign
        for w in u.chunks_exact(k) {
            let wr = w[r];
            s.iter_mut().zip(&w[..=r]).for_each(|(x, wc)| *x += wr * wc);
        }
        a[r * k..=r * k + r]
            .iter_mut()
            .zip(s.iter())
            .for_each(|(x, d)| *x -= d);
    }
}

/// `g += a` on the lower triangle of `k × k` blocks.
fn add_lower(g: &mut [f64], a: &[f64], k: usize) {
    for r in 0..k {
        let row = r * k..=r * k + r;
        g[row.clone()]
            .iter_mut()
            .zip(&a[row])
            .for_each(|(x, y)| *x += y);
    }
}

/// Copy the lower triangle of the `k × k` block `a` onto its upper triangle.
fn mirror_lower(a: &mut [f64], k: usize) {
    for i in 0..k {
        for j in 0..i {
            a[j * k + i] = a[i * k + j];
        }
    }
}

/// Scratch space of one unit reduction.
#[derive(Debug)]
pub(crate) struct Work {
    t: Vec<f64>,
    m: Vec<f64>,
    col: Vec<f64>,
    s: Vec<f64>,
}

impl Work {
    pub fn new(k: usize, q: usize) -> Self {
        Work {
            t: vec![0.0; q * k],
            m: vec![0.0; q * q],
            col: vec![0.0; q],
            s: vec![0.0; k],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectorised update takes the same terms in the same order as the plain loop: the same
    /// bits, signed zeros included.
    #[test]
    fn gram_update_equals_the_plain_loop_bit_for_bit() {
        let (k, q) = (9, 3);
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let x = ((seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 4.0;
            // Some exact (signed) zeros, as design columns give.
            if seed % 7 == 0 {
                -0.0 * x.signum()
            } else {
                x
            }
        };
        let c: Vec<f64> = (0..k * k).map(|_| next()).collect();
        let u: Vec<f64> = (0..q * k).map(|_| next()).collect();
        let mut plain = c.clone();
        for i in 0..k {
            for j in 0..=i {
                let s: f64 = (0..q).map(|a| u[a * k + i] * u[a * k + j]).sum();
                plain[i * k + j] -= s;
            }
        }
        let mut fast = c.clone();
        subtract_gram(&mut fast, &u, k, &mut vec![0.0; k]);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&fast), bits(&plain));
        mirror_lower(&mut fast, k);
        assert!((0..k).all(|i| (0..k).all(|j| fast[i * k + j] == fast[j * k + i])));
    }
}
