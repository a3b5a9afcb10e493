//! Results do not depend on the thread count (bit for bit) or on the row order (to 1e-12).

use raa_impact::glm::{fit_binomial, GlmFit, GlmOptions, Link};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Simulated propensity data: `n` rows, 4 covariates, several parallel chunks.
fn simulate(n: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cols: Vec<Vec<f64>> = (0..4).map(|_| Vec::with_capacity(n)).collect();
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let x: Vec<f64> = vec![
            rng.random::<f64>() * 4.0 - 2.0,
            f64::from(u8::from(rng.random::<f64>() < 0.3)),
            rng.random::<f64>() * 1e4,
            rng.random_range(16.0..60.0f64).floor(),
        ];
        let eta = -0.5 + 0.9 * x[0] - 0.7 * x[1] + 1e-4 * x[2] - 0.01 * x[3];
        let p = 1.0 / (1.0 + (-eta).exp());
        y.push(f64::from(u8::from(rng.random::<f64>() < p)));
        for (c, v) in cols.iter_mut().zip(x) {
            c.push(v);
        }
    }
    (cols, y)
}

fn fit(cols: &[Vec<f64>], y: &[f64], link: Link) -> GlmFit {
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let names: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
    fit_binomial(
        &refs,
        &names,
        y,
        &GlmOptions {
            link,
            ..GlmOptions::default()
        },
    )
    .expect("fit")
}

fn in_pool(threads: usize, f: impl FnOnce() -> GlmFit + Send) -> GlmFit {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool")
        .install(f)
}

#[test]
fn one_and_two_threads_give_identical_bits() {
    let (cols, y) = simulate(100_000, 7);
    for link in [Link::Logit, Link::Probit] {
        let one = in_pool(1, || fit(&cols, &y, link));
        let two = in_pool(2, || fit(&cols, &y, link));
        let bits = |f: &GlmFit| {
            f.coefficients
                .iter()
                .chain(&f.covariance)
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(bits(&one), bits(&two));
        assert_eq!(one.deviance.to_bits(), two.deviance.to_bits());
        assert_eq!(one.fitted, two.fitted);
    }
}

#[test]
fn permuting_rows_keeps_the_coefficients() {
    let (cols, y) = simulate(50_000, 11);
    let base = fit(&cols, &y, Link::Logit);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut order: Vec<usize> = (0..y.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    let pcols: Vec<Vec<f64>> = cols
        .iter()
        .map(|c| order.iter().map(|&i| c[i]).collect())
        .collect();
    let py: Vec<f64> = order.iter().map(|&i| y[i]).collect();
    let perm = fit(&pcols, &py, Link::Logit);
    assert_eq!(base.iterations, perm.iterations);
    for (a, b) in base.coefficients.iter().zip(&perm.coefficients) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1e-300), "{a} vs {b}");
    }
    for (k, &i) in order.iter().enumerate().step_by(997) {
        assert!((perm.fitted[k] - base.fitted[i]).abs() < 1e-12);
    }
}
