//! Residual diagnostics for time series: autocorrelation (ACF, PACF), Durbin–Watson,
//! Breusch–Godfrey, the portmanteau tests (Ljung–Box, Box–Pierce) and a Poisson overdispersion test.
//!
//! Every function takes plain numbers (a series, residuals, a design) and reproduces the R function
//! named in its documentation to rounding. They are meant to run inside batch fits of thousands of
//! short series, so each allocates at most a few small vectors and none uses threads.
//!
//! Bad input (NaN, a series too short for the lag asked, a constant series) is a typed
//! [`crate::Error::Argument`] naming the argument, the row and what was expected.

pub mod acf;
pub mod breusch_godfrey;
pub mod dispersion;
pub mod durbin_watson;
mod input;
pub mod pacf;
pub mod portmanteau;
pub mod test_result;

pub use acf::{acf, Correlogram};
pub use breusch_godfrey::{breusch_godfrey, BgStatistic};
pub use dispersion::{dispersion_test, Alternative, DispersionForm, DispersionTest};
pub use durbin_watson::durbin_watson;
pub use pacf::pacf;
pub use portmanteau::{box_pierce, ljung_box};
pub use test_result::{TestName, TestResult};
