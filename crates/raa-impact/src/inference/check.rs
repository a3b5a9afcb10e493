//! Input checks shared by the estimators, so that every one reports bad numbers the same way.

use crate::{Error, Result};

/// Error unless `values` has `n` entries, all finite; the message names the argument and first bad row.
pub fn finite(name: &str, values: &[f64], n: usize) -> Result<()> {
    same_length(name, values.len(), n)?;
    match values.iter().position(|v| !v.is_finite()) {
        Some(row) => Err(Error::argument(
            name,
            format!("row {row} is {}, expected a finite number", values[row]),
        )),
        None => Ok(()),
    }
}

/// Error unless a column has `n` entries.
pub fn same_length(name: &str, len: usize, n: usize) -> Result<()> {
    if len == n {
        Ok(())
    } else {
        Err(Error::argument(
            name,
            format!("has {len} rows, expected {n} (one per unit)"),
        ))
    }
}

/// Error unless weights are finite and non-negative, with a positive total.
pub fn weights(name: &str, values: &[f64], n: usize) -> Result<()> {
    finite(name, values, n)?;
    if let Some(row) = values.iter().position(|w| *w < 0.0) {
        return Err(Error::argument(
            name,
            format!("row {row} is {}, expected a weight ≥ 0", values[row]),
        ));
    }
    if values.iter().sum::<f64>() <= 0.0 {
        return Err(Error::argument(name, "all weights are zero"));
    }
    Ok(())
}
