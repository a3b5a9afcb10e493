//! The repeated cross-section 2×2 DiD estimators of one ATT(g,t) cell and their influence
//! functions, following the formulas of Sant'Anna & Zhao (2020) as R `DRDID` 1.2 implements them
//! (`drdid_rc`, the locally efficient doubly robust one; `reg_did_rc`; `std_ipw_did_rc`), with R
//! `did`'s per-cell guards in front. R `did` uses them for unbalanced panels: each row (a unit in
//! one of the cell's two periods) is an observation, so the outcome is compared in levels, not
//! changes. Weights are normalised to mean 1 over the cell's rows, the propensity score is capped
//! at 1 − 1e-6 and comparison rows with a score ≥ 0.995 are trimmed; the influence function is on
//! the scale `se = sqrt(Σ ψ²)/n_rows`, one value per row.

use nalgebra::{DMatrix, DVector};

use super::options::EstMethod;
use super::two_by_two::{
    capped_scores, col_means, dot, gram, mean, overlap, ps_hessian_inv, rcond, Cell, CellFit,
    Failure,
};

/// One cell's rows: treated (`d = 1`) or comparison, in the later (`post = 1`, the period t of
/// ATT(g,t)) or the base period, with the outcome level and design rows (intercept first, empty
/// when intercept only).
pub(crate) struct RcCell<'a> {
    pub d: &'a [f64],
    pub post: &'a [f64],
    pub y: &'a [f64],
    pub x: &'a [f64],
    pub p: usize,
    /// Raw weights (normalised here).
    pub w: &'a [f64],
}

impl RcCell<'_> {
    /// The rows as a panel [`Cell`] whose `dy` is the level (for the shared regression helpers).
    fn as_cell(&self) -> Cell<'_> {
        Cell {
            d: self.d,
            dy: self.y,
            x: self.x,
            p: self.p,
            w: self.w,
        }
    }
}

/// Estimate one cell with the chosen method after `did`'s checks: treated and comparison rows in
/// both periods, overlap (dr, ipw: an unweighted logit of D with a fitted value ≥ 0.999), and a
/// non-singular comparison design (dr, reg).
pub(crate) fn estimate_rc(rc: &RcCell, method: EstMethod) -> Result<CellFit, Failure> {
    let count = |d: f64, post: f64| {
        (0..rc.d.len())
            .filter(|&i| rc.d[i] == d && rc.post[i] == post)
            .count()
    };
    for (d, post, what) in [
        (1.0, 1.0, "no treated units in the period"),
        (1.0, 0.0, "no treated units in the base period"),
        (0.0, 1.0, "no comparison units in the period"),
        (0.0, 0.0, "no comparison units in the base period"),
    ] {
        if count(d, post) == 0 {
            return Err(what.into());
        }
    }
    let cell = rc.as_cell();
    let n = cell.n();
    let unweighted = if matches!(method, EstMethod::Dr | EstMethod::Ipw) {
        let (fails, ps) = overlap(&cell);
        if fails {
            return Err("overlap violated: a propensity score ≥ 0.999".into());
        }
        ps
    } else {
        None
    };
    if matches!(method, EstMethod::Dr | EstMethod::Reg) && rc.p > 1 {
        let xpx = gram(&cell, |i| 1.0 - rc.d[i]);
        if rcond(&xpx) < f64::EPSILON {
            return Err("the comparison rows' covariate matrix is singular".into());
        }
    }
    let mean_w = rc.w.iter().sum::<f64>() / n as f64;
    if mean_w <= 0.0 {
        return Err("all weights are zero".into());
    }
    let w: Vec<f64> = rc.w.iter().map(|v| v / mean_w).collect();
    // With equal weights the weighted score model is the guard's unweighted fit: reuse it.
    let reuse = if rc.w.iter().all(|v| *v == rc.w[0]) {
        unweighted
    } else {
        None
    };
    match method {
        EstMethod::Dr => dr(rc, &cell, &w, reuse),
        EstMethod::Reg => reg(rc, &cell, &w),
        EstMethod::Ipw => ipw(rc, &cell, &w, reuse),
    }
}

