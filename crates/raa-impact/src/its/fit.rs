//! `its::fit`: one series, one specification, one result.

use super::coefficients::{self, Coefficient};
use super::design::{self, Design};
use super::effects::{self, HorizonEffect, PathPoint, Rows};
use super::estimate::{self, Fitted};
use super::model::ModelFit;
use super::series::{Series, Sorted};
use super::spec::ItsSpec;
use crate::Result;
use serde::{Deserialize, Serialize};

/// A fitted interrupted time series.
///
/// ```
/// use raa_impact::its::{fit, Interruption, ItsSpec, Series};
/// let t: Vec<f64> = (1..=24).map(f64::from).collect();
/// let y: Vec<f64> = t.iter().map(|t| 10.0 + 0.5 * t - if *t >= 13.0 { 4.0 } else { 0.0 } + (t * 1.7).sin()).collect();
/// let spec = ItsSpec { interruptions: vec![Interruption::at(13.0)], ..ItsSpec::default() };
/// let r = fit(&Series::new(&t, &y), &spec).unwrap();
/// let step = r.coefficient("step").unwrap();
/// assert!(step.ci_low < -4.0 + 2.0 && step.estimate < 0.0);
/// let e = r.effects(&[12]).unwrap();
/// assert_eq!(e.len(), 3); // pointwise, average, cumulative
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItsFit {
    /// The specification fitted.
    pub spec: ItsSpec,
    /// Rows given.
    pub n_rows: usize,
    /// Rows used (after leaving out transition periods).
    pub n_used: usize,
    /// Input row of each row used, in (group, time) order (the order of residuals and fitted values).
    pub rows_used: Vec<usize>,
    /// Time points left out (transition periods in `Exclude` mode).
    pub excluded_times: Vec<f64>,
    /// Coefficient table.
    pub coefficients: Vec<Coefficient>,
    /// The fitted model.
    pub model: ModelFit,
    /// Observed, fitted and counterfactual path (treated series only in a controlled ITS).
    pub path: Vec<PathPoint>,
    #[serde(skip)]
    state: State,
}

/// What effects at new horizons need, kept from the fit.
#[derive(Debug, Clone, Default)]
struct State {
    x: Vec<Vec<f64>>,
    offset: Vec<f64>,
    intervention: Vec<bool>,
    time: Vec<f64>,
    /// Outcome of each row used.
    y: Vec<f64>,
    /// Rows of the post-interruption segment (treated series), in time order.
    post: Vec<usize>,
}

/// Fit one series.
///
/// # Errors
/// Bad series (non-finite values, gaps, duplicate times, non-counts for a count family, non-positive
/// exposure), interruptions outside the series, series too short for the model, collinear terms
/// and fits that do not converge, each naming the column, row or option.
pub fn fit(series: &Series, spec: &ItsSpec) -> Result<ItsFit> {
    let sorted = series.checked(spec.family)?;
    let d = design::build(spec, &sorted)?;
    let fitted = estimate::estimate(spec, &sorted, &d)?;
    Ok(assemble(spec, &sorted, &d, fitted))
}

fn assemble(spec: &ItsSpec, s: &Sorted, d: &Design, f: Fitted) -> ItsFit {
    let controlled = s.group.is_some();
    let intervention: Vec<bool> = std::iter::once(false)
        .chain((0..d.names.len()).map(|j| d.is_intervention(j, controlled)))
        .collect();
    let time: Vec<f64> = d.kept.iter().map(|&r| s.time[r]).collect();
    let treated: Vec<bool> = d
        .kept
        .iter()
        .map(|&r| s.group.as_ref().is_none_or(|g| g[r] == 1.0))
        .collect();
    let post_from = spec.interruptions[0].effective_time();
    let post: Vec<usize> = (0..time.len())
        .filter(|&r| treated[r] && time[r] >= post_from)
        .collect();
    let rows = Rows {
        x: &f.x,
        offset: &f.offset,
        intervention: &intervention,
    };
    let observed: Vec<f64> = d.kept.iter().map(|&r| s.y[r]).collect();
    let all_path = effects::path(&f.model, &rows, &time, &observed, post_from, spec.level);
    let path = all_path
        .into_iter()
        .zip(&treated)
        .filter(|(_, t)| **t)
        .map(|(p, _)| p)
        .collect();
    let kept: std::collections::HashSet<usize> = d.kept.iter().copied().collect();
    ItsFit {
        spec: spec.clone(),
        n_rows: s.len(),
        n_used: d.kept.len(),
        rows_used: d.kept.iter().map(|&r| s.row[r]).collect(),
        excluded_times: (0..s.len())
            .filter(|r| !kept.contains(r))
            .map(|r| s.time[r])
            .collect(),
        coefficients: coefficients::table(&f.model, spec.level),
        model: f.model,
        path,
        state: State {
            x: f.x,
            offset: f.offset,
            intervention,
            time,
            y: observed,
            post,
        },
    }
}

impl ItsFit {
    /// The coefficient row named `term`.
    pub fn coefficient(&self, term: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.term == term)
    }

    /// Pointwise, average and cumulative effects over the first `h` post-interruption periods for
    /// each `h` in `horizons` (absolute and relative, with intervals at the spec's level).
    pub fn effects(&self, horizons: &[usize]) -> Result<Vec<HorizonEffect>> {
        let s = &self.state;
        let rows = Rows {
            x: &s.x,
            offset: &s.offset,
            intervention: &s.intervention,
        };
        effects::at_horizons(
            &self.model,
            &rows,
            &s.time,
            &s.post,
            horizons,
            self.spec.level,
        )
    }

    /// Coefficients of the terms the counterfactual sets to zero (the intervention's changes).
    pub fn intervention_terms(&self) -> impl Iterator<Item = &Coefficient> {
        self.coefficients
            .iter()
            .zip(&self.state.intervention)
            .filter(|(_, off)| **off)
            .map(|(c, _)| c)
    }

    /// The design's columns (intercept first) over the rows used.
    pub(crate) fn design_columns(&self) -> Vec<Vec<f64>> {
        let p = self.model.p();
        (0..p)
            .map(|j| self.state.x.iter().map(|row| row[j]).collect())
            .collect()
    }

    /// The outcome of each row used, in the order of the residuals.
    pub(crate) fn observed_used(&self) -> &[f64] {
        &self.state.y
    }

    /// Number of observed post-interruption periods (the largest horizon).
    pub fn n_post(&self) -> usize {
        self.state.post.len()
    }
}
