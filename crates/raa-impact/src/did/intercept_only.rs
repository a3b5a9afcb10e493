//! The 2×2 estimators without covariates, in closed form and without copying the cell.
//!
//! With an intercept only, dr, reg and ipw (as `DRDID` defines them) all reduce to the difference
//! of weighted mean changes, m₁ − m₀, and their influence functions to
//! `w(ΔY − m₁)/π` for treated units and `−w(ΔY − m₀)/(1 − π)` for comparison units, where w is
//! the weight normalised to mean 1 over the cell and π the weighted treated share (the propensity
//! score's MLE; the outcome regression's fitted value is m₀ and the score terms vanish). The
//! guards follow `did`/`DRDID`: no treated or comparison units, an unweighted treated share
//! ≥ 0.999 (dr, ipw), or a score ≥ 0.995 that trims every comparison unit (dr, ipw).
//! `two_by_two`'s general code gives the same numbers to rounding (tested below).

use super::options::EstMethod;
use super::two_by_two::Failure;

/// One cell read in place: `role[cohort[u]]` is 1 (treated), 2 (comparison) or 0 (out).
pub(crate) struct InPlace<'a> {
    pub role: &'a [u8],
    pub cohort: &'a [u32],
    pub y_cur: &'a [f64],
    pub y_base: &'a [f64],
    pub weight: &'a [f64],
}

/// Estimate, writing ψ·scale into `column` for the cell's units (others untouched); returns ATT.
pub(crate) fn estimate_in_place(
    c: &InPlace,
    method: EstMethod,
    scale: f64,
    column: &mut [f64],
) -> Result<f64, Failure> {
    let (mut n_t, mut n_c) = (0usize, 0usize);
    let (mut sw_t, mut sw_c, mut swy_t, mut swy_c) = (0.0, 0.0, 0.0, 0.0);
    for u in 0..c.cohort.len() {
        let r = c.role[c.cohort[u] as usize];
        if r == 0 {
            continue;
        }
        let (w, dy) = (c.weight[u], c.y_cur[u] - c.y_base[u]);
        if r == 1 {
            n_t += 1;
            sw_t += w;
            swy_t += w * dy;
        } else {
            n_c += 1;
            sw_c += w;
            swy_c += w * dy;
        }
    }
    if n_t == 0 {
        return Err("no treated units".into());
    }
    if n_c == 0 {
        return Err("no comparison units".into());
    }
    let n1 = (n_t + n_c) as f64;
    let uses_score = matches!(method, EstMethod::Dr | EstMethod::Ipw);
    if uses_score && n_t as f64 / n1 >= 0.999 {
        return Err("overlap violated: a propensity score ≥ 0.999".into());
    }
    if sw_t <= 0.0 || sw_c <= 0.0 {
        return Err("all weights of the treated or comparison units are zero".into());
    }
    let mean_w = (sw_t + sw_c) / n1;
    let pi = (sw_t / (sw_t + sw_c)).min(1.0 - 1e-6);
    if uses_score && pi >= 0.995 {
        return Err("no weight left on treated or comparison units after trimming".into());
    }
    let (m_t, m_c) = (swy_t / sw_t, swy_c / sw_c);
    let (a_t, a_c) = (scale / (mean_w * pi), scale / (mean_w * (1.0 - pi)));
    for (u, out) in column.iter_mut().enumerate().take(c.cohort.len()) {
        let r = c.role[c.cohort[u] as usize];
        let dy = c.y_cur[u] - c.y_base[u];
        if r == 1 {
            *out = a_t * c.weight[u] * (dy - m_t);
        } else if r == 2 {
            *out = -a_c * c.weight[u] * (dy - m_c);
        }
    }
    Ok(m_t - m_c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::did::two_by_two::{estimate, Cell};

    #[test]
    fn closed_form_equals_the_general_estimators() {
        let n = 40;
        let cohort: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
        let role = [2u8, 1, 0];
        let y_cur: Vec<f64> = (0..n).map(|i| ((i * 37) % 11) as f64 / 3.0).collect();
        let y_base: Vec<f64> = (0..n).map(|i| ((i * 17) % 7) as f64 / 5.0).collect();
        let weight: Vec<f64> = (0..n).map(|i| 0.5 + (i % 4) as f64).collect();
        let idx: Vec<usize> = (0..n).filter(|&u| role[cohort[u] as usize] != 0).collect();
        let d: Vec<f64> = idx
            .iter()
            .map(|&u| {
                if role[cohort[u] as usize] == 1 {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        let dy: Vec<f64> = idx.iter().map(|&u| y_cur[u] - y_base[u]).collect();
        let w: Vec<f64> = idx.iter().map(|&u| weight[u]).collect();
        for m in [EstMethod::Dr, EstMethod::Reg, EstMethod::Ipw] {
            let general = estimate(
                &Cell {
                    d: &d,
                    dy: &dy,
                    x: &[],
                    p: 1,
                    w: &w,
                },
                m,
            )
            .unwrap();
            let mut column = vec![0.0; n];
            let c = InPlace {
                role: &role,
                cohort: &cohort,
                y_cur: &y_cur,
                y_base: &y_base,
                weight: &weight,
            };
            let att = estimate_in_place(&c, m, 1.0, &mut column).unwrap();
            assert!((att - general.att).abs() < 1e-12, "{m:?}");
            for (k, &u) in idx.iter().enumerate() {
                assert!(
                    (column[u] - general.influence[k]).abs() < 1e-12,
                    "{m:?} unit {u}"
                );
            }
        }
    }
}
