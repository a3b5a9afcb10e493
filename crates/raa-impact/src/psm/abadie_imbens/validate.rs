//! Input checks shared by the matching estimators: done once, at the door.

use crate::{Error, Result};

/// Numbers of treated and control rows.
pub(crate) fn group_sizes(treated: &[bool]) -> (usize, usize) {
    let n_t = treated.iter().filter(|&&t| t).count();
    (n_t, treated.len() - n_t)
}

/// `y` finite, same length as `treated`, both groups present.
pub(crate) fn check_outcome_and_groups(y: &[f64], treated: &[bool]) -> Result<()> {
    if y.len() != treated.len() {
        return Err(Error::argument(
            "y",
            format!(
                "has {} rows but `treated` has {}; expected equal lengths",
                y.len(),
                treated.len()
            ),
        ));
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::argument(
            "y",
            format!("row {i} is {}; expected a finite number", y[i]),
        ));
    }
    let (n_t, n_c) = group_sizes(treated);
    if n_t == 0 {
        return Err(Error::argument(
            "treated",
            "no treated rows; expected at least one",
        ));
    }
    if n_c == 0 {
        return Err(Error::argument(
            "treated",
            "no control rows; expected at least one",
        ));
    }
    Ok(())
}

/// Covariate columns: at least one, each of length `n`, finite; optionally non-constant.
pub(crate) fn check_covariates(x: &[&[f64]], n: usize, forbid_constant: bool) -> Result<()> {
    if x.is_empty() {
        return Err(Error::argument(
            "x",
            "no covariate column; expected at least one",
        ));
    }
    for (k, col) in x.iter().enumerate() {
        if col.len() != n {
            return Err(Error::argument(
                "x",
                format!(
                    "column {k} has {} rows; expected {n} (the length of y)",
                    col.len()
                ),
            ));
        }
        if let Some(i) = col.iter().position(|v| !v.is_finite()) {
            return Err(Error::argument(
                "x",
                format!(
                    "column {k}, row {i} is {}; expected a finite number",
                    col[i]
                ),
            ));
        }
        let constant = col.iter().all(|&v| v == col[0]);
        if forbid_constant && constant {
            return Err(Error::argument(
                "x",
                format!(
                    "column {k} is constant ({}); it cannot be scaled by its variance",
                    col[0]
                ),
            ));
        }
    }
    Ok(())
}
