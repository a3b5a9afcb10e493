//! Rosenbaum bounds for the Wilcoxon signed-rank test in matched pairs.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Bounds on the one-sided p-value of the signed-rank test when, within a pair, the odds of
/// treatment may differ by up to a factor `gamma` because of an unobserved confounder.
///
/// The alternative is that treated outcomes are *larger* (positive pair differences,
/// treated − control). For an effect expected to shorten durations, pass control − treated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RosenbaumBound {
    pub gamma: f64,
    /// Largest p-value compatible with `gamma` (the one that matters for sensitivity).
    pub p_upper: f64,
    /// Smallest p-value compatible with `gamma`.
    pub p_lower: f64,
}

/// Signed-rank statistic and the sums of ranks and squared ranks.
struct SignedRank {
    statistic: f64,
    sum_r: f64,
    sum_r2: f64,
}

fn signed_rank(diff: &[f64]) -> Result<SignedRank> {
    if diff.is_empty() {
        return Err(Error::argument(
            "pair_differences",
            "is empty; at least one pair is needed",
        ));
    }
    if let Some(row) = diff.iter().position(|d| !d.is_finite()) {
        return Err(Error::argument(
            "pair_differences",
            format!("row {row} is {}; differences must be finite", diff[row]),
        ));
    }
    let mut order: Vec<usize> = (0..diff.len()).collect();
    order.sort_by(|&a, &b| diff[a].abs().total_cmp(&diff[b].abs()));
    let mut rank = vec![0.0; diff.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && diff[order[end]].abs() == diff[order[start]].abs() {
            end += 1;
        }
        // Tied absolute differences share their average rank (1-based).
        let avg = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            rank[i] = avg;
        }
        start = end;
    }
    let statistic = (0..diff.len())
        .filter(|&i| diff[i] > 0.0)
        .map(|i| rank[i])
        .sum();
    Ok(SignedRank {
        statistic,
        sum_r: rank.iter().sum(),
        sum_r2: rank.iter().map(|r| r * r).sum(),
    })
}

/// Upper-tail normal p-value of the statistic when each pair is positive with probability `p`.
fn tail_p(sr: &SignedRank, p: f64) -> f64 {
    let mean = p * sr.sum_r;
    let var = p * (1.0 - p) * sr.sum_r2;
    let z = (sr.statistic - mean) / var.sqrt();
    0.5 * statrs::function::erf::erfc(z / std::f64::consts::SQRT_2)
}

/// Rosenbaum bounds on the signed-rank p-value for each `gamma` (>= 1).
///
/// Follows `rbounds::psens`: ranks of |difference| with ties averaged; zero differences are kept
/// (they take ranks and count in the null mean and variance but never in the statistic); normal
/// approximation with mean `p sum(r)` and variance `p (1 - p) sum(r^2)`, `p = gamma / (1 + gamma)`
/// for the upper bound and `1 / (1 + gamma)` for the lower. Two differences from psens: the
/// p-values are not rounded to 4 digits, and without ties `sum(r^2) = S(S+1)(2S+1)/6` is used
/// (psens's tie-free branch has `2(S+1)` in place of `2S+1`). At gamma = 1 both bounds equal the
/// usual large-sample signed-rank p-value (tie-corrected variance, no continuity correction).
///
/// ```
/// use raa_impact::sensitivity::rosenbaum_wilcoxon;
/// let b = rosenbaum_wilcoxon(&[3.0, 1.5, -0.5, 2.0, 4.0, 2.5], &[1.0, 2.0]).unwrap();
/// assert!((b[0].p_upper - b[0].p_lower).abs() < 1e-15);
/// assert!(b[1].p_upper > b[0].p_upper && b[1].p_lower < b[0].p_lower);
/// ```
pub fn rosenbaum_wilcoxon(pair_differences: &[f64], gammas: &[f64]) -> Result<Vec<RosenbaumBound>> {
    let sr = signed_rank(pair_differences)?;
    if sr.sum_r2 <= 0.0 {
        return Err(Error::argument("pair_differences", "has no pairs"));
    }
    gammas
        .iter()
        .enumerate()
        .map(|(row, &gamma)| {
            if !gamma.is_finite() || gamma < 1.0 {
                return Err(Error::argument(
                    "gammas",
                    format!("row {row} is {gamma}; gamma must be finite and >= 1"),
                ));
            }
            Ok(RosenbaumBound {
                gamma,
                p_upper: tail_p(&sr, gamma / (1.0 + gamma)),
                p_lower: tail_p(&sr, 1.0 / (1.0 + gamma)),
            })
        })
        .collect()
}

/// The smallest gamma at which the upper-bound p-value exceeds `alpha` (found by bisection to a
/// relative 1e-10); 1 if the result is not significant even without hidden bias.
///
/// Errors when no finite gamma suffices: as gamma grows the upper-bound p-value tends to
/// 0.5 or less, so `alpha` must be below that limit.
///
/// ```
/// use raa_impact::sensitivity::{gamma_at_significance, rosenbaum_wilcoxon};
/// let d = [3.0, 1.5, -0.5, 2.0, 4.0, 2.5, 1.0, 3.5, 0.8, 2.2];
/// let g = gamma_at_significance(&d, 0.05).unwrap();
/// let p = rosenbaum_wilcoxon(&d, &[g]).unwrap()[0].p_upper;
/// assert!((p - 0.05).abs() < 1e-6);
/// ```
pub fn gamma_at_significance(pair_differences: &[f64], alpha: f64) -> Result<f64> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::argument(
            "alpha",
            format!("is {alpha}; it must lie in (0, 1)"),
        ));
    }
    let sr = signed_rank(pair_differences)?;
    let p_at = |g: f64| tail_p(&sr, g / (1.0 + g));
    if p_at(1.0) > alpha {
        return Ok(1.0);
    }
    let (mut lo, mut hi) = (1.0_f64, 2.0_f64);
    while p_at(hi) <= alpha {
        lo = hi;
        hi *= 2.0;
        if hi > 1e12 {
            return Err(Error::argument(
                "alpha",
                format!("is {alpha}; the upper-bound p-value stays below it for every gamma"),
            ));
        }
    }
    while hi - lo > 1e-10 * hi {
        let mid = 0.5 * (lo + hi);
        if p_at(mid) > alpha {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(hi)
}
