//! `Returns`: stacked SSDA903 returns held in Rust; tables are handed to Python as columns.

use crate::columns::Columns;
use crate::errors::{arg, run};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use raa_impact::data::ssda903::{self, validate::validate, Problem, Returns, Severity, Source};
use std::path::PathBuf;
use std::sync::Arc;

/// Stacked SSDA903 returns (use `raa_impact.read_ssda903`).
#[pyclass(name = "Returns", module = "raa_impact._core", frozen)]
pub struct PyReturns {
    pub inner: Arc<Returns>,
}

fn source_columns<'a>(c: &mut Columns, r: &Returns, src: impl Iterator<Item = &'a Source> + Clone) {
    c.str("la", src.clone().map(|s| s.la.clone()));
    c.int("year", src.clone().map(|s| s.year as i64));
    c.str("file", src.clone().map(|s| r.file_of(s).to_string()));
    c.int("row", src.map(|s| s.row as i64));
}

fn header(r: &Returns) -> Columns {
    let t = &r.header;
    let mut c = Columns::new();
    source_columns(&mut c, r, t.iter().map(|x| &x.src));
    c.str("CHILD", t.iter().map(|x| x.child.clone()))
        .str("SEX", t.iter().map(|x| x.sex.clone()))
        .date("DOB", t.iter().map(|x| x.dob))
        .str("ETHNIC", t.iter().map(|x| x.ethnic.clone()))
        .opt_bool("SIBLING_GROUP", t.iter().map(|x| x.sibling_group))
        .opt_bool("DISABILITY", t.iter().map(|x| x.disability));
    c
}

fn episodes(r: &Returns) -> Columns {
    let t = &r.episodes;
    let mut c = Columns::new();
    source_columns(&mut c, r, t.iter().map(|x| &x.src));
    c.str("CHILD", t.iter().map(|x| x.child.clone()))
        .date("DECOM", t.iter().map(|x| x.decom))
        .str("RNE", t.iter().map(|x| x.rne.clone()))
        .str("LS", t.iter().map(|x| x.ls.clone()))
        .str("CIN", t.iter().map(|x| x.cin.clone()))
        .str("PLACE", t.iter().map(|x| x.place.clone()))
        .str("PLACE_PROVIDER", t.iter().map(|x| x.place_provider.clone()))
        .date("DEC", t.iter().map(|x| x.dec))
        .str("REC", t.iter().map(|x| x.rec.clone()))
        .str(
            "REASON_PLACE_CHANGE",
            t.iter().map(|x| x.reason_place_change.clone()),
        )
        .str("HOME_POST", t.iter().map(|x| x.home_post.clone()))
        .str("PL_POST", t.iter().map(|x| x.pl_post.clone()))
        .str("URN", t.iter().map(|x| x.urn.clone()));
    c
}

fn ad1(r: &Returns) -> Columns {
    let t = &r.ad1;
    let mut c = Columns::new();
    source_columns(&mut c, r, t.iter().map(|x| &x.src));
    c.str("CHILD", t.iter().map(|x| x.child.clone()))
        .date("DOB", t.iter().map(|x| x.dob))
        .date("DATE_INT", t.iter().map(|x| x.date_int))
        .date("DATE_MATCH", t.iter().map(|x| x.date_match))
        .str("FOSTER_CARE", t.iter().map(|x| x.foster_care.clone()))
        .str("NB_ADOPTR", t.iter().map(|x| x.nb_adoptr.clone()))
        .str("SEX_ADOPTR", t.iter().map(|x| x.sex_adoptr.clone()))
        .str("LS_ADOPTR", t.iter().map(|x| x.ls_adoptr.clone()));
    c
}

fn placed_adoption(r: &Returns) -> Columns {
    let t = &r.placed_adoption;
    let mut c = Columns::new();
    source_columns(&mut c, r, t.iter().map(|x| &x.src));
    c.str("CHILD", t.iter().map(|x| x.child.clone()))
        .date("DOB", t.iter().map(|x| x.dob))
        .date("DATE_PLACED", t.iter().map(|x| x.date_placed))
        .date("DATE_PLACED_CEASED", t.iter().map(|x| x.date_placed_ceased))
        .str(
            "REASON_PLACED_CEASED",
            t.iter().map(|x| x.reason_placed_ceased.clone()),
        );
    c
}

/// Problems as columns (shared with journeys' left-out report).
pub fn problem_columns(p: &[Problem]) -> Columns {
    let mut c = Columns::new();
    c.str("table", p.iter().map(|x| x.table.name()))
        .str("file", p.iter().map(|x| x.file.clone()))
        .int("row", p.iter().map(|x| x.row as i64))
        .str("la", p.iter().map(|x| x.la.clone()))
        .str("child", p.iter().map(|x| x.child.clone()))
        .str("field", p.iter().map(|x| x.field.clone()))
        .str("rule", p.iter().map(|x| x.rule.clone()))
        .str("value", p.iter().map(|x| x.value.clone()))
        .str("message", p.iter().map(|x| x.message.clone()))
        .str(
            "severity",
            p.iter().map(|x| match x.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }),
        );
    c
}