/// Weighted least squares of `y` on the rows with weight `f` (zero = out): coefficients and
/// `(Σ f x x'/n)⁻¹` over all n rows of the cell (DRDID's `XpX.inv`).
fn wls(cell: &Cell, f: &[f64], y: &[f64]) -> Result<(DVector<f64>, DMatrix<f64>), Failure> {
    let xpx = gram(cell, |i| f[i]);
    if rcond(&xpx) < f64::EPSILON {
        return Err("an outcome regression's design matrix is singular".into());
    }
    let xpy = col_means(cell, |i| f[i] * y[i]);
    let inv = xpx
        .try_inverse()
        .ok_or("an outcome regression's design matrix is singular")?;
    Ok((&inv * xpy, inv))
}

/// Fitted values x'β of every row.
fn fitted(cell: &Cell, beta: &DVector<f64>) -> Vec<f64> {
    (0..cell.n())
        .map(|i| dot(cell.row(i), beta.as_slice()))
        .collect()
}

/// A per-row vector (weights, fitted values) built by `f`.
fn weights(n: usize, f: impl Fn(usize) -> f64) -> Vec<f64> {
    (0..n).map(f).collect()
}

/// Mean of `w` (over all rows), an error when no weight is left.
fn positive_mean(w: &[f64]) -> Result<f64, Failure> {
    let m = mean(w.iter().copied(), w.len());
    if m > 0.0 {
        Ok(m)
    } else {
        Err("no weight left on treated or comparison rows of a period after trimming".into())
    }
}

/// Weighted mean of `v` under weights `w` (DRDID's `mean(w·v)/mean(w)`).
fn wmean(w: &[f64], v: impl Fn(usize) -> f64, mw: f64) -> f64 {
    mean((0..w.len()).map(|i| w[i] * v(i)), w.len()) / mw
}

/// Outcome regression (`reg_did_rc`): comparison-row regressions in each period predict the
/// treated rows' counterfactual change.
fn reg(rc: &RcCell, cell: &Cell, w: &[f64]) -> Result<CellFit, Failure> {
    let n = cell.n();
    let (d, post, y) = (rc.d, rc.post, rc.y);
    let c_pre = weights(n, |i| w[i] * (1.0 - d[i]) * (1.0 - post[i]));
    let c_post = weights(n, |i| w[i] * (1.0 - d[i]) * post[i]);
    let (b_pre, inv_pre) = wls(cell, &c_pre, y)?;
    let (b_post, inv_post) = wls(cell, &c_post, y)?;
    let (out_pre, out_post) = (fitted(cell, &b_pre), fitted(cell, &b_post));
    let t_pre = weights(n, |i| w[i] * d[i] * (1.0 - post[i]));
    let t_post = weights(n, |i| w[i] * d[i] * post[i]);
    let t_all = weights(n, |i| w[i] * d[i]);
    let (m_pre, m_post, m_all) = (
        positive_mean(&t_pre)?,
        positive_mean(&t_post)?,
        positive_mean(&t_all)?,
    );
    let eta_pre = wmean(&t_pre, |i| y[i], m_pre);
    let eta_post = wmean(&t_post, |i| y[i], m_post);
    let eta_cont = wmean(&t_all, |i| out_post[i] - out_pre[i], m_all);
    let m1 = col_means(cell, |i| t_all[i]);
    let (a_pre, a_post) = (&inv_pre * &m1, &inv_post * &m1);
    let influence = (0..n)
        .map(|i| {
            let xi = cell.row(i);
            let treat =
                t_post[i] * (y[i] - eta_post) / m_post - t_pre[i] * (y[i] - eta_pre) / m_pre;
            let cont = t_all[i] * (out_post[i] - out_pre[i] - eta_cont)
                + c_post[i] * (y[i] - out_post[i]) * dot(xi, a_post.as_slice())
                - c_pre[i] * (y[i] - out_pre[i]) * dot(xi, a_pre.as_slice());
            treat - cont / m_all
        })
        .collect();
    Ok(CellFit {
        att: (eta_post - eta_pre) - eta_cont,
        influence,
    })
}

