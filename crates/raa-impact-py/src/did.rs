//! Callaway–Sant'Anna group-time effects: numpy columns in, the core `AttGt` (with its influence
//! functions) held in Rust, tables out as JSON without the influence matrices.

use std::sync::Arc;

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use raa_impact::did::{aggregate, att_gt, pretest, Aggregation, AttGt, AttGtOptions, PanelInput};
use raa_impact::inference::multiplier::BootstrapOptions;

use crate::errors::{arg, run, to_py};

type Named<'py> = Vec<(String, PyReadonlyArray1<'py, f64>)>;

/// Group-time effects (use the Python wrapper `raa_impact.AttGtResult`).
#[pyclass(name = "AttGt", module = "raa_impact._core", frozen)]
pub struct PyAttGt {
    inner: Arc<AttGt>,
}

fn to_json(what: &str, v: &serde_json::Value) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| arg(what, e.to_string()))
}

#[pymethods]
impl PyAttGt {
    /// Cells, cohorts, options, warnings and the bootstrap summary (no influence functions).
    fn json(&self) -> PyResult<String> {
        let a = &*self.inner;
        let v = serde_json::json!({
            "cells": a.cells,
            "n_units": a.units.len(),
            "incomplete_units": a.incomplete_units,
            "periods": a.periods,
            "cohorts": a.cohorts,
            "n_clusters": a.unit_cluster.as_ref().map(|_| a.n_clusters()),
            "small_sample_clusters": a.small_sample_clusters(),
            "n_treated_clusters": a.n_treated_clusters,
            "crit_value": a.crit_value,
            "uniform": a.uniform,
            "bootstrap": a.bootstrap,
            "options": a.options,
            "warnings": a.warnings,
        });
        to_json("att_gt", &v)
    }

    /// An aggregation (`how_json`: the core `Aggregation`), bootstrapped when `bootstrap_json` is
    /// given; the influence functions stay in Rust.
    #[pyo3(signature = (how_json, bootstrap_json=None))]
    fn aggregate(
        &self,
        py: Python<'_>,
        how_json: &str,
        bootstrap_json: Option<&str>,
    ) -> PyResult<String> {
        let how: Aggregation =
            serde_json::from_str(how_json).map_err(|e| arg("type", e.to_string()))?;
        let boot: Option<BootstrapOptions> = bootstrap_json
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| arg("bootstrap", e.to_string()))?;
        let a = self.inner.clone();
        let mut agg = run(py, move || aggregate(&a, &how, boot.as_ref()))?;
        agg.influence_cells = Vec::new();
        agg.influence_overall = Vec::new();
        let v = serde_json::to_value(&agg).map_err(|e| arg("aggregate", e.to_string()))?;
        to_json("aggregate", &v)
    }

    /// The Wald pre-test of parallel trends.
    fn pretest(&self, py: Python<'_>) -> PyResult<String> {
        let t = pretest(&self.inner).map_err(|e| to_py(py, e))?;
        let v = serde_json::to_value(&t).map_err(|e| arg("pretest", e.to_string()))?;
        to_json("pretest", &v)
    }
}

/// Callaway–Sant'Anna ATT(g,t) (see `raa_impact::did::att_gt`). `options_json` is the core
/// `AttGtOptions`, e.g. `{"allow_unbalanced": true, ...}` (fields left out take their defaults).
#[pyfunction]
#[pyo3(signature = (unit, time, group, y, covariates, cluster, weights, options_json))]
#[allow(clippy::too_many_arguments)]
pub fn did_att_gt(
    py: Python<'_>,
    unit: PyReadonlyArray1<'_, i64>,
    time: PyReadonlyArray1<'_, i64>,
    group: PyReadonlyArray1<'_, i64>,
    y: PyReadonlyArray1<'_, f64>,
    covariates: Named<'_>,
    cluster: Option<PyReadonlyArray1<'_, i64>>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    options_json: &str,
) -> PyResult<PyAttGt> {
    let options: AttGtOptions =
        serde_json::from_str(options_json).map_err(|e| arg("options", e.to_string()))?;
    let cov: Vec<&[f64]> = covariates
        .iter()
        .map(|(_, a)| a.as_slice())
        .collect::<Result<_, _>>()?;
    let input = PanelInput {
        unit: unit.as_slice()?,
        time: time.as_slice()?,
        group: group.as_slice()?,
        y: y.as_slice()?,
        covariates: &cov,
        cluster: cluster.as_ref().map(|c| c.as_slice()).transpose()?,
        weights: weights.as_ref().map(|w| w.as_slice()).transpose()?,
    };
    let res = run(py, || att_gt(&input, &options))?;
    Ok(PyAttGt {
        inner: Arc::new(res),
    })
}
