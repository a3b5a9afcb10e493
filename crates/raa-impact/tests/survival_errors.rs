//! Bad input to the survival estimators: typed errors that name the argument and the row.

use raa_impact::survival::{cox_treatment, cumulative_incidence, kaplan_meier, rmst_difference};

fn message<T: std::fmt::Debug>(r: raa_impact::Result<T>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn times_and_weights() {
    let e = message(kaplan_meier(&[1.0, f64::NAN], &[true, true], None));
    assert!(e.contains("`time`") && e.contains("row 1"), "{e}");
    let e = message(kaplan_meier(&[1.0, -2.0], &[true, true], None));
    assert!(e.contains("`time`") && e.contains("row 1"), "{e}");
    let e = message(kaplan_meier(&[], &[], None));
    assert!(e.contains("`time`") && e.contains("empty"), "{e}");
    let e = message(kaplan_meier(&[1.0, 2.0], &[true], None));
    assert!(e.contains("`event`"), "{e}");
    let e = message(kaplan_meier(&[1.0, 2.0], &[true, true], Some(&[1.0, 0.0])));
    assert!(e.contains("`weights`") && e.contains("row 1"), "{e}");
    let e = message(kaplan_meier(
        &[1.0, 2.0],
        &[true, true],
        Some(&[f64::NAN, 1.0]),
    ));
    assert!(e.contains("`weights`") && e.contains("row 0"), "{e}");
    let e = message(cumulative_incidence(&[1.0, 2.0], &[1], None));
    assert!(e.contains("`status`"), "{e}");
    let e = message(cumulative_incidence(
        &[1.0, 2.0],
        &[1, 1],
        Some(&[1.0, -1.0]),
    ));
    assert!(e.contains("`weights`") && e.contains("row 1"), "{e}");
}

#[test]
fn rmst_arms_and_tau() {
    let time = [1.0, 5.0, 2.0, 9.0];
    let event = [true, true, true, false];
    let treated = [true, true, false, false];
    let e = message(rmst_difference(&time, &event, &treated, None, None, 6.0));
    assert!(
        e.contains("`tau`") && e.contains("treated arm") && e.contains("5"),
        "{e}"
    );
    let e = message(rmst_difference(&time, &event, &[true; 4], None, None, 1.0));
    assert!(e.contains("`treated`") && e.contains("control arm"), "{e}");
    let e = message(rmst_difference(&time, &event, &treated, None, None, 0.0));
    assert!(e.contains("`tau`"), "{e}");
    let e = message(rmst_difference(
        &time,
        &event,
        &treated,
        None,
        None,
        f64::NAN,
    ));
    assert!(e.contains("`tau`"), "{e}");
    let e = message(rmst_difference(
        &time,
        &event,
        &treated,
        None,
        Some(&[1, 2]),
        2.0,
    ));
    assert!(e.contains("`cluster`"), "{e}");
    let e = message(rmst_difference(
        &time,
        &event,
        &treated[..3],
        None,
        None,
        2.0,
    ));
    assert!(e.contains("`treated`"), "{e}");
    assert!(rmst_difference(&time, &event, &treated, None, None, 5.0).is_ok());
}

#[test]
fn cox_needs_events_in_both_arms() {
    let time = [1.0, 2.0, 3.0, 4.0];
    let e = message(cox_treatment(
        &time,
        &[true, false, true, false],
        &[false, true, false, true],
        None,
        None,
    ));
    assert!(e.contains("`event`") && e.contains("treated arm"), "{e}");
    let e = message(cox_treatment(&time, &[true; 4], &[false; 4], None, None));
    assert!(
        e.contains("`treated`") && e.contains("treated arm has no rows"),
        "{e}"
    );
    let e = message(cox_treatment(
        &time,
        &[true; 4],
        &[true, false, true, false],
        Some(&[1.0, 1.0, 1.0, 0.0]),
        None,
    ));
    assert!(e.contains("`weights`") && e.contains("row 3"), "{e}");
}
