//! Determinism and properties of `did::att_gt`: row order and thread count do not change any bit;
//! estimators that must coincide do.

mod did_support;

use did_support::simulate;
use raa_impact::did::{
    aggregate, att_gt, Aggregation, AttGt, AttGtOptions, ControlGroup, EstMethod, PanelInput,
};
use raa_impact::inference::multiplier::{
    multiplier_bootstrap, BootstrapOptions, MultiplierWeights,
};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn input(s: &did_support::Sim) -> PanelInput<'_> {
    PanelInput {
        unit: &s.unit,
        time: &s.time,
        group: &s.group,
        y: &s.y,
        covariates: &[],
        cluster: Some(&s.cluster),
        weights: None,
    }
}

fn boot_opts() -> AttGtOptions {
    AttGtOptions {
        bootstrap: Some(BootstrapOptions {
            draws: 499,
            seed: 9,
            weights: None,
            alpha: 0.05,
        }),
        ..Default::default()
    }
}

fn bits(r: &AttGt) -> Vec<u64> {
    let mut v: Vec<u64> = r.influence.iter().map(|x| x.to_bits()).collect();
    for c in &r.cells {
        v.push(c.att.map_or(0, f64::to_bits));
        v.push(c.se.map_or(0, f64::to_bits));
    }
    v.push(r.crit_value.to_bits());
    v
}

#[test]
fn permuted_rows_give_identical_results() {
    let s = simulate(3, 300, 6, &[0, 3, 4, 5], 1.0, 5, 0.2, 0.0);
    let a = att_gt(&input(&s), &boot_opts()).unwrap();
    let mut order: Vec<usize> = (0..s.unit.len()).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(4));
    let pick_i = |v: &[i64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let pick_f = |v: &[f64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let p = did_support::Sim {
        unit: pick_i(&s.unit),
        time: pick_i(&s.time),
        group: pick_i(&s.group),
        y: pick_f(&s.y),
        x: pick_f(&s.x),
        cluster: pick_i(&s.cluster),
    };
    let b = att_gt(&input(&p), &boot_opts()).unwrap();
    assert_eq!(bits(&a), bits(&b));
}

#[test]
fn thread_count_does_not_change_the_bootstrap() {
    let s = simulate(5, 300, 6, &[0, 3, 4, 5], 1.0, 5, 0.2, 0.0);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| att_gt(&input(&s), &boot_opts()).unwrap())
    };
    let (one, two) = (run(1), run(2));
    assert!(one.uniform);
    assert_eq!(bits(&one), bits(&two));
}

#[test]
fn every_weight_kind_is_reproducible_and_unit_variance_across_unit_blocks() {
    // 10,000 units span three blocks of 4,096 (each block seeks into the draw's stream): two runs
    // agree exactly, and the draws' SD estimates the analytic SE for all three weight kinds.
    let n = 10_000;
    let psi: Vec<f64> = (0..n)
        .map(|i| ((i * 7919 % 1000) as f64 - 499.5) / 100.0)
        .collect();
    for w in [
        MultiplierWeights::Rademacher,
        MultiplierWeights::Webb,
        MultiplierWeights::Mammen,
    ] {
        let o = BootstrapOptions {
            draws: 300,
            seed: 1,
            weights: Some(w),
            alpha: 0.05,
        };
        let a = multiplier_bootstrap(&psi, n, 1, None, &o).unwrap();
        let b = multiplier_bootstrap(&psi, n, 1, None, &o).unwrap();
        assert_eq!(a, b);
        let analytic = psi.iter().map(|v| v * v).sum::<f64>().sqrt() / n as f64;
        let sd = a.sd[0].unwrap();
        assert!(
            (sd / analytic - 1.0).abs() < 0.12,
            "{w:?}: {sd} vs {analytic}"
        );
    }
}

#[test]
fn webb_weights_are_chosen_below_twelve_clusters() {
    let psi: Vec<f64> = (0..40).map(|i| (i as f64 - 19.5) / 10.0).collect();
    let few: Vec<u32> = (0..40).map(|i| i / 4).collect(); // 10 clusters
    let many: Vec<u32> = (0..40).map(|i| i / 2).collect(); // 20 clusters
    let o = BootstrapOptions {
        draws: 99,
        ..Default::default()
    };
    assert_eq!(
        multiplier_bootstrap(&psi, 40, 1, Some(&few), &o)
            .unwrap()
            .weights,
        MultiplierWeights::Webb
    );
    assert_eq!(
        multiplier_bootstrap(&psi, 40, 1, Some(&many), &o)
            .unwrap()
            .weights,
        MultiplierWeights::Rademacher
    );
}

#[test]
fn without_covariates_dr_reg_and_ipw_agree() {
    let s = simulate(7, 300, 6, &[0, 3, 4, 5], 1.0, 1, 0.0, 0.0);
    let run = |m| {
        att_gt(
            &input(&s),
            &AttGtOptions {
                est_method: m,
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (dr, reg, ipw) = (run(EstMethod::Dr), run(EstMethod::Reg), run(EstMethod::Ipw));
    for ((a, b), c) in dr.cells.iter().zip(&reg.cells).zip(&ipw.cells) {
        let (a, b, c) = (a.att.unwrap(), b.att.unwrap(), c.att.unwrap());
        assert!(
            (a - b).abs() < 1e-12 && (a - c).abs() < 1e-12,
            "{a} {b} {c}"
        );
    }
}

#[test]
fn not_yet_treated_equals_never_treated_with_a_single_cohort() {
    // One treated cohort: there are never any not-yet-treated units besides the never treated.
    let s = simulate(11, 300, 6, &[0, 4], 1.0, 1, 0.0, 0.0);
    let run = |c| {
        att_gt(
            &input(&s),
            &AttGtOptions {
                control_group: c,
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (nyt, nev) = (
        run(ControlGroup::NotYetTreated),
        run(ControlGroup::NeverTreated),
    );
    assert_eq!(bits(&nyt), bits(&nev));
    let a = aggregate(
        &nyt,
        &Aggregation::Dynamic {
            balance_e: None,
            min_e: None,
            max_e: None,
        },
        None,
    )
    .unwrap();
    assert!(a.cells.iter().all(|c| c.groups == vec![4]));
}

#[test]
fn results_round_trip_through_json() {
    // serde_json's default float parser may move the last bit, so values are compared to 1e-14.
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-14 * a.abs().max(1.0);
    let s = simulate(13, 120, 5, &[0, 3, 4], 1.0, 4, 0.1, 0.0);
    let r = att_gt(&input(&s), &boot_opts()).unwrap();
    let back: AttGt = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(r.influence.len(), back.influence.len());
    assert!(r
        .influence
        .iter()
        .zip(&back.influence)
        .all(|(a, b)| close(*a, *b)));
    for (a, b) in r.cells.iter().zip(&back.cells) {
        assert_eq!((a.group, a.time, &a.status), (b.group, b.time, &b.status));
        assert!(close(a.att.unwrap(), b.att.unwrap()) && close(a.se.unwrap(), b.se.unwrap()));
    }
    let a = aggregate(&r, &Aggregation::Group, None).unwrap();
    let a2: raa_impact::did::Aggregated =
        serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert!(close(a.overall_att, a2.overall_att) && a.cells.len() == a2.cells.len());
}
