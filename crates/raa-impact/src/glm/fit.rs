//! The result of a binomial GLM fit and predictions from it.

use super::design::INTERCEPT;
use super::link::Link;
use super::warning::GlmWarning;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

/// A fitted binomial GLM, with R's `glm` quantities.
///
/// ```
/// use raa_impact::glm::{fit_binomial, GlmOptions};
/// let x = [0.1, 0.5, 0.9, 1.3, 1.7, 2.1, 2.5, 2.9];
/// let y = [0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
/// let fit = fit_binomial(&[&x], &["x".to_string()], &y, &GlmOptions::default()).unwrap();
/// assert_eq!(fit.names, ["(Intercept)", "x"]);
/// assert!(fit.converged && fit.coefficients[1] > 0.0);
/// let p = fit.predict(&[&[1.0]]).unwrap();
/// assert!(p[0] > 0.0 && p[0] < 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlmFit {
    /// Coefficient names, `(Intercept)` first when fitted.
    pub names: Vec<String>,
    /// Estimates.
    pub coefficients: Vec<f64>,
    /// Standard errors, `sqrt(diag(covariance))` (dispersion 1).
    pub std_errors: Vec<f64>,
    /// Unscaled covariance (inverse Fisher information of the last IRLS step), p×p row-major.
    pub covariance: Vec<f64>,
    /// Linear predictor per row.
    pub linear_predictor: Vec<f64>,
    /// Fitted probability per row.
    pub fitted: Vec<f64>,
    /// Residual deviance.
    pub deviance: f64,
    /// Deviance of the intercept-only model (or of `mu = 0.5` without intercept).
    pub null_deviance: f64,
    /// Akaike information criterion, as R's binomial family computes it.
    pub aic: f64,
    /// IRLS iterations performed.
    pub iterations: usize,
    /// Whether the relative change of deviance fell below `epsilon`.
    pub converged: bool,
    /// Warnings (non-convergence, fitted probabilities at 0/1, separation).
    pub warnings: Vec<GlmWarning>,
    /// Link used.
    pub link: Link,
}

impl GlmFit {
    fn has_intercept(&self) -> bool {
        self.names.first().is_some_and(|n| n == INTERCEPT)
    }

    /// Linear predictor for new rows; `columns` are the covariates in the order of the fit,
    /// without the intercept.
    pub fn predict_linear(&self, columns: &[&[f64]]) -> Result<Vec<f64>> {
        let offset = usize::from(self.has_intercept());
        let expected = self.names.len() - offset;
        if columns.len() != expected {
            return Err(Error::argument(
                "columns",
                format!(
                    "{} columns given; expected {expected} (the fit's covariates)",
                    columns.len()
                ),
            ));
        }
        let n = columns.first().map_or(0, |c| c.len());
        for (c, name) in columns.iter().zip(&self.names[offset..]) {
            super::design::check_column(c, name, n)?;
        }
        let b0 = if offset == 1 {
            self.coefficients[0]
        } else {
            0.0
        };
        let mut eta = vec![b0; n];
        for (c, b) in columns.iter().zip(&self.coefficients[offset..]) {
            eta.iter_mut().zip(c.iter()).for_each(|(e, x)| *e += b * x);
        }
        Ok(eta)
    }

    /// Probabilities for new rows (the inverse link of [`predict_linear`](Self::predict_linear)).
    pub fn predict(&self, columns: &[&[f64]]) -> Result<Vec<f64>> {
        let le = self.link.evaluator();
        Ok(self
            .predict_linear(columns)?
            .into_iter()
            .map(|e| le.inverse(e))
            .collect())
    }

    /// Wald z statistics, coefficient over standard error.
    pub fn z_values(&self) -> Vec<f64> {
        self.coefficients
            .iter()
            .zip(&self.std_errors)
            .map(|(b, s)| b / s)
            .collect()
    }

    /// Two-sided p-values of the Wald z statistics, `2 * pnorm(-|z|)`.
    pub fn p_values(&self) -> Vec<f64> {
        let normal = Normal::standard();
        self.z_values()
            .iter()
            .map(|z| 2.0 * normal.cdf(-z.abs()))
            .collect()
    }
}
