//! Satterthwaite df of AR(1) models against an independent dense computation.
//!
//! lmerTest (the reference for the models without AR(1), see `mixed_nlme.rs`) has no AR(1)
//! residuals and nlme has no Satterthwaite df, so no package gives a reference figure here. This
//! test computes the df from scratch instead: the marginal covariance `V = Z G Z' + σ² R(φ)` built
//! densely, the REML criterion `log|V| + log|X'V⁻¹X| + r'V⁻¹r` in the natural parameters
//! `ψ = (G's entries, φ, σ²)`, and `df = 2 (L C L')² / (g' A g)` with `C = (X'V⁻¹X)⁻¹`,
//! `g = ∂(L C L')/∂ψ` and `A = 2 H⁻¹` (`H` the criterion's Hessian), all by central differences.
//! At the REML optimum `g'Ag` does not depend on the parameterisation, so these numbers must agree
//! with the library's (free Cholesky entries and `atanh φ`, σ not profiled) up to the error of the
//! finite differences and of the optimiser's stopping point.

use nalgebra::{DMatrix, DVector};
use raa_impact::mixed::{fit_mixed, MixedFit, MixedInput, MixedOptions, Residual};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// A segmented panel: `units` series of `times` periods, a level and slope change at a unit's own
/// start, random intercept and level change, AR(1) errors.
struct Panel {
    y: Vec<f64>,
    time: Vec<f64>,
    post: Vec<f64>,
    since: Vec<f64>,
    unit: Vec<u64>,
}

fn panel(units: u64, times: usize, seed: u64) -> Panel {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = Normal::new(0.0, 1.0).expect("normal");
    let mut p = Panel {
        y: vec![],
        time: vec![],
        post: vec![],
        since: vec![],
        unit: vec![],
    };
    for u in 0..units {
        let start = 3 + (u as usize * 5) % (times - 5);
        let (b0, b1) = (1.5 * z.sample(&mut rng), 0.8 * z.sample(&mut rng));
        let mut e = z.sample(&mut rng) / (1.0f64 - 0.36).sqrt();
        for s in 0..times {
            e = 0.6 * e + z.sample(&mut rng);
            let post = f64::from(u8::from(s >= start));
            let since = post * (s - start) as f64;
            p.y.push(10.0 + 0.2 * s as f64 + (2.0 + b1) * post - 0.1 * since + b0 + e);
            p.time.push(s as f64);
            p.post.push(post);
            p.since.push(since);
            p.unit.push(u);
        }
    }
    p
}

/// The model as dense matrices: fixed effects `(1, time, post, since)`, random effects per unit.
struct Dense {
    y: DVector<f64>,
    x: DMatrix<f64>,
    /// Per unit: its rows and their random-effect design.
    units: Vec<(Vec<usize>, DMatrix<f64>)>,
    time: Vec<f64>,
    q: usize,
}

fn dense(p: &Panel, random_post: bool) -> Dense {
    let n = p.y.len();
    let x = DMatrix::from_fn(n, 4, |i, j| match j {
        0 => 1.0,
        1 => p.time[i],
        2 => p.post[i],
        _ => p.since[i],
    });
    let q = 1 + usize::from(random_post);
    let mut units = vec![];
    let mut start = 0;
    while start < n {
        let end = (start..n)
            .find(|&i| p.unit[i] != p.unit[start])
            .unwrap_or(n);
        let rows: Vec<usize> = (start..end).collect();
        let z = DMatrix::from_fn(rows.len(), q, |i, j| match j {
            0 => 1.0,
            _ => p.post[rows[i]],
        });
        units.push((rows, z));
        start = end;
    }
    Dense {
        y: DVector::from_column_slice(&p.y),
        x,
        units,
        time: p.time.clone(),
        q,
    }
}

impl Dense {
    /// `ψ` = the lower triangle of G (row by row), then φ, then σ².
    fn g_of(&self, psi: &[f64]) -> DMatrix<f64> {
        let mut g = DMatrix::zeros(self.q, self.q);
        let mut k = 0;
        for i in 0..self.q {
            for j in 0..=i {
                g[(i, j)] = psi[k];
                g[(j, i)] = psi[k];
                k += 1;
            }
        }
        g
    }

    /// `V⁻¹` (block diagonal, dense) and `log|V|`; None when V is not positive definite.
    fn v_inverse(&self, psi: &[f64]) -> Option<(DMatrix<f64>, f64)> {
        let d = psi.len();
        let (phi, s2) = (psi[d - 2], psi[d - 1]);
        let g = self.g_of(psi);
        let n = self.y.len();
        let mut vinv = DMatrix::zeros(n, n);
        let mut logdet = 0.0;
        for (rows, z) in &self.units {
            let m = rows.len();
            let r = DMatrix::from_fn(m, m, |i, j| {
                s2 * phi.powf((self.time[rows[i]] - self.time[rows[j]]).abs())
            });
            let v = z * &g * z.transpose() + r;
            let chol = v.cholesky()?;
            logdet += 2.0 * chol.l().diagonal().iter().map(|x| x.ln()).sum::<f64>();
            let inv = chol.inverse();
            for (a, &ra) in rows.iter().enumerate() {
                for (b, &rb) in rows.iter().enumerate() {
                    vinv[(ra, rb)] = inv[(a, b)];
                }
            }
        }
        Some((vinv, logdet))
    }

