//! The panel 2×2 DiD estimators of one ATT(g,t) cell and their influence functions, following the
//! formulas of Sant'Anna & Zhao (2020) as R `DRDID` 1.2 implements them (`drdid_panel`,
//! `reg_did_panel`, `std_ipw_did_panel`): weights normalised to mean 1 within the cell, the
//! propensity score capped at 1 − 1e-6, control units with a score ≥ 0.995 trimmed, the
//! influence function on the scale `se = sqrt(Σ ψ²)/n₁`.

use nalgebra::{DMatrix, DVector};

use super::options::EstMethod;

/// One cell's data: treated (`d = 1`) and comparison units, the outcome change, design rows.
pub(crate) struct Cell<'a> {
    pub d: &'a [f64],
    pub dy: &'a [f64],
    /// Row-major `n₁ × p`, intercept first; empty when `p == 1` (intercept only).
    pub x: &'a [f64],
    pub p: usize,
    /// Raw weights (normalised here).
    pub w: &'a [f64],
}

/// Estimate and influence function (one entry per cell unit).
pub(crate) struct CellFit {
    pub att: f64,
    pub influence: Vec<f64>,
}

/// The design row of an intercept-only cell.
const ONE: [f64; 1] = [1.0];

/// Why a cell has no estimate (R `did` reports NA with a warning).
pub(crate) type Failure = String;

impl Cell<'_> {
    pub(crate) fn n(&self) -> usize {
        self.d.len()
    }
    pub(crate) fn row(&self, i: usize) -> &[f64] {
        if self.p == 1 {
            &ONE
        } else {
            &self.x[i * self.p..(i + 1) * self.p]
        }
    }
}

/// Estimate one cell with the chosen method, after `did`'s per-cell feasibility checks.
pub(crate) fn estimate(cell: &Cell, method: EstMethod) -> Result<CellFit, Failure> {
    let n = cell.n();
    let n_treat = cell.d.iter().filter(|d| **d == 1.0).count();
    if n_treat == 0 {
        return Err("no treated units".into());
    }
    if n_treat == n {
        return Err("no comparison units".into());
    }
    let unweighted = if matches!(method, EstMethod::Dr | EstMethod::Ipw) {
        let (fails, ps) = overlap(cell);
        if fails {
            return Err("overlap violated: a propensity score ≥ 0.999".into());
        }
        ps
    } else {
        None
    };
    let mean_w = cell.w.iter().sum::<f64>() / n as f64;
    if mean_w <= 0.0 {
        return Err("all weights are zero".into());
    }
    let w: Vec<f64> = cell.w.iter().map(|v| v / mean_w).collect();
    // With equal weights the weighted score model is the guard's unweighted fit: reuse it.
    let reuse = if cell.w.iter().all(|v| *v == cell.w[0]) {
        unweighted
    } else {
        None
    };
    match method {
        EstMethod::Dr => dr(cell, &w, reuse),
        EstMethod::Reg => reg(cell, &w),
        EstMethod::Ipw => ipw(cell, &w, reuse),
    }
}

/// `did`'s overlap guard: an unweighted logit of D on the covariates with a fitted value ≥ 0.999
/// (a logit that cannot be fitted fails too). Returns the verdict and the fit, when there is one.
pub(crate) fn overlap(cell: &Cell) -> (bool, Option<Vec<f64>>) {
    if cell.p == 1 {
        let share = cell.d.iter().sum::<f64>() / cell.n() as f64;
        return (share >= 0.999, None);
    }
    let ones = vec![1.0; cell.n()];
    match logit(cell, &ones) {
        Ok(ps) => (ps.iter().any(|p| *p >= 0.999), Some(ps)),
        Err(_) => (true, None),
    }
}

/// Weighted logit by Newton–Raphson to full convergence; fitted probabilities.
fn logit(cell: &Cell, w: &[f64]) -> Result<Vec<f64>, Failure> {
    let (n, p) = (cell.n(), cell.p);
    if p == 1 {
        // Intercept only: the MLE is the weighted treated share.
        let sw: f64 = w.iter().sum();
        let share = w.iter().zip(cell.d).map(|(a, b)| a * b).sum::<f64>() / sw;
        return Ok(vec![share; n]);
    }
    let mut beta = DVector::<f64>::zeros(p);
    for _ in 0..100 {
        let mut h = DMatrix::<f64>::zeros(p, p);
        let mut g = DVector::<f64>::zeros(p);
        for (i, &wi0) in w.iter().enumerate().take(n) {
            let xi = cell.row(i);
            let eta: f64 = xi.iter().zip(beta.iter()).map(|(a, b)| a * b).sum();
            let mu = 1.0 / (1.0 + (-eta).exp());
            let wi = wi0 * mu * (1.0 - mu);
            let r = wi0 * (cell.d[i] - mu);
            for a in 0..p {
                g[a] += xi[a] * r;
                for b in 0..=a {
                    h[(a, b)] += wi * xi[a] * xi[b];
                }
            }
        }
        symmetrise(&mut h);
        let step = h
            .cholesky()
            .ok_or("propensity-score information matrix is singular")?
            .solve(&g);
        beta += &step;
        let size = step.amax() / (1.0 + beta.amax());
        if size < 1e-13 {
            return Ok(fitted(cell, &beta));
        }
    }
    Err("propensity-score logit did not converge".into())
}

