//! The RAA registry: which LA belonged to which RAA when, and each RAA's dated milestones.
//!
//! * [`types`] — the registry's rows.
//! * `load` — reading the bundled registry (CSV files compiled into the crate) or a user's files,
//!   and checking consistency (no LA in two RAAs at once, milestones in order).

pub mod load;
pub mod types;

pub use types::{
    Confidence, DatePrecision, LocalAuthority, Membership, Milestone, MilestoneKind, Raa, RaaModel,
    Registry,
};
