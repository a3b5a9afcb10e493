//! The match object: the matched set with its weights, the score, the balance before and after,
//! and what happened to every unit. Effects and survival analyses read it.

use std::borrow::Cow;

use rayon::prelude::*;

use serde::Serialize;

use super::caliper::{raw_width, sd};
use super::input::MatchInput;
use super::kernel::{
    self, DistanceScale, KernelInput, KernelOptions, Matches, SortedGroups, Unmatched,
};
use super::options::{Discard, Distance, Estimand, MatchOptions, Ties};
use super::sample_sizes::{sample_sizes, SampleSizes};
use super::score::{check_supplied, distance_values, logit, propensity, Score};
use super::support::eligible;
use super::validate::validate;
use super::weights::{match_weights, matched_rows, subclasses, MatchWeights};
use crate::balance::ecdf::{EcdfWeights, SortedColumn};
use crate::balance::moments::{two_groups, two_groups_sparse_by, two_groups_with, TwoGroups};
use crate::balance::{balance_rows, Adjusted, BalanceColumn, BalanceRow, SdBasis};
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
    /// The one-dimensional matching distance (empty for covariate distances, and when deferred).
    pub distance: Vec<f64>,
    /// Set when the distance of a supplied score was not built
    /// ([`MatchInput::defer_distance`]): it is the score read on this scale, and
    /// [`MatchSet::distance_from`] computes it from the score.
    pub deferred_distance: Option<DistanceScale>,
    /// Raw caliper width on the distance, when a caliper was asked for.
    pub caliper_width: Option<f64>,
    /// Units allowed to match (common support); `None` when nobody was dropped.
    pub eligible: Option<Vec<bool>>,
    /// Matches of the focal units (treated for ATT and ATE, controls for ATC).
    pub matches: Matches,
    /// For ATE, the matches of the controls to treated units.
    pub reverse_matches: Option<Matches>,
    /// Matching weight of every unit (0 = outside the matched set), held for the matched units
    /// only (`weights.dense()` gives one per unit).
    pub weights: MatchWeights,
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

    /// 1-based subclass (pair) of every unit, 0 outside the matched set; empty with replacement
    /// and for ATE, where pairs overlap. Built from the matches when asked for (a vector as long
    /// as the data).
    pub fn subclasses(&self) -> Vec<u32> {
        if self.options.estimand == Estimand::Ate || self.options.replace {
            return Vec::new();
        }
        subclasses(&self.matches, self.treated.len())
    }

    /// Focal units without a match, with the reason.
    pub fn unmatched(&self) -> &[Unmatched] {
        &self.matches.unmatched
    }

    /// The matching distance of every unit: the one held, or, when it was deferred, computed
    /// from `score` (the supplied score; an error when it is missing or of another length).
    /// Empty for covariate distances.
    ///
    /// ```
    /// use raa_impact::psm::{match_units, MatchInput, MatchOptions};
    /// let treated = [true, false, false];
    /// let score = [0.6, 0.5, 0.1];
    /// let input = MatchInput { treated: &treated, score: Some(&score), defer_distance: true, ..Default::default() };
    /// let m = match_units(&input, &MatchOptions::default()).unwrap();
    /// assert!(m.distance.is_empty());
    /// let d = m.distance_from(Some(&score)).unwrap();
    /// assert_eq!(d[1], 0.0); // the logit of 0.5
    /// assert!(m.distance_from(None).is_err());
    /// ```
    pub fn distance_from<'a>(&'a self, score: Option<&[f64]>) -> Result<Cow<'a, [f64]>> {
        let Some(scale) = self.deferred_distance else {
            return Ok(Cow::Borrowed(&self.distance));
        };
        let Some(ps) = score else {
            return Err(Error::argument(
                "score",
                "the match deferred its distance (defer_distance): pass the supplied score",
            ));
        };
        crate::inference::check::same_length("score", ps.len(), self.treated.len())?;
        Ok(Cow::Owned(distance_of_score(ps, scale)))
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
/// assert_eq!(m.weights.dense(), vec![1.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
/// ```
pub fn match_units(input: &MatchInput, options: &MatchOptions) -> Result<MatchSet> {
    validate(input, options)?;
    let mut warnings = Vec::new();
    // The distance of a supplied score (its logit, or the score itself) is not held while the
    // kernel runs: the kernel reads the score and computes the logit as it reads it, and its sorted
    // copy holds the distances, so a second column as long as the data is never held beside that
    // copy. The distance is materialised (the same bits) once the copy is gone.
    let lean = lean_score(input, options);
    let Start {
        score,
        mut distance,
        eligible,
        moments: distance_moments,
    } = match lean {
        Some((ps, scale)) if !needs_distance_column(options) => lean_start(input, ps, scale)?,
        _ => full_start(input, options)?,
    };
    if let Some(model) = score.as_ref().and_then(|s| s.model.as_ref()) {
        warnings.extend(model.warnings.iter().map(|w| format!("score model: {w}")));
    }
    let column = match (distance.is_empty(), lean) {
        (true, Some(lean)) => lean,
        _ => (distance.as_slice(), DistanceScale::AsGiven),
    };
    let caliper_width = options.caliper.map(|c| {
        raw_width(
            c,
            options.caliper_scale,
            column,
            input.treated,
            distance_moments.as_ref(),
        )
    });
    let covariate_calipers = covariate_calipers(input, options)?;
    let tolerance = kernel_tolerance(options, &distance);
    if lean.is_some() {
        distance = Vec::new();
    }
    let (kernel_distance, scale) = lean.unwrap_or((distance.as_slice(), DistanceScale::AsGiven));
    // `keep`: also return the groups as the kernel sorted them, for the balance of the distance.
    let run = |focal_is_treated: bool, keep: bool| -> Result<(Matches, Option<SortedGroups>)> {
        // The treated are the focal group for ATT: borrowed, not copied.
        let focal: Cow<[bool]> = match focal_is_treated {
            true => Cow::Borrowed(input.treated),
            false => input.treated.iter().map(|t| !*t).collect(),
        };
        let kernel_input = KernelInput {
            distance: kernel_distance,
            scale,
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
            tolerance,
        };
        if options.distance.uses_score() {
            let (m, sorted) = kernel::match_nearest_sorted(&kernel_input, &kernel_options, keep)?;
            // The balance table wants the treated and the controls, whichever group was focal.
            let sorted = sorted.map(|s| match focal_is_treated {
                true => s,
                false => SortedGroups {
                    focal: s.others,
                    others: s.focal,
                },
            });
            Ok((m, sorted))
        } else {
            let x: Vec<&[f64]> = input.covariates.iter().map(|(_, c)| *c).collect();
            let m = kernel::match_nearest_covariates(
                &x,
                scaling(options.distance, &x),
                &kernel_input,
                &kernel_options,
            )?;
            Ok((m, None))
        }
    };
    let (matches, reverse_matches, sorted) = match options.estimand {
        Estimand::Att | Estimand::Atc => {
            let (m, sorted) = run(options.estimand == Estimand::Att, true)?;
            (m, None, sorted)
        }
        Estimand::Ate => {
            let (a, sorted) = run(true, true)?;
            let (b, _) = run(false, false)?;
            (a, Some(b), sorted)
        }
    };
    // The kernel's sorted copy (12 bytes a unit) is the largest thing held: the eCDF of the
    // distance before matching is taken from it, and it is thinned to the matched units and freed
    // before the weights are built. The eCDF after matching is read from the thinned copy.
    let directions: Vec<&Matches> = std::iter::once(&matches)
        .chain(reverse_matches.as_ref())
        .collect();
    let keep = matched_rows(&directions, input.n());
    let thinned = sorted.map(|s| {
        SortedColumn::from_sorted_groups(s.others, s.focal)
            .differences_and_thin(&[EcdfWeights::Unit], &keep)
    });
    let weights = match_weights(&directions, &keep, input.n());
    drop(keep);
    if weights.is_empty() {
        warnings
            .push("no unit was matched: the matched set is empty (see `unmatched` for why)".into());
    }
    let mut distance_column = BalanceColumn {
        name: "distance",
        values: &[],
        unit_moments: distance_moments,
        adjusted_moments: None,
        sorted: None,
        ecdf: None,
        binary: None,
    };
    // Three independent readers of the weights run side by side: the eCDF after matching
    // (mostly one sequential walk), the moments of a supplied score's distance at the matched
    // rows, and the sample sizes (with the copy of `treated` the match keeps).
    let (after, (adjusted_moments, (sample_sizes, treated))) = rayon::join(
        || match (&thinned, weights.is_empty()) {
            (Some((_, thin)), false) => {
                thin.differences(weights.rows(), weights.values()).map(Some)
            }
            _ => Ok(None),
        },
        || {
            rayon::join(
                // The distance's moments under the matching weights are read from the score at
                // the matched rows.
                || {
                    let (ps, scale) = lean?;
                    matched_weights(&weights)
                        .map(|_| matched_moments(ps, scale, input.treated, &weights))
                },
                || {
                    let sizes = sample_sizes(input.treated, &weights, eligible.as_deref());
                    (sizes, input.treated.to_vec())
                },
            )
        },
    );
    let after = after?;
    if let Some((before, _)) = thinned {
        distance_column.ecdf = Some(before.into_iter().chain(after).collect());
    }
    distance_column.adjusted_moments = adjusted_moments;
    let mut deferred_distance = None;
    if let Some((ps, scale)) = lean {
        // The distance is held again only now, once the sorted copy is gone (or not at all when
        // deferred).
        // Deferred only when every statistic of its balance row is known: with exact strata the
        // kernel's sorted copy is not handed over, and its eCDF needs the column.
        match input.defer_distance && distance_column.ecdf.is_some() {
            true => {
                distance_column.binary = Some(binary_on(ps, scale));
                deferred_distance = Some(scale);
            }
            false => distance = distance_of_score(ps, scale),
        }
    }
    distance_column.values = &distance;
    let scored = !distance.is_empty() || deferred_distance.is_some();
    let distance_column = scored.then_some(distance_column);
    let balance = balance_of(input, options, distance_column, &weights)?;
    Ok(MatchSet {
        options: options.clone(),
        treated,
        sample_sizes,
        score,
        distance,
        deferred_distance,
        caliper_width,
        eligible,
        matches,
        reverse_matches,
        weights,
        balance,
        warnings,
    })
}

