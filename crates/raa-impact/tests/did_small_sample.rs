//! The small-sample correction of `att_gt`'s analytic inference (`AttGtOptions::small_sample`):
//! with `G` clusters every analytic SE is `sqrt(G/(G − 1))` times R `did`'s and pointwise
//! intervals use t with `G − 1` df; estimates, bootstrap SEs and uniform bands are unchanged.

mod did_support;

use did_support::mpdta;
use raa_impact::did::{
    aggregate, att_gt, Aggregation, AttGt, AttGtOptions, ControlGroup, PanelInput,
};
use raa_impact::inference::multiplier::BootstrapOptions;

fn fit(input: &PanelInput, small_sample: bool, bootstrap: Option<BootstrapOptions>) -> AttGt {
    let opts = AttGtOptions {
        control_group: ControlGroup::NeverTreated,
        small_sample,
        bootstrap,
        ..Default::default()
    };
    att_gt(input, &opts).expect("att_gt")
}

fn close(a: f64, b: f64) -> bool {
    (a / b - 1.0).abs() < 1e-13
}

const AGGREGATIONS: [Aggregation; 4] = [
    Aggregation::Simple,
    Aggregation::Group,
    Aggregation::Dynamic {
        balance_e: None,
        min_e: None,
        max_e: None,
    },
    Aggregation::Calendar,
];

/// Every cell and every aggregation: SE × factor, the t critical value, intervals from both.
fn assert_corrected(plain: &AttGt, small: &AttGt, factor: f64, crit: f64) {
    assert!(
        (small.crit_value - crit).abs() < 1e-9,
        "{}",
        small.crit_value
    );
    let crit = small.crit_value;
    for (a, b) in plain.cells.iter().zip(&small.cells) {
        assert_eq!(a.att, b.att);
        match (a.se, b.se) {
            (Some(sa), Some(sb)) => {
                assert!(close(sb, sa * factor), "({}, {})", a.group, a.time);
                let (lo, hi) = b.ci.expect("interval");
                let att = b.att.expect("estimate");
                assert!(
                    close(hi - att, crit * sb) && close(att - lo, crit * sb),
                    "{lo} {hi} {att} {crit} {sb}"
                );
            }
            (None, None) => {}
            other => panic!("({}, {}): {other:?}", a.group, a.time),
        }
    }
    for how in AGGREGATIONS {
        let (pa, sa) = (
            aggregate(plain, &how, None).expect("aggregate"),
            aggregate(small, &how, None).expect("aggregate"),
        );
        assert_eq!(pa.overall_att, sa.overall_att);
        let se = sa.overall_se.expect("se");
        assert!(close(se, pa.overall_se.expect("se") * factor), "{how:?}");
        let (lo, hi) = sa.overall_ci.expect("interval");
        assert!(close(hi - lo, 2.0 * crit * se), "{how:?}");
        assert_eq!(sa.crit_value, crit);
        for (ca, cb) in pa.cells.iter().zip(&sa.cells) {
            assert!(close(cb.se.expect("se"), ca.se.expect("se") * factor));
        }
    }
}

#[test]
fn clustered_ses_are_scaled_and_intervals_use_t_with_g_minus_one_df() {
    let d = mpdta();
    let state: Vec<i64> = d.county.iter().map(|c| c / 1000).collect();
    let input = d.input(Some(&state));
    let (plain, small) = (fit(&input, false, None), fit(&input, true, None));
    let g = small.n_clusters();
    assert_eq!(g, 29);
    // R: qt(0.975, 28) = 2.04840714180
    assert_corrected(&plain, &small, (29.0f64 / 28.0).sqrt(), 2.04840714180);
    assert!((plain.crit_value - 1.959963985).abs() < 1e-8);
}

#[test]
fn without_clusters_each_unit_is_its_own_cluster() {
    let d = mpdta();
    let input = d.input(None);
    let (plain, small) = (fit(&input, false, None), fit(&input, true, None));
    let n = small.n_units();
    assert_eq!((n, small.n_clusters()), (500, 500));
    // R: qt(0.975, 499) = 1.96472939099
    assert_corrected(&plain, &small, (500.0f64 / 499.0).sqrt(), 1.96472939099);
}

#[test]
fn bootstrap_inference_is_not_changed() {
    let d = mpdta();
    let state: Vec<i64> = d.county.iter().map(|c| c / 1000).collect();
    let input = d.input(Some(&state));
    let boot = BootstrapOptions {
        draws: 999,
        seed: 5,
        ..Default::default()
    };
    let (plain, small) = (
        fit(&input, false, Some(boot)),
        fit(&input, true, Some(boot)),
    );
    assert!(plain.uniform && small.uniform);
    assert_eq!(plain.crit_value, small.crit_value);
    for (a, b) in plain.cells.iter().zip(&small.cells) {
        assert_eq!((a.se, a.ci), (b.se, b.ci));
    }
}
