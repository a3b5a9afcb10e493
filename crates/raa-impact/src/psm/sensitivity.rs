//! Sensitivity of a matched estimate to unmeasured confounding: Rosenbaum bounds on the pairs'
//! signed-rank test and the E-value of the effect.

use serde::Serialize;

use super::effect::Effect;
use super::matchset::MatchSet;
use crate::balance::moments;
use crate::inference::check;
use crate::sensitivity::{
    evalue_difference, gamma_at_significance, rosenbaum_wilcoxon, EValue, RosenbaumBound,
};
use crate::{Error, Result};

/// Sensitivity analysis of one outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    /// Rosenbaum bounds at each Γ (1:1 matching without replacement only).
    pub rosenbaum: Option<Vec<RosenbaumBound>>,
    /// Smallest Γ at which the upper-bound p-value exceeds `alpha`.
    pub gamma_critical: Option<f64>,
    /// True when the pair differences were taken as control − treated (the effect is negative,
    /// e.g. shorter waits), so the test looks in the direction of the estimate.
    pub reversed: bool,
    /// E-value of the estimate (standardised by the outcome's SD among matched controls).
    pub evalue: EValue,
}

impl MatchSet {
    /// Rosenbaum Γ bounds for the pairs' Wilcoxon signed-rank test (in the direction of the
    /// estimate) and the E-value of `effect` on outcome `y`.
    pub fn sensitivity(
        &self,
        y: &[f64],
        effect: &Effect,
        gammas: &[f64],
        alpha: f64,
    ) -> Result<Sensitivity> {
        check::same_length("y", y.len(), self.weights.n())?;
        let reversed = effect.estimate < 0.0;
        let (rosenbaum, gamma_critical) = match self.pair_differences(y, reversed)? {
            Some(d) => (
                Some(rosenbaum_wilcoxon(&d, gammas)?),
                Some(gamma_at_significance(&d, alpha)?),
            ),
            None => (None, None),
        };
        // The matched controls in row order: the rows the dense weights would keep.
        let (yc, wc): (Vec<f64>, Vec<f64>) = self
            .weights
            .rows()
            .iter()
            .zip(self.weights.values())
            .filter(|(&r, _)| !self.treated[r as usize])
            .map(|(&r, &w)| (y[r as usize], w))
            .unzip();
        let sd = moments::variance(&yc, &wc, |_| true, false)
            .map(f64::sqrt)
            .ok_or_else(|| {
                Error::argument(
                    "y",
                    "cannot compute the outcome's SD among matched controls",
                )
            })?;
        let evalue = evalue_difference(effect.estimate, effect.se, sd)?;
        Ok(Sensitivity {
            rosenbaum,
            gamma_critical,
            reversed,
            evalue,
        })
    }

    /// Treated − control (or reversed) differences of 1:1 pairs; `None` for other designs.
    fn pair_differences(&self, y: &[f64], reversed: bool) -> Result<Option<Vec<f64>>> {
        if self.options.replace || self.options.ratio != 1 || self.reverse_matches.is_some() {
            return Ok(None);
        }
        let mut out = Vec::new();
        for (i, &focal) in self.matches.focal.iter().enumerate() {
            let controls = self.matches.controls_of(i);
            if let [control] = controls {
                let (f, c) = (y[focal as usize], y[*control as usize]);
                if !(f.is_finite() && c.is_finite()) {
                    return Err(Error::argument(
                        "y",
                        format!("row {focal} or row {control} of a matched pair is not finite"),
                    ));
                }
                // Focal units are the treated for ATT and the controls for ATC.
                let d = if self.treated[focal as usize] {
                    f - c
                } else {
                    c - f
                };
                out.push(if reversed { -d } else { d });
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }
}