    /// `C = (X'V⁻¹X)⁻¹`, and the REML criterion (constants dropped).
    fn at(&self, psi: &[f64]) -> Option<(DMatrix<f64>, f64)> {
        let (vinv, logdet) = self.v_inverse(psi)?;
        let xtv = self.x.transpose() * &vinv;
        let info = &xtv * &self.x;
        let chol = info.clone().cholesky()?;
        let c = chol.inverse();
        let beta = &c * (&xtv * &self.y);
        let r = &self.y - &self.x * beta;
        let quad = (r.transpose() * &vinv * &r)[(0, 0)];
        let logdet_info = 2.0 * chol.l().diagonal().iter().map(|x| x.ln()).sum::<f64>();
        Some((c, logdet + logdet_info + quad))
    }

    fn criterion(&self, psi: &[f64]) -> f64 {
        self.at(psi).expect("positive definite").1
    }

    fn contrast_var(&self, psi: &[f64], j: usize) -> f64 {
        self.at(psi).expect("positive definite").0[(j, j)]
    }
}

fn step(x: f64) -> f64 {
    1e-4 * x.abs().max(0.01)
}

/// Central-difference Hessian of `f`.
fn hessian(f: impl Fn(&[f64]) -> f64, psi: &[f64]) -> DMatrix<f64> {
    let d = psi.len();
    let mut h = DMatrix::zeros(d, d);
    let at = |di: (usize, f64), dj: (usize, f64)| {
        let mut x = psi.to_vec();
        x[di.0] += di.1;
        x[dj.0] += dj.1;
        f(&x)
    };
    for i in 0..d {
        for j in 0..=i {
            let (hi, hj) = (step(psi[i]), step(psi[j]));
            let v = (at((i, hi), (j, hj)) - at((i, hi), (j, -hj)) - at((i, -hi), (j, hj))
                + at((i, -hi), (j, -hj)))
                / (4.0 * hi * hj);
            h[(i, j)] = v;
            h[(j, i)] = v;
        }
    }
    h
}

/// Central-difference gradient of `f`.
fn gradient(f: impl Fn(&[f64]) -> f64, psi: &[f64]) -> DVector<f64> {
    DVector::from_fn(psi.len(), |i, _| {
        let h = step(psi[i]);
        let (mut a, mut b) = (psi.to_vec(), psi.to_vec());
        a[i] += h;
        b[i] -= h;
        (f(&a) - f(&b)) / (2.0 * h)
    })
}

/// The fitted `ψ` in the test's own parameters.
fn psi_of(fit: &MixedFit) -> Vec<f64> {
    let sd = &fit.random_sd;
    let mut psi = vec![];
    for i in 0..sd.len() {
        for j in 0..=i {
            psi.push(fit.random_corr[i][j] * sd[i] * sd[j]);
        }
    }
    psi.push(fit.phi.expect("AR(1)"));
    psi.push(fit.sigma * fit.sigma);
    psi
}

fn check(random_post: bool, seed: u64) {
    let p = panel(24, 12, seed);
    let names: Vec<String> = ["time", "post", "since"].map(String::from).to_vec();
    let input = MixedInput {
        y: &p.y,
        x: &[&p.time, &p.post, &p.since],
        x_names: &names,
        unit: &p.unit,
        group: None,
        time: &p.time,
    };
    let mut random = vec!["(Intercept)".to_string()];
    if random_post {
        random.push("post".to_string());
    }
    let opts = MixedOptions {
        random,
        residual: Residual::Ar1,
        ..MixedOptions::default()
    };
    let fit = fit_mixed(&input, &opts).expect("fit");
    assert!(fit.warnings.is_empty(), "{:?}", fit.warnings);
    let model = dense(&p, random_post);
    let psi = psi_of(&fit);
    eprintln!("ψ = (G, φ, σ²) = {psi:?}");
    assert!(
        psi[psi.len() - 2] > 0.3,
        "φ {psi:?}: the AR(1) part is exercised"
    );
    // The same model: the dense C at the fitted ψ is the library's Var(β̂).
    let (c, _) = model.at(&psi).expect("positive definite");
    for j in 0..4 {
        let rel = (c[(j, j)] / fit.vcov[j][j] - 1.0).abs();
        assert!(
            rel < 1e-8,
            "Var(β̂_{j}): {} vs {}",
            c[(j, j)],
            fit.vcov[j][j]
        );
    }
    // At the optimum: the criterion's gradient is small against its curvature.
    let h = hessian(|x| model.criterion(x), &psi);
    let a = h.clone().try_inverse().expect("Hessian invertible") * 2.0;
    let grad = gradient(|x| model.criterion(x), &psi);
    let newton = (&a * &grad).component_div(&DVector::from_column_slice(&psi));
    assert!(
        newton.amax() < 1e-3,
        "not at an optimum: Newton step {newton}"
    );
    let mut worst = 0.0f64;
    for j in 0..4 {
        let g = gradient(|x| model.contrast_var(x, j), &psi);
        let df = 2.0 * c[(j, j)].powi(2) / (g.transpose() * &a * &g)[(0, 0)];
        let rel = (fit.df[j] / df - 1.0).abs();
        eprintln!(
            "{}: df {} vs dense {df} (rel {rel:e})",
            fit.names[j], fit.df[j]
        );
        worst = worst.max(rel);
    }
    // Measured: within 1.4e-6 (random intercept) and 3.7e-5 (with the level change), the error
    // of the two sets of finite differences. lmerTest parity (no AR(1)) is held to 1e-3.
    assert!(worst < 2e-4, "worst relative df difference {worst:e}");
}

#[test]
fn ar1_random_intercept_df_equal_a_dense_computation() {
    check(false, 11);
}

#[test]
fn ar1_random_intercept_and_level_change_df_equal_a_dense_computation() {
    check(true, 12);
}
