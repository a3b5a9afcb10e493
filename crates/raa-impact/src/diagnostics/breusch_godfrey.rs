//! The Breusch–Godfrey test of residual autocorrelation up to a given order, as R's
//! `lmtest::bgtest(fit, order, type, fill = 0)`.
//!
//! statsmodels' `acorr_breusch_godfrey(res, nlags)` gives the same LM and F figures when the design
//! has an intercept. Two differences: its default `nlags` is `min(10, n // 5)` (R's `order` default
//! is 1), and for a design without an intercept it adds a constant to the auxiliary regression and
//! uses the centred R², whereas `bgtest` (and this function) keep the design as given and use
//! `Σ fitted² / Σ e²`.

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};
use statrs::function::beta::beta_reg;

use super::input;
use super::portmanteau::chi_squared_upper;
use super::test_result::{TestName, TestResult};
use crate::inference::check;
use crate::{Error, Result};

/// Which statistic [`breusch_godfrey`] reports.
///
/// ```
/// use raa_impact::diagnostics::BgStatistic;
/// assert_eq!(BgStatistic::default(), BgStatistic::ChiSquared); // bgtest's default type
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum BgStatistic {
    /// `LM = n · Σ fitted² / Σ e²` of the auxiliary regression, χ² with `order` df
    /// (`type = "Chisq"`, the default of `bgtest`).
    #[default]
    ChiSquared,
    /// `F = ((Σe² − SSR)/order) / (SSR/(n − p − order))`, F(`order`, `n − p − order`) (`type = "F"`).
    F,
}

/// Breusch–Godfrey test of the residuals `e` of an OLS fit on `columns` (the full design, intercept
/// included by the caller, rows in time order) for autocorrelation at lags `1..=order`.
///
/// The auxiliary regression is `e_t` on `x_t` and `e_{t−1}, …, e_{t−order}`, the lags before the
/// first row filled with 0 (`bgtest`'s `fill = 0`), so every row is kept. Needs at least
/// `p + order + 1` rows; NaN, residuals that are all zero and a rank-deficient auxiliary design are
/// errors.
///
/// ```
/// use raa_impact::diagnostics::{breusch_godfrey, BgStatistic};
/// use raa_impact::inference::wls;
/// let one = vec![1.0; 12];
/// let t: Vec<f64> = (0..12).map(f64::from).collect();
/// let y = [1.0, 1.5, 2.5, 3.2, 3.1, 3.0, 3.9, 4.8, 5.6, 5.4, 5.5, 6.4];
/// let fit = wls(&[&one, &t], &["(Intercept)", "t"], &y, &[1.0; 12]).unwrap();
/// let lm = breusch_godfrey(&[&one, &t], &fit.residuals, 2, BgStatistic::ChiSquared).unwrap();
/// assert_eq!(lm.df, Some(2.0));
/// let f = breusch_godfrey(&[&one, &t], &fit.residuals, 2, BgStatistic::F).unwrap();
/// assert_eq!((f.df, f.df2), (Some(2.0), Some(8.0)));
/// ```
pub fn breusch_godfrey(
    columns: &[&[f64]],
    residuals: &[f64],
    order: usize,
    statistic: BgStatistic,
) -> Result<TestResult> {
    let n = residuals.len();
    let p = columns.len();
    input::positive_lag("order", order)?;
    input::series(
        "residuals",
        residuals,
        p + order + 1,
        format_args!("a Breusch–Godfrey test of order {order} with {p} columns"),
    )?;
    for (j, c) in columns.iter().enumerate() {
        // Name the column only on the error path: formatting costs more than the check.
        if c.len() != n || c.iter().any(|v| !v.is_finite()) {
            check::finite(&format!("columns[{j}]"), c, n)?;
        }
    }
    let ss: f64 = residuals.iter().map(|e| e * e).sum();
    if ss == 0.0 {
        return Err(Error::argument(
            "residuals",
            "are all zero: nothing to test",
        ));
    }
    let (fitted_ss, resid_ss) = auxiliary_regression(columns, residuals, order)?;
    let m = order as f64;
    Ok(match statistic {
        BgStatistic::ChiSquared => {
            let lm = n as f64 * fitted_ss / ss;
            TestResult {
                test: TestName::BreuschGodfreyChiSquared,
                statistic: lm,
                df: Some(m),
                df2: None,
                p_value: chi_squared_upper(lm, m)?,
            }
        }
        BgStatistic::F if resid_ss == 0.0 => {
            return Err(Error::argument(
                "residuals",
                "are fitted exactly by the design and their own lags: the F statistic is infinite",
            ));
        }
        BgStatistic::F => {
            let df2 = (n - p - order) as f64;
            let f = (fitted_ss / m) / (resid_ss / df2);
            TestResult {
                test: TestName::BreuschGodfreyF,
                statistic: f,
                df: Some(m),
                df2: Some(df2),
                p_value: f_upper(f, m, df2),
            }
        }
    })
}

/// Regress `e` on `[X, lagged e]` by Householder QR; return (Σ fitted², Σ residual²).
///
/// Both sums are read off `Q'e` (its first k entries are the fitted part, the rest the residual
/// part), so neither is formed by subtracting two nearly equal sums.
fn auxiliary_regression(columns: &[&[f64]], e: &[f64], order: usize) -> Result<(f64, f64)> {
    let n = e.len();
    let p = columns.len();
    let k = p + order;
    let a = DMatrix::from_fn(n, k, |i, j| {
        if j < p {
            columns[j][i]
        } else {
            let lag = j - p + 1;
            if i >= lag {
                e[i - lag]
            } else {
                0.0
            }
        }
    });
    let norms: Vec<f64> = (0..k).map(|j| a.column(j).norm()).collect();
    let qr = a.qr();
    let r = qr.r();
    // R's lm.fit flags a column whose pivot is below 1e-7 of its norm as collinear; do the same.
    if let Some(j) = (0..k).find(|&j| r[(j, j)].abs() <= 1e-7 * norms[j]) {
        let what = if j < p {
            format!("columns[{j}]")
        } else {
            format!("the residuals at lag {}", j - p + 1)
        };
        return Err(Error::argument(
            "columns",
            format!("{what} is zero or a linear combination of the earlier columns of the auxiliary regression"),
        ));
    }
    let mut qte = DVector::from_column_slice(e);
    qr.q_tr_mul(&mut qte);
    let fitted_ss = qte.rows(0, k).norm_squared();
    let resid_ss = qte.rows(k, n - k).norm_squared();
    Ok((fitted_ss, resid_ss))
}

/// Upper tail `P(F_{d1,d2} > f)` as `I_{d2/(d2 + d1 f)}(d2/2, d1/2)`, written so that small p-values
/// keep their relative accuracy (no `1 − x` near 1).
fn f_upper(f: f64, d1: f64, d2: f64) -> f64 {
    if f <= 0.0 {
        return 1.0;
    }
    beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))
}
