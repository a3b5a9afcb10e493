//! Counterfactual path and effects: what the model predicts with and without the intervention's
//! terms, pointwise and summed over horizons, with delta-method intervals.

use super::model::ModelFit;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The rows of the fitted design as effect code needs them.
pub(crate) struct Rows<'a> {
    /// Full design rows (intercept first), one per row used.
    pub x: &'a [Vec<f64>],
    /// Offset per row used (0 without one).
    pub offset: &'a [f64],
    /// Which coefficients the counterfactual sets to zero.
    pub intervention: &'a [bool],
}

impl Rows<'_> {
    fn counterfactual_row(&self, r: usize) -> Vec<f64> {
        self.x[r]
            .iter()
            .zip(self.intervention)
            .map(|(v, off)| if *off { 0.0 } else { *v })
            .collect()
    }
}

/// One time point of the observed, fitted and counterfactual path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathPoint {
    /// Time.
    pub time: f64,
    /// Observed outcome.
    pub observed: f64,
    /// Fitted mean.
    pub fitted: f64,
    /// Mean without the intervention's terms.
    pub counterfactual: f64,
    /// Lower limit of the counterfactual's confidence band.
    pub counterfactual_low: f64,
    /// Upper limit of the counterfactual's confidence band.
    pub counterfactual_high: f64,
    /// `fitted − counterfactual`.
    pub effect: f64,
    /// Whether the row is in the post-interruption segment (after any bed-in).
    pub post: bool,
}

/// How an effect is summarised over a horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Summary {
    /// At the horizon's last period.
    Pointwise,
    /// Mean over the horizon's periods.
    Average,
    /// Sum over the horizon's periods.
    Cumulative,
}

/// An effect over the first `horizon` post-interruption periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HorizonEffect {
    /// Number of post-interruption periods (1 = the first).
    pub horizon: usize,
    /// Pointwise, average or cumulative.
    pub summary: Summary,
    /// First period covered.
    pub time_from: f64,
    /// Last period covered.
    pub time_to: f64,
    /// Absolute effect (fitted − counterfactual, on the outcome's scale).
    pub estimate: f64,
    /// Its standard error (delta method).
    pub se: f64,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit.
    pub ci_high: f64,
    /// Counterfactual over the same periods (same summary).
    pub counterfactual: f64,
    /// Relative effect `fitted / counterfactual − 1` (summed means), when both are positive.
    pub relative: Option<f64>,
    /// Lower limit of the relative effect (interval on the log-ratio scale).
    pub relative_low: Option<f64>,
    /// Upper limit of the relative effect.
    pub relative_high: Option<f64>,
}

/// Sums of means with and without the intervention and their gradients in β.
struct Contrast {
    with: f64,
    without: f64,
    grad_with: Vec<f64>,
    grad_without: Vec<f64>,
}

fn contrast(fit: &ModelFit, rows: &Rows, which: &[usize]) -> Contrast {
    let p = fit.p();
    let mut c = Contrast {
        with: 0.0,
        without: 0.0,
        grad_with: vec![0.0; p],
        grad_without: vec![0.0; p],
    };
    for &r in which {
        let x1 = &rows.x[r];
        let x0 = rows.counterfactual_row(r);
        let (e1, e0) = (fit.dot(x1) + rows.offset[r], fit.dot(&x0) + rows.offset[r]);
        c.with += fit.scale.inverse(e1);
        c.without += fit.scale.inverse(e0);
        let (d1, d0) = (fit.scale.derivative(e1), fit.scale.derivative(e0));
        for j in 0..p {
            c.grad_with[j] += d1 * x1[j];
            c.grad_without[j] += d0 * x0[j];
        }
    }
    c
}

/// The observed/fitted/counterfactual path for every row used.
pub(crate) fn path(
    fit: &ModelFit,
    rows: &Rows,
    time: &[f64],
    observed: &[f64],
    post_from: f64,
    level: f64,
) -> Vec<PathPoint> {
    let q = fit.critical(level);
    (0..rows.x.len())
        .map(|r| {
            let x0 = rows.counterfactual_row(r);
            let e0 = fit.dot(&x0) + rows.offset[r];
            let half = q * fit.quadratic_form(&x0).sqrt();
            let fitted = fit.scale.inverse(fit.dot(&rows.x[r]) + rows.offset[r]);
            let counterfactual = fit.scale.inverse(e0);
            PathPoint {
                time: time[r],
                observed: observed[r],
                fitted,
                counterfactual,
                counterfactual_low: fit.scale.inverse(e0 - half),
                counterfactual_high: fit.scale.inverse(e0 + half),
                effect: fitted - counterfactual,
                post: time[r] >= post_from,
            }
        })
        .collect()
}

/// Effects over the first `h` post periods for each requested horizon; `post` lists the rows of the
/// post-interruption segment in time order.
pub(crate) fn at_horizons(
    fit: &ModelFit,
    rows: &Rows,
    time: &[f64],
    post: &[usize],
    horizons: &[usize],
    level: f64,
) -> Result<Vec<HorizonEffect>> {
    let mut out = Vec::with_capacity(3 * horizons.len());
    for &h in horizons {
        if h == 0 || h > post.len() {
            return Err(Error::argument(
                "horizons",
                format!(
                    "horizon {h} is not between 1 and the {} observed post-interruption periods",
                    post.len()
                ),
            ));
        }
        let span = &post[..h];
        for (summary, which) in [
            (Summary::Pointwise, &span[h - 1..]),
            (Summary::Average, span),
            (Summary::Cumulative, span),
        ] {
            let divisor = if summary == Summary::Average {
                h as f64
            } else {
                1.0
            };
            let c = contrast(fit, rows, which);
            out.push(summarise(
                fit,
                &c,
                h,
                summary,
                divisor,
                time[which[0]],
                time[span[h - 1]],
                level,
            ));
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn summarise(
    fit: &ModelFit,
    c: &Contrast,
    horizon: usize,
    summary: Summary,
    divisor: f64,
    time_from: f64,
    time_to: f64,
    level: f64,
) -> HorizonEffect {
    let q = fit.critical(level);
    let grad: Vec<f64> = c
        .grad_with
        .iter()
        .zip(&c.grad_without)
        .map(|(a, b)| (a - b) / divisor)
        .collect();
    let estimate = (c.with - c.without) / divisor;
    let se = fit.quadratic_form(&grad).sqrt();
    let (relative, relative_low, relative_high) = relative(fit, c, q);
    HorizonEffect {
        horizon,
        summary,
        time_from,
        time_to,
        estimate,
        se,
        ci_low: estimate - q * se,
        ci_high: estimate + q * se,
        counterfactual: c.without / divisor,
        relative,
        relative_low,
        relative_high,
    }
}

/// `with / without − 1` with its interval from the log ratio (which keeps the limits above −1).
fn relative(fit: &ModelFit, c: &Contrast, q: f64) -> (Option<f64>, Option<f64>, Option<f64>) {
    if c.with <= 0.0 || c.without <= 0.0 {
        return (None, None, None);
    }
    let grad: Vec<f64> = c
        .grad_with
        .iter()
        .zip(&c.grad_without)
        .map(|(a, b)| a / c.with - b / c.without)
        .collect();
    let log_ratio = (c.with / c.without).ln();
    let se = fit.quadratic_form(&grad).sqrt();
    let f = |v: f64| Some(v.exp() - 1.0);
    (f(log_ratio), f(log_ratio - q * se), f(log_ratio + q * se))
}
