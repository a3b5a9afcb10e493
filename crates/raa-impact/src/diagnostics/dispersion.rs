//! Cameron–Trivedi test of equidispersion for a Poisson fit, as R's `AER::dispersiontest`.
//!
//! Under the Poisson model `Var(y) = μ`. The test regresses `a_t = ((y_t − μ_t)² − y_t)/μ_t`, whose
//! mean is 0 under the null, on a transformation of `μ`:
//! - [`DispersionForm::Linear`], `Var(y) = (1 + α)μ` (quasi-Poisson, NB1): `a` on a constant, i.e.
//!   `z = √n · mean(a)/sd(a)`; the estimate is the dispersion `1 + mean(a)` (`trafo = NULL`).
//! - [`DispersionForm::Quadratic`], `Var(y) = μ + αμ²` (NB2): `a` on `μ` without intercept, `z` the
//!   t ratio of the slope `α̂` (`trafo = 2`); the estimate is `α̂`.
//!
//! `z` is referred to the standard normal (as `dispersiontest` does). Chosen over the Pearson
//! `χ²/(n−p)` because it needs only `y` and `μ` (no residual df) and has a directed alternative.

use super::portmanteau::chi_squared_upper;
use super::test_result::{TestName, TestResult};
use crate::inference::check;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The variance function of the alternative.
///
/// ```
/// use raa_impact::diagnostics::DispersionForm;
/// assert_eq!(DispersionForm::default(), DispersionForm::Linear); // dispersiontest(trafo = NULL)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum DispersionForm {
    /// `Var(y) = (1 + α)μ` (`trafo = NULL`); estimate reported as the dispersion `1 + α`.
    #[default]
    Linear,
    /// `Var(y) = μ + αμ²` (`trafo = 2`); estimate reported as `α`.
    Quadratic,
}

/// Direction of the alternative hypothesis.
///
/// ```
/// use raa_impact::diagnostics::Alternative;
/// assert_eq!(Alternative::default(), Alternative::Greater);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Alternative {
    /// Overdispersion (`alternative = "greater"`, the default).
    #[default]
    Greater,
    /// Over- or underdispersion (`"two.sided"`).
    TwoSided,
    /// Underdispersion (`"less"`).
    Less,
}

/// The test and the estimated dispersion (`Linear`) or `α` (`Quadratic`).
///
/// ```
/// use raa_impact::diagnostics::{dispersion_test, Alternative, DispersionForm};
/// let y = [2.0, 4.0, 3.0, 1.0, 5.0, 3.0];
/// let t = dispersion_test(&y, &[3.0; 6], DispersionForm::Quadratic, Alternative::TwoSided).unwrap();
/// assert_eq!(t.form, DispersionForm::Quadratic);
/// assert!(t.estimate < 0.0); // less spread than Poisson(3)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DispersionTest {
    /// `z` statistic and its p-value; `df` and `df2` are `None`.
    pub result: TestResult,
    /// `1 + mean(a)` for [`DispersionForm::Linear`], `α̂` for [`DispersionForm::Quadratic`].
    pub estimate: f64,
    /// The variance function tested.
    pub form: DispersionForm,
}

/// Cameron–Trivedi dispersion test of a Poisson fit from the counts `y` and the fitted means `mu`
/// (offsets included). Needs at least 2 rows, `y ≥ 0`, `μ > 0`,
/// all finite; an auxiliary variable with no spread is an error.
///
/// ```
/// use raa_impact::diagnostics::{dispersion_test, Alternative, DispersionForm};
/// let y = [0.0, 5.0, 1.0, 9.0, 2.0, 0.0, 7.0, 3.0];
/// let mu = [3.0; 8];
/// let t = dispersion_test(&y, &mu, DispersionForm::Linear, Alternative::Greater).unwrap();
/// assert!(t.estimate > 1.0); // the counts vary more than a Poisson(3) would
/// assert!(t.result.p_value < 0.5);
/// ```
pub fn dispersion_test(
    y: &[f64],
    mu: &[f64],
    form: DispersionForm,
    alternative: Alternative,
) -> Result<DispersionTest> {
    check_counts(y, mu)?;
    let n = y.len() as f64;
    let aux = |t: usize| ((y[t] - mu[t]).powi(2) - y[t]) / mu[t];
    let (z, estimate) = match form {
        DispersionForm::Linear => {
            let mean = (0..y.len()).map(aux).sum::<f64>() / n;
            let var = (0..y.len()).map(|t| (aux(t) - mean).powi(2)).sum::<f64>() / (n - 1.0);
            (n.sqrt() * mean / positive_spread(var)?.sqrt(), 1.0 + mean)
        }
        DispersionForm::Quadratic => {
            let smm: f64 = mu.iter().map(|m| m * m).sum();
            let alpha = (0..y.len()).map(|t| aux(t) * mu[t]).sum::<f64>() / smm;
            let rss: f64 = (0..y.len()).map(|t| (aux(t) - alpha * mu[t]).powi(2)).sum();
            let se = (positive_spread(rss / (n - 1.0))? / smm).sqrt();
            (alpha / se, alpha)
        }
    };
    Ok(DispersionTest {
        result: TestResult {
            test: TestName::CameronTrivedi,
            statistic: z,
            df: None,
            df2: None,
            p_value: normal_p(z, alternative)?,
        },
        estimate,
        form,
    })
}

fn check_counts(y: &[f64], mu: &[f64]) -> Result<()> {
    let n = y.len();
    if n < 2 {
        return Err(Error::argument(
            "y",
            format!("has {n} rows; the dispersion test needs at least 2"),
        ));
    }
    check::finite("y", y, n)?;
    check::finite("mu", mu, n)?;
    if let Some(t) = y.iter().position(|v| *v < 0.0) {
        return Err(Error::argument(
            "y",
            format!("row {t} is {}, expected a count ≥ 0", y[t]),
        ));
    }
    if let Some(t) = mu.iter().position(|v| *v <= 0.0) {
        return Err(Error::argument(
            "mu",
            format!("row {t} is {}, expected a fitted mean > 0", mu[t]),
        ));
    }
    Ok(())
}

fn positive_spread(var: f64) -> Result<f64> {
    if var > 0.0 {
        Ok(var)
    } else {
        Err(Error::argument(
            "y",
            "the auxiliary variable ((y − μ)² − y)/μ has no spread: the test statistic is undefined",
        ))
    }
}

fn normal_p(z: f64, alternative: Alternative) -> Result<f64> {
    Ok(match alternative {
        Alternative::Greater => normal_upper(z)?,
        Alternative::TwoSided => 2.0 * normal_upper(z.abs())?,
        Alternative::Less => normal_upper(-z)?,
    })
}

/// `P(Z > z)` for a standard normal `Z`, through `P(Z > |z|) = P(χ²₁ > z²)/2`: statrs' incomplete
/// gamma keeps ~1e-14 relative accuracy in the tail, where its `erfc`-based normal tail loses
/// digits (about 1e-10 relative at p ≈ 1e-4).
fn normal_upper(z: f64) -> Result<f64> {
    let half_tail = 0.5 * chi_squared_upper(z * z, 1.0)?;
    Ok(if z >= 0.0 { half_tail } else { 1.0 - half_tail })
}
