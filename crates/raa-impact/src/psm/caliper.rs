//! Caliper widths in the distance's own units.

use super::kernel::DistanceScale;
use super::options::CaliperScale;
use crate::balance::moments::{two_groups_with, TwoGroups};

/// Sample standard deviation (`n − 1`), as R's `sd`, over the rows where `keep` holds; 0 for fewer
/// than two rows. Summed as [`two_groups_with`] sums, so it equals the SD read from the moments.
pub fn sd(x: &[f64], keep: impl Fn(usize) -> bool + Sync) -> f64 {
    sd_on(x, DistanceScale::AsGiven, keep)
}

/// [`sd`] of `scale.of(x)`, without materialising that column.
fn sd_on(x: &[f64], scale: DistanceScale, keep: impl Fn(usize) -> bool + Sync) -> f64 {
    let m = two_groups_with(x.len(), |i| (scale.of(x[i]), keep(i), 1.0));
    m.variance[1].map_or(0.0, f64::sqrt)
}

/// [`sd`] of the control (`[0]`) and treated (`[1]`) rows, from the groups' moments under unit
/// weights ([`two_groups`](crate::balance::moments::two_groups)), which sum each group as `sd`
/// does: the same bits, and the balance table reads the same moments, so the column is summed
/// once.
fn group_sds(m: &TwoGroups) -> [f64; 2] {
    m.variance.map(|v| v.map_or(0.0, f64::sqrt))
}

/// The raw width of a caliper of `width` units of `scale` on the distance `scale_of.of(values)`
/// (`DistanceScale::AsGiven`: the values are the distance); `unit_moments`: the distance's
/// [`two_groups`](crate::balance::moments::two_groups) under unit weights, when already computed.
pub fn raw_width(
    width: f64,
    scale: CaliperScale,
    (values, scale_of): (&[f64], DistanceScale),
    treated: &[bool],
    unit_moments: Option<&TwoGroups>,
) -> f64 {
    match scale {
        CaliperScale::Raw => width,
        CaliperScale::Sd => width * sd_on(values, scale_of, |_| true),
        CaliperScale::TreatedSd => width * sd_on(values, scale_of, |i| treated[i]),
        CaliperScale::PooledSd => {
            let [sc, st] = match unit_moments {
                Some(m) => group_sds(m),
                None => group_sds(&two_groups_with(values.len(), |i| {
                    (scale_of.of(values[i]), treated[i], 1.0)
                })),
            };
            width * ((st.powi(2) + sc.powi(2)) / 2.0).sqrt()
        }
    }
}
