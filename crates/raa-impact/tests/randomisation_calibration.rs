//! Size and power on generated data: when the start times really are drawn from the design and
//! the effect is zero, the test rejects at (at most, by ties) its nominal 5% rate; with a large
//! effect it rejects nearly always.

use raa_impact::randomisation::{
    phase_difference_test, Alternative, Design, PhaseMeanDifference, RandomisationOptions, Streams,
    Window,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

const N_TIME: i64 = 30;

/// Series with unit levels, a shared calendar shock and AR(1) noise (ρ = 0.4), and a step of
/// `effect` from each unit's start (after a bed-in of `bed_in` periods, which the statistic skips).
fn simulate(rng: &mut ChaCha8Rng, starts: &[i64], effect: f64) -> (Vec<Vec<i64>>, Vec<Vec<f64>>) {
    let normal = Normal::new(0.0, 1.0).unwrap();
    let shock: Vec<f64> = (0..N_TIME).map(|_| 0.5 * normal.sample(rng)).collect();
    let time = starts.iter().map(|_| (0..N_TIME).collect()).collect();
    let y = starts
        .iter()
        .map(|&s| {
            let level = 2.0 * normal.sample(rng);
            let mut e = 0.0;
            (0..N_TIME)
                .map(|t| {
                    e = 0.4 * e + normal.sample(rng);
                    level + shock[t as usize] + e + if t >= s { effect } else { 0.0 }
                })
                .collect()
        })
        .collect();
    (time, y)
}

/// Rejections at 5% over `reps` seeded replications, the starts drawn from the design itself.
fn rejections(
    design: &Design,
    opts: &RandomisationOptions,
    effect: f64,
    reps: u64,
    seed: u64,
) -> u64 {
    let streams = Streams::new(seed);
    let mut starts = vec![0i64; design.n_units()];
    let mut rejected = 0;
    for rep in 0..reps {
        design.draw_into(&streams, rep, &mut starts);
        let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(rep));
        let (time, y) = simulate(&mut rng, &starts, effect);
        let stat = PhaseMeanDifference::new(&time, &y, 0).unwrap();
        let r = phase_difference_test(design, &starts, &stat, opts).unwrap();
        if r.p_value <= 0.05 {
            rejected += 1;
        }
    }
    rejected
}

/// Three-sd limits of a binomial(400, 0.05) count: 20 ± 13.
fn assert_nominal(rejected: u64, what: &str) {
    eprintln!("{what}: {rejected} rejections in 400");
    let (mean, sd) = (20.0, (400.0f64 * 0.05 * 0.95).sqrt());
    assert!(
        (rejected as f64 - mean).abs() <= 3.0 * sd,
        "{what}: {rejected} rejections in 400 (expected 20 ± {:.0})",
        3.0 * sd
    );
}

fn mb_design() -> Design {
    // 6 × 6 × 6 × 6 = 1,296 assignments: enumerated.
    Design::marascuilo_busk((0..4).map(|i| Window::new(8 + 3 * i, 13 + 3 * i)).collect()).unwrap()
}

fn kl_design() -> Design {
    // 4! × 3⁴ = 1,944 assignments.
    Design::koehler_levin((0..4).map(|i| Window::new(7 + 4 * i, 9 + 4 * i)).collect()).unwrap()
}

#[test]
fn enumerated_marascuilo_busk_has_nominal_size_under_zero_effect() {
    let rejected = rejections(&mb_design(), &RandomisationOptions::default(), 0.0, 400, 1);
    assert_nominal(rejected, "Marascuilo–Busk, enumerated, one-sided");
}

#[test]
fn monte_carlo_koehler_levin_has_nominal_size_under_zero_effect() {
    let opts = RandomisationOptions {
        alternative: Alternative::TwoSided,
        max_enumerate: 0,
        draws: 199,
        seed: 3,
        ..Default::default()
    };
    let rejected = rejections(&kl_design(), &opts, 0.0, 400, 2);
    assert_nominal(rejected, "Koehler–Levin, Monte Carlo, two-sided");
}

#[test]
fn a_large_effect_is_detected() {
    // Four noise sd. (At two sd Marascuilo–Busk rejects about 80%: a start moved within its
    // window keeps most of the step in phase B, so nearby assignments give similar statistics.)
    let mb = rejections(&mb_design(), &RandomisationOptions::default(), 4.0, 50, 4);
    assert!(mb >= 45, "Marascuilo–Busk power: {mb} of 50");
    let opts = RandomisationOptions {
        alternative: Alternative::TwoSided,
        ..Default::default()
    };
    let kl = rejections(&kl_design(), &opts, -4.0, 50, 5);
    assert!(kl >= 45, "Koehler–Levin power: {kl} of 50");
}

#[test]
fn the_less_alternative_mirrors_greater() {
    let design = mb_design();
    let streams = Streams::new(8);
    let mut starts = vec![0i64; 4];
    design.draw_into(&streams, 0, &mut starts);
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let effect = rng.random_range(-1.0..1.0);
    let (time, y) = simulate(&mut rng, &starts, effect);
    let neg: Vec<Vec<f64>> = y.iter().map(|u| u.iter().map(|v| -v).collect()).collect();
    let greater = RandomisationOptions::default();
    let less = RandomisationOptions {
        alternative: Alternative::Less,
        ..Default::default()
    };
    let up = PhaseMeanDifference::new(&time, &y, 0).unwrap();
    let down = PhaseMeanDifference::new(&time, &neg, 0).unwrap();
    let a = phase_difference_test(&design, &starts, &up, &greater).unwrap();
    let b = phase_difference_test(&design, &starts, &down, &less).unwrap();
    assert_eq!(a.n_extreme, b.n_extreme);
    assert_eq!(a.p_value, b.p_value);
}
