//! The result of a regression with AR(1) errors, its inference table and predictions.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::input::Series;
use crate::inference::check;
use crate::{Error, Result};

/// How a [`GlsFit`] was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FitMethod {
    /// GLS, AR(1) coefficient by maximum likelihood.
    Ml,
    /// GLS, AR(1) coefficient by restricted maximum likelihood.
    Reml,
    /// Prais–Winsten, iterated to convergence.
    PraisWinsten,
    /// Prais–Winsten, two-step.
    PraisWinstenTwoStep,
    /// Cochrane–Orcutt (first row dropped), iterated.
    CochraneOrcutt,
    /// Cochrane–Orcutt, two-step.
    CochraneOrcuttTwoStep,
}

/// A linear regression with AR(1) errors.
///
/// Built by [`fit_ar1`](super::fit_ar1) or [`prais_winsten`](super::prais_winsten); see there for
/// the conventions of each field.
///
/// ```
/// use raa_impact::gls::{fit_ar1, Ar1Options};
/// let t: Vec<f64> = (0..30).map(f64::from).collect();
/// let y: Vec<f64> = t.iter().map(|v| 2.0 + 0.5 * v + (v * 1.7).sin()).collect();
/// let fit = fit_ar1(&[&t], &["t".to_string()], &y, &Ar1Options::default()).unwrap();
/// let next = fit.predict(&[&[30.0]]).unwrap();
/// assert!((next[0] - (fit.coefficients[0] + 30.0 * fit.coefficients[1])).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlsFit {
    /// Coefficient names, `(Intercept)` first when there is one.
    pub names: Vec<String>,
    /// Whether the first coefficient is the intercept (added by the fit).
    pub intercept: bool,
    /// Estimates, one per name.
    pub coefficients: Vec<f64>,
    /// Standard errors (square roots of the covariance's diagonal).
    pub std_errors: Vec<f64>,
    /// Covariance of the coefficients, row-major `p × p`.
    pub covariance: Vec<f64>,
    /// Estimate / SE.
    pub t_values: Vec<f64>,
    /// Two-sided p-values from Student's t with `df_residual` degrees of freedom.
    pub p_values: Vec<f64>,
    /// Residual degrees of freedom (`n − p`; `n − 1 − p` for Cochrane–Orcutt).
    pub df_residual: usize,
    /// The AR(1) coefficient φ (ρ); for an AR(p) fit, φ₁ (all of them are in `ar`).
    pub phi: f64,
    /// The AR coefficients φ₁..φ_p (one entry for AR(1) and Prais–Winsten).
    pub ar: Vec<f64>,
    /// 95% interval for φ (nlme's `intervals()`: Wald on `log((1+φ)/(1−φ))` from the profile's
    /// curvature, mapped back); `None` for Prais–Winsten or when the curvature is not usable.
    pub phi_interval: Option<[f64; 2]>,
    /// Residual standard deviation σ.
    pub sigma: f64,
    /// Log-likelihood.
    pub log_likelihood: f64,
    /// `−2 logLik + 2k`, `k = p + 2` (coefficients, φ, σ; `p + 1` when φ is held fixed).
    pub aic: f64,
    /// `−2 logLik + k log(N)`, `N = n` (ML and Prais–Winsten), `n − p` (REML, as nlme),
    /// `n − 1` (Cochrane–Orcutt).
    pub bic: f64,
    /// Iterations of the search for φ (Brent or BFGS steps, or Prais–Winsten updates of ρ).
    pub iterations: usize,
    /// Whether the search met its tolerance.
    pub converged: bool,
    /// Raw residuals `y − Xβ`, one per row.
    pub residuals: Vec<f64>,
    /// Whitened residuals divided by σ (nlme's `type = "normalized"`); one per transformed row
    /// (`n`, or `n − 1` for Cochrane–Orcutt).
    pub normalized_residuals: Vec<f64>,
    /// Fitted values `Xβ`, one per row.
    pub fitted: Vec<f64>,
    /// How the fit was made.
    pub method: FitMethod,
}

/// What an estimator hands over to [`GlsFit::assemble`].
#[derive(Debug)]
pub(crate) struct Parts {
    pub beta: Vec<f64>,
    pub covariance: Vec<f64>,
    pub df_residual: usize,
    pub ar: Vec<f64>,
    pub phi_interval: Option<[f64; 2]>,
    pub sigma: f64,
    pub log_likelihood: f64,
    /// Number of observations used in BIC's penalty.
    pub bic_n: f64,
    /// Number of estimated parameters counted by AIC/BIC.
    pub n_params: usize,
    pub iterations: usize,
    pub converged: bool,
    pub normalized_residuals: Vec<f64>,
    pub method: FitMethod,
}

