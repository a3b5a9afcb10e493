//! `Synthetic`: synthetic England held in Rust; returns, registry and truth handed to Python.

use crate::columns::Columns;
use crate::errors::run;
use crate::registry::PyRegistry;
use crate::returns::PyReturns;
use pyo3::prelude::*;
use pyo3::types::PyList;
use raa_impact::synthetic::{self, SyntheticConfig};
use std::sync::Arc;

/// Generated synthetic England (use `raa_impact.synthetic.england`).
#[pyclass(name = "Synthetic", module = "raa_impact._core", frozen)]
pub struct PySynthetic {
    returns: Arc<raa_impact::data::ssda903::Returns>,
    registry: Arc<raa_impact::data::registry::Registry>,
    truth: synthetic::Truth,
    config: SyntheticConfig,
}

#[pymethods]
impl PySynthetic {
    fn returns(&self) -> PyReturns {
        PyReturns {
            inner: self.returns.clone(),
        }
    }

    fn registry(&self) -> PyRegistry {
        PyRegistry {
            inner: self.registry.clone(),
        }
    }

    fn config_json(&self) -> String {
        serde_json::to_string(&self.config).unwrap_or_else(|_| "{}".into())
    }

    /// One row per child with an adoption decision: milestones, flags, y0/y1 and the effect.
    fn truth_children(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let t = &self.truth.children;
        let mut c = Columns::new();
        c.str("la", t.iter().map(|x| x.la.clone()))
            .str("child", t.iter().map(|x| x.child.clone()))
            .date("dob", t.iter().map(|x| Some(x.dob)))
            .str("sex", t.iter().map(|x| x.sex.clone()))
            .str("ethnic", t.iter().map(|x| x.ethnic.clone()))
            .date("entry_date", t.iter().map(|x| Some(x.entry)))
            .date("adm_date", t.iter().map(|x| Some(x.adm)))
            .date("po_date", t.iter().map(|x| x.po_date))
            .date("match_date", t.iter().map(|x| x.matched))
            .date("placed_date", t.iter().map(|x| x.placed))
            .date("order_date", t.iter().map(|x| x.adopted))
            .date("ceased_date", t.iter().map(|x| x.ceased))
            .str(
                "outcome",
                t.iter().map(|x| format!("{:?}", x.outcome).to_lowercase()),
            )
            .bool(
                "foster_carer_adoption",
                t.iter().map(|x| x.foster_carer_adoption),
            )
            .bool("htp_age5plus", t.iter().map(|x| x.age5_at_adm))
            .bool("htp_black_or_mixed", t.iter().map(|x| x.black_or_mixed))
            .bool("htp_sibling_group", t.iter().map(|x| x.sibling_group))
            .bool("htp_disability", t.iter().map(|x| x.disability))
            .bool("harder_to_place", t.iter().map(|x| x.harder_to_place))
            .bool("exposed", t.iter().map(|x| x.exposed))
            .bool("bed_in", t.iter().map(|x| x.bed_in))
            .opt_int("y0_po_to_placed", t.iter().map(|x| x.y0_po_to_placed))
            .opt_int("y1_po_to_placed", t.iter().map(|x| x.y1_po_to_placed))
            .float("effect_days", t.iter().map(|x| x.effect_days));
        c.into_py(py)
    }

    /// One row per LA: RAA, go-live (imputed or not), size and share of the national totals.
    fn truth_las(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let t = &self.truth.las;
        let mut c = Columns::new();
        c.str("la", t.iter().map(|x| x.code.clone()))
            .str("name", t.iter().map(|x| x.name.clone()))
            .opt_str("raa_id", t.iter().map(|x| x.raa.clone()))
            .date("go_live", t.iter().map(|x| x.go_live))
            .bool("go_live_imputed", t.iter().map(|x| x.imputed))
            .float("size", t.iter().map(|x| x.size))
            .float("share", t.iter().map(|x| x.share));
        c.into_py(py)
    }
}

/// Generate synthetic England.
#[pyfunction]
#[pyo3(signature = (seed=0, effect=-14.0, effect_htp=-35.0, bed_in_days=183, bed_in_dip_days=10.0, scale=1.0, first_year=2011, last_year=2024))]
#[allow(clippy::too_many_arguments)]
pub fn synthetic_england(
    py: Python<'_>,
    seed: u64,
    effect: f64,
    effect_htp: f64,
    bed_in_days: i64,
    bed_in_dip_days: f64,
    scale: f64,
    first_year: i32,
    last_year: i32,
) -> PyResult<PySynthetic> {
    let config = SyntheticConfig {
        seed,
        first_year,
        last_year,
        effect_po_to_placed_days: effect,
        effect_htp_po_to_placed_days: effect_htp,
        bed_in_days,
        bed_in_dip_days,
        scale,
    };
    let (e, registry) = run(py, move || {
        let e = synthetic::england(&config)?;
        let registry = synthetic::registry::synthetic_registry()?;
        Ok((e, registry))
    })?;
    Ok(PySynthetic {
        returns: Arc::new(e.returns),
        registry: Arc::new(registry),
        truth: e.truth,
        config: e.config,
    })
}
