//! Weighted means and variances with the conventions cobalt uses.

/// Weighted mean of `x` over the rows where `keep` is true. `None` when the weights sum to zero.
pub fn mean(x: &[f64], w: &[f64], keep: impl Fn(usize) -> bool) -> Option<f64> {
    let (mut sw, mut swx) = (0.0, 0.0);
    for i in (0..x.len()).filter(|&i| keep(i)) {
        sw += w[i];
        swx += w[i] * x[i];
    }
    (sw > 0.0).then(|| swx / sw)
}

/// Weighted variance with reliability weights, `Σw(x−m)² · Σw / ((Σw)² − Σw²)`: equal to the usual
/// `n − 1` variance when every weight is one. For a binary variable the variance is `p(1 − p)`, as
/// cobalt computes it, because the `n − 1` correction means nothing for a proportion's spread.
pub fn variance(x: &[f64], w: &[f64], keep: impl Fn(usize) -> bool, binary: bool) -> Option<f64> {
    let m = mean(x, w, &keep)?;
    if binary {
        return Some(m * (1.0 - m));
    }
    let (mut sw, mut sw2, mut ss) = (0.0, 0.0, 0.0);
    for i in (0..x.len()).filter(|&i| keep(i)) {
        sw += w[i];
        sw2 += w[i] * w[i];
        ss += w[i] * (x[i] - m).powi(2);
    }
    let denominator = sw * sw - sw2;
    (denominator > 0.0).then(|| ss * sw / denominator)
}

/// Kish's effective sample size `(Σw)² / Σw²` over the rows where `keep` is true.
pub fn effective_size(w: &[f64], keep: impl Fn(usize) -> bool) -> f64 {
    let (mut sw, mut sw2) = (0.0, 0.0);
    for i in (0..w.len()).filter(|&i| keep(i)) {
        sw += w[i];
        sw2 += w[i] * w[i];
    }
    if sw2 > 0.0 {
        sw * sw / sw2
    } else {
        0.0
    }
}

/// True when every value is 0 or 1.
pub fn is_binary(x: &[f64]) -> bool {
    x.iter().all(|v| *v == 0.0 || *v == 1.0)
}
