//! Cumulative incidence of one event type in the presence of competing events (Aalen–Johansen).

use serde::{Deserialize, Serialize};

use super::input::{check_len, check_times, check_weights, weight};
use super::km::RiskTable;
use crate::{Error, Result};

/// Aalen–Johansen cumulative incidence of the event of interest (status 1), one entry per
/// distinct observed time.
///
/// `std_err` is the infinitesimal-jackknife standard error, `sqrt(sum_i (w_i dF/dw_i)^2)`, which
/// is what R's `survfit` reports for a multi-state outcome (`Surv(time, factor(status))`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CumulativeIncidence {
    pub time: Vec<f64>,
    pub incidence: Vec<f64>,
    pub std_err: Vec<f64>,
}

/// Aalen–Johansen estimate of the cumulative incidence of status 1.
///
/// `status`: 0 censored, 1 the event of interest, 2 or more a competing event. With no competing
/// events the incidence equals 1 − Kaplan–Meier.
///
/// ```
/// use raa_impact::survival::cumulative_incidence;
/// let ci = cumulative_incidence(&[1.0, 2.0, 3.0, 4.0], &[1, 2, 0, 1], None).unwrap();
/// assert!((ci.incidence[0] - 0.25).abs() < 1e-12);
/// assert!((ci.incidence[1] - 0.25).abs() < 1e-12);  // competing event: no change
/// assert!((ci.incidence[3] - 0.75).abs() < 1e-12);  // the last survivor (S = 0.5) has the event
/// ```
pub fn cumulative_incidence(
    time: &[f64],
    status: &[u8],
    weights: Option<&[f64]>,
) -> Result<CumulativeIncidence> {
    check_times(time)?;
    check_len("status", status, time.len())?;
    check_weights(weights, time.len())?;
    let table = RiskTable::new(time, &|i| status[i] >= 1, weights);
    let k = table.time.len();
    let (mut incidence, mut std_err) = (Vec::with_capacity(k), Vec::with_capacity(k));
    let mut s_prev = 1.0; // all-cause S(t-)
    let mut h_prev = 0.0; // sum_{v<t} d/(n(n-d)), all causes
    let mut f = 0.0; // incidence so far
    let mut g = 0.0; // common influence of rows still at risk
    let mut w2_at_risk: f64 = (0..time.len()).map(|i| weight(weights, i).powi(2)).sum();
    let (mut p, mut q, mut r) = (0.0, 0.0, 0.0); // sums of w^2 a^2, w^2 a b, w^2 b^2 of rows gone
    for (j, &(a, b)) in table.groups.iter().enumerate() {
        let (n, d) = (table.n_risk[j], table.n_event[j]);
        let d1: f64 = table.order[a..b]
            .iter()
            .filter(|&&i| status[i] == 1)
            .map(|&i| weight(weights, i))
            .sum();
        let left = n - d;
        let dl1 = d1 / n;
        f += s_prev * dl1;
        g += s_prev * h_prev * dl1 - s_prev * dl1 / n;
        let h_now = h_prev
            + if d > 0.0 && left > 0.0 {
                d / (n * left)
            } else {
                0.0
            };
        for &i in &table.order[a..b] {
            let w = weight(weights, i);
            let own1 = if status[i] == 1 { s_prev / n } else { 0.0 };
            // Influence on log S after leaving; once S is 0 nothing later depends on it.
            let c = if left <= 0.0 {
                0.0
            } else if status[i] >= 1 {
                h_now - 1.0 / left
            } else {
                h_now
            };
            let alpha = g + own1 - c * f;
            p += w * w * alpha * alpha;
            q += w * w * alpha * c;
            r += w * w * c * c;
            w2_at_risk -= w * w;
        }
        let var = g * g * w2_at_risk.max(0.0) + p + 2.0 * q * f + r * f * f;
        incidence.push(f);
        std_err.push(var.max(0.0).sqrt());
        if d > 0.0 {
            s_prev *= 1.0 - d / n;
        }
        h_prev = h_now;
    }
    if incidence.iter().any(|x| !x.is_finite()) {
        return Err(Error::argument(
            "time",
            "cumulative incidence is not finite",
        ));
    }
    Ok(CumulativeIncidence {
        time: table.time,
        incidence,
        std_err,
    })
}
