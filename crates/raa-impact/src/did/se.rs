//! Analytic standard errors from influence functions, as R `did` forms them.

/// Below this a standard error counts as zero (R `did`: `sqrt(.Machine$double.eps) * 10`).
pub(crate) fn tiny() -> f64 {
    f64::EPSILON.sqrt() * 10.0
}

/// `sqrt(Σ_i ψ_i²)/n`, or with clusters `sqrt(Σ_c (Σ_{i∈c} ψ_i)²)/n` (no small-sample factor, as
/// `did`'s clustered analytic variance); `None` when it is (numerically) zero.
pub(crate) fn analytic_se(psi: &[f64], cluster: Option<&[u32]>) -> Option<f64> {
    let n = psi.len() as f64;
    let ss = match cluster {
        None => psi.iter().map(|v| v * v).sum::<f64>(),
        Some(c) => {
            let nc = c.iter().copied().max().map_or(0, |m| m as usize + 1);
            let mut sums = vec![0.0; nc];
            for (v, &ci) in psi.iter().zip(c) {
                sums[ci as usize] += v;
            }
            sums.iter().map(|s| s * s).sum()
        }
    };
    let se = ss.sqrt() / n;
    (se.is_finite() && se > tiny()).then_some(se)
}

/// `att ± c·se` when both are known.
pub(crate) fn interval(att: Option<f64>, se: Option<f64>, c: f64) -> Option<(f64, f64)> {
    match (att, se) {
        (Some(a), Some(s)) => Some((a - c * s, a + c * s)),
        _ => None,
    }
}