/// The distance of every unit: the supplied score `ps` read on `scale`.
fn distance_of_score(ps: &[f64], scale: DistanceScale) -> Vec<f64> {
    match scale {
        DistanceScale::AsGiven => ps.to_vec(),
        DistanceScale::LogitOfProbability => logit(ps),
    }
}

/// Whether the distance of every unit (the score read on `scale`) is 0 or 1, as the balance
/// table's binary test, without building the column; stops at the first other value.
fn binary_on(ps: &[f64], scale: DistanceScale) -> bool {
    let other = |p: &f64| {
        let d = scale.of(*p);
        d != 0.0 && d != 1.0
    };
    !ps.par_chunks(1 << 16).any(|c| c.iter().any(other))
}

/// What `match_units` starts from: the score, the distance as a column (empty when the kernel
/// reads a supplied score), who may match (`None`: everyone), and the distance's moments under
/// unit weights (they serve the caliper's pooled SD and the balance table alike).
struct Start {
    score: Option<Score>,
    distance: Vec<f64>,
    eligible: Option<Vec<bool>>,
    moments: Option<TwoGroups>,
}

/// The score (fitted, or supplied and checked) and its distance as a column.
fn full_start(input: &MatchInput, options: &MatchOptions) -> Result<Start> {
    let mut score = match options.distance.uses_score() || input.score.is_some() {
        true => Some(propensity(input, options)?),
        false => None,
    };
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
    let moments = (!distance.is_empty()).then(|| two_groups(&distance, None, input.treated));
    Ok(Start {
        score,
        distance,
        eligible,
        moments,
    })
}

