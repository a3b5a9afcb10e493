//! Constant covariates and exact collinearity, where R's `glm` would report `NA` coefficients.
//! We refuse the fit instead, naming the aliased column and what it is a combination of.

use super::accumulate::CHUNK;
use super::design::Design;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;

/// A column whose residual norm, after projection on the earlier kept columns, is below this
/// fraction of its own norm counts as aliased (R's QR uses 1e-11 on the norms; the cross-product
/// matrix can only resolve about 1e-7 reliably).
const ALIAS_TOL: f64 = 1e-7;

/// Error if a covariate is constant (with an intercept) or all zero.
fn check_constant(d: &Design<'_>) -> Result<()> {
    let names = &d.names[usize::from(d.intercept)..];
    let describe = |(c, name): (&&[f64], &String)| {
        let mut used = (0..d.n).filter(|&i| d.weight(i) > 0.0).map(|i| c[i]);
        let first = used.next().unwrap_or(0.0);
        let constant = used.all(|v| v == first) && (d.intercept || first == 0.0);
        constant.then(|| format!("`{name}` (always {first})"))
    };
    // A short series is scanned on the calling thread (no rayon task per column).
    let constant: Vec<String> = if d.n <= CHUNK {
        d.cols.iter().zip(names).filter_map(describe).collect()
    } else {
        d.cols.par_iter().zip(names).filter_map(describe).collect()
    };
    if constant.is_empty() {
        return Ok(());
    }
    Err(Error::argument(
        "columns",
        format!(
            "constant covariate {}: it is aliased with the intercept (R would give NA); expected \
             a covariate that varies",
            constant.join(", ")
        ),
    ))
}

/// Error naming every column that is an exact linear combination of earlier columns, from the
/// prior-weight Gram matrix `gram` (p×p row-major).
pub(crate) fn check(d: &Design<'_>, gram: &[f64]) -> Result<()> {
    check_constant(d)?;
    let p = d.p();
    let g = DMatrix::from_row_slice(p, p, gram);
    let mut kept: Vec<usize> = Vec::new();
    let mut aliased = Vec::new();
    for j in 0..p {
        match projection(&g, &kept, j) {
            Some(coefs) => {
                let partners: Vec<String> = kept
                    .iter()
                    .zip(coefs.iter())
                    .filter(|(&k, c)| (*c * g[(k, k)].sqrt()).abs() > 1e-6 * g[(j, j)].sqrt())
                    .map(|(&k, _)| format!("`{}`", d.names[k]))
                    .collect();
                aliased.push(format!(
                    "`{}` = combination of {}",
                    d.names[j],
                    partners.join(", ")
                ));
            }
            None => kept.push(j),
        }
    }
    if aliased.is_empty() {
        return Ok(());
    }
    Err(Error::argument(
        "columns",
        format!(
            "exact collinearity: {} (R would give NA for the aliased column); expected linearly \
             independent covariates",
            aliased.join("; ")
        ),
    ))
}

/// If column `j` lies in the span of `kept`, its coefficients on them; `None` if independent.
fn projection(g: &DMatrix<f64>, kept: &[usize], j: usize) -> Option<DVector<f64>> {
    let gjj = g[(j, j)];
    if gjj <= 0.0 {
        return Some(DVector::zeros(kept.len()));
    }
    if kept.is_empty() {
        return None;
    }
    let sub = g.select_rows(kept).select_columns(kept);
    let rhs = DVector::from_iterator(kept.len(), kept.iter().map(|&k| g[(k, j)]));
    let chol = sub.cholesky()?;
    let coefs = chol.solve(&rhs);
    let residual = gjj - rhs.dot(&coefs);
    (residual <= ALIAS_TOL * ALIAS_TOL * gjj).then_some(coefs)
}
