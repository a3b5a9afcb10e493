//! Parity with R on MatchIt's lalonde: weighted differences in means and their HC0, cluster-robust
//! and M-estimation SEs for every scheme, and AIPW estimates and influence-function SEs
//! (tests/data/weighting/weighting_reference.R made the reference file).

use raa_impact::psm::Estimand;
use raa_impact::weighting::{aipw_effect, ipw_effect, WeightScheme, WeightingOptions};
use std::collections::HashMap;
use std::path::PathBuf;

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/weighting")
        .join(name)
}

struct Lalonde {
    y: Vec<f64>,
    treated: Vec<bool>,
    columns: Vec<Vec<f64>>,
    names: Vec<String>,
    educ: Vec<u64>,
}

fn lalonde() -> Lalonde {
    let mut rdr = csv::Reader::from_path(data_path("lalonde_matchit.csv")).expect("open");
    let headers = rdr.headers().expect("headers").clone();
    let idx = |h: &str| headers.iter().position(|x| x == h).expect(h);
    let names: Vec<String> = [
        "age",
        "educ",
        "racehispan",
        "racewhite",
        "married",
        "nodegree",
        "re74",
        "re75",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut d = Lalonde {
        y: vec![],
        treated: vec![],
        columns: vec![vec![]; names.len()],
        names,
        educ: vec![],
    };
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let num = |h: &str| rec[idx(h)].parse::<f64>().expect("number");
        let race = &rec[idx("race")];
        let row = [
            num("age"),
            num("educ"),
            f64::from(u8::from(race == "hispan")),
            f64::from(u8::from(race == "white")),
            num("married"),
            num("nodegree"),
            num("re74"),
            num("re75"),
        ];
        for (c, v) in d.columns.iter_mut().zip(row) {
            c.push(v);
        }
        d.y.push(num("re78"));
        d.treated.push(num("treat") == 1.0);
        d.educ.push(num("educ") as u64);
    }
    d
}

fn reference() -> HashMap<(String, String), f64> {
    let mut rdr = csv::Reader::from_path(data_path("weighting_reference.csv")).expect("open");
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            (
                (r[0].to_string(), r[1].to_string()),
                r[2].parse::<f64>().expect("value"),
            )
        })
        .collect()
}

fn close(what: &str, got: f64, want: f64) {
    let rel = (got - want).abs() / want.abs().max(1e-300);
    assert!(rel < 1e-8, "{what}: got {got}, R {want} (relative {rel:e})");
}

const SCHEMES: [(&str, WeightScheme); 4] = [
    ("ate", WeightScheme::Ate),
    ("att", WeightScheme::Att),
    ("atc", WeightScheme::Atc),
    ("overlap", WeightScheme::Overlap),
];

#[test]
fn ipw_matches_r_for_every_scheme_and_se() {
    let d = lalonde();
    let r = reference();
    let cols: Vec<&[f64]> = d.columns.iter().map(Vec::as_slice).collect();
    for (key, scheme) in SCHEMES {
        let get = |q: &str| r[&(key.to_string(), q.to_string())];
        for (account, cluster, q) in [
            (false, false, "se_hc0"),
            (false, true, "se_hc0_cluster"),
            (true, false, "se_m"),
            (true, true, "se_m_cluster"),
        ] {
            let options = WeightingOptions {
                scheme,
                account_for_ps: account,
                cluster: cluster.then(|| d.educ.clone()),
                ..Default::default()
            };
            let (e, w) = ipw_effect(&d.y, &d.treated, &cols, &d.names, &options).unwrap();
            close(&format!("{key} estimate"), e.estimate, get("estimate"));
            close(&format!("{key} {q}"), e.se, get(q));
            assert_eq!(e.n_clusters, cluster.then_some(19));
            assert_eq!((e.n_treated, e.n_control), (185, 429));
            let sum = |t: bool| {
                w.iter()
                    .zip(&d.treated)
                    .filter(|(_, tt)| **tt == t)
                    .map(|(w, _)| w)
                    .sum::<f64>()
            };
            close(
                &format!("{key} Σw treated"),
                sum(true),
                get("sum_w_treated"),
            );
            close(
                &format!("{key} Σw control"),
                sum(false),
                get("sum_w_control"),
            );
            close(&format!("{key} w[0]"), w[0], get("w_first"));
            close(&format!("{key} w[n-1]"), w[w.len() - 1], get("w_last"));
            let z = e.estimate / e.se;
            assert!((e.z - z).abs() < 1e-12 && e.ci.0 < e.estimate && e.estimate < e.ci.1);
        }
    }
}

#[test]
fn overlap_reports_ate_estimand_and_ato_method() {
    let d = lalonde();
    let cols: Vec<&[f64]> = d.columns.iter().map(Vec::as_slice).collect();
    let options = WeightingOptions {
        scheme: WeightScheme::Overlap,
        ..Default::default()
    };
    let (e, _) = ipw_effect(&d.y, &d.treated, &cols, &d.names, &options).unwrap();
    assert_eq!(e.estimand, Estimand::Ate);
    assert!(e.method.contains("overlap weights (ATO)"), "{}", e.method);
    assert!(e.se_method.contains("M-estimation"));
}

#[test]
fn aipw_matches_r_formulas() {
    let d = lalonde();
    let r = reference();
    let cols: Vec<&[f64]> = d.columns.iter().map(Vec::as_slice).collect();
    for (key, scheme, estimand) in [
        ("aipw_ate", WeightScheme::Ate, Estimand::Ate),
        ("aipw_att", WeightScheme::Att, Estimand::Att),
        ("aipw_atc", WeightScheme::Atc, Estimand::Atc),
    ] {
        let get = |q: &str| r[&(key.to_string(), q.to_string())];
        for (cluster, q) in [(false, "se"), (true, "se_cluster")] {
            let options = WeightingOptions {
                scheme,
                cluster: cluster.then(|| d.educ.clone()),
                ..Default::default()
            };
            let e =
                aipw_effect(&d.y, &d.treated, &cols, &d.names, &cols, &d.names, &options).unwrap();
            close(&format!("{key} estimate"), e.estimate, get("estimate"));
            close(&format!("{key} {q}"), e.se, get(q));
            assert_eq!(e.estimand, estimand);
        }
    }
}
