//! Input checks shared by the weighting estimators, and the propensity-score fit.

use crate::glm::{fit_binomial, GlmFit, GlmOptions, GlmWarning};
use crate::inference::check;
use crate::{Error, Result};

use super::WeightingOptions;

/// Scores closer than this to 0 or 1 are treated as "numerically 0 or 1": their weights explode.
pub(crate) const PS_BOUND: f64 = 1e-8;

/// Check the outcome, treatment, a set of named columns and the options; return `n`.
pub(crate) fn validate(
    y: &[f64],
    treated: &[bool],
    columns: &[&[f64]],
    names: &[String],
    argument: &str,
    options: &WeightingOptions,
) -> Result<usize> {
    let n = y.len();
    if n == 0 {
        return Err(Error::argument("y", "is empty: there are no units"));
    }
    check::same_length("treated", treated.len(), n)?;
    check::finite("y", y, n)?;
    if names.len() != columns.len() {
        return Err(Error::argument(
            argument,
            format!("{} columns but {} names", columns.len(), names.len()),
        ));
    }
    for (c, name) in columns.iter().zip(names) {
        check::finite(&format!("{argument} column `{name}`"), c, n)?;
    }
    let n1 = treated.iter().filter(|t| **t).count();
    if n1 == 0 || n1 == n {
        let missing = if n1 == 0 { "treated" } else { "control" };
        return Err(Error::argument(
            "treated",
            format!("there are no {missing} units: an effect needs both groups"),
        ));
    }
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(Error::argument(
            "level",
            format!("{}: expected a value in (0, 1)", options.level),
        ));
    }
    if let Some(cluster) = &options.cluster {
        check::same_length("cluster", cluster.len(), n)?;
        let mut ids = cluster.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() < 2 {
            return Err(Error::argument(
                "cluster",
                "has a single cluster; a cluster-robust SE needs at least 2",
            ));
        }
    }
    Ok(n)
}

/// Scores closer than this to 0 or 1 (R's and the GLM's "fitted at boundary" threshold) are
/// accepted but flagged in `se_method`: their weights dominate the estimate.
pub(crate) const PS_WARN: f64 = 1e-5;

/// The `se_method` suffix warning about scores within [`PS_WARN`] of 0 or 1 (empty when none).
pub(crate) fn extreme_score_note(e: &[f64]) -> String {
    let k = e
        .iter()
        .filter(|e| **e < PS_WARN || **e > 1.0 - PS_WARN)
        .count();
    if k == 0 {
        String::new()
    } else {
        format!(
            "; warning: {k} propensity scores within {PS_WARN:e} of 0 or 1 give extreme weights, \
             consider trimming to common support"
        )
    }
}

/// Fit the logit propensity model `treated ~ 1 + columns` and refuse scores numerically at 0 or 1.
pub(crate) fn fit_ps(columns: &[&[f64]], names: &[String], treated: &[bool]) -> Result<GlmFit> {
    let t: Vec<f64> = treated.iter().map(|&b| f64::from(u8::from(b))).collect();
    let fit = fit_binomial(columns, names, &t, &GlmOptions::default())?;
    for w in &fit.warnings {
        if let GlmWarning::NotConverged { iterations } = w {
            return Err(Error::argument(
                "ps_model_columns",
                format!(
                    "the propensity-score logit did not converge in {iterations} iterations \
                     (separation?): trim the sample to common support or drop perfectly predicting covariates"
                ),
            ));
        }
    }
    if let Some(row) = fit
        .fitted
        .iter()
        .position(|e| !(*e > PS_BOUND && *e < 1.0 - PS_BOUND))
    {
        return Err(Error::argument(
            "ps_model_columns",
            format!(
                "row {row} has an estimated propensity score of {:e}, numerically 0 or 1: its weight \
                 would explode; trim the sample to common support or drop perfectly predicting covariates",
                fit.fitted[row]
            ),
        ));
    }
    Ok(fit)
}
