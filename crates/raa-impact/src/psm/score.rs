//! The propensity score (fitted or supplied) and the one-dimensional matching distance built on it.

use rayon::prelude::*;
use serde::Serialize;

use super::input::MatchInput;
use super::kernel::DistanceScale;
use super::options::{Distance, MatchOptions};
use crate::branch_free::all_values;
use crate::glm::{fit_binomial, GlmFit, GlmOptions};
use crate::inference::check;
use crate::{Error, Result};

/// The propensity score of every unit and the model that produced it (none when supplied).
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// Probability of treatment; empty for a supplied score, which the caller holds
    /// (`MatchInput::score`) and is not copied.
    pub ps: Vec<f64>,
    /// Linear predictor `logit(ps)` (or the probit index for a probit model). Empty once it has
    /// become the match's distance (`MatchSet::distance`), so that it is held once.
    pub linear: Vec<f64>,
    /// The fitted model, when the score was estimated. Its `fitted` and `linear_predictor` are
    /// moved into `ps` and `linear` (left empty here), so that each is held once.
    pub model: Option<GlmFit>,
}

/// Fit the score model on the covariates, or check and take the supplied score.
pub fn propensity(input: &MatchInput, options: &MatchOptions) -> Result<Score> {
    match input.score {
        Some(ps) => supplied(ps, input.n()),
        None => fitted(input, options),
    }
}

/// Check a supplied score without computing its logit: every value a probability strictly between
/// 0 and 1, exactly the values whose logit is finite (for a `p` just below 1, `1 − p` is at least
/// 2⁻⁵³, so `p / (1 − p)` stays finite; for the least positive `p` the ratio is still positive).
pub fn check_supplied(ps: &[f64], n: usize) -> Result<()> {
    check::same_length("score", ps.len(), n)?;
    // The first bad row is only looked for when there is one.
    match all_values(ps, |p| (p > 0.0) & (p < 1.0)) {
        true => Ok(()),
        false => Err(invalid_score(ps)),
    }
}

fn supplied(ps: &[f64], n: usize) -> Result<Score> {
    check::same_length("score", ps.len(), n)?;
    // The logit is finite exactly when the score is strictly between 0 and 1 (0 and 1 give
    // infinities; NaN, infinities and numbers outside [0, 1] give NaN): one pass does both.
    let (linear, valid) = logit_checked(ps);
    if !valid {
        return Err(invalid_score(ps));
    }
    Ok(Score {
        ps: Vec::new(),
        linear,
        model: None,
    })
}

/// The logit of every probability (of a score already checked), in parallel, by the same pass as
/// the supplied score's check: the same bits, and those of the kernel's
/// [`DistanceScale::LogitOfProbability`].
pub fn logit(ps: &[f64]) -> Vec<f64> {
    logit_checked(ps).0
}

/// The logit of every probability, and whether all are finite, in one parallel pass
/// (element-wise, so the same bits on any thread count).
fn logit_checked(ps: &[f64]) -> (Vec<f64>, bool) {
    let mut out = vec![0.0; ps.len()];
    let finite = out
        .par_chunks_mut(1 << 14)
        .zip(ps.par_chunks(1 << 14))
        .map(|(out, p)| {
            out.iter_mut().zip(p).fold(true, |ok, (o, p)| {
                *o = DistanceScale::LogitOfProbability.of(*p);
                ok & o.is_finite()
            })
        })
        .reduce(|| true, |a, b| a && b);
    (out, finite)
}

/// The error of a score that is not a probability strictly between 0 and 1 everywhere: the first
/// non-finite row, else the first row outside (0, 1).
fn invalid_score(ps: &[f64]) -> Error {
    if let Err(e) = check::finite("score", ps, ps.len()) {
        return e;
    }
    let row = ps.iter().position(|p| !(*p > 0.0 && *p < 1.0)).unwrap_or(0);
    Error::argument(
        "score",
        format!(
            "row {row} is {}, expected a probability strictly between 0 and 1",
            ps.get(row).copied().unwrap_or(f64::NAN)
        ),
    )
}

fn fitted(input: &MatchInput, options: &MatchOptions) -> Result<Score> {
    if input.covariates.is_empty() {
        return Err(Error::argument(
            "covariates",
            "no covariates and no score: give covariates for the score model or a score",
        ));
    }
    let columns: Vec<&[f64]> = input.covariates.iter().map(|(_, c)| *c).collect();
    let names: Vec<String> = input
        .covariates
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    let y: Vec<f64> = input
        .treated
        .iter()
        .map(|t| f64::from(u8::from(*t)))
        .collect();
    let glm_options = GlmOptions {
        link: options.link,
        ..GlmOptions::default()
    };
    let mut model = fit_binomial(&columns, &names, &y, &glm_options)?;
    Ok(Score {
        ps: std::mem::take(&mut model.fitted),
        linear: std::mem::take(&mut model.linear_predictor),
        model: Some(model),
    })
}

/// The matching distance of every unit for a score-based `distance` (`supplied`: the score as
/// given); the linear predictor is moved out of `score`, not copied.
pub fn distance_values(
    score: &mut Score,
    distance: Distance,
    supplied: Option<&[f64]>,
) -> Vec<f64> {
    match (distance, supplied) {
        (Distance::Ps, Some(ps)) => ps.to_vec(),
        (Distance::Ps, None) => score.ps.clone(),
        _ => std::mem::take(&mut score.linear),
    }
}
