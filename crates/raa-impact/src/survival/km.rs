//! Kaplan–Meier curve with weights: survival, standard errors, log-transformed intervals, median
//! and restricted mean.

use serde::{Deserialize, Serialize};

use super::input::{check_len, check_times, check_weights, order_by_time, time_groups, weight};
use super::Z975;
use crate::Result;

/// A Kaplan–Meier curve, one entry per distinct observed time (event or censoring), as R's
/// `survfit` reports it.
///
/// * `n_risk`, `n_event`, `n_censor` are weighted counts (sums of weights).
/// * `std_err` is the standard error of S(t) itself (R's `summary(survfit)$std.err`). Without
///   weights it is Greenwood's formula. With weights it is the infinitesimal-jackknife (robust)
///   standard error, `sqrt(sum_i (w_i * dS/dw_i)^2)`, which is what `survfit(..., weights=w)`
///   reports for non-integer weights (`robust = TRUE`). Once S(t) reaches 0 it is `NaN` without
///   weights (Greenwood divides by 0) and 0 with weights (as R reports both).
/// * `lower`, `upper`: 95% interval on the log scale, `S * exp(±1.96 * se / S)` with the upper
///   limit capped at 1 (`conf.type = "log"`, R's default); `NaN` where S(t) = 0.
///
/// ```
/// use raa_impact::survival::kaplan_meier;
/// let km = kaplan_meier(&[2.0, 3.0, 3.0, 5.0], &[true, true, false, true], None).unwrap();
/// assert_eq!(km.time, vec![2.0, 3.0, 5.0]);
/// assert!((km.survival[1] - 0.75 * (2.0 / 3.0)).abs() < 1e-12);
/// // S = 0.5 exactly on [3, 5): R reports the midpoint.
/// assert_eq!(km.median(), Some(4.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmCurve {
    pub time: Vec<f64>,
    pub n_risk: Vec<f64>,
    pub n_event: Vec<f64>,
    pub n_censor: Vec<f64>,
    pub survival: Vec<f64>,
    pub std_err: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

impl KmCurve {
    /// S(t): the curve is right-continuous and equals 1 before the first time.
    pub fn at(&self, t: f64) -> f64 {
        let k = self.time.partition_point(|&x| x <= t);
        if k == 0 {
            1.0
        } else {
            self.survival[k - 1]
        }
    }

    /// Median survival with the rule of R's `print.survfit` table: the first time at which
    /// S(t) <= 0.5; when S equals 0.5 (within sqrt(machine epsilon)) on a flat stretch, the
    /// midpoint between its start and the next time the curve drops. `None` if S never reaches 0.5.
    pub fn median(&self) -> Option<f64> {
        let tol = f64::EPSILON.sqrt();
        let first = self.survival.iter().position(|&s| s < 0.5 + tol)?;
        let s0 = self.survival[first];
        if (s0 - 0.5).abs() < tol {
            if let Some(next) = self.survival[first..].iter().position(|&s| s < s0) {
                return Some((self.time[first] + self.time[first + next]) / 2.0);
            }
        }
        Some(self.time[first])
    }

    /// Restricted mean survival time: the area under S from 0 to `tau` (the curve is taken as
    /// flat after its last time). Returns 0 for `tau <= 0`.
    pub fn rmst(&self, tau: f64) -> f64 {
        let mut area = 0.0;
        let mut prev_t = 0.0_f64;
        let mut prev_s = 1.0;
        for (&t, &s) in self.time.iter().zip(&self.survival) {
            if t >= tau {
                break;
            }
            area += prev_s * (t - prev_t).max(0.0);
            prev_t = t.max(prev_t);
            prev_s = s;
        }
        area + prev_s * (tau - prev_t).max(0.0)
    }
}

/// Weighted counts at each distinct time: the risk table behind KM, RMST and Aalen–Johansen.
#[derive(Debug, Clone)]
pub(crate) struct RiskTable {
    pub time: Vec<f64>,
    pub n_risk: Vec<f64>,
    pub n_event: Vec<f64>,
    pub n_censor: Vec<f64>,
    /// `(start, end)` of each time's rows in `order`.
    pub groups: Vec<(usize, usize)>,
    /// Rows sorted by time.
    pub order: Vec<usize>,
}

impl RiskTable {
    /// Build from validated input; `event` says which rows are events (others are censored).
    pub fn new(time: &[f64], event: &dyn Fn(usize) -> bool, weights: Option<&[f64]>) -> Self {
        let order = order_by_time(time);
        let groups = time_groups(time, &order);
        let k = groups.len();
        let (mut tt, mut ne, mut nc) = (
            Vec::with_capacity(k),
            Vec::with_capacity(k),
            Vec::with_capacity(k),
        );
        for &(a, b) in &groups {
            let (mut d, mut c) = (0.0, 0.0);
            for &i in &order[a..b] {
                if event(i) {
                    d += weight(weights, i);
                } else {
                    c += weight(weights, i);
                }
            }
            tt.push(time[order[a]]);
            ne.push(d);
            nc.push(c);
        }
        // Summed from the end (as R does) so that the last time's risk set is exactly its own
        // rows: S(t) then reaches exactly 0 when everyone left has the event.
        let mut nr = vec![0.0; k];
        let mut at_risk = 0.0;
        for j in (0..k).rev() {
            at_risk += ne[j] + nc[j];
            nr[j] = at_risk;
        }
        RiskTable {
            time: tt,
            n_risk: nr,
            n_event: ne,
            n_censor: nc,
            groups,
            order,
        }
    }

