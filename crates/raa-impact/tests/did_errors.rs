//! Bad input to `did::att_gt`: each a typed error naming the argument and row, or a documented
//! behaviour (dropped units counted in `warnings`, unidentified cells reported, not NaN).

use raa_impact::did::{
    aggregate, att_gt, Aggregation, AttGtOptions, CellStatus, ControlGroup, PanelInput,
};
use raa_impact::Error;

struct Long {
    unit: Vec<i64>,
    time: Vec<i64>,
    group: Vec<i64>,
    y: Vec<f64>,
    x: Vec<f64>,
    cluster: Vec<i64>,
}

/// 12 units × 4 periods: cohorts 3 (units 0-3), 4 (4-7), never (8-11); clusters of 2 units.
fn base() -> Long {
    let mut d = Long {
        unit: vec![],
        time: vec![],
        group: vec![],
        y: vec![],
        x: vec![],
        cluster: vec![],
    };
    for u in 0..12i64 {
        let g = [3, 4, 0][(u / 4) as usize];
        for t in 1..=4i64 {
            d.unit.push(u);
            d.time.push(t);
            d.group.push(g);
            d.x.push(u as f64 % 3.0);
            d.cluster.push(u / 2);
            d.y.push(u as f64 + t as f64 + ((u * 7 + t * 3) % 5) as f64 / 4.0);
        }
    }
    d
}

fn run(d: &Long, opts: &AttGtOptions) -> raa_impact::Result<raa_impact::did::AttGt> {
    let x: [&[f64]; 1] = [&d.x];
    att_gt(
        &PanelInput {
            unit: &d.unit,
            time: &d.time,
            group: &d.group,
            y: &d.y,
            covariates: &x,
            cluster: Some(&d.cluster),
            weights: None,
        },
        opts,
    )
}

fn message(r: raa_impact::Result<raa_impact::did::AttGt>) -> (String, String) {
    match r {
        Err(Error::Argument { name, message }) => (name, message),
        Err(e) => panic!("unexpected error kind: {e}"),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn the_base_panel_is_fine() {
    let r = run(&base(), &AttGtOptions::default()).unwrap();
    assert!(r.cells.iter().all(|c| c.status == CellStatus::Estimated));
    // Its only caveat: in period 4 both cohorts compare with the never-treated units, 2 clusters.
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].starts_with("2 post-treatment cells have comparison units in fewer than 3")
            && r.warnings[0].contains("ATT(3, 4): 2, ATT(4, 4): 2"),
        "{:?}",
        r.warnings
    );
    let last = r
        .cells
        .iter()
        .find(|c| (c.group, c.time) == (4, 4))
        .unwrap();
    assert_eq!(last.clusters, Some((2, 2)));
}

#[test]
fn duplicate_unit_period_names_both_rows() {
    let mut d = base();
    d.time[5] = d.time[4];
    let (name, msg) = message(run(&d, &AttGtOptions::default()));
    assert_eq!(name, "time");
    assert!(msg.contains("rows 4 and 5"), "{msg}");
}

#[test]
fn group_varying_within_unit_names_the_row() {
    let mut d = base();
    d.group[6] = 4;
    let (name, msg) = message(run(&d, &AttGtOptions::default()));
    assert_eq!(name, "group");
    assert!(msg.contains("row 6") && msg.contains("unit 1"), "{msg}");
}

#[test]
fn time_varying_covariate_names_row_and_column() {
    let mut d = base();
    d.x[9] += 1.0;
    let (name, msg) = message(run(&d, &AttGtOptions::default()));
    assert_eq!(name, "covariates[0]");
    assert!(msg.contains("row 9"), "{msg}");
}

#[test]
fn time_varying_cluster_is_an_error() {
    let mut d = base();
    d.cluster[10] = 99;
    let (name, _) = message(run(&d, &AttGtOptions::default()));
    assert_eq!(name, "cluster");
}

#[test]
fn nan_outcome_names_the_row() {
    let mut d = base();
    d.y[13] = f64::NAN;
    let (name, msg) = message(run(&d, &AttGtOptions::default()));
    assert_eq!(name, "y");
    assert!(msg.contains("row 13"), "{msg}");
}

#[test]
fn lengths_that_differ_are_an_error() {
    let mut d = base();
    d.y.pop();
    let (name, _) = message(run(&d, &AttGtOptions::default()));
    assert_eq!(name, "y");
}

