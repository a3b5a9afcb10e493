//! Bad input gives a typed `Error::Argument` naming the problem, never a panic or a NaN.

use raa_impact::mixed::{fit_mixed, MixedInput, MixedOptions, Residual};
use raa_impact::Error;

struct Data {
    y: Vec<f64>,
    t: Vec<f64>,
    w: Vec<f64>,
    unit: Vec<u64>,
    group: Vec<u64>,
}

fn data() -> Data {
    let mut d = Data {
        y: vec![],
        t: vec![],
        w: vec![],
        unit: vec![],
        group: vec![],
    };
    for u in 0..6u64 {
        for s in 0..5 {
            d.t.push(s as f64);
            d.w.push(u as f64 * 0.5);
            d.unit.push(u);
            d.group.push(u / 3);
            d.y.push(1.0 + 0.2 * s as f64 + ((u * 5 + s) as f64 * 1.7).sin());
        }
    }
    d
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

fn message(r: raa_impact::Result<raa_impact::mixed::MixedFit>) -> String {
    match r {
        Err(e @ Error::Argument { .. }) => e.to_string(),
        Err(e) => panic!("expected an argument error, got {e}"),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn nan_names_column_and_row() {
    let mut d = data();
    d.w[7] = f64::NAN;
    let n = names(&["time", "w"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t, &d.w],
        x_names: &n,
        unit: &d.unit,
        group: None,
        time: &d.t,
    };
    let m = message(fit_mixed(&input, &MixedOptions::default()));
    assert!(m.contains('w') && m.contains('7'), "{m}");
}

#[test]
fn lengths_differ() {
    let d = data();
    let n = names(&["time"]);
    let short = &d.unit[..10];
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t],
        x_names: &n,
        unit: short,
        group: None,
        time: &d.t,
    };
    assert!(message(fit_mixed(&input, &MixedOptions::default())).contains("unit"));
}

#[test]
fn rank_deficient_x_names_the_column() {
    let d = data();
    let twice: Vec<f64> = d.t.iter().map(|v| 2.0 * v + 1.0).collect();
    let n = names(&["time", "time2"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t, &twice],
        x_names: &n,
        unit: &d.unit,
        group: None,
        time: &d.t,
    };
    let m = message(fit_mixed(&input, &MixedOptions::default()));
    assert!(m.contains("`time2`"), "{m}");
}

#[test]
fn random_column_not_in_x() {
    let d = data();
    let n = names(&["time"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t],
        x_names: &n,
        unit: &d.unit,
        group: None,
        time: &d.t,
    };
    let o = MixedOptions {
        random: names(&["(Intercept)", "slope"]),
        ..Default::default()
    };
    let m = message(fit_mixed(&input, &o));
    assert!(
        m.contains("`slope`") && m.contains("not a fixed-effect column"),
        "{m}"
    );
}

#[test]
fn unit_with_too_few_points() {
    let mut d = data();
    d.unit[29] = 99;
    let n = names(&["time"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t],
        x_names: &n,
        unit: &d.unit,
        group: None,
        time: &d.t,
    };
    let m = message(fit_mixed(&input, &MixedOptions::default()));
    assert!(m.contains("unit 99") && m.contains("1 observation"), "{m}");
}

#[test]
fn duplicate_times_and_non_integer_times_with_ar1() {
    let mut d = data();
    d.t[1] = 0.0;
    let n = names(&["time"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t],
        x_names: &n,
        unit: &d.unit,
        group: None,
        time: &d.t,
    };
    assert!(message(fit_mixed(&input, &MixedOptions::default())).contains("distinct times"));
    let mut d = data();
    d.t[3] = 2.5;
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t],
        x_names: &n,
        unit: &d.unit,
        group: None,
        time: &d.t,
    };
    let o = MixedOptions {
        residual: Residual::Ar1,
        ..Default::default()
    };
    assert!(message(fit_mixed(&input, &o)).contains("integer times"));
}

#[test]
fn units_not_nested_in_groups() {
    let mut d = data();
    d.group[4] = 1;
    let n = names(&["time"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t],
        x_names: &n,
        unit: &d.unit,
        group: Some(&d.group),
        time: &d.t,
    };
    assert!(message(fit_mixed(&input, &MixedOptions::default())).contains("nested"));
}

#[test]
fn a_between_unit_constant_in_x_is_fine_and_names_mismatch_is_not() {
    let d = data();
    let n = names(&["time", "w"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t, &d.w],
        x_names: &n,
        unit: &d.unit,
        group: Some(&d.group),
        time: &d.t,
    };
    let fit = fit_mixed(&input, &MixedOptions::default()).expect("fit");
    assert!(fit.std_errors.iter().chain(&fit.df).all(|v| v.is_finite()));
    let n1 = names(&["time"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t, &d.w],
        x_names: &n1,
        unit: &d.unit,
        group: None,
        time: &d.t,
    };
    assert!(message(fit_mixed(&input, &MixedOptions::default())).contains("x_names"));
}

/// No random effects and independent residuals: the model is OLS (β̂, and df = n − p exactly).
#[test]
fn no_random_effects_is_ordinary_least_squares() {
    let d = data();
    let n = names(&["time", "w"]);
    let input = MixedInput {
        y: &d.y,
        x: &[&d.t, &d.w],
        x_names: &n,
        unit: &d.unit,
        group: None,
        time: &d.t,
    };
    let fit = fit_mixed(
        &input,
        &MixedOptions {
            random: vec![],
            ..Default::default()
        },
    )
    .expect("fit");
    let rows = d.y.len();
    let x = nalgebra::DMatrix::from_fn(rows, 3, |i, j| match j {
        0 => 1.0,
        1 => d.t[i],
        _ => d.w[i],
    });
    let y = nalgebra::DVector::from_column_slice(&d.y);
    let beta = (x.transpose() * &x)
        .cholesky()
        .expect("chol")
        .solve(&(x.transpose() * y));
    for j in 0..3 {
        assert!(
            (fit.coefficients[j] - beta[j]).abs() < 1e-10,
            "{:?} vs {beta}",
            fit.coefficients
        );
        assert!((fit.df[j] - (rows - 3) as f64).abs() < 1e-3, "{:?}", fit.df);
    }
}
