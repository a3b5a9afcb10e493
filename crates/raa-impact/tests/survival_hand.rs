//! Survival estimators on cases small enough to compute by hand, and their internal identities.

use raa_impact::survival::{cox_treatment, cumulative_incidence, kaplan_meier, rmst_difference};

fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

#[test]
fn km_by_hand() {
    let time = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0];
    let event = [true, true, false, true, false, true];
    let km = kaplan_meier(&time, &event, None).unwrap();
    assert_eq!(km.time, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(km.n_risk, vec![6.0, 5.0, 3.0, 2.0, 1.0]);
    assert_eq!(km.n_censor, vec![0.0, 1.0, 0.0, 1.0, 0.0]);
    let s3 = 5.0 / 6.0 * 4.0 / 5.0 * 2.0 / 3.0;
    assert!(near(km.survival[2], s3, 1e-14));
    assert_eq!(km.survival[4], 0.0);
    // Greenwood: S^2 * sum d / (n (n - d))
    let var = s3 * s3 * (1.0 / 30.0 + 1.0 / 20.0 + 1.0 / 6.0);
    assert!(near(km.std_err[2], var.sqrt(), 1e-14));
    let sd_log = var.sqrt() / s3;
    assert!(near(
        km.lower[2],
        s3 * (-1.959963984540054 * sd_log).exp(),
        1e-14
    ));
    assert!(km.std_err[4].is_nan() && km.lower[4].is_nan());
    assert_eq!(km.at(0.5), 1.0);
    assert_eq!(km.at(3.0), km.survival[2]);
    assert_eq!(km.at(99.0), 0.0);
    // RMST to 3.5: 1 + (5/6)(1) + (2/3)(1) + s3 (0.5)
    assert!(near(
        km.rmst(3.5),
        1.0 + 5.0 / 6.0 + 2.0 / 3.0 + 0.5 * s3,
        1e-14
    ));
}

#[test]
fn median_rules() {
    // S steps 0.75, 0.5, 0.25, 0: S = 0.5 on [2, 3), so R reports the midpoint 2.5.
    let km = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], &[true; 4], None).unwrap();
    assert_eq!(km.median(), Some(2.5));
    // S = 0.5 to the end (last rows censored): the first time it reaches 0.5.
    let km = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], &[true, true, false, false], None).unwrap();
    assert_eq!(km.median(), Some(2.0));
    // Never reaches 0.5.
    let km = kaplan_meier(&[1.0, 2.0, 3.0], &[true, false, false], None).unwrap();
    assert_eq!(km.median(), None);
}

#[test]
fn integer_weights_equal_duplicated_rows() {
    let time = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
    let event = [true, false, true, true, false, true, true, true];
    let w = [2.0, 1.0, 3.0, 1.0, 2.0, 1.0, 1.0, 2.0];
    let (mut t2, mut e2) = (Vec::new(), Vec::new());
    for i in 0..time.len() {
        for _ in 0..w[i] as usize {
            t2.push(time[i]);
            e2.push(event[i]);
        }
    }
    let a = kaplan_meier(&time, &event, Some(&w)).unwrap();
    let b = kaplan_meier(&t2, &e2, None).unwrap();
    assert_eq!(a.time, b.time);
    assert_eq!(a.n_risk, b.n_risk);
    for (x, y) in a.survival.iter().zip(&b.survival) {
        assert!(near(*x, *y, 1e-14));
    }
    let ci = cumulative_incidence(&time, &event.map(u8::from), Some(&w)).unwrap();
    let cj = cumulative_incidence(
        &t2,
        &e2.iter().map(|&e| u8::from(e)).collect::<Vec<_>>(),
        None,
    )
    .unwrap();
    for (x, y) in ci.incidence.iter().zip(&cj.incidence) {
        assert!(near(*x, *y, 1e-14));
    }
}

