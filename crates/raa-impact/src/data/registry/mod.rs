//! The RAA registry: which LA belonged to which RAA when, and each RAA's dated milestones.
//!
//! * [`types`] — the registry's rows.
//! * [`load`] — the bundled registry (CSV files compiled into the crate) or a user's folder.
//! * [`read`] / [`write`](mod@write) — the four CSV files (`las.csv`, `raas.csv`, `milestones.csv`,
//!   `memberships.csv`).
//! * [`check`] — consistency (no LA in two RAAs at once, milestones in order, known keys),
//!   run on every load and amendment.
//! * [`amend`] — builder methods on [`Registry`] (`with_membership`, `with_milestone`, `amend`, ...).
//! * [`query`] — `milestone_for_la`, `raa_of`, `joined`.
//! * [`names`] — resolving LA names as sources write them (`la_by_name`).

pub mod amend;
pub mod check;
pub mod load;
pub mod names;
pub mod query;
pub mod read;
pub mod types;
pub mod write;

pub use types::{
    Confidence, DatePrecision, LocalAuthority, Membership, Milestone, MilestoneKind, Raa, RaaModel,
    Registry,
};
