//! Balance statistics and the pair-clustered SE against MatchIt 4.5.1's `summary()` and sandwich's
//! `vcovCL` on the matched set MatchIt produced (see tests/data/balance/SOURCES.md).

use std::collections::HashMap;

use raa_impact::balance::{balance_table, BalanceStats, SdBasis};
use raa_impact::inference::{vcov_cluster, wls, ClusterAdjust};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/balance/");

fn read(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(format!("{DIR}{name}")).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

struct Lalonde {
    columns: Vec<(String, Vec<f64>)>,
    treated: Vec<bool>,
    re78: Vec<f64>,
}

fn lalonde() -> Lalonde {
    let (h, rows) = read("lalonde_matchit.csv");
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let num =
        |name: &str| -> Vec<f64> { rows.iter().map(|r| r[col(name)].parse().unwrap()).collect() };
    let race = |level: &str| -> Vec<f64> {
        rows.iter()
            .map(|r| f64::from(u8::from(r[col("race")] == level)))
            .collect()
    };
    let (_, dist) = read("matchit_451_distance.csv");
    let distance = dist.iter().map(|r| r[0].parse().unwrap()).collect();
    let mut columns = vec![("distance".to_string(), distance)];
    for name in ["age", "educ"] {
        columns.push((name.into(), num(name)));
    }
    for level in ["black", "hispan", "white"] {
        columns.push((format!("race{level}"), race(level)));
    }
    for name in ["married", "nodegree", "re74", "re75"] {
        columns.push((name.into(), num(name)));
    }
    Lalonde {
        treated: num("treat").iter().map(|t| *t == 1.0).collect(),
        re78: num("re78"),
        columns,
    }
}

/// Weights and subclasses of MatchIt's matched set, zero weight for unmatched rows.
fn matched(n: usize) -> (Vec<f64>, Vec<u64>) {
    let (_, rows) = read("matchit_451_matched.csv");
    let (mut w, mut s) = (vec![0.0; n], vec![0u64; n]);
    for r in rows {
        let i: usize = r[0].parse().unwrap();
        w[i] = r[1].parse().unwrap();
        s[i] = r[2].parse().unwrap();
    }
    (w, s)
}

fn reference(name: &str) -> HashMap<String, Vec<f64>> {
    let (_, rows) = read(name);
    rows.into_iter()
        .map(|r| {
            let values = r[1..]
                .iter()
                .map(|v| v.parse().unwrap_or(f64::NAN))
                .collect();
            (r[0].clone(), values)
        })
        .collect()
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        "{what}: ours {a}, MatchIt {b}"
    );
}

fn compare(ours: &BalanceStats, theirs: &[f64], what: &str) {
    close(
        ours.mean_treated,
        theirs[0],
        &format!("{what} mean treated"),
    );
    close(
        ours.mean_control,
        theirs[1],
        &format!("{what} mean control"),
    );
    close(ours.std_mean_difference, theirs[2], &format!("{what} SMD"));
    match ours.variance_ratio {
        Some(v) => close(v, theirs[3], &format!("{what} variance ratio")),
        None => assert!(theirs[3].is_nan(), "{what}: MatchIt has a variance ratio"),
    }
    close(ours.ecdf_mean, theirs[4], &format!("{what} eCDF mean"));
    close(ours.ecdf_max, theirs[5], &format!("{what} eCDF max"));
}

#[test]
fn balance_table_equals_matchit_summary_before_and_after() {
    let d = lalonde();
    let (w, _) = matched(d.treated.len());
    let cols: Vec<(&str, &[f64])> = d
        .columns
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let rows = balance_table(&cols, &d.treated, None, Some(&w), SdBasis::Treated).unwrap();
    let before = reference("matchit_451_balance_before.csv");
    let after = reference("matchit_451_balance_after.csv");
    assert_eq!(rows.len(), before.len());
    for row in &rows {
        compare(
            &row.before,
            &before[&row.covariate],
            &format!("{} before", row.covariate),
        );
        compare(
            row.after.as_ref().unwrap(),
            &after[&row.covariate],
            &format!("{} after", row.covariate),
        );
    }
}

#[test]
fn pair_clustered_se_equals_sandwich_vcovcl() {
    let d = lalonde();
    let (w, subclass) = matched(d.treated.len());
    let one = vec![1.0; w.len()];
    let t: Vec<f64> = d.treated.iter().map(|t| f64::from(u8::from(*t))).collect();
    let fit = wls(&[&one, &t], &["(Intercept)", "treat"], &d.re78, &w).unwrap();
    let (_, r) = read("matchit_451_effect.csv");
    let num = |j: usize| -> f64 { r[0][j].parse().unwrap() };
    close(fit.coefficients[1], num(0), "ATT");
    let v = vcov_cluster(&fit, &[&one, &t], &w, &subclass, ClusterAdjust::Hc1).unwrap();
    close(v[3].sqrt(), num(1), "pair-clustered SE (HC1)");
    let v0 = vcov_cluster(&fit, &[&one, &t], &w, &subclass, ClusterAdjust::None).unwrap();
    close(
        v0[3].sqrt(),
        num(2),
        "pair-clustered SE (HC0, no cluster adjustment)",
    );
}
