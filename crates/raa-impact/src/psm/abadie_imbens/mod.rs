//! Abadie–Imbens matching estimators with replacement and their standard errors (R Matching semantics).
//!
//! [`ai_match`] reproduces `Matching::Match()` with replacement and all ties kept: covariates are
//! scaled ([`Scaling`]), each focal unit is matched to its M nearest units of the other group plus
//! every unit within `tolerance` of the M-th squared distance, each match weighted 1/#matches, the
//! effect is the weighted mean of pair differences (optionally regression bias-adjusted) and the
//! standard error is Abadie & Imbens' (2006) (`se`) beside Matching's naive pair SE (`se_naive`).

mod bias;
mod difference_in_means;
mod estimand;
mod estimated_ps;
mod estimator;
mod metric;
mod neighbours;
mod options;
mod result;
mod validate;
mod variance;

pub use difference_in_means::difference_in_means;
pub use estimand::Estimand;
pub use estimated_ps::ai_se_estimated_ps;
pub use estimator::ai_match;
pub use options::{AiOptions, Scaling};
pub use result::{AiPair, AiResult};
