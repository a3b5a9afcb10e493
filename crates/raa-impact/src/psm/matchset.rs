//! The match object: the matched set with its weights, the score, the balance before and after,
//! and what happened to every unit. Effects and survival analyses read it.

use std::borrow::Cow;

use serde::Serialize;

use super::caliper::{raw_width, sd};
use super::input::MatchInput;
use super::kernel::{self, KernelInput, KernelOptions, Matches, Unmatched};
use super::options::{Distance, Estimand, MatchOptions, Ties};
use super::sample_sizes::{sample_sizes, SampleSizes};
use super::score::{distance_values, propensity, Score};
use super::support::eligible;
use super::validate::validate;
use super::weights::{both_directions, from_matches, subclasses, Matched};
use crate::balance::{balance_table, BalanceRow, SdBasis};
use crate::{Error, Result};

/// The result of [`match_units`].
#[derive(Debug, Clone, Serialize)]
pub struct MatchSet {
    /// Options used.
    pub options: MatchOptions,
    /// Treatment of every unit (as given).
    pub treated: Vec<bool>,
    /// The score, when the distance is score-based (a supplied score is not copied: its `ps` is
    /// empty).
    pub score: Option<Score>,
    /// The one-dimensional matching distance (empty for covariate distances).
    pub distance: Vec<f64>,
    /// Raw caliper width on the distance, when a caliper was asked for.
    pub caliper_width: Option<f64>,
    /// Units allowed to match (common support); `None` when nobody was dropped.
    pub eligible: Option<Vec<bool>>,
    /// Matches of the focal units (treated for ATT and ATE, controls for ATC).
    pub matches: Matches,
    /// For ATE, the matches of the controls to treated units.
    pub reverse_matches: Option<Matches>,
    /// Matching weight of every unit (0 = outside the matched set).
    pub weights: Vec<f64>,
    /// 1-based subclass (pair) of every unit without replacement, 0 outside the matched set; empty
    /// with replacement (see [`MatchSet::subclass_of`]).
    pub subclass: Vec<u32>,
    /// Balance of the distance (when score-based) and every covariate, before and after.
    pub balance: Vec<BalanceRow>,
    /// Sample sizes before and after.
    pub sample_sizes: SampleSizes,
    /// Warnings worth a user's attention (score model, empty result...).
    pub warnings: Vec<String>,
}

impl MatchSet {
    /// Number of focal units that received at least one match.
    pub fn n_matched(&self) -> usize {
        self.matches.focal.len() - self.matches.unmatched.len()
    }

    /// Subclass of unit `i`: `None` outside the matched set or with replacement.
    pub fn subclass_of(&self, i: usize) -> Option<u32> {
        self.subclass.get(i).copied().filter(|s| *s > 0)
    }

    /// Focal units without a match, with the reason.
    pub fn unmatched(&self) -> &[Unmatched] {
        &self.matches.unmatched
    }
}

