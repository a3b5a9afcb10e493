//! The options of `did::att_gt` against R `did` 2.5.1 on mpdta (`tests/data/did/mpdta_options.R`):
//! not-yet-treated comparisons, covariates (lpop) with dr / reg / ipw, universal base period,
//! anticipation, clustered analytic SEs, weights, and dynamic aggregation windows. Every ATT(g,t),
//! SE, aggregation cell and overall effect, and the Wald statistic.

mod did_support;

use did_support::{mpdta, Mpdta};
use raa_impact::did::{
    aggregate, att_gt, pretest, Aggregation, AttGt, AttGtOptions, BasePeriod, ControlGroup,
    EstMethod, PanelInput,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/did/");

#[derive(Debug)]
struct Ref {
    scenario: String,
    kind: String,
    key: Option<i64>,
    t: Option<i64>,
    att: f64,
    se: Option<f64>,
}

fn references() -> Vec<Ref> {
    let mut r = csv::Reader::from_path(format!("{DIR}mpdta_options.csv")).unwrap();
    let opt = |s: &str| {
        if s == "NA" {
            None
        } else {
            Some(s.parse::<f64>().unwrap())
        }
    };
    r.records()
        .map(|x| {
            let x = x.unwrap();
            Ref {
                scenario: x[0].to_string(),
                kind: x[1].to_string(),
                key: opt(&x[2]).map(|v| v as i64),
                t: opt(&x[3]).map(|v| v as i64),
                att: x[4].parse().unwrap(),
                se: opt(&x[5]),
            }
        })
        .collect()
}

fn options(scenario: &str) -> AttGtOptions {
    AttGtOptions {
        control_group: if scenario.starts_with("nyt") {
            ControlGroup::NotYetTreated
        } else {
            ControlGroup::NeverTreated
        },
        est_method: if scenario.contains("_reg") {
            EstMethod::Reg
        } else if scenario.contains("_ipw") {
            EstMethod::Ipw
        } else {
            EstMethod::Dr
        },
        base_period: if scenario.contains("universal") {
            BasePeriod::Universal
        } else {
            BasePeriod::Varying
        },
        anticipation: if scenario.contains("antic1") { 1 } else { 0 },
        ..Default::default()
    }
}

fn run(d: &Mpdta, scenario: &str) -> AttGt {
    let x: [&[f64]; 1] = [&d.lpop];
    let input = PanelInput {
        unit: &d.county,
        time: &d.year,
        group: &d.first_treat,
        y: &d.lemp,
        covariates: if scenario.ends_with("_x") { &x } else { &[] },
        cluster: scenario.contains("cluster").then_some(&d.state[..]),
        weights: scenario.contains("weights").then_some(&d.lpop[..]),
    };
    att_gt(&input, &options(scenario)).unwrap()
}

/// Worst |ΔATT| and worst relative ΔSE of one scenario's rows.
#[derive(Default, Debug)]
struct Worst {
    att: f64,
    se: f64,
    rows: usize,
}

impl Worst {
    fn add(&mut self, what: &str, att: f64, se: Option<f64>, r: &Ref) {
        self.rows += 1;
        self.att = self.att.max((att - r.att).abs());
        match (se, r.se) {
            (Some(a), Some(b)) => self.se = self.se.max((a - b).abs() / b),
            (None, None) => {}
            other => panic!("{what}: SE presence differs from R: {other:?}"),
        }
    }
}

fn aggregation(kind: &str, scenario: &str) -> Aggregation {
    let base = kind.trim_end_matches("_overall");
    match base {
        "simple" => Aggregation::Simple,
        "group" => Aggregation::Group,
        "calendar" => Aggregation::Calendar,
        _ if scenario.ends_with("dyn_balance1") => Aggregation::Dynamic {
            balance_e: Some(1),
            min_e: None,
            max_e: None,
        },
        _ if scenario.ends_with("dyn_window") => Aggregation::Dynamic {
            balance_e: None,
            min_e: Some(-2),
            max_e: Some(2),
        },
        _ => Aggregation::Dynamic {
            balance_e: None,
            min_e: None,
            max_e: None,
        },
    }
}

fn check_scenario(d: &Mpdta, scenario: &str, refs: &[&Ref]) -> Worst {
    let fit_name = scenario.split("_dyn_").next().unwrap_or(scenario);
    let res = run(d, fit_name);
    let mut w = Worst::default();
    for r in refs {
        let what = format!("{scenario}/{}/{:?}/{:?}", r.kind, r.key, r.t);
        match r.kind.as_str() {
            "attgt" => {
                let c = res
                    .cells
                    .iter()
                    .find(|c| Some(c.group) == r.key && Some(c.time) == r.t)
                    .unwrap_or_else(|| panic!("{what}: no such cell"));
                w.add(&what, c.att.unwrap(), c.se, r);
            }
            "pretest" => {
                let t = pretest(&res).unwrap();
                let rel = (t.w - r.att).abs() / r.att;
                assert!(rel < 1e-8, "{what}: W {} vs R {} (rel {rel:e})", t.w, r.att);
                // R rounds the p-value to 5 decimals.
                assert!(
                    (t.p - r.se.unwrap()).abs() <= 5e-6 + 1e-12,
                    "{what}: p {} vs {:?}",
                    t.p,
                    r.se
                );
            }
            kind => {
                let agg = aggregate(&res, &aggregation(kind, scenario), None).unwrap();
                if kind.ends_with("_overall") {
                    w.add(&what, agg.overall_att, agg.overall_se, r);
                } else {
                    let c = agg
                        .cells
                        .iter()
                        .find(|c| Some(c.key) == r.key)
                        .unwrap_or_else(|| panic!("{what}: no such aggregate cell"));
                    w.add(&what, c.att, c.se, r);
                }
            }
        }
    }
    // Every R cell is reproduced and no extra cells appear.
    let n_cells = refs.iter().filter(|r| r.kind == "attgt").count();
    if n_cells > 0 {
        assert_eq!(
            res.cells.len(),
            n_cells,
            "{scenario}: number of ATT(g,t) cells"
        );
    }
    w
}

#[test]
fn every_option_matches_r_did() {
    let d = mpdta();
    let refs = references();
    let mut scenarios: Vec<&str> = refs.iter().map(|r| r.scenario.as_str()).collect();
    scenarios.dedup();
    assert!(scenarios.len() >= 14);
    for s in scenarios {
        let mine: Vec<&Ref> = refs.iter().filter(|r| r.scenario == s).collect();
        let w = check_scenario(&d, s, &mine);
        eprintln!(
            "{s}: {} rows, worst ATT abs {:e}, worst SE rel {:e}",
            w.rows, w.att, w.se
        );
        assert!(w.att < 1e-9, "{s}: ATT differs by {}", w.att);
        assert!(w.se < 1e-7, "{s}: SE differs by {}", w.se);
    }
}
