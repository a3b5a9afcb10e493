//! Differences between the weighted empirical CDFs of two groups (eCDF mean and max = KS).

/// Mean and maximum absolute difference between the weighted eCDFs of the treated and control rows,
/// evaluated at every distinct value (MatchIt's "eCDF Mean" and "eCDF Max"; the max is the
/// Kolmogorov–Smirnov statistic). The eCDFs are evaluated at every distinct value of the whole
/// sample, rows of zero weight included (they add no mass), as MatchIt does: the eCDF mean after
/// matching is then an average over the same grid as before.
pub fn ecdf_differences(x: &[f64], w: &[f64], treated: &[bool]) -> (f64, f64) {
    let mut rows: Vec<usize> = (0..x.len()).collect();
    rows.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let total = |t: bool| -> f64 {
        rows.iter()
            .filter(|&&i| treated[i] == t)
            .map(|&i| w[i])
            .sum()
    };
    let (tt, tc) = (total(true), total(false));
    if tt <= 0.0 || tc <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let (mut ct, mut cc) = (0.0, 0.0);
    let (mut sum, mut max, mut count) = (0.0_f64, 0.0_f64, 0usize);
    let mut k = 0;
    while k < rows.len() {
        let value = x[rows[k]];
        while k < rows.len() && x[rows[k]] == value {
            let i = rows[k];
            if treated[i] {
                ct += w[i];
            } else {
                cc += w[i];
            }
            k += 1;
        }
        let d = (ct / tt - cc / tc).abs();
        sum += d;
        max = max.max(d);
        count += 1;
    }
    (sum / count as f64, max)
}
