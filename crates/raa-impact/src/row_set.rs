//! A set of rows held as one bit per row, with each member's rank (how many members come before
//! it) in constant time: 3/16 of a byte per row where an index per row takes 4 or 8. Large matches
//! use it to address the matched units (a few million of tens of millions) without a vector as
//! long as the data, and it stays in cache while rows are looked up at random.

use rayon::prelude::*;

/// A set of rows among `0..n`. See the module docs.
///
/// ```
/// use raa_impact::row_set::RowSet;
/// let s = RowSet::from_rows(10, [7, 2, 7, 5]);
/// assert_eq!(s.len(), 3);
/// assert_eq!(s.members(), vec![2, 5, 7]);
/// assert!(s.contains(5) && !s.contains(6));
/// assert_eq!(s.rank(7), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSet {
    /// Bit `r % 64` of word `r / 64` is set when row `r` is a member.
    bits: Vec<u64>,
    /// Members in the words before each word.
    before: Vec<u32>,
}

impl RowSet {
    /// The rows listed (any order, repeats allowed) among `n` rows. Panics on a row `>= n`.
    pub fn from_rows(n: usize, rows: impl IntoIterator<Item = u32>) -> Self {
        let mut bits = vec![0u64; n.div_ceil(64)];
        for r in rows {
            bits[r as usize / 64] |= 1u64 << (r % 64);
        }
        Self::ranked(bits)
    }

    /// The rows that `fill` inserts (any order, repeats allowed) among `n` rows. Panics on a row
    /// `>= n`.
    pub fn build(n: usize, fill: impl FnOnce(&mut dyn FnMut(u32))) -> Self {
        let mut bits = vec![0u64; n.div_ceil(64)];
        fill(&mut |r| bits[r as usize / 64] |= 1u64 << (r % 64));
        Self::ranked(bits)
    }

    /// The rows where `flags` is true.
    pub fn from_flags(flags: &[bool]) -> Self {
        let bits = flags
            .par_chunks(64)
            .with_min_len(1024)
            .map(|c| {
                c.iter()
                    .enumerate()
                    .fold(0u64, |acc, (i, &f)| acc | (u64::from(f) << i))
            })
            .collect();
        Self::ranked(bits)
    }

    fn ranked(bits: Vec<u64>) -> Self {
        let mut before = Vec::with_capacity(bits.len());
        let mut acc = 0u32;
        for w in &bits {
            before.push(acc);
            acc += w.count_ones();
        }
        RowSet { bits, before }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match (self.before.last(), self.bits.last()) {
            (Some(b), Some(w)) => *b as usize + w.count_ones() as usize,
            _ => 0,
        }
    }

    /// True when there is no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when `row` is a member (false beyond the rows).
    pub fn contains(&self, row: u32) -> bool {
        self.bits
            .get(row as usize / 64)
            .is_some_and(|w| w >> (row % 64) & 1 == 1)
    }

    /// Number of members before `row` (its position among the members when it is one).
    pub fn rank(&self, row: u32) -> usize {
        let (w, b) = (row as usize / 64, row % 64);
        let below = self.bits[w] & ((1u64 << b) - 1);
        self.before[w] as usize + below.count_ones() as usize
    }

    /// The members, ascending.
    pub fn members(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.len());
        for (k, &w) in self.bits.iter().enumerate() {
            let mut w = w;
            while w != 0 {
                out.push((k * 64) as u32 + w.trailing_zeros());
                w &= w - 1;
            }
        }
        out
    }
}
