//! Matching weights and subclasses from the kernel's matches (MatchIt's conventions).

use rayon::prelude::*;
use serde::Serialize;

use super::kernel::Matches;
use crate::row_set::RowSet;

/// Matching weight of every unit, held sparsely: the matched units (the only ones with a positive
/// weight), in row order, and their weights. A large match keeps a few million matched units out
/// of tens of millions, so the dense vector is built only when asked for ([`MatchWeights::dense`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchWeights {
    /// Number of units (matched or not).
    n: usize,
    /// Rows of the matched units, ascending.
    rows: Vec<u32>,
    /// Their weights (all positive).
    values: Vec<f64>,
}

impl MatchWeights {
    /// Number of units, matched or not.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Rows with a positive weight (the matched set), ascending.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// Weights of [`MatchWeights::rows`], in the same order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// True when nobody was matched.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The weight of every unit (0 = outside the matched set).
    pub fn dense(&self) -> Vec<f64> {
        let mut w = vec![0.0; self.n];
        for (&r, &v) in self.rows.iter().zip(&self.values) {
            w[r as usize] = v;
        }
        w
    }

    /// Sum the contributions of the matches of `directions`, in matching order (each focal unit
    /// with a match weighs one, and each of its `k` controls receives `1/k` of that weight),
    /// over the rows of `set` (the rows they reach, [`matched_rows`]). Each row's amounts are
    /// added in the order listed, from zero, as into a dense vector, so every sum has the same
    /// bits; the rows are addressed through the [`RowSet`] instead of a vector as long as the
    /// data. Every amount is positive, so every row listed has a positive weight.
    fn summed(n: usize, set: &RowSet, directions: &[&Matches]) -> Self {
        let mut values = vec![0.0; set.len()];
        for m in directions {
            // Every place is found first, in parallel: the sums then read them in order, and
            // their reads of `values` (random in the rows) no longer wait on the rank lookups.
            let rank = |r: &u32| set.rank(*r) as u32;
            let (focal, controls): (Vec<u32>, Vec<u32>) = rayon::join(
                || m.focal.par_iter().with_min_len(1 << 14).map(rank).collect(),
                || {
                    m.controls
                        .par_iter()
                        .with_min_len(1 << 14)
                        .map(rank)
                        .collect()
                },
            );
            for (i, &f) in focal.iter().enumerate() {
                let (a, b) = (m.offsets[i] as usize, m.offsets[i + 1] as usize);
                if a == b {
                    continue; // unmatched: not in `set`, its place is meaningless
                }
                values[f as usize] += 1.0;
                let share = 1.0 / (b - a) as f64;
                for &c in &controls[a..b] {
                    values[c as usize] += share;
                }
            }
        }
        MatchWeights {
            n,
            rows: set.members(),
            values,
        }
    }
}

/// The weights of one direction ([`from_matches`]) or of both ([`both_directions`]) among `n`
/// units, over the rows [`matched_rows`] gave for the same `directions` (a caller that already
/// holds them need not list the matches once more).
pub fn match_weights(directions: &[&Matches], rows: &RowSet, n: usize) -> MatchWeights {
    match directions {
        [m] => {
            let mut w = MatchWeights::summed(n, rows, directions);
            normalise_others(&mut w, &m.focal);
            w
        }
        _ => MatchWeights::summed(n, rows, directions),
    }
}

/// Focal units weigh 1; each of a focal unit's `k` controls receives `1/k` (so with ties or `k:1`
/// the focal unit's weight is shared), summed over its uses; the other group's weights are then
/// scaled to sum to the number of its units in the matched set (MatchIt's rule).
pub fn from_matches(matches: &Matches, n: usize) -> MatchWeights {
    match_weights(&[matches], &matched_rows(&[matches], n), n)
}

/// 1-based subclass of every unit (a focal unit with a match and its controls, numbered in focal
/// order), 0 for the others.
pub fn subclasses(matches: &Matches, n: usize) -> Vec<u32> {
    let mut subclass = vec![0; n];
    let mut next = 0u32;
    for_each_match(matches, |focal, controls| {
        next += 1;
        subclass[focal] = next;
        for &c in controls {
            subclass[c as usize] = next;
        }
    });
    subclass
}

/// Scale the non-focal units' weights to sum to their count in the matched set (the count and the
/// sum taken in row order, as over the dense vector).
fn normalise_others(w: &mut MatchWeights, focal: &[u32]) {
    // Both lists are ascending: a merge walk tells the focal rows apart.
    let mut is_focal = Vec::with_capacity(w.rows.len());
    let mut f = focal.iter().peekable();
    for &r in &w.rows {
        while f.next_if(|&&x| x < r).is_some() {}
        is_focal.push(f.peek().is_some_and(|&&x| x == r));
    }
    let (count, sum) = w
        .values
        .iter()
        .zip(&is_focal)
        .filter(|(_, f)| !**f)
        .fold((0.0, 0.0), |(c, s), (v, _)| (c + 1.0, s + v));
    if sum > 0.0 {
        for (v, f) in w.values.iter_mut().zip(&is_focal) {
            if !*f {
                *v *= count / sum;
            }
        }
    }
}

