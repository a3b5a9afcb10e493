//! Linear regression with autocorrelated errors on one short time series (rows in time order,
//! equally spaced): GLS with AR(1) errors by ML or REML ([`fit_ar1`], as `nlme::gls` with
//! `corAR1()`), with AR(p) errors ([`fit_ar`], as `corARMA(p = p)`), and Prais–Winsten /
//! Cochrane–Orcutt feasible GLS ([`prais_winsten`]).
//!
//! Domain-free: plain columns of numbers in, a [`GlsFit`] out. A single fit is cheap (no threads
//! inside; the likelihood for each φ costs `O(p³)` from lag cross-products computed once), so that
//! callers can fit thousands of series in parallel.
//!
//! ```
//! use raa_impact::gls::{fit_ar1, prais_winsten, Ar1Options, PraisOptions};
//! let t: Vec<f64> = (0..24).map(f64::from).collect();
//! let step: Vec<f64> = t.iter().map(|v| f64::from(u8::from(*v >= 12.0))).collect();
//! let y: Vec<f64> = t.iter().zip(&step).map(|(t, s)| 10.0 + 0.3 * t - 2.0 * s + (t * 2.1).sin()).collect();
//! let names = ["time".to_string(), "step".to_string()];
//! let gls = fit_ar1(&[&t, &step], &names, &y, &Ar1Options::default()).unwrap();
//! let pw = prais_winsten(&[&t, &step], &names, &y, &PraisOptions::default()).unwrap();
//! assert_eq!(gls.coefficients.len(), 3);
//! assert_eq!(pw.df_residual, 21);
//! ```

mod ar1;
mod arp;
pub(crate) mod bfgs;
mod brent;
mod fit;
mod input;
mod levinson;
mod moments;
mod options;
mod prais;
mod profile;
mod whiten;

pub use ar1::fit_ar1;
pub use arp::fit_ar;
pub use fit::{FitMethod, GlsFit};
pub use input::INTERCEPT;
pub use options::{Ar1Options, ArOptions, FirstRow, Method, PraisOptions};
pub use prais::prais_winsten;
