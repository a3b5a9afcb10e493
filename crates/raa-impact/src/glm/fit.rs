//! The result of a GLM fit, its tests and predictions.

use super::design::INTERCEPT;
use super::link::Link;
use super::warning::GlmWarning;
use super::Family;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// How the negative binomial θ was estimated (`MASS::glm.nb`).
///
/// ```
/// use raa_impact::glm::ThetaConvergence;
/// let c = ThetaConvergence { alternations: 3, converged: true, theta_iterations: 4,
///     theta_converged: true };
/// assert!(c.converged && c.theta_converged);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThetaConvergence {
    /// Rounds of (IRLS for the coefficients, Newton for θ) performed.
    pub alternations: usize,
    /// Whether the alternation met its tolerance (`|ΔlogLik| / d1 + |Δθ| <= epsilon`).
    pub converged: bool,
    /// Newton iterations of the last θ estimate (`theta.ml`).
    pub theta_iterations: usize,
    /// Whether the last θ estimate stopped on its tolerance rather than its iteration limit.
    pub theta_converged: bool,
}

/// A fitted GLM, with R's `glm` (and `summary.glm`) quantities.
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
    /// Standard errors, `sqrt(diag(covariance))`: R's `summary.glm` standard errors (scaled by
    /// the dispersion, which is 1 for the binomial, Poisson and negative binomial families).
    pub std_errors: Vec<f64>,
    /// Covariance of the estimates, `dispersion * covariance_unscaled`, p×p row-major (R's
    /// `vcov`).
    pub covariance: Vec<f64>,
    /// Unscaled covariance `(X'WX)^{-1}` with `W` the [`working_weights`](Self::working_weights)
    /// of the last IRLS step (R's `summary(fit)$cov.unscaled`; the "bread" of a sandwich
    /// estimator), p×p row-major.
    pub covariance_unscaled: Vec<f64>,
    /// Linear predictor per row (offset included).
    pub linear_predictor: Vec<f64>,
    /// Fitted mean per row (a probability for the binomial families).
    pub fitted: Vec<f64>,
    /// Residual deviance.
    pub deviance: f64,
    /// Deviance of the intercept-only model (refitted with the offset when there is one, as R
    /// does), or of `mu = linkinv(offset)` without intercept.
    pub null_deviance: f64,
    /// Akaike information criterion as R computes it. For the quasi families, where R reports
    /// `NA`, this is the AIC of the binomial or Poisson likelihood at the same fit (use
    /// [`r_aic`](Self::r_aic) for R's convention). For a Gaussian fit with zero prior weights
    /// (where R gives `Inf`) the rows with weight 0 are left out.
    pub aic: f64,
    /// Bayesian information criterion (R's `BIC`, with `log(number of rows with non-zero
    /// weight)`); `None` for the quasi families.
    pub bic: Option<f64>,
    /// Log-likelihood (R's `logLik`; for `glm.nb` half its `twologlik`); `None` for the quasi
    /// families.
    pub log_likelihood: Option<f64>,
    /// Family fitted (`NegativeBinomial { theta: None }` when θ was estimated; see `theta`).
    pub family: Family,
    /// Dispersion: 1 for the binomial, Poisson and negative binomial families; for the Gaussian
    /// and quasi families R's `summary.glm` estimate, the sum over rows with positive working
    /// weight of `working_weight * working_residual^2` over `df_residual` (the residual sum of
    /// squares over df for the Gaussian).
    pub dispersion: f64,
    /// Residual degrees of freedom: rows with positive prior weight minus coefficients.
    pub df_residual: usize,
    /// Pearson's χ², the sum of squared Pearson residuals `wt (y - mu)^2 / V(mu)` at the fit.
    pub pearson_chi2: f64,
    /// Negative binomial θ (estimated or fixed); `None` for the other families.
    pub theta: Option<f64>,
    /// Standard error of an estimated θ (`MASS::glm.nb`'s `SE.theta`).
    pub theta_se: Option<f64>,
    /// How an estimated θ converged.
    pub theta_convergence: Option<ThetaConvergence>,
    /// Prior weights as given (`None`: all 1).
    pub prior_weights: Option<Vec<f64>>,
    /// Working weights of the last IRLS step, 0 for rows left out (R's `fit$weights`).
    pub working_weights: Vec<f64>,
    /// Working residuals `(y - mu) / mu.eta(eta)` at the fit (R's `residuals(fit, "working")`).
    /// Per row, `working_weights[i] * working_residuals[i] * x_i` is the score contribution
    /// (times the dispersion) whose sum is zero at convergence.
    pub working_residuals: Vec<f64>,
    /// Offset as given (`None`: no offset).
    pub offset: Option<Vec<f64>>,
    /// IRLS iterations performed (of the last IRLS run for an estimated θ).
    pub iterations: usize,
    /// Whether the relative change of deviance fell below `epsilon`.
    pub converged: bool,
    /// Warnings (non-convergence, fitted probabilities at 0/1, separation, θ limits).
    pub warnings: Vec<GlmWarning>,
    /// Link used.
    pub link: Link,
}

