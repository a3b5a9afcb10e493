//! Properties of the weighting estimators that hold for any data: row order does not matter, the
//! estimate and SE scale with the outcome, overlap weights balance the score-model covariates
//! exactly, and the HC0 SE equals the crate's own weighted-regression sandwich.

use proptest::prelude::*;
use raa_impact::inference::{vcov_hc, wls};
use raa_impact::weighting::{aipw_effect, ipw_effect, WeightScheme, WeightingOptions};

/// A data set of `n` rows from a seed: two covariates, a treatment that depends on them, an outcome.
fn data(n: usize, seed: u64) -> (Vec<f64>, Vec<bool>, Vec<f64>, Vec<f64>) {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut x1 = vec![];
    let mut x2 = vec![];
    let mut t = vec![];
    let mut y = vec![];
    for _ in 0..n {
        let a = next() * 4.0 - 2.0;
        let b = f64::from(u8::from(next() < 0.4));
        let e = 1.0 / (1.0 + (0.2 - 0.7 * a + 0.5 * b).exp());
        let tr = next() < e;
        x1.push(a);
        x2.push(b);
        t.push(tr);
        y.push(a + 2.0 * b + if tr { 1.0 } else { 0.0 } + next());
    }
    (y, t, x1, x2)
}

const SCHEMES: [WeightScheme; 4] = [
    WeightScheme::Ate,
    WeightScheme::Att,
    WeightScheme::Atc,
    WeightScheme::Overlap,
];

fn names() -> Vec<String> {
    vec!["x1".into(), "x2".into()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn row_order_and_outcome_scale(seed in 0u64..1_000, shift in 1usize..199, scale in 0.1f64..50.0) {
        let (y, t, x1, x2) = data(200, seed);
        let rot = |v: &[f64]| -> Vec<f64> { v[shift..].iter().chain(&v[..shift]).copied().collect() };
        let tr: Vec<bool> = t[shift..].iter().chain(&t[..shift]).copied().collect();
        let (ry, r1, r2) = (rot(&y), rot(&x1), rot(&x2));
        let sy: Vec<f64> = y.iter().map(|v| v * scale).collect();
        for scheme in SCHEMES {
            for account_for_ps in [false, true] {
                let o = WeightingOptions { scheme, account_for_ps, ..Default::default() };
                let (a, _) = ipw_effect(&y, &t, &[&x1, &x2], &names(), &o).unwrap();
                let (b, _) = ipw_effect(&ry, &tr, &[&r1, &r2], &names(), &o).unwrap();
                let (c, _) = ipw_effect(&sy, &t, &[&x1, &x2], &names(), &o).unwrap();
                prop_assert!((a.estimate - b.estimate).abs() < 1e-9 * (1.0 + a.estimate.abs()));
                prop_assert!((a.se - b.se).abs() < 1e-9 * a.se);
                prop_assert!((c.estimate - scale * a.estimate).abs() < 1e-9 * (1.0 + c.estimate.abs()));
                prop_assert!((c.se - scale * a.se).abs() < 1e-9 * c.se);
            }
            if scheme != WeightScheme::Overlap {
                let o = WeightingOptions { scheme, ..Default::default() };
                let n = names();
                let a = aipw_effect(&y, &t, &[&x1, &x2], &n, &[&x1, &x2], &n, &o).unwrap();
                let b = aipw_effect(&ry, &tr, &[&r1, &r2], &n, &[&r1, &r2], &n, &o).unwrap();
                prop_assert!((a.estimate - b.estimate).abs() < 1e-9 * (1.0 + a.estimate.abs()));
                prop_assert!((a.se - b.se).abs() < 1e-9 * a.se);
            }
        }
    }

    #[test]
    fn overlap_weights_balance_the_model_covariates(seed in 0u64..1_000) {
        let (y, t, x1, x2) = data(150, seed);
        let o = WeightingOptions { scheme: WeightScheme::Overlap, ..Default::default() };
        let (_, w) = ipw_effect(&y, &t, &[&x1, &x2], &names(), &o).unwrap();
        for x in [&x1, &x2] {
            let mean = |arm: bool| {
                let (s, sw) = (0..y.len()).filter(|&i| t[i] == arm)
                    .fold((0.0, 0.0), |(s, sw), i| (s + w[i] * x[i], sw + w[i]));
                s / sw
            };
            prop_assert!((mean(true) - mean(false)).abs() < 1e-7);
        }
    }

    #[test]
    fn hc0_equals_the_weighted_regression_sandwich(seed in 0u64..1_000) {
        let (y, t, x1, x2) = data(120, seed);
        let one = vec![1.0; y.len()];
        let tf: Vec<f64> = t.iter().map(|&b| f64::from(u8::from(b))).collect();
        for scheme in SCHEMES {
            let o = WeightingOptions { scheme, account_for_ps: false, ..Default::default() };
            let (e, w) = ipw_effect(&y, &t, &[&x1, &x2], &names(), &o).unwrap();
            let cols: [&[f64]; 2] = [&one, &tf];
            let fit = wls(&cols, &["(Intercept)", "t"], &y, &w).unwrap();
            let v = vcov_hc(&fit, &cols, &w, false);
            prop_assert!((fit.coefficients[1] - e.estimate).abs() < 1e-9 * (1.0 + e.estimate.abs()));
            prop_assert!((v[3].sqrt() - e.se).abs() < 1e-8 * e.se);
        }
    }
}
