//! Staggered-adoption difference-in-differences (Callaway & Sant'Anna 2021), matching R `did` 2.5
//! on balanced and (with `allow_unbalanced`) unbalanced panels: group-time effects ATT(g,t) with
//! not-yet-treated or never-treated comparisons, doubly robust / regression / IPW 2×2 estimators,
//! varying or universal base periods, anticipation; aggregations (simple, group, dynamic,
//! calendar); the Wald pre-test; analytic (optionally clustered) influence-function standard
//! errors or a multiplier bootstrap with uniform bands ([`crate::inference::multiplier`]).
//!
//! The module is domain-free: a panel is plain ids, periods, first-treated periods and outcomes
//! (see [`PanelInput`]). Pipeline, as in `did`: [`att_gt`] validates the input once and computes
//! every cell; [`aggregate`] and [`pretest`] read its result without recomputing it.
//!
//! Documented behaviour where `did` has choices: covariates, weights and clusters must be constant
//! within unit (an error names the row); a go-live strictly inside the panel must be one of its
//! periods; a cell without comparison units or overlap is [`CellStatus::NotIdentified`] (never
//! NaN) and is left out of aggregations and the pre-test, as `aggte(..., na.rm = TRUE)` does.
//!
//! Unbalanced panels. By default the panel must be balanced: units missing one of the periods
//! used are dropped and counted in `warnings`. With [`AttGtOptions::allow_unbalanced`] they are
//! kept, as R `did`'s `allow_unbalanced_panel = TRUE` keeps them (checked after the period and
//! cohort recodings; a panel that is balanced then is estimated exactly as without the option):
//! - every cell, including those whose units are all seen in both periods, uses the repeated
//!   cross-section 2×2 estimator of its `est_method` (`DRDID`'s `drdid_rc`, `reg_did_rc`,
//!   `std_ipw_did_rc`), whose observations are the rows of the cohort's and the comparison units'
//!   in the cell's two periods, so outcomes are compared in levels across possibly different
//!   units, not as within-unit changes (noisier: on the unbalanced mpdta of the tests the
//!   no-covariate SEs are several times the balanced ones);
//! - a cell needs treated and comparison rows in both periods, else it is not identified;
//! - the rows' influence function is rescaled by n/n₁ (n units in the panel, n₁ rows in the cell)
//!   and summed by unit, so analytic and bootstrap SEs, clusters, aggregations (cohort shares
//!   over all n units) and the pre-test work on units as for a balanced panel;
//! - a unit seen in any kept period counts in n, even if it enters no cell; `warnings` says how
//!   many units are incomplete ([`AttGt::incomplete_units`]). `n_treated`/`n_control` of a cell
//!   count units with a row in it.
//!
//! ```
//! use raa_impact::did::{att_gt, AttGtOptions, PanelInput};
//! // 40 units × 5 periods, cohorts 3, 4 and never; every fifth unit misses period 2.
//! let (mut unit, mut time, mut group, mut y) = (vec![], vec![], vec![], vec![]);
//! for u in 0..40i64 {
//!     let g = [3, 4, 0, 0][(u % 4) as usize];
//!     for t in 1..=5i64 {
//!         if u % 5 == 0 && t == 2 { continue; }
//!         let effect = if g > 0 && t >= g { 1.0 } else { 0.0 };
//!         unit.push(u); time.push(t); group.push(g);
//!         y.push(0.1 * u as f64 + 0.2 * t as f64 + effect + ((u * 7 + t * 3) % 5) as f64 / 10.0);
//!     }
//! }
//! let input = PanelInput { unit: &unit, time: &time, group: &group, y: &y,
//!     covariates: &[], cluster: None, weights: None };
//! let dropped = att_gt(&input, &AttGtOptions::default()).unwrap();
//! assert_eq!(dropped.n_units(), 32); // the 8 incomplete units are dropped
//! let kept = att_gt(&input, &AttGtOptions { allow_unbalanced: true, ..Default::default() }).unwrap();
//! assert_eq!((kept.n_units(), kept.incomplete_units), (40, 8));
//! assert!(kept.warnings.iter().any(|w| w.starts_with("unbalanced panel: 8 units")));
//! ```
//!
//! ```
//! use raa_impact::did::{aggregate, att_gt, pretest, Aggregation, AttGtOptions, PanelInput};
//! use raa_impact::inference::multiplier::BootstrapOptions;
//! // 60 units in 20 clusters × 6 periods; cohorts go live at 3, 4, 5 or never (0); effect +1.
//! let (mut unit, mut time, mut group, mut y, mut cluster) = (vec![], vec![], vec![], vec![], vec![]);
//! for u in 0..60i64 {
//!     let g = [0, 3, 4, 5][(u % 4) as usize];
//!     for t in 1..=6i64 {
//!         unit.push(u); time.push(t); group.push(g); cluster.push(u / 3);
//!         let effect = if g > 0 && t >= g { 1.0 } else { 0.0 };
//!         y.push(0.2 * u as f64 + 0.3 * t as f64 + effect + (((u * 37 + t * 11 + u * t * 5) % 17) as f64) / 20.0);
//!     }
//! }
//! let input = PanelInput { unit: &unit, time: &time, group: &group, y: &y,
//!     covariates: &[], cluster: Some(&cluster), weights: None };
//! let opts = AttGtOptions { bootstrap: Some(BootstrapOptions { draws: 499, ..Default::default() }),
//!     ..Default::default() };
//! let res = att_gt(&input, &opts).unwrap();
//! assert!(res.uniform); // cells carry a uniform (sup-t) band
//! let dynamic = Aggregation::Dynamic { balance_e: None, min_e: None, max_e: None };
//! let event = aggregate(&res, &dynamic, None).unwrap();
//! assert!((event.overall_att - 1.0).abs() < 0.1);
//! let e0 = event.cells.iter().find(|c| c.key == 0).unwrap();
//! assert_eq!(e0.groups, vec![3, 4, 5]); // the cohorts identifying event time 0
//! assert!(pretest(&res).unwrap().df > 0);
//! ```

mod aggregate;
mod att_gt;
mod intercept_only;
mod options;
mod panel;
mod pretest;
mod rc;
mod se;
mod timing_test;
mod two_by_two;
mod unbalanced;

pub use aggregate::{aggregate, AggregateCell, Aggregated, Aggregation};
pub use att_gt::{att_gt, AttGt, CellStatus, GtCell};
pub use options::{AttGtOptions, BasePeriod, ControlGroup, EstMethod};
pub use panel::{CohortInfo, PanelInput};
pub use pretest::{pretest, FewClusters, WaldPretest};
pub use timing_test::cs_timing_test;
