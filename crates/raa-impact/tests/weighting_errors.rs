//! Bad input to the weighting estimators: typed errors that name the argument, column and row.

use raa_impact::weighting::{aipw_effect, ipw_effect, ps_weights, WeightScheme, WeightingOptions};
use raa_impact::Error;

struct Data {
    y: Vec<f64>,
    treated: Vec<bool>,
    x: Vec<f64>,
    z: Vec<f64>,
}

fn data() -> Data {
    let n = 40;
    let x: Vec<f64> = (0..n).map(|i| ((i * 7) % 11) as f64 / 3.0).collect();
    let z: Vec<f64> = (0..n).map(|i| ((i * 5) % 13) as f64).collect();
    let treated: Vec<bool> = (0..n).map(|i| (i * 3 + i / 7) % 5 < 2).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| x[i] + z[i] / 10.0 + f64::from(u8::from(treated[i])))
        .collect();
    Data { y, treated, x, z }
}

fn names() -> Vec<String> {
    vec!["x".to_string(), "z".to_string()]
}

fn ipw(d: &Data, options: &WeightingOptions) -> Result<f64, Error> {
    ipw_effect(&d.y, &d.treated, &[&d.x, &d.z], &names(), options).map(|(e, _)| e.estimate)
}

fn aipw(d: &Data, options: &WeightingOptions) -> Result<f64, Error> {
    let n = names();
    aipw_effect(
        &d.y,
        &d.treated,
        &[&d.x, &d.z],
        &n,
        &[&d.x, &d.z],
        &n,
        options,
    )
    .map(|e| e.estimate)
}

/// The error is an `Argument` error whose text contains every fragment.
fn assert_argument(r: Result<f64, Error>, fragments: &[&str]) {
    match r {
        Err(e @ Error::Argument { .. }) => {
            let text = e.to_string();
            for f in fragments {
                assert!(text.contains(f), "`{text}` lacks `{f}`");
            }
        }
        other => panic!("expected an argument error, got {other:?}"),
    }
}

#[test]
fn good_data_works_for_both_estimators() {
    let d = data();
    assert!(ipw(&d, &WeightingOptions::default()).unwrap().is_finite());
    assert!(aipw(&d, &WeightingOptions::default()).unwrap().is_finite());
}

#[test]
fn nan_in_y_names_y_and_row() {
    let mut d = data();
    d.y[3] = f64::NAN;
    assert_argument(
        ipw(&d, &WeightingOptions::default()),
        &["`y`", "row 3", "NaN"],
    );
    assert_argument(aipw(&d, &WeightingOptions::default()), &["`y`", "row 3"]);
}

#[test]
fn nan_or_infinity_in_a_column_names_column_and_row() {
    let mut d = data();
    d.z[17] = f64::NAN;
    assert_argument(ipw(&d, &WeightingOptions::default()), &["`z`", "row 17"]);
    let mut d = data();
    d.x[5] = f64::INFINITY;
    assert_argument(
        aipw(&d, &WeightingOptions::default()),
        &["`x`", "row 5", "inf"],
    );
}

#[test]
fn no_treated_or_no_controls() {
    let mut d = data();
    d.treated = vec![false; d.y.len()];
    assert_argument(
        ipw(&d, &WeightingOptions::default()),
        &["treated", "no treated"],
    );
    d.treated = vec![true; d.y.len()];
    assert_argument(
        aipw(&d, &WeightingOptions::default()),
        &["treated", "no control"],
    );
}

#[test]
fn lengths_differ() {
    let mut d = data();
    d.treated.pop();
    assert_argument(
        ipw(&d, &WeightingOptions::default()),
        &["treated", "39 rows, expected 40"],
    );
    let mut d = data();
    d.x.pop();
    assert_argument(ipw(&d, &WeightingOptions::default()), &["`x`", "39 rows"]);
    let d = data();
    let options = WeightingOptions {
        cluster: Some(vec![1; 10]),
        ..Default::default()
    };
    assert_argument(ipw(&d, &options), &["cluster", "10 rows"]);
    let r = ipw_effect(
        &d.y,
        &d.treated,
        &[&d.x, &d.z],
        &["x".to_string()],
        &Default::default(),
    )
    .map(|(e, _)| e.estimate);
    assert_argument(r, &["2 columns but 1 names"]);
}

