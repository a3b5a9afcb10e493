//! The result of journey derivation: the journeys, the records left out and why, and counts.

use super::journey::Journey;
use crate::data::date::Date;
use crate::data::ssda903::Table;
use serde::Serialize;

/// Rows of each SSDA903 table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    pub header: u64,
    pub episodes: u64,
    pub ad1: u64,
    pub placed_adoption: u64,
}

impl RowCounts {
    /// The count for `table`.
    pub fn get(&self, table: Table) -> u64 {
        match table {
            Table::Header => self.header,
            Table::Episodes => self.episodes,
            Table::Ad1 => self.ad1,
            Table::PlacedAdoption => self.placed_adoption,
        }
    }

    /// Add `n` rows to `table`.
    pub fn add(&mut self, table: Table, n: u64) {
        match table {
            Table::Header => self.header += n,
            Table::Episodes => self.episodes += n,
            Table::Ad1 => self.ad1 += n,
            Table::PlacedAdoption => self.placed_adoption += n,
        }
    }

    /// Add every count of `other`.
    pub fn merge(&mut self, other: &RowCounts) {
        for t in Table::ALL {
            self.add(t, other.get(t));
        }
    }

    /// Rows over all tables.
    pub fn total(&self) -> u64 {
        Table::ALL.iter().map(|&t| self.get(t)).sum()
    }
}

/// Records of one child and one table that did not go into any journey, and why.
///
/// Rows are grouped: one entry per (LA, child, table, reason) with the number of rows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LeftOut {
    /// DfE 3-digit LA code.
    pub la: String,
    /// The child's SSDA903 key.
    pub child: String,
    pub table: Table,
    /// Number of rows of `table` left out for this reason.
    pub rows: u64,
    /// Why, e.g. `child has invalid records: rule date_order_decom_dec`.
    pub reason: String,
}

/// Journeys derived from a set of returns, with the accounting of every input row.
///
/// For every table, `rows_used` plus the `rows` of the matching [`LeftOut`] entries equals the
/// number of input rows: nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JourneySet {
    /// One row per period of care reaching an adoption decision, sorted by (LA, child, period).
    pub journeys: Vec<Journey>,
    /// Records not used, sorted by (LA, child, table, reason).
    pub left_out: Vec<LeftOut>,
    /// The data cut used for censoring.
    pub cut_date: Date,
    /// Distinct (LA, child) keys found in any table.
    pub children_seen: u64,
    /// Children with at least one journey.
    pub children_with_adm: u64,
    /// Children whose records were all left out (invalid or inconsistent records).
    pub children_left_out: u64,
    /// Periods of care found among the children kept (with or without an adoption decision).
    pub periods: u64,
    /// Periods whose first episode is not RNE S (the returns start mid-period): their entry date
    /// is the first DECOM seen, so their entry-based durations are too short.
    pub periods_left_truncated: u64,
    /// Input rows that went into the derivation (see the module documentation).
    pub rows_used: RowCounts,
}

impl JourneySet {
    /// Left-out rows of each table.
    pub fn rows_left_out(&self) -> RowCounts {
        let mut c = RowCounts::default();
        for l in &self.left_out {
            c.add(l.table, l.rows);
        }
        c
    }
}
