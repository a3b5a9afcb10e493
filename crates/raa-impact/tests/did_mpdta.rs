//! mpdta (ORACLES.md, "Staggered adoption"): every ATT(g,t), the four aggregations and the Wald
//! pre-test against R `did` 2.5.0 (never-treated controls, doubly robust, varying base period,
//! analytic SEs), and the multiplier-bootstrap SE against the analytic one.

mod did_support;

use did_support::{mpdta, Mpdta};
use raa_impact::did::{
    aggregate, att_gt, pretest, Aggregated, Aggregation, AttGt, AttGtOptions, ControlGroup,
    PanelInput,
};
use raa_impact::inference::multiplier::{BootstrapOptions, MultiplierWeights};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/did/");

fn input(d: &Mpdta) -> PanelInput<'_> {
    d.input(None)
}

fn never_dr() -> AttGtOptions {
    AttGtOptions {
        control_group: ControlGroup::NeverTreated,
        ..Default::default()
    }
}

fn rows(file: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(format!("{DIR}{file}")).unwrap();
    r.records()
        .map(|x| x.unwrap().iter().map(|s| s.to_string()).collect())
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

fn estimate() -> AttGt {
    let d = mpdta();
    att_gt(&input(&d), &never_dr()).unwrap()
}

#[test]
fn every_att_gt_and_se_matches_r() {
    let res = estimate();
    let oracle = rows("mpdta_cs_attgt_nevertreated_dr.csv");
    assert_eq!(res.cells.len(), oracle.len());
    let (mut worst_att, mut worst_se) = (0.0f64, 0.0f64);
    for o in &oracle {
        let (g, t): (i64, i64) = (o[1].parse().unwrap(), o[2].parse().unwrap());
        let (att, se): (f64, f64) = (o[3].parse().unwrap(), o[4].parse().unwrap());
        let c = res
            .cells
            .iter()
            .find(|c| c.group == g && c.time == t)
            .unwrap();
        worst_att = worst_att.max((c.att.unwrap() - att).abs());
        worst_se = worst_se.max(rel(c.se.unwrap(), se));
    }
    eprintln!("worst ATT abs diff {worst_att:e}, worst SE rel diff {worst_se:e}");
    assert!(worst_att < 1e-9, "ATT differs by {worst_att}");
    assert!(worst_se < 1e-7, "SE differs by {worst_se}");
}

fn check_aggregation(agg: &Aggregated, kind: &str, oracle: &[Vec<String>]) -> (f64, f64) {
    let mine: Vec<&Vec<String>> = oracle.iter().filter(|o| o[1] == kind).collect();
    let overall: f64 = mine[0][5].parse().unwrap();
    let overall_se: f64 = mine[0][6].parse().unwrap();
    let mut worst_att = (agg.overall_att - overall).abs();
    let mut worst_se = rel(agg.overall_se.unwrap(), overall_se);
    if kind != "simple" {
        assert_eq!(agg.cells.len(), mine.len(), "{kind}: number of cells");
        for (c, o) in agg.cells.iter().zip(&mine) {
            assert_eq!(c.key, o[2].parse::<i64>().unwrap(), "{kind}: key");
            worst_att = worst_att.max((c.att - o[3].parse::<f64>().unwrap()).abs());
            worst_se = worst_se.max(rel(c.se.unwrap(), o[4].parse().unwrap()));
        }
    }
    (worst_att, worst_se)
}

#[test]
fn the_four_aggregations_match_r() {
    let res = estimate();
    let oracle = rows("mpdta_cs_aggte_nevertreated_dr.csv");
    let dynamic = Aggregation::Dynamic {
        balance_e: None,
        min_e: None,
        max_e: None,
    };
    for (how, kind) in [
        (Aggregation::Simple, "simple"),
        (Aggregation::Group, "group"),
        (dynamic, "dynamic"),
        (Aggregation::Calendar, "calendar"),
    ] {
        let agg = aggregate(&res, &how, None).unwrap();
        let (a, s) = check_aggregation(&agg, kind, &oracle);
        eprintln!("{kind}: worst ATT abs diff {a:e}, worst SE rel diff {s:e}");
        assert!(a < 1e-9, "{kind}: ATT differs by {a}");
        assert!(s < 1e-7, "{kind}: SE differs by {s}");
    }
}

#[test]
fn wald_pretest_matches_r() {
    let res = estimate();
    let oracle = rows("mpdta_cs_pretest_nevertreated_dr.csv");
    let (w, p): (f64, f64) = (oracle[0][1].parse().unwrap(), oracle[0][2].parse().unwrap());
    let t = pretest(&res).unwrap();
    eprintln!(
        "W rel diff {:e}, p abs diff {:e}",
        rel(t.w, w),
        (t.p - p).abs()
    );
    assert_eq!(t.df, 5);
    assert!(rel(t.w, w) < 1e-9);
    assert!((t.p - p).abs() < 1e-5);
}

#[test]
fn bootstrap_se_is_within_four_percent_of_analytic() {
    let d = mpdta();
    let boot = BootstrapOptions {
        draws: 20_000,
        seed: 7,
        weights: Some(MultiplierWeights::Rademacher),
        alpha: 0.05,
    };
    let res = att_gt(&input(&d), &never_dr()).unwrap();
    let dynamic = Aggregation::Dynamic {
        balance_e: None,
        min_e: None,
        max_e: None,
    };
    for how in [Aggregation::Simple, dynamic] {
        let analytic = aggregate(&res, &how, None).unwrap();
        let booted = aggregate(&res, &how, Some(&boot)).unwrap();
        let r = booted.overall_se.unwrap() / analytic.overall_se.unwrap();
        let sd = booted.bootstrap_overall.as_ref().unwrap().sd[0].unwrap();
        let r_sd = sd / analytic.overall_se.unwrap();
        eprintln!(
            "{how:?}: bootstrap (IQR, as did) / analytic SE = {r}; draws' SD / analytic = {r_sd}"
        );
        // The draws' standard deviation estimates the analytic SE itself: within 1.5% at B = 20,000.
        assert!((r_sd - 1.0).abs() < 0.015, "{how:?}: SD ratio {r_sd}");
        if matches!(how, Aggregation::Simple) {
            assert!((r - 1.0).abs() < 0.04, "{how:?}: ratio {r}");
        } else {
            // did's IQR/1.349 rule overstates the SE of the dynamic overall effect by about 4%
            // for every seed (long event times rest on the 20 counties of cohort 2004, so the
            // Rademacher sums are platykurtic); see SOURCES.md. Only the direction is asserted.
            assert!(r > 1.0 && r < 1.06, "{how:?}: ratio {r}");
        }
    }
    // Cell SEs from att_gt's own bootstrap, and a uniform band wider than pointwise.
    let with_boot = att_gt(
        &input(&d),
        &AttGtOptions {
            bootstrap: Some(boot),
            ..never_dr()
        },
    )
    .unwrap();
    assert!(with_boot.uniform && with_boot.crit_value > 1.96);
    let sd = &with_boot.bootstrap.as_ref().unwrap().sd;
    let mut worst_iqr = 0.0f64;
    for (j, (a, b)) in res.cells.iter().zip(&with_boot.cells).enumerate() {
        let r_sd = sd[j].unwrap() / a.se.unwrap();
        assert!(
            (r_sd - 1.0).abs() < 0.02,
            "cell ({}, {}): SD ratio {r_sd}",
            a.group,
            a.time
        );
        worst_iqr = worst_iqr.max((b.se.unwrap() / a.se.unwrap() - 1.0).abs());
    }
    eprintln!("cells: worst |IQR-based bootstrap SE / analytic − 1| = {worst_iqr}");
}

#[test]
fn clustered_bootstrap_matches_clustered_analytic_se() {
    // Clusters = states (FIPS prefix, 29 clusters): the bootstrap draws one weight per state and
    // its draws' SD estimates the cluster-sum analytic SE sqrt(Σ_c S_c²)/n.
    let d = mpdta();
    let state: Vec<i64> = d.county.iter().map(|c| c / 1000).collect();
    let input = PanelInput {
        cluster: Some(&state),
        ..input(&d)
    };
    let res = att_gt(&input, &never_dr()).unwrap();
    let boot = BootstrapOptions {
        draws: 20_000,
        seed: 3,
        weights: None,
        alpha: 0.05,
    };
    let analytic = aggregate(&res, &Aggregation::Simple, None).unwrap();
    let booted = aggregate(&res, &Aggregation::Group, Some(&boot)).unwrap();
    let simple_boot = aggregate(&res, &Aggregation::Simple, Some(&boot)).unwrap();
    let ob = simple_boot.bootstrap_overall.as_ref().unwrap();
    assert_eq!(ob.n_clusters, 29);
    assert_eq!(ob.weights, MultiplierWeights::Rademacher);
    let r = ob.sd[0].unwrap() / analytic.overall_se.unwrap();
    eprintln!("clustered: bootstrap SD / analytic = {r}");
    assert!((r - 1.0).abs() < 0.02, "ratio {r}");
    // The group aggregation's band is uniform and at least as wide as pointwise.
    assert!(booted.uniform && booted.crit_value >= 1.959);
    for c in &booted.cells {
        let (lo, hi) = c.ci.unwrap();
        assert!((hi - lo - 2.0 * booted.crit_value * c.se.unwrap()).abs() < 1e-12);
    }
}
