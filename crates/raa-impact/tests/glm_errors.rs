//! Bad input gives typed argument errors that name the problem.

use raa_impact::glm::{fit_binomial, GlmOptions};
use raa_impact::Error;

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

fn message(r: raa_impact::Result<raa_impact::glm::GlmFit>) -> String {
    match r {
        Err(e @ Error::Argument { .. }) => e.to_string(),
        other => panic!("expected an argument error, got {other:?}"),
    }
}

const X: [f64; 8] = [0.3, 1.2, 2.2, 2.9, 4.1, 5.3, 5.8, 7.4];
const Y: [f64; 8] = [0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0];

#[test]
fn lengths_differ() {
    let short = [1.0, 2.0];
    let m = message(fit_binomial(
        &[&short],
        &names(&["x"]),
        &Y,
        &GlmOptions::default(),
    ));
    assert!(m.contains("`x`") && m.contains("2 rows"), "{m}");
    let m = message(fit_binomial(
        &[&X],
        &names(&["x", "z"]),
        &Y,
        &GlmOptions::default(),
    ));
    assert!(m.contains("names"), "{m}");
}

#[test]
fn non_finite_value_names_column_and_row() {
    let mut x = X;
    x[5] = f64::NAN;
    let m = message(fit_binomial(
        &[&X, &x],
        &names(&["a", "b"]),
        &Y,
        &GlmOptions::default(),
    ));
    assert!(m.contains("`b`") && m.contains("row 5"), "{m}");
    x[5] = f64::INFINITY;
    let m = message(fit_binomial(
        &[&x],
        &names(&["b"]),
        &Y,
        &GlmOptions::default(),
    ));
    assert!(m.contains("inf"), "{m}");
}

#[test]
fn outcome_must_be_binary_and_vary() {
    let mut y = Y;
    y[3] = 0.5;
    let m = message(fit_binomial(
        &[&X],
        &names(&["x"]),
        &y,
        &GlmOptions::default(),
    ));
    assert!(m.contains("row 3") && m.contains("0 or 1"), "{m}");
    let m = message(fit_binomial(
        &[&X],
        &names(&["x"]),
        &[1.0; 8],
        &GlmOptions::default(),
    ));
    assert!(m.contains("no variation"), "{m}");
}

#[test]
fn constant_and_collinear_covariates_are_named() {
    let c = [3.0; 8];
    let m = message(fit_binomial(
        &[&X, &c],
        &names(&["x", "k"]),
        &Y,
        &GlmOptions::default(),
    ));
    assert!(
        m.contains("`k`") && m.contains("constant") && m.contains("NA"),
        "{m}"
    );
    let z: Vec<f64> = X.iter().map(|v| 2.0 * v - 1.0).collect();
    let w = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
    let m = message(fit_binomial(
        &[&X, &w, &z],
        &names(&["x", "w", "z"]),
        &Y,
        &GlmOptions::default(),
    ));
    assert!(m.contains("`z` = combination of `(Intercept)`, `x`"), "{m}");
    assert!(!m.contains("`w`"), "w is not involved: {m}");
    assert!(m.contains("collinear") && m.contains("NA"), "{m}");
}

#[test]
fn too_few_rows_and_bad_options() {
    let x = [1.0, 2.0, 3.0];
    let m = message(fit_binomial(
        &[&x, &[1.0, 5.0, 2.0]],
        &names(&["a", "b"]),
        &[0.0, 1.0, 1.0],
        &GlmOptions::default(),
    ));
    assert!(m.contains("3 rows") && m.contains("3 coefficients"), "{m}");
    let o = GlmOptions {
        weights: Some(vec![1.0; 7]),
        ..GlmOptions::default()
    };
    assert!(message(fit_binomial(&[&X], &names(&["x"]), &Y, &o)).contains("weights"));
    let mut w = vec![1.0; 8];
    w[2] = -1.0;
    let o = GlmOptions {
        weights: Some(w),
        ..GlmOptions::default()
    };
    assert!(message(fit_binomial(&[&X], &names(&["x"]), &Y, &o)).contains("row 2"));
    let o = GlmOptions {
        max_iter: 0,
        ..GlmOptions::default()
    };
    assert!(message(fit_binomial(&[&X], &names(&["x"]), &Y, &o)).contains("max_iter"));
}

#[test]
fn predict_checks_its_input() {
    let fit = fit_binomial(&[&X], &names(&["x"]), &Y, &GlmOptions::default()).expect("fit");
    assert!(fit.predict(&[]).is_err());
    assert!(fit.predict(&[&[f64::NAN]]).is_err());
    let p = fit.predict(&[&X, &X]);
    assert!(p.is_err(), "one column expected, {p:?}");
    let p = fit.predict(&[&X]).expect("predict");
    for (a, b) in p.iter().zip(&fit.fitted) {
        assert!((a - b).abs() < 1e-15);
    }
}
