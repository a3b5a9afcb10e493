//! Weighting schemes: which population the weights target, and the weights themselves.

use serde::{Deserialize, Serialize};

use crate::psm::Estimand;
use crate::{Error, Result};

/// The target population of propensity-score weights (Li, Morgan & Zaslavsky 2018 "balancing
/// weights"): each treated unit gets `w1(e)`, each control `w0(e)`, where `e` is its score.
///
/// | scheme | treated `w1(e)` | control `w0(e)` |
/// |---|---|---|
/// | `Ate` | `1/e` | `1/(1−e)` |
/// | `Att` | `1` | `e/(1−e)` |
/// | `Atc` | `(1−e)/e` | `1` |
/// | `Overlap` | `1−e` | `e` |
///
/// ```
/// use raa_impact::weighting::WeightScheme;
/// assert_eq!(WeightScheme::Att.weights_at(0.2), (1.0, 0.25));
/// let s: WeightScheme = serde_json::from_str("\"Overlap\"").unwrap();
/// assert_eq!(s, WeightScheme::Overlap);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum WeightScheme {
    /// Inverse probability weights: the average effect over everyone.
    #[default]
    Ate,
    /// Odds weights for the controls: the average effect on the treated.
    Att,
    /// Inverse odds weights for the treated: the average effect on the controls.
    Atc,
    /// Overlap weights: the average effect in the overlap population (ATO), weighted by `e(1−e)`.
    Overlap,
}

impl WeightScheme {
    /// The `(treated, control)` weights at score `e` (no check that `e` is in (0, 1)).
    ///
    /// ```
    /// use raa_impact::weighting::WeightScheme;
    /// assert_eq!(WeightScheme::Ate.weights_at(0.25), (4.0, 1.0 / 0.75));
    /// ```
    pub fn weights_at(self, e: f64) -> (f64, f64) {
        match self {
            WeightScheme::Ate => (1.0 / e, 1.0 / (1.0 - e)),
            WeightScheme::Att => (1.0, e / (1.0 - e)),
            WeightScheme::Atc => ((1.0 - e) / e, 1.0),
            WeightScheme::Overlap => (1.0 - e, e),
        }
    }

    /// The derivatives of the weights along the logit scale, `dw/de · e(1−e)` (the chain rule
    /// through `e = expit(x'β)` leaves this times `x`), as `(treated, control)`.
    pub(crate) fn logit_slopes(self, e: f64) -> (f64, f64) {
        match self {
            WeightScheme::Ate => (-(1.0 - e) / e, e / (1.0 - e)),
            WeightScheme::Att => (0.0, e / (1.0 - e)),
            WeightScheme::Atc => (-(1.0 - e) / e, 0.0),
            WeightScheme::Overlap => (-e * (1.0 - e), e * (1.0 - e)),
        }
    }

    /// The estimand reported in [`Effect`](crate::psm::effect::Effect): overlap weights report
    /// `Ate` (their `method` says "overlap weights (ATO)").
    ///
    /// ```
    /// use raa_impact::{psm::Estimand, weighting::WeightScheme};
    /// assert_eq!(WeightScheme::Overlap.estimand(), Estimand::Ate);
    /// ```
    pub fn estimand(self) -> Estimand {
        match self {
            WeightScheme::Att => Estimand::Att,
            WeightScheme::Atc => Estimand::Atc,
            WeightScheme::Ate | WeightScheme::Overlap => Estimand::Ate,
        }
    }
}

/// Propensity-score weights, one per unit, for `scheme` (see [`WeightScheme`] for the formulas).
/// Errors name the first row whose score is not strictly between 0 and 1 (or not finite), or the
/// argument whose length differs.
///
/// ```
/// use raa_impact::weighting::{ps_weights, WeightScheme};
/// let w = ps_weights(&[0.5, 0.2, 0.75], &[true, false, false], WeightScheme::Ate).unwrap();
/// assert_eq!(w, vec![2.0, 1.25, 4.0]);
/// assert!(ps_weights(&[1.0], &[true], WeightScheme::Ate).is_err());
/// ```
pub fn ps_weights(ps: &[f64], treated: &[bool], scheme: WeightScheme) -> Result<Vec<f64>> {
    crate::inference::check::same_length("treated", treated.len(), ps.len())?;
    if let Some(row) = ps.iter().position(|e| !(*e > 0.0 && *e < 1.0)) {
        return Err(Error::argument(
            "ps",
            format!(
                "row {row} is {}, expected a propensity score strictly between 0 and 1 \
                 (trim the sample to common support or drop perfectly predicting covariates)",
                ps[row]
            ),
        ));
    }
    Ok(ps
        .iter()
        .zip(treated)
        .map(|(&e, &t)| {
            let (w1, w0) = scheme.weights_at(e);
            if t {
                w1
            } else {
                w0
            }
        })
        .collect())
}
