//! The linear mixed model behind `ri.multilevel_its`: numpy columns in, the core fit held in Rust,
//! results out as JSON.

use std::sync::Arc;

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use raa_impact::mixed::{fit_mixed, MixedFit, MixedInput, MixedOptions};

use crate::errors::{arg, run, to_py};

type Named<'py> = Vec<(String, PyReadonlyArray1<'py, f64>)>;

/// A fitted mixed model (use the Python wrapper `raa_impact.MultilevelItsResult`).
#[pyclass(name = "MixedFit", module = "raa_impact._core", frozen)]
pub struct PyMixedFit {
    inner: Arc<MixedFit>,
}

#[pymethods]
impl PyMixedFit {
    /// The whole fit as JSON.
    fn json(&self) -> PyResult<String> {
        serde_json::to_string(&*self.inner).map_err(|e| arg("fit", e.to_string()))
    }

    /// Each unit's coefficient of `term` (β̂ plus the unit's BLUP), in the fit's unit order.
    fn unit_coefficients(&self, py: Python<'_>, term: &str) -> PyResult<Vec<f64>> {
        self.inner.unit_coefficients(term).map_err(|e| to_py(py, e))
    }

    /// The coefficient table with `level` intervals, as JSON.
    fn table(&self, py: Python<'_>, level: f64) -> PyResult<String> {
        let t = self.inner.table(level).map_err(|e| to_py(py, e))?;
        serde_json::to_string(&t).map_err(|e| arg("table", e.to_string()))
    }

    /// `l'β` with its Satterthwaite test and `level` interval, as JSON `[contrast, [lo, hi]]`.
    fn contrast(&self, py: Python<'_>, l: Vec<f64>, level: f64) -> PyResult<String> {
        let c = self.inner.contrast(&l).map_err(|e| to_py(py, e))?;
        let ci = c.interval(level).map_err(|e| to_py(py, e))?;
        serde_json::to_string(&(c, ci)).map_err(|e| arg("contrast", e.to_string()))
    }
}

/// Fit `y = Xβ + Z b_unit + g_group + e` (see `raa_impact::mixed::fit_mixed`).
#[pyfunction]
#[pyo3(signature = (y, x, unit, group, time, options_json))]
pub fn mixed_fit(
    py: Python<'_>,
    y: PyReadonlyArray1<'_, f64>,
    x: Named<'_>,
    unit: PyReadonlyArray1<'_, u64>,
    group: Option<PyReadonlyArray1<'_, u64>>,
    time: PyReadonlyArray1<'_, f64>,
    options_json: &str,
) -> PyResult<PyMixedFit> {
    let options: MixedOptions =
        serde_json::from_str(options_json).map_err(|e| arg("options", e.to_string()))?;
    let names: Vec<String> = x.iter().map(|(n, _)| n.clone()).collect();
    let columns: Vec<&[f64]> = x
        .iter()
        .map(|(_, a)| a.as_slice())
        .collect::<Result<_, _>>()?;
    let input = MixedInput {
        y: y.as_slice()?,
        x: &columns,
        x_names: &names,
        unit: unit.as_slice()?,
        group: group.as_ref().map(|g| g.as_slice()).transpose()?,
        time: time.as_slice()?,
    };
    let fit = run(py, || fit_mixed(&input, &options))?;
    Ok(PyMixedFit {
        inner: Arc::new(fit),
    })
}
