//! `Registry`: the RAA registry held in Rust; its tables are handed to Python as columns.

use crate::columns::Columns;
use crate::errors::run;
use pyo3::prelude::*;
use pyo3::types::PyList;
use raa_impact::data::date::{from_epoch_days, Date};
use raa_impact::data::registry::{self, Membership, Milestone, MilestoneKind, Registry};
use std::path::PathBuf;
use std::sync::Arc;

/// The RAA registry (use `raa_impact.load_registry`).
#[pyclass(name = "Registry", module = "raa_impact._core", frozen)]
pub struct PyRegistry {
    pub inner: Arc<Registry>,
}

pub use raa_impact::data::registry::read::{
    confidence_name as confidence, precision_name as precision,
};
use raa_impact::data::registry::read::{
    model_name as model, parse_confidence, parse_kind, parse_precision,
};

/// Parse a milestone name as Python passes it.
pub fn milestone_kind(name: &str) -> PyResult<MilestoneKind> {
    parse_kind(name).ok_or_else(|| {
        crate::errors::arg(
            "milestone",
            format!("{name:?}; expected agreement, soft_launch, go_live or full_integration"),
        )
    })
}

fn date_arg(name: &str, days: i64) -> PyResult<Date> {
    from_epoch_days(days).ok_or_else(|| crate::errors::arg(name, "date out of range"))
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

    /// A copy with a membership added (checked: no overlap, known LA and RAA).
    #[pyo3(signature = (la_code, raa_id, valid_from, valid_to=None, confidence="high", source_url=String::new(), note=String::new()))]
    #[allow(clippy::too_many_arguments)]
    fn with_membership(
        &self,
        py: Python<'_>,
        la_code: String,
        raa_id: String,
        valid_from: i64,
        valid_to: Option<i64>,
        confidence: &str,
        source_url: String,
        note: String,
    ) -> PyResult<PyRegistry> {
        let m = Membership {
            la_code,
            raa_id,
            valid_from: date_arg("valid_from", valid_from)?,
            valid_to: valid_to.map(|d| date_arg("valid_to", d)).transpose()?,
            confidence: parse_confidence(confidence).ok_or_else(|| {
                crate::errors::arg("confidence", "expected high, medium, low or none")
            })?,
            source_url,
            note,
        };
        let r = (*self.inner).clone();
        let r = run(py, move || r.with_membership(m))?;
        Ok(PyRegistry { inner: Arc::new(r) })
    }

    /// A copy with the LA's open membership of `raa_id` ended on `valid_to`.
    fn end_membership(
        &self,
        py: Python<'_>,
        la_code: String,
        raa_id: String,
        valid_to: i64,
    ) -> PyResult<PyRegistry> {
        let to = date_arg("valid_to", valid_to)?;
        let r = (*self.inner).clone();
        let r = run(py, move || r.end_membership(&la_code, &raa_id, to))?;
        Ok(PyRegistry { inner: Arc::new(r) })
    }

    /// A copy with a milestone set (replacing one of the same kind; order checked).
    #[pyo3(signature = (raa_id, kind, date, precision="day", confidence="high", source_url=String::new(), note=String::new()))]
    #[allow(clippy::too_many_arguments)]
    fn with_milestone(
        &self,
        py: Python<'_>,
        raa_id: String,
        kind: &str,
        date: i64,
        precision: &str,
        confidence: &str,
        source_url: String,
        note: String,
    ) -> PyResult<PyRegistry> {
        let m = Milestone {
            kind: milestone_kind(kind)?,
            date: date_arg("date", date)?,
            precision: parse_precision(precision)
                .ok_or_else(|| crate::errors::arg("precision", "expected day, month or year"))?,
            confidence: parse_confidence(confidence).ok_or_else(|| {
                crate::errors::arg("confidence", "expected high, medium, low or none")
            })?,
            source_url,
            note,
        };
        let r = (*self.inner).clone();
        let r = run(py, move || r.with_milestone(&raa_id, m))?;
        Ok(PyRegistry { inner: Arc::new(r) })
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
