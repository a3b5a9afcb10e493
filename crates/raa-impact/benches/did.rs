//! Callaway–Sant'Anna on 1M rows (100k units × 10 periods, 8 cohorts + never treated, not-yet-treated
//! comparisons, doubly robust, no covariates): analytic (goal ≤ 0.15 s) and with 999 multiplier
//! bootstrap draws (goal ≤ 0.5 s on 2 cores); and analytic with one covariate (a logit and an
//! outcome regression per cell; no goal).

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::did::{att_gt, AttGtOptions, PanelInput};
use raa_impact::inference::multiplier::BootstrapOptions;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;

struct Long {
    unit: Vec<i64>,
    time: Vec<i64>,
    group: Vec<i64>,
    y: Vec<f64>,
    x: Vec<f64>,
}

fn panel(units: i64, periods: i64) -> Long {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let n = (units * periods) as usize;
    let mut d = Long {
        unit: Vec::with_capacity(n),
        time: Vec::with_capacity(n),
        group: Vec::with_capacity(n),
        y: Vec::with_capacity(n),
        x: Vec::with_capacity(n),
    };
    for u in 0..units {
        let g = match rng.random_range(0..9) {
            0 => 0,
            k => k + 2,
        };
        let a: f64 = rng.random::<f64>();
        for t in 1..=periods {
            let effect = if g > 0 && t >= g { 1.0 } else { 0.0 };
            d.unit.push(u);
            d.time.push(t);
            d.group.push(g);
            d.x.push(a);
            d.y.push(a + 0.1 * t as f64 + effect + rng.random::<f64>());
        }
    }
    d
}

fn bench(c: &mut Criterion) {
    let d = panel(100_000, 10);
    let input = PanelInput {
        unit: &d.unit,
        time: &d.time,
        group: &d.group,
        y: &d.y,
        covariates: &[],
        cluster: None,
        weights: None,
    };
    let mut g = c.benchmark_group("did");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("att_gt_1M_rows_analytic", |b| {
        b.iter(|| att_gt(&input, &AttGtOptions::default()).expect("att_gt"))
    });
    let boot = AttGtOptions {
        bootstrap: Some(BootstrapOptions {
            draws: 999,
            ..Default::default()
        }),
        ..Default::default()
    };
    g.bench_function("att_gt_1M_rows_999_draws", |b| {
        b.iter(|| att_gt(&input, &boot).expect("att_gt"))
    });
    let cov: [&[f64]; 1] = [&d.x];
    let with_x = PanelInput {
        covariates: &cov,
        ..input
    };
    g.bench_function("att_gt_1M_rows_one_covariate_dr", |b| {
        b.iter(|| att_gt(&with_x, &AttGtOptions::default()).expect("att_gt"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
