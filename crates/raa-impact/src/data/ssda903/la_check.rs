//! Cross-check of returns against the RAA registry: an LA code the registry does not know.

use super::problem::{Problem, Severity};
use super::tables::Returns;
use crate::data::registry::Registry;

/// One warning per file whose LA code is not a DfE code in `registry` (rule `la_not_in_registry`):
/// its journeys cannot be linked to an RAA, and exposure will label them `unknown_la`.
///
/// ```
/// use raa_impact::data::{registry::load::bundled, ssda903::{la_check::check_las, Returns}};
/// assert!(check_las(&Returns::default(), &bundled().unwrap()).is_empty());
/// ```
pub fn check_las(returns: &Returns, registry: &Registry) -> Vec<Problem> {
    returns
        .files
        .iter()
        .filter(|f| registry.la(&f.la).is_none())
        .map(|f| Problem {
            table: f.table,
            file: f.path.clone(),
            row: 0,
            la: f.la.to_string(),
            child: String::new(),
            field: "LA".into(),
            rule: "la_not_in_registry".into(),
            value: f.la.to_string(),
            message: "the LA code is not a DfE 3-digit code of the registry; its journeys cannot be linked to an RAA".into(),
            severity: Severity::Warning,
        })
        .collect()
}
