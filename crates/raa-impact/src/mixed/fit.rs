//! The front door: check the input, minimise the deviance, and assemble the result.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::blocks::unit_blocks;
use super::blup::blups;
use super::dense::{inverse_from_cholesky, rows};
use super::deviance::{Model, Profile};
use super::input::{Design, MixedInput};
use super::optimise::{column_scales, minimise};
use super::options::{Method, MixedOptions, Residual};
use super::params::{lambda_of, psi, Layout, VarParams};
use super::satterthwaite::{parts, SatterthwaiteParts};
use super::warnings::boundary_warnings;
use crate::{Error, Result};

/// How the optimiser ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Convergence {
    /// The gradient test was met (a `false` also appears in `warnings`).
    pub converged: bool,
    /// Quasi-Newton iterations over all runs.
    pub iterations: usize,
    /// Deviance evaluations (optimiser only).
    pub evaluations: usize,
    /// Largest absolute entry of the deviance gradient in θ at the end.
    pub gradient_max: f64,
    /// Starting points evaluated.
    pub starts: usize,
}

/// A fitted linear mixed model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MixedFit {
    /// REML or ML.
    pub method: Method,
    /// Fixed-effect names, `(Intercept)` first when present.
    pub names: Vec<String>,
    /// β̂.
    pub coefficients: Vec<f64>,
    /// `Var(β̂) = σ̂²(X'V̂⁻¹X)⁻¹`, rows; under ML σ̂² is scaled by `N/(N − p)` as nlme does.
    pub vcov: Vec<Vec<f64>>,
    /// Standard errors of β̂.
    pub std_errors: Vec<f64>,
    /// Satterthwaite denominator degrees of freedom per coefficient.
    pub df: Vec<f64>,
    /// β̂ / SE.
    pub t_values: Vec<f64>,
    /// Two-sided p-values from the t distribution with `df`.
    pub p_values: Vec<f64>,
    /// Residual SD σ.
    pub sigma: f64,
    /// AR(1) coefficient (None with independent residuals).
    pub phi: Option<f64>,
    /// Names of the unit-level random effects.
    pub random_names: Vec<String>,
    /// SDs of the unit-level random effects.
    pub random_sd: Vec<f64>,
    /// Their correlation matrix (identity for a diagonal structure).
    pub random_corr: Vec<Vec<f64>>,
    /// SD of the group-level random intercept.
    pub group_sd: Option<f64>,
    /// Maximised (restricted) log-likelihood, as nlme's `logLik`.
    pub log_likelihood: f64,
    /// `−2ℓ` (the REML criterion under REML).
    pub deviance: f64,
    /// `−2ℓ + 2k`.
    pub aic: f64,
    /// `−2ℓ + k log(n)` with `n − p` under REML, as nlme.
    pub bic: f64,
    /// Parameters counted by AIC/BIC (fixed effects, variance parameters, σ), as nlme counts them.
    pub n_parameters: usize,
    /// Observations.
    pub n_obs: usize,
    /// How the optimiser ended.
    pub convergence: Convergence,
    /// Boundary estimates and other caveats, in words.
    pub warnings: Vec<String>,
    /// Unit labels in increasing order, and their BLUPs (one row per unit, `random_names` order).
    pub units: Vec<u64>,
    /// BLUPs of the unit random effects (rows follow `units`).
    pub unit_blups: Vec<Vec<f64>>,
    /// Group labels (increasing) and their random-intercept BLUPs.
    pub groups: Vec<u64>,
    /// BLUPs of the group intercepts (follow `groups`).
    pub group_blups: Vec<f64>,
    /// Group index of each unit (into `groups`).
    pub unit_group: Vec<usize>,
    /// Xβ̂ per input row.
    pub fitted_population: Vec<f64>,
    /// Xβ̂ + Zb̂ + group BLUP per input row.
    pub fitted_unit: Vec<f64>,
    /// Indices of the random-effect columns among the fixed effects.
    pub random_columns: Vec<usize>,
    /// Optimiser's variance parameters θ (free Cholesky entries of Ψ/σ², τ, atanh φ).
    pub theta: Vec<f64>,
    /// What the df of any contrast need (see [`MixedFit::contrast`]).
    pub satterthwaite: SatterthwaiteParts,
}

/// Known variance parameters, relative to σ² as nlme stores them, at which
/// [`log_likelihood_at`] evaluates the profiled likelihood.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VarianceParameters {
    /// `Ψ/σ²` of the unit-level random effects (rows).
    pub psi_relative: Vec<Vec<f64>>,
    /// `τ²/σ²` of the group intercept.
    pub group_relative: Option<f64>,
    /// AR(1) coefficient.
    pub phi: Option<f64>,
}