#[test]
fn go_live_inside_the_panel_but_not_a_period_is_an_error() {
    let mut d = base();
    d.time.iter_mut().for_each(|v| *v *= 2); // periods 2, 4, 6, 8
                                             // cohort 3 now lies between periods 2 and 4
    let (name, msg) = message(run(&d, &AttGtOptions::default()));
    assert_eq!(name, "group");
    assert!(msg.contains("not one of its periods"), "{msg}");
}

#[test]
fn negative_group_is_an_error() {
    let mut d = base();
    d.group.iter_mut().take(4).for_each(|g| *g = -1);
    let (name, _) = message(run(&d, &AttGtOptions::default()));
    assert_eq!(name, "group");
}

#[test]
fn unbalanced_units_are_dropped_and_counted() {
    let mut d = base();
    // unit 11 loses period 2
    let drop = d
        .unit
        .iter()
        .zip(&d.time)
        .position(|(u, t)| *u == 11 && *t == 2)
        .unwrap();
    for v in [&mut d.unit, &mut d.time, &mut d.group, &mut d.cluster] {
        v.remove(drop);
    }
    d.y.remove(drop);
    d.x.remove(drop);
    let r = run(&d, &AttGtOptions::default()).unwrap();
    assert_eq!(r.n_units(), 11);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("dropped 1 units not observed in every period")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn late_and_first_period_cohorts_follow_did() {
    let mut d = base();
    // units 0-1 go live after the panel (never treated), units 2-3 in the first period (dropped)
    for (i, u) in d.unit.iter().enumerate() {
        if *u < 2 {
            d.group[i] = 9;
        } else if *u < 4 {
            d.group[i] = 1;
        }
    }
    let r = run(&d, &AttGtOptions::default()).unwrap();
    assert_eq!(r.n_units(), 10);
    assert!(r.cells.iter().all(|c| c.group == 4));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.contains("2 units first treated after the last period")));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.contains("dropped 2 units already treated")));
}

#[test]
fn no_never_treated_units_makes_the_last_cohort_the_comparison() {
    let mut d = base();
    d.group.iter_mut().for_each(|g| {
        if *g == 0 {
            *g = 4;
        }
    });
    let r = run(&d, &AttGtOptions::default()).unwrap();
    // periods from 4 on are dropped; cohort 3 is compared with cohort 4 before it goes live
    assert_eq!(r.periods, vec![1, 2, 3]);
    assert!(r
        .cells
        .iter()
        .all(|c| c.group == 3 && c.control_groups == vec![4]));
    let nev = run(
        &d,
        &AttGtOptions {
            control_group: ControlGroup::NeverTreated,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(nev
        .warnings
        .iter()
        .any(|w| w.contains("serves as never treated")));
}

#[test]
fn a_cell_without_overlap_is_reported_not_nan() {
    // 2,000 treated units and one never-treated unit: the treated share is ≥ 0.999, so did's
    // overlap guard fails for dr and the cells are not identified.
    let (mut unit, mut time, mut group, mut y) = (vec![], vec![], vec![], vec![]);
    for u in 0..2001i64 {
        for t in 1..=3i64 {
            unit.push(u);
            time.push(t);
            group.push(if u == 0 { 0 } else { 3 });
            y.push((u % 7) as f64 + t as f64);
        }
    }
    let input = PanelInput {
        unit: &unit,
        time: &time,
        group: &group,
        y: &y,
        covariates: &[],
        cluster: None,
        weights: None,
    };
    let r = att_gt(&input, &AttGtOptions::default()).unwrap();
    assert!(r
        .cells
        .iter()
        .all(|c| matches!(c.status, CellStatus::NotIdentified(_))
            && c.att.is_none()
            && c.se.is_none()));
    assert!(r.warnings.iter().any(|w| w.contains("overlap")));
    assert!(aggregate(&r, &Aggregation::Simple, None).is_err());
}

#[test]
fn a_cohort_in_one_cluster_is_warned_about() {
    let mut d = base();
    // cohort 3 (units 0-3) all in cluster 0
    for (i, u) in d.unit.iter().enumerate() {
        if *u < 4 {
            d.cluster[i] = 0;
        }
    }
    let r = run(&d, &AttGtOptions::default()).unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("cohort 3 lies in a single cluster")),
        "{:?}",
        r.warnings
    );
    let c3 = r.cohorts.iter().find(|c| c.group == 3).unwrap();
    assert_eq!((c3.n_units, c3.n_clusters), (4, 1));
}

#[test]
fn bad_alpha_is_an_error() {
    let (name, _) = message(run(
        &base(),
        &AttGtOptions {
            alpha: 1.5,
            ..Default::default()
        },
    ));
    assert_eq!(name, "alpha");
}
