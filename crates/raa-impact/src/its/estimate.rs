//! Fit the design with the family and error model of the specification, giving a [`ModelFit`].

use super::design::Design;
use super::model::{ModelFit, Scale};
use super::series::Sorted;
use super::spec::Likelihood;
use super::spec::{Errors, Family, ItsSpec};
use super::standardise::standardise;
use crate::glm::{self, Family as GlmFamily, GlmFit, GlmOptions};
use crate::gls::{self, Ar1Options, ArOptions, GlsFit, Method, PraisOptions};
use crate::inference::{vcov_newey_west, wls, HacOptions, WlsFit};
use crate::{Error, Result};

/// The fitted design: its columns with the intercept, for rows used.
pub(crate) struct Fitted {
    pub model: ModelFit,
    /// Design rows with the intercept first.
    pub x: Vec<Vec<f64>>,
    /// Offset per row used.
    pub offset: Vec<f64>,
}

/// Row-major design rows with a leading 1.
fn rows(d: &Design) -> Vec<Vec<f64>> {
    (0..d.kept.len())
        .map(|r| {
            std::iter::once(1.0)
                .chain(d.columns.iter().map(|c| c[r]))
                .collect()
        })
        .collect()
}

pub(crate) fn estimate(spec: &ItsSpec, s: &Sorted, original: &Design) -> Result<Fitted> {
    let standardised = standardise(original);
    let d = &standardised.design;
    let y: Vec<f64> = d.kept.iter().map(|&r| s.y[r]).collect();
    let w: Option<Vec<f64>> = s
        .weights
        .as_ref()
        .map(|w| d.kept.iter().map(|&r| w[r]).collect());
    let offset: Vec<f64> = match &s.offset {
        Some(o) => d.kept.iter().map(|&r| o[r]).collect(),
        None => vec![0.0; y.len()],
    };
    let model = match (spec.family, spec.errors) {
        (Family::Gaussian, Errors::Ols) => least_squares(d, &y, w.as_deref(), &offset, None)?,
        (Family::Gaussian, Errors::NeweyWest { lag, adjust }) => {
            let hac = HacOptions {
                lag,
                adjust,
                ..HacOptions::default()
            };
            least_squares(d, &y, w.as_deref(), &offset, Some(&hac))?
        }
        (Family::Gaussian, errors) => autocorrelated(errors, d, &y, w.is_some(), &offset)?,
        (family, Errors::Ols) => generalised(family, d, &y, w, &offset, None)?,
        (family, Errors::NeweyWest { lag, adjust }) => {
            let hac = HacOptions { lag, adjust, ..HacOptions::default() };
            generalised(family, d, &y, w, &offset, Some(&hac))?
        }
        (family, _) => {
            return Err(Error::argument(
                "errors",
                format!("AR(1) and Prais–Winsten errors are for the Gaussian family; for the {family:?} family use Newey–West errors"),
            ))
        }
    };
    let mut model = model;
    standardised.restore(&mut model);
    check_variances(&model)?;
    Ok(Fitted {
        model,
        x: rows(original),
        offset,
    })
}

fn names(d: &Design) -> Vec<String> {
    std::iter::once("(Intercept)".to_string())
        .chain(d.names.iter().cloned())
        .collect()
}

/// Gaussian least squares (weighted by precision weights), with R `lm`'s σ², logLik and AIC; with
/// `hac`, Newey–West standard errors around the same fit.
fn least_squares(
    d: &Design,
    y: &[f64],
    w: Option<&[f64]>,
    offset: &[f64],
    hac: Option<&HacOptions>,
) -> Result<ModelFit> {
    let n = y.len();
    let ones = vec![1.0; n];
    let w: Vec<f64> = w.map_or_else(|| vec![1.0; n], <[f64]>::to_vec);
    let names = names(d);
    let cols: Vec<&[f64]> = std::iter::once(ones.as_slice())
        .chain(d.columns.iter().map(Vec::as_slice))
        .collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let yo: Vec<f64> = y.iter().zip(offset).map(|(y, o)| y - o).collect();
    let fit = wls(&cols, &name_refs, &yo, &w)?;
    let sigma2 = fit.sigma2(&w);
    let p = names.len();
    let n_used = fit.n_used as f64;
    let rss: f64 = fit.residuals.iter().zip(&w).map(|(e, w)| w * e * e).sum();
    let sum_log_w: f64 = w.iter().filter(|v| **v > 0.0).map(|v| v.ln()).sum();
    let ll = 0.5
        * (sum_log_w - n_used * ((2.0 * std::f64::consts::PI).ln() + 1.0 - n_used.ln() + rss.ln()));
    let k = p as f64 + 1.0;
    let covariance = match hac {
        Some(o) => degenerate_hac(
            newey_west(&fit, &cols, &w, o)?,
            &fit.vcov_classical(&w),
            &names,
        )?,
        None => fit.vcov_classical(&w),
    };
    Ok(ModelFit {
        covariance,
        df: Some(n_used - p as f64),
        z_intervals: false,
        scale: Scale::Identity,
        fitted: y.iter().zip(&fit.residuals).map(|(y, e)| y - e).collect(),
        diagnostic_residuals: fit.residuals.clone(),
        residuals: fit.residuals,
        dispersion: sigma2,
        ar1: None,
        ar: Vec::new(),
        theta: None,
        log_likelihood: Some(ll),
        aic: Some(-2.0 * ll + 2.0 * k),
        bic: Some(-2.0 * ll + k * n_used.ln()),
        converged: true,
        iterations: 0,
        warnings: Vec::new(),
        coefficients: fit.coefficients,
        names,
    })
}

