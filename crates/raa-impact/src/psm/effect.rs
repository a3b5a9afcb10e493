//! Treatment effects in a matched set: difference in means or g-computation, with pair-clustered,
//! cluster-robust, robust, Abadie–Imbens or bootstrap standard errors.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::abadie_imbens::{ai_match, ai_se_estimated_ps, AiOptions, Scaling};
use super::matchset::MatchSet;
use super::options::Estimand;
use crate::inference::{check, vcov_cluster, vcov_hc, wls, ClusterAdjust};
use crate::{Error, Result};

/// How the standard error is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SeMethod {
    /// Clustered on the matched pair/subclass (`vcovCL(cluster = ~subclass)`, HC1); needs matching
    /// without replacement.
    #[default]
    Pair,
    /// Clustered on a user column (e.g. local authority).
    Cluster,
    /// Heteroskedasticity-robust (HC1), ignoring the pairing.
    Robust,
    /// Abadie–Imbens (2006): R Matching's `Match()` on the same distance; needs replacement.
    AbadieImbens,
    /// Abadie–Imbens (2016): the (2006) variance less the part explained by estimating the logit
    /// score (Stata's `teffects psmatch` default). ATE, with replacement, on the score itself
    /// (`distance = "ps"`), with the score model's columns in [`EffectOptions::score_design`].
    AbadieImbensEstimatedPs {
        /// Units per group for the conditional covariances (Stata's default: 2).
        neighbours: usize,
    },
    /// Seeded bootstrap of pairs (or of the `cluster` column's clusters when given).
    Bootstrap {
        /// Number of replicates.
        replicates: usize,
        /// Seed; replicate `b` draws from its own stream, so any thread count gives the same SE.
        seed: u64,
    },
}

/// Options of [`MatchSet::effect`].
#[derive(Debug, Clone, Default)]
pub struct EffectOptions<'a> {
    /// Standard error.
    pub se: SeMethod,
    /// Cluster id per unit, for `SeMethod::Cluster` (and the cluster bootstrap).
    pub cluster: Option<&'a [u64]>,
    /// Covariates for the regression-adjusted (g-computation) estimate; empty = difference in means.
    pub adjust: Vec<(&'a str, &'a [f64])>,
    /// Confidence level (default 0.95 when 0).
    pub level: f64,
    /// Abadie–Imbens estimators: regression bias adjustment (Abadie & Imbens 2011) on the matching
    /// distance, as Matching's `BiasAdjust = TRUE`.
    pub bias_adjust: bool,
    /// The score model's columns, without the intercept, for `AbadieImbensEstimatedPs`.
    pub score_design: Vec<&'a [f64]>,
    /// The supplied score, when the match left its distance unbuilt
    /// ([`MatchInput::defer_distance`](super::MatchInput::defer_distance)): the Abadie–Imbens
    /// estimators match again on the distance.
    pub score: Option<&'a [f64]>,
}

/// An estimated effect (treated minus control).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    /// ATT, ATC or ATE.
    pub estimand: Estimand,
    /// "difference in means" or "g-computation" (or "Abadie–Imbens matching estimator").
    pub method: String,
    /// Point estimate.
    pub estimate: f64,
    /// Standard error.
    pub se: f64,
    /// Confidence interval (normal).
    pub ci: (f64, f64),
    /// Confidence level.
    pub level: f64,
    /// z statistic.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// How the SE was computed.
    pub se_method: String,
    /// Clusters behind a clustered SE.
    pub n_clusters: Option<usize>,
    /// Matched treated and control units.
    pub n_treated: usize,
    /// Matched controls.
    pub n_control: usize,
}

