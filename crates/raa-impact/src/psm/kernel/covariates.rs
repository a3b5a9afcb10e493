//! Greedy matching on a distance computed from covariates (Mahalanobis or weighted Euclidean).
//! Brute force over the eligible controls of the stratum: correct first, for moderate sizes.

use super::greedy::Out;
use super::prepare::{is_eligible, key_of};
use super::types::{
    DistanceScale, KernelInput, KernelOptions, Matches, Order, Ties, UnmatchedReason,
};
use crate::{Error, Result};
use nalgebra::DMatrix;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How covariate differences are scaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CovariateScaling {
    /// Mahalanobis distance with the pooled within-group covariance of the eligible units
    /// (Σ over both groups of centred cross-products / (n − 2)), as MatchIt's `"mahalanobis"`.
    Mahalanobis,
    /// sqrt(Σ_j w_j (x_tj − x_cj)²) with the given weights (e.g. inverse variances, R Matching's
    /// default scaling).
    InverseVariance(Vec<f64>),
}

/// Greedy nearest-neighbour matching on covariate distance.
///
/// `x` holds `p` columns of `n` rows. `input.distance` may be empty; when given it is used for
/// `Order::Largest`/`Smallest` and for `options.caliper`. Ties, rounds, replacement, strata,
/// covariate calipers and unmatched reasons follow [`super::match_nearest`]; `tolerance` applies to
/// the covariate distance.
///
/// ```
/// use raa_impact::psm::kernel::{match_nearest_covariates, CovariateScaling, KernelInput, KernelOptions, Order};
/// let age = [30.0, 31.0, 50.0, 49.0];
/// let treated = [true, false, true, false];
/// let input = KernelInput { distance: &[], treated: &treated, ..Default::default() };
/// let opts = KernelOptions { order: Order::Data, ..Default::default() };
/// let m = match_nearest_covariates(&[&age], CovariateScaling::InverseVariance(vec![1.0]), &input, &opts).unwrap();
/// assert_eq!(m.controls, vec![1, 3]);
/// ```
pub fn match_nearest_covariates(
    x: &[&[f64]],
    scaling: CovariateScaling,
    input: &KernelInput,
    options: &KernelOptions,
) -> Result<Matches> {
    let n = input.treated.len();
    check(x, &scaling, input, options)?;
    let z = transform(x, &scaling, input)?;
    let p = x.len();
    let ctx = Cov {
        input,
        opts: options,
        z: &z,
        p,
    };
    let mut treated: Vec<u32> = (0..n as u32)
        .filter(|&i| input.treated[i as usize] && is_eligible(input, i as usize))
        .collect();
    ctx.sort_order(&mut treated);
    let controls: Vec<u32> = {
        let mut c: Vec<u32> = (0..n as u32)
            .filter(|&i| !input.treated[i as usize] && is_eligible(input, i as usize))
            .collect();
        c.sort_unstable_by_key(|&r| (key_of(input, r), r));
        c
    };
    let out = if options.replace && options.reuse_max.is_none() {
        ctx.independent(&treated, &controls)
    } else {
        ctx.rounds(&treated, &controls)
    };
    Ok(super::assemble(input, vec![out]))
}

fn check(x: &[&[f64]], s: &CovariateScaling, input: &KernelInput, o: &KernelOptions) -> Result<()> {
    let n = input.treated.len();
    if x.is_empty() {
        return Err(Error::argument("x", "needs at least one covariate column"));
    }
    let dist_given = !input.distance.is_empty();
    if !dist_given && matches!(o.order, Order::Largest | Order::Smallest) {
        return Err(Error::argument(
            "order",
            "Largest/Smallest need `input.distance`",
        ));
    }
    if !dist_given && o.caliper.is_some() {
        return Err(Error::argument(
            "caliper",
            "a distance caliper needs `input.distance`",
        ));
    }
    if let CovariateScaling::InverseVariance(w) = s {
        if w.len() != x.len() || w.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(Error::argument(
                "scaling",
                format!("needs {} finite weights >= 0", x.len()),
            ));
        }
    }
    // Reuse the 1-D checks with a stand-in distance when none is given.
    let zeros;
    let distance = if dist_given {
        input.distance
    } else {
        zeros = vec![0.0; n];
        &zeros
    };
    let probe = KernelInput {
        distance,
        scale: match dist_given {
            true => input.scale,
            false => DistanceScale::AsGiven,
        },
        covariate_calipers: input.covariate_calipers.clone(),
        ..*input
    };
    super::prepare::validate(&probe, o)?;
    for (j, col) in x.iter().enumerate() {
        if col.len() != n {
            return Err(Error::argument(
                format!("x[{j}]"),
                format!("has {} rows, expected {n}", col.len()),
            ));
        }
        if let Some(i) = (0..n).find(|&i| is_eligible(input, i) && !col[i].is_finite()) {
            return Err(Error::argument(
                format!("x[{j}]"),
                format!("row {i}: not finite"),
            ));
        }
    }
    Ok(())
}

