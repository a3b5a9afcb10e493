//! Randomisation test machinery on 150 units × 40 quarters with 10⁴ Monte Carlo draws of a
//! Koehler–Levin design: with the built-in phase-difference statistic, and with a trivial statistic
//! (the machinery alone: stream set-up, permutation, start draws, parallel bookkeeping).

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::randomisation::{
    randomisation_test, Design, PhaseMeanDifference, RandomisationOptions, Window,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const UNITS: usize = 150;
const QUARTERS: i64 = 40;

fn setup() -> (Design, Vec<i64>, PhaseMeanDifference) {
    // 150 stagger positions spread over quarters 8..=31, each a window of 4 quarters.
    let windows: Vec<Window> = (0..UNITS)
        .map(|k| {
            let first = 8 + (k as i64 * 20) / UNITS as i64;
            Window::new(first, first + 3)
        })
        .collect();
    let design = Design::koehler_levin(windows.clone()).unwrap();
    let observed: Vec<i64> = windows.iter().map(|w| w.first + 1).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let time: Vec<Vec<i64>> = (0..UNITS).map(|_| (0..QUARTERS).collect()).collect();
    let y: Vec<Vec<f64>> = (0..UNITS)
        .map(|i| {
            (0..QUARTERS)
                .map(|t| rng.random_range(0.0..1.0) + if t >= observed[i] { 0.2 } else { 0.0 })
                .collect()
        })
        .collect();
    let stat = PhaseMeanDifference::new(&time, &y, 1).unwrap();
    (design, observed, stat)
}

fn bench(c: &mut Criterion) {
    let (design, observed, stat) = setup();
    let opts = RandomisationOptions {
        max_enumerate: 0,
        draws: 10_000,
        ..Default::default()
    };
    let mut g = c.benchmark_group("randomisation_150x40");
    g.sample_size(10);
    g.bench_function("phase_difference_1e4", |b| {
        b.iter(|| randomisation_test(&design, &observed, |s| stat.evaluate(s), &opts).unwrap())
    });
    g.bench_function("trivial_statistic_1e4", |b| {
        b.iter(|| randomisation_test(&design, &observed, |s| Ok(s[0] as f64), &opts).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
