//! Hájek inverse-probability-weighted difference in means, with M-estimation or HC0 standard errors.

use nalgebra::{DMatrix, DVector};

use super::input::{extreme_score_note, fit_ps, validate};
use super::variance::{cluster_clause, finish, se_from_influence, Estimate};
use super::{ps_weights, WeightScheme, WeightingOptions};
use crate::psm::effect::Effect;
use crate::{Error, Result};

/// Weighted difference in means `μ1 − μ0`, each mean normalised by its arm's weight total (Hájek),
/// with weights from a logit propensity score fitted here on `ps_model_columns` (an intercept is
/// added). Returns the effect and the weights (one per unit).
///
/// Standard error: with `account_for_ps` (default), the sandwich of the stacked estimating
/// equations — the logit score `(t − e) x` and the two weighted means `t w1 (y − μ1)`,
/// `(1 − t) w0 (y − μ0)` — as in Lunceford & Davidian (2004) for the ATE and derived the same way
/// for the ATT, ATC and overlap weights (the weights' derivatives along the logit enter the bread).
/// Without it, the HC0 sandwich of `lm(y ~ t, weights = w)` (R `sandwich::vcovHC(type = "HC0")`).
/// With `cluster`, the same estimating functions are summed within clusters and scaled by
/// `G/(G−1)` (R `vcovCL(type = "HC0")`).
///
/// Errors: lengths differ, NaN/infinite values (naming the column and row), no treated or no
/// control units, a logit that does not converge, or an estimated score numerically 0 or 1
/// (naming the row; trim to common support).
///
/// ```
/// use raa_impact::weighting::{ipw_effect, WeightScheme, WeightingOptions};
/// let x: Vec<f64> = (0..40).map(|i| (i % 10) as f64 / 10.0).collect();
/// let treated: Vec<bool> = (0..40).map(|i| (i * 7 + i / 10) % 3 == 0).collect();
/// let y: Vec<f64> = (0..40).map(|i| x[i] + if treated[i] { 2.0 } else { 0.0 }).collect();
/// let options = WeightingOptions { scheme: WeightScheme::Overlap, ..Default::default() };
/// let (effect, weights) = ipw_effect(&y, &treated, &[&x], &["x".to_string()], &options).unwrap();
/// assert_eq!(weights.len(), 40);
/// assert!(effect.method.contains("overlap weights (ATO)"));
/// assert!((effect.estimate - 2.0).abs() < 1e-8); // overlap weights balance x exactly
/// ```
pub fn ipw_effect(
    y: &[f64],
    treated: &[bool],
    ps_model_columns: &[&[f64]],
    names: &[String],
    options: &WeightingOptions,
) -> Result<(Effect, Vec<f64>)> {
    validate(
        y,
        treated,
        ps_model_columns,
        names,
        "ps_model_columns",
        options,
    )?;
    let fit = fit_ps(ps_model_columns, names, treated)?;
    let e = &fit.fitted;
    let scheme = options.scheme;
    let w = ps_weights(e, treated, scheme)?;
    let arm = ArmMeans::new(y, treated, &w);
    let mut phi: Vec<f64> = (0..y.len())
        .map(|i| {
            if treated[i] {
                w[i] * (y[i] - arm.mu1) / arm.s1
            } else {
                -w[i] * (y[i] - arm.mu0) / arm.s0
            }
        })
        .collect();
    if options.account_for_ps {
        add_ps_term(&mut phi, y, treated, e, ps_model_columns, scheme, &arm)?;
    }
    let (se, n_clusters) = se_from_influence(&phi, options.cluster.as_deref());
    let se_method = if options.account_for_ps {
        "M-estimation: logit score equations stacked with the weighted means (Lunceford–Davidian)"
    } else {
        "robust sandwich of the weighted regression y ~ t (HC0); propensity score treated as known"
    };
    let effect = finish(
        Estimate {
            estimand: scheme.estimand(),
            method: method_name(scheme).to_string(),
            estimate: arm.mu1 - arm.mu0,
            se,
            se_method: format!(
                "{se_method}{}{}",
                cluster_clause(n_clusters),
                extreme_score_note(e)
            ),
            n_clusters,
        },
        options.level,
        treated,
    );
    Ok((effect, w))
}

fn method_name(scheme: WeightScheme) -> &'static str {
    match scheme {
        WeightScheme::Ate => "inverse probability weighting (ATE), Hájek difference in means",
        WeightScheme::Att => "odds weighting (ATT), Hájek difference in means",
        WeightScheme::Atc => "inverse odds weighting (ATC), Hájek difference in means",
        WeightScheme::Overlap => "overlap weights (ATO), Hájek difference in means",
    }
}

/// Weight totals and weighted means of each arm.
struct ArmMeans {
    s1: f64,
    s0: f64,
    mu1: f64,
    mu0: f64,
}

impl ArmMeans {
    fn new(y: &[f64], treated: &[bool], w: &[f64]) -> Self {
        let (mut s1, mut s0, mut m1, mut m0) = (0.0, 0.0, 0.0, 0.0);
        for i in 0..y.len() {
            if treated[i] {
                s1 += w[i];
                m1 += w[i] * y[i];
            } else {
                s0 += w[i];
                m0 += w[i] * y[i];
            }
        }
        ArmMeans {
            s1,
            s0,
            mu1: m1 / s1,
            mu0: m0 / s0,
        }
    }
}

/// Add the propensity-score part of the influence: `(t_i − e_i) x_i' I⁻¹ (D1/S1 − D0/S0)`, where
/// `I = Σ e(1−e) x x'` is the logit information at the estimate and `D_a` is the derivative of arm
/// `a`'s summed estimating function with respect to the logit coefficients. This is the
/// block-triangular inverse of the stacked bread written out.
fn add_ps_term(
    phi: &mut [f64],
    y: &[f64],
    treated: &[bool],
    e: &[f64],
    columns: &[&[f64]],
    scheme: WeightScheme,
    arm: &ArmMeans,
) -> Result<()> {
    let p = columns.len() + 1;
    let x = |i: usize, j: usize| if j == 0 { 1.0 } else { columns[j - 1][i] };
    let mut info = DMatrix::<f64>::zeros(p, p);
    let mut d = DVector::<f64>::zeros(p);
    for i in 0..y.len() {
        let v = e[i] * (1.0 - e[i]);
        let (g1, g0) = scheme.logit_slopes(e[i]);
        let c = if treated[i] {
            (y[i] - arm.mu1) * g1 / arm.s1
        } else {
            -(y[i] - arm.mu0) * g0 / arm.s0
        };
        for a in 0..p {
            let xa = x(i, a);
            d[a] += c * xa;
            for b in 0..=a {
                info[(a, b)] += v * xa * x(i, b);
            }
        }
    }
    info.fill_upper_triangle_with_lower_triangle();
    let g = info.cholesky().map(|ch| ch.solve(&d)).ok_or_else(|| {
        Error::argument(
            "ps_model_columns",
            "the logit information matrix is not positive definite (collinear covariates?)",
        )
    })?;
    for (i, f) in phi.iter_mut().enumerate() {
        let r = f64::from(u8::from(treated[i])) - e[i];
        let xg: f64 = (0..p).map(|a| x(i, a) * g[a]).sum();
        *f += r * xg;
    }
    Ok(())
}
