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
pub fn order_by_time(time: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..time.len()).collect();
    order.sort_unstable_by(|&a, &b| time[a].total_cmp(&time[b]));
    order
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
