//! The validated design: covariate columns, optional intercept, outcome, prior weights and offset.

use super::Family;
use crate::{Error, Result};
use rayon::prelude::*;

/// Name R gives the intercept column.
pub(crate) const INTERCEPT: &str = "(Intercept)";

/// Borrowed, validated inputs of a fit. The intercept is virtual (never materialised).
#[derive(Debug)]
pub(crate) struct Design<'a> {
    pub cols: Vec<&'a [f64]>,
    pub intercept: bool,
    pub y: &'a [f64],
    pub weights: Option<&'a [f64]>,
    pub offset: Option<&'a [f64]>,
    pub n: usize,
    /// Coefficient names, `(Intercept)` first when present.
    pub names: Vec<String>,
}

impl<'a> Design<'a> {
    /// Number of coefficients.
    pub fn p(&self) -> usize {
        self.cols.len() + usize::from(self.intercept)
    }

    /// Prior weight of row `i` (1 without weights).
    #[inline]
    pub fn weight(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }

    /// Offset of row `i` (0 without offset).
    #[inline]
    pub fn offset(&self, i: usize) -> f64 {
        self.offset.map_or(0.0, |o| o[i])
    }

    /// The same rows with the intercept as the only column (R's null model with an offset).
    pub fn intercept_only(&self) -> Design<'a> {
        Design {
            cols: Vec::new(),
            intercept: true,
            y: self.y,
            weights: self.weights,
            offset: self.offset,
            n: self.n,
            names: vec![INTERCEPT.to_string()],
        }
    }

    /// Check shapes and values and build the design. Constant and collinear columns are checked
    /// separately (see `collinearity`), because that needs a pass over the data.
    pub fn new(
        columns: &[&'a [f64]],
        names: &[String],
        y: &'a [f64],
        intercept: bool,
        weights: Option<&'a [f64]>,
        offset: Option<&'a [f64]>,
        family: Family,
    ) -> Result<Self> {
        let n = y.len();
        if names.len() != columns.len() {
            return Err(Error::argument(
                "names",
                format!(
                    "{} names given for {} covariate columns; expected one name per column",
                    names.len(),
                    columns.len()
                ),
            ));
        }
        if n == 0 {
            return Err(Error::argument(
                "y",
                "the outcome is empty; expected at least one row",
            ));
        }
        check_columns(columns, names, n)?;
        if let Some(w) = weights {
            check_weights(w, n)?;
        }
        if let Some(o) = offset {
            check_offset(o, n)?;
        }
        check_outcome(y, weights, family)?;
        let mut all_names = Vec::with_capacity(columns.len() + 1);
        if intercept {
            all_names.push(INTERCEPT.to_string());
        }
        all_names.extend(names.iter().cloned());
        let design = Design {
            cols: columns.to_vec(),
            intercept,
            y,
            weights,
            offset,
            n,
            names: all_names,
        };
        design.check_size()?;
        Ok(design)
    }

    /// Rows with positive prior weight.
    pub fn used_rows(&self) -> usize {
        match self.weights {
            None => self.n,
            Some(w) => w.iter().filter(|&&v| v > 0.0).count(),
        }
    }

    /// Rows with positive weight must outnumber the coefficients.
    fn check_size(&self) -> Result<()> {
        let used = self.used_rows();
        if used <= self.p() {
            return Err(Error::argument(
                "y",
                format!(
                    "{used} rows with positive weight for {} coefficients; expected more rows than \
                     coefficients",
                    self.p()
                ),
            ));
        }
        Ok(())
    }
}

/// Whether every value is finite, with no early exit inside a block so the test vectorises (a
/// scan of 11 million rows × 10 columns took a quarter of a second one value at a time).
fn all_finite(v: &[f64]) -> bool {
    v.chunks(1024)
        .all(|b| b.iter().fold(true, |ok, x| ok & x.is_finite()))
}

/// [`check_column`] for every covariate: in parallel over the columns when they are long, and the
/// error of the first bad column in order, as a sequential check would give.
fn check_columns(columns: &[&[f64]], names: &[String], n: usize) -> Result<()> {
    let check = |(c, name): (&&[f64], &String)| check_column(c, name, n);
    let results: Vec<Result<()>> = if n <= super::accumulate::CHUNK {
        columns.iter().zip(names).map(check).collect()
    } else {
        columns.par_iter().zip(names).map(check).collect()
    };
    results.into_iter().collect()
}

