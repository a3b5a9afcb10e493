//! Randomisation tests over intervention timing: numpy columns in, the core result out as JSON.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use raa_impact::randomisation::{
    phase_difference_test, Design, PhaseMeanDifference, RandomisationOptions, Scheme, Window,
};

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
