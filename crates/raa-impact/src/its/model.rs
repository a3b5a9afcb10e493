//! The fitted model as the effect and summary code sees it, whatever fitted it (least squares, a
//! GLM, GLS): coefficients, the covariance used for inference, degrees of freedom and the link.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The scale of the linear predictor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// The outcome's own scale.
    Identity,
    /// Log of the mean (rate ratios).
    Log,
    /// Log-odds (odds ratios).
    Logit,
}

impl Scale {
    /// Mean from the linear predictor.
    pub fn inverse(self, eta: f64) -> f64 {
        match self {
            Scale::Identity => eta,
            Scale::Log => eta.exp(),
            Scale::Logit => 1.0 / (1.0 + (-eta).exp()),
        }
    }

    /// `dμ/dη`.
    pub fn derivative(self, eta: f64) -> f64 {
        match self {
            Scale::Identity => 1.0,
            Scale::Log => eta.exp(),
            Scale::Logit => {
                let m = self.inverse(eta);
                m * (1.0 - m)
            }
        }
    }

    /// Whether `exp(coefficient)` is a ratio worth reporting.
    pub fn has_ratio(self) -> bool {
        self != Scale::Identity
    }
}

/// A fitted linear predictor with what inference needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelFit {
    /// Coefficient names, `(Intercept)` first.
    pub names: Vec<String>,
    /// Estimates.
    pub coefficients: Vec<f64>,
    /// Covariance used for inference (model-based, dispersion-scaled or HAC), p×p row-major.
    pub covariance: Vec<f64>,
    /// Degrees of freedom of t statistics; `None` for z statistics.
    pub df: Option<f64>,
    /// Intervals with the normal quantile even when `df` is set (R's `confint.default` for the
    /// quasi families, whose p-values use t as `summary.glm`).
    pub z_intervals: bool,
    /// Scale of the linear predictor.
    pub scale: Scale,
    /// Fitted mean per row used, in time order.
    pub fitted: Vec<f64>,
    /// Response residuals `y − fitted`.
    pub residuals: Vec<f64>,
    /// Residuals for diagnostics: raw (least squares), Pearson (GLM) or whitened (GLS).
    pub diagnostic_residuals: Vec<f64>,
    /// Dispersion (σ² for Gaussian least squares, φ for quasi families, 1 otherwise).
    pub dispersion: f64,
    /// AR(1) coefficient of GLS or Prais–Winsten fits.
    pub ar1: Option<f64>,
    /// All autoregressive coefficients of an AR(p) fit (φ₁ first); empty otherwise.
    pub ar: Vec<f64>,
    /// Negative binomial θ.
    pub theta: Option<f64>,
    /// Log-likelihood where the model has one.
    pub log_likelihood: Option<f64>,
    /// Akaike information criterion where defined.
    pub aic: Option<f64>,
    /// Bayesian information criterion where defined.
    pub bic: Option<f64>,
    /// Whether every iterative step converged.
    pub converged: bool,
    /// Iterations of the outer fitting loop (0 for closed forms).
    pub iterations: usize,
    /// Warnings from the fitter, in words.
    pub warnings: Vec<String>,
}

impl ModelFit {
    /// Number of coefficients.
    pub fn p(&self) -> usize {
        self.coefficients.len()
    }

    /// `x' V x` for a coefficient-length vector `x`.
    pub fn quadratic_form(&self, x: &[f64]) -> f64 {
        let p = self.p();
        let mut s = 0.0;
        for a in 0..p {
            if x[a] == 0.0 {
                continue;
            }
            for b in 0..p {
                s += x[a] * self.covariance[a * p + b] * x[b];
            }
        }
        s
    }

    /// `x' β`.
    pub fn dot(&self, x: &[f64]) -> f64 {
        x.iter().zip(&self.coefficients).map(|(a, b)| a * b).sum()
    }

    /// Two-sided critical value at `level` (t with `df` or normal).
    pub fn critical(&self, level: f64) -> f64 {
        let q = 0.5 + level / 2.0;
        let df = if self.z_intervals { None } else { self.df };
        match df.and_then(|df| StudentsT::new(0.0, 1.0, df).ok()) {
            Some(t) => t.inverse_cdf(q),
            None => Normal::standard().inverse_cdf(q),
        }
    }

    /// Two-sided p-value of a statistic.
    pub fn p_value(&self, statistic: f64) -> f64 {
        let tail = match self.df.and_then(|df| StudentsT::new(0.0, 1.0, df).ok()) {
            Some(t) => t.sf(statistic.abs()),
            None => Normal::standard().sf(statistic.abs()),
        };
        2.0 * tail
    }
}