fn fitted(cell: &Cell, beta: &DVector<f64>) -> Vec<f64> {
    (0..cell.n())
        .map(|i| {
            let eta: f64 = cell
                .row(i)
                .iter()
                .zip(beta.iter())
                .map(|(a, b)| a * b)
                .sum();
            1.0 / (1.0 + (-eta).exp())
        })
        .collect()
}

fn symmetrise(m: &mut DMatrix<f64>) {
    let p = m.nrows();
    for a in 0..p {
        for b in 0..a {
            m[(b, a)] = m[(a, b)];
        }
    }
}

/// Σ_i f_i x_i x_i' / n over the cell (p × p).
pub(crate) fn gram(cell: &Cell, f: impl Fn(usize) -> f64) -> DMatrix<f64> {
    let p = cell.p;
    if p == 1 {
        let s: f64 = (0..cell.n()).map(f).sum();
        return DMatrix::from_element(1, 1, s / cell.n() as f64);
    }
    let mut m = DMatrix::<f64>::zeros(p, p);
    for i in 0..cell.n() {
        let fi = f(i);
        if fi == 0.0 {
            continue;
        }
        let xi = cell.row(i);
        for a in 0..p {
            for b in 0..=a {
                m[(a, b)] += fi * xi[a] * xi[b];
            }
        }
    }
    symmetrise(&mut m);
    m / cell.n() as f64
}

/// Σ_i f_i x_i / n (the `colMeans(f * X)` of DRDID).
pub(crate) fn col_means(cell: &Cell, f: impl Fn(usize) -> f64) -> DVector<f64> {
    if cell.p == 1 {
        let s: f64 = (0..cell.n()).map(f).sum();
        return DVector::from_element(1, s / cell.n() as f64);
    }
    let mut v = DVector::<f64>::zeros(cell.p);
    for i in 0..cell.n() {
        let fi = f(i);
        for (a, xa) in cell.row(i).iter().enumerate() {
            v[a] += fi * xa;
        }
    }
    v / cell.n() as f64
}

pub(crate) fn dot(x: &[f64], v: &[f64]) -> f64 {
    x.iter().zip(v).map(|(a, b)| a * b).sum()
}

/// Reciprocal condition number (1-norm estimate via the explicit inverse; p is small).
pub(crate) fn rcond(m: &DMatrix<f64>) -> f64 {
    let norm1 = |a: &DMatrix<f64>| {
        (0..a.ncols())
            .map(|j| a.column(j).iter().map(|v| v.abs()).sum::<f64>())
            .fold(0.0, f64::max)
    };
    match m.clone().try_inverse() {
        Some(inv) => 1.0 / (norm1(m) * norm1(&inv)),
        None => 0.0,
    }
}

/// Control-unit outcome regression of the change: coefficients and `(X'WX/n)⁻¹` (WLS over D = 0).
fn outcome_regression(cell: &Cell, w: &[f64]) -> Result<(DVector<f64>, DMatrix<f64>), Failure> {
    let xpx = gram(cell, |i| w[i] * (1.0 - cell.d[i]));
    if rcond(&xpx) < f64::EPSILON {
        return Err("the control units' covariate matrix is singular".into());
    }
    let xpy = col_means(cell, |i| w[i] * (1.0 - cell.d[i]) * cell.dy[i]);
    let inv = xpx
        .try_inverse()
        .ok_or("the control units' covariate matrix is singular")?;
    Ok((&inv * xpy, inv))
}

/// `(Σ W x x')⁻¹ · n` with `W = ps(1 − ps)w`: the propensity score's Hessian inverse.
pub(crate) fn ps_hessian_inv(cell: &Cell, w: &[f64], ps: &[f64]) -> Result<DMatrix<f64>, Failure> {
    let h = gram(cell, |i| ps[i] * (1.0 - ps[i]) * w[i]);
    let inv = h
        .cholesky()
        .ok_or("the propensity-score Hessian is singular")?
        .inverse();
    Ok(inv)
}

/// Propensity scores with DRDID's cap and the trimming indicator of control units.
pub(crate) fn capped_scores(
    cell: &Cell,
    w: &[f64],
    fitted: Option<Vec<f64>>,
) -> Result<(Vec<f64>, Vec<f64>), Failure> {
    let mut ps = match fitted {
        Some(ps) => ps,
        None => logit(cell, w)?,
    };
    ps.iter_mut().for_each(|p| *p = p.min(1.0 - 1e-6));
    let trim = ps
        .iter()
        .zip(cell.d)
        .map(|(p, d)| if *d == 1.0 || *p < 0.995 { 1.0 } else { 0.0 })
        .collect();
    Ok((ps, trim))
}

pub(crate) fn mean(v: impl Iterator<Item = f64>, n: usize) -> f64 {
    v.sum::<f64>() / n as f64
}

