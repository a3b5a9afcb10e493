//! Typed errors of the core crate.
//!
//! Every error names where the problem is (file, table, row, column) and the rule that was broken,
//! so that a user can find and fix the offending record. The Python binding maps each variant onto a
//! `ValueError` subclass (`ri.DataError`, `ri.RegistryError`, ...).

use serde::Serialize;
use thiserror::Error;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in the input a problem sits. Any part may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// File path as given by the user (or a synthetic name such as `<memory>`).
    pub file: Option<String>,
    /// Table name, e.g. `Episodes`.
    pub table: Option<String>,
    /// 1-based data row (the header line is row 0).
    pub row: Option<u64>,
    /// Column name, e.g. `DECOM`.
    pub column: Option<String>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(t) = &self.table {
            parts.push(format!("table {t}"));
        }
        if let Some(fl) = &self.file {
            parts.push(format!("file {fl}"));
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column {c}"));
        }
        if parts.is_empty() {
            write!(f, "<input>")
        } else {
            write!(f, "{}", parts.join(", "))
        }
    }
}

/// Errors raised by the core crate.
#[derive(Debug, Error)]
pub enum Error {
    /// The input data break a rule (bad value, missing column, unparseable file, ...).
    #[error("{location}: {message} (rule {rule})")]
    Data {
        /// Boxed so that `Result<T, Error>` stays small on the hot, error-free path.
        location: Box<Location>,
        rule: String,
        message: String,
    },
    /// The RAA registry is inconsistent (overlapping memberships, milestones out of order, ...).
    #[error("registry: {message}")]
    Registry { message: String },
    /// An option passed by the caller is invalid.
    #[error("invalid argument `{name}`: {message}")]
    Argument { name: String, message: String },
    /// An operating-system I/O error, with the path involved.
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Shorthand for a data error.
    pub fn data(location: Location, rule: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Data {
            location: Box::new(location),
            rule: rule.into(),
            message: message.into(),
        }
    }

    /// Shorthand for an argument error.
    pub fn argument(name: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Argument {
            name: name.into(),
            message: message.into(),
        }
    }

    /// Shorthand for a registry error.
    pub fn registry(message: impl Into<String>) -> Self {
        Error::Registry {
            message: message.into(),
        }
    }

    /// Shorthand for an I/O error on `path`.
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
