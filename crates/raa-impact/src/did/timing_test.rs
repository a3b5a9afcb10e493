//! A randomisation test over go-live timing whose statistic is a Callaway–Sant'Anna aggregate:
//! every admissible assignment of start periods is a new `group` column, and the statistic is the
//! aggregated ATT (the simple ATT by default) re-estimated on it.

use super::aggregate::{aggregate, Aggregation};
use super::att_gt::att_gt;
use super::options::AttGtOptions;
use super::panel::PanelInput;
use crate::randomisation::{randomisation_test, Design, RandomisationOptions, RandomisationResult};
use crate::{Error, Result};

/// Randomisation test of `how` (e.g. [`Aggregation::Simple`]) over the start periods of `design`.
///
/// The design's units are the panel's distinct unit ids in increasing order; `observed` holds
/// their observed start periods in that order. `input.group` is ignored: each assignment's starts
/// become the groups. Options bootstrapping the ATT(g,t) are rejected (the statistic needs the
/// point estimate only).
///
/// ```
/// use raa_impact::did::{cs_timing_test, Aggregation, AttGtOptions, PanelInput};
/// use raa_impact::randomisation::{Design, RandomisationOptions, Window};
/// let (mut unit, mut time, mut y) = (vec![], vec![], vec![]);
/// let starts = [4i64, 6, 8, 10];
/// for (u, s) in starts.iter().enumerate() {
///     for t in 1..=12i64 {
///         unit.push(u as i64); time.push(t);
///         y.push(((u as i64 * 7 + t * 3) % 5) as f64 + if t >= *s { 3.0 } else { 0.0 });
///     }
/// }
/// let group = vec![0i64; unit.len()];
/// let input = PanelInput { unit: &unit, time: &time, group: &group, y: &y,
///     covariates: &[], cluster: None, weights: None };
/// let design = Design::wampold_worsham(4, &starts).unwrap();
/// let r = cs_timing_test(&input, &design, &starts, &AttGtOptions::default(),
///     &Aggregation::Simple, &RandomisationOptions::default()).unwrap();
/// assert_eq!(r.n_assignments, Some(24));
/// ```
pub fn cs_timing_test(
    input: &PanelInput,
    design: &Design,
    observed: &[i64],
    opts: &AttGtOptions,
    how: &Aggregation,
    ropts: &RandomisationOptions,
) -> Result<RandomisationResult> {
    if opts.bootstrap.is_some() {
        return Err(Error::argument(
            "bootstrap",
            "the randomisation statistic is a point estimate: fit without the bootstrap",
        ));
    }
    let mut ids: Vec<i64> = input.unit.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != design.n_units() || observed.len() != ids.len() {
        return Err(Error::argument(
            "design",
            format!(
                "the panel has {} units, the design {} and the observed starts {}",
                ids.len(),
                design.n_units(),
                observed.len()
            ),
        ));
    }
    // Row → design position, once.
    let position: Vec<usize> = input
        .unit
        .iter()
        .map(|u| ids.binary_search(u).unwrap_or(0))
        .collect();
    let statistic = |starts: &[i64]| -> Result<f64> {
        let group: Vec<i64> = position.iter().map(|&p| starts[p]).collect();
        let assigned = PanelInput {
            group: &group,
            ..*input
        };
        let fit = att_gt(&assigned, opts)?;
        let agg = aggregate(&fit, how, None)?;
        if agg.overall_att.is_finite() {
            Ok(agg.overall_att)
        } else {
            Err(Error::argument(
                "statistic",
                format!("the aggregated ATT is not finite for starts {starts:?}"),
            ))
        }
    };
    randomisation_test(design, observed, statistic, ropts)
}
