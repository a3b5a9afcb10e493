//! The imputation estimator of Borusyak, Jaravel and Spiess (2024): fit unit and time effects on
//! the untreated observations only, impute each treated observation's untreated outcome
//! `Ŷ(0) = α̂_i + λ̂_t`, and average `τ̂_it = y_it − Ŷ(0)` over treated observations (overall and by
//! event time). Because already-treated units never serve as controls, it avoids the forbidden
//! comparisons that the Goodman-Bacon decomposition exposes in TWFE.
//!
//! Variance: BJS's conservative clustered variance `Σ_g (Σ_{it∈g} v_it ε̃_it)²`, where `v_it` are
//! the estimator's implied weights on each outcome (the estimand weights on treated observations,
//! minus the projection weights on untreated ones), `ε̃_it` the first-stage residual for untreated
//! observations and, for treated ones, `τ̂_it` minus the `v²`-weighted mean of `τ̂` in its
//! cohort × event-time cell (with equal weights within a cell, the plain mean). This is the version
//! R's `didimputation` computes: without BJS's leave-out correction of those cell means, and
//! without a small-sample factor. (With one unit per cohort the treated part is then zero, and the
//! variance is less conservative than BJS intend.) On mpdta it equals an independent dense
//! computation to 1e-8.

use std::collections::BTreeMap;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::panel::Panel;
use crate::{Error, Result};

/// An averaged effect and its standard error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImputationEffect {
    /// Event time (periods since the first treated period, in time-index steps); `None` overall.
    pub event_time: Option<i64>,
    /// The mean of `τ̂_it` over the treated observations in scope.
    pub estimate: f64,
    /// Conservative clustered standard error (see the module note).
    pub std_error: f64,
    /// Number of treated observations averaged.
    pub n_obs: usize,
}

/// One treated observation's imputed effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationEffect {
    /// Unit label.
    pub unit: u64,
    /// Time label.
    pub time: i64,
    /// `y_it − α̂_i − λ̂_t`.
    pub effect: f64,
}

/// The imputation estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImputationFit {
    /// The ATT over all imputable treated observations.
    pub overall: ImputationEffect,
    /// The ATT at each event time `0, 1, …`.
    pub by_event_time: Vec<ImputationEffect>,
    /// Each imputable treated observation's effect.
    pub effects: Vec<ObservationEffect>,
    /// Treated observations that cannot be imputed (no untreated observation of their unit, or
    /// none at their time) and are left out of every average.
    pub n_not_imputable: usize,
    /// Number of clusters.
    pub n_clusters: usize,
    /// The variance used, in words.
    pub variance: String,
}

/// Unit and time effects fitted on untreated observations; times with no untreated observation
/// and units never untreated have none (`None`).
struct FirstStage {
    alpha: Vec<Option<f64>>,
    lambda: Vec<Option<f64>>,
}

/// The normal equations of `y ~ unit + time` on the untreated cells, reduced to the time effects by
/// eliminating each unit's effect (a `T × T` system however many units), with the first active
/// time's effect fixed at zero.
struct Normal<'a> {
    panel: &'a Panel,
    n_untreated: Vec<usize>,
    active_times: Vec<usize>,
    chol: nalgebra::Cholesky<f64, nalgebra::Dyn>,
}

impl<'a> Normal<'a> {
    fn new(panel: &'a Panel) -> Result<Self> {
        let (nu, nt) = (panel.n_units(), panel.n_times());
        let n_untreated: Vec<usize> = (0..nu)
            .map(|i| (0..nt).filter(|&t| !panel.d_at(i, t)).count())
            .collect();
        let active_times: Vec<usize> = (0..nt)
            .filter(|&t| (0..nu).any(|i| !panel.d_at(i, t)))
            .collect();
        if active_times.is_empty() {
            return Err(Error::argument(
                "treated",
                "every observation is treated: there are no untreated observations to fit the fixed effects on",
            ));
        }
        let pos: BTreeMap<usize, usize> = active_times
            .iter()
            .enumerate()
            .map(|(k, &t)| (t, k))
            .collect();
        let ta = active_times.len();
        let mut m = DMatrix::<f64>::zeros(ta, ta);
        for i in (0..nu).filter(|&i| n_untreated[i] > 0) {
            let cells: Vec<usize> = (0..nt)
                .filter(|&t| !panel.d_at(i, t))
                .map(|t| pos[&t])
                .collect();
            let inv = 1.0 / n_untreated[i] as f64;
            for &a in &cells {
                m[(a, a)] += 1.0;
                for &b in &cells {
                    m[(a, b)] -= inv;
                }
            }
        }
        let reduced = m.view((1, 1), (ta - 1, ta - 1)).into_owned();
        let chol = reduced.cholesky().ok_or_else(|| {
            Error::argument(
                "treated",
                "the untreated observations do not link all units and times (the unit–time graph of \
                 untreated cells is disconnected), so the fixed effects are not identified",
            )
        })?;
        Ok(Normal {
            panel,
            n_untreated,
            active_times,
            chol,
        })
    }