impl GlsFit {
    pub(crate) fn assemble(series: Series, parts: Parts) -> Result<GlsFit> {
        let p = series.p();
        let fitted: Vec<f64> = (0..series.n)
            .map(|i| (0..p).map(|j| series.x(i, j) * parts.beta[j]).sum())
            .collect();
        let residuals = series.y.iter().zip(&fitted).map(|(y, f)| y - f).collect();
        let std_errors: Vec<f64> = (0..p)
            .map(|j| parts.covariance[j * p + j].max(0.0).sqrt())
            .collect();
        let t_values: Vec<f64> = parts
            .beta
            .iter()
            .zip(&std_errors)
            .map(|(b, s)| b / s)
            .collect();
        let dist = StudentsT::new(0.0, 1.0, parts.df_residual as f64)
            .map_err(|e| Error::argument("y", format!("no residual degrees of freedom: {e}")))?;
        let p_values = t_values.iter().map(|t| 2.0 * dist.sf(t.abs())).collect();
        let k = parts.n_params as f64;
        let fit = GlsFit {
            names: series.names,
            intercept: series.intercept,
            coefficients: parts.beta,
            std_errors,
            covariance: parts.covariance,
            t_values,
            p_values,
            df_residual: parts.df_residual,
            phi: parts.ar.first().copied().unwrap_or(0.0),
            ar: parts.ar,
            phi_interval: parts.phi_interval,
            sigma: parts.sigma,
            log_likelihood: parts.log_likelihood,
            aic: -2.0 * parts.log_likelihood + 2.0 * k,
            bic: -2.0 * parts.log_likelihood + k * parts.bic_n.ln(),
            iterations: parts.iterations,
            converged: parts.converged,
            residuals,
            normalized_residuals: parts.normalized_residuals,
            fitted,
            method: parts.method,
        };
        fit.check_finite()?;
        Ok(fit)
    }

    /// Never hand back a silent NaN: name the quantity that is not finite.
    fn check_finite(&self) -> Result<()> {
        let scalars = [
            ("phi", self.phi),
            ("sigma", self.sigma),
            ("log_likelihood", self.log_likelihood),
        ];
        let vectors = [
            ("ar", &self.ar),
            ("coefficients", &self.coefficients),
            ("std_errors", &self.std_errors),
            ("t_values", &self.t_values),
            ("p_values", &self.p_values),
        ];
        let bad = scalars
            .iter()
            .find(|(_, v)| !v.is_finite())
            .map(|(n, _)| *n)
            .or_else(|| {
                vectors
                    .iter()
                    .find(|(_, v)| v.iter().any(|x| !x.is_finite()))
                    .map(|(n, _)| *n)
            });
        match bad {
            Some(name) => Err(Error::argument(
                "y",
                format!("the fit's {name} is not finite (perfect fit or degenerate series?)"),
            )),
            None => Ok(()),
        }
    }

    /// Predictions `Xβ` for new rows. `columns` are the covariates in the fit's order, without the
    /// intercept (added when the fit had one); all columns must have the same length.
    ///
    /// ```
    /// use raa_impact::gls::{prais_winsten, PraisOptions};
    /// let t: Vec<f64> = (0..20).map(f64::from).collect();
    /// let y: Vec<f64> = t.iter().map(|v| 1.0 + 2.0 * v + (v * 2.3).cos()).collect();
    /// let fit = prais_winsten(&[&t], &["t".to_string()], &y, &PraisOptions::default()).unwrap();
    /// assert_eq!(fit.predict(&[&[0.0, 1.0]]).unwrap().len(), 2);
    /// ```
    pub fn predict(&self, columns: &[&[f64]]) -> Result<Vec<f64>> {
        let offset = usize::from(self.intercept);
        let expected = self.coefficients.len() - offset;
        if columns.len() != expected {
            return Err(Error::argument(
                "columns",
                format!(
                    "{} columns given; expected {expected} ({})",
                    columns.len(),
                    self.names[offset..].join(", ")
                ),
            ));
        }
        let rows = columns.first().map_or(1, |c| c.len());
        for (c, name) in columns.iter().zip(&self.names[offset..]) {
            check::finite(name, c, rows)?;
        }
        let base = if self.intercept {
            self.coefficients[0]
        } else {
            0.0
        };
        Ok((0..rows)
            .map(|i| {
                base + columns
                    .iter()
                    .zip(&self.coefficients[offset..])
                    .map(|(c, b)| c[i] * b)
                    .sum::<f64>()
            })
            .collect())
    }
}
