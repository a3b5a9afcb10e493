//! The ITS front door (`its::fit`: checks, segmented design, fit, coefficient table, counterfactual
//! path): one 59-point Sicily fit with AR(1) REML errors (goal ≤ 100 µs), and 150 LAs × 40 quarters ×
//! 100 interruption dates = 15,000 AR(1) REML fits in parallel (goal ≤ 2 s on 2 cores).

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::its::{fit, Errors, Interruption, ItsSpec, Likelihood, Series};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rayon::prelude::*;
use std::time::Duration;

/// Sicily: time and the rate per 100,000.
fn sicily() -> (Vec<f64>, Vec<f64>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/its/sicily.csv");
    let mut reader = csv::Reader::from_path(path).expect("sicily.csv");
    let (mut t, mut y) = (Vec::new(), Vec::new());
    for row in reader.records() {
        let row = row.expect("row");
        let v = |i: usize| row[i].parse::<f64>().expect("number");
        t.push(v(3));
        y.push(v(2) / v(6) * 1e5);
    }
    (t, y)
}

/// One LA's 40 quarters of mean PO→placed days with AR(1) noise and a step at its go-live.
fn la(rng: &mut ChaCha8Rng) -> Vec<f64> {
    let z = Normal::new(0.0, 30.0).expect("normal");
    let go_live = rng.random_range(14..28) as f64;
    let mut e = 0.0;
    (1..=40)
        .map(|q| {
            let t = f64::from(q);
            e = 0.3 * e + z.sample(rng);
            260.0 - 1.5 * t + if t >= go_live { -14.0 } else { 0.0 } + e
        })
        .collect()
}

fn spec(at: f64, method: Likelihood) -> ItsSpec {
    ItsSpec {
        interruptions: vec![Interruption::at(at)],
        errors: Errors::Ar1 { method },
        ..ItsSpec::default()
    }
}

fn bench(c: &mut Criterion) {
    let (t, y) = sicily();
    let mut group = c.benchmark_group("its");
    let reml = ItsSpec {
        slope_origin: 1.0,
        ..spec(37.0, Likelihood::Reml)
    };
    group.bench_function("sicily_ar1_reml_59", |b| {
        b.iter(|| fit(&Series::new(&t, &y), &reml).expect("fit"))
    });
    let ols = ItsSpec {
        errors: Errors::Ols,
        ..reml.clone()
    };
    group.bench_function("sicily_ols_59", |b| {
        b.iter(|| fit(&Series::new(&t, &y), &ols).expect("fit"))
    });

    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let quarters: Vec<f64> = (1..=40).map(f64::from).collect();
    let las: Vec<Vec<f64>> = (0..150).map(|_| la(&mut rng)).collect();
    // 100 interruption dates per LA, cycling over quarters 6..=35 (each leaves 5+ points a side).
    let jobs: Vec<(usize, f64)> = (0..150)
        .flat_map(|l| (0..100).map(move |k| (l, 6.0 + (k % 30) as f64)))
        .collect();
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("15000_ar1_reml_fits_40q", |b| {
        b.iter(|| {
            let fits: Vec<_> = jobs
                .par_iter()
                .map(|&(l, at)| {
                    fit(
                        &Series::new(&quarters, &las[l]),
                        &spec(at, Likelihood::Reml),
                    )
                })
                .collect();
            // A few placebo dates far from the real go-live leave REML at φ → 1: reported per fit.
            let ok = fits.iter().filter(|f| f.is_ok()).count();
            assert!(ok >= 14_950, "{ok} of 15,000 fits");
            fits
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
