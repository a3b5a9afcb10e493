//! MatchIt's "Sample Sizes" table.

use serde::{Deserialize, Serialize};

/// Counts of one group (treated or control) before and after matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSizes {
    /// Units in the input.
    pub all: usize,
    /// Effective sample size of the matched set, `(Σw)²/Σw²`.
    pub matched_ess: f64,
    /// Units with a positive matching weight.
    pub matched: usize,
    /// Eligible units left out of the matched set.
    pub unmatched: usize,
    /// Units dropped by the common-support rule before matching.
    pub discarded: usize,
}

/// Sample sizes of both groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleSizes {
    /// Controls.
    pub control: GroupSizes,
    /// Treated.
    pub treated: GroupSizes,
}

/// Count the groups, in one pass over the units for both.
pub fn sample_sizes(treated: &[bool], weights: &[f64], eligible: Option<&[bool]>) -> SampleSizes {
    // Per group (control, treated): all, discarded, matched, Σw and Σw² of the matched (added in
    // row order, as `effective_size` does).
    let mut all = [0usize; 2];
    let mut discarded = [0usize; 2];
    let mut matched = [0usize; 2];
    let (mut sw, mut sw2) = ([0.0_f64; 2], [0.0_f64; 2]);
    for (i, (t, w)) in treated.iter().zip(weights).enumerate() {
        let g = usize::from(*t);
        all[g] += 1;
        discarded[g] += usize::from(eligible.is_some_and(|e| !e[i]));
        if *w > 0.0 {
            matched[g] += 1;
            sw[g] += w;
            sw2[g] += w * w;
        }
    }
    let group = |g: usize| GroupSizes {
        all: all[g],
        matched_ess: if sw2[g] > 0.0 {
            sw[g] * sw[g] / sw2[g]
        } else {
            0.0
        },
        matched: matched[g],
        unmatched: all[g] - matched[g] - discarded[g],
        discarded: discarded[g],
    };
    SampleSizes {
        control: group(0),
        treated: group(1),
    }
}
