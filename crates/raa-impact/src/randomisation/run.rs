//! The randomisation test itself: evaluate the statistic over all assignments (or `B` random ones)
//! in parallel, in a fixed order, and compare with the observed statistic.

use rayon::prelude::*;

use super::design::Design;
use super::draw::Streams;
use super::options::RandomisationOptions;
use super::result::{RandomisationResult, AS_IF_RANDOM_NOTE};
use crate::{Error, Result};

/// Assignments per parallel task: large enough to amortise scheduling, small enough to balance.
const CHUNK: u64 = 256;

/// Randomisation test of `statistic` (a function of the start times, one per unit) over the
/// assignments of `design`, at the `observed` start times.
///
/// Every assignment is enumerated when there are at most `options.max_enumerate`; otherwise
/// `options.draws` assignments are drawn uniformly (with replacement) from counter-based streams.
/// Results are bit-identical for any number of threads. An error of the statistic at some
/// assignment is returned (the first in index order), as is a non-finite statistic.
///
/// ```
/// use raa_impact::randomisation::{randomisation_test, Design, RandomisationOptions, Window};
/// let d = Design::marascuilo_busk(vec![Window::new(2, 4), Window::new(3, 5)]).unwrap();
/// // A statistic that is largest at the latest starts: the observed (4, 5) is the most extreme of 9.
/// let r = randomisation_test(&d, &[4, 5], |s| Ok((s[0] + s[1]) as f64), &RandomisationOptions::default()).unwrap();
/// assert!(r.enumerated);
/// assert!((r.p_value - 1.0 / 9.0).abs() < 1e-15);
/// ```
pub fn randomisation_test<F>(
    design: &Design,
    observed: &[i64],
    statistic: F,
    options: &RandomisationOptions,
) -> Result<RandomisationResult>
where
    F: Fn(&[i64]) -> Result<f64> + Sync,
{
    check_options(options)?;
    design.check_observed(observed)?;
    let t = finite_statistic(&statistic, observed, "the observed start times")?;
    let total = design.n_assignments();
    let enumerate = matches!(total, Some(n) if n <= options.max_enumerate);
    let streams = Streams::new(options.seed);
    let count = if enumerate {
        total.unwrap_or(0)
    } else {
        options.draws
    };
    let fill = |b: u64, starts: &mut [i64]| {
        if enumerate {
            design.assignment_into(b, starts)
        } else {
            design.draw_into(&streams, b, starts)
        }
    };
    let values = evaluate_all(count, design.n_units(), &fill, &statistic)?;
    let alt = options.alternative;
    let n_extreme = values
        .iter()
        .filter(|&&v| alt.at_least_as_extreme(v, t, options.tolerance))
        .count() as u64;
    let (p_value, mc_standard_error) = p_value(n_extreme, count, enumerate);
    Ok(RandomisationResult {
        scheme: design.scheme(),
        alternative: alt,
        observed: t,
        p_value,
        mc_standard_error,
        enumerated: enumerate,
        n_assignments: total,
        log10_n_assignments: design.log10_n_assignments(),
        n_evaluated: count,
        n_extreme,
        seed: (!enumerate).then_some(options.seed),
        tolerance: options.tolerance,
        distribution: if options.keep_distribution {
            values.iter().map(|&v| v as f32).collect()
        } else {
            Vec::new()
        },
        note: AS_IF_RANDOM_NOTE.to_string(),
    })
}

fn check_options(options: &RandomisationOptions) -> Result<()> {
    if options.draws == 0 {
        return Err(Error::argument("draws", "is 0, expected at least 1"));
    }
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return Err(Error::argument(
            "tolerance",
            format!("is {}, expected a finite number ≥ 0", options.tolerance),
        ));
    }
    Ok(())
}

/// Enumeration: exact p. Monte Carlo: the observed assignment counted once more, which keeps the
/// test valid (Phipson & Smyth's `(1 + b)/(1 + B)`), with the binomial error of the estimate.
fn p_value(n_extreme: u64, count: u64, enumerate: bool) -> (f64, f64) {
    if enumerate {
        (n_extreme as f64 / count as f64, 0.0)
    } else {
        let p = (1.0 + n_extreme as f64) / (1.0 + count as f64);
        (p, (p * (1.0 - p) / count as f64).sqrt())
    }
}

fn finite_statistic<F>(statistic: &F, starts: &[i64], what: &str) -> Result<f64>
where
    F: Fn(&[i64]) -> Result<f64>,
{
    let v = statistic(starts)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::argument(
            "statistic",
            format!("is {v} at {what} {starts:?}, expected a finite number"),
        ))
    }
}

/// The statistic at assignments `0..count`, in index order, evaluated in parallel chunks.
fn evaluate_all<G, F>(count: u64, n_units: usize, fill: &G, statistic: &F) -> Result<Vec<f64>>
where
    G: Fn(u64, &mut [i64]) + Sync,
    F: Fn(&[i64]) -> Result<f64> + Sync,
{
    let n_chunks = count.div_ceil(CHUNK);
    let chunks: Vec<Result<Vec<f64>>> = (0..n_chunks)
        .into_par_iter()
        .map(|c| {
            let mut starts = vec![0i64; n_units];
            (c * CHUNK..((c + 1) * CHUNK).min(count))
                .map(|b| {
                    fill(b, &mut starts);
                    finite_statistic(statistic, &starts, &format!("assignment {b}"))
                })
                .collect()
        })
        .collect();
    let mut values = Vec::with_capacity(count as usize);
    for chunk in chunks {
        values.extend(chunk?);
    }
    Ok(values)
}
