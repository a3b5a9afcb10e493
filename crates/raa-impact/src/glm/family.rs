//! Binomial family quantities with R's definitions: variance, deviance residuals, AIC.

use statrs::function::gamma::ln_gamma;

/// `y * log(y / mu)`, defined as 0 when `y == 0` (R's `y_log_y`).
#[inline]
fn y_log_y(y: f64, mu: f64) -> f64 {
    if y != 0.0 {
        y * (y / mu).ln()
    } else {
        0.0
    }
}

/// Binomial variance `mu (1 - mu)`.
#[inline]
pub(crate) fn variance(mu: f64) -> f64 {
    mu * (1.0 - mu)
}

/// One row's deviance residual, `2 wt (y log(y/mu) + (1-y) log((1-y)/(1-mu)))`.
#[inline]
pub(crate) fn deviance_residual(y: f64, mu: f64, wt: f64) -> f64 {
    2.0 * wt * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu))
}

/// `lchoose(n, k)` for non-negative integer-valued `n >= k`.
fn ln_choose(n: f64, k: f64) -> f64 {
    // Exact zero in the common 0/1, unit-weight case, and no log-gamma calls in the hot path.
    if k == 0.0 || k == n {
        return 0.0;
    }
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

/// `dbinom(k, n, p, log = TRUE)` for integer-valued `k`, `n`.
fn ln_dbinom(k: f64, n: f64, p: f64) -> f64 {
    if n == 0.0 {
        return 0.0;
    }
    let mut v = ln_choose(n, k);
    if k > 0.0 {
        v += k * p.ln();
    }
    if n - k > 0.0 {
        v += (n - k) * (1.0 - p).ln();
    }
    v
}

/// One row's contribution to R's binomial `aic()` (without the `2 * rank` term):
/// `-2 * (wt/m) * dbinom(round(m*y), round(m), mu, log = TRUE)` with `m = wt` for 0/1 data, so
/// non-integer prior weights are rounded exactly as R does (ties to even).
#[inline]
pub(crate) fn aic_term(y: f64, mu: f64, wt: f64) -> f64 {
    if wt <= 0.0 {
        return 0.0;
    }
    let size = wt.round_ties_even();
    let k = (wt * y).round_ties_even();
    -2.0 * ln_dbinom(k, size, mu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deviance_of_bernoulli_rows() {
        assert!((deviance_residual(1.0, 0.25, 1.0) - 2.0 * 4f64.ln()).abs() < 1e-14);
        assert!((deviance_residual(0.0, 0.25, 2.0) - 4.0 * (1.0 / 0.75f64).ln()).abs() < 1e-14);
    }

    #[test]
    fn aic_term_rounds_weights_like_r() {
        // wt = 2.5 rounds to 2 (ties to even); y = 1 gives k = round(2.5) = 2.
        let v = aic_term(1.0, 0.3, 2.5);
        assert!((v - (-2.0 * 2.0 * 0.3f64.ln())).abs() < 1e-12);
        assert_eq!(aic_term(1.0, 0.3, 0.0), 0.0);
    }
}
