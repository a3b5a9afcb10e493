//! Difference in restricted mean survival time between two arms, with a Greenwood or a
//! cluster-robust influence-function standard error.

use serde::{Deserialize, Serialize};

use super::input::{check_len, check_times, check_weights, cluster_sum_of_squares, weight};
use super::km::RiskTable;
use super::Z975;
use crate::{Error, Result};

/// RMST of the treated and control arms up to `tau` and their difference.
///
/// `se_method` says how `se` was computed:
/// * `"greenwood"` (no weights, no clusters): per arm, the Greenwood-based variance of the area
///   under the Kaplan–Meier curve, `sum_j A_j^2 d_j / (n_j (n_j - d_j))` over event times
///   `t_j <= tau`, where `A_j` is the area under the curve from `t_j` to `tau`. This is the
///   `se(rmean)` of R's `print(survfit(...), rmean = tau)` and the variance used by survRM2;
///   the two arms are independent, so the variances add.
/// * `"influence-function sandwich"` (weights and/or clusters): each row's influence on its arm's
///   RMST (the derivative of the weighted estimate with respect to the row's weight) times its
///   weight, signed +1 for treated and −1 for control, summed within clusters (each row is its
///   own cluster when none are given); the variance is the sum of squared cluster totals, with no
///   small-sample factor (as in `coxph(..., cluster =)` and `survfit(..., robust = TRUE)`).
///   Matched pairs sharing a cluster id thus contribute their covariance.
///
/// The interval is `estimate ± 1.96 se`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RmstDifference {
    pub tau: f64,
    pub rmst_treated: f64,
    pub rmst_control: f64,
    /// Treated minus control.
    pub estimate: f64,
    pub se: f64,
    pub ci: (f64, f64),
    pub se_method: String,
}

/// One arm's RMST, its Greenwood variance and each of its rows' influence values.
struct ArmRmst {
    rmst: f64,
    greenwood_var: f64,
    /// (row index in the full input, influence on this arm's RMST)
    influence: Vec<(usize, f64)>,
}

/// Difference in restricted mean survival time up to `tau`, treated minus control.
///
/// `tau` must be positive and not beyond the last observed time (event or censoring) in either
/// arm, since the curve is unknown after it. `cluster`, when given, groups rows whose influence
/// is summed before squaring (e.g. matched pair or local authority). See [`RmstDifference`].
///
/// ```
/// use raa_impact::survival::rmst_difference;
/// let time = [2.0, 4.0, 6.0, 8.0, 1.0, 2.0, 3.0, 5.0];
/// let event = [true; 8];
/// let treated = [true, true, true, true, false, false, false, false];
/// let r = rmst_difference(&time, &event, &treated, None, None, 5.0).unwrap();
/// assert!((r.rmst_treated - (2.0 + 0.75 * 2.0 + 0.5 * 1.0)).abs() < 1e-12);
/// assert!((r.estimate - (r.rmst_treated - r.rmst_control)).abs() < 1e-12);
/// assert_eq!(r.se_method, "greenwood");
/// ```
pub fn rmst_difference(
    time: &[f64],
    event: &[bool],
    treated: &[bool],
    weights: Option<&[f64]>,
    cluster: Option<&[u64]>,
    tau: f64,
) -> Result<RmstDifference> {
    check_times(time)?;
    let n = time.len();
    check_len("event", event, n)?;
    check_len("treated", treated, n)?;
    check_weights(weights, n)?;
    if let Some(c) = cluster {
        check_len("cluster", c, n)?;
    }
    if !tau.is_finite() || tau <= 0.0 {
        return Err(Error::argument(
            "tau",
            format!("is {tau}; it must be finite and > 0"),
        ));
    }
    let arm_t = arm(time, event, treated, weights, tau, true)?;
    let arm_c = arm(time, event, treated, weights, tau, false)?;
    let estimate = arm_t.rmst - arm_c.rmst;
    let (se, se_method) = if weights.is_none() && cluster.is_none() {
        (
            (arm_t.greenwood_var + arm_c.greenwood_var).sqrt(),
            "greenwood",
        )
    } else {
        (
            sandwich_se(&arm_t, &arm_c, weights, cluster),
            "influence-function sandwich",
        )
    };
    Ok(RmstDifference {
        tau,
        rmst_treated: arm_t.rmst,
        rmst_control: arm_c.rmst,
        estimate,
        se,
        ci: (estimate - Z975 * se, estimate + Z975 * se),
        se_method: se_method.to_string(),
    })
}

