//! Complete enumeration against brute force (explicit nested loops) for the three schemes, the
//! Monte Carlo p against the exact p, and bit-identical results for 1 and 2 threads and for the
//! serial evaluation.

use raa_impact::randomisation::{
    randomisation_test, randomisation_test_serial, Alternative, Design, PhaseMeanDifference,
    RandomisationOptions, RandomisationResult, Window,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Random unit series (seeded) with a step of `effect` at `starts`.
fn series(
    n_units: usize,
    n_time: i64,
    starts: &[i64],
    effect: f64,
    seed: u64,
) -> PhaseMeanDifference {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let time: Vec<Vec<i64>> = (0..n_units).map(|_| (0..n_time).collect()).collect();
    let y: Vec<Vec<f64>> = (0..n_units)
        .map(|i| {
            let level: f64 = rng.random_range(-2.0..2.0);
            (0..n_time)
                .map(|t| {
                    level + rng.random_range(-1.0..1.0) + if t >= starts[i] { effect } else { 0.0 }
                })
                .collect()
        })
        .collect();
    PhaseMeanDifference::new(&time, &y, 0).unwrap()
}

fn enumerated(design: &Design) -> Vec<Vec<i64>> {
    let n = design.n_assignments().unwrap();
    let mut out = Vec::new();
    let mut s = vec![0i64; design.n_units()];
    for b in 0..n {
        design.assignment_into(b, &mut s);
        out.push(s.clone());
    }
    out
}

/// Exact p by brute force with plain comparisons.
fn brute_p(
    all: &[Vec<i64>],
    observed: &[i64],
    stat: &PhaseMeanDifference,
    alt: Alternative,
) -> f64 {
    let t = stat.evaluate(observed).unwrap();
    let hits = all
        .iter()
        .filter(|s| {
            let v = stat.evaluate(s).unwrap();
            match alt {
                Alternative::Greater => v >= t,
                Alternative::Less => v <= t,
                Alternative::TwoSided => v.abs() >= t.abs(),
            }
        })
        .count();
    hits as f64 / all.len() as f64
}

fn check_against_brute(
    design: &Design,
    brute: Vec<Vec<i64>>,
    observed: &[i64],
    stat: &PhaseMeanDifference,
) {
    let mut enumerated = enumerated(design);
    assert_eq!(enumerated.len(), brute.len(), "number of assignments");
    let mut brute_sorted = brute.clone();
    enumerated.sort();
    brute_sorted.sort();
    assert_eq!(enumerated, brute_sorted, "the same multiset of assignments");
    for alt in [
        Alternative::Greater,
        Alternative::Less,
        Alternative::TwoSided,
    ] {
        let opts = RandomisationOptions {
            alternative: alt,
            ..Default::default()
        };
        let r = randomisation_test(design, observed, |s| stat.evaluate(s), &opts).unwrap();
        assert!(r.enumerated);
        assert_eq!(r.n_evaluated as usize, brute.len());
        let p = brute_p(&brute, observed, stat, alt);
        assert_eq!(r.p_value, p, "{alt:?}");
        assert_eq!(r.distribution.len(), brute.len());
    }
}

#[test]
fn marascuilo_busk_matches_nested_loops() {
    let w = [(2, 4), (3, 6), (5, 6)];
    let design =
        Design::marascuilo_busk(w.iter().map(|&(a, b)| Window::new(a, b)).collect()).unwrap();
    let mut brute = Vec::new();
    for a in 2..=4 {
        for b in 3..=6 {
            for c in 5..=6 {
                brute.push(vec![a, b, c]);
            }
        }
    }
    assert_eq!(brute.len(), 24);
    let observed = [3, 5, 6];
    let stat = series(3, 12, &observed, 0.8, 1);
    check_against_brute(&design, brute, &observed, &stat);
}

#[test]
fn wampold_worsham_matches_explicit_permutations() {
    // A repeated position: distinct permutations give equal vectors and all count.
    let positions = [3i64, 5, 5, 8];
    let design = Design::wampold_worsham(4, &positions).unwrap();
    let mut brute = Vec::new();
    for a in 0..4 {
        for b in 0..4 {
            for c in 0..4 {
                for d in 0..4 {
                    let idx = [a, b, c, d];
                    let distinct = (0..4).all(|i| (0..i).all(|j| idx[i] != idx[j]));
                    if distinct {
                        brute.push(idx.iter().map(|&k| positions[k]).collect::<Vec<_>>());
                    }
                }
            }
        }
    }
    assert_eq!(brute.len(), 24);
    let observed = [5, 3, 8, 5];
    let stat = series(4, 12, &observed, 1.0, 2);
    check_against_brute(&design, brute, &observed, &stat);
}

#[test]
fn koehler_levin_matches_permutations_times_windows() {
    let windows = [(2i64, 3i64), (5, 7), (9, 10)];
    let design =
        Design::koehler_levin(windows.iter().map(|&(a, b)| Window::new(a, b)).collect()).unwrap();
    let mut brute = Vec::new();
    for p0 in 0..3usize {
        for p1 in 0..3usize {
            for p2 in 0..3usize {
                if p0 == p1 || p0 == p2 || p1 == p2 {
                    continue;
                }
                for s0 in windows[0].0..=windows[0].1 {
                    for s1 in windows[1].0..=windows[1].1 {
                        for s2 in windows[2].0..=windows[2].1 {
                            let start = [s0, s1, s2];
                            brute.push(vec![start[p0], start[p1], start[p2]]);
                        }
                    }
                }
            }
        }
    }
    assert_eq!(brute.len(), 72);
    let observed = [9, 3, 6];
    let stat = series(3, 14, &observed, 0.7, 3);
    check_against_brute(&design, brute, &observed, &stat);
}

#[test]
fn enumeration_order_is_lexicographic_and_fixed() {
    let design = Design::koehler_levin(vec![Window::new(1, 2), Window::new(4, 5)]).unwrap();
    assert_eq!(
        enumerated(&design),
        vec![
            vec![1, 4],
            vec![1, 5],
            vec![2, 4],
            vec![2, 5],
            vec![4, 1],
            vec![5, 1],
            vec![4, 2],
            vec![5, 2]
        ]
    );
}

fn large_design() -> (Design, Vec<i64>, PhaseMeanDifference) {
    // 10 × 10 × 10 × 10 × 10 = 10⁵ assignments.
    let windows: Vec<Window> = (0..5)
        .map(|i| Window::new(10 + 2 * i, 19 + 2 * i))
        .collect();
    let design = Design::marascuilo_busk(windows).unwrap();
    let observed = vec![12, 17, 15, 20, 25];
    let stat = series(5, 40, &observed, 0.6, 4);
    (design, observed, stat)
}

#[test]
fn monte_carlo_p_is_close_to_the_exact_p() {
    let (design, observed, stat) = large_design();
    assert_eq!(design.n_assignments(), Some(100_000));
    for alt in [Alternative::Greater, Alternative::TwoSided] {
        let exact_opts = RandomisationOptions {
            alternative: alt,
            ..Default::default()
        };
        let exact =
            randomisation_test(&design, &observed, |s| stat.evaluate(s), &exact_opts).unwrap();
        assert!(exact.enumerated);
        let mc_opts = RandomisationOptions {
            alternative: alt,
            max_enumerate: 0,
            draws: 20_000,
            seed: 11,
            ..Default::default()
        };
        let mc = randomisation_test(&design, &observed, |s| stat.evaluate(s), &mc_opts).unwrap();
        assert!(!mc.enumerated);
        assert_eq!(mc.n_evaluated, 20_000);
        assert!(mc.mc_standard_error > 0.0);
        let diff = (mc.p_value - exact.p_value).abs();
        eprintln!(
            "{alt:?}: exact {} Monte Carlo {} ± {}",
            exact.p_value, mc.p_value, mc.mc_standard_error
        );
        assert!(
            diff <= 4.0 * mc.mc_standard_error + 1.0 / 20_001.0,
            "{alt:?}: exact {} Monte Carlo {} ± {}",
            exact.p_value,
            mc.p_value,
            mc.mc_standard_error
        );
        // The design was chosen so that p is informative, not 0 or 1.
        assert!(
            exact.p_value > 0.005 && exact.p_value < 0.5,
            "exact p {}",
            exact.p_value
        );
    }
}

#[test]
fn monte_carlo_p_is_close_to_the_exact_p_for_permuting_schemes() {
    // Koehler–Levin, 6 positions × 2 starts: 720 · 64 = 46,080 assignments; Wampold–Worsham with
    // 9 units: 9! = 362,880.
    let kl =
        Design::koehler_levin((0..6).map(|k| Window::new(6 + 4 * k, 7 + 4 * k)).collect()).unwrap();
    let ww = Design::wampold_worsham(9, &[6, 8, 10, 12, 14, 16, 18, 20, 22]).unwrap();
    let cases = [
        (kl, vec![11, 6, 19, 14, 27, 23]),
        (ww, vec![8, 6, 12, 10, 16, 14, 20, 18, 22]),
    ];
    for (design, observed) in cases {
        let stat = series(design.n_units(), 36, &observed, 0.1, 21);
        let exact = randomisation_test(
            &design,
            &observed,
            |s| stat.evaluate(s),
            &RandomisationOptions::default(),
        )
        .unwrap();
        assert!(exact.enumerated);
        let opts = RandomisationOptions {
            max_enumerate: 0,
            draws: 20_000,
            seed: 12,
            ..Default::default()
        };
        let mc = randomisation_test(&design, &observed, |s| stat.evaluate(s), &opts).unwrap();
        eprintln!(
            "{:?}: exact {} Monte Carlo {} ± {}",
            design.scheme(),
            exact.p_value,
            mc.p_value,
            mc.mc_standard_error
        );
        assert!((mc.p_value - exact.p_value).abs() <= 4.0 * mc.mc_standard_error + 1.0 / 20_001.0);
        assert!(
            exact.p_value > 0.005 && exact.p_value < 0.5,
            "exact p {}",
            exact.p_value
        );
    }
}

fn with_threads(n: usize, f: impl FnOnce() -> RandomisationResult + Send) -> RandomisationResult {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn one_and_two_threads_give_identical_results() {
    let (design, observed, stat) = large_design();
    for max_enumerate in [1_000_000, 0] {
        let opts = RandomisationOptions {
            max_enumerate,
            draws: 5_000,
            seed: 5,
            ..Default::default()
        };
        let run = || randomisation_test(&design, &observed, |s| stat.evaluate(s), &opts).unwrap();
        let one = with_threads(1, run);
        let two = with_threads(2, run);
        assert_eq!(one, two);
        assert_eq!(
            one.distribution
                .iter()
                .map(|v| v.to_bits())
                .collect::<Vec<_>>(),
            two.distribution
                .iter()
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn monte_carlo_draws_cover_every_scheme_uniformly() {
    // Koehler–Levin with 3 positions of 2 starts: 48 assignments; 48,000 draws should hit each
    // about 1,000 times (chi-square-free check: every count within 5 binomial sd).
    let design = Design::koehler_levin(vec![
        Window::new(1, 2),
        Window::new(4, 5),
        Window::new(7, 8),
    ])
    .unwrap();
    let all = enumerated(&design);
    let streams = raa_impact::randomisation::Streams::new(9);
    let mut counts = std::collections::BTreeMap::new();
    let mut s = vec![0i64; 3];
    for b in 0..48_000 {
        design.draw_into(&streams, b, &mut s);
        *counts.entry(s.clone()).or_insert(0u32) += 1;
    }
    assert_eq!(counts.len(), 48);
    let sd = (48_000.0f64 * (1.0 / 48.0) * (47.0 / 48.0)).sqrt();
    for a in &all {
        let c = counts[a] as f64;
        assert!((c - 1000.0).abs() < 5.0 * sd, "{a:?} drawn {c} times");
    }
}

#[test]
fn result_states_the_as_if_random_assumption_and_round_trips() {
    let (design, observed, stat) = large_design();
    let opts = RandomisationOptions {
        max_enumerate: 0,
        draws: 99,
        ..Default::default()
    };
    let r = randomisation_test(&design, &observed, |s| stat.evaluate(s), &opts).unwrap();
    assert!(r.note.contains("not randomised"));
    assert!(r.note.contains("as-if-random"));
    let json = serde_json::to_string(&r).unwrap();
    let back: RandomisationResult = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn serial_evaluation_equals_the_parallel_one() {
    let (design, observed, stat) = large_design();
    for (max_enumerate, draws) in [(1_000_000, 1), (0, 3_000)] {
        let opts = RandomisationOptions {
            alternative: Alternative::TwoSided,
            max_enumerate,
            draws,
            seed: 5,
            ..Default::default()
        };
        let parallel = randomisation_test(&design, &observed, |s| stat.evaluate(s), &opts).unwrap();
        let mut seen = 0u64;
        let serial = randomisation_test_serial(
            &design,
            &observed,
            |s| {
                seen += 1;
                stat.evaluate(s)
            },
            &opts,
        )
        .unwrap();
        assert_eq!(seen, 1 + parallel.n_evaluated);
        assert_eq!(
            serde_json::to_string(&parallel).unwrap(),
            serde_json::to_string(&serial).unwrap()
        );
    }
    // The first error in index order is returned, as by the parallel evaluation.
    let opts = RandomisationOptions::default();
    let bad = |s: &[i64]| match s[0] == 13 {
        true => Ok(f64::NAN),
        false => stat.evaluate(s),
    };
    let e = randomisation_test_serial(&design, &observed, bad, &opts).unwrap_err();
    assert_eq!(
        e.to_string(),
        randomisation_test(&design, &observed, bad, &opts)
            .unwrap_err()
            .to_string()
    );
    assert!(e.to_string().contains("assignment"), "{e}");
}
