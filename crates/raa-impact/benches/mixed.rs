//! Multilevel segmented AR(1) REML: 150 units × 40 quarters, random intercept, level change and
//! slope change (issue 6 goal: ≤ 100 ms; R nlme::lme 5.9 s).

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::mixed::{fit_mixed, MixedInput, MixedOptions, Residual};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

struct Panel {
    y: Vec<f64>,
    x: Vec<Vec<f64>>,
    unit: Vec<u64>,
    time: Vec<f64>,
}

fn panel(m: u64, n: usize, seed: u64) -> Panel {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = Normal::new(0.0, 1.0).expect("normal");
    let mut p = Panel {
        y: vec![],
        x: vec![vec![]; 3],
        unit: vec![],
        time: vec![],
    };
    for u in 0..m {
        let t0 = rng.random_range(10..30) as f64;
        let (a, b, c) = (
            z.sample(&mut rng),
            0.5 * z.sample(&mut rng),
            0.05 * z.sample(&mut rng),
        );
        let mut e = 0.0;
        for s in 0..n {
            let t = s as f64;
            let d = f64::from(u8::from(t >= t0));
            let sl = (t - t0) * d;
            e = 0.5 * e + z.sample(&mut rng);
            p.y.push(10.0 + a + 0.05 * t + (-1.0 + b) * d + (-0.03 + c) * sl + e);
            p.x[0].push(t);
            p.x[1].push(d);
            p.x[2].push(sl);
            p.unit.push(u);
            p.time.push(t);
        }
    }
    p
}

fn bench(c: &mut Criterion) {
    let p = panel(150, 40, 7);
    let names: Vec<String> = ["time", "D", "slope"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let cols: Vec<&[f64]> = p.x.iter().map(Vec::as_slice).collect();
    let input = MixedInput {
        y: &p.y,
        x: &cols,
        x_names: &names,
        unit: &p.unit,
        group: None,
        time: &p.time,
    };
    let options = MixedOptions {
        random: vec!["(Intercept)".into(), "D".into(), "slope".into()],
        residual: Residual::Ar1,
        ..Default::default()
    };
    let fit = fit_mixed(&input, &options).expect("fit");
    eprintln!(
        "converged {:?}; warnings {:?}",
        fit.convergence, fit.warnings
    );
    let mut g = c.benchmark_group("mixed");
    g.sample_size(20);
    g.bench_function("ar1_reml_150x40_q3", |b| {
        b.iter(|| fit_mixed(&input, &options).expect("fit"))
    });
    // Calendar-quarter dummies instead of a linear time trend: p = 42.
    let dummies: Vec<Vec<f64>> = (1..40)
        .map(|q| {
            p.time
                .iter()
                .map(|t| f64::from(u8::from(*t == q as f64)))
                .collect()
        })
        .collect();
    let mut wide: Vec<&[f64]> = vec![&p.x[1], &p.x[2]];
    wide.extend(dummies.iter().map(Vec::as_slice));
    let mut wide_names: Vec<String> = vec!["D".into(), "slope".into()];
    wide_names.extend((1..40).map(|q| format!("q{q}")));
    let input = MixedInput {
        y: &p.y,
        x: &wide,
        x_names: &wide_names,
        unit: &p.unit,
        group: None,
        time: &p.time,
    };
    let wide_fit = fit_mixed(&input, &options).expect("fit");
    eprintln!("calendar: {:?}", wide_fit.convergence);
    g.bench_function("ar1_reml_150x40_q3_calendar", |b| {
        b.iter(|| fit_mixed(&input, &options).expect("fit"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