/// Error unless column `name` has `n` rows, all finite (shared by fitting and prediction).
pub(super) fn check_column(c: &[f64], name: &str, n: usize) -> Result<()> {
    if c.len() != n {
        return Err(Error::argument(
            "columns",
            format!(
                "column `{name}` has {} rows but y has {n}; expected equal lengths",
                c.len()
            ),
        ));
    }
    if all_finite(c) {
        return Ok(());
    }
    if let Some(i) = c.iter().position(|v| !v.is_finite()) {
        return Err(Error::argument(
            "columns",
            format!(
                "column `{name}` row {i} (0-based) is {}; expected a finite number",
                c[i]
            ),
        ));
    }
    Ok(())
}

fn check_weights(w: &[f64], n: usize) -> Result<()> {
    if w.len() != n {
        return Err(Error::argument(
            "weights",
            format!(
                "{} weights for {n} rows; expected one weight per row",
                w.len()
            ),
        ));
    }
    if let Some(i) = w.iter().position(|v| !v.is_finite() || *v < 0.0) {
        return Err(Error::argument(
            "weights",
            format!(
                "weight at row {i} (0-based) is {}; expected a finite number >= 0",
                w[i]
            ),
        ));
    }
    Ok(())
}

fn check_offset(o: &[f64], n: usize) -> Result<()> {
    if o.len() != n {
        return Err(Error::argument(
            "offset",
            format!(
                "{} offset values for {n} rows; expected one value per row",
                o.len()
            ),
        ));
    }
    if all_finite(o) {
        return Ok(());
    }
    if let Some(i) = o.iter().position(|v| !v.is_finite()) {
        return Err(Error::argument(
            "offset",
            format!(
                "offset at row {i} (0-based) is {}; expected a finite number (a log offset of a \
                 zero or negative exposure is not finite)",
                o[i]
            ),
        ));
    }
    Ok(())
}

fn bad_outcome(i: usize, v: f64, expected: &str) -> Error {
    Error::argument(
        "y",
        format!("outcome at row {i} (0-based) is {v}; expected {expected}"),
    )
}

fn check_outcome(y: &[f64], weights: Option<&[f64]>, family: Family) -> Result<()> {
    let w = |i: usize| weights.map_or(1.0, |w| w[i]);
    let found = |bad: &dyn Fn(f64) -> bool| y.iter().position(|v| bad(*v));
    match family {
        Family::Gaussian => {
            if let Some(i) = found(&|v| !v.is_finite()) {
                return Err(bad_outcome(i, y[i], "a finite number"));
            }
            return Ok(());
        }
        Family::Binomial | Family::QuasiBinomial => {
            let binary = y.chunks(1024).all(|b| {
                b.iter()
                    .fold(true, |ok, v| ok & ((*v == 0.0) | (*v == 1.0)))
            });
            if !binary && weights.is_none() {
                if let Some(i) = found(&|v| v != 0.0 && v != 1.0) {
                    return Err(bad_outcome(
                        i,
                        y[i],
                        "0 or 1 (or a proportion in [0, 1] with the trials as weights)",
                    ));
                }
            }
            // A 0/1 outcome is in [0, 1]: only proportions need the range scan.
            if !binary {
                if let Some(i) = found(&|v| !(0.0..=1.0).contains(&v)) {
                    return Err(bad_outcome(i, y[i], "a proportion in [0, 1]"));
                }
            }
        }
        Family::Poisson | Family::NegativeBinomial { .. } => {
            if let Some(i) = found(&|v| !(v >= 0.0 && v.is_finite() && v.fract() == 0.0)) {
                return Err(bad_outcome(i, y[i], "a count (an integer >= 0)"));
            }
            return check_not_all_zero(y, &w);
        }
        Family::QuasiPoisson => {
            if let Some(i) = found(&|v| !(v >= 0.0 && v.is_finite())) {
                return Err(bad_outcome(i, y[i], "a finite number >= 0"));
            }
            return check_not_all_zero(y, &w);
        }
    }
    // One branch-free pass (the outcome is close to random, so branches on it mispredict).
    let (mut ones, mut zeros, mut total) = (0usize, 0usize, 0usize);
    for (i, v) in y.iter().enumerate() {
        let used = w(i) > 0.0;
        ones += usize::from(used & (*v == 1.0));
        zeros += usize::from(used & (*v == 0.0));
        total += usize::from(used);
    }
    if zeros == total || ones == total {
        return Err(Error::argument(
            "y",
            format!(
                "the outcome has no variation ({ones} of {total} weighted rows are 1); expected \
                 both 0 and 1"
            ),
        ));
    }
    Ok(())
}

/// Counts that are all zero have no finite maximum likelihood estimate.
fn check_not_all_zero(y: &[f64], w: &dyn Fn(usize) -> f64) -> Result<()> {
    if (0..y.len()).filter(|&i| w(i) > 0.0).all(|i| y[i] == 0.0) {
        return Err(Error::argument(
            "y",
            "every count (with positive weight) is 0; expected some positive counts (the \
             log-linear fit would diverge)",
        ));
    }
    Ok(())
}
