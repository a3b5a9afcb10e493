//! Checks over millions of values without a branch per value: each fixed chunk is folded with
//! `&` (no early exit inside it, so the test vectorises and runs at the speed of memory), the
//! chunks in parallel. A check that fails is then located by a slower scan of its own.

use rayon::prelude::*;

/// Values per chunk.
const CHUNK: usize = 1 << 16;

/// Whether `ok` holds for every value of `x`.
pub(crate) fn all_values(x: &[f64], ok: impl Fn(f64) -> bool + Sync) -> bool {
    x.par_chunks(CHUNK)
        .all(|c| c.iter().fold(true, |all, v| all & ok(*v)))
}