/// Match treated and control units.
///
/// ```
/// use raa_impact::psm::{match_units, MatchInput, MatchOptions};
/// let treated = [true, true, false, false, false, false];
/// let score = [0.8, 0.6, 0.7, 0.55, 0.2, 0.1];
/// let input = MatchInput { treated: &treated, score: Some(&score), ..Default::default() };
/// let m = match_units(&input, &MatchOptions::default()).unwrap();
/// assert_eq!(m.n_matched(), 2);
/// assert_eq!(m.weights, vec![1.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
/// ```
pub fn match_units(input: &MatchInput, options: &MatchOptions) -> Result<MatchSet> {
    validate(input, options)?;
    let mut warnings = Vec::new();
    let score = if options.distance.uses_score() || input.score.is_some() {
        Some(propensity(input, options)?)
    } else {
        None
    };
    if let Some(model) = score.as_ref().and_then(|s| s.model.as_ref()) {
        warnings.extend(model.warnings.iter().map(|w| format!("score model: {w}")));
    }
    let mut score = score;
    let distance = match (&mut score, options.distance.uses_score()) {
        (Some(s), true) => distance_values(s, options.distance, input.score),
        _ => Vec::new(),
    };
    let eligible = match options.distance.uses_score() {
        true => eligible(
            &distance,
            input.score.or(score.as_ref().map(|s| s.ps.as_slice())),
            input.treated,
            options.discard,
            options.crump_alpha,
        ),
        false => None,
    };
    let caliper_width = options
        .caliper
        .map(|c| raw_width(c, options.caliper_scale, &distance, input.treated));
    let covariate_calipers = covariate_calipers(input, options)?;
    let run = |focal_is_treated: bool| -> Result<Matches> {
        // The treated are the focal group for ATT: borrowed, not copied.
        let focal: Cow<[bool]> = match focal_is_treated {
            true => Cow::Borrowed(input.treated),
            false => input.treated.iter().map(|t| !*t).collect(),
        };
        let kernel_input = KernelInput {
            distance: &distance,
            treated: &focal,
            stratum: input.exact,
            key: input.id,
            covariate_calipers: covariate_calipers.clone(),
            eligible: eligible.as_deref(),
        };
        let kernel_options = KernelOptions {
            ratio: options.ratio,
            replace: options.replace,
            reuse_max: options.reuse_max,
            caliper: caliper_width,
            order: options.order,
            ties: options.ties,
            tolerance: kernel_tolerance(options, &distance),
        };
        if options.distance.uses_score() {
            kernel::match_nearest(&kernel_input, &kernel_options)
        } else {
            let x: Vec<&[f64]> = input.covariates.iter().map(|(_, c)| *c).collect();
            kernel::match_nearest_covariates(
                &x,
                scaling(options.distance, &x),
                &kernel_input,
                &kernel_options,
            )
        }
    };
    let (matches, reverse_matches, mut matched) = match options.estimand {
        Estimand::Att | Estimand::Atc => {
            let m = run(options.estimand == Estimand::Att)?;
            // Subclasses are numbered after the balance table, so the two never coexist.
            let matched = from_matches(&m, input.n(), false);
            (m, None, matched)
        }
        Estimand::Ate => {
            let (a, b) = (run(true)?, run(false)?);
            let matched = both_directions(&a, &b, input.n());
            (a, Some(b), matched)
        }
    };
    if matched.weights.iter().all(|w| *w == 0.0) {
        warnings
            .push("no unit was matched: the matched set is empty (see `unmatched` for why)".into());
    }
    let balance = balance_rows(input, options, &distance, &matched)?;
    if options.estimand != Estimand::Ate && !options.replace {
        matched.subclass = subclasses(&matches, input.n());
    }
    Ok(MatchSet {
        options: options.clone(),
        treated: input.treated.to_vec(),
        sample_sizes: sample_sizes(input.treated, &matched.weights, eligible.as_deref()),
        score,
        distance,
        caliper_width,
        eligible,
        matches,
        reverse_matches,
        weights: matched.weights,
        subclass: matched.subclass,
        balance,
        warnings,
    })
}

/// The kernel's tolerance in raw units: for `Ties::All`, Matching's tolerance on squared
/// standardised distances times the distance's variance (`d²/s² ≤ D²/s² + tol`).
fn kernel_tolerance(options: &MatchOptions, distance: &[f64]) -> f64 {
    match options.ties {
        Ties::First => options.tolerance.unwrap_or(0.0),
        Ties::All => {
            let scale = if distance.is_empty() {
                1.0
            } else {
                sd(distance, |_| true).powi(2)
            };
            options.tolerance.unwrap_or(1e-5) * scale
        }
    }
}

/// Mahalanobis, or R Matching's default: each covariate weighted by its inverse sample variance.
fn scaling(distance: Distance, x: &[&[f64]]) -> kernel::CovariateScaling {
    match distance {
        Distance::Mahalanobis => kernel::CovariateScaling::Mahalanobis,
        _ => kernel::CovariateScaling::InverseVariance(
            x.iter().map(|c| 1.0 / sd(c, |_| true).powi(2)).collect(),
        ),
    }
}

fn covariate_calipers<'a>(
    input: &MatchInput<'a>,
    options: &MatchOptions,
) -> Result<Vec<(&'a [f64], f64)>> {
    options
        .covariate_calipers
        .iter()
        .map(|c| {
            let column = input.covariate(&c.covariate).ok_or_else(|| {
                Error::argument("caliper", format!("no covariate named `{}`", c.covariate))
            })?;
            let width = if c.raw {
                c.width
            } else {
                c.width * sd(column, |_| true)
            };
            Ok((column, width))
        })
        .collect()
}

fn balance_rows(
    input: &MatchInput,
    options: &MatchOptions,
    distance: &[f64],
    matched: &Matched,
) -> Result<Vec<BalanceRow>> {
    let mut columns: Vec<(&str, &[f64])> = Vec::new();
    if !distance.is_empty() {
        columns.push(("distance", distance));
    }
    // The balance columns default to the model's columns.
    let chosen = if input.balance.is_empty() {
        &input.covariates
    } else {
        &input.balance
    };
    columns.extend(chosen.iter().copied());
    let basis = match options.estimand {
        Estimand::Att => SdBasis::Treated,
        Estimand::Atc => SdBasis::Control,
        Estimand::Ate => SdBasis::Pooled,
    };
    let any_matched = matched.weights.iter().any(|w| *w > 0.0);
    let after = any_matched.then_some(matched.weights.as_slice());
    balance_table(&columns, input.treated, None, after, basis)
}
