//! The crate's one fast hasher, for maps and sorts keyed by rows (LA codes, CHILD ids, dates).
//!
//! SipHash (the standard library's default) resists keys crafted to collide, which buys nothing
//! in a batch computation over the user's own files and costs a large share of grouping a
//! million rows.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast, non-cryptographic hasher (multiply-rotate over 8-byte words, as rustc's FxHash,
/// with a strong final mix).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // splitmix64's finaliser: every output bit depends on every input bit, so both the
        // low bits (hash-map buckets) and the high bits (sort order) are well spread.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn sequential_child_keys_spread_over_the_low_bits() {
        // Keys that differ only in their high bytes once read as words: the case the final mix
        // is for. 10,000 keys into 65,536 buckets leave ~9,270 distinct buckets when uniform.
        let b = BuildHasherDefault::<FastHasher>::default();
        let buckets: std::collections::HashSet<u64> = (0..10_000)
            .map(|i| b.hash_one(("886", format!("C{i:07}").as_str())) & 0xffff)
            .collect();
        assert!(buckets.len() > 9_000, "{}", buckets.len());
    }

    #[test]
    fn high_bits_spread_too() {
        // `dedup::hash_sorted` sorts by the whole hash: the top bits must vary as well.
        let b = BuildHasherDefault::<FastHasher>::default();
        let tops: std::collections::HashSet<u64> = (0..10_000)
            .map(|i| b.hash_one(format!("C{i:07}").as_str()) >> 48)
            .collect();
        assert!(tops.len() > 9_000, "{}", tops.len());
    }
}
