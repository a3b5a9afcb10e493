//! A weighted mean of independent estimates, with its standard error and normal interval: how
//! per-unit effects (e.g. one ITS step per RAA) are pooled into one figure.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::{Error, Result};

/// A pooled estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pooled {
    /// Σ wᵢ θᵢ with the weights normalised to sum to one.
    pub estimate: f64,
    /// √(Σ wᵢ² seᵢ²): the estimates taken as independent.
    pub se: f64,
    /// Normal confidence interval at `level`.
    pub ci: (f64, f64),
    /// Confidence level.
    pub level: f64,
}

/// Pool `estimates` with standard errors `se` by `weights` (any positive scale; `None`: inverse
/// variance, 1/seᵢ²).
///
/// ```
/// use raa_impact::inference::pool::weighted_mean;
/// let p = weighted_mean(&[-10.0, -30.0], &[3.0, 4.0], Some(&[1.0, 1.0]), 0.95).unwrap();
/// assert_eq!((p.estimate, p.se), (-20.0, 2.5));
/// ```
pub fn weighted_mean(
    estimates: &[f64],
    se: &[f64],
    weights: Option<&[f64]>,
    level: f64,
) -> Result<Pooled> {
    check(estimates, se, weights, level)?;
    let w: Vec<f64> = match weights {
        Some(w) => w.to_vec(),
        None => se.iter().map(|s| 1.0 / (s * s)).collect(),
    };
    let total: f64 = w.iter().sum();
    let estimate = w
        .iter()
        .zip(estimates)
        .map(|(w, t)| w / total * t)
        .sum::<f64>();
    let var = w
        .iter()
        .zip(se)
        .map(|(w, s)| (w / total * s).powi(2))
        .sum::<f64>();
    let z = Normal::new(0.0, 1.0)
        .map_err(|e| Error::argument("level", e.to_string()))?
        .inverse_cdf(0.5 + level / 2.0);
    let se = var.sqrt();
    Ok(Pooled {
        estimate,
        se,
        ci: (estimate - z * se, estimate + z * se),
        level,
    })
}

fn check(estimates: &[f64], se: &[f64], weights: Option<&[f64]>, level: f64) -> Result<()> {
    if estimates.is_empty() {
        return Err(Error::argument("estimates", "nothing to pool"));
    }
    if se.len() != estimates.len() || weights.is_some_and(|w| w.len() != estimates.len()) {
        return Err(Error::argument(
            "se",
            "estimates, standard errors and weights must have the same length",
        ));
    }
    if !(0.0 < level && level < 1.0) {
        return Err(Error::argument(
            "level",
            format!("{level}; expected in (0, 1)"),
        ));
    }
    for (i, (&t, &s)) in estimates.iter().zip(se).enumerate() {
        if !t.is_finite() || !s.is_finite() || s <= 0.0 {
            return Err(Error::argument(
                "se",
                format!("row {i}: estimate {t}, SE {s}; expected finite values and a positive SE"),
            ));
        }
    }
    if let Some(w) = weights {
        if let Some(i) = w.iter().position(|w| !w.is_finite() || *w < 0.0) {
            return Err(Error::argument(
                "weights",
                format!("row {i} is {}; expected ≥ 0", w[i]),
            ));
        }
        if w.iter().sum::<f64>() <= 0.0 {
            return Err(Error::argument("weights", "they sum to zero"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_variance_by_default_and_bad_input_named() {
        let p = weighted_mean(&[1.0, 3.0], &[1.0, 2.0], None, 0.95).unwrap();
        assert!((p.estimate - (1.0 + 3.0 / 4.0) / 1.25).abs() < 1e-12);
        assert!((p.se - (1.0f64 / 1.25).sqrt()).abs() < 1e-12);
        assert!((p.ci.1 - p.estimate - 1.959963984540054 * p.se).abs() < 1e-9);
        assert!(weighted_mean(&[1.0], &[0.0], None, 0.95).is_err());
        assert!(weighted_mean(&[1.0, 2.0], &[1.0], None, 0.95).is_err());
        assert!(weighted_mean(&[1.0], &[1.0], Some(&[0.0]), 0.95).is_err());
    }
}
