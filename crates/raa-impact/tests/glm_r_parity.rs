//! Parity with R 4.2 `glm(family = binomial(link))` on stored reference fits
//! (tests/data/glm/*.R made the reference files).

use raa_impact::glm::{fit_binomial, GlmFit, GlmOptions, GlmWarning, Link};
use std::collections::HashMap;
use std::path::PathBuf;

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/glm")
        .join(name)
}

/// A delimited file as named columns of strings.
fn read_table(name: &str, delimiter: u8) -> HashMap<String, Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(data_path(name))
        .expect("open");
    let headers: Vec<String> = rdr
        .headers()
        .expect("headers")
        .iter()
        .map(String::from)
        .collect();
    let mut cols: HashMap<String, Vec<String>> =
        headers.iter().map(|h| (h.clone(), Vec::new())).collect();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        for (h, v) in headers.iter().zip(rec.iter()) {
            cols.get_mut(h).expect("column").push(v.to_string());
        }
    }
    cols
}

fn num(t: &HashMap<String, Vec<String>>, col: &str) -> Vec<f64> {
    t[col]
        .iter()
        .map(|v| v.parse::<f64>().expect("number"))
        .collect()
}

/// R's reference: coefficients, standard errors and fit statistics.
struct Reference {
    terms: Vec<String>,
    estimates: Vec<f64>,
    std_errors: Vec<f64>,
    deviance: f64,
    null_deviance: f64,
    aic: f64,
    iterations: usize,
}

fn reference(stem: &str) -> Reference {
    let c = read_table(&format!("{stem}_coef.csv"), b',');
    let s = read_table(&format!("{stem}_stats.csv"), b',');
    Reference {
        terms: c["term"].clone(),
        estimates: num(&c, "estimate"),
        std_errors: num(&c, "std_error"),
        deviance: num(&s, "deviance")[0],
        null_deviance: num(&s, "null_deviance")[0],
        aic: num(&s, "aic")[0],
        iterations: s["iterations"][0].parse().expect("iterations"),
    }
}

/// `|a - b| <= tol * max(|b|, 1)`: relative for large values, absolute for small ones.
fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

/// Largest relative error, for the failure message.
fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

fn assert_matches(fit: &GlmFit, r: &Reference) {
    assert_eq!(fit.names, r.terms);
    assert!(fit.converged);
    assert_eq!(fit.iterations, r.iterations, "iterations");
    for (j, t) in r.terms.iter().enumerate() {
        let (b, rb) = (fit.coefficients[j], r.estimates[j]);
        // Relative 1e-8 on every coefficient, even the tiny earnings ones.
        assert!(
            rel(b, rb) < 1e-8,
            "{t}: {b:e} vs R {rb:e} (rel {:e})",
            rel(b, rb)
        );
        let (s, rs) = (fit.std_errors[j], r.std_errors[j]);
        assert!(
            rel(s, rs) < 1e-8,
            "SE {t}: {s:e} vs R {rs:e} (rel {:e})",
            rel(s, rs)
        );
    }
    let worst = (0..r.terms.len())
        .map(|j| {
            let b = rel(fit.coefficients[j], r.estimates[j]);
            b.max(rel(fit.std_errors[j], r.std_errors[j]))
        })
        .fold(0.0, f64::max);
    eprintln!("largest relative difference to R (coefficients, SEs): {worst:e}");
    assert!(
        close(fit.deviance, r.deviance, 1e-10),
        "deviance {} vs {}",
        fit.deviance,
        r.deviance
    );
    assert!(close(fit.null_deviance, r.null_deviance, 1e-12));
    assert!(close(fit.aic, r.aic, 1e-10), "aic {} vs {}", fit.aic, r.aic);
}

fn lalonde() -> (Vec<Vec<f64>>, Vec<String>, Vec<f64>) {
    let t = read_table("lalonde_matchit.csv", b',');
    let dummy = |level: &str| -> Vec<f64> {
        t["race"]
            .iter()
            .map(|r| if r == level { 1.0 } else { 0.0 })
            .collect()
    };
    let cols = vec![
        num(&t, "age"),
        num(&t, "educ"),
        dummy("hispan"),
        dummy("white"),
        num(&t, "married"),
        num(&t, "nodegree"),
        num(&t, "re74"),
        num(&t, "re75"),
    ];
    let names = [
        "age",
        "educ",
        "racehispan",
        "racewhite",
        "married",
        "nodegree",
        "re74",
        "re75",
    ];
    (
        cols,
        names.iter().map(|s| s.to_string()).collect(),
        num(&t, "treat"),
    )
}

