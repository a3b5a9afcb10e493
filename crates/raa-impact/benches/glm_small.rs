//! Short-series GLM fits as the interrupted-time-series batch runs them by the thousand: the
//! Sicily series (59 months) with a log-population offset, Poisson and negative binomial (θ by
//! maximum likelihood), 5 coefficients (intercept, step, time, one Fourier pair).

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::glm::{fit, Family, GlmOptions};
use std::hint::black_box;

const SICILY: &str = include_str!("../tests/data/glm_families/sicily.csv");

/// Outcome, log-population offset and the covariate columns of the Sicily series.
fn sicily() -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
    let rows: Vec<Vec<f64>> = SICILY
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().expect("number")).collect())
        .collect();
    // year, month, aces, time, smokban, pop, stdpop
    let col = |j: usize| rows.iter().map(|r| r[j]).collect::<Vec<f64>>();
    let angle: Vec<f64> = col(1)
        .iter()
        .map(|m| 2.0 * std::f64::consts::PI * m / 12.0)
        .collect();
    let cols = vec![
        col(4),
        col(3),
        angle.iter().map(|a| a.sin()).collect(),
        angle.iter().map(|a| a.cos()).collect(),
    ];
    let offset = col(6).iter().map(|p| p.ln()).collect();
    (col(2), offset, cols)
}

fn bench(c: &mut Criterion) {
    let (y, offset, cols) = sicily();
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let names: Vec<String> = ["smokban", "time", "sin1", "cos1"]
        .map(String::from)
        .to_vec();
    let options = |family| GlmOptions {
        offset: Some(offset.clone()),
        ..GlmOptions::for_family(family)
    };
    let poisson = options(Family::Poisson);
    let nb = options(Family::NegativeBinomial { theta: None });
    let mut group = c.benchmark_group("glm_small");
    group.bench_function("poisson_59x5_offset", |b| {
        b.iter(|| fit(black_box(&refs), &names, black_box(&y), &poisson).expect("fit"))
    });
    group.bench_function("negbin_ml_59x5_offset", |b| {
        b.iter(|| fit(black_box(&refs), &names, black_box(&y), &nb).expect("fit"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
