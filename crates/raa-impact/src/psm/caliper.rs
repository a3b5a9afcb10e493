//! Caliper widths in the distance's own units.

use super::options::CaliperScale;
use crate::balance::moments::{two_groups, TwoGroups};

/// Sample standard deviation (`n − 1`), as R's `sd`, over the rows where `keep` holds.
pub fn sd(x: &[f64], keep: impl Fn(usize) -> bool) -> f64 {
    let (mut n, mut sum) = (0.0, 0.0);
    for i in (0..x.len()).filter(|&i| keep(i)) {
        n += 1.0;
        sum += x[i];
    }
    if n < 2.0 {
        return 0.0;
    }
    let mean = sum / n;
    let ss: f64 = (0..x.len())
        .filter(|&i| keep(i))
        .map(|i| (x[i] - mean).powi(2))
        .sum();
    (ss / (n - 1.0)).sqrt()
}

/// [`sd`] of the control (`[0]`) and treated (`[1]`) rows, from the groups' moments under unit
/// weights ([`two_groups`]): each group's sums take its rows in row order (adding `+0.0` for the
/// other group's rows leaves every partial sum's bits unchanged), so the values are bit-identical
/// to `sd`'s; the balance table reads the same moments, so the column is summed once.
fn group_sds(m: &TwoGroups) -> [f64; 2] {
    // Under unit weights `Σw` is the group's count, exact in f64 as `sd`'s running `n += 1.0`.
    [0, 1].map(|g| {
        let n = m.sum_weights[g];
        if n < 2.0 {
            0.0
        } else {
            (m.sum_squares[g] / (n - 1.0)).sqrt()
        }
    })
}

/// The raw width of a caliper of `width` units of `scale` on `distance`; `unit_moments`: the
/// distance's [`two_groups`] under unit weights, when already computed.
pub fn raw_width(
    width: f64,
    scale: CaliperScale,
    distance: &[f64],
    treated: &[bool],
    unit_moments: Option<&TwoGroups>,
) -> f64 {
    match scale {
        CaliperScale::Raw => width,
        CaliperScale::Sd => width * sd(distance, |_| true),
        CaliperScale::TreatedSd => width * sd(distance, |i| treated[i]),
        CaliperScale::PooledSd => {
            let [sc, st] = match unit_moments {
                Some(m) => group_sds(m),
                None => group_sds(&two_groups(distance, None, treated)),
            };
            width * ((st.powi(2) + sc.powi(2)) / 2.0).sqrt()
        }
    }
}