    /// Solves the normal equations for right-hand sides `r_unit` (length N) and `r_time` (length T).
    fn solve(&self, r_unit: &[f64], r_time: &[f64]) -> FirstStage {
        let p = self.panel;
        let (nu, nt) = (p.n_units(), p.n_times());
        let ta = self.active_times.len();
        let mut rhs = DVector::<f64>::zeros(ta);
        for (k, &t) in self.active_times.iter().enumerate() {
            rhs[k] = r_time[t];
        }
        let pos: BTreeMap<usize, usize> = self
            .active_times
            .iter()
            .enumerate()
            .map(|(k, &t)| (t, k))
            .collect();
        for i in (0..nu).filter(|&i| self.n_untreated[i] > 0) {
            let share = r_unit[i] / self.n_untreated[i] as f64;
            for t in (0..nt).filter(|&t| !p.d_at(i, t)) {
                rhs[pos[&t]] -= share;
            }
        }
        let sol = self.chol.solve(&rhs.rows(1, ta - 1).into_owned());
        let mut lambda = vec![None; nt];
        lambda[self.active_times[0]] = Some(0.0);
        for k in 1..ta {
            lambda[self.active_times[k]] = Some(sol[k - 1]);
        }
        let alpha = (0..nu)
            .map(|i| {
                (self.n_untreated[i] > 0).then(|| {
                    let s: f64 = (0..nt)
                        .filter(|&t| !p.d_at(i, t))
                        .map(|t| lambda[t].unwrap_or(0.0))
                        .sum();
                    (r_unit[i] - s) / self.n_untreated[i] as f64
                })
            })
            .collect();
        FirstStage { alpha, lambda }
    }
}

impl FirstStage {
    fn fitted(&self, i: usize, t: usize) -> Option<f64> {
        Some(self.alpha[i]? + self.lambda[t]?)
    }
}

/// A treated, imputable observation.
struct Treated {
    unit: usize,
    time: usize,
    event_time: i64,
    tau: f64,
}

/// The BJS imputation estimator on a balanced panel (clusters: [`Panel::clusters`]).
///
/// ```
/// use raa_impact::twfe::{imputation, Panel};
/// let unit = [1, 1, 1, 2, 2, 2, 3, 3, 3];
/// let time = [1, 2, 3, 1, 2, 3, 1, 2, 3];
/// let d = [0., 1., 1., 0., 0., 1., 0., 0., 0.];
/// // Unit effects 1, 2, 0; time effects 0, 0.1, 0.2; effect 2 on unit 1, 3 on unit 2.
/// let y = [1., 3.1, 3.2, 2., 2.1, 5.2, 0., 0.1, 0.2];
/// let fit = imputation(&Panel::new(&unit, &time, &d, &y).unwrap()).unwrap();
/// assert!((fit.overall.estimate - 7.0 / 3.0).abs() < 1e-12);
/// ```
pub fn imputation(panel: &Panel) -> Result<ImputationFit> {
    let (nu, nt) = (panel.n_units(), panel.n_times());
    if !panel.treated.iter().any(|&d| d) {
        return Err(Error::argument(
            "treated",
            "no treated observation: nothing to impute",
        ));
    }
    let normal = Normal::new(panel)?;
    let (mut r_unit, mut r_time) = (vec![0.0; nu], vec![0.0; nt]);
    for (i, ru) in r_unit.iter_mut().enumerate() {
        for t in (0..nt).filter(|&t| !panel.d_at(i, t)) {
            *ru += panel.y_at(i, t);
            r_time[t] += panel.y_at(i, t);
        }
    }
    let first = normal.solve(&r_unit, &r_time);
    let mut treated = Vec::new();
    let mut n_not_imputable = 0;
    for i in 0..nu {
        for t in (0..nt).filter(|&t| panel.d_at(i, t)) {
            match first.fitted(i, t) {
                Some(f) => treated.push(Treated {
                    unit: i,
                    time: t,
                    event_time: t as i64 - panel.first_treated[i].map_or(0, |f| f as i64),
                    tau: panel.y_at(i, t) - f,
                }),
                None => n_not_imputable += 1,
            }
        }
    }
    if treated.is_empty() {
        return Err(Error::argument(
            "treated",
            "no treated observation can be imputed: each is in a unit never untreated or at a time with no untreated unit",
        ));
    }
    let resid = residuals(panel, &first, &treated);
    let clusters: BTreeMap<u64, usize> = panel.clusters.iter().map(|&c| (c, 0)).collect();
    if clusters.len() < 2 {
        return Err(Error::argument("cluster", "needs at least two clusters"));
    }
    let effect = |scope: Option<i64>| estimate(panel, &normal, &treated, &resid, scope);
    let overall = effect(None);
    let event_times: std::collections::BTreeSet<i64> =
        treated.iter().map(|o| o.event_time).collect();
    let by_event_time = event_times.into_iter().map(|e| effect(Some(e))).collect();
    Ok(ImputationFit {
        overall,
        by_event_time,
        effects: treated
            .iter()
            .map(|o| ObservationEffect { unit: panel.units[o.unit], time: panel.times[o.time], effect: o.tau })
            .collect(),
        n_not_imputable,
        n_clusters: clusters.len(),
        variance: "BJS conservative clustered variance, simple version: treated residuals are τ̂ minus \
                   its cohort × event-time cell mean (no leave-out correction, no small-sample factor)"
            .to_string(),
    })
}

