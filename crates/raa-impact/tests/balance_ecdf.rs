//! The balance eCDF statistics: equal to a direct evaluation, and bit-identical for any thread
//! count even with many tied values (the radix sort orders ties by thread count; rows are put
//! back in input order within a tie).

use raa_impact::balance::ecdf::{ecdf_differences, SortedColumn};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Direct O(n·k) evaluation at every distinct value.
fn naive(x: &[f64], w: &[f64], t: &[bool]) -> (f64, f64) {
    let mut grid: Vec<f64> = x.to_vec();
    grid.sort_by(f64::total_cmp);
    grid.dedup();
    let tot = |g: bool| -> f64 { (0..x.len()).filter(|&i| t[i] == g).map(|i| w[i]).sum() };
    let (tt, tc) = (tot(true), tot(false));
    let cdf = |g: bool, v: f64, total: f64| -> f64 {
        (0..x.len())
            .filter(|&i| t[i] == g && x[i] <= v)
            .map(|i| w[i])
            .sum::<f64>()
            / total
    };
    let d: Vec<f64> = grid
        .iter()
        .map(|&v| (cdf(true, v, tt) - cdf(false, v, tc)).abs())
        .collect();
    (
        d.iter().sum::<f64>() / d.len() as f64,
        d.iter().cloned().fold(0.0, f64::max),
    )
}

fn sample(n: usize, levels: u32, seed: u64) -> (Vec<f64>, Vec<f64>, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = (0..n)
        .map(|_| f64::from(rng.random_range(0..levels)) * 0.1 - 1.0)
        .collect();
    let w = (0..n)
        .map(|_| {
            if rng.random::<f64>() < 0.3 {
                0.0
            } else {
                rng.random::<f64>() * 3.0
            }
        })
        .collect();
    let t = (0..n).map(|_| rng.random::<f64>() < 0.4).collect();
    (x, w, t)
}

#[test]
fn equals_the_direct_evaluation_with_ties_and_zero_weights() {
    for (seed, levels) in [(1, 7), (2, 50), (3, 100_000)] {
        let (x, w, t) = sample(600, levels, seed);
        let (m, k) = ecdf_differences(&x, &w, &t);
        let (m0, k0) = naive(&x, &w, &t);
        assert!(
            (m - m0).abs() < 1e-12 && (k - k0).abs() < 1e-12,
            "{m} {m0} {k} {k0}"
        );
        let ones = vec![1.0; x.len()];
        let unit = SortedColumn::new(&x, &t).differences(None);
        assert_eq!(unit, ecdf_differences(&x, &ones, &t));
    }
}

#[test]
fn bit_identical_for_any_thread_count() {
    // Large enough for the radix sort to split the work; 40 distinct values, so every value is tied.
    let (x, w, t) = sample(400_000, 40, 9);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| ecdf_differences(&x, &w, &t))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
}

/// Columns are summarised in parallel; with several bad columns the error names the first one
/// in order, on any thread count.
#[test]
fn first_bad_column_is_reported_whatever_the_threads() {
    use raa_impact::balance::{balance_table, SdBasis};
    let n = 50_000;
    let treated: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
    let good: Vec<f64> = (0..n).map(|i| (i % 97) as f64).collect();
    let mut bad_a = good.clone();
    bad_a[40_000] = f64::NAN;
    let mut bad_b = good.clone();
    bad_b[10] = f64::INFINITY;
    let columns: Vec<(&str, &[f64])> = vec![("good", &good), ("bad_a", &bad_a), ("bad_b", &bad_b)];
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let e = pool
            .install(|| balance_table(&columns, &treated, None, None, SdBasis::Treated))
            .expect_err("a column is not finite");
        let msg = e.to_string();
        assert!(
            msg.contains("bad_a") && msg.contains("40000"),
            "{threads} threads: {msg}"
        );
    }
}
