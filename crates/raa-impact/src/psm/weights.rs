//! Matching weights and subclasses from the kernel's matches (MatchIt's conventions).

use super::kernel::Matches;

/// Weights and pair/subclass ids of every unit after matching.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    /// Matching weight (0 = not in the matched set).
    pub weights: Vec<f64>,
    /// 1-based subclass (a focal unit and its controls) without replacement, 0 for unmatched units;
    /// empty when not asked for (with replacement).
    pub subclass: Vec<u32>,
}

/// Focal units weigh 1; each of a focal unit's `k` controls receives `1/k` (so with ties or `k:1`
/// the focal unit's weight is shared), summed over its uses; the other group's weights are then
/// scaled to sum to the number of its units in the matched set (MatchIt's rule).
pub fn from_matches(matches: &Matches, n: usize, with_subclass: bool) -> Matched {
    let mut weights = vec![0.0; n];
    for_each_match(matches, |focal, controls| {
        weights[focal] = 1.0;
        add_shares(&mut weights, controls);
    });
    normalise_others(&mut weights, &matches.focal);
    let subclass = match with_subclass {
        true => subclasses(matches, n),
        false => Vec::new(),
    };
    Matched { weights, subclass }
}

/// 1-based subclass of every unit (a focal unit with a match and its controls, numbered in focal
/// order), 0 for the others.
pub fn subclasses(matches: &Matches, n: usize) -> Vec<u32> {
    let mut subclass = vec![0; n];
    let mut next = 0u32;
    for_each_match(matches, |focal, controls| {
        next += 1;
        subclass[focal] = next;
        for &c in controls {
            subclass[c as usize] = next;
        }
    });
    subclass
}

/// Scale the non-focal units' weights to sum to their count in the matched set.
fn normalise_others(weights: &mut [f64], focal: &[u32]) {
    let mut is_focal = vec![false; weights.len()];
    for &f in focal {
        is_focal[f as usize] = true;
    }
    let (count, sum) = weights
        .iter()
        .zip(&is_focal)
        .filter(|(w, f)| !**f && **w > 0.0)
        .fold((0.0, 0.0), |(c, s), (w, _)| (c + 1.0, s + w));
    if sum > 0.0 {
        for (w, f) in weights.iter_mut().zip(&is_focal) {
            if !*f {
                *w *= count / sum;
            }
        }
    }
}

/// ATE weights from matching in both directions (treated → controls and controls → treated):
/// every unit weighs one for itself plus the shares it receives as a match, the Abadie–Imbens
/// `1 + K_M(i)/M`. Units left unmatched in their own direction keep only what they receive.
pub fn both_directions(to_controls: &Matches, to_treated: &Matches, n: usize) -> Matched {
    let mut weights = vec![0.0; n];
    for m in [to_controls, to_treated] {
        for_each_match(m, |focal, controls| {
            weights[focal] += 1.0;
            add_shares(&mut weights, controls);
        });
    }
    Matched {
        weights,
        subclass: Vec::new(),
    }
}

/// Call `f(focal row, its controls)` for every focal unit with at least one match.
fn for_each_match(matches: &Matches, mut f: impl FnMut(usize, &[u32])) {
    for (i, &focal) in matches.focal.iter().enumerate() {
        let controls = matches.controls_of(i);
        if !controls.is_empty() {
            f(focal as usize, controls);
        }
    }
}

/// Each of a focal unit's `k` controls receives `1/k` of its weight.
fn add_shares(weights: &mut [f64], controls: &[u32]) {
    let share = 1.0 / controls.len() as f64;
    for &c in controls {
        weights[c as usize] += share;
    }
}