#[test]
fn incidence_without_competing_events_is_one_minus_km() {
    let time = [5.0, 3.0, 8.0, 3.0, 1.0, 9.0, 7.0, 2.0, 6.0, 4.0];
    let event = [
        true, true, false, true, false, true, true, false, true, true,
    ];
    let km = kaplan_meier(&time, &event, None).unwrap();
    let status: Vec<u8> = event.iter().map(|&e| u8::from(e)).collect();
    let ci = cumulative_incidence(&time, &status, None).unwrap();
    for k in 0..km.time.len() - 1 {
        assert!(near(ci.incidence[k], 1.0 - km.survival[k], 1e-14));
        // With unit weights the jackknife SE equals Greenwood's.
        assert!(near(ci.std_err[k], km.std_err[k], 1e-10), "{k}");
    }
}

#[test]
fn competing_event_by_hand() {
    // 1 cause-1, 2 competing, 3 censored, 4 cause-1
    let ci = cumulative_incidence(&[1.0, 2.0, 3.0, 4.0], &[1, 2, 0, 1], None).unwrap();
    assert_eq!(ci.incidence, vec![0.25, 0.25, 0.25, 0.75]);
}

/// Weighted influence of one row recovered from the cluster variance: put row k alone in a
/// cluster and every other row in another. Each arm's weighted influences sum to zero, so the
/// two cluster totals are ±w_k IF_k and se = sqrt(2) |w_k IF_k|. Compare with a numerical
/// derivative of the estimate with respect to the row's weight.
#[test]
fn rmst_influence_is_the_derivative_with_respect_to_a_weight() {
    let time: Vec<f64> = (0..40)
        .map(|i| ((i * 37) % 41) as f64 + 0.5 * (i % 3) as f64)
        .collect();
    let event: Vec<bool> = (0..40).map(|i| i % 4 != 0).collect();
    let treated: Vec<bool> = (0..40).map(|i| i % 2 == 0).collect();
    let w: Vec<f64> = (0..40).map(|i| 0.5 + (i % 5) as f64 * 0.3).collect();
    let tau = 30.0;
    for k in [3usize, 10, 17, 28] {
        let cluster: Vec<u64> = (0..40).map(|i| u64::from(i == k)).collect();
        let r = rmst_difference(&time, &event, &treated, Some(&w), Some(&cluster), tau).unwrap();
        let h = 1e-6;
        let mut wp = w.clone();
        wp[k] += h;
        let mut wm = w.clone();
        wm[k] -= h;
        let up = rmst_difference(&time, &event, &treated, Some(&wp), None, tau)
            .unwrap()
            .estimate;
        let dn = rmst_difference(&time, &event, &treated, Some(&wm), None, tau)
            .unwrap()
            .estimate;
        let derivative = (up - dn) / (2.0 * h);
        let from_se = r.se / 2f64.sqrt();
        assert!(
            (from_se - (w[k] * derivative).abs()).abs() < 1e-6,
            "row {k}: {from_se} vs {}",
            w[k] * derivative
        );
    }
}

#[test]
fn cox_without_ties_has_no_efron_correction_and_symmetry_holds() {
    let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    let event = [true, true, true, false, true, true, true, true, false, true];
    let treated = [
        true, false, true, true, false, true, false, false, true, false,
    ];
    let a = cox_treatment(&time, &event, &treated, None, None).unwrap();
    let flipped: Vec<bool> = treated.iter().map(|t| !t).collect();
    let b = cox_treatment(&time, &event, &flipped, None, None).unwrap();
    assert!(near(a.log_hazard_ratio, -b.log_hazard_ratio, 1e-10));
    assert!(near(a.se, b.se, 1e-10));
    // Newton–Raphson converges in a handful of steps on a well-posed fit.
    assert!(a.iterations < 20);
    // Doubling all weights leaves the estimate unchanged and shrinks the naive SE by sqrt(2).
    let w = [2.0; 10];
    let c = cox_treatment(&time, &event, &treated, Some(&w), None).unwrap();
    assert!(near(c.log_hazard_ratio, a.log_hazard_ratio, 1e-10));
    assert!(near(c.se * 2f64.sqrt(), a.se, 1e-10));
}
