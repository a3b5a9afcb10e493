//! Cox proportional-hazards model with a single treatment indicator: Efron ties, case weights and
//! a cluster-robust (Lin–Wei) sandwich variance.

use serde::{Deserialize, Serialize};

use super::input::{
    check_len, check_times, check_weights, cluster_sum_of_squares, order_by_time, time_groups,
    weight,
};
use super::Z975;
use crate::{Error, Result};

/// Fitted log hazard ratio of treated versus control.
///
/// Ties are handled with Efron's approximation (R's `coxph` default, `ties = "efron"`), with
/// weights entering as in `coxph(..., weights = w)`: each tied death contributes the mean weight
/// of the tied deaths to the Efron denominator terms. `se` is the model-based (inverse
/// information) standard error. `robust_se`, present when clusters are given, is the Lin–Wei
/// sandwich: weighted score residuals summed within clusters, as `coxph(..., cluster = id)`.
/// `ci` and `p_value` (two-sided Wald) use `robust_se` when present, else `se`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxResult {
    pub log_hazard_ratio: f64,
    pub hazard_ratio: f64,
    pub se: f64,
    pub robust_se: Option<f64>,
    /// 95% interval for the hazard ratio (not its log).
    pub ci: (f64, f64),
    pub p_value: f64,
    /// Newton–Raphson iterations used.
    pub iterations: usize,
}

const MAX_ITER: usize = 50;

/// Per death time: the sums the score residuals need (Efron steps k = 0..d−1).
#[derive(Debug, Clone, Copy, Default)]
struct DeathTime {
    /// sum_k c_k, with c_k = meanwt / S0_k
    c: f64,
    /// sum_k c_k xbar_k
    cx: f64,
    /// sum_k c_k k/d
    cf: f64,
    /// sum_k c_k (k/d) xbar_k
    cfx: f64,
    /// mean over k of xbar_k
    xtilde: f64,
}

/// Log partial likelihood, score, information at `beta`, and per-time sums for residuals.
struct Fit {
    loglik: f64,
    score: f64,
    info: f64,
    deaths: Vec<DeathTime>,
}

/// Cox model `Surv(time, event) ~ treated`, Efron ties; see [`CoxResult`].
///
/// Errors when an arm is empty or has no events (the hazard ratio would be 0 or infinite).
///
/// ```
/// use raa_impact::survival::cox_treatment;
/// let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
/// let event = [true, true, false, true, true, true, false, true];
/// let treated = [true, false, true, false, true, false, true, false];
/// let fit = cox_treatment(&time, &event, &treated, None, None).unwrap();
/// assert!((fit.hazard_ratio - fit.log_hazard_ratio.exp()).abs() < 1e-12);
/// assert!(fit.robust_se.is_none());
/// ```
pub fn cox_treatment(
    time: &[f64],
    event: &[bool],
    treated: &[bool],
    weights: Option<&[f64]>,
    cluster: Option<&[u64]>,
) -> Result<CoxResult> {
    check_times(time)?;
    let n = time.len();
    check_len("event", event, n)?;
    check_len("treated", treated, n)?;
    check_weights(weights, n)?;
    if let Some(c) = cluster {
        check_len("cluster", c, n)?;
    }
    check_arms(event, treated)?;
    let order = order_by_time(time);
    let groups = time_groups(time, &order);
    let data = Sorted {
        order: &order,
        groups: &groups,
        event,
        treated,
        weights,
    };
    let (beta, fit, iterations) = newton(&data)?;
    let se = (1.0 / fit.info).sqrt();
    let robust_se = cluster.map(|c| robust_se(&data, &fit, beta, c));
    let used = robust_se.unwrap_or(se);
    let z = beta / used;
    let p_value = statrs::function::erf::erfc(z.abs() / std::f64::consts::SQRT_2);
    Ok(CoxResult {
        log_hazard_ratio: beta,
        hazard_ratio: beta.exp(),
        se,
        robust_se,
        ci: ((beta - Z975 * used).exp(), (beta + Z975 * used).exp()),
        p_value,
        iterations,
    })
}

fn check_arms(event: &[bool], treated: &[bool]) -> Result<()> {
    for (want, name) in [(true, "treated"), (false, "control")] {
        let rows = treated.iter().filter(|&&t| t == want).count();
        if rows == 0 {
            return Err(Error::argument(
                "treated",
                format!("the {name} arm has no rows; both arms are needed"),
            ));
        }
        let events = (0..treated.len())
            .filter(|&i| treated[i] == want && event[i])
            .count();
        if events == 0 {
            return Err(Error::argument(
                "event",
                format!("the {name} arm has no events; the hazard ratio would be 0 or infinite"),
            ));
        }
    }
    Ok(())
}

