//! MatchIt's "Sample Sizes" table.

use serde::{Deserialize, Serialize};

use crate::balance::moments::effective_size;

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

/// Count the groups.
pub fn sample_sizes(treated: &[bool], weights: &[f64], eligible: Option<&[bool]>) -> SampleSizes {
    let group = |t: bool| {
        let in_group = |i: usize| treated[i] == t;
        let discarded = (0..treated.len())
            .filter(|&i| in_group(i) && eligible.is_some_and(|e| !e[i]))
            .count();
        let all = (0..treated.len()).filter(|&i| in_group(i)).count();
        let matched = (0..treated.len())
            .filter(|&i| in_group(i) && weights[i] > 0.0)
            .count();
        GroupSizes {
            all,
            matched_ess: effective_size(weights, |i| in_group(i) && weights[i] > 0.0),
            matched,
            unmatched: all - matched - discarded,
            discarded,
        }
    };
    SampleSizes {
        control: group(false),
        treated: group(true),
    }
}
