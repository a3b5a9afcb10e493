//! # raa-impact
//!
//! Measure whether England's regional adoption agencies (RAAs) changed how fast children with an
//! adoption plan find a family.
//!
//! The crate is organised so that data flows one way:
//!
//! * [`data`] — the domain layer: SSDA903 returns ([`data::ssda903`]), adoption journeys
//!   ([`data::journeys`]), the RAA registry and exposure ([`data::registry`], [`data::exposure`]),
//!   scorecard indicators ([`data::scorecard`]) and LA/RAA-period panels ([`data::panel`]).
//! * [`synthetic`] — synthetic England, the embedded default data set, with the true effects beside it.
//!
//! Estimators (added by later modules) take plain numeric designs and know nothing about adoption;
//! the domain layer knows nothing about estimation.
//!
//! ```
//! use raa_impact::data::date::parse_date;
//! let d = parse_date("31/03/2018").unwrap();
//! assert_eq!(d.to_string(), "2018-03-31");
//! ```
#![forbid(unsafe_code)]

pub mod balance;
mod branch_free;
pub mod data;
pub mod diagnostics;
pub mod did;
pub mod error;
pub mod float_order;
pub mod glm;
pub mod gls;
pub mod inference;
pub mod its;
pub mod mixed;
pub mod psm;
pub mod randomisation;
pub mod row_set;
pub mod sensitivity;
pub mod survival;
pub mod synthetic;
pub mod twfe;
mod value_buckets;
pub mod weighting;

pub use error::{Error, Result};

/// The README's Rust example, compiled as a doctest so that it cannot go stale.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
