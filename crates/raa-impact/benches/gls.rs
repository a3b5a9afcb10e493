//! GLS with AR(1) errors: one 59-point fit (Sicily, target ≤ 100 µs for REML; also ML, AR(2) REML and
//! Prais–Winsten) and 15,000 fits of 40-point series with 5 coefficients in parallel across fits
//! (target ≤ 2 s on 2 cores).

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::gls::{
    fit_ar, fit_ar1, prais_winsten, Ar1Options, ArOptions, Method, PraisOptions,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rayon::prelude::*;
use std::time::Duration;

/// Sicily's rate per 100,000 and the columns smokban, time, post.
fn sicily() -> (Vec<Vec<f64>>, Vec<f64>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gls/sicily.csv");
    let mut reader = csv::Reader::from_path(path).expect("sicily.csv");
    let (mut cols, mut y) = (vec![Vec::new(), Vec::new(), Vec::new()], Vec::new());
    for row in reader.records() {
        let row = row.expect("row");
        let v = |i: usize| row[i].parse::<f64>().expect("number");
        let (aces, time, ban, stdpop) = (v(2), v(3), v(4), v(6));
        y.push(aces / stdpop * 1e5);
        cols[0].push(ban);
        cols[1].push(time);
        cols[2].push((time - 36.0).max(0.0) * ban);
    }
    (cols, y)
}

/// One segmented series of `n` quarters: intercept, time, step, slope, a seasonal sine; AR(1) 0.4.
fn segmented(rng: &mut ChaCha8Rng, n: usize, t0: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let noise = Normal::new(0.0, 1.0).expect("normal");
    let mut e = 0.0;
    let mut cols: Vec<Vec<f64>> = (0..4).map(|_| Vec::with_capacity(n)).collect();
    let mut y = Vec::with_capacity(n);
    for t in 0..n {
        let tf = t as f64;
        let step = f64::from(u8::from(t >= t0));
        let slope = step * (tf - t0 as f64);
        let season = (std::f64::consts::FRAC_PI_2 * tf).sin();
        e = 0.4 * e + noise.sample(rng);
        y.push(100.0 + 0.5 * tf - 5.0 * step + 0.2 * slope + 2.0 * season + 3.0 * e);
        for (c, v) in cols.iter_mut().zip([tf, step, slope, season]) {
            c.push(v);
        }
    }
    (cols, y)
}

fn bench(c: &mut Criterion) {
    let (cols, y) = sicily();
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let names: Vec<String> = ["smokban", "time", "post"].map(String::from).to_vec();
    let reml = Ar1Options::default();
    let ml = Ar1Options {
        method: Method::Ml,
        ..Ar1Options::default()
    };
    let mut group = c.benchmark_group("gls");
    group.bench_function("ar1_reml_59", |b| {
        b.iter(|| fit_ar1(&refs, &names, &y, &reml).expect("fit"))
    });
    group.bench_function("ar1_ml_59", |b| {
        b.iter(|| fit_ar1(&refs, &names, &y, &ml).expect("fit"))
    });
    let ar2 = ArOptions::default();
    group.bench_function("ar2_reml_59", |b| {
        b.iter(|| fit_ar(&refs, &names, &y, &ar2).expect("fit"))
    });
    group.bench_function("prais_59", |b| {
        b.iter(|| prais_winsten(&refs, &names, &y, &PraisOptions::default()).expect("fit"))
    });

    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let batch: Vec<(Vec<Vec<f64>>, Vec<f64>)> = (0..15_000)
        .map(|k| segmented(&mut rng, 40, 10 + k % 20))
        .collect();
    let batch_names: Vec<String> = ["time", "step", "slope", "season"]
        .map(String::from)
        .to_vec();
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("ar1_reml_15000x40_parallel", |b| {
        b.iter(|| {
            batch
                .par_iter()
                .map(|(cols, y)| {
                    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
                    fit_ar1(&refs, &batch_names, y, &reml).map(|f| f.coefficients[2])
                })
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
