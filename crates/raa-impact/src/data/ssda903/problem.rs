//! A validation problem: one row of `returns.validate()`.

use super::tables::Table;
use serde::Serialize;

/// How serious a problem is. Errors exclude the record from journey derivation; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub table: Table,
    pub file: String,
    /// 1-based data row within `file` (`0` for file-level problems such as a missing column).
    pub row: u64,
    pub la: String,
    pub child: String,
    pub field: String,
    /// Short rule identifier, e.g. `code_list`, `date_order_adm_match`, `missing_column`.
    pub rule: String,
    /// The offending value as found in the file.
    pub value: String,
    /// A sentence saying what was expected.
    pub message: String,
    pub severity: Severity,
}
