//! E-values against VanderWeele & Ding (2017), Annals of Internal Medicine 167:268–274.

use raa_impact::sensitivity::{evalue_difference, evalue_hazard_ratio, evalue_risk_ratio, EValue};

#[test]
fn worked_example_risk_ratio_3_9() {
    // Their breastfeeding example: RR 3.9 (95% CI 1.8 to 8.7); E-values 7.26 (point) and 3.0 (limit).
    let e = evalue_risk_ratio(3.9, 1.8, 8.7).unwrap();
    assert!((e.point - 7.26).abs() < 0.005, "{e:?}");
    assert!((e.ci_limit - 3.0).abs() < 0.005, "{e:?}");
}

#[test]
fn protective_estimates_are_inverted_and_null_intervals_give_one() {
    let a = evalue_risk_ratio(0.8, 0.7, 0.9).unwrap();
    let b = evalue_risk_ratio(1.25, 1.0 / 0.9, 1.0 / 0.7).unwrap();
    assert!((a.point - b.point).abs() < 1e-12 && (a.ci_limit - b.ci_limit).abs() < 1e-12);
    let crossing = evalue_risk_ratio(1.3, 0.9, 1.8).unwrap();
    assert_eq!(crossing.ci_limit, 1.0);
    assert_eq!(
        evalue_risk_ratio(1.0, 0.8, 1.2).unwrap(),
        EValue {
            point: 1.0,
            ci_limit: 1.0
        }
    );
}

#[test]
fn hazard_ratio_rare_and_common() {
    let rare = evalue_hazard_ratio(0.56, 0.46, 0.69, false).unwrap();
    assert_eq!(rare, evalue_risk_ratio(0.56, 0.46, 0.69).unwrap());
    // Common outcome: HR is shrunk toward 1 before the E-value, so the E-value is smaller.
    let common = evalue_hazard_ratio(0.56, 0.46, 0.69, true).unwrap();
    assert!(common.point < rare.point && common.ci_limit < rare.ci_limit);
    // Conversion for HR = 4: (1 - 0.5^2) / (1 - 0.5^0.5) = 0.75 / 0.29289... = 2.5607
    let rr = 0.75 / (1.0 - 0.5_f64.sqrt());
    let e = evalue_hazard_ratio(4.0, 3.0, 5.0, true).unwrap();
    assert!((e.point - (rr + (rr * (rr - 1.0)).sqrt())).abs() < 1e-12);
}

#[test]
fn mean_difference_uses_exp_0_91_d() {
    // d = 0.6 / 2 = 0.3 -> RR = exp(0.273); lower limit exp(0.273 - 1.78 * 0.05) = exp(0.184)
    let e = evalue_difference(0.6, 0.1, 2.0).unwrap();
    let f = |r: f64| r + (r * (r - 1.0)).sqrt();
    assert!((e.point - f(0.273_f64.exp())).abs() < 1e-12);
    assert!((e.ci_limit - f(0.184_f64.exp())).abs() < 1e-12);
    // A negative difference is symmetric.
    let n = evalue_difference(-0.6, 0.1, 2.0).unwrap();
    assert!((n.point - e.point).abs() < 1e-12 && (n.ci_limit - e.ci_limit).abs() < 1e-12);
}

#[test]
fn bad_input_names_the_argument() {
    for (res, name) in [
        (evalue_risk_ratio(-1.0, 0.5, 2.0), "rr"),
        (evalue_risk_ratio(1.5, 1.6, 2.0), "lo"),
        (evalue_difference(f64::NAN, 0.1, 1.0), "estimate"),
        (evalue_difference(0.5, -0.1, 1.0), "se"),
        (evalue_difference(0.5, 0.1, 0.0), "sd_outcome"),
        (evalue_hazard_ratio(1.5, 1.2, f64::INFINITY, true), "hi"),
    ] {
        let e = res.unwrap_err().to_string();
        assert!(e.contains(&format!("`{name}`")), "{e}");
    }
}
