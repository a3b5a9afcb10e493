//! Front door of the Abadie–Imbens estimator: validate, match, estimate, standard errors.

use super::neighbours::Pool;
use super::validate::{check_covariates, check_outcome_and_groups, group_sizes};
use super::variance::{heteroskedastic, homoskedastic, variances, VarianceInputs};
use super::{bias, metric, AiOptions, AiPair, AiResult, Estimand, Scaling};
use crate::{Error, Result};

/// Abadie–Imbens nearest-neighbour matching with replacement (R Matching's `Match()`).
///
/// `y`: outcome; `treated`: group of each row; `x`: covariate columns (each as long as `y`).
/// Errors (never panics) on NaN/infinite values (naming argument, column and row), lengths that
/// differ, an empty group, a constant covariate under inverse-variance or Mahalanobis scaling,
/// `m = 0`, a negative tolerance, or `ties = false` (random tie-breaking is not supported).
///
/// Cost: one covariate, O(n log n) (sorted candidates, binary searches); several, O(n_focal ·
/// n_candidates · p), parallel over focal units with results independent of the thread count.
///
/// Differences from `Match()`: no observation weights, calipers, exact matching or matching
/// without replacement; a constant covariate is an error (Matching silently floors its sd).
///
/// ```
/// use raa_impact::psm::abadie_imbens::{ai_match, AiOptions};
/// let y = [5.0, 6.0, 1.0, 2.0, 3.0];
/// let treated = [true, true, false, false, false];
/// let x = [1.0, 2.0, 1.1, 2.1, 5.0];
/// let r = ai_match(&y, &treated, &[&x[..]], &AiOptions::default()).unwrap();
/// assert!((r.estimate - 4.0).abs() < 1e-12); // 5−1 and 6−2
/// ```
pub fn ai_match(
    y: &[f64],
    treated: &[bool],
    x: &[&[f64]],
    options: &AiOptions,
) -> Result<AiResult> {
    check_options(options)?;
    check_outcome_and_groups(y, treated)?;
    check_covariates(x, y.len(), options.scaling != Scaling::Identity)?;
    let n = y.len();
    let (n_t, n_c) = group_sizes(treated);
    let coords = metric::transform(x, options.scaling)?;
    let (focal, sets) = match_focal_units(treated, &coords, options, n_t, n_c);

    // How often each row serves as a match (K) and the sum of squared weights (KK).
    let mut k = vec![0.0; n];
    let mut kk = vec![0.0; n];
    for set in &sets {
        let w = 1.0 / set.len() as f64;
        for &j in set {
            k[j] += w;
            kk[j] += w * w;
        }
    }
    let alpha = if options.bias_adjust {
        bias_slopes(y, treated, x, &k, options.estimand)?
    } else {
        [None, None]
    };

    let mut matches = Vec::new();
    let mut pairs_adj = Vec::new(); // (τ of the pair, weight)
    let mut pairs_raw = Vec::new();
    let mut unit_effects = Vec::with_capacity(focal.len());
    for (&i, set) in focal.iter().zip(&sets) {
        let w = 1.0 / set.len() as f64;
        let mut unit = 0.0;
        for &j in set {
            let raw = if treated[i] { y[i] - y[j] } else { y[j] - y[i] };
            let adj = raw - correction(x, i, j, &alpha[usize::from(treated[j])], treated[i]);
            unit += w * adj;
            pairs_adj.push((adj, w));
            pairs_raw.push((raw, w));
            matches.push(AiPair {
                index_focal: i,
                index_match: j,
                weight: w,
            });
        }
        unit_effects.push((i, unit));
    }
    let n_weighted: f64 = pairs_adj.iter().map(|p| p.1).sum();
    let estimate = weighted_mean(&pairs_adj);
    let est_raw = weighted_mean(&pairs_raw);
    let se_naive = (pairs_raw
        .iter()
        .map(|(t, w)| w * (t - est_raw).powi(2))
        .sum::<f64>()
        / (n_weighted * n_weighted))
        .sqrt();

    let sigma2 = if options.var_calc == 0 {
        vec![homoskedastic(&pairs_adj, estimate); n]
    } else {
        heteroskedastic(y, treated, &coords, options.var_calc, options.tolerance)?
    };
    let is_focal: Vec<bool> = (0..n)
        .map(|r| is_focal_row(treated[r], options.estimand))
        .collect();
    let is_match_group: Vec<bool> = (0..n)
        .map(|r| is_match_row(treated[r], options.estimand))
        .collect();
    let inputs = VarianceInputs {
        is_focal: &is_focal,
        is_match_group: &is_match_group,
        k: &k,
        kk: &kk,
        unit_effects: &unit_effects,
        estimate,
        ate: options.estimand == Estimand::Ate,
    };
    let (var_sample, var_pop) = variances(&inputs, &sigma2);
    let se = if options.sample { var_sample } else { var_pop }.sqrt();
    Ok(AiResult {
        estimate,
        se,
        se_naive,
        n_treated: n_t,
        n_control: n_c,
        matches,
        estimand: options.estimand,
        n_matched_obs: unit_effects.len(),
        n_weighted,
    })
}

