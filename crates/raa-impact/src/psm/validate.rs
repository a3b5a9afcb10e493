//! Checks of a match's input and options, done once at the door so the workers can trust them.

use std::collections::HashSet;

use super::input::MatchInput;
use super::options::{Estimand, MatchOptions, Ties};
use crate::inference::check;
use crate::{Error, Result};

/// Error on anything the matching could not handle, naming the argument, column and row.
pub fn validate(input: &MatchInput, options: &MatchOptions) -> Result<()> {
    let n = input.n();
    groups(input.treated)?;
    columns(input)?;
    if let Some(e) = input.exact {
        check::same_length("exact", e.len(), n)?;
    }
    if let Some(id) = input.id {
        ids(id, n)?;
    }
    if let Some(s) = input.score {
        check::same_length("score", s.len(), n)?;
    }
    if !options.distance.uses_score() && input.covariates.is_empty() {
        return Err(Error::argument(
            "distance",
            "a covariate distance needs covariates",
        ));
    }
    option_rules(options)
}

fn groups(treated: &[bool]) -> Result<()> {
    let n_treated = treated.iter().filter(|t| **t).count();
    if n_treated == 0 || n_treated == treated.len() {
        let which = if n_treated == 0 { "treated" } else { "control" };
        return Err(Error::argument(
            "treatment",
            format!("there are no {which} units: matching needs both groups"),
        ));
    }
    Ok(())
}

/// Every column finite; all columns with missing values are named together so the user can fix
/// them in one go.
fn columns(input: &MatchInput) -> Result<()> {
    let n = input.n();
    let mut missing = Vec::new();
    for (name, c) in input.covariates.iter().chain(&input.balance) {
        check::same_length(name, c.len(), n)?;
        if let Some(row) = c.iter().position(|v| !v.is_finite()) {
            let count = c.iter().filter(|v| !v.is_finite()).count();
            missing.push(format!("`{name}` ({count} rows, first row {row})"));
        }
    }
    if !missing.is_empty() {
        return Err(Error::argument(
            "covariates",
            format!(
                "missing or non-finite values in {}; drop those rows (ri.match(..., missing=\"drop\")) or impute them",
                missing.join(", ")
            ),
        ));
    }
    for (name, c) in &input.covariates {
        if c.iter().all(|v| *v == c[0]) {
            return Err(Error::argument(
                *name,
                format!("is constant ({}) across all units: it cannot enter the score model or a distance", c[0]),
            ));
        }
    }
    Ok(())
}

fn ids(id: &[u64], n: usize) -> Result<()> {
    check::same_length("id", id.len(), n)?;
    let mut seen = HashSet::with_capacity(n);
    match id.iter().position(|k| !seen.insert(*k)) {
        Some(row) => Err(Error::argument(
            "id",
            format!("row {row} repeats the id {}: ids must be unique", id[row]),
        )),
        None => Ok(()),
    }
}

fn option_rules(o: &MatchOptions) -> Result<()> {
    if o.ratio == 0 {
        return Err(Error::argument("ratio", "must be at least 1"));
    }
    if let Some(c) = o.caliper {
        if !(c.is_finite() && c > 0.0) {
            return Err(Error::argument(
                "caliper",
                format!("{c}: expected a positive number"),
            ));
        }
    }
    if o.ties == Ties::All && !o.replace {
        return Err(Error::argument(
            "ties",
            "\"all\" keeps every tied control and needs matching with replacement (replace=True)",
        ));
    }
    if o.estimand == Estimand::Ate && !o.replace {
        return Err(Error::argument(
            "estimand",
            "ATE matches both groups to each other and needs replace=True (or use weighting)",
        ));
    }
    if let Some(a) = o.crump_alpha {
        if !(a > 0.0 && a < 0.5) {
            return Err(Error::argument(
                "crump_alpha",
                format!("{a}: expected a value in (0, 0.5)"),
            ));
        }
    }
    if o.tolerance.is_some_and(|t| !(t >= 0.0 && t.is_finite())) {
        return Err(Error::argument("tolerance", "expected a finite value ≥ 0"));
    }
    Ok(())
}
