//! Randomisation tests over intervention timing: numpy columns in, the core result out as JSON.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use raa_impact::did::{cs_timing_test, Aggregation, AttGtOptions, PanelInput};
use raa_impact::randomisation::{
    phase_difference_test, randomisation_test_serial, Design, PhaseMeanDifference,
    RandomisationOptions, Scheme, Window,
};
use raa_impact::Error;

use crate::errors::{arg, run};

fn scheme(name: &str) -> PyResult<Scheme> {
    match name {
        "marascuilo_busk" => Ok(Scheme::MarascuiloBusk),
        "wampold_worsham" => Ok(Scheme::WampoldWorsham),
        "koehler_levin" => Ok(Scheme::KoehlerLevin),
        o => Err(arg(
            "scheme",
            format!("{o:?}; expected marascuilo_busk, wampold_worsham or koehler_levin"),
        )),
    }
}

/// The design from its scheme and windows (per unit for Marascuilo–Busk, per position otherwise).
pub(crate) fn design(name: &str, windows: &[(i64, i64)]) -> PyResult<(Scheme, Vec<Window>)> {
    let s = scheme(name)?;
    Ok((s, windows.iter().map(|&(a, b)| Window::new(a, b)).collect()))
}

/// Randomisation test with the mean phase B − phase A statistic. `unit` holds dense codes
/// 0..N−1 in the order of `observed` (each unit's observed start).
#[pyfunction]
#[pyo3(signature = (unit, time, y, observed, scheme_name, windows, options_json, bed_in))]
#[allow(clippy::too_many_arguments)]
pub fn randomisation_phase_test(
    py: Python<'_>,
    unit: PyReadonlyArray1<'_, u64>,
    time: PyReadonlyArray1<'_, i64>,
    y: PyReadonlyArray1<'_, f64>,
    observed: Vec<i64>,
    scheme_name: &str,
    windows: Vec<(i64, i64)>,
    options_json: &str,
    bed_in: i64,
) -> PyResult<String> {
    let options: RandomisationOptions =
        serde_json::from_str(options_json).map_err(|e| arg("options", e.to_string()))?;
    let (s, w) = design(scheme_name, &windows)?;
    let (unit, time, y) = (unit.as_slice()?, time.as_slice()?, y.as_slice()?);
    let result = run(py, move || {
        let d = Design::new(s, w)?;
        let (stat, _) = PhaseMeanDifference::from_long(unit, time, y, bed_in)?;
        phase_difference_test(&d, &observed, &stat, &options)
    })?;
    serde_json::to_string(&result).map_err(|e| arg("result", e.to_string()))
}

/// Randomisation test whose statistic is a Callaway–Sant'Anna aggregate (`how_json`), re-estimated
/// for every assignment. `unit` holds dense codes 0..N−1 in the order of `observed`.
#[pyfunction]
#[pyo3(signature = (unit, time, y, cluster, observed, scheme_name, windows, options_json, att_gt_json, how_json))]
#[allow(clippy::too_many_arguments)]
pub fn randomisation_cs_test(
    py: Python<'_>,
    unit: PyReadonlyArray1<'_, i64>,
    time: PyReadonlyArray1<'_, i64>,
    y: PyReadonlyArray1<'_, f64>,
    cluster: Option<PyReadonlyArray1<'_, i64>>,
    observed: Vec<i64>,
    scheme_name: &str,
    windows: Vec<(i64, i64)>,
    options_json: &str,
    att_gt_json: &str,
    how_json: &str,
) -> PyResult<String> {
    let options: RandomisationOptions =
        serde_json::from_str(options_json).map_err(|e| arg("options", e.to_string()))?;
    let cs: AttGtOptions =
        serde_json::from_str(att_gt_json).map_err(|e| arg("cs_options", e.to_string()))?;
    let how: Aggregation =
        serde_json::from_str(how_json).map_err(|e| arg("aggregation", e.to_string()))?;
    let (s, w) = design(scheme_name, &windows)?;
    let (unit, time, y) = (unit.as_slice()?, time.as_slice()?, y.as_slice()?);
    let cluster = cluster.as_ref().map(|c| c.as_slice()).transpose()?;
    let group = vec![0i64; unit.len()];
    let result = run(py, move || {
        let d = Design::new(s, w)?;
        let input = PanelInput {
            unit,
            time,
            group: &group,
            y,
            covariates: &[],
            cluster,
            weights: None,
        };
        cs_timing_test(&input, &d, &observed, &cs, &how, &options)
    })?;
    serde_json::to_string(&result).map_err(|e| arg("result", e.to_string()))
}

/// Randomisation test whose statistic is a Python callable of the start times (a list, one per
/// unit in the order of `observed`). It is called on this thread, one assignment at a time (the
/// GIL is taken for each call and released between them, so the callable may itself call the
/// library's parallel estimators). An exception it raises is re-raised unchanged.
#[pyfunction]
#[pyo3(signature = (observed, scheme_name, windows, options_json, statistic))]
pub fn randomisation_callable_test(
    py: Python<'_>,
    observed: Vec<i64>,
    scheme_name: &str,
    windows: Vec<(i64, i64)>,
    options_json: &str,
    statistic: PyObject,
) -> PyResult<String> {
    let options: RandomisationOptions =
        serde_json::from_str(options_json).map_err(|e| arg("options", e.to_string()))?;
    let (s, w) = design(scheme_name, &windows)?;
    let mut raised: Option<PyErr> = None;
    let result = run(py, || {
        let d = Design::new(s, w)?;
        let call = |starts: &[i64]| -> raa_impact::Result<f64> {
            Python::with_gil(|py| {
                statistic
                    .call1(py, (starts.to_vec(),))
                    .and_then(|v| v.extract::<f64>(py))
                    .map_err(|e| {
                        let message = format!("raised {e} at start times {starts:?}");
                        raised = Some(e);
                        Error::argument("statistic", message)
                    })
            })
        };
        randomisation_test_serial(&d, &observed, call, &options)
    });
    if let Some(e) = raised {
        return Err(e);
    }
    serde_json::to_string(&result?).map_err(|e| arg("result", e.to_string()))
}