/// Row-major transformed covariates: Euclidean distance between rows is the wanted distance.
fn transform(x: &[&[f64]], s: &CovariateScaling, input: &KernelInput) -> Result<Vec<f64>> {
    let (n, p) = (input.treated.len(), x.len());
    let mut z = vec![0.0; n * p];
    match s {
        CovariateScaling::InverseVariance(w) => {
            for (j, col) in x.iter().enumerate() {
                let s = w[j].sqrt();
                for i in 0..n {
                    z[i * p + j] = col[i] * s;
                }
            }
        }
        CovariateScaling::Mahalanobis => {
            let cov = pooled_cov(x, input);
            let chol = cov.cholesky().ok_or_else(|| {
                Error::argument(
                    "x",
                    "pooled covariance is singular (a constant or collinear column)",
                )
            })?;
            let l = chol.l();
            for i in 0..n {
                if !is_eligible(input, i) {
                    continue;
                }
                let v = nalgebra::DVector::from_iterator(p, x.iter().map(|c| c[i]));
                let y = l.solve_lower_triangular(&v).unwrap_or(v);
                z[i * p..(i + 1) * p].copy_from_slice(y.as_slice());
            }
        }
    }
    Ok(z)
}

fn pooled_cov(x: &[&[f64]], input: &KernelInput) -> DMatrix<f64> {
    let p = x.len();
    let n = input.treated.len();
    let mut m = DMatrix::zeros(p, p);
    let mut count = 0usize;
    for g in [true, false] {
        let rows: Vec<usize> = (0..n)
            .filter(|&i| input.treated[i] == g && is_eligible(input, i))
            .collect();
        if rows.is_empty() {
            continue;
        }
        count += rows.len() - 1;
        let mean: Vec<f64> = x
            .iter()
            .map(|c| rows.iter().map(|&i| c[i]).sum::<f64>() / rows.len() as f64)
            .collect();
        for &i in &rows {
            for a in 0..p {
                for b in 0..p {
                    m[(a, b)] += (x[a][i] - mean[a]) * (x[b][i] - mean[b]);
                }
            }
        }
    }
    m / (count.max(1) as f64)
}

struct Cov<'a> {
    input: &'a KernelInput<'a>,
    opts: &'a KernelOptions,
    z: &'a [f64],
    p: usize,
}

