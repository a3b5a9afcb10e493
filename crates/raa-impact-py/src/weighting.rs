//! Propensity-score weighting (IPW, overlap, AIPW): numbers in, the core `Effect` out as JSON.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use raa_impact::weighting::{aipw_effect, ipw_effect, WeightingOptions};

use crate::errors::{arg, run};

type Named<'py> = Vec<(String, PyReadonlyArray1<'py, f64>)>;

fn split<'a>(
    named: &'a [(String, PyReadonlyArray1<'_, f64>)],
) -> PyResult<(Vec<&'a [f64]>, Vec<String>)> {
    let cols = named
        .iter()
        .map(|(_, a)| a.as_slice())
        .collect::<Result<Vec<_>, _>>()?;
    Ok((cols, named.iter().map(|(n, _)| n.clone()).collect()))
}

/// IPW (Hájek) or AIPW effect; returns (effect JSON, weights or None for AIPW).
#[pyfunction]
#[pyo3(signature = (y, treated, ps_columns, outcome_columns, options_json, aipw))]
pub fn weighting_effect<'py>(
    py: Python<'py>,
    y: PyReadonlyArray1<'_, f64>,
    treated: PyReadonlyArray1<'_, bool>,
    ps_columns: Named<'_>,
    outcome_columns: Named<'_>,
    options_json: &str,
    aipw: bool,
) -> PyResult<(String, Option<Bound<'py, PyArray1<f64>>>)> {
    let options: WeightingOptions =
        serde_json::from_str(options_json).map_err(|e| arg("options", e.to_string()))?;
    let (y, treated) = (y.as_slice()?, treated.as_slice()?);
    let (ps_cols, ps_names) = split(&ps_columns)?;
    let (out_cols, out_names) = split(&outcome_columns)?;
    let (effect, weights) = run(py, || {
        if aipw {
            aipw_effect(
                y, treated, &ps_cols, &ps_names, &out_cols, &out_names, &options,
            )
            .map(|e| (e, None))
        } else {
            ipw_effect(y, treated, &ps_cols, &ps_names, &options).map(|(e, w)| (e, Some(w)))
        }
    })?;
    let json = serde_json::to_string(&effect).map_err(|e| arg("effect", e.to_string()))?;
    Ok((json, weights.map(|w| w.into_pyarray(py))))
}
