//! Bad input gives typed errors that name the unit (or position) and what was expected.

use raa_impact::randomisation::{
    phase_difference_test, randomisation_test, Design, PhaseMeanDifference, RandomisationOptions,
    Window,
};
use raa_impact::Error;

fn message(e: Error) -> String {
    match e {
        Error::Argument { name, message } => format!("{name}: {message}"),
        other => panic!("expected an argument error, got {other:?}"),
    }
}

fn flat(n_units: usize, n_time: i64) -> PhaseMeanDifference {
    let time: Vec<Vec<i64>> = (0..n_units).map(|_| (0..n_time).collect()).collect();
    let y: Vec<Vec<f64>> = (0..n_units)
        .map(|i| (0..n_time).map(|t| (t * (i as i64 + 1)) as f64).collect())
        .collect();
    PhaseMeanDifference::new(&time, &y, 0).unwrap()
}

#[test]
fn empty_window_names_its_unit() {
    let e = Design::marascuilo_busk(vec![Window::new(2, 4), Window::new(6, 5)]).unwrap_err();
    let m = message(e);
    assert!(m.contains("unit 1") && m.contains("empty"), "{m}");
    let e = Design::koehler_levin(vec![Window::new(3, 1)]).unwrap_err();
    assert!(message(e).contains("position 0"));
}

#[test]
fn wampold_worsham_needs_one_position_per_unit() {
    let m = message(Design::wampold_worsham(3, &[2, 4, 6, 8]).unwrap_err());
    assert!(m.contains("4 stagger positions for 3 units"), "{m}");
    assert!(Design::wampold_worsham(5, &[2, 4, 6, 8]).is_err());
}

#[test]
fn window_outside_the_series_names_the_unit() {
    let design = Design::marascuilo_busk(vec![Window::new(3, 5), Window::new(8, 12)]).unwrap();
    let m = message(
        phase_difference_test(
            &design,
            &[4, 9],
            &flat(2, 10),
            &RandomisationOptions::default(),
        )
        .unwrap_err(),
    );
    assert!(
        m.contains("unit 1") && m.contains("not inside its series 0..=9"),
        "{m}"
    );
    let m = message(design.check_within(0, 9).unwrap_err());
    assert!(m.contains("unit 1"), "{m}");
    assert!(design.check_within(0, 12).is_ok());
}

#[test]
fn unit_without_pre_or_post_points_is_named() {
    // Unit 0 could start at its first period: no phase A.
    let design = Design::marascuilo_busk(vec![Window::new(0, 3), Window::new(4, 6)]).unwrap();
    let m = message(
        phase_difference_test(
            &design,
            &[2, 5],
            &flat(2, 10),
            &RandomisationOptions::default(),
        )
        .unwrap_err(),
    );
    assert!(
        m.contains("unit 0") && m.contains("phase A") && m.contains("starts at 0"),
        "{m}"
    );
    // With a bed-in of 3, unit 1 starting at 7 leaves no phase B in 0..=9.
    let time: Vec<Vec<i64>> = (0..2).map(|_| (0..10).collect()).collect();
    let y: Vec<Vec<f64>> = (0..2)
        .map(|_| (0..10).map(|t| t as f64).collect())
        .collect();
    let stat = PhaseMeanDifference::new(&time, &y, 3).unwrap();
    let design = Design::koehler_levin(vec![Window::new(2, 3), Window::new(6, 7)]).unwrap();
    let m = message(
        phase_difference_test(&design, &[2, 6], &stat, &RandomisationOptions::default())
            .unwrap_err(),
    );
    assert!(
        m.contains("unit 0") && m.contains("phase B") && m.contains("starts at 7"),
        "{m}"
    );
    // Evaluating directly at such a start is the same error, not a NaN.
    let m = message(stat.evaluate(&[2, 7]).unwrap_err());
    assert!(m.contains("unit 1") && m.contains("phase B"), "{m}");
}

#[test]
fn observed_starts_must_be_an_assignment() {
    let design = Design::marascuilo_busk(vec![Window::new(2, 4), Window::new(6, 8)]).unwrap();
    let m = message(
        randomisation_test(
            &design,
            &[3, 9],
            |_| Ok(0.0),
            &RandomisationOptions::default(),
        )
        .unwrap_err(),
    );
    assert!(
        m.contains("unit 1") && m.contains("outside its window"),
        "{m}"
    );
    let m = message(
        randomisation_test(&design, &[3], |_| Ok(0.0), &RandomisationOptions::default())
            .unwrap_err(),
    );
    assert!(m.contains("one per unit"), "{m}");
    // Koehler–Levin: two units cannot share the one position whose window admits 5.
    let design = Design::koehler_levin(vec![
        Window::new(2, 3),
        Window::new(5, 6),
        Window::new(9, 9),
    ])
    .unwrap();
    let m = message(
        randomisation_test(
            &design,
            &[5, 6, 9],
            |_| Ok(0.0),
            &RandomisationOptions::default(),
        )
        .unwrap_err(),
    );
    assert!(
        m.contains("unit 1") && m.contains("not an assignment"),
        "{m}"
    );
    assert!(randomisation_test(
        &design,
        &[6, 9, 2],
        |_| Ok(0.0),
        &RandomisationOptions::default()
    )
    .is_ok());
}

#[test]
fn a_non_finite_or_failing_statistic_is_an_error() {
    let design = Design::wampold_worsham(3, &[2, 4, 6]).unwrap();
    let opts = RandomisationOptions::default();
    let m = message(
        randomisation_test(
            &design,
            &[2, 4, 6],
            |s| Ok(if s[0] == 6 { f64::NAN } else { 1.0 }),
            &opts,
        )
        .unwrap_err(),
    );
    assert!(m.contains("NaN") && m.contains("assignment"), "{m}");
    let e = randomisation_test(
        &design,
        &[2, 4, 6],
        |_| Err(Error::argument("custom", "boom")),
        &opts,
    )
    .unwrap_err();
    assert!(message(e).contains("boom"));
    let bad = RandomisationOptions {
        draws: 0,
        ..Default::default()
    };
    assert!(
        message(randomisation_test(&design, &[2, 4, 6], |_| Ok(1.0), &bad).unwrap_err())
            .contains("draws")
    );
}

#[test]
fn bad_series_are_errors() {
    let m =
        message(PhaseMeanDifference::new(&[vec![0, 1, 1]], &[vec![1.0, 2.0, 3.0]], 0).unwrap_err());
    assert!(m.contains("unit 0") && m.contains("twice"), "{m}");
    let m = message(
        PhaseMeanDifference::new(
            &[vec![0, 1], vec![0, 1]],
            &[vec![1.0, 2.0], vec![1.0, f64::NAN]],
            0,
        )
        .unwrap_err(),
    );
    assert!(m.contains("y[1]") && m.contains("row 1"), "{m}");
    assert!(PhaseMeanDifference::new(&[vec![0, 1]], &[vec![1.0]], 0).is_err());
    assert!(PhaseMeanDifference::new(&[vec![0, 1]], &[vec![1.0, 2.0]], -1).is_err());
    assert!(PhaseMeanDifference::new(&[], &[], 0).is_err());
}
