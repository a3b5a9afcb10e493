//! Weighted means and variances with the conventions cobalt uses.

/// Weighted mean of `x` over the rows where `keep` is true. `None` when the weights sum to zero.
pub fn mean(x: &[f64], w: &[f64], keep: impl Fn(usize) -> bool) -> Option<f64> {
    let (mut sw, mut swx) = (0.0, 0.0);
    for i in (0..x.len()).filter(|&i| keep(i)) {
        sw += w[i];
        swx += w[i] * x[i];
    }
    (sw > 0.0).then(|| swx / sw)
}

/// Weighted variance with reliability weights, `Σw(x−m)² · Σw / ((Σw)² − Σw²)`: equal to the usual
/// `n − 1` variance when every weight is one. For a binary variable the variance is `p(1 − p)`, as
/// cobalt computes it, because the `n − 1` correction means nothing for a proportion's spread.
pub fn variance(x: &[f64], w: &[f64], keep: impl Fn(usize) -> bool, binary: bool) -> Option<f64> {
    let m = mean(x, w, &keep)?;
    if binary {
        return Some(m * (1.0 - m));
    }
    let (mut sw, mut sw2, mut ss) = (0.0, 0.0, 0.0);
    for i in (0..x.len()).filter(|&i| keep(i)) {
        sw += w[i];
        sw2 += w[i] * w[i];
        ss += w[i] * (x[i] - m).powi(2);
    }
    let denominator = sw * sw - sw2;
    (denominator > 0.0).then(|| ss * sw / denominator)
}

/// Kish's effective sample size `(Σw)² / Σw²` over the rows where `keep` is true.
pub fn effective_size(w: &[f64], keep: impl Fn(usize) -> bool) -> f64 {
    let (mut sw, mut sw2) = (0.0, 0.0);
    for i in (0..w.len()).filter(|&i| keep(i)) {
        sw += w[i];
        sw2 += w[i] * w[i];
    }
    if sw2 > 0.0 {
        sw * sw / sw2
    } else {
        0.0
    }
}

/// True when every value is 0 or 1.
pub fn is_binary(x: &[f64]) -> bool {
    x.iter().all(|v| *v == 0.0 || *v == 1.0)
}

/// Weighted means and variances of the control (`[0]`) and treated (`[1]`) rows: [`mean`] and
/// [`variance`] (never the binary formula) of both groups, and the sums they came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoGroups {
    /// Weighted mean of each group (`None` when its weights sum to zero).
    pub mean: [Option<f64>; 2],
    /// Weighted variance of each group, as [`variance`] with `binary == false`.
    pub variance: [Option<f64>; 2],
    /// `Σw` of each group (its number of rows under unit weights).
    pub sum_weights: [f64; 2],
    /// `Σw(x − mean)²` of each group.
    pub sum_squares: [f64; 2],
}

/// Both groups' moments in two passes over the rows (`w`: `None` = unit weights, nothing to read).
/// Each group's sums take the same terms in the same order as [`mean`] and [`variance`], so the
/// results are bit-identical to theirs.
///
/// ```
/// use raa_impact::balance::moments::{two_groups, mean};
/// let (x, t) = ([1.0, 2.0, 4.0, 8.0], [true, false, true, false]);
/// let m = two_groups(&x, None, &t);
/// assert_eq!(m.mean[1], mean(&x, &[1.0; 4], |i| t[i]));
/// assert_eq!(m.variance[0], Some(18.0));
/// ```
pub fn two_groups(x: &[f64], w: Option<&[f64]>, treated: &[bool]) -> TwoGroups {
    match w {
        Some(w) => two_groups_of(|| x.iter().zip(treated).zip(w).map(|((x, t), w)| (*x, *t, *w))),
        None => two_groups_of(|| x.iter().zip(treated).map(|(x, t)| (*x, *t, 1.0))),
    }
}

/// [`two_groups`] under weights that are zero except on `rows` (ascending), which weigh `values`:
/// only those rows are read. A zero weight adds `+0.0` (or `-0.0`) to every sum, which leaves it
/// unchanged, so the results are bit-identical to those of the dense weights.
///
/// ```
/// use raa_impact::balance::moments::two_groups;
/// use raa_impact::balance::moments::two_groups_sparse;
/// let (x, t) = ([1.0, 2.0, 4.0, 8.0, 3.0], [true, false, true, false, false]);
/// let dense = two_groups(&x, Some(&[0.5, 0.0, 2.0, 1.0, 1.5]), &t);
/// assert_eq!(two_groups_sparse(&x, &[0, 2, 3, 4], &[0.5, 2.0, 1.0, 1.5], &t), dense);
/// ```
pub fn two_groups_sparse(x: &[f64], rows: &[u32], values: &[f64], treated: &[bool]) -> TwoGroups {
    two_groups_of(|| {
        rows.iter()
            .zip(values)
            .map(|(&r, &w)| (x[r as usize], treated[r as usize], w))
    })
}

/// The two passes over `(x, treated, weight)` of the rows, in row order.
fn two_groups_of<I: Iterator<Item = (f64, bool, f64)>>(rows: impl Fn() -> I) -> TwoGroups {
    // Scalar accumulators per group, `+0.0` added for the other group's rows: adding +0.0 leaves
    // a sum's bits unchanged (a sum started at +0.0 is never -0.0), so each group's sums equal
    // those of `mean` and `variance`, without a branch or an indexed store in the loop.
    let pick = |t: bool, v: f64| if t { (0.0, v) } else { (v, 0.0) };
    let (mut sw, mut swx) = ((0.0_f64, 0.0_f64), (0.0_f64, 0.0_f64));
    for (xi, t, wi) in rows() {
        let (a, b) = pick(t, wi);
        sw = (sw.0 + a, sw.1 + b);
        let (a, b) = pick(t, wi * xi);
        swx = (swx.0 + a, swx.1 + b);
    }
    let sw = [sw.0, sw.1];
    let swx = [swx.0, swx.1];
    let mean = [0, 1].map(|g| (sw[g] > 0.0).then(|| swx[g] / sw[g]));
    let m = mean.map(|m| m.unwrap_or(f64::NAN));
    let (mut sw, mut sw2, mut ss) = ((0.0_f64, 0.0_f64), (0.0_f64, 0.0_f64), (0.0_f64, 0.0_f64));
    for (xi, t, wi) in rows() {
        let (a, b) = pick(t, wi);
        sw = (sw.0 + a, sw.1 + b);
        let (a, b) = pick(t, wi * wi);
        sw2 = (sw2.0 + a, sw2.1 + b);
        let (a, b) = pick(t, wi * (xi - m[usize::from(t)]).powi(2));
        ss = (ss.0 + a, ss.1 + b);
    }
    let (sw, sw2, ss) = ([sw.0, sw.1], [sw2.0, sw2.1], [ss.0, ss.1]);
    let variance = [0, 1].map(|g| {
        let denominator = sw[g] * sw[g] - sw2[g];
        mean[g].and((denominator > 0.0).then(|| ss[g] * sw[g] / denominator))
    });
    TwoGroups {
        mean,
        variance,
        sum_weights: sw,
        sum_squares: ss,
    }
}