/// Newey–West around a least-squares fit: scores `w·e·x`, bread `(X'WX)⁻¹`.
fn newey_west(fit: &WlsFit, cols: &[&[f64]], w: &[f64], o: &HacOptions) -> Result<Vec<f64>> {
    let multiplier: Vec<f64> = fit.residuals.iter().zip(w).map(|(e, w)| e * w).collect();
    vcov_newey_west(cols, &multiplier, &fit.xtwx_inverse, o)
}

fn glm_family(family: Family) -> GlmFamily {
    match family {
        Family::Gaussian => GlmFamily::Gaussian,
        Family::Poisson => GlmFamily::Poisson,
        Family::QuasiPoisson => GlmFamily::QuasiPoisson,
        Family::NegativeBinomial => GlmFamily::NegativeBinomial { theta: None },
        Family::Binomial => GlmFamily::Binomial,
    }
}

/// A GLM (log link for counts, logit for proportions) by IRLS as R's `glm` / `MASS::glm.nb`;
/// with `hac`, Newey–West standard errors around the same fit.
fn generalised(
    family: Family,
    d: &Design,
    y: &[f64],
    w: Option<Vec<f64>>,
    offset: &[f64],
    hac: Option<&HacOptions>,
) -> Result<ModelFit> {
    if family == Family::Binomial && w.is_none() {
        return Err(Error::argument(
            "weights",
            "a binomial series of proportions needs the number of trials per row as weights",
        ));
    }
    let options = GlmOptions {
        weights: w,
        offset: Some(offset.to_vec()),
        ..GlmOptions::for_family(glm_family(family))
    };
    let cols: Vec<&[f64]> = d.columns.iter().map(Vec::as_slice).collect();
    let fit = glm::fit(&cols, &d.names, y, &options)?;
    let covariance = match hac {
        Some(o) => degenerate_hac(glm_newey_west(&fit, d, o)?, &fit.covariance, &fit.names)?,
        None => fit.covariance.clone(),
    };
    Ok(model_from_glm(family, fit, covariance, y))
}

fn glm_newey_west(fit: &GlmFit, d: &Design, o: &HacOptions) -> Result<Vec<f64>> {
    let ones = vec![1.0; fit.fitted.len()];
    let cols: Vec<&[f64]> = std::iter::once(ones.as_slice())
        .chain(d.columns.iter().map(Vec::as_slice))
        .collect();
    let multiplier: Vec<f64> = fit
        .working_weights
        .iter()
        .zip(&fit.working_residuals)
        .map(|(w, r)| w * r)
        .collect();
    vcov_newey_west(&cols, &multiplier, &fit.covariance_unscaled, o)
}

fn model_from_glm(family: Family, fit: GlmFit, covariance: Vec<f64>, y: &[f64]) -> ModelFit {
    // Pearson residuals: sqrt(working weight) × working residual, for any link.
    let pearson = fit
        .working_weights
        .iter()
        .zip(&fit.working_residuals)
        .map(|(w, r)| w.sqrt() * r)
        .collect();
    let scale = if family == Family::Binomial {
        Scale::Logit
    } else {
        Scale::Log
    };
    ModelFit {
        names: fit.names,
        coefficients: fit.coefficients,
        covariance,
        // p-values with t for the quasi family (R's summary.glm); intervals are Wald z (confint.default).
        df: (family == Family::QuasiPoisson).then_some(fit.df_residual as f64),
        z_intervals: true,
        scale,
        residuals: y.iter().zip(&fit.fitted).map(|(y, m)| y - m).collect(),
        fitted: fit.fitted,
        diagnostic_residuals: pearson,
        dispersion: fit.dispersion,
        ar1: None,
        ar: Vec::new(),
        theta: fit.theta,
        log_likelihood: fit.log_likelihood,
        aic: fit.log_likelihood.map(|_| fit.aic),
        bic: fit.bic,
        converged: fit.converged
            && fit
                .theta_convergence
                .as_ref()
                .is_none_or(|t| t.converged && t.theta_converged),
        iterations: fit.iterations,
        warnings: fit.warnings.iter().map(ToString::to_string).collect(),
    }
}