impl MatchSet {
    /// Estimate the effect on outcome `y` (one value per unit; values of units outside the matched
    /// set are ignored but must still be finite or NaN-free within it).
    ///
    /// ```
    /// use raa_impact::psm::{match_units, MatchInput, MatchOptions};
    /// use raa_impact::psm::effect::EffectOptions;
    /// let treated = [true, true, true, false, false, false, false];
    /// let score = [0.8, 0.6, 0.5, 0.7, 0.55, 0.45, 0.1];
    /// let y = [10.0, 8.0, 7.0, 6.0, 5.0, 5.5, 1.0];
    /// let input = MatchInput { treated: &treated, score: Some(&score), ..Default::default() };
    /// let m = match_units(&input, &MatchOptions::default()).unwrap();
    /// let e = m.effect(&y, &EffectOptions::default()).unwrap();
    /// assert!((e.estimate - (25.0 - 16.5) / 3.0).abs() < 1e-12);
    /// ```
    pub fn effect(&self, y: &[f64], options: &EffectOptions) -> Result<Effect> {
        let level = if options.level == 0.0 {
            0.95
        } else {
            options.level
        };
        if !(level > 0.0 && level < 1.0) {
            return Err(Error::argument(
                "level",
                format!("{level}: expected a value in (0, 1)"),
            ));
        }
        let rows: Vec<usize> = self.weights.rows().iter().map(|&i| i as usize).collect();
        if rows.is_empty() {
            return Err(Error::argument(
                "matches",
                "the matched set is empty: there is no effect to estimate",
            ));
        }
        check::same_length("y", y.len(), self.weights.n())?;
        if let Some(&row) = rows.iter().find(|&&i| !y[i].is_finite()) {
            return Err(Error::argument(
                "y",
                format!(
                    "row {row} of the matched set is {}, expected a finite outcome",
                    y[row]
                ),
            ));
        }
        let fit = Regression::new(self, y, &options.adjust, &rows)?;
        let (se, se_method, n_clusters) = match options.se {
            SeMethod::Pair => {
                let pairs = self.pairs()?;
                let v = fit.vcov_cluster(&fit.subset_u64(&pairs))?;
                (
                    v.0,
                    "clustered on the matched pair (HC1)".to_string(),
                    Some(v.1),
                )
            }
            SeMethod::Cluster => {
                let cluster = options.cluster.ok_or_else(|| {
                    Error::argument("cluster", "se=\"cluster\" needs a cluster column")
                })?;
                check::same_length("cluster", cluster.len(), y.len())?;
                let v = fit.vcov_cluster(&fit.subset_u64(cluster))?;
                (
                    v.0,
                    "clustered on the given column (HC1)".to_string(),
                    Some(v.1),
                )
            }
            SeMethod::Robust => (
                fit.se_robust(),
                "heteroskedasticity-robust (HC1)".into(),
                None,
            ),
            SeMethod::Bootstrap { replicates, seed } => {
                let cluster = match options.cluster {
                    Some(c) => fit.subset_u64(c),
                    None => self.pairs().map(|p| fit.subset_u64(&p))?,
                };
                let (se, g) = fit.bootstrap(&cluster, replicates, seed)?;
                (
                    se,
                    format!("bootstrap of {g} clusters, {replicates} replicates, seed {seed}"),
                    Some(g),
                )
            }
            SeMethod::AbadieImbens => return self.abadie_imbens(y, level, options),
            SeMethod::AbadieImbensEstimatedPs { neighbours } => {
                return self.abadie_imbens_estimated_ps(y, level, neighbours, options)
            }
        };
        Ok(self.finish(fit.estimate, se, level, fit.method(), se_method, n_clusters))
    }

    fn finish(
        &self,
        estimate: f64,
        se: f64,
        level: f64,
        method: &str,
        se_method: String,
        n_clusters: Option<usize>,
    ) -> Effect {
        let normal = Normal::standard();
        let q = normal.inverse_cdf(0.5 + level / 2.0);
        let z = estimate / se;
        let count = |t: bool| {
            self.weights
                .rows()
                .iter()
                .filter(|&&i| self.treated[i as usize] == t)
                .count()
        };
        Effect {
            estimand: self.options.estimand,
            method: method.to_string(),
            estimate,
            se,
            ci: (estimate - q * se, estimate + q * se),
            level,
            z,
            p_value: 2.0 * normal.cdf(-z.abs()),
            se_method,
            n_clusters,
            n_treated: count(true),
            n_control: count(false),
        }
    }

    /// Pair ids of the matched units; an error after matching with replacement.
    fn pairs(&self) -> Result<Vec<u64>> {
        if self.options.replace {
            return Err(Error::argument(
                "se",
                "pairs overlap when matching with replacement: use se=\"ai\", \"cluster\" or \"bootstrap\" with a cluster column",
            ));
        }
        Ok(self.subclasses().iter().map(|s| u64::from(*s)).collect())
    }

    fn abadie_imbens(&self, y: &[f64], level: f64, options: &EffectOptions) -> Result<Effect> {
        let bias_adjust = options.bias_adjust;
        let ai = self.ai_fit(y, self.options.estimand, options)?;
        Ok(self.finish(
            ai.estimate,
            ai.se,
            level,
            ai_method(bias_adjust),
            "Abadie–Imbens (2006)".into(),
            None,
        ))
    }

