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

/// The raw width of a caliper of `width` units of `scale` on `distance`.
pub fn raw_width(width: f64, scale: CaliperScale, distance: &[f64], treated: &[bool]) -> f64 {
    match scale {
        CaliperScale::Raw => width,
        CaliperScale::Sd => width * sd(distance, |_| true),
        CaliperScale::TreatedSd => width * sd(distance, |i| treated[i]),
        CaliperScale::PooledSd => {
            let vt = sd(distance, |i| treated[i]).powi(2);
            let vc = sd(distance, |i| !treated[i]).powi(2);
            width * ((vt + vc) / 2.0).sqrt()
        }
    }
}