/// Select one arm's rows and compute its RMST pieces; errors if the arm is empty or ends before tau.
fn arm(
    time: &[f64],
    event: &[bool],
    treated: &[bool],
    weights: Option<&[f64]>,
    tau: f64,
    want: bool,
) -> Result<ArmRmst> {
    let name = if want { "treated" } else { "control" };
    let rows: Vec<usize> = (0..time.len()).filter(|&i| treated[i] == want).collect();
    if rows.is_empty() {
        return Err(Error::argument(
            "treated",
            format!("the {name} arm has no rows; both arms are needed"),
        ));
    }
    let t: Vec<f64> = rows.iter().map(|&i| time[i]).collect();
    let last = t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if tau > last {
        return Err(Error::argument(
            "tau",
            format!("is {tau}, beyond the last observed time {last} in the {name} arm; choose tau <= {last}"),
        ));
    }
    let w: Option<Vec<f64>> = weights.map(|_| rows.iter().map(|&i| weight(weights, i)).collect());
    let table = RiskTable::new(&t, &|k| event[rows[k]], w.as_deref());
    Ok(arm_pieces(&table, &rows, event, tau))
}

fn arm_pieces(table: &RiskTable, rows: &[usize], event: &[bool], tau: f64) -> ArmRmst {
    let surv = table.survival();
    let k = table.time.len();
    // area[j]: area under S from t_j to tau (S takes its post-t_j value on [t_j, t_{j+1})).
    let mut area = vec![0.0; k];
    let mut acc = 0.0;
    for j in (0..k).rev() {
        let t = table.time[j];
        if t < tau {
            let next = if j + 1 < k {
                table.time[j + 1].min(tau)
            } else {
                tau
            };
            acc += surv[j] * (next - t);
        }
        area[j] = if t <= tau { acc } else { 0.0 };
    }
    // S = 1 before the first time.
    let rmst = if table.time[0] > tau {
        tau
    } else {
        table.time[0] + area[0]
    };
    let mut greenwood_var = 0.0;
    let mut influence = Vec::with_capacity(rows.len());
    let mut g = 0.0; // running sum of A(s) d/(n(n-d)) over event times s <= current time
    for (j, &(a, b)) in table.groups.iter().enumerate() {
        let t = table.time[j];
        let (n, d) = (table.n_risk[j], table.n_event[j]);
        let left = n - d;
        if t <= tau && d > 0.0 && left > 0.0 {
            let hazard_var = d / (n * left);
            g += area[j] * hazard_var;
            greenwood_var += area[j] * area[j] * hazard_var;
        }
        for &kk in &table.order[a..b] {
            let row = rows[kk];
            let own = if event[row] && t <= tau && left > 0.0 {
                area[j] / left
            } else {
                0.0
            };
            influence.push((row, g - own));
        }
    }
    ArmRmst {
        rmst,
        greenwood_var,
        influence,
    }
}

/// Sum of squared cluster totals of weighted, signed influence values.
fn sandwich_se(
    treated: &ArmRmst,
    control: &ArmRmst,
    weights: Option<&[f64]>,
    cluster: Option<&[u64]>,
) -> f64 {
    let signed = treated
        .influence
        .iter()
        .copied()
        .chain(control.influence.iter().map(|&(i, v)| (i, -v)));
    match cluster {
        None => signed
            .map(|(i, v)| (weight(weights, i) * v).powi(2))
            .sum::<f64>()
            .sqrt(),
        Some(c) => {
            cluster_sum_of_squares(signed.map(|(i, v)| (c[i], weight(weights, i) * v))).sqrt()
        }
    }
}