fn build_model<'a>(input: MixedInput<'a>, options: &MixedOptions) -> Result<Model<'a>> {
    let design = Design::new(input, options)?;
    let ar1 = options.residual == Residual::Ar1;
    let blocks = unit_blocks(&design, ar1);
    let layout = Layout::new(
        design.z.len(),
        options.covariance,
        input.group.is_some(),
        ar1,
        column_scales(&design),
    );
    let n_groups = design.group_labels.len().max(1);
    Ok(Model {
        design,
        blocks,
        layout,
        method: options.method,
        n_groups,
        cache: std::sync::Mutex::new(None),
    })
}

/// Fit `y = Xβ + Z b_unit + g_group + e` by REML or ML.
///
/// ```
/// use raa_impact::mixed::{fit_mixed, MixedInput, MixedOptions};
/// let (mut y, mut t, mut unit) = (vec![], vec![], vec![]);
/// for u in 0..8u64 {
///     for s in 0..6 {
///         t.push(s as f64);
///         unit.push(u);
///         y.push(1.0 + 0.5 * s as f64 + (u as f64 - 3.5) * 0.4 + ((u * 7 + s) as f64).sin() * 0.3);
///     }
/// }
/// let names = vec!["time".to_string()];
/// let input = MixedInput { y: &y, x: &[&t], x_names: &names, unit: &unit, group: None, time: &t };
/// let fit = fit_mixed(&input, &MixedOptions::default()).unwrap();
/// assert!((fit.coefficients[1] - 0.5).abs() < 0.1);
/// ```
pub fn fit_mixed(input: &MixedInput<'_>, options: &MixedOptions) -> Result<MixedFit> {
    let model = build_model(*input, options)?;
    let search = minimise(&model, options.max_iter);
    let v = model.layout.unpack(&search.theta);
    let Some(pr) = model.profile(&v) else {
        return Err(Error::argument(
            "y",
            "the likelihood is undefined at every starting point (residual variance zero?)",
        ));
    };
    assemble(&model, &search, &v, &pr)
}

/// The profiled log-likelihood (REML or ML, as `options.method`) at given variance parameters:
/// for checking an optimum found by another program.
///
/// ```
/// use raa_impact::mixed::{log_likelihood_at, MixedInput, MixedOptions, VarianceParameters};
/// let y = vec![1.0, 2.0, 2.5, 0.5, 1.5, 2.0, 1.0, 1.2];
/// let t = vec![0.0, 1.0, 2.0, 3.0, 0.0, 1.0, 2.0, 3.0];
/// let unit = vec![1, 1, 1, 1, 2, 2, 2, 2];
/// let names = vec!["time".to_string()];
/// let input = MixedInput { y: &y, x: &[&t], x_names: &names, unit: &unit, group: None, time: &t };
/// let at = VarianceParameters { psi_relative: vec![vec![0.5]], group_relative: None, phi: None };
/// assert!(log_likelihood_at(&input, &MixedOptions::default(), &at).unwrap().is_finite());
/// ```
pub fn log_likelihood_at(
    input: &MixedInput<'_>,
    options: &MixedOptions,
    at: &VarianceParameters,
) -> Result<f64> {
    let model = build_model(*input, options)?;
    let q = model.layout.q;
    if at.psi_relative.len() != q || at.psi_relative.iter().any(|r| r.len() != q) {
        return Err(Error::argument(
            "psi_relative",
            format!("expected a {q} × {q} matrix"),
        ));
    }
    let flat: Vec<f64> = at.psi_relative.iter().flatten().copied().collect();
    let v = VarParams {
        lambda: lambda_of(&flat, q),
        tau: at.group_relative.unwrap_or(0.0).max(0.0).sqrt(),
        phi: at.phi.unwrap_or(0.0),
    };
    model
        .profile(&v)
        .map(|pr| -0.5 * model.deviance_of(&pr))
        .ok_or_else(|| Error::argument("at", "the likelihood is undefined at these parameters"))
}

