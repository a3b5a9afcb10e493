//! Staggered-adoption difference-in-differences (Callaway & Sant'Anna 2021), matching R `did` 2.5
//! on balanced panels: group-time effects ATT(g,t) with not-yet-treated or never-treated
//! comparisons, doubly robust / regression / IPW 2×2 estimators, varying or universal base
//! periods, anticipation; aggregations (simple, group, dynamic, calendar); the Wald pre-test;
//! analytic (optionally clustered) influence-function standard errors or a multiplier bootstrap
//! with uniform bands ([`crate::inference::multiplier`]).
//!
//! The module is domain-free: a panel is plain ids, periods, first-treated periods and outcomes
//! (see [`PanelInput`]). Pipeline, as in `did`: [`att_gt`] validates the input once and computes
//! every cell; [`aggregate`] and [`pretest`] read its result without recomputing it.

mod aggregate;
mod att_gt;
mod intercept_only;
mod options;
mod panel;
mod pretest;
mod se;
mod two_by_two;

pub use aggregate::{aggregate, AggregateCell, Aggregated, Aggregation};
pub use att_gt::{att_gt, AttGt, CellStatus, GtCell};
pub use options::{AttGtOptions, BasePeriod, ControlGroup, EstMethod};
pub use panel::{CohortInfo, PanelInput};
pub use pretest::{pretest, WaldPretest};
