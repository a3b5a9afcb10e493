//! Placebo interruption dates: the same model moved to every admissible date of the
//! pre-interruption period, fitted on that period alone so the real change cannot leak in.

use super::fit::{fit, ItsFit};
use super::series::Series;
use super::spec::ItsSpec;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The fit at one placebo date.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlaceboFit {
    /// The placebo interruption time.
    pub time: f64,
    /// The fit (coefficients named as in the real fit).
    pub fit: ItsFit,
}

/// Placebo fits for every date `T'` of the pre-period (before the first interruption's
/// anticipation start) at which the model can be fitted on the pre-period alone, in time order.
/// Dates where the pre-period is too short on either side are skipped.
///
/// ```
/// use raa_impact::its::{placebo, Interruption, ItsSpec, Series};
/// let t: Vec<f64> = (1..=30).map(f64::from).collect();
/// let y: Vec<f64> = t.iter().map(|t| 5.0 + 0.2 * t + (t * 1.3).sin() - if *t >= 21.0 { 3.0 } else { 0.0 }).collect();
/// let spec = ItsSpec { interruptions: vec![Interruption::at(21.0)], ..ItsSpec::default() };
/// let p = placebo(&Series::new(&t, &y), &spec).unwrap();
/// assert!(!p.is_empty() && p.iter().all(|f| f.time < 21.0));
/// ```
pub fn placebo(series: &Series, spec: &ItsSpec) -> Result<Vec<PlaceboFit>> {
    let first = spec
        .interruptions
        .first()
        .ok_or_else(|| Error::argument("interruption", "give at least one interruption time"))?;
    let cut = first.anticipation_start();
    let pre: Vec<usize> = (0..series.len())
        .filter(|&i| series.time[i] < cut)
        .collect();
    let columns = PreColumns::new(series, &pre);
    let pre_series = columns.series();
    let mut times: Vec<f64> = pre.iter().map(|&i| series.time[i]).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let fits: Vec<Option<PlaceboFit>> = times
        .par_iter()
        .map(|&t| {
            let mut moved = first.clone();
            moved.time = t;
            let spec = ItsSpec {
                interruptions: vec![moved],
                ..spec.clone()
            };
            fit(&pre_series, &spec)
                .ok()
                .map(|fit| PlaceboFit { time: t, fit })
        })
        .collect();
    Ok(fits.into_iter().flatten().collect())
}

/// How the real estimate of one intervention term ranks among its placebo estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceboShare {
    /// Term (one the counterfactual sets to zero: a step, slope, ... of the intervention).
    pub term: String,
    /// Share of placebo estimates at least as large in absolute value as the real one.
    pub share_as_large: f64,
    /// Number of placebo fits that have the term.
    pub n_placebo: usize,
}

/// For each intervention term of `real`, the share of `placebos` whose estimate is at least as large
/// in absolute value (terms without any placebo estimate are left out).
///
/// ```
/// use raa_impact::its::{fit, placebo, placebo_shares, Interruption, ItsSpec, Series};
/// let t: Vec<f64> = (1..=30).map(f64::from).collect();
/// let y: Vec<f64> = t.iter().map(|t| 5.0 + 0.2 * t + (t * 1.3).sin() - if *t >= 21.0 { 3.0 } else { 0.0 }).collect();
/// let spec = ItsSpec { interruptions: vec![Interruption::at(21.0)], ..ItsSpec::default() };
/// let s = Series::new(&t, &y);
/// let shares = placebo_shares(&fit(&s, &spec).unwrap(), &placebo(&s, &spec).unwrap());
/// assert_eq!(shares[0].term, "step");
/// assert!((0.0..=1.0).contains(&shares[0].share_as_large));
/// ```
pub fn placebo_shares(real: &ItsFit, placebos: &[PlaceboFit]) -> Vec<PlaceboShare> {
    real.intervention_terms()
        .filter_map(|c| {
            let estimates: Vec<f64> = placebos
                .iter()
                .filter_map(|p| p.fit.coefficient(&c.term).map(|x| x.estimate))
                .collect();
            (!estimates.is_empty()).then(|| PlaceboShare {
                term: c.term.clone(),
                share_as_large: estimates
                    .iter()
                    .filter(|e| e.abs() >= c.estimate.abs())
                    .count() as f64
                    / estimates.len() as f64,
                n_placebo: estimates.len(),
            })
        })
        .collect()
}

/// The pre-period rows of every column, owned so that a borrowed [`Series`] can point at them.
struct PreColumns {
    time: Vec<f64>,
    y: Vec<f64>,
    weights: Option<Vec<f64>>,
    offset: Option<Vec<f64>>,
    exposure: Option<Vec<f64>>,
    season: Option<Vec<f64>>,
    covariates: Vec<(String, Vec<f64>)>,
    group: Option<Vec<f64>>,
}

impl PreColumns {
    fn new(s: &Series, rows: &[usize]) -> Self {
        let pick = |c: &[f64]| rows.iter().map(|&i| c[i]).collect::<Vec<f64>>();
        PreColumns {
            time: pick(s.time),
            y: pick(s.y),
            weights: s.weights.map(pick),
            offset: s.offset.map(pick),
            exposure: s.exposure.map(pick),
            season: s.season.map(pick),
            covariates: s
                .covariates
                .iter()
                .map(|(n, c)| (n.to_string(), pick(c)))
                .collect(),
            group: s.group.map(pick),
        }
    }

    fn series(&self) -> Series<'_> {
        Series {
            time: &self.time,
            y: &self.y,
            weights: self.weights.as_deref(),
            offset: self.offset.as_deref(),
            exposure: self.exposure.as_deref(),
            season: self.season.as_deref(),
            covariates: self
                .covariates
                .iter()
                .map(|(n, c)| (n.as_str(), c.as_slice()))
                .collect(),
            group: self.group.as_deref(),
        }
    }
}