/// `ε̃`, unit-major: first-stage residuals on untreated cells, `τ̂ − cell mean` on treated ones
/// (zero on treated cells that cannot be imputed; they carry no weight).
fn residuals(panel: &Panel, first: &FirstStage, treated: &[Treated]) -> Vec<f64> {
    let nt = panel.n_times();
    let mut e = vec![0.0; panel.y.len()];
    for i in 0..panel.n_units() {
        for t in (0..nt).filter(|&t| !panel.d_at(i, t)) {
            e[i * nt + t] = panel.y_at(i, t) - first.fitted(i, t).unwrap_or(0.0);
        }
    }
    let mut cells: BTreeMap<(usize, i64), (f64, usize)> = BTreeMap::new();
    let cohort = |o: &Treated| panel.first_treated[o.unit].unwrap_or(0);
    for o in treated {
        let c = cells.entry((cohort(o), o.event_time)).or_insert((0.0, 0));
        c.0 += o.tau;
        c.1 += 1;
    }
    for o in treated {
        let (s, n) = cells[&(cohort(o), o.event_time)];
        e[o.unit * nt + o.time] = o.tau - s / n as f64;
    }
    e
}

/// The mean of `τ̂` over the treated observations at event time `scope` (all when `None`), with its
/// conservative clustered standard error.
fn estimate(
    panel: &Panel,
    normal: &Normal,
    treated: &[Treated],
    resid: &[f64],
    scope: Option<i64>,
) -> ImputationEffect {
    let (nu, nt) = (panel.n_units(), panel.n_times());
    let chosen: Vec<&Treated> = treated
        .iter()
        .filter(|o| scope.is_none_or(|e| o.event_time == e))
        .collect();
    let w = 1.0 / chosen.len() as f64;
    let mut v = vec![0.0; nu * nt];
    let (mut r_unit, mut r_time) = (vec![0.0; nu], vec![0.0; nt]);
    for o in &chosen {
        v[o.unit * nt + o.time] = w;
        r_unit[o.unit] += w;
        r_time[o.time] += w;
    }
    // Implied weights on untreated outcomes: minus the projection of the estimand's weights.
    let b = normal.solve(&r_unit, &r_time);
    for i in 0..nu {
        for t in (0..nt).filter(|&t| !panel.d_at(i, t)) {
            v[i * nt + t] = -b.fitted(i, t).unwrap_or(0.0);
        }
    }
    let mut scores: BTreeMap<u64, f64> = BTreeMap::new();
    for i in 0..nu {
        let s: f64 = (0..nt).map(|t| v[i * nt + t] * resid[i * nt + t]).sum();
        *scores.entry(panel.clusters[i]).or_insert(0.0) += s;
    }
    ImputationEffect {
        event_time: scope,
        estimate: chosen.iter().map(|o| o.tau).sum::<f64>() * w,
        std_error: scores.values().map(|s| s * s).sum::<f64>().sqrt(),
        n_obs: chosen.len(),
    }
}
