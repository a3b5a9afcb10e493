//! `min_comparison_clusters`: cells whose comparison units lie in too few clusters are left out
//! as not identified, the others are untouched, and the option needs clusters. On mpdta with
//! not-yet-treated comparisons clustered on the state.

mod did_support;

use did_support::mpdta;
use raa_impact::did::{
    aggregate, att_gt, Aggregation, AttGt, AttGtOptions, CellStatus, PanelInput,
};
use raa_impact::Error;

fn fit(min: u32, clustered: bool) -> Result<AttGt, Error> {
    let d = mpdta();
    let input = PanelInput {
        unit: &d.county,
        time: &d.year,
        group: &d.first_treat,
        y: &d.lemp,
        covariates: &[],
        cluster: clustered.then_some(&d.state[..]),
        weights: None,
    };
    att_gt(
        &input,
        &AttGtOptions {
            min_comparison_clusters: min,
            ..AttGtOptions::default()
        },
    )
}

#[test]
fn cells_with_too_few_comparison_clusters_are_left_out_and_the_rest_unchanged() {
    let all = fit(0, true).unwrap();
    let counts: Vec<usize> = all.cells.iter().map(|c| c.clusters.unwrap().1).collect();
    let min = *counts.iter().max().unwrap();
    assert!(
        counts.iter().any(|k| *k < min),
        "every cell has {min} comparison clusters"
    );
    let some = fit(min as u32, true).unwrap();
    let mut left_out = 0;
    for (a, s) in all.cells.iter().zip(&some.cells) {
        let k = a.clusters.unwrap().1;
        if k < min {
            left_out += 1;
            assert_eq!(s.att, None);
            assert_eq!(s.se, None);
            match &s.status {
                CellStatus::NotIdentified(why) => {
                    assert!(why.contains("min_comparison_clusters"), "{why}")
                }
                other => panic!("ATT({}, {}) is {other:?}", s.group, s.time),
            }
        } else {
            // A cell's estimate and SE come from its own influence column only.
            assert_eq!((s.att, s.se, &s.status), (a.att, a.se, &a.status));
        }
    }
    assert!(left_out > 0);
    assert!(some
        .warnings
        .iter()
        .any(|w| w.contains("min_comparison_clusters")));
    // The aggregation averages what is left; left-out cells carry no influence.
    let (sa, ss) = (
        aggregate(&all, &Aggregation::Simple, None).unwrap(),
        aggregate(&some, &Aggregation::Simple, None).unwrap(),
    );
    assert!(ss.overall_att.is_finite() && ss.overall_att != sa.overall_att);
    for (k, c) in some.cells.iter().enumerate() {
        if c.att.is_none() {
            assert!(some.influence_of(k).iter().all(|v| *v == 0.0));
        }
    }
}

#[test]
fn one_comparison_cluster_is_the_default() {
    let (a, b) = (fit(0, true).unwrap(), fit(1, true).unwrap());
    assert_eq!(a.cells, b.cells);
}

#[test]
fn the_option_needs_clusters() {
    match fit(3, false) {
        Err(Error::Argument { name, message }) => {
            assert_eq!(name, "min_comparison_clusters");
            assert!(message.contains("cluster"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
