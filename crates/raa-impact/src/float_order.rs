//! Sort keys for floating-point numbers: `u64` bit patterns that order like the numbers, so that
//! large sorts compare integers held in the sorted array instead of reading floats through an
//! index (the kernel, the balance eCDF and the survival risk sets all sort millions of values).

use rayon::prelude::*;

/// Key of a finite f64 that orders like the number (−0.0 folded onto 0.0).
///
/// ```
/// use raa_impact::float_order::{from_ordered_bits, ordered_bits};
/// assert!(ordered_bits(-1.5) < ordered_bits(-0.0));
/// assert_eq!(ordered_bits(-0.0), ordered_bits(0.0));
/// assert!(ordered_bits(0.0) < ordered_bits(2.0));
/// assert_eq!(from_ordered_bits(ordered_bits(-3.25)), -3.25);
/// ```
pub fn ordered_bits(x: f64) -> u64 {
    let b = (x + 0.0).to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// Inverse of [`ordered_bits`].
pub fn from_ordered_bits(b: u64) -> f64 {
    if b >> 63 == 1 {
        f64::from_bits(b & !(1 << 63))
    } else {
        f64::from_bits(!b)
    }
}

/// A value's [`ordered_bits`] key and its row, packed into 12 bytes (a tuple `(u64, u32)` takes
/// 16): the sorted copies of 10M-row columns (the matching kernel's controls, the balance eCDF's
/// groups) are the largest arrays of a match. Ordered by key, then row.
///
/// ```
/// use raa_impact::float_order::{ordered_bits, KeyedRow};
/// let a = KeyedRow { key: ordered_bits(1.0), row: 7 };
/// let b = KeyedRow { key: ordered_bits(1.0), row: 9 };
/// assert!(a < b && std::mem::size_of::<KeyedRow>() == 12);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, bytemuck::Zeroable)]
#[repr(C, packed)]
pub struct KeyedRow {
    /// [`ordered_bits`] of the value.
    pub key: u64,
    /// Row of the value.
    pub row: u32,
}

/// Put the rows of each run of tied keys in row order, in parallel: sorted (key, row) entries
/// then sum weights in an order that does not depend on how they were sorted (a radix sort leaves
/// ties in an order that depends on the thread count, the matching kernel in unit-key order).
pub fn rows_in_order_within_ties(v: &mut [KeyedRow]) {
    v.par_chunk_by_mut(|a, b| { a.key } == { b.key })
        .filter(|run| run.len() > 1)
        .for_each(|run| run.sort_unstable_by_key(|k| k.row));
}

/// The first position at or after `from` where `before` fails, galloping from `from`: `before`
/// must hold on a prefix of `v` that reaches at least to `from` (as it does for "key below a
/// bound" or "key at most a bound" on sorted entries). A few reads when the answer is near.
pub(crate) fn gallop(v: &[KeyedRow], from: usize, before: impl Fn(&KeyedRow) -> bool) -> usize {
    let mut lo = from;
    let mut step = 1;
    while lo < v.len() && before(&v[lo]) {
        let probe = lo + step;
        if probe >= v.len() || !before(&v[probe]) {
            let end = probe.min(v.len());
            return lo + 1 + v[lo + 1..end].partition_point(&before);
        }
        lo = probe;
        step *= 2;
    }
    lo
}

impl KeyedRow {
    /// The value (the inverse of [`ordered_bits`]).
    pub fn value(&self) -> f64 {
        from_ordered_bits(self.key)
    }
}

/// The smaller of two finite values by a plain comparison: no `f64::min` NaN rules, so a loop of
/// them compiles to branch-free minimum instructions (`a` when they are equal).
#[inline]
pub fn lower(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// The larger of two finite values by a plain comparison (see [`lower`]).
#[inline]
pub fn upper(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}
