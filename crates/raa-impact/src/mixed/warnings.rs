//! Boundary estimates in words: a variance at zero, a correlation at ±1, φ near ±1.

use nalgebra::{DMatrix, SymmetricEigen};

use super::deviance::Model;
use super::params::{psi, VarParams};

/// A random effect whose SD times its column's typical size is below this fraction of σ is
/// reported as estimated at zero.
const NEGLIGIBLE: f64 = 1e-3;
/// Smallest eigenvalue of the random-effect correlation matrix below which Ψ counts as singular.
const SINGULAR_EIGEN: f64 = 1e-2;

pub(crate) fn boundary_warnings(model: &Model<'_>, v: &VarParams, sigma: f64) -> Vec<String> {
    let d = &model.design;
    let q = model.layout.q;
    let scales = &model.layout.scales;
    let ps = psi(&v.lambda, q);
    let mut out = Vec::new();
    let mut at_zero = vec![false; q];
    for j in 0..q {
        let rel = ps[j * q + j].sqrt() * scales[j];
        if rel < NEGLIGIBLE {
            at_zero[j] = true;
            out.push(format!(
                "random-effect SD of `{}` estimated at 0 ({:.3e}): the model is singular (a variance at its boundary); consider dropping this random effect",
                d.names[d.z[j]],
                ps[j * q + j].sqrt() * sigma
            ));
        }
    }
    if let Some(w) = rank_warning(model, &ps, &at_zero) {
        out.push(w);
    }
    if model.layout.group && v.tau.abs() < NEGLIGIBLE {
        out.push("group-level random-intercept SD estimated at 0: the model is singular; consider dropping the group level".into());
    }
    if model.layout.ar1 && v.phi.abs() > 0.99 {
        out.push(format!("AR(1) coefficient estimated at {:.4}, next to its bound: the residuals look non-stationary", v.phi));
    }
    out
}

/// Correlation matrix of the effects not already at zero: a smallest eigenvalue near 0 means Ψ is
/// (nearly) rank-deficient: a correlation at ±1 or a combination of effects with no variance.
fn rank_warning(model: &Model<'_>, ps: &[f64], at_zero: &[bool]) -> Option<String> {
    let q = model.layout.q;
    let live: Vec<usize> = (0..q).filter(|&j| !at_zero[j]).collect();
    if live.len() < 2 {
        return None;
    }
    let n = live.len();
    let corr = DMatrix::from_fn(n, n, |a, b| {
        let (i, j) = (live[a], live[b]);
        ps[i * q + j] / (ps[i * q + i] * ps[j * q + j]).sqrt()
    });
    let smallest = SymmetricEigen::new(corr)
        .eigenvalues
        .iter()
        .fold(f64::INFINITY, |m, v| m.min(*v));
    (smallest < SINGULAR_EIGEN).then(|| {
        let names: Vec<&str> = live.iter().map(|&j| model.design.names[model.design.z[j]].as_str()).collect();
        format!(
            "the random-effect covariance of {} is (nearly) singular (smallest eigenvalue of the correlation matrix {smallest:.1e}; a correlation at ±1): the model is at its boundary; consider a diagonal structure or fewer random effects",
            names.join(", ")
        )
    })
}
