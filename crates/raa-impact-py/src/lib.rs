//! Thin pyo3 binding of the `raa-impact` core crate (the `raa_impact._core` extension module).
//!
//! It converts types (numpy arrays and lists in, column bundles out), releases the GIL around every
//! core call, catches panics at the boundary and maps core errors onto typed Python exceptions. It
//! computes nothing itself.

mod abadie_imbens;
mod columns;
mod did;
mod errors;
mod indicators;
mod its;
mod journeys;
mod mixed;
mod psm;
mod randomisation;
mod registry;
mod returns;
mod synthetic;
mod twfe;
mod weighting;

use pyo3::prelude::*;

// Large blocks are mapped one by one and returned at once (see `raa_impact_alloc`): the resident
// peak of a large match stays near its live heap.
#[global_allocator]
static ALLOCATOR: raa_impact_alloc::Allocator = raa_impact_alloc::Allocator;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_class::<returns::PyReturns>()?;
    m.add_class::<registry::PyRegistry>()?;
    m.add_class::<synthetic::PySynthetic>()?;
    m.add_class::<psm::PyMatchSet>()?;
    m.add_function(wrap_pyfunction!(psm::match_units, m)?)?;
    m.add_function(wrap_pyfunction!(abadie_imbens::ai_match, m)?)?;
    m.add_function(wrap_pyfunction!(weighting::weighting_effect, m)?)?;
    m.add_class::<its::PyItsFit>()?;
    m.add_function(wrap_pyfunction!(its::its_fit, m)?)?;
    m.add_function(wrap_pyfunction!(its::its_fit_many, m)?)?;
    m.add_function(wrap_pyfunction!(its::its_placebo, m)?)?;
    m.add_function(wrap_pyfunction!(its::pool_estimates, m)?)?;
    m.add_function(wrap_pyfunction!(
        randomisation::randomisation_phase_test,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(randomisation::randomisation_cs_test, m)?)?;
    m.add_function(wrap_pyfunction!(
        randomisation::randomisation_callable_test,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(twfe::twfe_fit, m)?)?;
    m.add_class::<did::PyAttGt>()?;
    m.add_function(wrap_pyfunction!(did::did_att_gt, m)?)?;
    m.add_class::<mixed::PyMixedFit>()?;
    m.add_function(wrap_pyfunction!(mixed::mixed_fit, m)?)?;
    m.add_function(wrap_pyfunction!(returns::read_ssda903, m)?)?;
    m.add_function(wrap_pyfunction!(journeys::derive_journeys, m)?)?;
    m.add_function(wrap_pyfunction!(registry::load_registry, m)?)?;
    m.add_function(wrap_pyfunction!(indicators::exposure, m)?)?;
    m.add_function(wrap_pyfunction!(indicators::scorecard, m)?)?;
    m.add_function(wrap_pyfunction!(indicators::la_panel, m)?)?;
    m.add_function(wrap_pyfunction!(indicators::controlled_series, m)?)?;
    m.add_function(wrap_pyfunction!(indicators::before_after, m)?)?;
    m.add_function(wrap_pyfunction!(synthetic::synthetic_england, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_panic_for_tests, m)?)?;
    Ok(())
}