impl Cov<'_> {
    fn sort_order(&self, t: &mut [u32]) {
        let key = |r: u32| (key_of(self.input, r), r);
        // + 0.0 folds -0.0 onto 0.0, as the 1-D kernel does.
        let d = |r: u32| self.input.dist(r as usize) + 0.0;
        match self.opts.order {
            Order::Largest => t.sort_by(|a, b| d(*b).total_cmp(&d(*a)).then(key(*a).cmp(&key(*b)))),
            Order::Smallest => {
                t.sort_by(|a, b| d(*a).total_cmp(&d(*b)).then(key(*a).cmp(&key(*b))))
            }
            Order::Data | Order::Closest => t.sort_by_key(|&r| key(r)),
            Order::Random { seed } => {
                t.sort_by_key(|&r| key(r));
                t.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
            }
        }
    }

    /// Distance if `c` may serve `t` under stratum and calipers.
    fn valid(&self, t: u32, c: u32) -> Option<f64> {
        let (t, c) = (t as usize, c as usize);
        if let Some(s) = self.input.stratum {
            if s[t] != s[c] {
                return None;
            }
        }
        if let Some(cal) = self.opts.caliper {
            if (self.input.dist(t) - self.input.dist(c)).abs() > cal {
                return None;
            }
        }
        if !self
            .input
            .covariate_calipers
            .iter()
            .all(|(x, w)| (x[t] - x[c]).abs() <= *w)
        {
            return None;
        }
        let p = self.p;
        let sq: f64 = (0..p)
            .map(|j| (self.z[t * p + j] - self.z[c * p + j]).powi(2))
            .sum();
        Some(sq.sqrt())
    }

    /// Best distance and the valid controls within tolerance of it, by key.
    fn candidates(
        &self,
        t: u32,
        controls: &[u32],
        ok: impl Fn(u32) -> bool,
    ) -> Option<(f64, Vec<u32>)> {
        let ds: Vec<(u32, f64)> = controls
            .iter()
            .filter(|&&c| ok(c))
            .filter_map(|&c| self.valid(t, c).map(|d| (c, d)))
            .collect();
        let best = ds.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
        if ds.is_empty() {
            return None;
        }
        // On covariate distances the first choice is the smallest key among the equally near
        // (within `tolerance`); ties to keep use R Matching's squared rule.
        let lim = if self.opts.ties == Ties::All {
            super::search::tie_limit(best, self.opts.tolerance)
        } else {
            best + self.opts.tolerance
        };
        // `controls` is in key order, so the kept list is too; the nearest (smallest key among
        // the nearest) goes first, as it is the one taken.
        let mut kept: Vec<(u32, f64)> = ds.into_iter().filter(|x| x.1 <= lim).collect();
        if let Some(first) = kept.iter().position(|x| x.1 == best) {
            kept[..=first].rotate_right(1);
        }
        Some((best, kept.into_iter().map(|x| x.0).collect()))
    }

    fn reason(&self, t: u32, controls: &[u32]) -> UnmatchedReason {
        let same = |c: u32| {
            self.input
                .stratum
                .is_none_or(|s| s[c as usize] == s[t as usize])
        };
        if !controls.iter().any(|&c| same(c)) {
            return UnmatchedReason::EmptyStratum;
        }
        match self.candidates(t, controls, |_| true) {
            Some(_) => UnmatchedReason::ControlsExhausted,
            None => UnmatchedReason::NoControlInCaliper,
        }
    }

    fn independent(&self, treated: &[u32], controls: &[u32]) -> Out {
        let per: Vec<Out> = treated
            .par_iter()
            .map(|&t| {
                let mut out = Out::default();
                let mut taken: Vec<u32> = Vec::new();
                let mut last = 0.0;
                for _ in 0..self.opts.ratio {
                    match self.candidates(t, controls, |c| !taken.contains(&c)) {
                        Some((d, v)) => {
                            taken.push(v[0]);
                            last = d;
                        }
                        None => break,
                    }
                }
                if taken.is_empty() {
                    out.unmatched.push((t, self.reason(t, controls)));
                } else if self.opts.ties == Ties::All {
                    let lim = super::search::tie_limit(last, self.opts.tolerance);
                    let extra: Vec<u32> = controls
                        .iter()
                        .copied()
                        .filter(|c| !taken.contains(c))
                        .filter(|&c| self.valid(t, c).is_some_and(|d| d <= lim))
                        .collect();
                    taken.extend(extra);
                }
                out.events.extend(taken.into_iter().map(|c| (t, c)));
                out
            })
            .collect();
        let mut out = Out {
            order: treated.to_vec(),
            ..Out::default()
        };
        for o in per {
            out.events.extend(o.events);
            out.unmatched.extend(o.unmatched);
        }
        out
    }

    fn rounds(&self, treated: &[u32], controls: &[u32]) -> Out {
        let n = self.input.treated.len();
        let max = if self.opts.replace {
            self.opts.reuse_max.unwrap_or(usize::MAX)
        } else {
            1
        };
        let mut uses = vec![0usize; n];
        let mut mine: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut active = vec![true; n];
        let mut out = Out::default();
        let closest = self.opts.order == Order::Closest;
        for round in 0..self.opts.ratio {
            let mut failed = Vec::new();
            let mut pending: Vec<u32> = treated
                .iter()
                .copied()
                .filter(|&t| active[t as usize])
                .collect();
            while !pending.is_empty() {
                // The next focal unit: the first pending one, or for Closest the one with the
                // smallest current best distance (ties by key: `pending` is in key order).
                let pick = |t: u32, uses: &[usize], mine: &[Vec<u32>]| {
                    self.candidates(t, controls, |c| {
                        uses[c as usize] < max && !mine[t as usize].contains(&c)
                    })
                };
                let (idx, found) = if self.opts.order == Order::Closest {
                    let mut best: Option<(usize, f64, u32)> = None;
                    let mut none = None;
                    for (k, &t) in pending.iter().enumerate() {
                        match pick(t, &uses, &mine) {
                            Some((d, v)) => {
                                if best.is_none_or(|b| d < b.1) {
                                    best = Some((k, d, v[0]));
                                }
                            }
                            None => {
                                none = Some(k);
                                break;
                            }
                        }
                    }
                    match (none, best) {
                        (Some(k), _) => (k, None),
                        (None, Some((k, _, c))) => (k, Some(c)),
                        (None, None) => break,
                    }
                } else {
                    (0, pick(pending[0], &uses, &mine).map(|(_, v)| v[0]))
                };
                let t = pending.remove(idx);
                match found {
                    Some(c) => {
                        uses[c as usize] += 1;
                        mine[t as usize].push(c);
                        out.events.push((t, c));
                        if round == 0 {
                            out.order.push(t);
                        }
                    }
                    None if round == 0 => {
                        active[t as usize] = false;
                        if closest {
                            failed.push(t);
                        } else {
                            out.order.push(t);
                        }
                        out.unmatched.push((t, self.reason(t, controls)));
                    }
                    None => {}
                }
            }
            // As in the 1-D kernel: with Closest, units left unmatched come last, by key.
            out.order.extend(failed);
        }
        out
    }
}
