//! Common support: which units may take part in the match.

use super::kernel::UnmatchedReason;
use super::options::Discard;

/// Eligibility of every unit under the `discard` rule (on the matching distance, as MatchIt does)
/// and Crump trimming (on the score). Returns `None` when nobody is dropped.
pub fn eligible(
    distance: &[f64],
    ps: Option<&[f64]>,
    treated: &[bool],
    discard: Discard,
    crump_alpha: Option<f64>,
) -> Option<Vec<bool>> {
    if discard == Discard::None && crump_alpha.is_none() {
        return None;
    }
    let range = |t: bool| {
        let values = distance.iter().zip(treated).filter(|(_, g)| **g == t);
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (d, _)| {
            (lo.min(*d), hi.max(*d))
        })
    };
    let (treated_range, control_range) = (range(true), range(false));
    let inside = |d: f64, (lo, hi): (f64, f64)| d >= lo && d <= hi;
    let keep: Vec<bool> = (0..treated.len())
        .map(|i| {
            let d = distance[i];
            let by_range = match (discard, treated[i]) {
                (Discard::Treated | Discard::Both, true) => inside(d, control_range),
                (Discard::Control | Discard::Both, false) => inside(d, treated_range),
                _ => true,
            };
            let by_crump = match (crump_alpha, ps) {
                (Some(a), Some(p)) => p[i] >= a && p[i] <= 1.0 - a,
                _ => true,
            };
            by_range && by_crump
        })
        .collect();
    keep.iter().any(|k| !k).then_some(keep)
}

/// Human-readable reason, used in tables and error messages.
pub fn describe(reason: UnmatchedReason) -> &'static str {
    match reason {
        UnmatchedReason::Discarded => "outside common support (discarded)",
        UnmatchedReason::NoControlInCaliper => "no control within the caliper",
        UnmatchedReason::EmptyStratum => "no control in its exact-matching stratum",
        UnmatchedReason::ControlsExhausted => "every suitable control was used by an earlier match",
    }
}
