//! The result shared by the diagnostic tests.

use serde::{Deserialize, Serialize};

/// Which test produced a [`TestResult`] (and so which reference distribution its p-value uses).
///
/// ```
/// use raa_impact::diagnostics::{box_pierce, TestName};
/// let x = [0.3, -0.1, 0.4, -0.6, 0.2, 0.5, -0.3, 0.1];
/// assert_eq!(box_pierce(&x, 2, 0).unwrap().test, TestName::BoxPierce);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestName {
    /// Breusch–Godfrey LM statistic `n·R²`, χ² with `order` df (`lmtest::bgtest(type = "Chisq")`).
    BreuschGodfreyChiSquared,
    /// Breusch–Godfrey F statistic, F(`order`, `n − p − order`) (`lmtest::bgtest(type = "F")`).
    BreuschGodfreyF,
    /// Ljung–Box Q, χ² with `lags − fitdf` df (`Box.test(type = "Ljung-Box")`).
    LjungBox,
    /// Box–Pierce Q, χ² with `lags − fitdf` df (`Box.test(type = "Box-Pierce")`).
    BoxPierce,
    /// Cameron–Trivedi dispersion test, standard normal z (`AER::dispersiontest`).
    CameronTrivedi,
}

/// A test statistic with its degrees of freedom and p-value.
///
/// `df` is the χ² df or the F numerator df; `df2` the F denominator df; both are `None` for a z test.
///
/// ```
/// use raa_impact::diagnostics::{ljung_box, TestName};
/// let x = [1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 5.0, 8.0, 7.0, 9.0];
/// let r = ljung_box(&x, 2, 0).unwrap();
/// assert_eq!(r.test, TestName::LjungBox);
/// assert_eq!(r.df, Some(2.0));
/// assert!(r.p_value > 0.0 && r.p_value < 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// The test.
    pub test: TestName,
    /// The statistic (χ², F or z).
    pub statistic: f64,
    /// χ² degrees of freedom, or the F numerator degrees of freedom.
    pub df: Option<f64>,
    /// F denominator degrees of freedom.
    pub df2: Option<f64>,
    /// p-value (upper tail for χ² and F; as the alternative says for z).
    pub p_value: f64,
}
