//! Small dense row-major matrix kernels (`n ≤` a few dozen) used in the hot loop, without
//! allocation.

/// In-place Cholesky `A = L L'` of the symmetric `n × n` matrix `a` (lower triangle written,
/// upper left untouched); returns `log|A|`, or `None` when `A` is not positive definite.
pub(crate) fn cholesky(a: &mut [f64], n: usize) -> Option<f64> {
    let mut log_det = 0.0;
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d.is_nan() || d <= 0.0 {
            return None;
        }
        let l = d.sqrt();
        a[j * n + j] = l;
        log_det += 2.0 * l.ln();
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / l;
        }
    }
    Some(log_det)
}

/// Solve `L x = b` in place (`l` from [`cholesky`]).
pub(crate) fn forward(l: &[f64], n: usize, b: &mut [f64]) {
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * n + k] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
}

/// Solve `L' x = b` in place.
pub(crate) fn backward(l: &[f64], n: usize, b: &mut [f64]) {
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= l[k * n + i] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
}

/// `A⁻¹` from its Cholesky factor.
pub(crate) fn inverse_from_cholesky(l: &[f64], n: usize) -> Vec<f64> {
    let mut inv = vec![0.0; n * n];
    let mut e = vec![0.0; n];
    for j in 0..n {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        forward(l, n, &mut e);
        backward(l, n, &mut e);
        for i in 0..n {
            inv[i * n + j] = e[i];
        }
    }
    inv
}

/// Split a flat row-major matrix into rows.
pub(crate) fn rows(a: &[f64], n: usize) -> Vec<Vec<f64>> {
    a.chunks(n).map(<[f64]>::to_vec).collect()
}