/// A supplied score read on `scale`, checked without its logit, its moments summed from the
/// score (the logit taken as each row is read): no column as long as the data is built.
fn lean_start(input: &MatchInput, ps: &[f64], scale: DistanceScale) -> Result<Start> {
    check_supplied(ps, input.n())?;
    let t = input.treated;
    let moments = two_groups_with(ps.len(), |i| (scale.of(ps[i]), t[i], 1.0));
    Ok(Start {
        score: Some(Score {
            ps: Vec::new(),
            linear: Vec::new(),
            model: None,
        }),
        distance: Vec::new(),
        eligible: None,
        moments: Some(moments),
    })
}

/// Whether the distance must be held as a column before matching: common support and Crump
/// trimming read it row by row, and `Ties::All` scales its tolerance by its variance.
fn needs_distance_column(options: &MatchOptions) -> bool {
    options.discard != Discard::None || options.crump_alpha.is_some() || options.ties == Ties::All
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

/// The balance table of the distance (first, when score-based) and the balance columns.
fn balance_of<'a>(
    input: &MatchInput<'a>,
    options: &MatchOptions,
    distance: Option<BalanceColumn<'a>>,
    weights: &MatchWeights,
) -> Result<Vec<BalanceRow>> {
    let mut columns: Vec<BalanceColumn> = distance.into_iter().collect();
    // The balance columns default to the model's columns.
    let chosen = if input.balance.is_empty() {
        &input.covariates
    } else {
        &input.balance
    };
    columns.extend(chosen.iter().map(|(n, x)| BalanceColumn::new(n, x)));
    let basis = match options.estimand {
        Estimand::Att => SdBasis::Treated,
        Estimand::Atc => SdBasis::Control,
        Estimand::Ate => SdBasis::Pooled,
    };
    balance_rows(
        columns,
        input.treated,
        None,
        matched_weights(weights),
        basis,
    )
}

/// The matching weights as the balance table's adjusted weights (`None` when nobody matched).
fn matched_weights(weights: &MatchWeights) -> Option<Adjusted<'_>> {
    (!weights.is_empty()).then(|| Adjusted::Sparse {
        rows: weights.rows(),
        values: weights.values(),
    })
}

/// The supplied score and how the distance is read from it, when the distance is the score or
/// its logit: the kernel then reads the score itself.
fn lean_score<'a>(
    input: &MatchInput<'a>,
    options: &MatchOptions,
) -> Option<(&'a [f64], DistanceScale)> {
    let scale = match options.distance {
        Distance::Logit => DistanceScale::LogitOfProbability,
        Distance::Ps => DistanceScale::AsGiven,
        _ => return None,
    };
    input.score.map(|ps| (ps, scale))
}

/// The moments of the distance (`ps` read on `scale`) under the matching weights, read at the
/// matched rows only: the same terms in the same order as `two_groups_sparse` on the
/// materialised distance, so the same bits.
fn matched_moments(
    ps: &[f64],
    scale: DistanceScale,
    treated: &[bool],
    weights: &MatchWeights,
) -> TwoGroups {
    two_groups_sparse_by(
        |r| scale.of(ps[r]),
        weights.rows(),
        weights.values(),
        treated,
    )
}
