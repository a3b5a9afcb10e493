//! Caliper widths in the distance's own units.

use super::options::CaliperScale;

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

/// [`sd`] of the control (`[0]`) and treated (`[1]`) rows, both in the same two passes (each
/// group's sums in row order, so the values are bit-identical to `sd`'s).
fn group_sds(x: &[f64], treated: &[bool]) -> [f64; 2] {
    let (mut n, mut sum) = ([0.0_f64; 2], [0.0_f64; 2]);
    for (v, t) in x.iter().zip(treated) {
        let g = usize::from(*t);
        n[g] += 1.0;
        sum[g] += v;
    }
    let mean = [sum[0] / n[0], sum[1] / n[1]];
    let mut ss = [0.0_f64; 2];
    for (v, t) in x.iter().zip(treated) {
        let g = usize::from(*t);
        ss[g] += (v - mean[g]).powi(2);
    }
    [0, 1].map(|g| {
        if n[g] < 2.0 {
            0.0
        } else {
            (ss[g] / (n[g] - 1.0)).sqrt()
        }
    })
}

/// The raw width of a caliper of `width` units of `scale` on `distance`.
pub fn raw_width(width: f64, scale: CaliperScale, distance: &[f64], treated: &[bool]) -> f64 {
    match scale {
        CaliperScale::Raw => width,
        CaliperScale::Sd => width * sd(distance, |_| true),
        CaliperScale::TreatedSd => width * sd(distance, |i| treated[i]),
        CaliperScale::PooledSd => {
            let [sc, st] = group_sds(distance, treated);
            width * ((st.powi(2) + sc.powi(2)) / 2.0).sqrt()
        }
    }
}
