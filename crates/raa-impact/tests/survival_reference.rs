//! Survival estimators against R's survival 3.5-3 (tests/data/survival/make_reference.R).

use std::collections::HashMap;
use std::path::PathBuf;

use raa_impact::survival::{
    cox_treatment, cumulative_incidence, kaplan_meier, rmst_difference, KmCurve,
};

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/survival")
        .join(name)
}

/// Columns of a numeric CSV by header name ("NaN"/"inf" parse as such).
fn read_columns(name: &str) -> HashMap<String, Vec<f64>> {
    let mut rdr = csv::Reader::from_path(data_path(name)).expect("reference file");
    let headers: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let mut cols: HashMap<String, Vec<f64>> =
        headers.iter().map(|h| (h.clone(), Vec::new())).collect();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        for (h, v) in headers.iter().zip(rec.iter()) {
            cols.get_mut(h)
                .expect("column")
                .push(v.parse().expect("number"));
        }
    }
    cols
}

fn scalars() -> HashMap<String, f64> {
    let mut rdr = csv::Reader::from_path(data_path("scalars.csv")).expect("scalars");
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            (r[0].to_string(), r[1].parse().expect("number"))
        })
        .collect()
}

fn close(what: &str, got: f64, want: f64, tol: f64) {
    if want.is_nan() {
        assert!(got.is_nan(), "{what}: got {got}, R gives NaN");
        return;
    }
    assert!(
        (got - want).abs() <= tol * (1.0 + want.abs()),
        "{what}: got {got}, R gives {want}"
    );
}

fn close_all(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (k, (&g, &w)) in got.iter().zip(want).enumerate() {
        close(&format!("{what}[{k}]"), g, w, tol);
    }
}

fn compare_km(km: &KmCurve, file: &str) {
    let r = read_columns(file);
    close_all("time", &km.time, &r["time"], 1e-12);
    close_all("n_risk", &km.n_risk, &r["n_risk"], 1e-10);
    close_all("n_event", &km.n_event, &r["n_event"], 1e-10);
    close_all("n_censor", &km.n_censor, &r["n_censor"], 1e-10);
    close_all("survival", &km.survival, &r["surv"], 1e-8);
    close_all("std_err", &km.std_err, &r["std_err"], 1e-8);
    close_all("lower", &km.lower, &r["lower"], 1e-8);
    close_all("upper", &km.upper, &r["upper"], 1e-8);
}

struct Data {
    time: Vec<f64>,
    event: Vec<bool>,
    treated: Vec<bool>,
    w: Option<Vec<f64>>,
    cluster: Vec<u64>,
}

fn load(file: &str) -> Data {
    let c = read_columns(file);
    Data {
        time: c["time"].clone(),
        event: c["status"].iter().map(|&s| s == 1.0).collect(),
        treated: c["treated"].iter().map(|&s| s == 1.0).collect(),
        w: c.get("w").cloned(),
        cluster: c["cluster"].iter().map(|&s| s as u64).collect(),
    }
}

#[test]
fn km_unweighted_matches_survfit_greenwood() {
    let d = load("veteran.csv");
    let km = kaplan_meier(&d.time, &d.event, None).unwrap();
    compare_km(&km, "veteran_km.csv");
    let s = scalars();
    assert_eq!(km.median(), Some(s["veteran_median"]));
    close("rmean(200)", km.rmst(200.0), s["veteran_rmean200"], 1e-10);

    let l = load("lung.csv");
    let kml = kaplan_meier(&l.time, &l.event, None).unwrap();
    compare_km(&kml, "lung_km.csv");
    assert_eq!(kml.median(), Some(s["lung_median"]));
}

#[test]
fn km_weighted_matches_survfit_infinitesimal_jackknife() {
    let d = load("veteran.csv");
    let km = kaplan_meier(&d.time, &d.event, d.w.as_deref()).unwrap();
    compare_km(&km, "veteran_km_weighted.csv");
    let s = scalars();
    assert_eq!(km.median(), Some(s["veteran_w_median"]));
    close(
        "weighted rmean(200)",
        km.rmst(200.0),
        s["veteran_w_rmean200"],
        1e-10,
    );
}

#[test]
fn rmst_greenwood_matches_survfit_rmean() {
    let d = load("veteran.csv");
    let s = scalars();
    let r = rmst_difference(&d.time, &d.event, &d.treated, None, None, 365.0).unwrap();
    close(
        "rmst treated",
        r.rmst_treated,
        s["veteran_rmst_treated"],
        1e-10,
    );
    close(
        "rmst control",
        r.rmst_control,
        s["veteran_rmst_control"],
        1e-10,
    );
    close("se", r.se, s["veteran_rmst_se_greenwood"], 1e-8);
    assert_eq!(r.se_method, "greenwood");
    close(
        "ci lower",
        r.ci.0,
        r.estimate - 1.959963984540054 * r.se,
        1e-12,
    );
}

