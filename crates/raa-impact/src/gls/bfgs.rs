//! Quasi-Newton (BFGS) minimisation with central-difference gradients and a backtracking line
//! search, for the few AR parameters of an AR(p) likelihood.

/// Where the search stopped.
#[derive(Debug, Clone)]
pub(crate) struct MinimumN {
    pub x: Vec<f64>,
    pub fx: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Gradient step.
const H: f64 = 1e-5;
/// Converged when the largest gradient entry is below this.
const GRADIENT_TOL: f64 = 1e-6;
/// A stalled line search still counts as converged below this gradient.
const STALL_TOL: f64 = 1e-4;

fn gradient(f: &mut impl FnMut(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    let mut probe = x.to_vec();
    (0..x.len())
        .map(|i| {
            probe[i] = x[i] + H;
            let up = f(&probe);
            probe[i] = x[i] - H;
            let down = f(&probe);
            probe[i] = x[i];
            (up - down) / (2.0 * H)
        })
        .collect()
}

pub(crate) fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// Minimise `f` from `x0`; non-finite values of `f` are treated as walls by the line search.
pub(crate) fn minimise_n(
    mut f: impl FnMut(&[f64]) -> f64,
    x0: &[f64],
    step_tol: f64,
    max_iter: usize,
) -> MinimumN {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut fx = f(&x);
    let mut g = gradient(&mut f, &x);
    let mut inv_h = identity(n);
    for iteration in 0..max_iter {
        if max_abs(&g) < GRADIENT_TOL {
            return MinimumN {
                x,
                fx,
                iterations: iteration,
                converged: true,
            };
        }
        let mut d: Vec<f64> = (0..n)
            .map(|i| -dot(&inv_h[i * n..(i + 1) * n], &g))
            .collect();
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            inv_h = identity(n);
            d = g.iter().map(|v| -v).collect();
            slope = -dot(&g, &g);
        }
        let mut t = 1.0;
        let mut trial: Vec<f64>;
        let mut f_trial;
        loop {
            trial = x.iter().zip(&d).map(|(a, b)| a + t * b).collect();
            f_trial = f(&trial);
            if f_trial.is_finite() && f_trial <= fx + 1e-4 * t * slope {
                break;
            }
            t *= 0.5;
            if t * max_abs(&d) < 1e-14 {
                let converged = max_abs(&g) < STALL_TOL;
                return MinimumN {
                    x,
                    fx,
                    iterations: iteration,
                    converged,
                };
            }
        }
        let s: Vec<f64> = d.iter().map(|v| t * v).collect();
        let g_new = gradient(&mut f, &trial);
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        update(&mut inv_h, &s, &y);
        x = trial;
        fx = f_trial;
        g = g_new;
        if max_abs(&s) < step_tol && max_abs(&g) < STALL_TOL {
            return MinimumN {
                x,
                fx,
                iterations: iteration + 1,
                converged: true,
            };
        }
    }
    MinimumN {
        x,
        fx,
        iterations: max_iter,
        converged: false,
    }
}

pub(crate) fn identity(n: usize) -> Vec<f64> {
    (0..n * n)
        .map(|k| f64::from(u8::from(k / n == k % n)))
        .collect()
}

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// BFGS update of the inverse Hessian (shared with the mixed model's optimiser) `H ← (I − ρ s y') H (I − ρ y s') + ρ s s'`, skipped when the
/// curvature condition fails.
pub(crate) fn update(h: &mut [f64], s: &[f64], y: &[f64]) {
    let n = s.len();
    let sy = dot(s, y);
    if sy <= 1e-12 * dot(y, y).sqrt() * dot(s, s).sqrt() {
        return;
    }
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n).map(|i| dot(&h[i * n..(i + 1) * n], y)).collect();
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] +=
                -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::minimise_n;

    #[test]
    fn rosenbrock() {
        let m = minimise_n(
            |x| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2),
            &[-1.2, 1.0],
            1e-10,
            500,
        );
        assert!(m.converged);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5,
            "{:?}",
            m.x
        );
    }
}