fn dr(cell: &Cell, w: &[f64], fitted: Option<Vec<f64>>) -> Result<CellFit, Failure> {
    let n = cell.n();
    let (ps, trim) = capped_scores(cell, w, fitted)?;
    let (beta, xpx_inv) = outcome_regression(cell, w)?;
    let resid: Vec<f64> = (0..n)
        .map(|i| cell.dy[i] - dot(cell.row(i), beta.as_slice()))
        .collect();
    let wt: Vec<f64> = (0..n).map(|i| trim[i] * w[i] * cell.d[i]).collect();
    let wc: Vec<f64> = (0..n)
        .map(|i| trim[i] * w[i] * ps[i] * (1.0 - cell.d[i]) / (1.0 - ps[i]))
        .collect();
    let (mwt, mwc) = (mean(wt.iter().copied(), n), mean(wc.iter().copied(), n));
    if mwt <= 0.0 || mwc <= 0.0 {
        return Err("no weight left on treated or comparison units after trimming".into());
    }
    let eta_t = mean((0..n).map(|i| wt[i] * resid[i]), n) / mwt;
    let eta_c = mean((0..n).map(|i| wc[i] * resid[i]), n) / mwc;
    let hess = ps_hessian_inv(cell, w, &ps)?;
    let a1 = &xpx_inv * col_means(cell, |i| wt[i]);
    let a2 = &hess * col_means(cell, |i| wc[i] * (resid[i] - eta_c));
    let a3 = &xpx_inv * col_means(cell, |i| wc[i]);
    let influence = (0..n)
        .map(|i| {
            let xi = cell.row(i);
            let ols = w[i] * (1.0 - cell.d[i]) * resid[i];
            let score = w[i] * (cell.d[i] - ps[i]);
            let treat = (wt[i] * resid[i] - wt[i] * eta_t - ols * dot(xi, a1.as_slice())) / mwt;
            let cont = (wc[i] * resid[i] - wc[i] * eta_c + score * dot(xi, a2.as_slice())
                - ols * dot(xi, a3.as_slice()))
                / mwc;
            treat - cont
        })
        .collect();
    Ok(CellFit {
        att: eta_t - eta_c,
        influence,
    })
}

fn reg(cell: &Cell, w: &[f64]) -> Result<CellFit, Failure> {
    let n = cell.n();
    let (beta, xpx_inv) = outcome_regression(cell, w)?;
    let out: Vec<f64> = (0..n).map(|i| dot(cell.row(i), beta.as_slice())).collect();
    let wt: Vec<f64> = (0..n).map(|i| w[i] * cell.d[i]).collect();
    let mwt = mean(wt.iter().copied(), n);
    let eta_t = mean((0..n).map(|i| wt[i] * cell.dy[i]), n) / mwt;
    let eta_c = mean((0..n).map(|i| wt[i] * out[i]), n) / mwt;
    let a1 = &xpx_inv * col_means(cell, |i| wt[i]);
    let influence = (0..n)
        .map(|i| {
            let ols = w[i] * (1.0 - cell.d[i]) * (cell.dy[i] - out[i]);
            let treat = (wt[i] * cell.dy[i] - wt[i] * eta_t) / mwt;
            let cont =
                (wt[i] * out[i] - wt[i] * eta_c + ols * dot(cell.row(i), a1.as_slice())) / mwt;
            treat - cont
        })
        .collect();
    Ok(CellFit {
        att: eta_t - eta_c,
        influence,
    })
}

fn ipw(cell: &Cell, w: &[f64], fitted: Option<Vec<f64>>) -> Result<CellFit, Failure> {
    let n = cell.n();
    let (ps, trim) = capped_scores(cell, w, fitted)?;
    let wt: Vec<f64> = (0..n).map(|i| trim[i] * w[i] * cell.d[i]).collect();
    let wc: Vec<f64> = (0..n)
        .map(|i| trim[i] * w[i] * ps[i] * (1.0 - cell.d[i]) / (1.0 - ps[i]))
        .collect();
    let (mwt, mwc) = (mean(wt.iter().copied(), n), mean(wc.iter().copied(), n));
    if mwt <= 0.0 || mwc <= 0.0 {
        return Err("no weight left on treated or comparison units after trimming".into());
    }
    let eta_t = mean((0..n).map(|i| wt[i] * cell.dy[i]), n) / mwt;
    let eta_c = mean((0..n).map(|i| wc[i] * cell.dy[i]), n) / mwc;
    let hess = ps_hessian_inv(cell, w, &ps)?;
    let a2 = &hess * col_means(cell, |i| wc[i] * (cell.dy[i] - eta_c));
    let influence = (0..n)
        .map(|i| {
            let score = w[i] * (cell.d[i] - ps[i]);
            let treat = (wt[i] * cell.dy[i] - wt[i] * eta_t) / mwt;
            let cont = (wc[i] * cell.dy[i] - wc[i] * eta_c
                + score * dot(cell.row(i), a2.as_slice()))
                / mwc;
            treat - cont
        })
        .collect();
    Ok(CellFit {
        att: eta_t - eta_c,
        influence,
    })
}