fn check_options(o: &AiOptions) -> Result<()> {
    if o.m == 0 {
        return Err(Error::argument(
            "m",
            "is 0; expected at least one match per unit",
        ));
    }
    if !(o.tolerance.is_finite() && o.tolerance >= 0.0) {
        return Err(Error::argument(
            "tolerance",
            format!("is {}; expected a finite number >= 0", o.tolerance),
        ));
    }
    if !o.ties {
        return Err(Error::argument(
            "ties",
            "false (random tie-breaking) is not supported; expected true (keep all ties)",
        ));
    }
    Ok(())
}

fn is_focal_row(treated: bool, e: Estimand) -> bool {
    match e {
        Estimand::Att => treated,
        Estimand::Atc => !treated,
        Estimand::Ate => true,
    }
}

fn is_match_row(treated: bool, e: Estimand) -> bool {
    match e {
        Estimand::Att => !treated,
        Estimand::Atc => treated,
        Estimand::Ate => true,
    }
}

/// Focal rows in row order and their match sets. M is capped at the size of the group matched to
/// (for the ATE, of the smaller group), as Matching does.
fn match_focal_units(
    treated: &[bool],
    coords: &[Vec<f64>],
    o: &AiOptions,
    n_t: usize,
    n_c: usize,
) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = treated.len();
    let m = match o.estimand {
        Estimand::Att => o.m.min(n_c),
        Estimand::Atc => o.m.min(n_t),
        Estimand::Ate => o.m.min(n_t.min(n_c)),
    };
    let t_rows: Vec<usize> = (0..n).filter(|&r| treated[r]).collect();
    let c_rows: Vec<usize> = (0..n).filter(|&r| !treated[r]).collect();
    let focal: Vec<usize> = (0..n)
        .filter(|&r| is_focal_row(treated[r], o.estimand))
        .collect();
    let to_controls: Vec<usize> = focal.iter().copied().filter(|&r| treated[r]).collect();
    let to_treated: Vec<usize> = focal.iter().copied().filter(|&r| !treated[r]).collect();
    let mut sets_t = Pool::new(coords, c_rows, true)
        .match_all(&to_controls, m, o.tolerance)
        .into_iter();
    let mut sets_c = Pool::new(coords, t_rows, true)
        .match_all(&to_treated, m, o.tolerance)
        .into_iter();
    let sets = focal
        .iter()
        .map(|&r| {
            if treated[r] {
                sets_t.next()
            } else {
                sets_c.next()
            }
            .unwrap_or_default()
        })
        .collect();
    (focal, sets)
}

/// Slopes of the bias-adjustment regression for [control group, treated group], fitted only for the
/// groups that supply matches.
fn bias_slopes(
    y: &[f64],
    treated: &[bool],
    x: &[&[f64]],
    k: &[f64],
    e: Estimand,
) -> Result<[Option<Vec<f64>>; 2]> {
    let n = y.len();
    let mut out = [None, None];
    for (slot, group) in [(0usize, false), (1usize, true)] {
        if !is_match_row(group, e) {
            continue;
        }
        let rows: Vec<usize> = (0..n).filter(|&r| treated[r] == group).collect();
        out[slot] = Some(bias::slopes(y, x, &rows, k)?);
    }
    Ok(out)
}

/// Bias correction of the pair (focal i, match j), in the treated-minus-control orientation:
/// the match's outcome is moved by (xᵢ − xⱼ)·α of the match's group.
fn correction(
    x: &[&[f64]],
    i: usize,
    j: usize,
    alpha: &Option<Vec<f64>>,
    focal_treated: bool,
) -> f64 {
    let Some(a) = alpha else { return 0.0 };
    let shift: f64 = x.iter().zip(a).map(|(c, s)| (c[i] - c[j]) * s).sum();
    if focal_treated {
        shift
    } else {
        -shift
    }
}

fn weighted_mean(pairs: &[(f64, f64)]) -> f64 {
    let sw: f64 = pairs.iter().map(|p| p.1).sum();
    pairs.iter().map(|(t, w)| t * w).sum::<f64>() / sw
}
