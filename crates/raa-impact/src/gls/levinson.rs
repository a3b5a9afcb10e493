//! The exact AR(p) whitening transform from the partial autocorrelations (Durbin–Levinson).
//!
//! With π_1..π_p the partial autocorrelations and unit marginal variance, row `t` (0-based) becomes
//! `(v_t − Σ_{k=1}^{m} a_{m,k} v_{t−k}) / √r_m`, `m = min(t, p)`, where `a_{m,·}` are the order-`m`
//! prediction coefficients and `r_m = Π_{j≤m} (1 − π_j²)` the prediction-error variances. The
//! transformed errors are independent with nlme's σ² (the marginal variance), and
//! `log|R| = Σ_t log r_{min(t,p)}`. For p = 1 this is nlme's AR(1) transform.

/// Prediction coefficients and scales for orders `0..=p`.
#[derive(Debug, Clone)]
pub(crate) struct ArWhitener {
    /// `coef[m]` holds `a_{m,1..m}`.
    coef: Vec<Vec<f64>>,
    /// `1/√r_m`.
    scale: Vec<f64>,
    /// `log r_m`.
    log_r: Vec<f64>,
}

impl ArWhitener {
    /// From partial autocorrelations, each in (−1, 1).
    pub fn from_pacf(pacf: &[f64]) -> Self {
        let p = pacf.len();
        let mut coef: Vec<Vec<f64>> = vec![Vec::new()];
        let mut log_r = vec![0.0];
        for (m, &pi) in pacf.iter().enumerate() {
            let prev = &coef[m];
            let mut next: Vec<f64> = (0..m).map(|k| prev[k] - pi * prev[m - 1 - k]).collect();
            next.push(pi);
            coef.push(next);
            log_r.push(log_r[m] + (1.0 - pi * pi).ln());
        }
        let scale = log_r.iter().map(|l| (-0.5 * l).exp()).collect();
        debug_assert_eq!(coef.len(), p + 1);
        ArWhitener { coef, scale, log_r }
    }

    /// The AR coefficients φ_1..φ_p of the process.
    pub fn ar(&self) -> &[f64] {
        self.coef.last().map_or(&[], |c| c.as_slice())
    }

    /// Transformed value of row `t` of the series `v` (read through `at`).
    #[inline]
    pub fn row(&self, t: usize, at: impl Fn(usize) -> f64) -> f64 {
        let m = t.min(self.coef.len() - 1);
        let c = &self.coef[m];
        let mut s = at(t);
        for (k, a) in c.iter().enumerate() {
            s -= a * at(t - k - 1);
        }
        s * self.scale[m]
    }

    /// Scale `1/√r_p` of the full-order rows (`t ≥ p`).
    pub fn top_scale(&self) -> f64 {
        self.scale[self.coef.len() - 1]
    }

    /// `log|R|` for a series of `n` rows.
    pub fn log_det(&self, n: usize) -> f64 {
        let p = self.coef.len() - 1;
        let head: f64 = self.log_r[..p.min(n)].iter().sum();
        head + n.saturating_sub(p) as f64 * self.log_r[p]
    }
}

/// Partial autocorrelations of given AR coefficients (the inverse of Durbin–Levinson); `None` when
/// the process is not stationary.
pub(crate) fn pacf_of_ar(ar: &[f64]) -> Option<Vec<f64>> {
    let mut a = ar.to_vec();
    let mut pacf = vec![0.0; ar.len()];
    for m in (1..=ar.len()).rev() {
        let pi = a[m - 1];
        if !(pi.is_finite() && pi.abs() < 1.0) {
            return None;
        }
        pacf[m - 1] = pi;
        let d = 1.0 - pi * pi;
        a = (0..m - 1).map(|k| (a[k] + pi * a[m - 2 - k]) / d).collect();
    }
    Some(pacf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ar1_is_the_prais_transform_scaled_like_nlme() {
        let w = ArWhitener::from_pacf(&[0.4]);
        let v = [1.0, 3.0, 2.0];
        assert_eq!(w.row(0, |i| v[i]), 1.0);
        let expected = (2.0 - 0.4 * 3.0) / (1.0f64 - 0.16).sqrt();
        assert!((w.row(2, |i| v[i]) - expected).abs() < 1e-15);
        assert!((w.log_det(3) - 2.0 * (0.84f64).ln()).abs() < 1e-15);
    }

    #[test]
    fn pacf_round_trip() {
        let pacf = [0.5, -0.3, 0.2];
        let w = ArWhitener::from_pacf(&pacf);
        let back = pacf_of_ar(w.ar()).expect("stationary");
        for (a, b) in back.iter().zip(pacf) {
            assert!((a - b).abs() < 1e-14);
        }
        assert!(pacf_of_ar(&[1.2]).is_none());
    }
}
