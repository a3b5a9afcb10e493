//! `Registry`: the RAA registry held in Rust; its tables are handed to Python as columns.

use crate::columns::Columns;
use crate::errors::run;
use pyo3::prelude::*;
use pyo3::types::PyList;
use raa_impact::data::registry::{
    self, Confidence, DatePrecision, MilestoneKind, RaaModel, Registry,
};
use std::path::PathBuf;
use std::sync::Arc;

/// The RAA registry (use `raa_impact.load_registry`).
#[pyclass(name = "Registry", module = "raa_impact._core", frozen)]
pub struct PyRegistry {
    pub inner: Arc<Registry>,
}

pub fn confidence(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
        Confidence::None => "none",
    }
}

pub fn precision(p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Day => "day",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
    }
}

fn model(m: RaaModel) -> &'static str {
    match m {
        RaaModel::Hosted => "hosted",
        RaaModel::LaCompany => "la_company",
        RaaModel::Partnership => "partnership",
        RaaModel::VaaLed => "vaa_led",
        RaaModel::Unknown => "unknown",
    }
}

/// Parse a milestone name as Python passes it.
pub fn milestone_kind(name: &str) -> PyResult<MilestoneKind> {
    Ok(match name {
        "agreement" => MilestoneKind::Agreement,
        "soft_launch" => MilestoneKind::SoftLaunch,
        "go_live" => MilestoneKind::GoLive,
        "full_integration" => MilestoneKind::FullIntegration,
        other => {
            return Err(crate::errors::arg(
                "milestone",
                format!("{other:?}; expected agreement, soft_launch, go_live or full_integration"),
            ))
        }
    })
}

#[pymethods]
impl PyRegistry {
    fn las(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let l = &self.inner.las;
        let mut c = Columns::new();
        c.str("dfe_code", l.iter().map(|x| x.dfe_code.clone()))
            .str("ons_code", l.iter().map(|x| x.ons_code.clone()))
            .str("name", l.iter().map(|x| x.name.clone()))
            .str("region", l.iter().map(|x| x.region.clone()))
            .date("start_date", l.iter().map(|x| x.start_date))
            .date("end_date", l.iter().map(|x| x.end_date))
            .str("successors", l.iter().map(|x| x.successors.join(";")));
        c.into_py(py)
    }

    fn raas(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let r = &self.inner.raas;
        let mut c = Columns::new();
        c.str("raa_id", r.iter().map(|x| x.id.clone()))
            .str("name", r.iter().map(|x| x.name.clone()))
            .str("model", r.iter().map(|x| model(x.model)))
            .str("host", r.iter().map(|x| x.host.clone()))
            .date(
                "go_live",
                r.iter()
                    .map(|x| x.milestone(MilestoneKind::GoLive).map(|m| m.date)),
            )
            .str("confidence", r.iter().map(|x| confidence(x.confidence)))
            .str("source_url", r.iter().map(|x| x.source_url.clone()))
            .str("note", r.iter().map(|x| x.note.clone()));
        c.into_py(py)
    }

    fn milestones(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let rows: Vec<_> = self
            .inner
            .raas
            .iter()
            .flat_map(|r| r.milestones.iter().map(move |m| (r, m)))
            .collect();
        let mut c = Columns::new();
        c.str("raa_id", rows.iter().map(|(r, _)| r.id.clone()))
            .str("kind", rows.iter().map(|(_, m)| m.kind.name()))
            .date("date", rows.iter().map(|(_, m)| Some(m.date)))
            .str(
                "precision",
                rows.iter().map(|(_, m)| precision(m.precision)),
            )
            .str(
                "confidence",
                rows.iter().map(|(_, m)| confidence(m.confidence)),
            )
            .str("source_url", rows.iter().map(|(_, m)| m.source_url.clone()))
            .str("note", rows.iter().map(|(_, m)| m.note.clone()));
        c.into_py(py)
    }

    fn memberships(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let m = &self.inner.memberships;
        let mut c = Columns::new();
        c.str("la_code", m.iter().map(|x| x.la_code.clone()))
            .str("raa_id", m.iter().map(|x| x.raa_id.clone()))
            .date("valid_from", m.iter().map(|x| Some(x.valid_from)))
            .date("valid_to", m.iter().map(|x| x.valid_to))
            .str("confidence", m.iter().map(|x| confidence(x.confidence)))
            .str("source_url", m.iter().map(|x| x.source_url.clone()))
            .str("note", m.iter().map(|x| x.note.clone()));
        c.into_py(py)
    }

    /// Write the registry's four CSV files into `folder`.
    fn to_dir(&self, py: Python<'_>, folder: PathBuf) -> PyResult<()> {
        let r = self.inner.clone();
        run(py, move || registry::write::to_dir(&r, &folder))
    }

    fn summary(&self) -> String {
        let r = &self.inner;
        let mut s = format!(
            "RAA registry: {} LAs, {} RAAs, {} memberships\n",
            r.las.len(),
            r.raas.len(),
            r.memberships.len()
        );
        for raa in &r.raas {
            let members = r.memberships.iter().filter(|m| m.raa_id == raa.id).count();
            let gl = raa
                .milestone(MilestoneKind::GoLive)
                .map(|m| format!("{} ({})", m.date, precision(m.precision)))
                .unwrap_or_else(|| "go-live unknown".into());
            s.push_str(&format!(
                "  {:<45} {:>2} LAs  {}  [{}]\n",
                raa.name,
                members,
                gl,
                confidence(raa.confidence)
            ));
        }
        s
    }
}

/// Load the bundled registry, or a user's from a folder.
#[pyfunction]
#[pyo3(signature = (path=None))]
pub fn load_registry(py: Python<'_>, path: Option<PathBuf>) -> PyResult<PyRegistry> {
    let r = run(py, move || match path {
        None => registry::load::bundled(),
        Some(p) => registry::load::from_dir(&p),
    })?;
    Ok(PyRegistry { inner: Arc::new(r) })
}
