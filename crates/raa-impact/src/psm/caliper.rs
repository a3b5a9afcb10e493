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

/// [`sd`] of the control (`[0]`) and treated (`[1]`) rows, both in the same two passes. Each
/// group's sums take its rows in row order and add `+0.0` for the other group's rows, which
/// leaves every partial sum's bits unchanged, so the values are bit-identical to `sd`'s (scalar
/// accumulators and no branch on the group keep the loop fast).
fn group_sds(x: &[f64], treated: &[bool]) -> [f64; 2] {
    let pick = |t: bool, v: f64| if t { (0.0, v) } else { (v, 0.0) };
    let mut sum = (0.0_f64, 0.0_f64);
    let mut n_treated = 0usize;
    for (v, t) in x.iter().zip(treated) {
        n_treated += usize::from(*t);
        let (c, tr) = pick(*t, *v);
        sum = (sum.0 + c, sum.1 + tr);
    }
    // Counts are exact in f64, as `sd`'s running `n += 1.0`.
    let n = [(x.len() - n_treated) as f64, n_treated as f64];
    let mean = [sum.0 / n[0], sum.1 / n[1]];
    let mut ss = (0.0_f64, 0.0_f64);
    for (v, t) in x.iter().zip(treated) {
        let (c, tr) = pick(*t, (v - mean[usize::from(*t)]).powi(2));
        ss = (ss.0 + c, ss.1 + tr);
    }
    let sd = |n: f64, ss: f64| {
        if n < 2.0 {
            0.0
        } else {
            (ss / (n - 1.0)).sqrt()
        }
    };
    [sd(n[0], ss.0), sd(n[1], ss.1)]
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
