//! `MatchSet`: the core match object held in Rust; arrays and tables handed to Python on demand.
//! Options travel as JSON (the core's serde types), so the binding never re-states them.

use std::sync::Arc;

use numpy::{IntoPyArray, PyArray1, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyList;
use raa_impact::balance::BalanceStats;
use raa_impact::psm::effect::{EffectOptions, SeMethod};
use raa_impact::psm::support::describe;
use raa_impact::psm::{match_units as core_match, MatchInput, MatchOptions, MatchSet};

use crate::columns::Columns;
use crate::errors::{arg, run};

type Named<'py> = Vec<(String, PyReadonlyArray1<'py, f64>)>;

/// The result of `raa_impact.match` (use the Python wrapper `raa_impact.MatchResult`).
#[pyclass(name = "MatchSet", module = "raa_impact._core", frozen)]
pub struct PyMatchSet {
    inner: Arc<MatchSet>,
    /// The supplied score array itself (the core keeps no copy of it).
    score: Option<Py<PyArray1<f64>>>,
}

fn slices<'a>(
    named: &'a [(String, PyReadonlyArray1<'_, f64>)],
) -> PyResult<Vec<(&'a str, &'a [f64])>> {
    named
        .iter()
        .map(|(n, a)| Ok((n.as_str(), a.as_slice()?)))
        .collect()
}

/// Match treated and control units (see `raa_impact.match`).
#[pyfunction]
#[pyo3(signature = (treated, covariates, balance, score, exact, id, options_json))]
#[allow(clippy::too_many_arguments)]
pub fn match_units(
    py: Python<'_>,
    treated: PyReadonlyArray1<'_, bool>,
    covariates: Named<'_>,
    balance: Named<'_>,
    score: Option<Bound<'_, PyArray1<f64>>>,
    exact: Option<PyReadonlyArray1<'_, u32>>,
    id: Option<PyReadonlyArray1<'_, u64>>,
    options_json: &str,
) -> PyResult<PyMatchSet> {
    let options: MatchOptions =
        serde_json::from_str(options_json).map_err(|e| arg("options", e.to_string()))?;
    let given = score.as_ref().map(|s| s.clone().unbind());
    let score = score.as_ref().map(|s| s.readonly());
    let input = MatchInput {
        treated: treated.as_slice()?,
        covariates: slices(&covariates)?,
        balance: slices(&balance)?,
        score: score.as_ref().map(|s| s.as_slice()).transpose()?,
        exact: exact.as_ref().map(|s| s.as_slice()).transpose()?,
        id: id.as_ref().map(|s| s.as_slice()).transpose()?,
        // This object keeps the supplied score, so the distance is computed from it when asked.
        defer_distance: true,
    };
    let set = run(py, || core_match(&input, &options))?;
    Ok(PyMatchSet {
        inner: Arc::new(set),
        score: given,
    })
}

fn stats_columns(c: &mut Columns, prefix: &str, rows: &[Option<&BalanceStats>]) {
    let get = |f: fn(&BalanceStats) -> f64| rows.iter().map(move |s| s.map(f));
    c.opt_float(&format!("{prefix}mean_treated"), get(|s| s.mean_treated))
        .opt_float(&format!("{prefix}mean_control"), get(|s| s.mean_control))
        .opt_float(
            &format!("{prefix}std_mean_diff"),
            get(|s| s.std_mean_difference),
        )
        .opt_float(&format!("{prefix}raw_diff"), get(|s| s.raw_difference))
        .opt_float(
            &format!("{prefix}var_ratio"),
            rows.iter().map(|s| s.and_then(|s| s.variance_ratio)),
        )
        .opt_float(&format!("{prefix}ecdf_mean"), get(|s| s.ecdf_mean))
        .opt_float(&format!("{prefix}ecdf_max"), get(|s| s.ecdf_max));
}

