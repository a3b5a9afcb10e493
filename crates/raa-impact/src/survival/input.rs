//! Validation shared by the survival estimators, done once at the door, and the one sort.

use crate::{Error, Result};

/// Check that `values` has `n` entries, naming the argument when it does not.
pub fn check_len<T>(name: &str, values: &[T], n: usize) -> Result<()> {
    if values.len() != n {
        return Err(Error::argument(
            name,
            format!(
                "has {} entries but `time` has {n}; one entry per row is expected",
                values.len()
            ),
        ));
    }
    Ok(())
}

/// Durations must be finite and non-negative, and there must be at least one.
pub fn check_times(time: &[f64]) -> Result<()> {
    if time.is_empty() {
        return Err(Error::argument(
            "time",
            "is empty; at least one row is needed",
        ));
    }
    for (row, &t) in time.iter().enumerate() {
        if !t.is_finite() || t < 0.0 {
            return Err(Error::argument(
                "time",
                format!("row {row} is {t}; durations must be finite and >= 0"),
            ));
        }
    }
    Ok(())
}

/// Weights, when given, must be finite and strictly positive.
pub fn check_weights(weights: Option<&[f64]>, n: usize) -> Result<()> {
    let Some(w) = weights else { return Ok(()) };
    check_len("weights", w, n)?;
    for (row, &x) in w.iter().enumerate() {
        if !x.is_finite() || x <= 0.0 {
            return Err(Error::argument(
                "weights",
                format!("row {row} is {x}; weights must be finite and > 0"),
            ));
        }
    }
    Ok(())
}

/// Weight of row `i` (1 when no weights were given).
#[inline]
pub fn weight(weights: Option<&[f64]>, i: usize) -> f64 {
    weights.map_or(1.0, |w| w[i])
}

/// Row indices sorted by increasing time (ties in any order: rows sharing a time are grouped).
///
/// Sorting (ordered bits, row) pairs directly avoids an indirect comparison per step: this is
/// the one sort.
pub fn order_by_time(time: &[f64]) -> Vec<usize> {
    let mut keyed: Vec<(u64, usize)> = time
        .iter()
        .enumerate()
        .map(|(i, &t)| (crate::float_order::ordered_bits(t), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Split the sorted order into runs of rows sharing one time: `(start, end)` ranges into `order`.
pub fn time_groups(time: &[f64], order: &[usize]) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let t = time[order[start]];
        let mut end = start + 1;
        while end < order.len() && time[order[end]] == t {
            end += 1;
        }
        groups.push((start, end));
        start = end;
    }
    groups
}

/// Sum over clusters of the squared cluster totals of `(cluster id, value)` contributions.
///
/// Contributions are sorted by cluster id and summed run by run, so the result does not depend
/// on the order of the rows or on hashing.
pub fn cluster_sum_of_squares(contributions: impl Iterator<Item = (u64, f64)>) -> f64 {
    let mut pairs: Vec<(u64, f64)> = contributions.collect();
    pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut total = 0.0;
    let mut k = 0;
    while k < pairs.len() {
        let id = pairs[k].0;
        let mut sum = 0.0;
        while k < pairs.len() && pairs[k].0 == id {
            sum += pairs[k].1;
            k += 1;
        }
        total += sum * sum;
    }
    total
}
