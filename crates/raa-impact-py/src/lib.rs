//! Thin pyo3 binding of the `raa-impact` core crate: converts types, releases the GIL, maps errors.
use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
