//! Augmented inverse probability weighting (doubly robust) with influence-function standard errors.

use super::input::{extreme_score_note, fit_ps, validate};
use super::variance::{cluster_clause, finish, se_from_influence, Estimate};
use super::{WeightScheme, WeightingOptions};
use crate::inference::wls;
use crate::psm::effect::Effect;
use crate::{Error, Result};

/// Augmented IPW (doubly robust) estimate: consistent when either the logit propensity model (on
/// `ps_model_columns`) or the outcome model (a separate linear regression of `y` on
/// `outcome_columns`, with intercept, in each arm) is right. Both models get an intercept.
///
/// * `Ate`: `mean(m1 − m0 + t (y − m1)/e − (1 − t)(y − m0)/(1 − e))`.
/// * `Att`: `[Σ t (y − m0) − Σ (1 − t) e/(1 − e) (y − m0)] / n1` (only the control regression is used).
/// * `Atc`: `[Σ (1 − t)(m1 − y) + Σ t (1 − e)/e (y − m1)] / n0` (only the treated regression is used).
/// * `Overlap`: not available (an error).
///
/// The SE is `sqrt(Σ φ_i²)` of the efficient influence function `φ` (scaled by `1/n`, `1/n1` or
/// `1/n0`), summed within clusters with `G/(G−1)` when `cluster` is given; the nuisance models'
/// estimation is ignored, which is first-order harmless for doubly robust estimators when both
/// models are right. `account_for_ps` does not apply.
///
/// Errors: as [`ipw_effect`](super::ipw_effect), plus an outcome regression that cannot be fitted
/// in one arm (too few units or a column constant within the arm).
///
/// ```
/// use raa_impact::weighting::{aipw_effect, WeightScheme, WeightingOptions};
/// let x: Vec<f64> = (0..60).map(|i| (i % 12) as f64 / 4.0).collect();
/// let treated: Vec<bool> = (0..60).map(|i| (i * 5 + i / 12) % 3 != 0).collect();
/// // A linear outcome: the per-arm regressions are exact, so AIPW recovers the effect 1.5.
/// let y: Vec<f64> = (0..60).map(|i| 2.0 * x[i] + if treated[i] { 1.5 } else { 0.0 }).collect();
/// let names = ["x".to_string()];
/// let o = WeightingOptions { scheme: WeightScheme::Att, ..Default::default() };
/// let e = aipw_effect(&y, &treated, &[&x], &names, &[&x], &names, &o).unwrap();
/// assert!((e.estimate - 1.5).abs() < 1e-9);
/// ```
pub fn aipw_effect(
    y: &[f64],
    treated: &[bool],
    ps_model_columns: &[&[f64]],
    ps_names: &[String],
    outcome_columns: &[&[f64]],
    outcome_names: &[String],
    options: &WeightingOptions,
) -> Result<Effect> {
    if options.scheme == WeightScheme::Overlap {
        return Err(Error::argument(
            "scheme",
            "augmented IPW is implemented for the ATE, ATT and ATC; use ipw_effect for overlap weights",
        ));
    }
    let n = validate(
        y,
        treated,
        ps_model_columns,
        ps_names,
        "ps_model_columns",
        options,
    )?;
    validate(
        y,
        treated,
        outcome_columns,
        outcome_names,
        "outcome_columns",
        options,
    )?;
    let e = fit_ps(ps_model_columns, ps_names, treated)?.fitted;
    let n1 = treated.iter().filter(|t| **t).count() as f64;
    let n0 = n as f64 - n1;
    let (estimate, phi) = match options.scheme {
        WeightScheme::Ate => {
            let m1 = arm_predictions(y, treated, outcome_columns, outcome_names, true)?;
            let m0 = arm_predictions(y, treated, outcome_columns, outcome_names, false)?;
            let aug: Vec<f64> = (0..n)
                .map(|i| {
                    let r = if treated[i] {
                        (y[i] - m1[i]) / e[i]
                    } else {
                        -(y[i] - m0[i]) / (1.0 - e[i])
                    };
                    m1[i] - m0[i] + r
                })
                .collect();
            centred(&aug, n as f64)
        }
        WeightScheme::Att => {
            let m0 = arm_predictions(y, treated, outcome_columns, outcome_names, false)?;
            // Treated rows: y − m0 − τ; control rows: −odds·(y − m0). τ solves Σ ψ = 0 over n1.
            let terms: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let r = y[i] - m0[i];
                    if treated[i] {
                        (r, 1.0)
                    } else {
                        (-e[i] / (1.0 - e[i]) * r, 0.0)
                    }
                })
                .collect();
            solved(&terms, n1)
        }
        WeightScheme::Atc => {
            let m1 = arm_predictions(y, treated, outcome_columns, outcome_names, true)?;
            let terms: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let r = y[i] - m1[i];
                    if treated[i] {
                        ((1.0 - e[i]) / e[i] * r, 0.0)
                    } else {
                        (-r, 1.0)
                    }
                })
                .collect();
            solved(&terms, n0)
        }
        WeightScheme::Overlap => unreachable!("refused above"),
    };
    let (se, n_clusters) = se_from_influence(&phi, options.cluster.as_deref());
    Ok(finish(
        Estimate {
            estimand: options.scheme.estimand(),
            method: "augmented IPW (doubly robust), outcome regressions per arm".to_string(),
            estimate,
            se,
            se_method: format!(
                "efficient influence function (nuisance estimation ignored){}{}",
                cluster_clause(n_clusters),
                extreme_score_note(&e)
            ),
            n_clusters,
        },
        options.level,
        treated,
    ))
}

/// Mean of `values` and the influence `(v_i − mean)/n`.
fn centred(values: &[f64], n: f64) -> (f64, Vec<f64>) {
    let tau = values.iter().sum::<f64>() / n;
    (tau, values.iter().map(|v| (v - tau) / n).collect())
}

/// `τ = Σ a_i / m` for estimating functions `a_i − b_i τ` (`b_i` 1 for the target arm, else 0);
/// the influence is `(a_i − b_i τ)/m`.
fn solved(terms: &[(f64, f64)], m: f64) -> (f64, Vec<f64>) {
    let tau = terms.iter().map(|(a, _)| a).sum::<f64>() / m;
    (tau, terms.iter().map(|(a, b)| (a - b * tau) / m).collect())
}

/// Predictions for every unit from the least-squares regression of `y` on the columns (with
/// intercept) fitted in one arm only.
fn arm_predictions(
    y: &[f64],
    treated: &[bool],
    columns: &[&[f64]],
    names: &[String],
    arm: bool,
) -> Result<Vec<f64>> {
    let one = vec![1.0; y.len()];
    let mut cols: Vec<&[f64]> = vec![&one];
    cols.extend_from_slice(columns);
    let mut col_names = vec!["(Intercept)"];
    col_names.extend(names.iter().map(String::as_str));
    let w: Vec<f64> = treated
        .iter()
        .map(|&t| f64::from(u8::from(t == arm)))
        .collect();
    let label = if arm { "treated" } else { "control" };
    let fit = wls(&cols, &col_names, y, &w).map_err(|err| {
        Error::argument(
            "outcome_columns",
            format!("the outcome regression in the {label} arm cannot be fitted: {err}"),
        )
    })?;
    Ok(y.iter().zip(&fit.residuals).map(|(y, r)| y - r).collect())
}
