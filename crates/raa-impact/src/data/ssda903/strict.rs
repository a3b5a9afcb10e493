//! Strict mode: the first error-severity validation problem becomes an [`Error::Data`].

use super::problem::{Problem, Severity};
use super::tables::Returns;
use super::validate::{validate, Validation};
use crate::error::{Error, Location, Result};

/// Validate `returns` and fail at the first error-severity problem (in file, row and rule order),
/// naming its file, table, row, column and rule. Warnings do not fail.
///
/// ```
/// use raa_impact::data::ssda903::{strict::validate_strict, Returns};
/// assert!(validate_strict(&Returns::default()).is_ok());
/// ```
pub fn validate_strict(returns: &Returns) -> Result<Validation> {
    let v = validate(returns);
    match v.problems.iter().find(|p| p.severity == Severity::Error) {
        Some(p) => Err(to_error(p)),
        None => Ok(v),
    }
}

fn to_error(p: &Problem) -> Error {
    let location = Location {
        file: Some(p.file.clone()),
        table: Some(p.table.name().to_string()),
        row: Some(p.row),
        column: Some(p.field.clone()),
    };
    let message = format!(
        "LA {} child {}: value {:?}: {}",
        p.la, p.child, p.value, p.message
    );
    Error::data(location, p.rule.clone(), message)
}
