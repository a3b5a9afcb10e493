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
    let t = finite(statistic(observed)?, observed, "the observed start times")?;
    let plan = Plan::new(design, options);
    let fill = |b: u64, starts: &mut [i64]| plan.fill(design, b, starts);
    let values = evaluate_all(plan.count, design.n_units(), &fill, &statistic)?;
    Ok(outcome(design, options, &plan, t, values))
}

/// [`randomisation_test`] with the statistic evaluated on the calling thread, one assignment at a
/// time in index order: for a statistic that cannot run concurrently (one that calls back into an
/// interpreter, or holds state). The result is the same as [`randomisation_test`]'s.
///
/// ```
/// use raa_impact::randomisation::{randomisation_test_serial, Design, RandomisationOptions, Window};
/// let d = Design::marascuilo_busk(vec![Window::new(2, 4), Window::new(3, 5)]).unwrap();
/// let mut calls = 0;
/// let r = randomisation_test_serial(&d, &[4, 5], |s| { calls += 1; Ok((s[0] + s[1]) as f64) },
///     &RandomisationOptions::default()).unwrap();
/// assert_eq!(calls, 1 + 9); // the observed starts, then every assignment
/// assert!((r.p_value - 1.0 / 9.0).abs() < 1e-15);
/// ```
pub fn randomisation_test_serial<F>(
    design: &Design,
    observed: &[i64],
    mut statistic: F,
    options: &RandomisationOptions,
) -> Result<RandomisationResult>
where
    F: FnMut(&[i64]) -> Result<f64>,
{
    check_options(options)?;
    design.check_observed(observed)?;
    let t = finite(statistic(observed)?, observed, "the observed start times")?;
    let plan = Plan::new(design, options);
    let mut starts = vec![0i64; design.n_units()];
    let values = (0..plan.count)
        .map(|b| {
            plan.fill(design, b, &mut starts);
            finite(statistic(&starts)?, &starts, &format!("assignment {b}"))
        })
        .collect::<Result<Vec<f64>>>()?;
    Ok(outcome(design, options, &plan, t, values))
}

/// Which assignments are evaluated: all of them, or `draws` random ones.
struct Plan {
    total: Option<u64>,
    enumerate: bool,
    count: u64,
    streams: Streams,
}

impl Plan {
    fn new(design: &Design, options: &RandomisationOptions) -> Self {
        let total = design.n_assignments();
        let enumerate = matches!(total, Some(n) if n <= options.max_enumerate);
        Plan {
            total,
            enumerate,
            count: match enumerate {
                true => total.unwrap_or(0),
                false => options.draws,
            },
            streams: Streams::new(options.seed),
        }
    }

    /// The starts of the `b`-th assignment evaluated.
    fn fill(&self, design: &Design, b: u64, starts: &mut [i64]) {
        match self.enumerate {
            true => design.assignment_into(b, starts),
            false => design.draw_into(&self.streams, b, starts),
        }
    }
}

/// The result from the observed statistic `t` and the statistics of the assignments evaluated.
fn outcome(
    design: &Design,
    options: &RandomisationOptions,
    plan: &Plan,
    t: f64,
    values: Vec<f64>,
) -> RandomisationResult {
    let alt = options.alternative;
    let n_extreme = values
        .iter()
        .filter(|&&v| alt.at_least_as_extreme(v, t, options.tolerance))
        .count() as u64;
    let (p_value, mc_standard_error) = p_value(n_extreme, plan.count, plan.enumerate);
    RandomisationResult {
        scheme: design.scheme(),
        alternative: alt,
        observed: t,
        p_value,
        mc_standard_error,
        enumerated: plan.enumerate,
        n_assignments: plan.total,
        log10_n_assignments: design.log10_n_assignments(),
        n_evaluated: plan.count,
        n_extreme,
        seed: (!plan.enumerate).then_some(options.seed),
        tolerance: options.tolerance,
        distribution: match options.keep_distribution {
            true => values.iter().map(|&v| v as f32).collect(),
            false => Vec::new(),
        },
        note: AS_IF_RANDOM_NOTE.to_string(),
    }
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

/// `v`, or an error naming the starts at which the statistic is not finite.
fn finite(v: f64, starts: &[i64], what: &str) -> Result<f64> {
    match v.is_finite() {
        true => Ok(v),
        false => Err(Error::argument(
            "statistic",
            format!("is {v} at {what} {starts:?}, expected a finite number"),
        )),
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
                    finite(statistic(&starts)?, &starts, &format!("assignment {b}"))
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
