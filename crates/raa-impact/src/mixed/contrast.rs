//! Linear contrasts `Lβ` with Satterthwaite df, and predictions for new rows.

use serde::{Deserialize, Serialize};

use super::fit::{two_sided, MixedFit};
use crate::{Error, Result};

/// A linear combination `l'β̂` with its Satterthwaite test.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Contrast {
    /// `l'β̂`.
    pub estimate: f64,
    /// `√(l'Cl)`.
    pub std_error: f64,
    /// Satterthwaite df.
    pub df: f64,
    /// estimate / SE.
    pub t_value: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Population- and unit-level predictions for new rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Prediction {
    /// `xβ̂`.
    pub population: Vec<f64>,
    /// `xβ̂ + z b̂_unit + ĝ_group` (the population value for a unit not in the fit).
    pub unit: Vec<f64>,
    /// Whether the row's unit was in the fit.
    pub known_unit: Vec<bool>,
}

impl MixedFit {
    /// Test `l'β` (one weight per coefficient, in `names` order).
    ///
    /// ```
    /// # use raa_impact::mixed::{fit_mixed, MixedInput, MixedOptions};
    /// # let (mut y, mut t, mut unit) = (vec![], vec![], vec![]);
    /// # for u in 0..8u64 { for s in 0..6 { t.push(s as f64); unit.push(u);
    /// #   y.push(1.0 + 0.5 * s as f64 + (u as f64 - 3.5) * 0.4 + ((u * 7 + s) as f64).sin() * 0.3); } }
    /// # let names = vec!["time".to_string()];
    /// # let input = MixedInput { y: &y, x: &[&t], x_names: &names, unit: &unit, group: None, time: &t };
    /// let fit = fit_mixed(&input, &MixedOptions::default()).unwrap();
    /// let c = fit.contrast(&[1.0, 4.0]).unwrap(); // the mean at time 4
    /// assert!(c.df > 0.0 && c.std_error > 0.0);
    /// ```
    pub fn contrast(&self, l: &[f64]) -> Result<Contrast> {
        let p = self.coefficients.len();
        if l.len() != p {
            return Err(Error::argument(
                "l",
                format!(
                    "{} weights for {p} coefficients; expected one per coefficient",
                    l.len()
                ),
            ));
        }
        if let Some(i) = l.iter().position(|v| !v.is_finite()) {
            return Err(Error::argument("l", format!("weight {i} is not finite")));
        }
        let flat: Vec<f64> = self.vcov.iter().flatten().copied().collect();
        let var: f64 = (0..p)
            .map(|i| l[i] * (0..p).map(|j| flat[i * p + j] * l[j]).sum::<f64>())
            .sum();
        if var.is_nan() || var <= 0.0 {
            return Err(Error::argument(
                "l",
                "the contrast has zero variance (all weights zero?)",
            ));
        }
        let estimate: f64 = l.iter().zip(&self.coefficients).map(|(a, b)| a * b).sum();
        let std_error = var.sqrt();
        let df = self
            .satterthwaite
            .df(l, &flat)
            .ok_or_else(|| Error::argument("l", "Satterthwaite df undefined for this contrast"))?;
        let t_value = estimate / std_error;
        Ok(Contrast {
            estimate,
            std_error,
            df,
            t_value,
            p_value: two_sided(t_value, df),
        })
    }

    /// Predict new rows: `x` holds the fixed-effect columns as given to the fit (without the
    /// intercept), `unit` the unit label of each row.
    pub fn predict(&self, x: &[&[f64]], unit: &[u64]) -> Result<Prediction> {
        let n = unit.len();
        let intercept = usize::from(self.names.first().is_some_and(|n| n == super::INTERCEPT));
        if x.len() + intercept != self.names.len() {
            return Err(Error::argument(
                "x",
                format!(
                    "{} columns; expected {}",
                    x.len(),
                    self.names.len() - intercept
                ),
            ));
        }
        for (c, col) in x.iter().enumerate() {
            crate::inference::check::finite(&self.names[c + intercept], col, n)?;
        }
        let value = |r: usize, j: usize| {
            if intercept == 1 && j == 0 {
                1.0
            } else {
                x[j - intercept][r]
            }
        };
        let mut out = Prediction {
            population: vec![0.0; n],
            unit: vec![0.0; n],
            known_unit: vec![false; n],
        };
        for (r, label) in unit.iter().enumerate() {
            let xb: f64 = self
                .coefficients
                .iter()
                .enumerate()
                .map(|(j, b)| value(r, j) * b)
                .sum();
            out.population[r] = xb;
            out.unit[r] = xb;
            if let Ok(i) = self.units.binary_search(label) {
                let zb: f64 = self
                    .random_columns
                    .iter()
                    .zip(&self.unit_blups[i])
                    .map(|(&c, b)| value(r, c) * b)
                    .sum();
                let g = self
                    .group_blups
                    .get(self.unit_group[i])
                    .copied()
                    .unwrap_or(0.0);
                out.unit[r] = xb + zb + g;
                out.known_unit[r] = true;
            }
        }
        Ok(out)
    }
}