fn assemble(
    model: &Model<'_>,
    search: &super::optimise::Search,
    v: &VarParams,
    pr: &Profile,
) -> Result<MixedFit> {
    let d = &model.design;
    let (p, q) = (d.p, model.layout.q);
    let n_eff = model.n_eff();
    let sigma2 = pr.rss / n_eff;
    let sigma = sigma2.sqrt();
    // As nlme: under ML, Var(β̂) uses σ̂² scaled by N/(N − p) (the REML-type residual variance).
    let n = d.n_obs as f64;
    let scale = sigma2 * n / (n - p as f64) * (n_eff / n);
    let scale = if model.method == Method::Ml {
        scale
    } else {
        sigma2
    };
    let vcov: Vec<f64> = inverse_from_cholesky(&pr.xx_chol, p)
        .into_iter()
        .map(|x| x * scale)
        .collect();
    let deviance = model.deviance_of(pr);
    let sat = parts(model, &search.theta, sigma)
        .ok_or_else(|| Error::argument("y", "the likelihood is undefined next to the optimum"))?;
    let mut warnings = boundary_warnings(model, v, sigma);
    if !search.converged {
        warnings.push(format!(
            "the optimiser did not converge (largest gradient entry {:.2e} after {} iterations); estimates are the best found",
            search.gradient_max, search.iterations
        ));
    }
    if sat.pseudo_inverse {
        warnings.push("the Hessian of the deviance in the variance parameters is singular (a boundary estimate); Satterthwaite df use its pseudo-inverse".into());
    }
    let mut df = Vec::with_capacity(p);
    let mut unit_vec = vec![0.0; p];
    for j in 0..p {
        unit_vec
            .iter_mut()
            .enumerate()
            .for_each(|(i, x)| *x = f64::from(u8::from(i == j)));
        df.push(sat.df(&unit_vec, &vcov).unwrap_or_else(|| {
            warnings.push(format!(
                "Satterthwaite df of `{}` undefined; using n − p",
                d.names[j]
            ));
            n_eff.max(1.0)
        }));
    }
    let std_errors: Vec<f64> = (0..p).map(|j| vcov[j * p + j].sqrt()).collect();
    let t_values: Vec<f64> = pr
        .beta
        .iter()
        .zip(&std_errors)
        .map(|(b, s)| b / s)
        .collect();
    let p_values = t_values
        .iter()
        .zip(&df)
        .map(|(t, df)| two_sided(*t, *df))
        .collect();
    let psi_abs: Vec<f64> = psi(&v.lambda, q).into_iter().map(|x| x * sigma2).collect();
    let random_sd: Vec<f64> = (0..q).map(|j| psi_abs[j * q + j].sqrt()).collect();
    let random_corr = (0..q)
        .map(|i| {
            (0..q)
                .map(|j| {
                    if i == j {
                        1.0
                    } else if random_sd[i] > 0.0 && random_sd[j] > 0.0 {
                        psi_abs[i * q + j] / (random_sd[i] * random_sd[j])
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let (unit_blups, group_blups) = blups(model, v, &pr.beta)
        .ok_or_else(|| Error::argument("y", "random effects undefined at the optimum"))?;
    let (fitted_population, fitted_unit) = fitted(model, &pr.beta, &unit_blups, &group_blups);
    let n_parameters = p + model.layout.len() + 1;
    let log_likelihood = -0.5 * deviance;
    Ok(MixedFit {
        method: model.method,
        names: d.names.clone(),
        coefficients: pr.beta.clone(),
        vcov: rows(&vcov, p),
        std_errors,
        df,
        t_values,
        p_values,
        sigma,
        phi: model.layout.ar1.then_some(v.phi),
        random_names: d.z.iter().map(|&j| d.names[j].clone()).collect(),
        random_sd,
        random_corr,
        group_sd: model.layout.group.then_some(v.tau.abs() * sigma),
        log_likelihood,
        deviance,
        aic: deviance + 2.0 * n_parameters as f64,
        bic: deviance + n_parameters as f64 * n_eff.ln(),
        n_parameters,
        n_obs: d.n_obs,
        convergence: Convergence {
            converged: search.converged,
            iterations: search.iterations,
            evaluations: search.evaluations,
            gradient_max: search.gradient_max,
            starts: search.starts,
        },
        warnings,
        units: d.units.iter().map(|u| u.label).collect(),
        unit_blups,
        groups: d.group_labels.clone(),
        group_blups,
        unit_group: d.units.iter().map(|u| u.group).collect(),
        fitted_population,
        fitted_unit,
        random_columns: d.z.clone(),
        theta: search.theta.clone(),
        satterthwaite: sat,
    })
}

pub(crate) fn two_sided(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(dist) => 2.0 * dist.sf(t.abs()),
        Err(_) => 1.0,
    }
}

fn fitted(
    model: &Model<'_>,
    beta: &[f64],
    unit_blups: &[Vec<f64>],
    group_blups: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let d = &model.design;
    let mut population = vec![0.0; d.n_obs];
    let mut unit = vec![0.0; d.n_obs];
    for (u, b) in d.units.iter().zip(unit_blups) {
        let g = group_blups.get(u.group).copied().unwrap_or(0.0);
        for &r in &u.rows {
            let xb: f64 = (0..d.p).map(|j| d.value(r, j) * beta[j]).sum();
            let zb: f64 = d.z.iter().zip(b).map(|(&c, bj)| d.value(r, c) * bj).sum();
            population[r] = xb;
            unit[r] = xb + zb + g;
        }
    }
    (population, unit)
}
