//! Difference in means of an outcome between treated and control units.

use super::validate::{check_outcome_and_groups, group_sizes};
use crate::Result;

/// Mean of `y` among treated minus mean among controls.
///
/// ```
/// use raa_impact::psm::abadie_imbens::difference_in_means;
/// let d = difference_in_means(&[3.0, 5.0, 1.0], &[true, true, false]).unwrap();
/// assert!((d - 3.0).abs() < 1e-12);
/// ```
pub fn difference_in_means(y: &[f64], treated: &[bool]) -> Result<f64> {
    check_outcome_and_groups(y, treated)?;
    let (n_t, n_c) = group_sizes(treated);
    let (mut s_t, mut s_c) = (0.0, 0.0);
    for (v, &t) in y.iter().zip(treated) {
        if t {
            s_t += v;
        } else {
            s_c += v;
        }
    }
    Ok(s_t / n_t as f64 - s_c / n_c as f64)
}
