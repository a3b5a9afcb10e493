//! Two-way fixed effects on a balanced panel with a staggered, absorbing binary treatment, and
//! the two diagnostics of why it misleads under staggered adoption with changing effects: the
//! Goodman-Bacon decomposition and the Borusyak–Jaravel–Spiess imputation estimator.
//!
//! ```
//! use raa_impact::twfe::{bacon_decomposition, Panel};
//! let unit = [1, 1, 1, 2, 2, 2];
//! let time = [1, 2, 3, 1, 2, 3];
//! let p = Panel::new(&unit, &time, &[0., 1., 1., 0., 0., 0.], &[1., 3., 3., 1., 1., 1.]).unwrap();
//! let b = bacon_decomposition(&p).unwrap();
//! assert!((b.twfe - 2.0).abs() < 1e-12);
//! ```

pub mod bacon;
pub mod imputation;
pub mod panel;
pub mod within;

pub use bacon::{
    bacon_decomposition, BaconComparison, BaconDecomposition, BaconKindSummary, ComparisonKind,
};
pub use imputation::{imputation, ImputationEffect, ImputationFit};
pub use panel::Panel;
pub use within::{twfe, TwfeFit};
