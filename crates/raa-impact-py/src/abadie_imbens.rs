//! R Matching's `Match()` on covariates: the Abadie–Imbens estimator (use `raa_impact.abadie_imbens`).

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use raa_impact::psm::abadie_imbens::{ai_match as core_ai_match, AiOptions, Estimand, Scaling};

use crate::errors::{arg, run};

fn estimand(s: &str) -> PyResult<Estimand> {
    match s.to_ascii_uppercase().as_str() {
        "ATT" => Ok(Estimand::Att),
        "ATC" => Ok(Estimand::Atc),
        "ATE" => Ok(Estimand::Ate),
        o => Err(arg("estimand", format!("{o:?}; expected ATT, ATC or ATE"))),
    }
}

fn scaling(s: &str) -> PyResult<Scaling> {
    match s {
        "inverse_variance" => Ok(Scaling::InverseVariance),
        "mahalanobis" => Ok(Scaling::Mahalanobis),
        "none" => Ok(Scaling::Identity),
        o => Err(arg(
            "scaling",
            format!("{o:?}; expected inverse_variance, mahalanobis or none"),
        )),
    }
}

type Matches<'py> = (
    Bound<'py, PyArray1<usize>>,
    Bound<'py, PyArray1<usize>>,
    Bound<'py, PyArray1<f64>>,
);

/// Abadie–Imbens matching estimate: the result (without the matches) as JSON, then the matches
/// as arrays (focal row, matched row, weight).
#[pyfunction]
#[pyo3(signature = (y, treated, covariates, estimand_name, m, scaling_name, tolerance, bias_adjust, sample, var_calc))]
#[allow(clippy::too_many_arguments)]
pub fn ai_match<'py>(
    py: Python<'py>,
    y: PyReadonlyArray1<'_, f64>,
    treated: PyReadonlyArray1<'_, bool>,
    covariates: Vec<PyReadonlyArray1<'_, f64>>,
    estimand_name: &str,
    m: usize,
    scaling_name: &str,
    tolerance: f64,
    bias_adjust: bool,
    sample: bool,
    var_calc: usize,
) -> PyResult<(String, Matches<'py>)> {
    let options = AiOptions {
        estimand: estimand(estimand_name)?,
        m,
        scaling: scaling(scaling_name)?,
        ties: true,
        tolerance,
        bias_adjust,
        sample,
        var_calc,
    };
    let y = y.as_slice()?.to_vec();
    let treated = treated.as_slice()?.to_vec();
    let x = covariates
        .iter()
        .map(|c| Ok(c.as_slice()?.to_vec()))
        .collect::<PyResult<Vec<_>>>()?;
    let mut result = run(py, move || {
        let cols: Vec<&[f64]> = x.iter().map(|c| c.as_slice()).collect();
        core_ai_match(&y, &treated, &cols, &options)
    })?;
    let matches = std::mem::take(&mut result.matches);
    let json = serde_json::to_string(&result).map_err(|e| arg("result", e.to_string()))?;
    let focal: Vec<usize> = matches.iter().map(|p| p.index_focal).collect();
    let other: Vec<usize> = matches.iter().map(|p| p.index_match).collect();
    let weight: Vec<f64> = matches.iter().map(|p| p.weight).collect();
    Ok((
        json,
        (
            focal.into_pyarray(py),
            other.into_pyarray(py),
            weight.into_pyarray(py),
        ),
    ))
}
