//! SSDA903, the DfE's children-looked-after return: reading, validating and stacking returns.
//!
//! * [`tables`] — the row types of the four tables used (Header, Episodes, AD1, PlacedAdoption)
//!   and the [`Returns`] container.
//! * [`problem`] — one validation problem as a row.
//! * `read` — CSV reading (encodings, date formats, LA/year from the path).
//! * `codes` — the DfE code lists.
//! * `validate` — code-list and date-order rules.
//! * `dedup` — stacking several years of returns and keeping the latest version of each episode.

pub mod codes;
pub mod dedup;
pub mod la_check;
pub mod problem;
pub mod read;
pub mod strict;
pub mod tables;
pub mod validate;

pub use problem::{Problem, Severity};
pub use tables::{
    Ad1Row, EpisodeRow, FileInfo, HeaderRow, PlacedAdoptionRow, Returns, Source, Table,
};
