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
