//! Interrupted time series: numpy columns in, the core `ItsFit` held in Rust, results out as JSON
//! (the core's serde types, so the binding never re-states them).

use std::sync::Arc;

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use raa_impact::its::{
    fit as core_fit, fit_each, placebo, placebo_shares, ItsFit, ItsSpec, Series,
};

use crate::errors::{arg, run, to_py};

type Arr<'py> = PyReadonlyArray1<'py, f64>;
type Named<'py> = Vec<(String, Arr<'py>)>;

/// A fitted interrupted time series (use the Python wrapper `raa_impact.ItsResult`).
#[pyclass(name = "ItsFit", module = "raa_impact._core", frozen)]
pub struct PyItsFit {
    inner: Arc<ItsFit>,
}

fn json_err(what: &str, e: serde_json::Error) -> PyErr {
    arg(what, e.to_string())
}

#[pymethods]
impl PyItsFit {
    /// The whole fit (spec, coefficients, model, path) as JSON.
    fn json(&self) -> PyResult<String> {
        serde_json::to_string(&*self.inner).map_err(|e| json_err("fit", e))
    }

    /// The coefficient table alone as JSON (cheap for batches and placebo runs).
    fn coefficients_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.coefficients).map_err(|e| json_err("coefficients", e))
    }

    /// Effects at the given horizons as JSON.
    fn effects(&self, py: Python<'_>, horizons: Vec<usize>) -> PyResult<String> {
        let inner = Arc::clone(&self.inner);
        let e = run(py, move || inner.effects(&horizons))?;
        serde_json::to_string(&e).map_err(|e| json_err("effects", e))
    }

    /// Residual diagnostics up to `lags` as JSON.
    fn diagnostics(&self, py: Python<'_>, lags: usize) -> PyResult<String> {
        let inner = Arc::clone(&self.inner);
        let d = run(py, move || inner.diagnostics(lags))?;
        serde_json::to_string(&d).map_err(|e| json_err("diagnostics", e))
    }

    /// Number of observed post-interruption periods.
    fn n_post(&self) -> usize {
        self.inner.n_post()
    }
}

/// The columns of one or many series (many: concatenated, split at `bounds`).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct Columns<'py> {
    time: Arr<'py>,
    y: Arr<'py>,
    weights: Option<Arr<'py>>,
    offset: Option<Arr<'py>>,
    exposure: Option<Arr<'py>>,
    season: Option<Arr<'py>>,
    covariates: Named<'py>,
    group: Option<Arr<'py>>,
}

fn opt<'a>(a: &'a Option<Arr<'_>>) -> PyResult<Option<&'a [f64]>> {
    Ok(match a {
        Some(a) => Some(a.as_slice()?),
        None => None,
    })
}

impl Columns<'_> {
    /// The series of rows `lo..hi`.
    fn series(&self, lo: usize, hi: usize) -> PyResult<Series<'_>> {
        fn cut(s: &[f64], lo: usize, hi: usize) -> &[f64] {
            &s[lo.min(s.len())..hi.min(s.len())]
        }
        let cut = |s| cut(s, lo, hi);
        let covariates = self
            .covariates
            .iter()
            .map(|(n, a)| Ok((n.as_str(), cut(a.as_slice()?))))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Series {
            time: cut(self.time.as_slice()?),
            y: cut(self.y.as_slice()?),
            weights: opt(&self.weights)?.map(cut),
            offset: opt(&self.offset)?.map(cut),
            exposure: opt(&self.exposure)?.map(cut),
            season: opt(&self.season)?.map(cut),
            covariates,
            group: opt(&self.group)?.map(cut),
        })
    }
}

fn spec(spec_json: &str) -> PyResult<ItsSpec> {
    serde_json::from_str(spec_json).map_err(|e| arg("spec", e.to_string()))
}

/// Fit one series.
#[pyfunction]
pub fn its_fit(py: Python<'_>, columns: Columns<'_>, spec_json: &str) -> PyResult<PyItsFit> {
    let spec = spec(spec_json)?;
    let n = columns.y.len()?;
    let series = columns.series(0, n)?;
    let fit = run(py, || core_fit(&series, &spec))?;
    Ok(PyItsFit {
        inner: Arc::new(fit),
    })
}

/// Fit many series (rows `bounds[i]..bounds[i+1]`): a fit or an error message per series. With
/// `times`, series `i`'s first interruption is at `times[i]`.
#[pyfunction]
#[pyo3(signature = (columns, bounds, spec_json, times=None))]
pub fn its_fit_many(
    py: Python<'_>,
    columns: Columns<'_>,
    bounds: Vec<usize>,
    spec_json: &str,
    times: Option<Vec<f64>>,
) -> PyResult<Vec<(Option<PyItsFit>, Option<String>)>> {
    let spec = spec(spec_json)?;
    let jobs: Vec<(Series<'_>, ItsSpec)> = bounds
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            let mut s = spec.clone();
            if let (Some(t), Some(first)) = (&times, s.interruptions.first_mut()) {
                first.time = t.get(i).copied().unwrap_or(f64::NAN);
            }
            Ok((columns.series(w[0], w[1])?, s))
        })
        .collect::<PyResult<_>>()?;
    let fits = run(py, || Ok(fit_each(&jobs)))?;
    Ok(fits
        .into_iter()
        .map(|r| match r {
            Ok(f) => (Some(PyItsFit { inner: Arc::new(f) }), None),
            Err(e) => (None, Some(to_py(py, e).to_string())),
        })
        .collect())
}

/// Placebo fits at every admissible pre-period date: a list of (time, fit), and how the real fit's
/// intervention terms rank among them (JSON).
#[pyfunction]
pub fn its_placebo(
    py: Python<'_>,
    real: &PyItsFit,
    columns: Columns<'_>,
    spec_json: &str,
) -> PyResult<(Vec<(f64, PyItsFit)>, String)> {
    let spec = spec(spec_json)?;
    let n = columns.y.len()?;
    let series = columns.series(0, n)?;
    let fits = run(py, || placebo(&series, &spec))?;
    let shares = placebo_shares(&real.inner, &fits);
    let shares = serde_json::to_string(&shares).map_err(|e| json_err("placebo", e))?;
    let fits = fits
        .into_iter()
        .map(|p| {
            (
                p.time,
                PyItsFit {
                    inner: Arc::new(p.fit),
                },
            )
        })
        .collect();
    Ok((fits, shares))
}

/// Pool per-unit estimates: a weighted mean with its SE and interval (`raa_impact.inference::pool`);
/// `weights=None` is inverse variance. Returns (estimate, se, ci_low, ci_high).
#[pyfunction]
#[pyo3(signature = (estimates, se, weights, level))]
pub fn pool_estimates(
    py: Python<'_>,
    estimates: Vec<f64>,
    se: Vec<f64>,
    weights: Option<Vec<f64>>,
    level: f64,
) -> PyResult<(f64, f64, f64, f64)> {
    let p = raa_impact::inference::pool::weighted_mean(&estimates, &se, weights.as_deref(), level)
        .map_err(|e| to_py(py, e))?;
    Ok((p.estimate, p.se, p.ci.0, p.ci.1))
}