/// A short text summary of the returns.
pub fn summary(r: &Returns) -> String {
    let mut las: Vec<&str> = r.files.iter().map(|f| f.la.as_str()).collect();
    las.sort_unstable();
    las.dedup();
    let years: Vec<i32> = r.files.iter().map(|f| f.year).collect();
    let span = match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) => format!("collection years {a}–{b}"),
        _ => "no files".to_string(),
    };
    format!(
        "SSDA903 returns: {} files, {} LAs, {span}\n  Header {} rows, Episodes {} rows, AD1 {} rows, PlacedAdoption {} rows\n  superseded repeats dropped: {} episodes, {} header rows",
        r.files.len(),
        las.len(),
        r.header.len(),
        r.episodes.len(),
        r.ad1.len(),
        r.placed_adoption.len(),
        r.superseded.episodes,
        r.superseded.header,
    )
}

#[pymethods]
impl PyReturns {
    /// A table as columns: `header`, `episodes`, `ad1` or `placed_adoption`.
    fn table(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyList>> {
        let r = &self.inner;
        let cols = match name {
            "header" => header(r),
            "episodes" => episodes(r),
            "ad1" => ad1(r),
            "placed_adoption" => placed_adoption(r),
            other => {
                return Err(arg(
                    "name",
                    format!(
                    "unknown table {other:?}; expected header, episodes, ad1 or placed_adoption"
                ),
                ))
            }
        };
        cols.into_py(py)
    }

    /// Every file read.
    fn files(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let f = &self.inner.files;
        let mut c = Columns::new();
        c.str("path", f.iter().map(|x| x.path.clone()))
            .str("table", f.iter().map(|x| x.table.name()))
            .str("la", f.iter().map(|x| x.la.clone()))
            .int("year", f.iter().map(|x| x.year as i64))
            .int("rows", f.iter().map(|x| x.rows as i64))
            .str("encoding", f.iter().map(|x| x.encoding.clone()));
        c.into_py(py)
    }

    /// Every validation problem; with a registry, also LA codes it does not know.
    #[pyo3(signature = (registry=None))]
    fn validate(
        &self,
        py: Python<'_>,
        registry: Option<&crate::registry::PyRegistry>,
    ) -> PyResult<Py<PyList>> {
        let r = self.inner.clone();
        let reg = registry.map(|g| g.inner.clone());
        let problems = run(py, move || {
            let mut p = validate(&r).problems;
            if let Some(reg) = reg {
                p.extend(ssda903::la_check::check_las(&r, &reg));
            }
            Ok(p)
        })?;
        problem_columns(&problems).into_py(py)
    }

    /// Superseded repeats dropped per table.
    fn superseded<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = &self.inner.superseded;
        let d = PyDict::new(py);
        d.set_item("header", s.header)?;
        d.set_item("episodes", s.episodes)?;
        d.set_item("ad1", s.ad1)?;
        d.set_item("placed_adoption", s.placed_adoption)?;
        Ok(d)
    }

    /// CSV files found but not read.
    fn skipped_files(&self) -> Vec<String> {
        self.inner.skipped_files.clone()
    }

    /// Write the returns as CSV files under `folder/<la>/<year>/<table>.csv`.
    fn write(&self, py: Python<'_>, folder: PathBuf) -> PyResult<()> {
        let r = self.inner.clone();
        run(py, move || {
            raa_impact::synthetic::write::write_returns(&r, &folder)
        })
    }

    fn summary(&self) -> String {
        summary(&self.inner)
    }

    fn __len__(&self) -> usize {
        self.inner.episodes.len()
    }
}

/// Read returns from files or folders.
#[pyfunction]
#[pyo3(signature = (paths, strict=false, la=None, year=None, stack=true))]
pub fn read_ssda903(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    strict: bool,
    la: Option<String>,
    year: Option<i32>,
    stack: bool,
) -> PyResult<PyReturns> {
    let opts = ssda903::read::ReadOptions {
        strict,
        default_la: la,
        default_year: year,
        stack,
    };
    // Strict mode stops at the first error, whether found while reading or by the rules.
    let r = run(py, move || {
        let r = ssda903::read::read_paths(&paths, &opts)?;
        if opts.strict {
            ssda903::strict::validate_strict(&r)?;
        }
        Ok(r)
    })?;
    Ok(PyReturns { inner: Arc::new(r) })
}