/// Gaussian GLS with AR(1) errors (ML or REML, as `nlme::gls` with `corAR1()`) or Prais–Winsten.
/// Rows left out as transition periods are treated as consecutive, as `corAR1()` without a time
/// covariate does.
fn autocorrelated(
    errors: Errors,
    d: &Design,
    y: &[f64],
    weighted: bool,
    offset: &[f64],
) -> Result<ModelFit> {
    if weighted {
        return Err(Error::argument(
            "weights",
            "precision weights are not supported with autoregressive or Prais–Winsten errors; use errors = ols or newey_west",
        ));
    }
    let cols: Vec<&[f64]> = d.columns.iter().map(Vec::as_slice).collect();
    let yo: Vec<f64> = y.iter().zip(offset).map(|(y, o)| y - o).collect();
    let fit = match errors {
        Errors::Ar1 { method } => {
            let method = gls_method(method);
            let options = Ar1Options {
                method,
                ..Ar1Options::default()
            };
            gls::fit_ar1(&cols, &d.names, &yo, &options)?
        }
        Errors::Ar { order, method } => {
            let method = gls_method(method);
            let options = ArOptions {
                order,
                method,
                ..ArOptions::default()
            };
            gls::fit_ar(&cols, &d.names, &yo, &options)?
        }
        _ => gls::prais_winsten(&cols, &d.names, &yo, &PraisOptions::default())?,
    };
    Ok(model_from_gls(fit, offset))
}

fn gls_method(method: Likelihood) -> Method {
    if method == Likelihood::Ml {
        Method::Ml
    } else {
        Method::Reml
    }
}

fn model_from_gls(fit: GlsFit, offset: &[f64]) -> ModelFit {
    let mut warnings = Vec::new();
    if !fit.converged {
        warnings.push(format!(
            "the AR(1) fit did not converge in {} iterations",
            fit.iterations
        ));
    }
    ModelFit {
        names: fit.names,
        coefficients: fit.coefficients,
        covariance: fit.covariance,
        df: Some(fit.df_residual as f64),
        z_intervals: false,
        scale: Scale::Identity,
        fitted: fit.fitted.iter().zip(offset).map(|(f, o)| f + o).collect(),
        residuals: fit.residuals,
        diagnostic_residuals: fit.normalized_residuals,
        dispersion: fit.sigma * fit.sigma,
        ar1: Some(fit.phi),
        ar: fit.ar.clone(),
        theta: None,
        log_likelihood: Some(fit.log_likelihood),
        aic: Some(fit.aic),
        bic: Some(fit.bic),
        converged: fit.converged,
        iterations: fit.iterations,
        warnings,
    }
}

/// Every coefficient needs a finite, positive variance: a zero or undefined one means the model
/// fits some segment exactly (too few points around an interruption) and no inference is possible.
fn check_variances(m: &ModelFit) -> Result<()> {
    let p = m.p();
    for j in 0..p {
        let v = m.covariance[j * p + j];
        if !(v.is_finite() && v > 0.0) {
            return Err(Error::argument(
                &m.names[j],
                format!(
                    "has variance {v:e}: the model fits the data exactly around it (too few points for its segment); use more points or a simpler impact"
                ),
            ));
        }
    }
    Ok(())
}

/// A Newey–West variance that is a rounding-error fraction of the model-based one means the scores
/// of some coefficient are all zero: a segment is fitted exactly, so there is nothing to estimate
/// its variance from.
fn degenerate_hac(hac: Vec<f64>, model: &[f64], names: &[String]) -> Result<Vec<f64>> {
    let p = names.len();
    for j in 0..p {
        let (h, m) = (hac[j * p + j], model[j * p + j]);
        if h.is_nan() || h <= 1e-10 * m {
            return Err(Error::argument(
                &names[j],
                format!(
                    "has a Newey–West variance of {h:e} against a model-based {m:e}: the model fits the data exactly around it (too few points for its segment); use more points or a simpler impact"
                ),
            ));
        }
    }
    Ok(hac)
}