impl GlmFit {
    fn has_intercept(&self) -> bool {
        self.names.first().is_some_and(|n| n == INTERCEPT)
    }

    /// Linear predictor for new rows, without offset; `columns` are the covariates in the order
    /// of the fit, without the intercept.
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

    /// Linear predictor for new rows plus an offset per row (e.g. `log(population)`).
    ///
    /// ```
    /// use raa_impact::glm::{fit, Family, GlmOptions};
    /// let t = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    /// let y = [3.0, 5.0, 4.0, 8.0, 9.0, 12.0];
    /// let off = vec![0.1; 6];
    /// let o = GlmOptions { offset: Some(off.clone()), ..GlmOptions::for_family(Family::Poisson) };
    /// let f = fit(&[&t], &["t".into()], &y, &o).unwrap();
    /// let eta = f.predict_linear_with_offset(&[&t], &off).unwrap();
    /// assert!((eta[2] - f.linear_predictor[2]).abs() < 1e-12);
    /// ```
    pub fn predict_linear_with_offset(
        &self,
        columns: &[&[f64]],
        offset: &[f64],
    ) -> Result<Vec<f64>> {
        let mut eta = self.predict_linear(columns)?;
        if offset.len() != eta.len() {
            return Err(Error::argument(
                "offset",
                format!(
                    "{} offset values for {} rows; expected one per row",
                    offset.len(),
                    eta.len()
                ),
            ));
        }
        if let Some(i) = offset.iter().position(|v| !v.is_finite()) {
            return Err(Error::argument(
                "offset",
                format!(
                    "offset at row {i} (0-based) is {}; expected a finite number",
                    offset[i]
                ),
            ));
        }
        eta.iter_mut().zip(offset).for_each(|(e, o)| *e += o);
        Ok(eta)
    }

    /// Means for new rows (the inverse link of [`predict_linear`](Self::predict_linear), no
    /// offset): probabilities for the binomial families.
    pub fn predict(&self, columns: &[&[f64]]) -> Result<Vec<f64>> {
        let le = self.link.evaluator();
        Ok(self
            .predict_linear(columns)?
            .into_iter()
            .map(|e| le.inverse(e))
            .collect())
    }

    /// Means for new rows with an offset per row (e.g. expected counts for a population).
    pub fn predict_with_offset(&self, columns: &[&[f64]], offset: &[f64]) -> Result<Vec<f64>> {
        let le = self.link.evaluator();
        Ok(self
            .predict_linear_with_offset(columns, offset)?
            .into_iter()
            .map(|e| le.inverse(e))
            .collect())
    }

    /// R's `AIC(fit)` convention: `None` for the quasi families (R's `NA`), else [`aic`](Self::aic).
    pub fn r_aic(&self) -> Option<f64> {
        self.log_likelihood.map(|_| self.aic)
    }

    /// Whether tests use Student's t with `df_residual` degrees of freedom (Gaussian and quasi
    /// families, whose dispersion is estimated) rather than the standard normal.
    pub fn uses_t(&self) -> bool {
        self.family.estimates_dispersion()
    }

    /// Wald statistics, coefficient over standard error (R's `z value` or `t value`).
    pub fn z_values(&self) -> Vec<f64> {
        self.coefficients
            .iter()
            .zip(&self.std_errors)
            .map(|(b, s)| b / s)
            .collect()
    }

    /// Two-sided p-values of the Wald statistics as R's `summary.glm`: `2 * pt(-|t|, df_residual)`
    /// when [`uses_t`](Self::uses_t), else `2 * pnorm(-|z|)`.
    pub fn p_values(&self) -> Vec<f64> {
        let stats = self.z_values();
        match self.t_distribution() {
            Some(t) => stats.iter().map(|s| 2.0 * t.cdf(-s.abs())).collect(),
            None => {
                let normal = Normal::standard();
                stats.iter().map(|z| 2.0 * normal.cdf(-z.abs())).collect()
            }
        }
    }

    /// Wald confidence intervals `estimate ± qnorm((1 + level) / 2) * se` (R's
    /// `confint.default`), one `(lower, upper)` per coefficient on the linear-predictor scale
    /// (exponentiate for rate ratios with a log link).
    ///
    /// # Errors
    /// [`Error::Argument`](crate::Error::Argument) unless `0 < level < 1`.
    pub fn wald_intervals(&self, level: f64) -> Result<Vec<(f64, f64)>> {
        if !(level > 0.0 && level < 1.0) {
            return Err(Error::argument(
                "level",
                format!("level is {level}; expected a number strictly between 0 and 1"),
            ));
        }
        let q = Normal::standard().inverse_cdf((1.0 + level) / 2.0);
        Ok(self
            .coefficients
            .iter()
            .zip(&self.std_errors)
            .map(|(b, s)| (b - q * s, b + q * s))
            .collect())
    }

    fn t_distribution(&self) -> Option<StudentsT> {
        if !self.uses_t() {
            return None;
        }
        // df_residual >= 1 for every fit (more rows than coefficients are required).
        StudentsT::new(0.0, 1.0, self.df_residual as f64).ok()
    }
}
