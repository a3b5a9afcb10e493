//! Timing smoke run of the 1M × 10M workload (ignored; run with `--release -- --ignored`).

use raa_impact::psm::kernel::{match_nearest, KernelInput, KernelOptions};
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use std::time::Instant;

#[test]
#[ignore]
fn one_million_by_ten_million() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
    let (t, c) = (
        Normal::new(0.3, 1.0).unwrap(),
        Normal::new(-0.3, 1.0).unwrap(),
    );
    let n = 11_000_000;
    let treated: Vec<bool> = (0..n).map(|i| i % 11 == 0).collect();
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
    let input = KernelInput {
        distance: &d,
        treated: &treated,
        ..Default::default()
    };
    for replace in [false, true] {
        let o = KernelOptions {
            caliper: Some(0.2),
            replace,
            ..KernelOptions::default()
        };
        let s = Instant::now();
        let m = match_nearest(&input, &o).unwrap();
        eprintln!(
            "replace={replace}: {:?}, matched {}",
            s.elapsed(),
            m.controls.len()
        );
        assert!(m.controls.len() > 900_000);
    }
}