/// The four cells' IPW weights: treated pre/post (`trim·w·D`) and comparison pre/post
/// (`trim·w·ps(1 − D)/(1 − ps)`), in the order t_pre, t_post, c_pre, c_post.
fn ipw_weights(rc: &RcCell, w: &[f64], ps: &[f64], trim: &[f64]) -> [Vec<f64>; 4] {
    let n = w.len();
    let (d, post) = (rc.d, rc.post);
    let odds = |i: usize| trim[i] * w[i] * ps[i] * (1.0 - d[i]) / (1.0 - ps[i]);
    [
        weights(n, |i| trim[i] * w[i] * d[i] * (1.0 - post[i])),
        weights(n, |i| trim[i] * w[i] * d[i] * post[i]),
        weights(n, |i| odds(i) * (1.0 - post[i])),
        weights(n, |i| odds(i) * post[i]),
    ]
}

/// Normalised IPW (`std_ipw_did_rc`).
fn ipw(rc: &RcCell, cell: &Cell, w: &[f64], fit: Option<Vec<f64>>) -> Result<CellFit, Failure> {
    let n = cell.n();
    let (d, y) = (rc.d, rc.y);
    let (ps, trim) = capped_scores(cell, w, fit)?;
    let [t_pre, t_post, c_pre, c_post] = ipw_weights(rc, w, &ps, &trim);
    let m = [
        positive_mean(&t_pre)?,
        positive_mean(&t_post)?,
        positive_mean(&c_pre)?,
        positive_mean(&c_post)?,
    ];
    let att_tpre = wmean(&t_pre, |i| y[i], m[0]);
    let att_tpost = wmean(&t_post, |i| y[i], m[1]);
    let att_cpre = wmean(&c_pre, |i| y[i], m[2]);
    let att_cpost = wmean(&c_post, |i| y[i], m[3]);
    let hess = ps_hessian_inv(cell, w, &ps)?;
    let m2_pre = col_means(cell, |i| c_pre[i] * (y[i] - att_cpre)) / m[2];
    let m2_post = col_means(cell, |i| c_post[i] * (y[i] - att_cpost)) / m[3];
    let a_ps = &hess * (m2_post - m2_pre);
    let influence = (0..n)
        .map(|i| {
            let treat = t_post[i] * (y[i] - att_tpost) / m[1] - t_pre[i] * (y[i] - att_tpre) / m[0];
            let cont = c_post[i] * (y[i] - att_cpost) / m[3] - c_pre[i] * (y[i] - att_cpre) / m[2]
                + w[i] * (d[i] - ps[i]) * dot(cell.row(i), a_ps.as_slice());
            treat - cont
        })
        .collect();
    Ok(CellFit {
        att: (att_tpost - att_tpre) - (att_cpost - att_cpre),
        influence,
    })
}

/// The four outcome regressions of `drdid_rc` (comparison and treated rows, each period):
/// fitted values for every row and the `(X'WX/n)⁻¹` of each, in the order comparison pre,
/// comparison post, treated pre, treated post.
struct Regressions {
    fit: [Vec<f64>; 4],
    inv: [DMatrix<f64>; 4],
    /// The regressions' weights `w·1{row in the regression}`.
    ols_w: [Vec<f64>; 4],
}

fn regressions(rc: &RcCell, cell: &Cell, w: &[f64]) -> Result<Regressions, Failure> {
    let n = cell.n();
    let (d, post) = (rc.d, rc.post);
    let ols_w = [
        weights(n, |i| w[i] * (1.0 - d[i]) * (1.0 - post[i])),
        weights(n, |i| w[i] * (1.0 - d[i]) * post[i]),
        weights(n, |i| w[i] * d[i] * (1.0 - post[i])),
        weights(n, |i| w[i] * d[i] * post[i]),
    ];
    let mut fit: [Vec<f64>; 4] = Default::default();
    let mut inv: [DMatrix<f64>; 4] = Default::default();
    for k in 0..4 {
        let (b, v) = wls(cell, &ols_w[k], rc.y)?;
        fit[k] = fitted(cell, &b);
        inv[k] = v;
    }
    Ok(Regressions { fit, inv, ols_w })
}