#[pymethods]
impl PyMatchSet {
    fn weights<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.weights.dense().into_pyarray(py)
    }

    /// Subclass (pair) per unit, -1 where none.
    fn subclass<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        let sub = self.inner.subclasses();
        let s: Vec<i64> = (0..self.inner.treated.len())
            .map(|i| match sub.get(i) {
                Some(&k) if k > 0 => i64::from(k),
                _ => -1,
            })
            .collect();
        s.into_pyarray(py)
    }

    /// The matching distance (computed from the supplied score when the match deferred it).
    fn distance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let score = self.score.as_ref().map(|s| s.bind(py).readonly());
        let score = score.as_ref().map(|s| s.as_slice()).transpose()?;
        let set = self.inner.clone();
        let d = run(py, move || set.distance_from(score).map(|d| d.into_owned()))?;
        Ok(d.into_pyarray(py))
    }

    /// The score: the supplied array itself (not a copy), else the fitted one.
    fn ps<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyArray1<f64>>> {
        if let Some(given) = &self.score {
            return Some(given.bind(py).clone());
        }
        self.inner
            .score
            .as_ref()
            .map(|s| s.ps.clone().into_pyarray(py))
    }

    /// (focal rows, offsets, control rows) of the matches, and the same for ATE's reverse direction.
    #[allow(clippy::type_complexity)]
    fn matches<'py>(
        &self,
        py: Python<'py>,
        reverse: bool,
    ) -> Option<(
        Bound<'py, PyArray1<u32>>,
        Bound<'py, PyArray1<u32>>,
        Bound<'py, PyArray1<u32>>,
    )> {
        let m = if reverse {
            self.inner.reverse_matches.as_ref()?
        } else {
            &self.inner.matches
        };
        Some((
            m.focal.clone().into_pyarray(py),
            m.offsets.clone().into_pyarray(py),
            m.controls.clone().into_pyarray(py),
        ))
    }

    fn unmatched(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let u = self.inner.unmatched();
        let mut c = Columns::new();
        c.int("row", u.iter().map(|x| i64::from(x.row)))
            .str("reason", u.iter().map(|x| describe(x.reason)));
        c.into_py(py)
    }

    fn balance(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let b = &self.inner.balance;
        let mut c = Columns::new();
        c.str("covariate", b.iter().map(|r| r.covariate.clone()))
            .bool("binary", b.iter().map(|r| r.binary));
        stats_columns(
            &mut c,
            "before_",
            &b.iter().map(|r| Some(&r.before)).collect::<Vec<_>>(),
        );
        stats_columns(
            &mut c,
            "after_",
            &b.iter().map(|r| r.after.as_ref()).collect::<Vec<_>>(),
        );
        c.into_py(py)
    }

    fn sample_sizes_json(&self) -> String {
        serde_json::to_string(&self.inner.sample_sizes).unwrap_or_default()
    }

    fn model_json(&self) -> Option<String> {
        let model = self.inner.score.as_ref()?.model.as_ref()?;
        serde_json::to_string(model).ok()
    }

    fn options_json(&self) -> String {
        serde_json::to_string(&self.inner.options).unwrap_or_default()
    }

    fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    fn n_matched(&self) -> usize {
        self.inner.n_matched()
    }

    fn caliper_width(&self) -> Option<f64> {
        self.inner.caliper_width
    }

    /// Effect of `y` as JSON (the core `Effect`).
    #[pyo3(signature = (y, se_json, cluster, adjust, level, bias_adjust=false, score_design=Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn effect(
        &self,
        py: Python<'_>,
        y: PyReadonlyArray1<'_, f64>,
        se_json: &str,
        cluster: Option<PyReadonlyArray1<'_, u64>>,
        adjust: Named<'_>,
        level: f64,
        bias_adjust: bool,
        score_design: Named<'_>,
    ) -> PyResult<String> {
        let se: SeMethod = serde_json::from_str(se_json).map_err(|e| arg("se", e.to_string()))?;
        let y = y.as_slice()?;
        let score = self.score.as_ref().map(|s| s.bind(py).readonly());
        let options = EffectOptions {
            se,
            cluster: cluster.as_ref().map(|c| c.as_slice()).transpose()?,
            adjust: slices(&adjust)?,
            level,
            bias_adjust,
            score_design: slices(&score_design)?.into_iter().map(|(_, c)| c).collect(),
            score: score.as_ref().map(|s| s.as_slice()).transpose()?,
        };
        let set = self.inner.clone();
        let e = run(py, move || set.effect(y, &options))?;
        serde_json::to_string(&e).map_err(|e| arg("effect", e.to_string()))
    }

    /// Survival analysis of a censored duration in the matched set, as JSON.
    #[pyo3(signature = (time, status, tau, cluster))]
    fn survival(
        &self,
        py: Python<'_>,
        time: PyReadonlyArray1<'_, f64>,
        status: PyReadonlyArray1<'_, u8>,
        tau: f64,
        cluster: Option<PyReadonlyArray1<'_, u64>>,
    ) -> PyResult<String> {
        let (time, status) = (time.as_slice()?, status.as_slice()?);
        let cluster = cluster.as_ref().map(|c| c.as_slice()).transpose()?;
        let set = self.inner.clone();
        let s = run(py, move || set.survival(time, status, tau, cluster))?;
        serde_json::to_string(&s).map_err(|e| arg("survival", e.to_string()))
    }

    /// Rosenbaum bounds and E-value, as JSON; `effect_json` is a core `Effect`.
    #[pyo3(signature = (y, effect_json, gammas, alpha))]
    fn sensitivity(
        &self,
        py: Python<'_>,
        y: PyReadonlyArray1<'_, f64>,
        effect_json: &str,
        gammas: Vec<f64>,
        alpha: f64,
    ) -> PyResult<String> {
        let effect: raa_impact::psm::effect::Effect =
            serde_json::from_str(effect_json).map_err(|e| arg("effect", e.to_string()))?;
        let y = y.as_slice()?;
        let set = self.inner.clone();
        let s = run(py, move || set.sensitivity(y, &effect, &gammas, alpha))?;
        serde_json::to_string(&s).map_err(|e| arg("sensitivity", e.to_string()))
    }
}
