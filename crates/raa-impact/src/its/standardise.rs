//! Fit on centred and scaled columns, report on the original ones.
//!
//! Time columns in calendar units (days since 1970, spreadsheet serial dates) make `X'X` so badly
//! conditioned that a normal-equations solve loses the step term. Centring and scaling every column
//! but the intercept is an exact reparametrisation, `β = T β̃` and `V = T Ṽ Tᵀ`, with fitted values,
//! residuals and likelihoods unchanged, so the original coefficients come back without loss.

use super::design::Design;
use super::model::ModelFit;

pub(crate) struct Standardised {
    pub design: Design,
    means: Vec<f64>,
    scales: Vec<f64>,
}

/// Centre and scale each design column (the intercept is added by the fitters).
pub(crate) fn standardise(d: &Design) -> Standardised {
    let mut design = d.clone();
    let mut means = Vec::with_capacity(d.columns.len());
    let mut scales = Vec::with_capacity(d.columns.len());
    for col in &mut design.columns {
        let n = col.len() as f64;
        let m = col.iter().sum::<f64>() / n;
        let sd = (col.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n).sqrt();
        // A constant column stays as it is, so the fitter names it as collinear with the intercept.
        let (m, s) = if sd > 0.0 && sd.is_finite() {
            (m, sd)
        } else {
            (0.0, 1.0)
        };
        col.iter_mut().for_each(|v| *v = (*v - m) / s);
        means.push(m);
        scales.push(s);
    }
    Standardised {
        design,
        means,
        scales,
    }
}

impl Standardised {
    /// `T`, row-major p×p with p = columns + 1 (intercept first): `β = T β̃`.
    fn transform(&self) -> Vec<f64> {
        let p = self.means.len() + 1;
        let mut t = vec![0.0; p * p];
        t[0] = 1.0;
        for (j, (m, s)) in self.means.iter().zip(&self.scales).enumerate() {
            t[j + 1] = -m / s;
            t[(j + 1) * p + j + 1] = 1.0 / s;
        }
        t
    }

    /// Bring a fit on the standardised columns back to the original ones.
    pub(crate) fn restore(&self, m: &mut ModelFit) {
        let p = m.p();
        let t = self.transform();
        let beta: Vec<f64> = (0..p)
            .map(|i| (0..p).map(|k| t[i * p + k] * m.coefficients[k]).sum())
            .collect();
        // V = T Ṽ Tᵀ; T is sparse (first row and diagonal), but p is small.
        let mut tv = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..p {
                tv[i * p + j] = (0..p).map(|k| t[i * p + k] * m.covariance[k * p + j]).sum();
            }
        }
        let mut v = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..p {
                v[i * p + j] = (0..p).map(|k| tv[i * p + k] * t[j * p + k]).sum();
            }
        }
        m.coefficients = beta;
        m.covariance = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::its::design::Role;
    use crate::its::model::Scale;

    #[test]
    fn restore_inverts_the_reparametrisation() {
        let d = Design {
            names: vec!["a".into(), "b".into()],
            columns: vec![vec![1.0, 2.0, 4.0], vec![5.0, 5.5, 7.0]],
            roles: vec![Role::Baseline; 2],
            kept: vec![0, 1, 2],
        };
        let s = standardise(&d);
        // β̃ such that Xβ = X̃β̃ for β = (1, 2, 3).
        let beta = [1.0, 2.0, 3.0];
        let bt1 = beta[1] * s.scales[0];
        let bt2 = beta[2] * s.scales[1];
        let bt0 = beta[0] + beta[1] * s.means[0] + beta[2] * s.means[1];
        let mut m = ModelFit {
            names: vec!["(Intercept)".into(), "a".into(), "b".into()],
            coefficients: vec![bt0, bt1, bt2],
            covariance: vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0],
            df: None,
            z_intervals: false,
            scale: Scale::Identity,
            fitted: vec![],
            residuals: vec![],
            diagnostic_residuals: vec![],
            dispersion: 1.0,
            ar1: None,
            ar: Vec::new(),
            theta: None,
            log_likelihood: None,
            aic: None,
            bic: None,
            converged: true,
            iterations: 0,
            warnings: vec![],
        };
        s.restore(&mut m);
        for (a, b) in m.coefficients.iter().zip(beta) {
            assert!((a - b).abs() < 1e-12);
        }
        // Var(β_a) = Var(β̃_a) / s_a².
        assert!((m.covariance[4] - 1.0 / s.scales[0].powi(2)).abs() < 1e-12);
    }
}
