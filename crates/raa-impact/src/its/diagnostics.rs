//! Residual diagnostics of a fitted series: autocorrelation, Durbin–Watson, Breusch–Godfrey,
//! Ljung–Box and, for Poisson fits, overdispersion.

use super::fit::ItsFit;
use super::spec::{Errors, Family};
use crate::diagnostics::{
    acf, breusch_godfrey, dispersion_test, durbin_watson, ljung_box, pacf, Alternative,
    BgStatistic, Correlogram, DispersionForm, DispersionTest, TestResult,
};
use crate::Result;
use serde::{Deserialize, Serialize};

/// Diagnostics of the residuals used for inference (raw for least squares, Pearson for GLMs,
/// whitened for GLS), up to `lags`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Diagnostics {
    /// Lags examined.
    pub lags: usize,
    /// Residual autocorrelations, lags 0..=lags.
    pub acf: Correlogram,
    /// Residual partial autocorrelations, lags 1..=lags.
    pub pacf: Correlogram,
    /// Durbin–Watson statistic (2 = no first-order autocorrelation).
    pub durbin_watson: f64,
    /// Breusch–Godfrey LM test of autocorrelation up to `lags` (least-squares fits).
    pub breusch_godfrey: Option<TestResult>,
    /// Ljung–Box test up to `lags` (fitdf 1 after an AR(1) fit).
    pub ljung_box: TestResult,
    /// Cameron–Trivedi overdispersion test (Poisson-family fits).
    pub overdispersion: Option<DispersionTest>,
}

impl ItsFit {
    /// Residual diagnostics up to `lags` (at least 1; fewer than the rows used).
    ///
    /// ```
    /// use raa_impact::its::{fit, Interruption, ItsSpec, Series};
    /// let t: Vec<f64> = (1..=30).map(f64::from).collect();
    /// let y: Vec<f64> = t.iter().map(|t| 3.0 + 0.1 * t + (t * 2.3).sin()).collect();
    /// let spec = ItsSpec { interruptions: vec![Interruption::at(16.0)], ..ItsSpec::default() };
    /// let d = fit(&Series::new(&t, &y), &spec).unwrap().diagnostics(4).unwrap();
    /// assert!(d.breusch_godfrey.is_some() && d.durbin_watson > 0.0);
    /// ```
    pub fn diagnostics(&self, lags: usize) -> Result<Diagnostics> {
        let e = &self.model.diagnostic_residuals;
        let least_squares = self.spec.family == Family::Gaussian
            && matches!(self.spec.errors, Errors::Ols | Errors::NeweyWest { .. });
        let ar_params = self.spec.errors.ar_parameters();
        let breusch_godfrey = if least_squares {
            let cols = self.design_columns();
            let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
            Some(breusch_godfrey(
                &refs,
                &self.model.residuals,
                lags,
                BgStatistic::ChiSquared,
            )?)
        } else {
            None
        };
        let overdispersion = if matches!(self.spec.family, Family::Poisson | Family::QuasiPoisson) {
            let y = self.observed_used();
            Some(dispersion_test(
                y,
                &self.model.fitted,
                DispersionForm::Linear,
                Alternative::Greater,
            )?)
        } else {
            None
        };
        Ok(Diagnostics {
            lags,
            acf: acf(e, lags)?,
            pacf: pacf(e, lags)?,
            durbin_watson: durbin_watson(e)?,
            breusch_godfrey,
            ljung_box: ljung_box(e, lags.max(ar_params + 1), ar_params)?,
            overdispersion,
        })
    }
}