#[test]
fn rmst_sandwich_matches_survfit_influence() {
    let d = load("veteran.csv");
    let s = scalars();
    let n = d.time.len();
    let ones = vec![1.0; n];
    let rows: Vec<u64> = (0..n as u64).collect();
    // Unit weights, each row its own cluster: the influence variance equals Greenwood's.
    let r = rmst_difference(&d.time, &d.event, &d.treated, Some(&ones), None, 365.0).unwrap();
    close("unit se rows", r.se, s["veteran_rmst_unit_se_rows"], 1e-8);
    close(
        "unit se rows = greenwood",
        r.se,
        s["veteran_rmst_se_greenwood"],
        1e-8,
    );
    let r = rmst_difference(&d.time, &d.event, &d.treated, None, Some(&rows), 365.0).unwrap();
    close(
        "unit se explicit rows",
        r.se,
        s["veteran_rmst_unit_se_rows"],
        1e-8,
    );
    let r = rmst_difference(&d.time, &d.event, &d.treated, None, Some(&d.cluster), 365.0).unwrap();
    close(
        "unit se cluster",
        r.se,
        s["veteran_rmst_unit_se_cluster"],
        1e-8,
    );
    close(
        "unit estimate",
        r.estimate,
        s["veteran_rmst_unit_estimate"],
        1e-10,
    );
    assert_eq!(r.se_method, "influence-function sandwich");

    let w = d.w.as_deref();
    let r = rmst_difference(&d.time, &d.event, &d.treated, w, None, 365.0).unwrap();
    close(
        "weighted estimate",
        r.estimate,
        s["veteran_rmst_weighted_estimate"],
        1e-10,
    );
    close(
        "weighted se rows",
        r.se,
        s["veteran_rmst_weighted_se_rows"],
        1e-8,
    );
    let r = rmst_difference(&d.time, &d.event, &d.treated, w, Some(&d.cluster), 365.0).unwrap();
    close(
        "weighted se cluster",
        r.se,
        s["veteran_rmst_weighted_se_cluster"],
        1e-8,
    );
}

#[test]
fn cox_efron_matches_coxph() {
    let s = scalars();
    let d = load("veteran.csv");
    let fit = cox_treatment(&d.time, &d.event, &d.treated, None, None).unwrap();
    close("coef", fit.log_hazard_ratio, s["veteran_cox_coef"], 1e-8);
    close("se", fit.se, s["veteran_cox_se"], 1e-8);
    assert!(fit.robust_se.is_none());
    let fit = cox_treatment(&d.time, &d.event, &d.treated, None, Some(&d.cluster)).unwrap();
    close(
        "robust se",
        fit.robust_se.unwrap(),
        s["veteran_cox_robust_se"],
        1e-8,
    );
    close("robust p", fit.p_value, s["veteran_cox_robust_p"], 1e-8);

    let w = d.w.as_deref();
    let fit = cox_treatment(&d.time, &d.event, &d.treated, w, Some(&d.cluster)).unwrap();
    close(
        "weighted coef",
        fit.log_hazard_ratio,
        s["veteran_coxw_coef"],
        1e-8,
    );
    close(
        "weighted naive se",
        fit.se,
        s["veteran_coxw_naive_se"],
        1e-8,
    );
    close(
        "weighted robust se",
        fit.robust_se.unwrap(),
        s["veteran_coxw_robust_se"],
        1e-8,
    );
    let rows: Vec<u64> = (0..d.time.len() as u64).collect();
    let fit = cox_treatment(&d.time, &d.event, &d.treated, w, Some(&rows)).unwrap();
    close(
        "weighted row-robust se",
        fit.robust_se.unwrap(),
        s["veteran_coxw_rowrobust_se"],
        1e-8,
    );

    // lung: many tied death times, so the Efron terms matter
    let l = load("lung.csv");
    let fit = cox_treatment(&l.time, &l.event, &l.treated, None, Some(&l.cluster)).unwrap();
    close("lung coef", fit.log_hazard_ratio, s["lung_cox_coef"], 1e-8);
    close("lung se", fit.se, s["lung_cox_naive_se"], 1e-8);
    close(
        "lung robust se",
        fit.robust_se.unwrap(),
        s["lung_cox_robust_se"],
        1e-8,
    );
}

#[test]
fn aalen_johansen_matches_survfit_multistate() {
    let c = read_columns("competing.csv");
    let status: Vec<u8> = c["status"].iter().map(|&s| s as u8).collect();
    for (file, w) in [
        ("competing_aj_unit.csv", None),
        ("competing_aj_weighted.csv", Some(c["w"].as_slice())),
    ] {
        let r = read_columns(file);
        let ci = cumulative_incidence(&c["time"], &status, w).unwrap();
        close_all("time", &ci.time, &r["time"], 1e-12);
        close_all("incidence", &ci.incidence, &r["incidence"], 1e-8);
        close_all("std_err", &ci.std_err, &r["std_err"], 1e-8);
    }
}
