//! `did::att_gt` with `allow_unbalanced` against R `did` 2.5.1's `allow_unbalanced_panel = TRUE`
//! on an unbalanced mpdta (`tests/data/did/mpdta_unbalanced.R`: a seeded 10% of the rows dropped):
//! dr / reg / ipw, with and without lpop, never- and not-yet-treated comparisons, universal base,
//! anticipation, clusters, weights; every ATT(g,t), SE, aggregation and the Wald pre-test. Also:
//! on a balanced panel the option changes nothing, and the row order does not matter.

use raa_impact::did::{
    aggregate, att_gt, pretest, Aggregation, AttGt, AttGtOptions, BasePeriod, CellStatus,
    ControlGroup, EstMethod, PanelInput,
};
use raa_impact::inference::multiplier::BootstrapOptions;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/did/");

/// ATT(g,t) and aggregated effects: absolute difference from R.
const ATT_TOL: f64 = 1e-8;
/// Standard errors: relative difference from R.
const SE_TOL: f64 = 1e-6;

mod did_support;
/// mpdta-shaped rows (year, county, lpop, lemp, first treated), the state as a cluster.
use did_support::Mpdta as Data;

fn load(file: &str) -> Data {
    did_support::mpdta_file(&format!("{DIR}{file}"))
}

#[derive(Debug)]
struct Ref {
    scenario: String,
    kind: String,
    key: Option<i64>,
    t: Option<i64>,
    /// `None` where R reports NA (a cell R cannot estimate).
    att: Option<f64>,
    se: Option<f64>,
}

fn references() -> Vec<Ref> {
    let mut r = csv::Reader::from_path(format!("{DIR}mpdta_unbalanced_ref.csv")).unwrap();
    let opt = |s: &str| (s != "NA").then(|| s.parse::<f64>().unwrap());
    r.records()
        .map(|x| {
            let x = x.unwrap();
            Ref {
                scenario: x[0].to_string(),
                kind: x[1].to_string(),
                key: opt(&x[2]).map(|v| v as i64),
                t: opt(&x[3]).map(|v| v as i64),
                att: opt(&x[4]),
                se: opt(&x[5]),
            }
        })
        .collect()
}

fn has(scenario: &str, part: &str) -> bool {
    scenario.split('_').any(|p| p == part)
}

fn options(scenario: &str) -> AttGtOptions {
    AttGtOptions {
        control_group: if has(scenario, "nyt") {
            ControlGroup::NotYetTreated
        } else {
            ControlGroup::NeverTreated
        },
        est_method: if has(scenario, "reg") {
            EstMethod::Reg
        } else if has(scenario, "ipw") {
            EstMethod::Ipw
        } else {
            EstMethod::Dr
        },
        base_period: if has(scenario, "universal") {
            BasePeriod::Universal
        } else {
            BasePeriod::Varying
        },
        anticipation: if has(scenario, "antic1") { 1 } else { 0 },
        allow_unbalanced: true,
        ..Default::default()
    }
}

/// The rows of a scenario: all, or (`gap`) without the never-treated rows of 2005.
fn rows_of(d: &Data, scenario: &str) -> Data {
    let keep: Vec<usize> = (0..d.year.len())
        .filter(|&i| !(has(scenario, "gap") && d.first_treat[i] == 0 && d.year[i] == 2005))
        .collect();
    let pick_i = |v: &[i64]| keep.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let pick_f = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<_>>();
    Data {
        year: pick_i(&d.year),
        county: pick_i(&d.county),
        state: pick_i(&d.state),
        lpop: pick_f(&d.lpop),
        lemp: pick_f(&d.lemp),
        first_treat: pick_i(&d.first_treat),
    }
}

fn run_on(d: &Data, scenario: &str, opts: &AttGtOptions) -> AttGt {
    let d = &rows_of(d, scenario);
    let x: [&[f64]; 1] = [&d.lpop];
    let input = PanelInput {
        unit: &d.county,
        time: &d.year,
        group: &d.first_treat,
        y: &d.lemp,
        covariates: if has(scenario, "x") { &x } else { &[] },
        cluster: has(scenario, "cluster").then_some(&d.state[..]),
        weights: has(scenario, "weights").then_some(&d.lpop[..]),
    };
    att_gt(&input, opts).unwrap()
}