fn nsw_dw() -> (Vec<Vec<f64>>, Vec<String>, Vec<f64>) {
    let t = read_table("nsw_dw.tsv", b'\t');
    let sq = |c: &str| -> Vec<f64> { num(&t, c).iter().map(|v| v * v).collect() };
    let cols = vec![
        num(&t, "age"),
        sq("age"),
        num(&t, "educ"),
        sq("educ"),
        num(&t, "black"),
        num(&t, "hisp"),
        num(&t, "married"),
        num(&t, "nodegree"),
        num(&t, "re74"),
        sq("re74"),
        num(&t, "re75"),
        sq("re75"),
        num(&t, "u74"),
        num(&t, "u75"),
    ];
    let names = [
        "age",
        "I(age^2)",
        "educ",
        "I(educ^2)",
        "black",
        "hisp",
        "married",
        "nodegree",
        "re74",
        "I(re74^2)",
        "re75",
        "I(re75^2)",
        "u74",
        "u75",
    ];
    (
        cols,
        names.iter().map(|s| s.to_string()).collect(),
        num(&t, "t"),
    )
}

fn fit(cols: &[Vec<f64>], names: &[String], y: &[f64], options: &GlmOptions) -> GlmFit {
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    fit_binomial(&refs, names, y, options).expect("fit")
}

fn assert_fitted(fit: &GlmFit, file: &str, column: &str) {
    let ps = num(&read_table(file, b','), column);
    assert_eq!(ps.len(), fit.fitted.len());
    for (i, (a, b)) in fit.fitted.iter().zip(&ps).enumerate() {
        assert!(rel(*a, *b) < 1e-8, "row {i}: {a} vs R {b}");
    }
}

#[test]
fn dehejia_wahba_logit_matches_r() {
    let (cols, names, y) = nsw_dw();
    let f = fit(&cols, &names, &y, &GlmOptions::default());
    assert_matches(&f, &reference("nsw_dw_logit"));
    assert_fitted(&f, "nsw_dw_pscore.csv", "ps");
}

#[test]
fn lalonde_logit_and_probit_match_r() {
    let (cols, names, y) = lalonde();
    for (link, stem) in [
        (Link::Logit, "lalonde_logit"),
        (Link::Probit, "lalonde_probit"),
    ] {
        let f = fit(
            &cols,
            &names,
            &y,
            &GlmOptions {
                link,
                ..GlmOptions::default()
            },
        );
        assert_matches(&f, &reference(stem));
        assert_fitted(&f, &format!("{stem}_fitted.csv"), "fitted");
    }
}

fn generated(name: &str) -> (Vec<Vec<f64>>, Vec<String>, Vec<f64>, Vec<f64>) {
    let t = read_table(&format!("gen_{name}.csv"), b',');
    let cols = vec![num(&t, "x1"), num(&t, "x2"), num(&t, "x3")];
    let names = ["x1", "x2", "x3"].iter().map(|s| s.to_string()).collect();
    (cols, names, num(&t, "y"), num(&t, "w"))
}

#[test]
fn generated_data_sets_match_r() {
    for (name, weighted) in [
        ("plain", false),
        ("weighted", true),
        ("nearsep", false),
        ("zeroweight", true),
    ] {
        let (cols, names, y, w) = generated(name);
        for (link, l) in [(Link::Logit, "logit"), (Link::Probit, "probit")] {
            let options = GlmOptions {
                link,
                weights: weighted.then(|| w.clone()),
                ..GlmOptions::default()
            };
            let f = fit(&cols, &names, &y, &options);
            assert_matches(&f, &reference(&format!("gen_{name}_{l}")));
            // The near-separated data overlap: no separation may be reported.
            assert!(
                !f.warnings
                    .iter()
                    .any(|w| matches!(w, GlmWarning::Separation { .. })),
                "{name} {l}: {:?}",
                f.warnings
            );
        }
    }
}

#[test]
fn fit_without_intercept_matches_r() {
    let (cols, names, y, _) = generated("plain");
    let options = GlmOptions {
        intercept: false,
        ..GlmOptions::default()
    };
    let f = fit(&cols, &names, &y, &options);
    // R's null deviance without intercept is the deviance at mu = 0.5.
    assert_matches(&f, &reference("gen_plain_nointercept"));
}

#[test]
fn fit_serialises_and_reads_back() {
    let (cols, names, y) = lalonde();
    let f = fit(&cols, &names, &y, &GlmOptions::default());
    let json = serde_json::to_string(&f).expect("serialise");
    let back: GlmFit = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back.coefficients, f.coefficients);
    assert_eq!(back.link, Link::Logit);
}
