//! Minimise the profiled deviance over θ: a grid of scale-aware starting points, BFGS with
//! central-difference gradients from the best, then a restart with a fresh Hessian (which
//! escapes a stale curvature estimate near a boundary).

use super::deviance::Model;
use super::params::VarParams;
use crate::gls::bfgs::{dot, identity, max_abs, update};

/// Where the search stopped.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    pub theta: Vec<f64>,
    pub deviance: f64,
    pub iterations: usize,
    pub evaluations: usize,
    pub gradient_max: f64,
    pub converged: bool,
    pub starts: usize,
}

const GRADIENT_TOL: f64 = 1e-6;

/// Central-difference gradient; falls back to a one-sided difference at a wall.
fn gradient(f: &mut impl FnMut(&[f64]) -> f64, x: &[f64], fx: f64) -> Vec<f64> {
    let mut probe = x.to_vec();
    (0..x.len())
        .map(|i| {
            let h = 1e-5 * x[i].abs().max(0.1);
            probe[i] = x[i] + h;
            let up = f(&probe);
            probe[i] = x[i] - h;
            let down = f(&probe);
            probe[i] = x[i];
            match (up.is_finite(), down.is_finite()) {
                (true, true) => (up - down) / (2.0 * h),
                (true, false) => (up - fx) / h,
                (false, true) => (fx - down) / h,
                (false, false) => 0.0,
            }
        })
        .collect()
}

/// BFGS on `f` from `x0`.
fn bfgs(f: &mut impl FnMut(&[f64]) -> f64, x0: &[f64], max_iter: usize) -> Search {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut fx = f(&x);
    let mut g = gradient(f, &x, fx);
    let mut h = identity(n);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iter {
        if max_abs(&g) < GRADIENT_TOL {
            converged = true;
            break;
        }
        iterations += 1;
        let mut d: Vec<f64> = (0..n).map(|i| -dot(&h[i * n..(i + 1) * n], &g)).collect();
        let mut slope = dot(&g, &d);
        let mut fresh = false;
        if slope >= 0.0 {
            fresh = true;
            h = identity(n);
            d = g.iter().map(|v| -v).collect();
            slope = -dot(&g, &g);
        }
        // Keep the first step of a fresh Hessian modest: θ lives on a unit scale.
        let mut longest = max_abs(&d);
        let mut t = if longest > 1.0 { 1.0 / longest } else { 1.0 };
        let (trial, f_trial) = loop {
            let trial: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + t * b).collect();
            let f_trial = f(&trial);
            if f_trial.is_finite() && f_trial <= fx + 1e-4 * t * slope {
                break (trial, f_trial);
            }
            t *= 0.5;
            if t * longest < 1e-13 && !fresh {
                // A stale curvature estimate: restart from steepest descent.
                h = identity(n);
                d = g.iter().map(|v| -v).collect();
                slope = -dot(&g, &g);
                longest = max_abs(&d);
                t = if longest > 1.0 { 1.0 / longest } else { 1.0 };
                fresh = true;
                continue;
            }
            if t * longest < 1e-13 {
                converged = max_abs(&g) < 1e-3;
                return Search {
                    theta: x,
                    deviance: fx,
                    iterations,
                    evaluations: 0,
                    gradient_max: max_abs(&g),
                    converged,
                    starts: 1,
                };
            }
        };
        let g_new = gradient(f, &trial, f_trial);
        let s: Vec<f64> = d.iter().map(|v| t * v).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        update(&mut h, &s, &y);
        let change = fx - f_trial;
        x = trial;
        fx = f_trial;
        g = g_new;
        if change.abs() < 1e-12 * fx.abs().max(1.0) && max_abs(&g) < 1e-4 {
            converged = true;
            break;
        }
    }
    Search {
        gradient_max: max_abs(&g),
        theta: x,
        deviance: fx,
        iterations,
        evaluations: 0,
        converged,
        starts: 1,
    }
}

/// Root mean square of the non-zero entries of each random-effect column: a start for Λ that
/// puts each random effect on the scale of its column.
pub(crate) fn column_scales(d: &super::input::Design<'_>) -> Vec<f64> {
    d.z.iter()
        .map(|&c| {
            let (mut s, mut n) = (0.0, 0usize);
            for r in 0..d.n_obs {
                let v = d.value(r, c);
                if v != 0.0 {
                    s += v * v;
                    n += 1;
                }
            }
            if n == 0 {
                1.0
            } else {
                (s / n as f64).sqrt()
            }
        })
        .collect()
}

/// Starting points: relative SDs 1, 0.3 and 0.1 per unit of each column, φ at 0 and 0.5.
fn starts(model: &Model<'_>) -> Vec<Vec<f64>> {
    let layout = &model.layout;
    let q = layout.q;
    let scales = &layout.scales;
    let phis: &[f64] = if layout.ar1 { &[0.0, 0.5] } else { &[0.0] };
    let mut out = Vec::new();
    for &s in &[1.0, 0.3, 0.1] {
        for &phi in phis {
            let mut lambda = vec![0.0; q * q];
            for j in 0..q {
                lambda[j * q + j] = s / scales[j];
            }
            out.push(layout.pack(&VarParams {
                lambda,
                tau: s,
                phi,
            }));
        }
    }
    out
}

/// Minimise the deviance of `model`.
pub(crate) fn minimise(model: &Model<'_>, max_iter: usize) -> Search {
    let mut evaluations = 0usize;
    let mut f = |theta: &[f64]| {
        evaluations += 1;
        model.deviance(theta)
    };
    let candidates = starts(model);
    let n_starts = candidates.len();
    let mut scored: Vec<(f64, Vec<f64>)> = candidates.into_iter().map(|t| (f(&t), t)).collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best: Option<Search> = None;
    // Two best starts, each polished by a restart; keep the lowest deviance.
    for (_, start) in scored.iter().take(2) {
        if !start.iter().all(|v| v.is_finite()) {
            continue;
        }
        let first = bfgs(&mut f, start, max_iter);
        let mut second = bfgs(&mut f, &first.theta, max_iter);
        second.iterations += first.iterations;
        if best
            .as_ref()
            .is_none_or(|b| second.deviance < b.deviance - 1e-10)
        {
            best = Some(second);
        }
        if best.as_ref().is_some_and(|b| b.converged) {
            break;
        }
    }
    let mut out = best.unwrap_or_else(|| Search {
        theta: scored[0].1.clone(),
        deviance: scored[0].0,
        iterations: 0,
        evaluations: 0,
        gradient_max: f64::INFINITY,
        converged: false,
        starts: 0,
    });
    out.evaluations = evaluations;
    out.starts = n_starts;
    out
}
