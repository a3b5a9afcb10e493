//! Benchmarks of the greedy matching kernel on 1M treated × 10M controls (logit scores supplied).
//!
//! `cargo bench -p raa-impact --bench psm_kernel`. Goals (2 cores, release): 1:1 without replacement,
//! caliper 0.2 SD of the logit, largest first ≤ 1.0 s; with replacement ≤ 0.5 s.

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::psm::kernel::{match_nearest, KernelInput, KernelOptions};
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use std::time::Duration;

const N_TREATED: usize = 1_000_000;
const N_CONTROL: usize = 10_000_000;

/// Logit scores: treated ~ N(0.3, 1), controls ~ N(−0.3, 1), interleaved rows.
fn workload() -> (Vec<f64>, Vec<bool>, f64) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
    let (t, c) = (
        Normal::new(0.3, 1.0).expect("sd > 0"),
        Normal::new(-0.3, 1.0).expect("sd > 0"),
    );
    let n = N_TREATED + N_CONTROL;
    let every = n / N_TREATED;
    let treated: Vec<bool> = (0..n).map(|i| i % every == 0).collect();
    let d: Vec<f64> = treated
        .iter()
        .map(|&tr| {
            if tr {
                t.sample(&mut rng)
            } else {
                c.sample(&mut rng)
            }
        })
        .collect();
    let mean = d.iter().sum::<f64>() / n as f64;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0)).sqrt();
    (d, treated, 0.2 * sd)
}

fn kernel(c: &mut Criterion) {
    let (d, treated, caliper) = workload();
    let input = KernelInput {
        distance: &d,
        treated: &treated,
        ..Default::default()
    };
    let mut g = c.benchmark_group("psm_kernel_1m_x_10m");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let without = KernelOptions {
        caliper: Some(caliper),
        ..KernelOptions::default()
    };
    g.bench_function("one_to_one_caliper_largest", |b| {
        b.iter(|| match_nearest(&input, &without).expect("matches"))
    });
    let with = KernelOptions {
        replace: true,
        ..without
    };
    g.bench_function("one_to_one_caliper_replace", |b| {
        b.iter(|| match_nearest(&input, &with).expect("matches"))
    });
    g.finish();
}

criterion_group!(benches, kernel);
criterion_main!(benches);
