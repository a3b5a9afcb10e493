//! Brent's minimiser of a function of one variable on an interval (golden section with parabolic
//! steps; R. P. Brent, *Algorithms for Minimization without Derivatives*, 1973, ch. 5).

/// Where the search stopped.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Minimum {
    pub x: f64,
    pub fx: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Minimise `f` on `[a, b]` until the bracket is within `tol` (plus √ε·|x|) of the minimum or
/// `max_iter` steps are spent.
pub(crate) fn minimise(
    mut f: impl FnMut(f64) -> f64,
    mut a: f64,
    mut b: f64,
    tol: f64,
    max_iter: usize,
) -> Minimum {
    let golden = 0.5 * (3.0 - 5f64.sqrt());
    let sqrt_eps = f64::EPSILON.sqrt();
    let mut x = a + golden * (b - a);
    let (mut w, mut v) = (x, x);
    let mut fx = f(x);
    let (mut fw, mut fv) = (fx, fx);
    let (mut d, mut e) = (0.0f64, 0.0f64);
    for iteration in 0..max_iter {
        let mid = 0.5 * (a + b);
        let tol1 = sqrt_eps * x.abs() + tol / 3.0;
        let tol2 = 2.0 * tol1;
        if (x - mid).abs() <= tol2 - 0.5 * (b - a) {
            return Minimum {
                x,
                fx,
                iterations: iteration,
                converged: true,
            };
        }
        let mut golden_step = true;
        if e.abs() > tol1 {
            // Parabola through (v, fv), (w, fw), (x, fx).
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            } else {
                q = -q;
            }
            let e_old = e;
            e = d;
            if p.abs() < (0.5 * q * e_old).abs() && p > q * (a - x) && p < q * (b - x) {
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = if x < mid { tol1 } else { -tol1 };
                }
                golden_step = false;
            }
        }
        if golden_step {
            e = if x < mid { b - x } else { a - x };
            d = golden * e;
        }
        let u = if d.abs() >= tol1 {
            x + d
        } else {
            x + tol1.copysign(d)
        };
        let fu = f(u);
        if fu <= fx {
            if u < x {
                b = x;
            } else {
                a = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    Minimum {
        x,
        fx,
        iterations: max_iter,
        converged: false,
    }
}

#[cfg(test)]
mod tests {
    use super::minimise;

    #[test]
    fn finds_the_minimum_of_a_quartic() {
        let m = minimise(|x| (x - 0.3).powi(2) * (1.0 + x * x), -2.0, 3.0, 1e-12, 200);
        assert!(m.converged);
        assert!((m.x - 0.3).abs() < 1e-7, "{}", m.x);
    }

    #[test]
    fn reports_no_convergence_when_out_of_steps() {
        let m = minimise(|x| (x - 0.3).powi(2), -2.0, 3.0, 1e-12, 2);
        assert!(!m.converged);
    }
}
