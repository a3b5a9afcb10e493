//! Options of the AR(1) fits.

use serde::{Deserialize, Serialize};

/// Criterion maximised over the AR coefficient by [`fit_ar1`](super::fit_ar1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// Maximum likelihood (`nlme::gls(method = "ML")`).
    Ml,
    /// Restricted maximum likelihood (`nlme::gls(method = "REML")`, nlme's default).
    #[default]
    Reml,
}

/// Options of [`fit_ar1`](super::fit_ar1).
///
/// ```
/// use raa_impact::gls::{Ar1Options, Method};
/// let o = Ar1Options { method: Method::Ml, ..Ar1Options::default() };
/// assert!(o.intercept);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ar1Options {
    /// ML or REML (default REML, as nlme).
    pub method: Method,
    /// Add an intercept column named `(Intercept)` first (default true).
    pub intercept: bool,
    /// Convergence tolerance of the 1-D search on nlme's unconstrained scale
    /// `z = log((1 + φ) / (1 − φ))` (default 1e-10; the search also stops within √ε·|z| of the optimum).
    pub tolerance: f64,
    /// Most iterations of the 1-D search (default 200).
    pub max_iter: usize,
    /// Hold φ at this value instead of estimating it (nlme's `corAR1(value, fixed = TRUE)`; then
    /// φ is not counted in AIC/BIC and there is no interval for it). Default `None`.
    pub fixed_phi: Option<f64>,
}

impl Default for Ar1Options {
    fn default() -> Self {
        Ar1Options {
            method: Method::Reml,
            intercept: true,
            tolerance: 1e-10,
            max_iter: 200,
            fixed_phi: None,
        }
    }
}

/// What to do with the first observation in [`prais_winsten`](super::prais_winsten).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FirstRow {
    /// Prais–Winsten: keep it, scaled by √(1 − ρ²).
    #[default]
    Keep,
    /// Cochrane–Orcutt: drop it.
    Drop,
}

/// Options of [`prais_winsten`](super::prais_winsten).
///
/// ```
/// use raa_impact::gls::PraisOptions;
/// let o = PraisOptions { twostep: true, ..PraisOptions::default() };
/// assert_eq!(o.max_iter, 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PraisOptions {
    /// Add an intercept column named `(Intercept)` first (default true).
    pub intercept: bool,
    /// Stop after the first estimate of ρ (Stata's `prais, twostep`); default false (iterate).
    pub twostep: bool,
    /// Keep (Prais–Winsten, default) or drop (Cochrane–Orcutt) the first observation.
    pub first_row: FirstRow,
    /// Stop when ρ changes by less than this between iterations (default 1e-10; Stata uses 1e-6).
    pub tolerance: f64,
    /// Most iterations (default 100).
    pub max_iter: usize,
}

impl Default for PraisOptions {
    fn default() -> Self {
        PraisOptions {
            intercept: true,
            twostep: false,
            first_row: FirstRow::Keep,
            tolerance: 1e-10,
            max_iter: 100,
        }
    }
}

/// Options of [`fit_ar`](super::fit_ar), GLS with AR(p) errors.
///
/// ```
/// use raa_impact::gls::ArOptions;
/// let o = ArOptions { order: 3, ..ArOptions::default() };
/// assert!(o.fixed.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArOptions {
    /// Order p of the autoregression (default 2).
    pub order: usize,
    /// ML or REML (default REML, as nlme).
    pub method: Method,
    /// Add an intercept column named `(Intercept)` first (default true).
    pub intercept: bool,
    /// Stop when a quasi-Newton step moves the unconstrained parameters by less than this (default
    /// 1e-9; the search also stops when the gradient is below 1e-6).
    pub tolerance: f64,
    /// Most quasi-Newton steps (default 200).
    pub max_iter: usize,
    /// Hold the AR coefficients φ₁..φ_p at these values (nlme's `corARMA(value, fixed = TRUE)`).
    pub fixed: Option<Vec<f64>>,
}

impl Default for ArOptions {
    fn default() -> Self {
        ArOptions {
            order: 2,
            method: Method::Reml,
            intercept: true,
            tolerance: 1e-9,
            max_iter: 200,
            fixed: None,
        }
    }
}