/// Locally efficient doubly robust DiD (`drdid_rc`).
fn dr(rc: &RcCell, cell: &Cell, w: &[f64], fit: Option<Vec<f64>>) -> Result<CellFit, Failure> {
    let n = cell.n();
    let (d, post, y) = (rc.d, rc.post, rc.y);
    let (ps, trim) = capped_scores(cell, w, fit)?;
    let r = regressions(rc, cell, w)?;
    let [ocp, ocq, otp, otq] = &r.fit;
    // The comparison rows' prediction in each row's own period.
    let oc = weights(n, |i| post[i] * ocq[i] + (1.0 - post[i]) * ocp[i]);
    let [t_pre, t_post, c_pre, c_post] = ipw_weights(rc, w, &ps, &trim);
    let t_all = weights(n, |i| trim[i] * w[i] * d[i]);
    let m = [
        positive_mean(&t_pre)?,
        positive_mean(&t_post)?,
        positive_mean(&c_pre)?,
        positive_mean(&c_post)?,
        positive_mean(&t_all)?,
    ];
    let resid = |i: usize| y[i] - oc[i];
    let gap_post = |i: usize| otq[i] - ocq[i];
    let gap_pre = |i: usize| otp[i] - ocp[i];
    let att_tpre = wmean(&t_pre, resid, m[0]);
    let att_tpost = wmean(&t_post, resid, m[1]);
    let att_cpre = wmean(&c_pre, resid, m[2]);
    let att_cpost = wmean(&c_post, resid, m[3]);
    let att_d_post = wmean(&t_all, gap_post, m[4]);
    let att_dt1_post = wmean(&t_post, gap_post, m[1]);
    let att_d_pre = wmean(&t_all, gap_pre, m[4]);
    let att_dt0_pre = wmean(&t_pre, gap_pre, m[0]);
    let att = (att_tpost - att_tpre) - (att_cpost - att_cpre) + (att_d_post - att_dt1_post)
        - (att_d_pre - att_dt0_pre);
    // Moments multiplying each estimated nuisance's influence (DRDID's M1, M2, M3, mom).
    let m1_post = -col_means(cell, |i| t_post[i]) / m[1];
    let m1_pre = -col_means(cell, |i| t_pre[i]) / m[0];
    let m2_pre = col_means(cell, |i| c_pre[i] * (resid(i) - att_cpre)) / m[2];
    let m2_post = col_means(cell, |i| c_post[i] * (resid(i) - att_cpost)) / m[3];
    let m3_post = -col_means(cell, |i| c_post[i]) / m[3];
    let m3_pre = -col_means(cell, |i| c_pre[i]) / m[2];
    let mom_post = col_means(cell, |i| t_all[i] / m[4] - t_post[i] / m[1]);
    let mom_pre = col_means(cell, |i| t_all[i] / m[4] - t_pre[i] / m[0]);
    // Each regression's linear representation enters through one combined direction.
    let a_cpre = &r.inv[0] * (&m1_pre - &m3_pre + &mom_pre);
    let a_cpost = &r.inv[1] * (&m1_post - &m3_post - &mom_post);
    let a_tpre = &r.inv[2] * &mom_pre;
    let a_tpost = &r.inv[3] * &mom_post;
    let a_ps = ps_hessian_inv(cell, w, &ps)? * (m2_post - m2_pre);
    let influence = (0..n)
        .map(|i| {
            let xi = cell.row(i);
            let lin = |k: usize, a: &DVector<f64>| {
                r.ols_w[k][i] * (y[i] - r.fit[k][i]) * dot(xi, a.as_slice())
            };
            let treat =
                t_post[i] * (resid(i) - att_tpost) / m[1] - t_pre[i] * (resid(i) - att_tpre) / m[0];
            let cont = c_post[i] * (resid(i) - att_cpost) / m[3]
                - c_pre[i] * (resid(i) - att_cpre) / m[2]
                + w[i] * (d[i] - ps[i]) * dot(xi, a_ps.as_slice());
            let eff = (t_all[i] * (gap_post(i) - att_d_post) / m[4]
                - t_post[i] * (gap_post(i) - att_dt1_post) / m[1])
                - (t_all[i] * (gap_pre(i) - att_d_pre) / m[4]
                    - t_pre[i] * (gap_pre(i) - att_dt0_pre) / m[0]);
            let ols = lin(0, &a_cpre) + lin(1, &a_cpost) - lin(2, &a_tpre) + lin(3, &a_tpost);
            treat - cont + eff + ols
        })
        .collect();
    Ok(CellFit { att, influence })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// d, post, y, x (row-major, intercept first), w.
    type Columns = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>);

    /// Rows of a cell: 40 treated and 60 comparison rows, alternating periods, with a covariate.
    fn rows() -> Columns {
        let (mut d, mut post, mut y, mut x, mut w) = (vec![], vec![], vec![], vec![], vec![]);
        for i in 0..100usize {
            let di = if i < 40 { 1.0 } else { 0.0 };
            let pi = (i % 2) as f64;
            let xi = ((i * 37) % 23) as f64 / 10.0;
            d.push(di);
            post.push(pi);
            y.push(1.0 + 0.5 * xi + 0.3 * pi + 0.8 * di * pi + ((i * 13) % 7) as f64 / 5.0);
            x.extend([1.0, xi]);
            w.push(1.0 + (i % 3) as f64);
        }
        (d, post, y, x, w)
    }

    #[test]
    fn intercept_only_methods_are_the_difference_of_four_weighted_means() {
        let (d, post, y, _, w) = rows();
        let cell = RcCell {
            d: &d,
            post: &post,
            y: &y,
            x: &[],
            p: 1,
            w: &w,
        };
        let m = |dd: f64, pp: f64| {
            let idx = (0..d.len()).filter(|&i| d[i] == dd && post[i] == pp);
            let (sw, swy) = idx.fold((0.0, 0.0), |(a, b), i| (a + w[i], b + w[i] * y[i]));
            swy / sw
        };
        let want = (m(1.0, 1.0) - m(1.0, 0.0)) - (m(0.0, 1.0) - m(0.0, 0.0));
        let fits: Vec<CellFit> = [EstMethod::Dr, EstMethod::Reg, EstMethod::Ipw]
            .iter()
            .map(|&me| estimate_rc(&cell, me).unwrap())
            .collect();
        for f in &fits {
            assert!((f.att - want).abs() < 1e-12, "{} vs {want}", f.att);
            // An influence function has mean zero.
            assert!(f.influence.iter().sum::<f64>().abs() < 1e-9);
        }
        for k in 0..d.len() {
            assert!((fits[0].influence[k] - fits[1].influence[k]).abs() < 1e-9);
            assert!((fits[0].influence[k] - fits[2].influence[k]).abs() < 1e-9);
        }
    }

    #[test]
    fn covariate_fits_have_mean_zero_influence_and_guards_fire() {
        let (d, post, y, x, w) = rows();
        let cell = RcCell {
            d: &d,
            post: &post,
            y: &y,
            x: &x,
            p: 2,
            w: &w,
        };
        for me in [EstMethod::Dr, EstMethod::Reg, EstMethod::Ipw] {
            let f = estimate_rc(&cell, me).unwrap();
            assert!(f.influence.iter().sum::<f64>().abs() < 1e-8, "{me:?}");
        }
        // No comparison row in the base period: not identified.
        let only_post: Vec<f64> = (0..d.len())
            .map(|i| if d[i] == 0.0 { 1.0 } else { post[i] })
            .collect();
        let gone = RcCell {
            post: &only_post,
            ..cell
        };
        let err = estimate_rc(&gone, EstMethod::Reg).err().unwrap();
        assert!(err.contains("comparison units in the base period"), "{err}");
    }
}
