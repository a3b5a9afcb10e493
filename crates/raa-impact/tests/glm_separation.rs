//! Separation is detected and the separating covariates are named.

use raa_impact::glm::{fit_binomial, GlmOptions, GlmWarning, SeparationKind};

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

fn separation(w: &[GlmWarning]) -> Vec<(SeparationKind, Vec<String>)> {
    w.iter()
        .filter_map(|w| match w {
            GlmWarning::Separation { kind, covariates } => Some((*kind, covariates.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn complete_separation_by_one_covariate() {
    let x: Vec<f64> = (0..12).map(|i| i as f64).collect();
    let z = [0.4, 1.1, 0.2, 0.9, 0.5, 0.7, 0.3, 0.8, 0.6, 0.1, 1.0, 0.45];
    let y: Vec<f64> = x.iter().map(|v| if *v > 5.5 { 1.0 } else { 0.0 }).collect();
    let fit =
        fit_binomial(&[&z, &x], &names(&["z", "x"]), &y, &GlmOptions::default()).expect("fit");
    let s = separation(&fit.warnings);
    assert_eq!(
        s,
        vec![(SeparationKind::Complete, names(&["x"]))],
        "{:?}",
        fit.warnings
    );
    assert!(fit
        .warnings
        .iter()
        .any(|w| matches!(w, GlmWarning::FittedAtBoundary { .. })));
    let text = fit
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    assert!(
        text.contains("complete separation of the outcome by `x`"),
        "{text}"
    );
}

#[test]
fn quasi_complete_separation_by_a_dummy() {
    // Every row with d = 1 has y = 1; rows with d = 0 have both outcomes.
    let d = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0];
    let y = [0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0];
    let z = [0.4, 1.1, 0.2, 0.9, 0.5, 0.7, 0.3, 0.8, 0.6, 0.1, 1.0, 0.45];
    let fit =
        fit_binomial(&[&z, &d], &names(&["z", "d"]), &y, &GlmOptions::default()).expect("fit");
    let s = separation(&fit.warnings);
    assert_eq!(
        s,
        vec![(SeparationKind::QuasiComplete, names(&["d"]))],
        "{:?}",
        fit.warnings
    );
    // The dummy's coefficient runs away, as in R.
    assert!(fit.coefficients[2] > 10.0, "{:?}", fit.coefficients);
}

#[test]
fn complete_separation_by_a_combination() {
    // Neither a nor b separates alone, a + b does.
    let a = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5];
    let b = [
        5.0, 3.0, 1.0, -1.0, -3.0, -5.0, 6.0, 4.0, 2.0, 0.0, -2.0, -4.0,
    ];
    let y: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(a, b)| if a + b > 5.2 { 1.0 } else { 0.0 })
        .collect();
    assert!(y.contains(&0.0) && y.contains(&1.0));
    let fit =
        fit_binomial(&[&a, &b], &names(&["a", "b"]), &y, &GlmOptions::default()).expect("fit");
    let s = separation(&fit.warnings);
    assert_eq!(
        s,
        vec![(SeparationKind::Complete, names(&["a", "b"]))],
        "{:?}",
        fit.warnings
    );
}

#[test]
fn overlapping_data_have_no_separation_warning() {
    let x = [0.3, 1.2, 2.2, 2.9, 4.1, 5.3, 5.8, 7.4];
    let y = [0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0];
    let fit = fit_binomial(&[&x], &names(&["x"]), &y, &GlmOptions::default()).expect("fit");
    assert!(
        fit.converged && fit.warnings.is_empty(),
        "{:?}",
        fit.warnings
    );
}