fn aggregation(kind: &str, scenario: &str) -> Aggregation {
    match kind.trim_end_matches("_overall") {
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

/// Worst |ΔATT| and worst relative ΔSE over a scenario's rows, with where they occur.
#[derive(Default, Debug)]
struct Worst {
    att: (f64, String),
    se: (f64, String),
    rows: usize,
}

impl Worst {
    fn add(&mut self, what: &str, att: Option<f64>, se: Option<f64>, r: &Ref) {
        self.rows += 1;
        let att = att.unwrap_or_else(|| panic!("{what}: no estimate, R has {:?}", r.att));
        let d = (att - r.att.unwrap()).abs();
        if d >= self.att.0 {
            self.att = (d, what.to_string());
        }
        match (se, r.se) {
            (Some(a), Some(b)) => {
                let rel = (a - b).abs() / b;
                if rel >= self.se.0 {
                    self.se = (rel, what.to_string());
                }
            }
            (None, None) => {}
            other => panic!("{what}: SE presence differs from R: {other:?}"),
        }
    }
}

fn check_scenario(d: &Data, scenario: &str, refs: &[&Ref]) -> Worst {
    let fit_name = scenario.split("_dyn_").next().unwrap_or(scenario);
    let res = run_on(d, fit_name, &options(fit_name));
    assert!(
        res.warnings
            .iter()
            .any(|w| w.contains("unbalanced panel:") && w.contains("units are not observed")),
        "{scenario}: no unbalanced-panel note in {:?}",
        res.warnings
    );
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
                if r.att.is_none() {
                    // R: NA (no rows of a side in one of the periods).
                    assert!(
                        matches!(c.status, CellStatus::NotIdentified(_)) && c.att.is_none(),
                        "{what}: R has NA, here {c:?}"
                    );
                    continue;
                }
                w.add(&what, c.att, c.se, r);
            }
            "n_units" => assert_eq!(Some(res.n_units() as f64), r.att, "{what}"),
            "pretest" => {
                let t = pretest(&res).unwrap();
                let want = r.att.unwrap();
                let rel = (t.w - want).abs() / want;
                assert!(rel < SE_TOL, "{what}: W {} vs R {want} (rel {rel:e})", t.w);
                // R rounds the p-value to 5 decimals.
                let p = r.se.unwrap();
                assert!((t.p - p).abs() <= 5e-6 + 1e-12, "{what}: p {} vs {p}", t.p);
            }
            kind => {
                let agg = aggregate(&res, &aggregation(kind, scenario), None).unwrap();
                if kind.ends_with("_overall") {
                    w.add(&what, Some(agg.overall_att), agg.overall_se, r);
                } else {
                    let c = agg
                        .cells
                        .iter()
                        .find(|c| Some(c.key) == r.key)
                        .unwrap_or_else(|| panic!("{what}: no such aggregate cell"));
                    w.add(&what, Some(c.att), c.se, r);
                    let r_keys = refs.iter().filter(|x| x.kind == kind).count();
                    assert_eq!(agg.cells.len(), r_keys, "{what}: number of {kind} effects");
                }
            }
        }
    }
    let n_cells = refs.iter().filter(|r| r.kind == "attgt").count();
    if n_cells > 0 {
        assert_eq!(res.cells.len(), n_cells, "{scenario}: number of cells");
    }
    w
}

#[test]
fn every_scenario_matches_r_did_allow_unbalanced_panel() {
    let d = load("mpdta_unbalanced.csv");
    let refs = references();
    let mut scenarios: Vec<&str> = refs.iter().map(|r| r.scenario.as_str()).collect();
    scenarios.dedup();
    assert!(scenarios.len() >= 22, "{} scenarios", scenarios.len());
    let (mut worst_att, mut worst_se) = ((0.0, String::new()), (0.0, String::new()));
    for s in scenarios {
        let mine: Vec<&Ref> = refs.iter().filter(|r| r.scenario == s).collect();
        let w = check_scenario(&d, s, &mine);
        eprintln!(
            "{s}: {} rows, worst ATT abs {:e} ({}), worst SE rel {:e} ({})",
            w.rows, w.att.0, w.att.1, w.se.0, w.se.1
        );
        assert!(w.att.0 <= ATT_TOL, "{s}: ATT differs by {:?}", w.att);
        assert!(w.se.0 <= SE_TOL, "{s}: SE differs by {:?}", w.se);
        if w.att.0 >= worst_att.0 {
            worst_att = w.att;
        }
        if w.se.0 >= worst_se.0 {
            worst_se = w.se;
        }
    }
    eprintln!("overall worst: ATT abs {worst_att:?}, SE rel {worst_se:?}");
}

/// Every field of two results, compared bit for bit (through their serialisation).
fn same(a: &AttGt, b: &AttGt) -> bool {
    serde_json::to_string(a).unwrap() == serde_json::to_string(b).unwrap()
}

