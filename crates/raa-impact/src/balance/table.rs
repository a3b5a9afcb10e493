//! The balance table: one row per covariate, before and (optionally) after matching or weighting.

use serde::{Deserialize, Serialize};

use super::{ecdf, moments};
use crate::inference::check;
use crate::Result;

/// Whose standard deviation scales the mean difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SdBasis {
    /// The treated group's SD (the ATT convention).
    #[default]
    Treated,
    /// The control group's SD (ATC).
    Control,
    /// `sqrt((s²_t + s²_c)/2)` (ATE).
    Pooled,
}

/// Balance statistics of one covariate under one set of weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceStats {
    /// Weighted mean among the treated.
    pub mean_treated: f64,
    /// Weighted mean among the controls.
    pub mean_control: f64,
    /// `mean_treated − mean_control`: for a binary covariate, the difference in proportions.
    pub raw_difference: f64,
    /// The raw difference over the SD of the chosen basis, always computed on the unadjusted
    /// sample so that before and after are on one scale (MatchIt and cobalt do the same).
    pub std_mean_difference: f64,
    /// Weighted variance of the treated over that of the controls (`None` for binary covariates,
    /// whose variance is fixed by the mean).
    pub variance_ratio: Option<f64>,
    /// Mean absolute difference of the weighted eCDFs.
    pub ecdf_mean: f64,
    /// Maximum absolute difference of the weighted eCDFs: the Kolmogorov–Smirnov statistic.
    pub ecdf_max: f64,
}

/// One covariate's balance before and after adjustment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceRow {
    /// Covariate name (a level of a categorical covariate reads `name_level`).
    pub covariate: String,
    /// True when the covariate only takes the values 0 and 1.
    pub binary: bool,
    /// On the unadjusted sample (base weights).
    pub before: BalanceStats,
    /// On the adjusted sample, when adjustment weights were given.
    pub after: Option<BalanceStats>,
}

/// Balance of every column between `treated` and control rows. `base` weights describe the sample
/// before adjustment (all ones usually); `adjusted` weights (matching or weighting; zero = not in the
/// matched set) give the `after` statistics.
///
/// ```
/// use raa_impact::balance::{balance_table, SdBasis};
/// let age = [30.0, 32.0, 20.0, 31.0];
/// let treated = [true, true, false, false];
/// let after = [1.0, 1.0, 0.0, 1.0];
/// let rows = balance_table(&[("age", &age)], &treated, None, Some(&after), SdBasis::Treated).unwrap();
/// assert!(rows[0].after.as_ref().unwrap().std_mean_difference.abs() < rows[0].before.std_mean_difference.abs());
/// ```
pub fn balance_table(
    columns: &[(&str, &[f64])],
    treated: &[bool],
    base: Option<&[f64]>,
    adjusted: Option<&[f64]>,
    basis: SdBasis,
) -> Result<Vec<BalanceRow>> {
    let n = treated.len();
    if n >= 1 << 31 {
        return Err(crate::Error::argument(
            "treated",
            format!("{n} rows: the balance table takes up to 2^31 - 1"),
        ));
    }
    if let Some(b) = base {
        check::weights("base weights", b, n)?;
    }
    if let Some(w) = adjusted {
        check::weights("adjusted weights", w, n)?;
    }
    // No weights given means unit weights, which are never materialised.
    columns
        .iter()
        .map(|(name, x)| {
            check::finite(name, x, n)?;
            let binary = moments::is_binary(x);
            let base_moments = moments::two_groups(x, base, treated);
            let sd = scale(&base_moments, binary, basis);
            let sorted = (!binary).then(|| ecdf::SortedColumn::new(x, treated));
            let before = stats(&base_moments, base, binary, sd, sorted.as_ref());
            let after = adjusted.map(|w| {
                let m = moments::two_groups(x, Some(w), treated);
                stats(&m, Some(w), binary, sd, sorted.as_ref())
            });
            Ok(BalanceRow {
                covariate: name.to_string(),
                binary,
                before,
                after,
            })
        })
        .collect()
}

/// The SD of the basis on the unadjusted sample (`p(1 − p)` variances for a binary covariate).
fn scale(m: &moments::TwoGroups, binary: bool, basis: SdBasis) -> f64 {
    let var = |t: bool| {
        let g = usize::from(t);
        let v = match (binary, m.mean[g]) {
            (true, Some(p)) => Some(p * (1.0 - p)),
            (true, None) => None,
            (false, _) => m.variance[g],
        };
        v.unwrap_or(f64::NAN)
    };
    match basis {
        SdBasis::Treated => var(true).sqrt(),
        SdBasis::Control => var(false).sqrt(),
        SdBasis::Pooled => ((var(true) + var(false)) / 2.0).sqrt(),
    }
}

/// `weights`: as given (`None` = unit weights, a cheaper eCDF pass).
fn stats(
    m: &moments::TwoGroups,
    weights: Option<&[f64]>,
    binary: bool,
    sd: f64,
    sorted: Option<&ecdf::SortedColumn>,
) -> BalanceStats {
    let mean = |t: bool| m.mean[usize::from(t)].unwrap_or(f64::NAN);
    let var = |t: bool| m.variance[usize::from(t)].unwrap_or(f64::NAN);
    let (mt, mc) = (mean(true), mean(false));
    // For a binary covariate both eCDF statistics are the difference in proportions (MatchIt's
    // convention): the eCDFs differ at 0 only.
    let (ecdf_mean, ecdf_max) = match sorted {
        Some(sorted) if !binary => sorted.differences(weights),
        _ => ((mt - mc).abs(), (mt - mc).abs()),
    };
    BalanceStats {
        mean_treated: mt,
        mean_control: mc,
        raw_difference: mt - mc,
        // A constant covariate has SD 0: its standardised difference is 0 when the means agree.
        std_mean_difference: if sd > 0.0 { (mt - mc) / sd } else { 0.0 },
        variance_ratio: (!binary).then(|| var(true) / var(false)),
        ecdf_mean,
        ecdf_max,
    }
}
