//! Differences between the weighted empirical CDFs of two groups (eCDF mean and max = KS).

/// Mean and maximum absolute difference between the weighted eCDFs of the treated and control rows,
/// evaluated at every distinct value (MatchIt's "eCDF Mean" and "eCDF Max"; the max is the
/// Kolmogorov–Smirnov statistic). The eCDFs are evaluated at every distinct value of the whole
/// sample, rows of zero weight included (they add no mass), as MatchIt does: the eCDF mean after
/// matching is then an average over the same grid as before.
pub fn ecdf_differences(x: &[f64], w: &[f64], treated: &[bool]) -> (f64, f64) {
    ecdf_differences_sorted(x, w, treated, &sort_order(x))
}

/// Row indices in ascending order of `x` (a parallel sort: large samples spend most of the
/// balance table's time here, and the order serves the before and after statistics alike).
pub fn sort_order(x: &[f64]) -> Vec<u32> {
    use rayon::prelude::*;
    // Sorting (order-preserving bits, row) pairs keeps the comparisons in cache, several times
    // faster than comparing through the index on millions of rows.
    let mut keyed: Vec<(u64, u32)> = x
        .par_iter()
        .enumerate()
        .map(|(i, v)| (crate::float_order::ordered_bits(*v), i as u32))
        .collect();
    keyed.par_sort_unstable();
    keyed.into_par_iter().map(|(_, i)| i).collect()
}

/// [`ecdf_differences`] given the order of `x` from [`sort_order`].
pub fn ecdf_differences_sorted(
    x: &[f64],
    w: &[f64],
    treated: &[bool],
    order: &[u32],
) -> (f64, f64) {
    let rows = order;
    let total = |t: bool| -> f64 {
        rows.iter()
            .filter(|&&i| treated[i as usize] == t)
            .map(|&i| w[i as usize])
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
        let value = x[rows[k] as usize];
        while k < rows.len() && x[rows[k] as usize] == value {
            let i = rows[k] as usize;
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
