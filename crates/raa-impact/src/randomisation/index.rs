//! Index arithmetic for enumerating assignments without storing them: factorials and the Lehmer
//! code (factorial number system), so that any index maps straight to its permutation and the
//! enumeration can be split across threads in a fixed order.

/// `n!`, or `None` when it overflows a `u64` (from `n = 21`).
pub fn factorial(n: usize) -> Option<u64> {
    (2..=n as u64).try_fold(1u64, |acc, k| acc.checked_mul(k))
}

/// Writes the permutation of rank `rank` (lexicographic order, `0..n!`) into `perm`, where
/// `perm[i]` is the position given to unit `i`. Ranks of `n!` or more wrap modulo `n!`.
///
/// ```
/// use raa_impact::randomisation::index::lehmer_decode;
/// let mut p = [0usize; 3];
/// lehmer_decode(0, &mut p);
/// assert_eq!(p, [0, 1, 2]);
/// lehmer_decode(5, &mut p);
/// assert_eq!(p, [2, 1, 0]);
/// ```
pub fn lehmer_decode(rank: u64, perm: &mut [usize]) {
    let n = perm.len();
    let mut remaining: Vec<usize> = (0..n).collect();
    let mut rank = rank;
    // Digits from least significant: digit i (base i+1) picks among the last i+1 remaining slots.
    let mut digits = vec![0usize; n];
    for (i, d) in digits.iter_mut().rev().enumerate() {
        let base = (i + 1) as u64;
        *d = (rank % base) as usize;
        rank /= base;
    }
    for (slot, d) in perm.iter_mut().zip(digits) {
        *slot = remaining.remove(d);
    }
}
