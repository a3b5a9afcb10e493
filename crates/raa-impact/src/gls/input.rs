//! Validated inputs of an autocorrelated-error regression: shapes, finite values, enough points,
//! and no constant or collinear columns.

use crate::inference::check;
use crate::{Error, Result};

/// Name R gives the intercept column (the first coefficient when the fit adds one).
pub const INTERCEPT: &str = "(Intercept)";

/// Borrowed, validated series. The intercept column is virtual (never materialised).
#[derive(Debug)]
pub(crate) struct Series<'a> {
    pub cols: Vec<&'a [f64]>,
    pub intercept: bool,
    pub y: &'a [f64],
    pub n: usize,
    /// Coefficient names, `(Intercept)` first when present.
    pub names: Vec<String>,
}

impl<'a> Series<'a> {
    /// Number of coefficients.
    pub fn p(&self) -> usize {
        self.cols.len() + usize::from(self.intercept)
    }

    /// Entry `(i, j)` of the design matrix, intercept included.
    #[inline]
    pub fn x(&self, i: usize, j: usize) -> f64 {
        match (self.intercept, j) {
            (true, 0) => 1.0,
            (true, _) => self.cols[j - 1][i],
            (false, _) => self.cols[j][i],
        }
    }

    /// Check shapes and values. `extra` is how many points beyond the number of coefficients the
    /// model needs; `model` names it in the error.
    pub fn new(
        columns: &[&'a [f64]],
        names: &[String],
        y: &'a [f64],
        intercept: bool,
        extra: usize,
        model: &str,
    ) -> Result<Self> {
        if names.len() != columns.len() {
            return Err(Error::argument(
                "names",
                format!(
                    "{} names given for {} columns; expected one name per column",
                    names.len(),
                    columns.len()
                ),
            ));
        }
        let n = y.len();
        check::finite("y", y, n)?;
        for (c, name) in columns.iter().zip(names) {
            check::finite(name, c, n)?;
        }
        let mut all = Vec::with_capacity(columns.len() + 1);
        if intercept {
            all.push(INTERCEPT.to_string());
        }
        all.extend(names.iter().cloned());
        let series = Series {
            cols: columns.to_vec(),
            intercept,
            y,
            n,
            names: all,
        };
        let p = series.p();
        if p == 0 {
            return Err(Error::argument(
                "columns",
                "no columns and no intercept; expected at least one coefficient",
            ));
        }
        if n < p + extra {
            return Err(Error::argument(
                "y",
                format!(
                    "the series has {n} points; {model} with {p} coefficients needs at least {}",
                    p + extra
                ),
            ));
        }
        series.check_rank()?;
        Ok(series)
    }

    /// Error naming the first column that is zero, constant (with an intercept) or a linear
    /// combination of the columns before it. Modified Gram–Schmidt with one re-orthogonalisation; the
    /// rank is the same on the AR-transformed rows, since the transform is invertible.
    fn check_rank(&self) -> Result<()> {
        let (n, p) = (self.n, self.p());
        let mut basis = vec![0.0; n * p];
        let mut v = vec![0.0; n];
        for j in 0..p {
            for (i, vi) in v.iter_mut().enumerate() {
                *vi = self.x(i, j);
            }
            let norm0 = v.iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm0 == 0.0 {
                return Err(Error::argument(
                    &self.names[j],
                    "the column is all zero; expected a varying covariate",
                ));
            }
            for _pass in 0..2 {
                for k in 0..j {
                    let q = &basis[k * n..(k + 1) * n];
                    let dot: f64 = q.iter().zip(&v).map(|(a, b)| a * b).sum();
                    v.iter_mut().zip(q).for_each(|(vi, qi)| *vi -= dot * qi);
                }
            }
            let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm <= 1e-9 * norm0 {
                return Err(self.rank_error(j));
            }
            basis[j * n..(j + 1) * n]
                .iter_mut()
                .zip(&v)
                .for_each(|(q, vi)| *q = vi / norm);
        }
        Ok(())
    }

    fn rank_error(&self, j: usize) -> Error {
        if self.intercept && j > 0 {
            let first = self.cols[j - 1][0];
            if self.cols[j - 1].iter().all(|v| *v == first) {
                return Error::argument(
                    &self.names[j],
                    format!("the column is constant ({first} in every row), which duplicates the intercept"),
                );
            }
        }
        Error::argument(
            &self.names[j],
            format!(
                "the column is a linear combination of the columns before it ({}); drop one",
                self.names[..j].join(", ")
            ),
        )
    }
}