    /// Matching's `Match()` on the matching distance, with replacement.
    fn ai_fit(
        &self,
        y: &[f64],
        estimand: Estimand,
        options: &EffectOptions,
    ) -> Result<super::abadie_imbens::AiResult> {
        let scored = !self.distance.is_empty() || self.deferred_distance.is_some();
        if !self.options.replace || !scored {
            return Err(Error::argument(
                "se",
                "Abadie–Imbens SEs apply to matching with replacement on a score distance (replace=True)",
            ));
        }
        let distance = self.distance_from(options.score)?;
        let bias_adjust = options.bias_adjust;
        ai_match(
            y,
            &self.treated,
            &[&distance],
            &AiOptions {
                estimand,
                m: self.options.ratio,
                scaling: Scaling::InverseVariance,
                bias_adjust,
                ..AiOptions::default()
            },
        )
    }

    /// Abadie–Imbens (2016): the estimated-score correction of the ATE's variance.
    fn abadie_imbens_estimated_ps(
        &self,
        y: &[f64],
        level: f64,
        neighbours: usize,
        options: &EffectOptions,
    ) -> Result<Effect> {
        let need = |msg: &str| Err(Error::argument("se", format!("se=\"ai_ps\" {msg}")));
        if self.options.estimand != Estimand::Ate {
            return need("corrects the ATE only (estimand=\"ATE\"), as Abadie and Imbens (2016) and Stata do");
        }
        if self.options.distance != super::options::Distance::Ps {
            return need(
                "matches on the score itself, as Stata's teffects psmatch: use distance=\"ps\"",
            );
        }
        let Some(score) = self.score.as_ref().filter(|s| s.model.is_some()) else {
            return need("needs a score estimated by the logit model, not a supplied score");
        };
        if options.score_design.is_empty() {
            return need("needs the score model's columns (score_design)");
        }
        let ai = self.ai_fit(y, Estimand::Ate, options)?;
        let ones = vec![1.0; y.len()];
        let mut design: Vec<&[f64]> = vec![&ones];
        design.extend(options.score_design.iter().copied());
        let se = ai_se_estimated_ps(&ai, y, &self.treated, &design, &score.ps, neighbours)?;
        Ok(self.finish(
            ai.estimate,
            se,
            level,
            ai_method(options.bias_adjust),
            format!(
                "Abadie–Imbens (2016), adjusted for the estimated score ({neighbours} neighbours)"
            ),
            None,
        ))
    }
}

fn ai_method(bias_adjust: bool) -> &'static str {
    if bias_adjust {
        "Abadie–Imbens matching estimator, bias-adjusted"
    } else {
        "Abadie–Imbens matching estimator"
    }
}

/// The outcome regression on the matched rows: `y ~ t` or, with covariates, `y ~ t * X`.
struct Regression<'a> {
    set: &'a MatchSet,
    rows: Vec<usize>,
    columns: Vec<Vec<f64>>,
    names: Vec<String>,
    y: Vec<f64>,
    w: Vec<f64>,
    /// Gradient of the estimate with respect to the coefficients.
    gradient: Vec<f64>,
    fit: crate::inference::WlsFit,
    estimate: f64,
}

impl<'a> Regression<'a> {
    fn new(
        set: &'a MatchSet,
        y: &[f64],
        adjust: &[(&str, &[f64])],
        rows: &[usize],
    ) -> Result<Self> {
        let t: Vec<f64> = rows
            .iter()
            .map(|&i| f64::from(u8::from(set.treated[i])))
            .collect();
        // `rows` are the matched set's rows, in the weights' own order.
        let w: Vec<f64> = set.weights.values().to_vec();
        let mut columns = vec![vec![1.0; rows.len()], t.clone()];
        let mut names = vec!["(Intercept)".to_string(), "treat".to_string()];
        let mut interactions = Vec::new();
        for (name, x) in adjust {
            check::finite(name, x, set.weights.n())?;
            let xs: Vec<f64> = rows.iter().map(|&i| x[i]).collect();
            interactions.push((
                format!("treat:{name}"),
                xs.iter().zip(&t).map(|(x, t)| x * t).collect(),
            ));
            columns.push(xs);
            names.push(name.to_string());
        }
        for (name, col) in interactions {
            columns.push(col);
            names.push(name);
        }
        let ys: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
        let refs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let fit = wls(&refs, &name_refs, &ys, &w)?;
        let gradient = contrast_gradient(set.options.estimand, &columns, &w);
        let estimate = dot(&gradient, &fit.coefficients);
        Ok(Regression {
            set,
            rows: rows.to_vec(),
            columns,
            names,
            y: ys,
            w,
            gradient,
            fit,
            estimate,
        })
    }

