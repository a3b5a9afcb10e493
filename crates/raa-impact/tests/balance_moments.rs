//! The balance table's moments are summed in fixed chunks, in parallel: the figures must be
//! accurate, the same bits on any thread count, and the same for dense and sparse weights.

use raa_impact::balance::moments::{
    mean, two_groups, two_groups_sparse, two_groups_with, variance,
};
use raa_impact::psm::kernel::DistanceScale;
use raa_impact::psm::{match_units, MatchInput, MatchOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn data(n: usize, seed: u64) -> (Vec<f64>, Vec<bool>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = (0..n).map(|_| 1e6 + rng.random::<f64>() * 3.0).collect();
    let t = (0..n).map(|_| rng.random::<f64>() < 0.2).collect();
    // A third of the rows weigh nothing, the rest between 0.5 and 2.
    let w = (0..n)
        .map(|_| match rng.random::<f64>() < 1.0 / 3.0 {
            true => 0.0,
            false => 0.5 + rng.random::<f64>() * 1.5,
        })
        .collect();
    (x, t, w)
}

/// The moments in exact-enough arithmetic: shifted by the first value, in pairs of f64 sums
/// (Neumaier), two passes.
fn reference(x: &[f64], t: &[bool], w: &[f64], g: bool) -> (f64, f64) {
    let rows: Vec<usize> = (0..x.len()).filter(|&i| t[i] == g && w[i] != 0.0).collect();
    let shift = x[rows[0]];
    let neumaier = |it: &mut dyn Iterator<Item = f64>| {
        let (mut s, mut c) = (0.0_f64, 0.0_f64);
        for v in it {
            let u = s + v;
            c += if s.abs() >= v.abs() {
                (s - u) + v
            } else {
                (v - u) + s
            };
            s = u;
        }
        s + c
    };
    let sw = neumaier(&mut rows.iter().map(|&i| w[i]));
    let sw2 = neumaier(&mut rows.iter().map(|&i| w[i] * w[i]));
    let m = neumaier(&mut rows.iter().map(|&i| w[i] * (x[i] - shift))) / sw;
    let ss = neumaier(&mut rows.iter().map(|&i| w[i] * (x[i] - shift - m).powi(2)));
    (shift + m, ss * sw / (sw * sw - sw2))
}

#[test]
fn chunked_sums_are_accurate_on_many_chunks() {
    let (x, t, w) = data(300_001, 1);
    let m = two_groups(&x, Some(&w), &t);
    for g in [false, true] {
        let (mean_ref, var_ref) = reference(&x, &t, &w, g);
        let k = usize::from(g);
        let (mu, var) = (m.mean[k].unwrap(), m.variance[k].unwrap());
        assert!(
            (mu - mean_ref).abs() <= 1e-15 * mean_ref.abs(),
            "{mu} {mean_ref}"
        );
        assert!((var - var_ref).abs() <= 1e-11 * var_ref, "{var} {var_ref}");
    }
}

#[test]
fn same_bits_on_any_thread_count() {
    let (x, t, w) = data(123_457, 2);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| (two_groups(&x, Some(&w), &t), two_groups(&x, None, &t)))
    };
    let one = run(1);
    for threads in [2, 3, 5] {
        assert_eq!(run(threads), one, "{threads} threads");
    }
}

#[test]
fn dense_and_sparse_weights_give_the_same_bits() {
    for n in [0, 1, 7, 2048, 2049, 50_000] {
        let (x, t, w) = data(n, 3);
        let rows: Vec<u32> = (0..n as u32).filter(|&i| w[i as usize] != 0.0).collect();
        let values: Vec<f64> = rows.iter().map(|&r| w[r as usize]).collect();
        let dense = two_groups(&x, Some(&w), &t);
        assert_eq!(two_groups_sparse(&x, &rows, &values, &t), dense, "n = {n}");
        // Listed rows of zero weight change nothing either.
        let all: Vec<u32> = (0..n as u32).collect();
        assert_eq!(two_groups_sparse(&x, &all, &w, &t), dense, "n = {n}");
        // `mean` and `variance` of one group are the two-group figures.
        assert_eq!(mean(&x, &w, |i| t[i]), dense.mean[1]);
        assert_eq!(variance(&x, &w, |i| !t[i], false), dense.variance[0]);
    }
}

#[test]
fn few_rows_give_none_not_nan() {
    let m = two_groups(&[3.0, 4.0], None, &[true, false]);
    assert_eq!(m.mean, [Some(4.0), Some(3.0)]);
    assert_eq!(m.variance, [None, None]);
    let m = two_groups(&[], None, &[]);
    assert_eq!(m.mean, [None, None]);
    let zero = two_groups(&[1.0, 2.0], Some(&[0.0, 0.0]), &[true, true]);
    assert_eq!(zero.mean, [None, None]);
}

/// A supplied score's pooled-SD caliper is read from moments summed on the logit as the score is
/// read: the same width as from the materialised logit.
#[test]
fn caliper_of_a_supplied_score_equals_that_of_its_logit() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let n = 20_000;
    let treated: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < 0.3).collect();
    let ps: Vec<f64> = (0..n).map(|_| 0.02 + 0.96 * rng.random::<f64>()).collect();
    let input = MatchInput {
        treated: &treated,
        score: Some(&ps),
        ..Default::default()
    };
    let m = match_units(
        &input,
        &MatchOptions {
            caliper: Some(0.2),
            ..Default::default()
        },
    )
    .expect("match");
    let logit: Vec<f64> = ps
        .iter()
        .map(|&p| DistanceScale::LogitOfProbability.of(p))
        .collect();
    let g = two_groups_with(n, |i| (logit[i], treated[i], 1.0));
    let sd = |k: usize| g.variance[k].unwrap().sqrt();
    let want = 0.2 * ((sd(1).powi(2) + sd(0).powi(2)) / 2.0).sqrt();
    assert_eq!(m.caliper_width, Some(want));
    assert_eq!(m.balance[0].before.mean_treated, g.mean[1].unwrap());
}
