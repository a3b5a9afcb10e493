//! The balance table: one row per covariate, before and (optionally) after matching or weighting.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::ecdf::{self, EcdfWeights};
use super::moments::{self, TwoGroups};
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
    let columns = columns
        .iter()
        .map(|(name, values)| BalanceColumn::new(name, values))
        .collect();
    balance_rows(columns, treated, base, adjusted.map(Adjusted::Dense), basis)
}

/// One column of [`balance_rows`], with what the caller already computed for it.
pub struct BalanceColumn<'a> {
    /// Name of the covariate.
    pub name: &'a str,
    /// One value per unit.
    pub values: &'a [f64],
    /// Its moments under unit weights (`two_groups(values, None, treated)`), when known; used only
    /// when no base weights are given.
    pub unit_moments: Option<TwoGroups>,
    /// Its moments under the adjusted weights, when known.
    pub adjusted_moments: Option<TwoGroups>,
    /// The column sorted within each group, when known (a matching kernel sorts the distance).
    pub sorted: Option<ecdf::SortedColumn>,
    /// Its eCDF differences under the base and the adjusted weights ([`ecdf_differences`]), when
    /// already taken: a caller that sorted the column can take them and free the sorted copy
    /// before the column itself is materialised.
    pub ecdf: Option<Vec<(f64, f64)>>,
    /// Whether every value is 0 or 1, when known. With it, the moments (and the eCDF differences
    /// of a column that is not binary) given, `values` may be empty: a column the caller does not
    /// hold, whose statistics it computed as it read its values (and found them finite).
    pub binary: Option<bool>,
}

impl<'a> BalanceColumn<'a> {
    /// A column with nothing computed yet.
    pub fn new(name: &'a str, values: &'a [f64]) -> Self {
        BalanceColumn {
            name,
            values,
            unit_moments: None,
            adjusted_moments: None,
            sorted: None,
            ecdf: None,
            binary: None,
        }
    }

    /// True when every statistic is given and `values` is empty: nothing is read from it.
    fn given_without_values(&self, adjusted: bool) -> bool {
        self.values.is_empty()
            && self.binary.is_some()
            && self.unit_moments.is_some()
            && (!adjusted || self.adjusted_moments.is_some())
            && (self.binary == Some(true) || self.ecdf.is_some())
    }
}

/// Adjustment weights of [`balance_rows`].
#[derive(Debug, Clone, Copy)]
pub enum Adjusted<'a> {
    /// One weight per unit.
    Dense(&'a [f64]),
    /// The units with a positive weight (rows ascending) and their weights; the others weigh 0.
    /// A matched set is a small part of a large sample, and only its rows are read.
    Sparse {
        /// Rows, ascending, no repeats.
        rows: &'a [u32],
        /// Their weights.
        values: &'a [f64],
    },
}

