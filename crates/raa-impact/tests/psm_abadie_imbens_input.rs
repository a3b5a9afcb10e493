//! Bad input to the Abadie–Imbens estimator is reported as a typed error naming the argument
//! (and the column / row), never a panic; results do not depend on the number of threads.

use raa_impact::psm::abadie_imbens::{ai_match, difference_in_means, AiOptions, Estimand, Scaling};
use raa_impact::Error;

fn msg(e: Error) -> (String, String) {
    match e {
        Error::Argument { name, message } => (name, message),
        other => panic!("expected an argument error, got {other:?}"),
    }
}

fn small() -> (Vec<f64>, Vec<bool>, Vec<f64>) {
    let y = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let t = vec![true, true, true, false, false, false];
    let x = vec![0.1, 0.5, 0.9, 0.2, 0.6, 1.0];
    (y, t, x)
}

#[test]
fn nan_in_y_names_argument_and_row() {
    let (mut y, t, x) = small();
    y[4] = f64::NAN;
    let (name, m) = msg(ai_match(&y, &t, &[&x[..]], &AiOptions::default()).unwrap_err());
    assert_eq!(name, "y");
    assert!(m.contains("row 4"), "{m}");
    assert!(difference_in_means(&y, &t).is_err());
}

#[test]
fn nan_in_x_names_column_and_row() {
    let (y, t, x) = small();
    let mut x2 = x.clone();
    x2[2] = f64::INFINITY;
    let (name, m) = msg(ai_match(&y, &t, &[&x[..], &x2[..]], &AiOptions::default()).unwrap_err());
    assert_eq!(name, "x");
    assert!(m.contains("column 1") && m.contains("row 2"), "{m}");
}

#[test]
fn empty_groups_are_rejected() {
    let (y, _, x) = small();
    let all_treated = vec![true; 6];
    let (name, m) = msg(ai_match(&y, &all_treated, &[&x[..]], &AiOptions::default()).unwrap_err());
    assert_eq!(name, "treated");
    assert!(m.contains("control"), "{m}");
    let none = vec![false; 6];
    let (_, m) = msg(ai_match(&y, &none, &[&x[..]], &AiOptions::default()).unwrap_err());
    assert!(m.contains("treated"), "{m}");
}

#[test]
fn lengths_that_differ_are_rejected() {
    let (y, t, x) = small();
    let (name, _) = msg(ai_match(&y[..5], &t, &[&x[..]], &AiOptions::default()).unwrap_err());
    assert_eq!(name, "y");
    let (name, m) = msg(ai_match(&y, &t, &[&x[..5]], &AiOptions::default()).unwrap_err());
    assert_eq!(name, "x");
    assert!(m.contains("column 0"), "{m}");
    let (name, _) = msg(ai_match(&y, &t, &[], &AiOptions::default()).unwrap_err());
    assert_eq!(name, "x");
}

#[test]
fn constant_covariate_is_rejected_unless_unscaled() {
    let (y, t, x) = small();
    let c = [3.0; 6];
    let (name, m) = msg(ai_match(&y, &t, &[&x[..], &c[..]], &AiOptions::default()).unwrap_err());
    assert_eq!(name, "x");
    assert!(m.contains("column 1") && m.contains("constant"), "{m}");
    let o = AiOptions {
        scaling: Scaling::Identity,
        ..AiOptions::default()
    };
    assert!(ai_match(&y, &t, &[&x[..], &c[..]], &o).is_ok());
}

#[test]
fn bad_options_are_rejected() {
    let (y, t, x) = small();
    let bad = [
        AiOptions {
            m: 0,
            ..AiOptions::default()
        },
        AiOptions {
            tolerance: -1.0,
            ..AiOptions::default()
        },
        AiOptions {
            tolerance: f64::NAN,
            ..AiOptions::default()
        },
        AiOptions {
            ties: false,
            ..AiOptions::default()
        },
    ];
    for o in bad {
        assert!(ai_match(&y, &t, &[&x[..]], &o).is_err(), "{o:?}");
    }
}

#[test]
fn m_larger_than_the_other_group_is_capped() {
    let (y, t, x) = small();
    let o = AiOptions {
        m: 50,
        estimand: Estimand::Ate,
        ..AiOptions::default()
    };
    let r = ai_match(&y, &t, &[&x[..]], &o).unwrap();
    // Every unit is matched to all three units of the other group.
    assert_eq!(r.matches.len(), 18);
    assert!(r.se.is_finite() && r.se_naive.is_finite());
}

#[test]
fn result_does_not_depend_on_thread_count() {
    let n = 3000;
    let y: Vec<f64> = (0..n).map(|i| ((i * 37) % 101) as f64).collect();
    let t: Vec<bool> = (0..n).map(|i| (i * 13) % 7 < 3).collect();
    let x1: Vec<f64> = (0..n).map(|i| ((i * 17) % 53) as f64).collect();
    let x2: Vec<f64> = (0..n).map(|i| ((i * 29) % 41) as f64 / 3.0).collect();
    let run = |threads: usize, cols: &[&[f64]]| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let o = AiOptions {
            estimand: Estimand::Ate,
            m: 2,
            ..AiOptions::default()
        };
        pool.install(|| ai_match(&y, &t, cols, &o).unwrap())
    };
    for cols in [vec![&x1[..]], vec![&x1[..], &x2[..]]] {
        let a = run(1, &cols);
        let b = run(4, &cols);
        assert_eq!(a, b);
    }
}

/// The one-covariate path sorts once and binary-searches: 200,000 rows finish in well under a
/// second in release (a quadratic search would take minutes). Tolerance 0 because Matching's
/// tolerance is on the squared *standardised* distance: at this n, 1e-5 would tie hundreds of units.
#[test]
fn one_dimensional_matching_is_fast_on_large_inputs() {
    let n = 200_000;
    let y: Vec<f64> = (0..n).map(|i| (i % 97) as f64).collect();
    let t: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
    let score: Vec<f64> = (0..n)
        .map(|i| ((i * 7919) % 150_001) as f64 / 150_001.0)
        .collect();
    let start = std::time::Instant::now();
    let o = AiOptions {
        estimand: Estimand::Ate,
        tolerance: 0.0,
        ..AiOptions::default()
    };
    let r = ai_match(&y, &t, &[&score[..]], &o).unwrap();
    assert_eq!(r.n_matched_obs, n);
    // Exact ties only: 50,000 scores occur twice, so most units have one or two matches.
    assert!(r.matches.len() < 2 * n, "{} match rows", r.matches.len());
    assert!(r.estimate.is_finite() && r.se.is_finite());
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}
