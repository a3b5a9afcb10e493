//! Bad panels are typed errors naming the unit and time; non-imputable cells are documented.

use raa_impact::inference::ClusterAdjust;
use raa_impact::twfe::{bacon_decomposition, imputation, twfe, Panel};
use raa_impact::Error;

fn message(e: Error) -> String {
    match e {
        Error::Argument { name, message } => format!("{name}: {message}"),
        other => panic!("expected an argument error, got {other:?}"),
    }
}

#[test]
fn an_unbalanced_panel_names_the_missing_cell() {
    let m = message(
        Panel::new(&[1, 1, 2], &[1, 2, 1], &[0.0, 0.0, 0.0], &[1.0, 2.0, 3.0]).unwrap_err(),
    );
    assert!(
        m.contains("unit 2 has no row at time 2") && m.contains("balanced"),
        "{m}"
    );
}

#[test]
fn duplicates_reversals_and_bad_values_are_errors() {
    let m = message(Panel::new(&[1, 1, 2, 2], &[1, 1, 1, 2], &[0.0; 4], &[1.0; 4]).unwrap_err());
    assert!(m.contains("unit 1 at time 1 appears twice"), "{m}");
    let m = message(
        Panel::new(
            &[1, 1, 1, 2, 2, 2],
            &[1, 2, 3, 1, 2, 3],
            &[0., 1., 0., 0., 0., 0.],
            &[1.0; 6],
        )
        .unwrap_err(),
    );
    assert!(m.contains("unit 1") && m.contains("absorbing"), "{m}");
    let m = message(
        Panel::new(&[1, 1, 2, 2], &[1, 2, 1, 2], &[0., 0.5, 0., 0.], &[1.0; 4]).unwrap_err(),
    );
    assert!(m.contains("row 1") && m.contains("0 or 1"), "{m}");
    let m = message(
        Panel::new(
            &[1, 1, 2, 2],
            &[1, 2, 1, 2],
            &[0.; 4],
            &[1.0, f64::NAN, 1.0, 1.0],
        )
        .unwrap_err(),
    );
    assert!(m.contains("y") && m.contains("row 1"), "{m}");
    let p = Panel::new(
        &[1, 1, 2, 2],
        &[1, 2, 1, 2],
        &[0.; 4],
        &[1.0, 2.0, 1.0, 1.0],
    )
    .unwrap();
    let m = message(p.with_clusters(&[1, 1, 2, 2], &[7, 8, 9, 9]).unwrap_err());
    assert!(m.contains("unit 1") && m.contains("nest"), "{m}");
}

#[test]
fn no_treatment_variation_is_an_error() {
    let p = Panel::new(
        &[1, 1, 2, 2],
        &[1, 2, 1, 2],
        &[0.; 4],
        &[1.0, 2.0, 1.0, 1.0],
    )
    .unwrap();
    assert!(message(twfe(&p, ClusterAdjust::Hc1).unwrap_err()).contains("no variation"));
    assert!(message(bacon_decomposition(&p).unwrap_err()).contains("no variation"));
    assert!(message(imputation(&p).unwrap_err()).contains("no treated"));
    let all = Panel::new(
        &[1, 1, 2, 2],
        &[1, 2, 1, 2],
        &[1.; 4],
        &[1.0, 2.0, 1.0, 1.0],
    )
    .unwrap();
    assert!(message(imputation(&all).unwrap_err()).contains("no untreated"));
    assert!(twfe(&all, ClusterAdjust::None).is_err());
}

#[test]
fn cells_without_untreated_comparisons_are_left_out_and_counted() {
    // Everyone treated at time 3: those cells have no untreated unit to estimate λ_3.
    let unit = [1, 1, 1, 2, 2, 2, 3, 3, 3];
    let time = [1, 2, 3, 1, 2, 3, 1, 2, 3];
    let d = [0., 1., 1., 0., 0., 1., 0., 0., 1.];
    let y = [1., 3., 3., 2., 2.5, 4., 0., 0.5, 2.];
    let fit = imputation(&Panel::new(&unit, &time, &d, &y).unwrap()).unwrap();
    assert_eq!(fit.n_not_imputable, 3);
    assert_eq!(fit.overall.n_obs, 1);
    // Unit 1 at time 2: 3 − (α₁ = 1) − (λ₂ = mean(2.5 − 2, 0.5 − 0) = 0.5) = 1.5.
    assert!((fit.overall.estimate - 1.5).abs() < 1e-12);
}
