//! A sorted column thinned to the rows later weights may reach gives the eCDF statistics of those
//! weights bit for bit as the walk of the whole column does: with many tied values, kept rows
//! beyond the weighted ones, columns of many spans, and any thread count.

use proptest::prelude::*;
use raa_impact::balance::ecdf::{EcdfWeights, SortedColumn};
use raa_impact::row_set::RowSet;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A column with `levels` distinct values, a treatment split, sparse weights on about `share` of
/// the rows (some of them weightless in the thinning's eyes: kept but zero), and the kept rows.
struct Case {
    x: Vec<f64>,
    t: Vec<bool>,
    rows: Vec<u32>,
    values: Vec<f64>,
    keep: Vec<u32>,
}

fn case(n: usize, levels: u32, share: f64, seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = (0..n)
        .map(|_| f64::from(rng.random_range(0..levels)) * 0.37 - 2.0)
        .collect();
    let t = (0..n).map(|_| rng.random::<f64>() < 0.3).collect();
    let (mut rows, mut values, mut keep) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..n as u32 {
        let u = rng.random::<f64>();
        if u < share {
            rows.push(r);
            values.push(0.25 + rng.random::<f64>() * 2.0);
            keep.push(r);
        } else if u < share * 1.2 {
            keep.push(r); // kept, weighs nothing
        }
    }
    Case {
        x,
        t,
        rows,
        values,
        keep,
    }
}

fn bits(p: (f64, f64)) -> (u64, u64) {
    (p.0.to_bits(), p.1.to_bits())
}

/// eCDF (mean, max) before and after.
type BeforeAfter = [(f64, f64); 2];

/// The whole walk's (before, after) and the thinned (before, after).
fn both_ways(c: &Case) -> (BeforeAfter, BeforeAfter) {
    let sparse = EcdfWeights::Sparse {
        rows: &c.rows,
        values: &c.values,
    };
    let whole = SortedColumn::new(&c.x, &c.t).differences_of(&[EcdfWeights::Unit, sparse]);
    let keep = RowSet::from_rows(c.x.len(), c.keep.iter().copied());
    let (before, thin) =
        SortedColumn::new(&c.x, &c.t).differences_and_thin(&[EcdfWeights::Unit], &keep);
    assert_eq!(thin.len(), c.keep.len());
    let after = thin.differences(&c.rows, &c.values).unwrap();
    ([whole[0], whole[1]], [before[0], after])
}

#[test]
fn bit_identical_to_the_whole_walk_across_many_spans() {
    // 300k rows: about ten spans of the larger group; few levels (long ties across span cuts),
    // many levels, and a sparse matched set.
    for (levels, share, seed) in [(40, 0.2, 1), (200_000, 0.15, 2), (5_000, 0.01, 3)] {
        let c = case(300_000, levels, share, seed);
        let (whole, thin) = both_ways(&c);
        assert_eq!(bits(whole[0]), bits(thin[0]), "before, levels {levels}");
        assert_eq!(bits(whole[1]), bits(thin[1]), "after, levels {levels}");
    }
}

#[test]
fn bit_identical_for_any_thread_count() {
    let c = case(200_000, 3_000, 0.1, 7);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| both_ways(&c).1.map(bits))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
}

#[test]
fn a_weighted_row_that_was_not_kept_is_an_error() {
    let c = case(1_000, 50, 0.2, 11);
    let missing = c.rows[0];
    let keep = RowSet::from_rows(c.x.len(), c.keep.iter().copied().filter(|&r| r != missing));
    let (_, thin) = SortedColumn::new(&c.x, &c.t).differences_and_thin(&[], &keep);
    let e = thin.differences(&c.rows, &c.values).unwrap_err();
    assert!(
        e.to_string().contains("1 weighted rows were not kept"),
        "{e}"
    );
    let e = thin.differences(&[5_000], &[1.0]).unwrap_err();
    assert!(e.to_string().contains("row 5000 is beyond"), "{e}");
    let e = thin.differences(&c.rows, &c.values[1..]).unwrap_err();
    assert!(e.to_string().contains("weights"), "{e}");
}

#[test]
fn a_group_without_weight_gives_nan_as_the_whole_walk_does() {
    let c = case(2_000, 30, 0.1, 5);
    // Only control rows weighted.
    let (rows, values): (Vec<u32>, Vec<f64>) = c
        .rows
        .iter()
        .zip(&c.values)
        .filter(|(r, _)| !c.t[**r as usize])
        .map(|(r, v)| (*r, *v))
        .unzip();
    let keep = RowSet::from_rows(c.x.len(), c.keep.iter().copied());
    let (_, thin) = SortedColumn::new(&c.x, &c.t).differences_and_thin(&[], &keep);
    let (m, k) = thin.differences(&rows, &values).unwrap();
    assert!(m.is_nan() && k.is_nan());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Small columns with every pattern of ties, kept and weighted rows.
    #[test]
    fn small_columns_match_the_whole_walk(
        n in 1usize..80, levels in 1u32..12, share in 0.0f64..1.0, seed in 0u64..1_000_000
    ) {
        let c = case(n, levels, share, seed);
        let (whole, thin) = both_ways(&c);
        prop_assert_eq!(bits(whole[0]), bits(thin[0]));
        let (w, t) = (whole[1], thin[1]);
        // NaN has one meaning here (no weight in a group); compare the rest bit for bit.
        prop_assert!(
            bits(w) == bits(t) || (w.0.is_nan() && t.0.is_nan() && w.1.is_nan() == t.1.is_nan()),
            "{:?} {:?}", w, t
        );
    }
}