struct Sorted<'a> {
    order: &'a [usize],
    groups: &'a [(usize, usize)],
    event: &'a [bool],
    treated: &'a [bool],
    weights: Option<&'a [f64]>,
}

/// Newton–Raphson from beta = 0 with step halving when the likelihood does not improve (as coxph).
fn newton(data: &Sorted) -> Result<(f64, Fit, usize)> {
    let mut beta = 0.0;
    let mut fit = evaluate(data, beta);
    for iter in 1..=MAX_ITER {
        if fit.info.is_nan() || fit.info <= 0.0 {
            return Err(Error::argument(
                "treated",
                "the Cox information is not positive",
            ));
        }
        let mut step = fit.score / fit.info;
        let mut next = evaluate(data, beta + step);
        let mut halvings = 0;
        while (next.loglik.is_nan() || next.loglik < fit.loglik) && halvings < 30 {
            step /= 2.0;
            next = evaluate(data, beta + step);
            halvings += 1;
        }
        let gain = next.loglik - fit.loglik;
        beta += step;
        fit = next;
        if step.abs() < 1e-13 * (1.0 + beta.abs()) || gain.abs() < 1e-15 * fit.loglik.abs() {
            return Ok((beta, evaluate(data, beta), iter));
        }
    }
    Err(Error::argument(
        "event",
        format!("the Cox fit did not converge in {MAX_ITER} iterations (coefficient {beta})"),
    ))
}

/// One pass over the time groups from the latest to the earliest, accumulating risk sets.
fn evaluate(data: &Sorted, beta: f64) -> Fit {
    let risk = beta.exp();
    let (mut s0, mut s1) = (0.0, 0.0);
    let (mut loglik, mut score, mut info) = (0.0, 0.0, 0.0);
    let mut deaths = vec![DeathTime::default(); data.groups.len()];
    for (g, &(a, b)) in data.groups.iter().enumerate().rev() {
        let (mut d0, mut d1, mut dw, mut dwx, mut nd) = (0.0, 0.0, 0.0, 0.0, 0usize);
        for &i in &data.order[a..b] {
            let w = weight(data.weights, i);
            let x = f64::from(u8::from(data.treated[i]));
            let e = w * if data.treated[i] { risk } else { 1.0 };
            s0 += e;
            s1 += e * x;
            if data.event[i] {
                d0 += e;
                d1 += e * x;
                dw += w;
                dwx += w * x;
                nd += 1;
            }
        }
        if nd == 0 {
            continue;
        }
        let meanwt = dw / nd as f64;
        loglik += dwx * beta;
        score += dwx;
        let mut dt = DeathTime::default();
        for k in 0..nd {
            let f = k as f64 / nd as f64;
            let a0 = s0 - f * d0;
            let xbar = (s1 - f * d1) / a0;
            loglik -= meanwt * a0.ln();
            score -= meanwt * xbar;
            info += meanwt * (xbar - xbar * xbar); // x^2 = x for a 0/1 covariate
            let c = meanwt / a0;
            dt.c += c;
            dt.cx += c * xbar;
            dt.cf += c * f;
            dt.cfx += c * f * xbar;
            dt.xtilde += xbar / nd as f64;
        }
        deaths[g] = dt;
    }
    Fit {
        loglik,
        score,
        info,
        deaths,
    }
}

/// Lin–Wei robust standard error: score residuals (Efron form), weighted, summed by cluster.
fn robust_se(data: &Sorted, fit: &Fit, beta: f64, cluster: &[u64]) -> f64 {
    let risk = beta.exp();
    let (mut cum_c, mut cum_cx) = (0.0, 0.0);
    let mut contributions = Vec::with_capacity(data.order.len());
    for (g, &(a, b)) in data.groups.iter().enumerate() {
        let dt = fit.deaths[g];
        cum_c += dt.c;
        cum_cx += dt.cx;
        for &i in &data.order[a..b] {
            let x = f64::from(u8::from(data.treated[i]));
            let e = if data.treated[i] { risk } else { 1.0 };
            let mut resid = -e * (x * cum_c - cum_cx);
            if data.event[i] {
                // A death's own risk weight is reduced by k/d in the k-th Efron step.
                resid += e * (x * dt.cf - dt.cfx) + (x - dt.xtilde);
            }
            contributions.push((cluster[i], weight(data.weights, i) * resid));
        }
    }
    let meat = cluster_sum_of_squares(contributions.into_iter());
    meat.sqrt() / fit.info
}