    fn method(&self) -> &'static str {
        if self.names.len() > 2 {
            "g-computation"
        } else {
            "difference in means"
        }
    }

    fn subset_u64(&self, values: &[u64]) -> Vec<u64> {
        self.rows.iter().map(|&i| values[i]).collect()
    }

    fn columns(&self) -> Vec<&[f64]> {
        self.columns.iter().map(Vec::as_slice).collect()
    }

    fn quadratic(&self, v: &[f64]) -> f64 {
        let p = self.gradient.len();
        let mut s = 0.0;
        for a in 0..p {
            for b in 0..p {
                s += self.gradient[a] * v[a * p + b] * self.gradient[b];
            }
        }
        s
    }

    fn vcov_cluster(&self, cluster: &[u64]) -> Result<(f64, usize)> {
        let v = vcov_cluster(
            &self.fit,
            &self.columns(),
            &self.w,
            cluster,
            ClusterAdjust::Hc1,
        )?;
        let g = cluster
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        Ok((self.quadratic(&v).sqrt(), g))
    }

    fn se_robust(&self) -> f64 {
        self.quadratic(&vcov_hc(&self.fit, &self.columns(), &self.w, true))
            .sqrt()
    }

    /// Resample whole clusters with replacement; replicate `b` uses its own ChaCha stream
    /// (seed, b), so the result does not depend on how rayon splits the work.
    fn bootstrap(&self, cluster: &[u64], replicates: usize, seed: u64) -> Result<(f64, usize)> {
        if replicates < 2 {
            return Err(Error::argument(
                "replicates",
                "the bootstrap needs at least 2 replicates",
            ));
        }
        let mut ids: Vec<u64> = cluster.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let members: Vec<Vec<usize>> = {
            let mut m = vec![Vec::new(); ids.len()];
            for (k, c) in cluster.iter().enumerate() {
                if let Ok(g) = ids.binary_search(c) {
                    m[g].push(k);
                }
            }
            m
        };
        let estimates: Vec<f64> = (0..replicates)
            .into_par_iter()
            .filter_map(|b| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(b as u64);
                let mut count = vec![0.0; self.rows.len()];
                for _ in 0..members.len() {
                    for &k in &members[rng.random_range(0..members.len())] {
                        count[k] += 1.0;
                    }
                }
                self.replicate(&count)
            })
            .collect();
        if estimates.len() < 2 {
            return Err(Error::argument(
                "replicates",
                "too few bootstrap replicates could be estimated",
            ));
        }
        let mean = estimates.iter().sum::<f64>() / estimates.len() as f64;
        let var = estimates.iter().map(|e| (e - mean).powi(2)).sum::<f64>()
            / (estimates.len() as f64 - 1.0);
        Ok((var.sqrt(), ids.len()))
    }

    /// The estimate on a resample given by per-row multiplicities; `None` if it cannot be fitted.
    fn replicate(&self, count: &[f64]) -> Option<f64> {
        let w: Vec<f64> = self.w.iter().zip(count).map(|(w, c)| w * c).collect();
        let refs = self.columns();
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        let fit = wls(&refs, &names, &self.y, &w).ok()?;
        // Re-average the covariates over the resampled target units for g-computation.
        let est = dot(
            &contrast_gradient(self.set.options.estimand, &self.columns, &w),
            &fit.coefficients,
        );
        est.is_finite().then_some(est)
    }
}

/// Gradient of the averaged contrast with respect to the coefficients of `y ~ 1 + t + X + t:X`
/// (`columns` in that order): 1 for `t`, and for each `t:x` the weighted mean of `x` over the
/// target units (treated for ATT, controls for ATC, everyone for ATE). Its dot product with the
/// coefficients is the g-computation estimate; with no covariates, the difference in means.
fn contrast_gradient(estimand: Estimand, columns: &[Vec<f64>], w: &[f64]) -> Vec<f64> {
    let t = &columns[1];
    let target = |k: usize| match estimand {
        Estimand::Att => t[k] == 1.0,
        Estimand::Atc => t[k] == 0.0,
        Estimand::Ate => true,
    };
    let p_adjust = (columns.len() - 2) / 2;
    let mut gradient = vec![0.0; columns.len()];
    gradient[1] = 1.0;
    for j in 0..p_adjust {
        let x = &columns[2 + j];
        let (sw, swx) = (0..w.len())
            .filter(|&k| target(k))
            .fold((0.0, 0.0), |(a, b), k| (a + w[k], b + w[k] * x[k]));
        gradient[2 + p_adjust + j] = swx / sw;
    }
    gradient
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
