//! Public option, input and result types of the matching kernel.

use serde::{Deserialize, Serialize};

/// Order in which focal (treated) units pick their controls (MatchIt's `m.order`).
///
/// Ties in the ordering distance are broken by the unit key (`KernelInput::key`, else row index),
/// ascending, so the order is a pure function of (distance, key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Order {
    /// Descending distance (MatchIt's default for ATT with a score).
    #[default]
    Largest,
    /// Ascending distance.
    Smallest,
    /// Repeatedly match the pair with the smallest distance among all focal units' current nearest
    /// controls (MatchIt's `"closest"`); ties by focal key.
    Closest,
    /// Ascending key (row order when no key is given).
    Data,
    /// A seeded shuffle (ChaCha8) of the focal units sorted by key: the same seed gives the same
    /// order for permuted rows. Not R's random stream.
    Random {
        /// Seed of the shuffle.
        seed: u64,
    },
}

/// What to do with controls tied at the best distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Ties {
    /// Keep one control, as MatchIt does: units are placed in (distance, key) order; the nearest
    /// available control on each side of the focal unit is found, and the nearer one is taken,
    /// the one with the smaller distance when both are equally far (within `tolerance`). So among
    /// controls at one distance below the focal unit the largest key wins, above it the smallest.
    #[default]
    First,
    /// Keep every control tied with the `ratio`-th chosen one by R Matching's rule,
    /// `d² ≤ D² + tolerance` (with replacement and no `reuse_max` only); weights are split later.
    All,
}

/// Options of the greedy kernel.
///
/// ```
/// use raa_impact::psm::kernel::KernelOptions;
/// let o = KernelOptions { caliper: Some(0.05), ..KernelOptions::default() };
/// assert_eq!(o.ratio, 1);
/// assert!(!o.replace);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KernelOptions {
    /// Controls per focal unit (k:1). Without replacement MatchIt matches in rounds: every focal unit
    /// gets its first control, then every one its second, and so on.
    pub ratio: usize,
    /// Controls may be reused.
    pub replace: bool,
    /// With replacement, the most times a control may be used (`None`: unlimited). Ignored without
    /// replacement (each control is used once).
    pub reuse_max: Option<usize>,
    /// Maximum |distance_t − distance_c|, raw units of the distance (`<=` passes).
    pub caliper: Option<f64>,
    /// Matching order.
    pub order: Order,
    /// Tie handling.
    pub ties: Ties,
    /// `Ties::First`: two sides closer than this count as equally far (default 0: MatchIt's exact
    /// comparison). `Ties::All`: R Matching's `distance.tolerance` on squared distances, in the
    /// distance's units squared.
    pub tolerance: f64,
}

impl Default for KernelOptions {
    fn default() -> Self {
        KernelOptions {
            ratio: 1,
            replace: false,
            reuse_max: None,
            caliper: None,
            order: Order::Largest,
            ties: Ties::First,
            tolerance: 0.0,
        }
    }
}

/// How the kernel reads `KernelInput::distance`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceScale {
    /// `distance` holds the distances.
    #[default]
    AsGiven,
    /// `distance` holds probabilities strictly between 0 and 1 and the distance is their logit
    /// `ln(p / (1 − p))`, computed each time it is read. The kernel's sorted copy holds the logits,
    /// so a caller matching on the logit of a supplied score need not hold a second column as long
    /// as the data beside it (at 11M rows, 88 MB of a peak that would otherwise be 2.3× the input).
    LogitOfProbability,
}

impl DistanceScale {
    /// Whether a value of the column has a finite distance: any finite number as given, a
    /// probability strictly between 0 and 1 for its logit (read without the logarithm).
    #[inline]
    pub fn finite(self, v: f64) -> bool {
        match self {
            DistanceScale::AsGiven => v.is_finite(),
            DistanceScale::LogitOfProbability => (v > 0.0) & (v < 1.0),
        }
    }

    /// The distance of a value of the column.
    #[inline]
    pub fn of(self, v: f64) -> f64 {
        match self {
            DistanceScale::AsGiven => v,
            DistanceScale::LogitOfProbability => (v / (1.0 - v)).ln(),
        }
    }
}

/// The numbers the kernel matches on. All slices have one entry per row.
#[derive(Debug, Clone, Default)]
pub struct KernelInput<'a> {
    /// The one-dimensional distance (score or its logit), or what it is computed from (see
    /// `scale`). Must be finite for eligible rows.
    pub distance: &'a [f64],
    /// How `distance` is read.
    pub scale: DistanceScale,
    /// `true` for the focal group (treated for ATT).
    pub treated: &'a [bool],
    /// Exact matching: a focal unit only takes controls of the same stratum.
    pub stratum: Option<&'a [u32]>,
    /// Unit key (user id) used for every tie-break and for `Order::Data`/`Random`; else the row
    /// index. Give unique keys to get results invariant to row permutation.
    pub key: Option<&'a [u64]>,
    /// Covariate calipers: (column, raw width); |x_t − x_c| <= width is also required.
    pub covariate_calipers: Vec<(&'a [f64], f64)>,
    /// `false` for units discarded before matching (common support); they neither match nor are
    /// matched.
    pub eligible: Option<&'a [bool]>,
}

impl KernelInput<'_> {
    /// The distance of row `i`.
    #[inline]
    pub fn dist(&self, i: usize) -> f64 {
        self.scale.of(self.distance[i])
    }
}

/// Why a focal unit got no control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnmatchedReason {
    /// Not eligible (discarded before matching).
    Discarded,
    /// No eligible control satisfies the calipers, even ignoring earlier matches.
    NoControlInCaliper,
    /// The unit's exact stratum (the whole sample when there are no strata) holds no eligible
    /// control.
    EmptyStratum,
    /// Suitable controls exist but were all used by units matched earlier.
    ControlsExhausted,
}

/// A focal unit without a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmatched {
    /// Row index of the focal unit.
    pub row: u32,
    /// Why it is unmatched.
    pub reason: UnmatchedReason,
}

/// The matches, in compressed-row form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Matches {
    /// Row index of each focal unit, in input row order (matched or not).
    pub focal: Vec<u32>,
    /// `focal.len() + 1` offsets into `controls`.
    pub offsets: Vec<u32>,
    /// Control rows; focal `i` has `controls[offsets[i]..offsets[i+1]]`, in the order matched.
    pub controls: Vec<u32>,
    /// One entry per focal unit with no control, in row order.
    pub unmatched: Vec<Unmatched>,
    /// Eligible focal rows in the order they were processed. With `Order::Closest` (which is
    /// dynamic) this is the order of their first match within each independent block, blocks in
    /// ascending distance, then the units left unmatched by key.
    pub match_order: Vec<u32>,
}

impl Matches {
    /// Controls of focal unit number `i` (index into `focal`).
    pub fn controls_of(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.controls[a as usize..b as usize],
            _ => &[],
        }
    }
}
