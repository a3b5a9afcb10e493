//! Kaplan–Meier and the RMST difference on one million rows: one sort, then linear passes.
//! A smoke run that prints its timings and asserts none (speed is measured by benches, never by
//! timed tests), ignored in the suite:
//! `cargo test --release -p raa-impact --test survival_speed -- --ignored`.

use std::time::Instant;

use raa_impact::survival::{kaplan_meier, rmst_difference};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[test]
#[ignore = "a timing run, not part of the suite: cargo test --release -p raa-impact --test survival_speed -- --ignored"]
fn km_and_rmst_on_a_million_rows() {
    let n = 1_000_000;
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    // Whole days up to ~3 years, as placement durations are: many ties.
    let time: Vec<f64> = (0..n)
        .map(|_| (rng.random::<f64>() * 1100.0).floor())
        .collect();
    let event: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < 0.7).collect();
    let treated: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
    let w: Vec<f64> = (0..n).map(|i| 1.0 + (i % 3) as f64).collect();
    let cluster: Vec<u64> = (0..n as u64).map(|i| i / 2).collect();

    let start = Instant::now();
    let km = kaplan_meier(&time, &event, None).unwrap();
    let km_secs = start.elapsed().as_secs_f64();
    assert_eq!(km.time.len(), 1100);

    let start = Instant::now();
    let r = rmst_difference(&time, &event, &treated, Some(&w), Some(&cluster), 1000.0).unwrap();
    let rmst_secs = start.elapsed().as_secs_f64();
    assert!(r.se > 0.0);
    eprintln!("KM {km_secs:.3} s, RMST difference {rmst_secs:.3} s");
}
