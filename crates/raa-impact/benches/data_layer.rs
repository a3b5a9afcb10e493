//! Benchmarks of the data layer on synthetic England at national scale (2011–2024, ~150 LAs).
//!
//! `cargo bench -p raa-impact --bench data_layer`. Goals (2 cores): generation ≤ 10 s; read,
//! validate and derive journeys for the written returns ≤ 5 s.

use criterion::{criterion_group, criterion_main, Criterion};
use raa_impact::data::journeys::{derive_journeys, JourneyOptions};
use raa_impact::data::ssda903::read::{read_dir, ReadOptions};
use raa_impact::data::ssda903::validate::validate;
use raa_impact::synthetic::{england, write_returns, SyntheticConfig};
use std::time::Duration;

fn generate(c: &mut Criterion) {
    let cfg = SyntheticConfig::default();
    let mut g = c.benchmark_group("synthetic_england");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function("generate_2011_2024", |b| {
        b.iter(|| england(&cfg).expect("generates"))
    });
    g.finish();
}

fn read_validate_derive(c: &mut Criterion) {
    let e = england(&SyntheticConfig::default()).expect("generates");
    let dir = tempfile::tempdir().expect("tempdir");
    write_returns(&e.returns, dir.path()).expect("writes");
    let opts = ReadOptions::default();
    let mut g = c.benchmark_group("returns_to_journeys");
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    g.bench_function("read_stack", |b| {
        b.iter(|| read_dir(dir.path(), &opts).expect("reads"))
    });
    let returns = read_dir(dir.path(), &opts).expect("reads");
    g.bench_function("validate", |b| b.iter(|| validate(&returns)));
    let v = validate(&returns);
    g.bench_function("derive_journeys", |b| {
        b.iter(|| derive_journeys(&returns, &v, &JourneyOptions::default()).expect("derives"))
    });
    g.bench_function("read_validate_derive", |b| {
        b.iter(|| {
            let r = read_dir(dir.path(), &opts).expect("reads");
            let v = validate(&r);
            derive_journeys(&r, &v, &JourneyOptions::default()).expect("derives")
        })
    });
    g.finish();
}

criterion_group!(benches, generate, read_validate_derive);
criterion_main!(benches);
