//! Column bundles handed to Python: `[(name, kind, values, mask)]`, read by `raa_impact._frames`.
//!
//! Numbers travel as numpy arrays (moved, not copied); strings as Python lists. Dates are days since
//! 1970-01-01 with missing dates as `i64::MIN`, which numpy reads as `NaT`.

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyList;
use raa_impact::data::date::{epoch_days, Date};

/// Missing-date sentinel shared with numpy (`NaT`).
pub const NAT: i64 = i64::MIN;

/// A column bundle under construction.
#[derive(Default)]
pub struct Columns {
    cols: Vec<(String, Col)>,
}

enum Col {
    Date(Vec<i64>),
    Int(Vec<i64>),
    OptInt(Vec<i64>, Vec<bool>),
    Float(Vec<f64>),
    OptFloat(Vec<f64>, Vec<bool>),
    Bool(Vec<bool>),
    OptBool(Vec<bool>, Vec<bool>),
    Str(Vec<String>),
    OptStr(Vec<Option<String>>),
}

impl Columns {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn date(&mut self, name: &str, v: impl Iterator<Item = Option<Date>>) -> &mut Self {
        self.push(
            name,
            Col::Date(v.map(|d| d.map_or(NAT, epoch_days)).collect()),
        )
    }

    pub fn int(&mut self, name: &str, v: impl Iterator<Item = i64>) -> &mut Self {
        self.push(name, Col::Int(v.collect()))
    }

    pub fn opt_int(&mut self, name: &str, v: impl Iterator<Item = Option<i64>>) -> &mut Self {
        let (vals, mask) = v.map(|x| (x.unwrap_or(0), x.is_none())).unzip();
        self.push(name, Col::OptInt(vals, mask))
    }

    pub fn float(&mut self, name: &str, v: impl Iterator<Item = f64>) -> &mut Self {
        self.push(name, Col::Float(v.collect()))
    }

    pub fn opt_float(&mut self, name: &str, v: impl Iterator<Item = Option<f64>>) -> &mut Self {
        let (vals, mask) = v.map(|x| (x.unwrap_or(0.0), x.is_none())).unzip();
        self.push(name, Col::OptFloat(vals, mask))
    }

    pub fn bool(&mut self, name: &str, v: impl Iterator<Item = bool>) -> &mut Self {
        self.push(name, Col::Bool(v.collect()))
    }

    pub fn opt_bool(&mut self, name: &str, v: impl Iterator<Item = Option<bool>>) -> &mut Self {
        let (vals, mask) = v.map(|x| (x.unwrap_or(false), x.is_none())).unzip();
        self.push(name, Col::OptBool(vals, mask))
    }

    pub fn str<S: Into<String>>(&mut self, name: &str, v: impl Iterator<Item = S>) -> &mut Self {
        self.push(name, Col::Str(v.map(Into::into).collect()))
    }

    pub fn opt_str<S: Into<String>>(
        &mut self,
        name: &str,
        v: impl Iterator<Item = Option<S>>,
    ) -> &mut Self {
        self.push(name, Col::OptStr(v.map(|s| s.map(Into::into)).collect()))
    }

    fn push(&mut self, name: &str, col: Col) -> &mut Self {
        self.cols.push((name.to_string(), col));
        self
    }

    /// Hand the bundle to Python.
    pub fn into_py(self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let list = PyList::empty(py);
        for (name, col) in self.cols {
            let none = py.None();
            let item: (String, &str, PyObject, PyObject) = match col {
                Col::Date(v) => (name, "date", v.into_pyarray(py).into_any().unbind(), none),
                Col::Int(v) => (name, "int", v.into_pyarray(py).into_any().unbind(), none),
                Col::OptInt(v, m) => (
                    name,
                    "opt_int",
                    v.into_pyarray(py).into_any().unbind(),
                    m.into_pyarray(py).into_any().unbind(),
                ),
                Col::Float(v) => (name, "float", v.into_pyarray(py).into_any().unbind(), none),
                Col::OptFloat(v, m) => (
                    name,
                    "opt_float",
                    v.into_pyarray(py).into_any().unbind(),
                    m.into_pyarray(py).into_any().unbind(),
                ),
                Col::Bool(v) => (name, "bool", v.into_pyarray(py).into_any().unbind(), none),
                Col::OptBool(v, m) => (
                    name,
                    "opt_bool",
                    v.into_pyarray(py).into_any().unbind(),
                    m.into_pyarray(py).into_any().unbind(),
                ),
                Col::Str(v) => (name, "str", PyList::new(py, v)?.into_any().unbind(), none),
                Col::OptStr(v) => (
                    name,
                    "opt_str",
                    PyList::new(py, v)?.into_any().unbind(),
                    none,
                ),
            };
            list.append(item)?;
        }
        Ok(list.unbind())
    }
}
