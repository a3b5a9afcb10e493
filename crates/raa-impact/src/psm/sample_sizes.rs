//! MatchIt's "Sample Sizes" table.

use serde::{Deserialize, Serialize};

use super::weights::MatchWeights;

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

/// Count the groups: all and discarded units in one pass over the units, the matched ones from the
/// matched set.
pub fn sample_sizes(
    treated: &[bool],
    weights: &MatchWeights,
    eligible: Option<&[bool]>,
) -> SampleSizes {
    let n_treated = treated.iter().filter(|t| **t).count();
    let all = [treated.len() - n_treated, n_treated];
    let mut discarded = [0usize; 2];
    if let Some(e) = eligible {
        for (t, e) in treated.iter().zip(e) {
            discarded[usize::from(*t)] += usize::from(!*e);
        }
    }
    // Per group: matched units, Σw and Σw² (added in row order, as `effective_size` does).
    let mut matched = [0usize; 2];
    let (mut sw, mut sw2) = ([0.0_f64; 2], [0.0_f64; 2]);
    for (&r, &w) in weights.rows().iter().zip(weights.values()) {
        let g = usize::from(treated[r as usize]);
        matched[g] += 1;
        sw[g] += w;
        sw2[g] += w * w;
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
