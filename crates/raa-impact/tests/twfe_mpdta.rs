//! TWFE, Goodman-Bacon and BJS imputation on mpdta against pybacondecomp and pyfixest
//! (tests/data/twfe/SOURCES.md).

use std::collections::BTreeMap;

use raa_impact::inference::ClusterAdjust;
use raa_impact::twfe::{bacon_decomposition, imputation, twfe, ComparisonKind, Panel};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/twfe");

fn mpdta() -> Panel {
    let mut rdr = csv::Reader::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/did/mpdta.csv"
    ))
    .unwrap();
    let (mut unit, mut time, mut d, mut y) = (vec![], vec![], vec![], vec![]);
    for rec in rdr.records() {
        let r = rec.unwrap();
        let year: i64 = r[0].parse().unwrap();
        let first: i64 = r[4].parse().unwrap();
        unit.push(r[1].parse::<u64>().unwrap());
        time.push(year);
        d.push(if first > 0 && year >= first { 1.0 } else { 0.0 });
        y.push(r[3].parse::<f64>().unwrap());
    }
    Panel::new(&unit, &time, &d, &y).unwrap()
}

fn reference() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(format!("{DIR}/mpdta_twfe_reference.json")).unwrap(),
    )
    .unwrap()
}

fn num(v: &serde_json::Value, key: &str) -> f64 {
    v[key].as_f64().unwrap()
}

#[test]
fn twfe_matches_pyfixest() {
    let p = mpdta();
    let r = reference();
    let none = twfe(&p, ClusterAdjust::None).unwrap();
    assert!((none.coefficient - num(&r, "twfe_coefficient")).abs() < 1e-10);
    let rel = |a: f64, b: f64| ((a - b) / b).abs();
    assert!(rel(none.std_error, num(&r, "twfe_se_no_adj")) < 1e-8);
    let clusters = twfe(&p, ClusterAdjust::Clusters).unwrap();
    assert!(rel(clusters.std_error, num(&r, "twfe_se_cluster_adj_only")) < 1e-8);
    let hc1 = twfe(&p, ClusterAdjust::Hc1).unwrap();
    assert!(
        rel(hc1.std_error, num(&r, "twfe_se_nested")) < 1e-8,
        "{} vs {}",
        hc1.std_error,
        num(&r, "twfe_se_nested")
    );
}

#[test]
fn bacon_matches_pybacondecomp() {
    let b = bacon_decomposition(&mpdta()).unwrap();
    let mut rdr = csv::Reader::from_path(format!("{DIR}/mpdta_bacon_2x2.csv")).unwrap();
    let mut expected: BTreeMap<(i64, Option<i64>), (f64, f64)> = BTreeMap::new();
    for rec in rdr.records() {
        let r = rec.unwrap();
        let control = if &r[1] == "Never" {
            None
        } else {
            Some(r[1].parse().unwrap())
        };
        expected.insert(
            (r[0].parse().unwrap(), control),
            (r[2].parse().unwrap(), r[3].parse().unwrap()),
        );
    }
    assert_eq!(b.comparisons.len(), expected.len());
    let mut worst: f64 = 0.0;
    for c in &b.comparisons {
        let (est, w) = expected[&(c.treated, c.control)];
        worst = worst
            .max((c.estimate - est).abs())
            .max((c.weight - w).abs());
        let late = c.control.is_some_and(|k| k < c.treated);
        assert_eq!(late, c.kind == ComparisonKind::LaterVsEarlierTreated);
    }
    assert!(worst < 1e-10, "worst difference {worst}");
}

#[test]
fn imputation_matches_pyfixest_first_stage() {
    let fit = imputation(&mpdta()).unwrap();
    let r = reference();
    assert_eq!(fit.n_not_imputable, 0);
    assert!((fit.overall.estimate - num(&r, "imputation_att")).abs() < 1e-10);
    let rel = |a: f64, b: f64| ((a - b) / b).abs();
    let mut worst_se = rel(fit.overall.std_error, num(&r, "imputation_se"));
    let by = &r["imputation_by_event_time"];
    let by_se = &r["imputation_se_by_event_time"];
    assert_eq!(fit.by_event_time.len(), 4);
    for e in &fit.by_event_time {
        let key = e.event_time.unwrap().to_string();
        let want = by[key.as_str()].as_f64().unwrap();
        assert!(
            (e.estimate - want).abs() < 1e-10,
            "event time {key}: {} vs {want}",
            e.estimate
        );
        worst_se = worst_se.max(rel(e.std_error, by_se[key.as_str()].as_f64().unwrap()));
    }
    assert!(worst_se < 1e-8, "worst relative SE difference {worst_se}");
}
