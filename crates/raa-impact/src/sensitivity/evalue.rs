//! E-values (VanderWeele & Ding 2017): how strong an unmeasured confounder would have to be,
//! on the risk-ratio scale with both treatment and outcome, to explain an estimate away.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// E-value of the point estimate and of the confidence limit closer to the null (1 when the
/// interval includes the null).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EValue {
    pub point: f64,
    pub ci_limit: f64,
}

/// E-value of a risk ratio above 1: RR + sqrt(RR (RR − 1)).
fn evalue_above_one(rr: f64) -> f64 {
    rr + (rr * (rr - 1.0)).sqrt()
}

fn check_positive(name: &str, x: f64) -> Result<()> {
    if !x.is_finite() || x <= 0.0 {
        return Err(Error::argument(
            name,
            format!("is {x}; it must be finite and > 0"),
        ));
    }
    Ok(())
}

/// E-value for a risk ratio `rr` with confidence interval (`lo`, `hi`).
///
/// Ratios below 1 are inverted first; the confidence limit used is the one closer to 1.
///
/// ```
/// use raa_impact::sensitivity::evalue_risk_ratio;
/// let e = evalue_risk_ratio(0.5, 0.3, 0.8).unwrap();
/// assert!((e.point - (2.0 + 2.0_f64.sqrt())).abs() < 1e-12);
/// ```
pub fn evalue_risk_ratio(rr: f64, lo: f64, hi: f64) -> Result<EValue> {
    check_positive("rr", rr)?;
    check_positive("lo", lo)?;
    check_positive("hi", hi)?;
    if !(lo <= rr && rr <= hi) {
        return Err(Error::argument(
            "lo",
            format!("the interval ({lo}, {hi}) must contain the estimate {rr}"),
        ));
    }
    if rr >= 1.0 {
        let limit = if lo <= 1.0 { 1.0 } else { evalue_above_one(lo) };
        Ok(EValue {
            point: evalue_above_one(rr),
            ci_limit: limit,
        })
    } else {
        let limit = if hi >= 1.0 {
            1.0
        } else {
            evalue_above_one(1.0 / hi)
        };
        Ok(EValue {
            point: evalue_above_one(1.0 / rr),
            ci_limit: limit,
        })
    }
}

/// E-value for a difference in means `estimate` with standard error `se`, on an outcome with
/// standard deviation `sd_outcome`: the standardized difference d = estimate / sd is converted to
/// RR ≈ exp(0.91 d), with interval exp(0.91 d ± 1.78 se / sd) (VanderWeele & Ding 2017, and the
/// R package EValue's `evalues.MD`).
///
/// ```
/// use raa_impact::sensitivity::evalue_difference;
/// let e = evalue_difference(0.5, 0.1, 1.0).unwrap();
/// let rr = (0.91_f64 * 0.5).exp();
/// assert!((e.point - (rr + (rr * (rr - 1.0)).sqrt())).abs() < 1e-12);
/// ```
pub fn evalue_difference(estimate: f64, se: f64, sd_outcome: f64) -> Result<EValue> {
    if !estimate.is_finite() {
        return Err(Error::argument(
            "estimate",
            format!("is {estimate}; it must be finite"),
        ));
    }
    if !se.is_finite() || se < 0.0 {
        return Err(Error::argument(
            "se",
            format!("is {se}; it must be finite and >= 0"),
        ));
    }
    check_positive("sd_outcome", sd_outcome)?;
    let d = estimate / sd_outcome;
    let sd_d = se / sd_outcome;
    evalue_risk_ratio(
        (0.91 * d).exp(),
        (0.91 * d - 1.78 * sd_d).exp(),
        (0.91 * d + 1.78 * sd_d).exp(),
    )
}

/// E-value for a hazard ratio. With a rare outcome (`common_outcome = false`, under about 15% by
/// the end of follow-up) HR ≈ RR. With a common outcome the HR is first converted with
/// RR ≈ (1 − 0.5^sqrt(HR)) / (1 − 0.5^sqrt(1/HR)) (VanderWeele 2020 / Ding & VanderWeele).
///
/// ```
/// use raa_impact::sensitivity::{evalue_hazard_ratio, evalue_risk_ratio};
/// let rare = evalue_hazard_ratio(2.0, 1.5, 2.7, false).unwrap();
/// assert_eq!(rare, evalue_risk_ratio(2.0, 1.5, 2.7).unwrap());
/// ```
pub fn evalue_hazard_ratio(hr: f64, lo: f64, hi: f64, common_outcome: bool) -> Result<EValue> {
    check_positive("hr", hr)?;
    check_positive("lo", lo)?;
    check_positive("hi", hi)?;
    if !common_outcome {
        return evalue_risk_ratio(hr, lo, hi);
    }
    let to_rr = |h: f64| (1.0 - 0.5_f64.powf(h.sqrt())) / (1.0 - 0.5_f64.powf((1.0 / h).sqrt()));
    evalue_risk_ratio(to_rr(hr), to_rr(lo), to_rr(hi))
}