#[test]
fn empty_input() {
    let r = ipw_effect(&[], &[], &[], &[], &WeightingOptions::default()).map(|(e, _)| e.estimate);
    assert_argument(r, &["`y`", "empty"]);
}

#[test]
fn scores_at_zero_or_one_name_the_row_and_hint_at_trimming() {
    assert_argument(
        ps_weights(&[0.3, 0.0, 0.5], &[true, false, true], WeightScheme::Att).map(|w| w[0]),
        &["`ps`", "row 1", "trim"],
    );
    assert_argument(
        ps_weights(&[0.3, f64::NAN], &[true, false], WeightScheme::Ate).map(|w| w[0]),
        &["row 1", "NaN"],
    );
    assert_argument(
        ps_weights(&[0.3], &[true, false], WeightScheme::Ate).map(|w| w[0]),
        &["treated"],
    );
    // x separates the groups completely: the logit runs off to scores of 0 and 1.
    let mut d = data();
    d.treated = d.x.iter().map(|x| *x > 1.5).collect();
    assert_argument(
        ipw(&d, &WeightingOptions::default()),
        &["ps_model_columns", "trim"],
    );
    assert_argument(
        aipw(&d, &WeightingOptions::default()),
        &["ps_model_columns", "trim"],
    );
}

#[test]
fn bad_options() {
    let d = data();
    let o = WeightingOptions {
        level: 1.0,
        ..Default::default()
    };
    assert_argument(ipw(&d, &o), &["level"]);
    let o = WeightingOptions {
        cluster: Some(vec![7; 40]),
        ..Default::default()
    };
    assert_argument(ipw(&d, &o), &["cluster", "single cluster"]);
    let o = WeightingOptions {
        scheme: WeightScheme::Overlap,
        ..Default::default()
    };
    assert_argument(aipw(&d, &o), &["scheme", "overlap"]);
}

#[test]
fn outcome_column_constant_within_an_arm() {
    let d = data();
    // Constant among the controls, varying among the treated: the control regression is singular.
    let c: Vec<f64> = d
        .treated
        .iter()
        .zip(&d.x)
        .map(|(t, x)| if *t { *x } else { 1.0 })
        .collect();
    let n = names();
    let r = aipw_effect(
        &d.y,
        &d.treated,
        &[&d.x, &d.z],
        &n,
        &[&c],
        &["c".to_string()],
        &Default::default(),
    )
    .map(|e| e.estimate);
    assert_argument(r, &["outcome_columns", "control arm"]);
}

/// One extra control whose covariate puts its score near `target` under the base fit.
fn with_extreme_control(target: f64) -> Data {
    use raa_impact::glm::{fit_binomial, GlmOptions};
    let mut d = data();
    let t: Vec<f64> = d.treated.iter().map(|&b| f64::from(u8::from(b))).collect();
    let fit = fit_binomial(&[&d.x], &["x".to_string()], &t, &GlmOptions::default()).unwrap();
    let (b0, b1) = (fit.coefficients[0], fit.coefficients[1]);
    let x = ((target / (1.0 - target)).ln() - b0) / b1;
    d.x.push(x);
    d.z.push(0.0);
    d.treated.push(false);
    d.y.push(0.0);
    d
}

#[test]
fn scores_near_the_boundary_warn_and_numerically_zero_scores_fail() {
    let one = |d: &Data| {
        ipw_effect(
            &d.y,
            &d.treated,
            &[&d.x],
            &["x".to_string()],
            &Default::default(),
        )
    };
    let d = with_extreme_control(1e-6);
    let (e, _) = one(&d).unwrap();
    assert!(
        e.se_method.contains("warning: 1 propensity scores"),
        "{}",
        e.se_method
    );
    let clean = one(&data()).unwrap().0;
    assert!(!clean.se_method.contains("warning"), "{}", clean.se_method);
    let d = with_extreme_control(1e-11);
    assert_argument(
        one(&d).map(|(e, _)| e.estimate),
        &["row 40", "numerically 0 or 1", "trim"],
    );
}
