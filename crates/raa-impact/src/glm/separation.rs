//! Diagnostics for (quasi-)complete separation of a binary outcome.
//!
//! Two checks, no linear programming:
//! * per covariate, the ranges of its values among outcome-0 and outcome-1 rows: if they do not
//!   overlap the covariate separates completely; if they only touch at one value, quasi-completely
//!   (a dummy whose one level has a single outcome is the common case);
//! * when the fit did not converge or reached fitted probabilities of 0 or 1, the fitted linear
//!   predictor itself: a combination of covariates may separate even when none does alone.

use super::accumulate::CHUNK;
use super::design::Design;
use super::warning::{GlmWarning, SeparationKind};
use rayon::prelude::*;

/// Value ranges of one covariate by outcome (rows with positive weight).
#[derive(Debug, Clone, Copy)]
struct Ranges {
    min0: f64,
    max0: f64,
    min1: f64,
    max1: f64,
}

fn ranges(d: &Design<'_>, values: impl Fn(usize) -> f64) -> Ranges {
    let mut r = Ranges {
        min0: f64::INFINITY,
        max0: f64::NEG_INFINITY,
        min1: f64::INFINITY,
        max1: f64::NEG_INFINITY,
    };
    for i in (0..d.n).filter(|&i| d.weight(i) > 0.0) {
        let v = values(i);
        if d.y[i] == 1.0 {
            r.min1 = r.min1.min(v);
            r.max1 = r.max1.max(v);
        } else {
            r.min0 = r.min0.min(v);
            r.max0 = r.max0.max(v);
        }
    }
    r
}

fn kind_of(r: Ranges) -> Option<SeparationKind> {
    if r.max0 < r.min1 || r.max1 < r.min0 {
        Some(SeparationKind::Complete)
    } else if r.max0 <= r.min1 || r.max1 <= r.min0 {
        Some(SeparationKind::QuasiComplete)
    } else {
        None
    }
}

/// Covariates that separate the outcome on their own, grouped by kind.
fn univariate(d: &Design<'_>) -> Vec<GlmWarning> {
    let offset = usize::from(d.intercept);
    let mut complete = Vec::new();
    let mut quasi = Vec::new();
    let kind = |c: &&[f64]| kind_of(ranges(d, |i| c[i]));
    let kinds: Vec<Option<SeparationKind>> = if d.n <= CHUNK {
        d.cols.iter().map(kind).collect()
    } else {
        d.cols.par_iter().map(kind).collect()
    };
    for (j, kind) in kinds.into_iter().enumerate() {
        match kind {
            Some(SeparationKind::Complete) => complete.push(d.names[j + offset].clone()),
            Some(SeparationKind::QuasiComplete) => quasi.push(d.names[j + offset].clone()),
            None => {}
        }
    }
    let mut out = Vec::new();
    if !complete.is_empty() {
        out.push(GlmWarning::Separation {
            kind: SeparationKind::Complete,
            covariates: complete,
        });
    }
    if !quasi.is_empty() {
        out.push(GlmWarning::Separation {
            kind: SeparationKind::QuasiComplete,
            covariates: quasi,
        });
    }
    out
}

/// Covariates that drive the linear predictor: coefficient times range at least a tenth of the
/// largest such product.
fn drivers(d: &Design<'_>, beta: &[f64]) -> Vec<String> {
    let offset = usize::from(d.intercept);
    let spread: Vec<f64> = d
        .cols
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let (lo, hi) = c
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                    (l.min(*v), h.max(*v))
                });
            (beta[j + offset] * (hi - lo)).abs()
        })
        .collect();
    let top = spread.iter().cloned().fold(0.0, f64::max);
    spread
        .iter()
        .enumerate()
        .filter(|(_, s)| **s >= 0.1 * top && top > 0.0)
        .map(|(j, _)| d.names[j + offset].clone())
        .collect()
}

/// Separation found by the fitted linear predictor, when the fit looks divergent.
fn combined(
    d: &Design<'_>,
    beta: &[f64],
    eta: &[f64],
    mu: &[f64],
    converged: bool,
) -> Option<GlmWarning> {
    let r = ranges(d, |i| eta[i]);
    let kind = if r.max0 < r.min1 {
        SeparationKind::Complete
    } else if converged {
        // A converged fit with extreme but correct predictions is near-separation, not separation.
        return None;
    } else {
        // Quasi-complete: every row fitted at 0 or 1 has that outcome, and some rows are there.
        let at_bound = |i: usize| mu[i] < 1e-5 || mu[i] > 1.0 - 1e-5;
        let rows: Vec<usize> = (0..d.n)
            .filter(|&i| d.weight(i) > 0.0 && at_bound(i))
            .collect();
        let right = rows.iter().all(|&i| (mu[i] > 0.5) == (d.y[i] == 1.0));
        if rows.is_empty() || !right {
            return None;
        }
        SeparationKind::QuasiComplete
    };
    Some(GlmWarning::Separation {
        kind,
        covariates: drivers(d, beta),
    })
}

/// All separation warnings for a fit.
pub(crate) fn diagnose(
    d: &Design<'_>,
    beta: &[f64],
    eta: &[f64],
    mu: &[f64],
    converged: bool,
    at_zero_or_one: bool,
) -> Vec<GlmWarning> {
    let found = univariate(d);
    if !found.is_empty() || (converged && !at_zero_or_one) {
        return found;
    }
    combined(d, beta, eta, mu, converged).into_iter().collect()
}