    /// Product-limit survival after each time.
    pub fn survival(&self) -> Vec<f64> {
        let mut s = 1.0;
        self.n_risk
            .iter()
            .zip(&self.n_event)
            .map(|(&n, &d)| {
                if d > 0.0 {
                    s *= 1.0 - d / n;
                }
                s
            })
            .collect()
    }

    /// Greenwood increment d / (n (n - d)); infinite when every subject at risk has the event.
    pub fn greenwood_increment(&self, j: usize) -> f64 {
        let (n, d) = (self.n_risk[j], self.n_event[j]);
        if d <= 0.0 {
            0.0
        } else if n - d <= 0.0 {
            f64::INFINITY
        } else {
            d / (n * (n - d))
        }
    }
}

/// Kaplan–Meier estimate of the survival curve.
///
/// `time` are durations (finite, >= 0), `event[i]` is true for an observed event and false for a
/// censored row, `weights` (finite, > 0) are case weights such as matching weights. See
/// [`KmCurve`] for what the standard errors are. Sorts once: O(n log n).
///
/// ```
/// use raa_impact::survival::kaplan_meier;
/// let km = kaplan_meier(&[1.0, 1.0, 2.0], &[true, false, true], Some(&[2.0, 1.0, 1.0])).unwrap();
/// assert!((km.survival[0] - 0.5).abs() < 1e-12);
/// ```
pub fn kaplan_meier(time: &[f64], event: &[bool], weights: Option<&[f64]>) -> Result<KmCurve> {
    check_times(time)?;
    check_len("event", event, time.len())?;
    check_weights(weights, time.len())?;
    let table = RiskTable::new(time, &|i| event[i], weights);
    let survival = table.survival();
    let var_log = match weights {
        None => greenwood_log_variance(&table),
        Some(w) => jackknife_log_variance(&table, event, w),
    };
    // Once S = 0 its jackknife derivative is exactly 0, whereas Greenwood's formula divides by 0.
    let se_at_zero = if weights.is_some() { 0.0 } else { f64::NAN };
    Ok(assemble(table, survival, &var_log, se_at_zero))
}

/// Greenwood variance of log S(t), cumulated over times.
fn greenwood_log_variance(table: &RiskTable) -> Vec<f64> {
    let mut acc = 0.0;
    (0..table.time.len())
        .map(|j| {
            acc += table.greenwood_increment(j);
            acc
        })
        .collect()
}

/// Infinitesimal-jackknife variance of log S(t) with weights.
///
/// The derivative of log S(t) with respect to the weight of row i is h(t) = sum_{s<=t} d/(n(n-d))
/// while i is still at risk, and freezes at c_i = h(T_i) - event_i / (n - d) at its own time.
/// Summing (w_i * derivative)^2 therefore needs only running sums over the sorted rows: O(n).
fn jackknife_log_variance(table: &RiskTable, event: &[bool], w: &[f64]) -> Vec<f64> {
    let mut w2_at_risk: f64 = w.iter().map(|x| x * x).sum();
    let mut h = 0.0;
    let mut frozen = 0.0;
    let mut out = Vec::with_capacity(table.time.len());
    for (j, &(a, b)) in table.groups.iter().enumerate() {
        h += table.greenwood_increment(j);
        let leave = table.n_risk[j] - table.n_event[j];
        for &i in &table.order[a..b] {
            let c = if event[i] { h - 1.0 / leave } else { h };
            frozen += w[i] * w[i] * c * c;
            w2_at_risk -= w[i] * w[i];
        }
        out.push(h * h * w2_at_risk.max(0.0) + frozen);
    }
    out
}

fn assemble(table: RiskTable, survival: Vec<f64>, var_log: &[f64], se_at_zero: f64) -> KmCurve {
    let k = survival.len();
    let (mut se, mut lo, mut hi) = (
        Vec::with_capacity(k),
        Vec::with_capacity(k),
        Vec::with_capacity(k),
    );
    for (&s, &v) in survival.iter().zip(var_log) {
        if s > 0.0 && v.is_finite() {
            let sd = v.sqrt();
            se.push(s * sd);
            lo.push(s * (-Z975 * sd).exp());
            hi.push((s * (Z975 * sd).exp()).min(1.0));
        } else {
            se.push(if s == 0.0 { se_at_zero } else { f64::NAN });
            lo.push(f64::NAN);
            hi.push(f64::NAN);
        }
    }
    KmCurve {
        time: table.time,
        n_risk: table.n_risk,
        n_event: table.n_event,
        n_censor: table.n_censor,
        survival,
        std_err: se,
        lower: lo,
        upper: hi,
    }
}
