//! Error mapping: every core error becomes a typed Python exception, and a Rust panic is caught at
//! the boundary and raised as `InternalError` instead of crossing into Python.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use raa_impact::Error;

create_exception!(
    _core,
    RaaImpactError,
    PyValueError,
    "Base class of raa-impact's errors (a ValueError)."
);
create_exception!(
    _core,
    DataError,
    RaaImpactError,
    "The input data break a rule; see .file, .table, .row, .column, .rule."
);
create_exception!(
    _core,
    RegistryError,
    RaaImpactError,
    "The RAA registry is inconsistent."
);
create_exception!(
    _core,
    ArgumentError,
    RaaImpactError,
    "An option passed to a function is invalid."
);
create_exception!(
    _core,
    InternalError,
    RaaImpactError,
    "A bug in raa-impact (a Rust panic caught at the boundary); please report it."
);

/// Convert a core error into the matching Python exception, with location attributes.
pub fn to_py(py: Python<'_>, err: Error) -> PyErr {
    let msg = err.to_string();
    match err {
        Error::Data { location, rule, .. } => {
            let e = DataError::new_err(msg);
            let v = e.value(py);
            let _ = v.setattr("file", location.file);
            let _ = v.setattr("table", location.table);
            let _ = v.setattr("row", location.row);
            let _ = v.setattr("column", location.column);
            let _ = v.setattr("rule", rule);
            e
        }
        Error::Io { path, .. } => {
            let e = DataError::new_err(msg);
            let v = e.value(py);
            let _ = v.setattr("file", path);
            let _ = v.setattr("rule", "io");
            e
        }
        Error::Registry { .. } => RegistryError::new_err(msg),
        Error::Argument { .. } => ArgumentError::new_err(msg),
    }
}

/// Run `f` without the GIL, catching panics; map errors to Python exceptions.
pub fn run<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> raa_impact::Result<T> + Send,
) -> PyResult<T> {
    let out = py.allow_threads(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    match out {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_py(py, e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(InternalError::new_err(format!(
                "internal error (please report): {what}"
            )))
        }
    }
}

/// An argument error raised from the binding itself.
pub fn arg(name: &str, message: impl Into<String>) -> PyErr {
    ArgumentError::new_err(format!("invalid argument `{name}`: {}", message.into()))
}

/// Register the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("RaaImpactError", py.get_type::<RaaImpactError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add("RegistryError", py.get_type::<RegistryError>())?;
    m.add("ArgumentError", py.get_type::<ArgumentError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    Ok(())
}

/// Panic inside a core call on purpose, so that the tests can check a panic becomes
/// `InternalError` and never crosses into Python.
#[pyfunction]
pub fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    run(py, || -> raa_impact::Result<()> {
        panic!("deliberate panic for the tests")
    })
}
