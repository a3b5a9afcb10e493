//! One specification fitted to many series in parallel.

use super::fit::{fit, ItsFit};
use super::series::Series;
use super::spec::ItsSpec;
use crate::Result;
use rayon::prelude::*;

/// Fit `spec` to every series, in parallel; one result per series, in the order given, so a
/// failing series (too short, say) does not stop the others. Each fit is independent and
/// sequential, so the results do not depend on the thread count.
///
/// ```
/// use raa_impact::its::{fit_many, Interruption, ItsSpec, Series};
/// let t: Vec<f64> = (1..=12).map(f64::from).collect();
/// let a: Vec<f64> = t.iter().map(|t| t + (t * 2.1).sin()).collect();
/// let b: Vec<f64> = t.iter().map(|t| 2.0 * t + (t * 0.7).cos()).collect();
/// let spec = ItsSpec { interruptions: vec![Interruption::at(7.0)], ..ItsSpec::default() };
/// let fits = fit_many(&[Series::new(&t, &a), Series::new(&t, &b), Series::new(&t[..3], &a[..3])], &spec);
/// assert!(fits[0].is_ok() && fits[1].is_ok() && fits[2].is_err());
/// ```
pub fn fit_many(series: &[Series], spec: &ItsSpec) -> Vec<Result<ItsFit>> {
    series.par_iter().map(|s| fit(s, spec)).collect()
}

/// Fit each series with its own specification (e.g. each LA's own go-live), in parallel, results
/// in the order given.
///
/// ```
/// use raa_impact::its::{fit_each, Interruption, ItsSpec, Series};
/// let t: Vec<f64> = (1..=12).map(f64::from).collect();
/// let y: Vec<f64> = t.iter().map(|t| t + (t * 2.1).sin()).collect();
/// let at = |t0: f64| ItsSpec { interruptions: vec![Interruption::at(t0)], ..ItsSpec::default() };
/// let fits = fit_each(&[(Series::new(&t, &y), at(5.0)), (Series::new(&t, &y), at(8.0))]);
/// assert!(fits.iter().all(Result::is_ok));
/// ```
pub fn fit_each(jobs: &[(Series, ItsSpec)]) -> Vec<Result<ItsFit>> {
    jobs.par_iter().map(|(s, spec)| fit(s, spec)).collect()
}