/// [`balance_table`] from columns that may come with their moments or sorted groups, and with
/// dense or sparse adjustment weights. Every statistic is bit-identical to [`balance_table`]'s on
/// the same numbers (with the sparse weights made dense).
pub fn balance_rows(
    columns: Vec<BalanceColumn>,
    treated: &[bool],
    base: Option<&[f64]>,
    adjusted: Option<Adjusted>,
    basis: SdBasis,
) -> Result<Vec<BalanceRow>> {
    let n = treated.len();
    if n > u32::MAX as usize {
        return Err(crate::Error::argument(
            "treated",
            format!("{n} rows: the balance table takes up to 2^32 - 1"),
        ));
    }
    if let Some(b) = base {
        check::weights("base weights", b, n)?;
    }
    match adjusted {
        Some(Adjusted::Dense(w)) => check::weights("adjusted weights", w, n)?,
        Some(Adjusted::Sparse { rows, values }) => sparse_weights(rows, values, n)?,
        None => {}
    }
    // No weights given means unit weights, which are never materialised. Columns are summarised
    // in parallel (each is internally parallel only in its sort): the sequential sums of one
    // overlap another's. The first bad column in order is reported, whatever the thread count.
    let rows: Vec<Result<BalanceRow>> = columns
        .into_par_iter()
        .map(|column| {
            let (name, x) = (column.name, column.values);
            let given = base.is_none() && column.given_without_values(adjusted.is_some());
            if !given {
                finite(name, x, n)?;
            }
            let binary = column.binary.unwrap_or_else(|| moments::is_binary(x));
            let base_moments = match (base, column.unit_moments) {
                (None, Some(m)) => m,
                _ => moments::two_groups(x, base, treated),
            };
            let sd = scale(&base_moments, binary, basis);
            let after_moments = adjusted.map(|a| match (column.adjusted_moments, a) {
                (Some(m), _) => m,
                (None, Adjusted::Dense(w)) => moments::two_groups(x, Some(w), treated),
                (None, Adjusted::Sparse { rows, values }) => {
                    moments::two_groups_sparse(x, rows, values, treated)
                }
            });
            // For a binary covariate both eCDF statistics are the difference in proportions
            // (MatchIt's convention): the eCDFs differ at 0 only; nothing is sorted.
            let ecdf = match (binary, column.ecdf) {
                (true, _) => None,
                (false, Some(e)) => Some(e),
                (false, None) => {
                    let sorted = column
                        .sorted
                        .unwrap_or_else(|| ecdf::SortedColumn::new(x, treated));
                    Some(ecdf_differences(&sorted, base, adjusted))
                }
            };
            let before = stats(&base_moments, binary, sd, ecdf.as_ref().map(|e| e[0]));
            let after = after_moments.map(|m| stats(&m, binary, sd, ecdf.as_ref().map(|e| e[1])));
            Ok(BalanceRow {
                covariate: name.to_string(),
                binary,
                before,
                after,
            })
        })
        .collect();
    rows.into_iter().collect()
}

/// The eCDF differences of a sorted column under the base weights (unit weights when `None`)
/// and then, when given, the adjusted weights: one (mean, max) pair per set.
pub fn ecdf_differences(
    sorted: &ecdf::SortedColumn,
    base: Option<&[f64]>,
    adjusted: Option<Adjusted>,
) -> Vec<(f64, f64)> {
    let mut sets = vec![base.map_or(EcdfWeights::Unit, EcdfWeights::Dense)];
    sets.extend(adjusted.map(|a| match a {
        Adjusted::Dense(w) => EcdfWeights::Dense(w),
        Adjusted::Sparse { rows, values } => EcdfWeights::Sparse { rows, values },
    }));
    sorted.differences_of(&sets)
}

/// [`check::finite`], scanned in parallel; a bad column is reported by `check::finite` itself
/// (the first bad row, whatever the thread count).
fn finite(name: &str, x: &[f64], n: usize) -> Result<()> {
    check::same_length(name, x.len(), n)?;
    if x.par_chunks(1 << 16)
        .any(|c| c.iter().any(|v| !v.is_finite()))
    {
        return check::finite(name, x, n);
    }
    Ok(())
}

/// Sparse weights: rows ascending, in range, and finite non-negative weights with a positive total.
fn sparse_weights(rows: &[u32], values: &[f64], n: usize) -> Result<()> {
    check::same_length("adjusted weights", values.len(), rows.len())?;
    if let Some(i) = (1..rows.len()).find(|&i| rows[i] <= rows[i - 1]) {
        return Err(crate::Error::argument(
            "adjusted weights",
            format!(
                "row {} is listed after row {}: rows must ascend",
                rows[i],
                rows[i - 1]
            ),
        ));
    }
    if let Some(&r) = rows.last().filter(|&&r| r as usize >= n) {
        return Err(crate::Error::argument(
            "adjusted weights",
            format!("row {r} is out of range: there are {n} units"),
        ));
    }
    check::weights("adjusted weights", values, values.len())
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

/// The statistics of one set of weights; `ecdf`: its eCDF mean and max (`None` for a binary
/// covariate).
fn stats(m: &moments::TwoGroups, binary: bool, sd: f64, ecdf: Option<(f64, f64)>) -> BalanceStats {
    let mean = |t: bool| m.mean[usize::from(t)].unwrap_or(f64::NAN);
    let var = |t: bool| m.variance[usize::from(t)].unwrap_or(f64::NAN);
    let (mt, mc) = (mean(true), mean(false));
    // For a binary covariate both eCDF statistics are the difference in proportions (MatchIt's
    // convention): the eCDFs differ at 0 only.
    let (ecdf_mean, ecdf_max) = ecdf.unwrap_or(((mt - mc).abs(), (mt - mc).abs()));
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