/// ATE weights from matching in both directions (treated → controls and controls → treated):
/// every unit weighs one for itself plus the shares it receives as a match, the Abadie–Imbens
/// `1 + K_M(i)/M`. Units left unmatched in their own direction keep only what they receive.
pub fn both_directions(to_controls: &Matches, to_treated: &Matches, n: usize) -> MatchWeights {
    let directions = [to_controls, to_treated];
    match_weights(&directions, &matched_rows(&directions, n), n)
}

/// The rows that [`from_matches`] (one direction) or [`both_directions`] (two) give a positive
/// weight, without their weights: a bit per row.
pub fn matched_rows(directions: &[&Matches], n: usize) -> RowSet {
    RowSet::build(n, |insert| {
        for m in directions {
            for_each_match(m, |focal, controls| {
                insert(focal as u32);
                controls.iter().for_each(|&c| insert(c));
            });
        }
    })
}

/// Call `f(focal row, its controls)` for every focal unit with at least one match.
fn for_each_match(matches: &Matches, mut f: impl FnMut(usize, &[u32])) {
    for (i, &focal) in matches.focal.iter().enumerate() {
        let controls = matches.controls_of(i);
        if !controls.is_empty() {
            f(focal as usize, controls);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `f(row, amount)` in matching order: each focal unit with a match weighs one, and each of its
    /// `k` controls receives `1/k` of that weight.
    fn contributions(matches: &Matches, f: &mut dyn FnMut(u32, f64)) {
        for_each_match(matches, |focal, controls| {
            f(focal as u32, 1.0);
            let share = 1.0 / controls.len() as f64;
            for &c in controls {
                f(c, share);
            }
        });
    }

    /// The sparse weights equal a dense vector filled in the same order, bit for bit.
    #[test]
    fn sparse_weights_equal_the_dense_rule() {
        // Focal rows 0, 3, 5; controls shared, with 2:1 and 3:1 shares of 1/3.
        let m = Matches {
            focal: vec![0, 3, 5],
            offsets: vec![0, 3, 3, 5],
            controls: vec![7, 2, 9, 9, 7],
            ..Default::default()
        };
        let mut dense = vec![0.0; 10];
        for (f, cs) in [(0usize, &[7u32, 2, 9][..]), (5, &[9, 7][..])] {
            dense[f] = 1.0;
            for &c in cs {
                dense[c as usize] += 1.0 / cs.len() as f64;
            }
        }
        let (count, sum) = [2usize, 7, 9]
            .iter()
            .fold((0.0, 0.0), |(c, s), &i| (c + 1.0, s + dense[i]));
        for i in [2usize, 7, 9] {
            dense[i] *= count / sum;
        }
        let w = from_matches(&m, 10);
        assert_eq!(w.rows(), &[0, 2, 5, 7, 9]);
        assert_eq!(matched_rows(&[&m], 10).members(), w.rows());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&w.dense()), bits(&dense));
        assert_eq!(subclasses(&m, 10), vec![1, 0, 1, 0, 0, 2, 0, 2, 0, 2]);
    }

    /// On a large random match (reused controls, 1 to 3 controls, unmatched focal units, both
    /// directions) the weights equal the dense rule, filled in listing order, bit for bit.
    #[test]
    fn parallel_places_give_the_dense_sums() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let n = 300_000;
        let random_matches = |rng: &mut rand_chacha::ChaCha8Rng, focal_odd: bool| {
            let focal: Vec<u32> = (0..n as u32)
                .filter(|r| (r % 2 == 1) == focal_odd)
                .collect();
            let (mut offsets, mut controls) = (vec![0u32], Vec::new());
            for _ in &focal {
                for _ in 0..rng.random_range(0..4_u32) {
                    // Rows of the other parity, drawn from a narrow range: reused often.
                    let c = 2 * rng.random_range(0..20_000_u32) + u32::from(!focal_odd);
                    controls.push(c);
                }
                offsets.push(controls.len() as u32);
            }
            Matches {
                focal,
                offsets,
                controls,
                ..Default::default()
            }
        };
        let a = random_matches(&mut rng, true);
        let b = random_matches(&mut rng, false);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let dense = |directions: &[&Matches]| {
            let mut w = vec![0.0; n];
            for m in directions {
                contributions(m, &mut |r, x| w[r as usize] += x);
            }
            w
        };
        let both = both_directions(&a, &b, n);
        assert_eq!(bits(&both.dense()), bits(&dense(&[&a, &b])));
        let one = from_matches(&a, n);
        let mut want = dense(&[&a]);
        let others: Vec<usize> = (0..n).filter(|&r| r % 2 == 0 && want[r] > 0.0).collect();
        let (count, sum) = others
            .iter()
            .fold((0.0, 0.0), |(c, s), &r| (c + 1.0, s + want[r]));
        for &r in &others {
            want[r] *= count / sum;
        }
        assert_eq!(bits(&one.dense()), bits(&want));
    }
}
