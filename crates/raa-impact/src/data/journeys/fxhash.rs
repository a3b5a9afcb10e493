//! A fast hasher for the maps that group rows by child.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, non-cryptographic hasher (multiply-rotate, as in rustc's FxHash, with a final mix):
/// SipHash's resistance to crafted keys buys nothing in a batch computation over the user's own
/// files, and costs a large share of grouping a million rows.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }

    /// The multiply leaves the low bits (which pick the bucket) depending only on the low bytes
    /// of the key, identical for keys such as `C0000001`/`C0000002`: mix the high bits down.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn sequential_child_keys_spread_over_the_low_bits() {
        // Keys that differ only in their high bytes once read as words: the case the final mix
        // is for. 10,000 keys into 65,536 buckets leave ~9,270 distinct buckets when uniform.
        let b = BuildHasherDefault::<FxHasher>::default();
        let buckets: std::collections::HashSet<u64> = (0..10_000)
            .map(|i| b.hash_one(("886", format!("C{i:07}").as_str())) & 0xffff)
            .collect();
        assert!(buckets.len() > 9_000, "{}", buckets.len());
    }
}