#[test]
fn balanced_panel_with_the_option_equals_without() {
    let d = load("mpdta.csv");
    for s in [
        "nev_dr",
        "nyt_reg_x",
        "nev_ipw_x_cluster",
        "nyt_dr_universal",
        "nev_dr_x_weights",
    ] {
        let on = options(s);
        let off = AttGtOptions {
            allow_unbalanced: false,
            ..on
        };
        let (a, b) = (run_on(&d, s, &on), run_on(&d, s, &off));
        assert_eq!(a.cells, b.cells, "{s}");
        assert_eq!(a.influence, b.influence, "{s}");
        assert_eq!(a.warnings, b.warnings, "{s}");
        for how in [
            Aggregation::Simple,
            Aggregation::Group,
            Aggregation::Calendar,
        ] {
            let (x, y) = (
                aggregate(&a, &how, None).unwrap(),
                aggregate(&b, &how, None).unwrap(),
            );
            assert_eq!(x, y, "{s} {how:?}");
        }
        assert_eq!(pretest(&a).unwrap(), pretest(&b).unwrap(), "{s}");
    }
}

#[test]
fn without_the_option_incomplete_units_are_dropped() {
    let d = load("mpdta_unbalanced.csv");
    let opts = AttGtOptions {
        allow_unbalanced: false,
        ..options("nev_dr")
    };
    let res = run_on(&d, "nev_dr", &opts);
    let incomplete = 500 - res.n_units();
    assert!(incomplete > 0);
    assert!(res.warnings.iter().any(|w| w.contains(&format!(
        "dropped {incomplete} units not observed in every period"
    ))));
    assert_eq!(res.incomplete_units, 0);
    let on = run_on(&d, "nev_dr", &options("nev_dr"));
    assert_eq!(on.n_units(), 500);
    assert_eq!(on.incomplete_units, incomplete);
    assert!(on.warnings.iter().any(|w| w.contains(&format!(
        "unbalanced panel: {incomplete} units are not observed in every period"
    ))));
}

#[test]
fn row_order_does_not_change_the_result() {
    let d = load("mpdta_unbalanced.csv");
    // A fixed permutation: stride through the rows with a step coprime to their number.
    let n = d.year.len();
    let step = (2..n).find(|k| gcd(*k, n) == 1 && *k > n / 3).unwrap();
    let perm: Vec<usize> = (0..n).map(|i| (i * step + 7) % n).collect();
    let pick_i = |v: &[i64]| perm.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let pick_f = |v: &[f64]| perm.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let shuffled = Data {
        year: pick_i(&d.year),
        county: pick_i(&d.county),
        state: pick_i(&d.state),
        lpop: pick_f(&d.lpop),
        lemp: pick_f(&d.lemp),
        first_treat: pick_i(&d.first_treat),
    };
    assert_ne!(shuffled.county, d.county);
    for s in ["nev_dr_x_cluster", "nyt_ipw_x", "nyt_reg"] {
        let (a, b) = (
            run_on(&d, s, &options(s)),
            run_on(&shuffled, s, &options(s)),
        );
        assert!(same(&a, &b), "{s}: results differ after permuting rows");
        assert!(a.cells.iter().all(|c| c.status == CellStatus::Estimated));
    }
}

#[test]
fn clustered_bootstrap_runs_on_units_and_agrees_with_the_analytic_se() {
    let d = load("mpdta_unbalanced.csv");
    let analytic = run_on(&d, "nev_dr_cluster", &options("nev_dr_cluster"));
    let boot_opts = BootstrapOptions {
        draws: 5000,
        ..Default::default()
    };
    let booted = run_on(
        &d,
        "nev_dr_cluster",
        &AttGtOptions {
            bootstrap: Some(boot_opts),
            ..options("nev_dr_cluster")
        },
    );
    // One influence row per unit (500), summed into 29 state clusters by the bootstrap.
    assert_eq!(booted.n_units(), 500);
    assert_eq!(booted.influence.len(), 500 * booted.cells.len());
    let how = Aggregation::Simple;
    let a = aggregate(&analytic, &how, None).unwrap();
    let b = aggregate(&booted, &how, Some(&boot_opts)).unwrap();
    // The draws' standard deviation estimates the clustered analytic SE sqrt(Σ_c S_c²)/n. (The
    // reported SE is did's IQR/1.349, which exceeds it here, as on the balanced mpdta: the
    // Rademacher sums over 29 states are dominated by a few states' influence; see SOURCES.md.
    // R did's own bootstrap gives IQR-based / analytic = 1.19 here at B = 5000, ours 1.22.)
    let sd = b.bootstrap_overall.as_ref().unwrap().sd[0].unwrap();
    let ratio = sd / a.overall_se.unwrap();
    assert!(
        (0.95..1.05).contains(&ratio),
        "bootstrap SD / analytic SE {ratio}"
    );
    let iqr = b.overall_se.unwrap() / a.overall_se.unwrap();
    eprintln!("bootstrap SD / analytic {ratio}, IQR-based SE / analytic {iqr}");
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}
