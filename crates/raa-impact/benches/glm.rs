//! Logistic propensity score on 11 million rows × 10 covariates (the national-scale target:
//! at most 5 s on 2 cores).

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::glm::{fit_binomial, GlmOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;

const N: usize = 11_000_000;
const P: usize = 10;

fn simulate() -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut cols: Vec<Vec<f64>> = (0..P).map(|_| Vec::with_capacity(N)).collect();
    let mut y = Vec::with_capacity(N);
    let beta: Vec<f64> = (0..P).map(|j| 0.3 - 0.07 * j as f64).collect();
    let mut x = [0.0; P];
    for _ in 0..N {
        let mut eta = -0.4;
        for (j, v) in x.iter_mut().enumerate() {
            // Half continuous, half binary covariates.
            *v = if j % 2 == 0 {
                rng.random::<f64>() * 2.0 - 1.0
            } else {
                f64::from(u8::from(rng.random::<f64>() < 0.4))
            };
            eta += beta[j] * *v;
        }
        y.push(f64::from(u8::from(
            rng.random::<f64>() < 1.0 / (1.0 + (-eta).exp()),
        )));
        for (c, v) in cols.iter_mut().zip(x) {
            c.push(v);
        }
    }
    (cols, y)
}

fn bench(c: &mut Criterion) {
    let (cols, y) = simulate();
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let names: Vec<String> = (0..P).map(|j| format!("x{j}")).collect();
    let options = GlmOptions::default();
    let mut group = c.benchmark_group("glm");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("logit_11M_x10", |b| {
        b.iter(|| fit_binomial(&refs, &names, &y, &options).expect("fit"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
