//! Inference shared by the estimators: weighted least squares and sandwich covariances
//! (heteroskedasticity-robust and cluster-robust, as R's `sandwich` computes them).

pub mod check;
pub mod cluster;
pub mod hac;
pub mod multiplier;
pub mod pool;
pub mod wls;

pub use cluster::{vcov_cluster, vcov_hc, ClusterAdjust};
pub use hac::{newey_west_default_lag, vcov_newey_west, HacOptions, Kernel};
pub use wls::{wls, WlsFit};
