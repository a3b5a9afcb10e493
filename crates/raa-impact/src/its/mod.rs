//! Interrupted time series: segmented regression with level and slope changes measured at the
//! interruption (Huitema–McKean coding), transition periods, seasonality, count families and
//! autocorrelated errors; counterfactual paths, effects at horizons, diagnostics, placebo dates,
//! and batch fitting of many series in parallel.
//!
//! The module knows nothing about adoption: a series is plain numbers (see [`Series`]).

mod batch;
mod coefficients;
mod design;
mod diagnostics;
mod effects;
mod estimate;
mod fit;
mod model;
mod placebo;
mod seasonality;
mod series;
mod spec;
mod standardise;

pub use batch::{fit_each, fit_many};
pub use coefficients::Coefficient;
pub use design::Role;
pub use diagnostics::Diagnostics;
pub use effects::{HorizonEffect, PathPoint, Summary};
pub use fit::{fit, ItsFit};
pub use model::{ModelFit, Scale};
pub use placebo::{placebo, placebo_shares, PlaceboFit, PlaceboShare};
pub use series::Series;
pub use spec::{
    Errors, Family, Impact, Interruption, ItsSpec, Likelihood, Seasonality, Transition,
};
