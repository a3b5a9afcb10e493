//! Random assignments from counter-based streams: draw `b` uses its own ChaCha stream `b` of the
//! generator seeded with the user's seed, so a draw never depends on which thread made it or on how
//! many draws came before: any thread count gives the same assignments.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::design::Design;

/// A source of independent assignment draws.
#[derive(Debug, Clone)]
pub struct Streams {
    base: ChaCha8Rng,
}

impl Streams {
    /// Streams of the generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Streams {
            base: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The generator of draw `b`, at the start of its own stream.
    pub fn stream(&self, b: u64) -> ChaCha8Rng {
        let mut rng = self.base.clone();
        rng.set_stream(b);
        rng.set_word_pos(0);
        rng
    }
}

impl Design {
    /// Writes a uniformly drawn assignment into `starts`, from draw `b` of `streams`: a uniform
    /// permutation of units over positions (Fisher–Yates) when the scheme permutes, and a uniform
    /// start within each window.
    pub fn draw_into(&self, streams: &Streams, b: u64, starts: &mut [i64]) {
        let mut rng = streams.stream(b);
        let windows = self.windows();
        let position_start: Vec<i64> = windows
            .iter()
            .map(|w| rng.random_range(w.first..=w.last))
            .collect();
        if self.scheme() == super::Scheme::MarascuiloBusk {
            starts.copy_from_slice(&position_start);
            return;
        }
        let n = windows.len();
        let mut perm: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            perm.swap(i, j);
        }
        for (s, p) in starts.iter_mut().zip(&perm) {
            *s = position_start[*p];
        }
    }
}
