//! Covariate balance between two weighted groups (what cobalt and MatchIt's `summary()` report):
//! standardised mean differences, variance ratios, eCDF statistics and effective sample sizes.
//! It reads numbers and weights only, so it serves matching and weighting alike.

pub mod ecdf;
pub mod moments;
pub mod table;
mod thin;

pub use table::{
    balance_rows, balance_table, ecdf_differences, Adjusted, BalanceColumn, BalanceRow,
    BalanceStats, SdBasis,
};
