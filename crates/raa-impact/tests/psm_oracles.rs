//! MatchIt 4.7.2 parity on MatchIt's lalonde (ORACLES.md, "Propensity score matching"): the full
//! chain of logit score → greedy 1:1 nearest neighbour → balance → ATT with a pair-clustered SE.

use raa_impact::psm::effect::EffectOptions;
use raa_impact::psm::{match_units, CaliperScale, Distance, MatchInput, MatchOptions, MatchSet};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/psm/lalonde_matchit.csv"
);

struct Lalonde {
    treated: Vec<bool>,
    model: Vec<(String, Vec<f64>)>,
    balance: Vec<(String, Vec<f64>)>,
    re78: Vec<f64>,
}

/// The columns of `treat ~ age + educ + race + married + nodegree + re74 + re75` as R's
/// model.matrix builds them (race: black is the reference), and MatchIt's balance columns (every
/// race level).
fn lalonde() -> Lalonde {
    let mut r = csv::Reader::from_path(FILE).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let num = |n: &str| -> Vec<f64> { rows.iter().map(|r| r[col(n)].parse().unwrap()).collect() };
    let race = |lv: &str| -> Vec<f64> {
        rows.iter()
            .map(|r| f64::from(u8::from(r[col("race")] == lv)))
            .collect()
    };
    let numeric = |names: &[&str]| {
        names
            .iter()
            .map(|n| (n.to_string(), num(n)))
            .collect::<Vec<_>>()
    };
    let mut model = numeric(&["age", "educ"]);
    model.push(("racehispan".into(), race("hispan")));
    model.push(("racewhite".into(), race("white")));
    model.extend(numeric(&["married", "nodegree", "re74", "re75"]));
    let mut balance = numeric(&["age", "educ"]);
    for lv in ["black", "hispan", "white"] {
        balance.push((format!("race{lv}"), race(lv)));
    }
    balance.extend(numeric(&["married", "nodegree", "re74", "re75"]));
    Lalonde {
        treated: num("treat").iter().map(|t| *t == 1.0).collect(),
        model,
        balance,
        re78: num("re78"),
    }
}

fn run(d: &Lalonde, options: &MatchOptions) -> MatchSet {
    let input = MatchInput {
        treated: &d.treated,
        covariates: d
            .model
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect(),
        balance: d
            .balance
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect(),
        ..Default::default()
    };
    match_units(&input, options).unwrap()
}

#[test]
fn matchit_default_nearest_on_the_propensity_score() {
    let d = lalonde();
    let m = run(
        &d,
        &MatchOptions {
            distance: Distance::Ps,
            ..Default::default()
        },
    );
    assert_eq!(m.n_matched(), 185);
    // Matched controls' means (MatchIt 4.7.2 summary), tolerance 1e-4 (re74/re75 1e-2).
    let expected = [
        ("distance", 0.3629, 1e-4),
        ("age", 25.3027, 1e-4),
        ("educ", 10.6054, 1e-4),
        ("raceblack", 0.4703, 1e-4),
        ("racehispan", 0.2162, 1e-4),
        ("racewhite", 0.3135, 1e-4),
        ("married", 0.2108, 1e-4),
        ("nodegree", 0.6378, 1e-4),
        ("re74", 2342.1076, 1e-2),
        ("re75", 1614.7451, 1e-2),
    ];
    for (name, value, tol) in expected {
        let row = m.balance.iter().find(|r| r.covariate == name).unwrap();
        let ours = row.after.as_ref().unwrap().mean_control;
        assert!(
            (ours - value).abs() <= tol,
            "{name}: ours {ours}, MatchIt {value}"
        );
    }
    let e = m.effect(&d.re78, &EffectOptions::default()).unwrap();
    assert!((e.estimate - 894.367).abs() <= 1e-3, "ATT {}", e.estimate);
    assert!((e.se - 705.230).abs() <= 1e-3, "pair-clustered SE {}", e.se);
}

#[test]
fn matchit_caliper_on_the_linear_logit() {
    let d = lalonde();
    let options = MatchOptions {
        distance: Distance::Logit,
        caliper: Some(0.2),
        caliper_scale: CaliperScale::Sd,
        ..Default::default()
    };
    let m = run(&d, &options);
    assert_eq!(m.n_matched(), 117);
    let e = m.effect(&d.re78, &EffectOptions::default()).unwrap();
    assert!((e.estimate - 1770.603).abs() <= 1e-3, "ATT {}", e.estimate);
    assert!((e.se - 924.23).abs() <= 1e-2, "pair-clustered SE {}", e.se);
}
