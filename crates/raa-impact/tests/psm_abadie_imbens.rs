//! Abadie–Imbens matching against R Matching 4.10-8 on the NSW (Dehejia–Wahba) sample.
//! Data and references: tests/data/abadie_imbens/ (see SOURCES.md there; references.R made them).

use raa_impact::psm::abadie_imbens::{ai_match, difference_in_means, AiOptions, Estimand, Scaling};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/abadie_imbens");

struct Nsw {
    cols: Vec<String>,
    rows: Vec<Vec<f64>>,
}

impl Nsw {
    fn load() -> Nsw {
        let text = std::fs::read_to_string(format!("{DIR}/nsw_dw.tsv")).expect("nsw_dw.tsv");
        let mut lines = text.lines();
        let cols = lines
            .next()
            .expect("header")
            .split('\t')
            .map(str::to_string)
            .collect();
        let rows = lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                l.split('\t')
                    .map(|v| v.trim().parse::<f64>().expect("number"))
                    .collect()
            })
            .collect();
        Nsw { cols, rows }
    }
    fn col(&self, name: &str) -> Vec<f64> {
        let k = self.cols.iter().position(|c| c == name).expect("column");
        self.rows.iter().map(|r| r[k]).collect()
    }
    fn treated(&self) -> Vec<bool> {
        self.col("t").iter().map(|&v| v == 1.0).collect()
    }
}

fn pscore() -> Vec<f64> {
    let text = std::fs::read_to_string(format!("{DIR}/nsw_dw_pscore.csv")).expect("pscore");
    text.lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(1)
                .expect("pscore")
                .trim()
                .parse()
                .expect("number")
        })
        .collect()
}

/// A covariate that is 0 for every control (references.R's `zc`): makes the bias-adjustment
/// regression among controls singular, which Matching resolves with a small ridge.
fn zero_for_controls(tr: &[bool]) -> Vec<f64> {
    tr.iter()
        .enumerate()
        .map(|(i, &t)| if t { ((i + 1) % 7) as f64 / 7.0 } else { 0.0 })
        .collect()
}

fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    ((a - b) / b).abs() <= tol
}

#[test]
fn difference_in_means_matches_oracle() {
    let d = Nsw::load();
    let dm = difference_in_means(&d.col("re78"), &d.treated()).unwrap();
    assert!((dm - 1.794343).abs() < 1e-6, "{dm}");
}

#[test]
fn ate_on_age_matches_oracle() {
    let d = Nsw::load();
    let age = d.col("age");
    let o = AiOptions {
        estimand: Estimand::Ate,
        sample: true,
        ..AiOptions::default()
    };
    let r = ai_match(&d.col("re78"), &d.treated(), &[&age[..]], &o).unwrap();
    assert!(rel_close(r.estimate, 1.785191, 1e-6), "{}", r.estimate);
    assert!(rel_close(r.se, 0.6867167, 1e-6), "{}", r.se);
    assert_eq!(r.n_matched_obs, 445);
}

#[test]
fn ate_on_four_covariates_matches_oracle() {
    let d = Nsw::load();
    let cols: Vec<Vec<f64>> = ["age", "educ", "re74", "re75"]
        .iter()
        .map(|c| d.col(c))
        .collect();
    let x: Vec<&[f64]> = cols.iter().map(|c| &c[..]).collect();
    let o = AiOptions {
        estimand: Estimand::Ate,
        sample: true,
        ..AiOptions::default()
    };
    let r = ai_match(&d.col("re78"), &d.treated(), &x, &o).unwrap();
    assert!(rel_close(r.estimate, 1.714407, 1e-6), "{}", r.estimate);
    assert!(rel_close(r.se, 0.7401292, 1e-6), "{}", r.se);
}

#[test]
fn att_on_dehejia_wahba_pscore_matches_oracle() {
    let d = Nsw::load();
    let ps = pscore();
    let r = ai_match(
        &d.col("re78"),
        &d.treated(),
        &[&ps[..]],
        &AiOptions::default(),
    )
    .unwrap();
    assert!((r.estimate - 2.153306).abs() < 1e-6, "{}", r.estimate);
    assert!((r.se - 0.825398).abs() < 1e-6, "{}", r.se);
    assert!((r.se_naive - 0.678092).abs() < 1e-6, "{}", r.se_naive);
    assert_eq!(r.n_treated, 185);
    assert_eq!(r.n_control, 260);
    // Pair weights of each focal unit sum to one.
    assert!((r.n_weighted - 185.0).abs() < 1e-9);
}

/// One row of match_references.csv and the options it corresponds to.
fn case_options(case: &str) -> (Vec<&'static str>, AiOptions) {
    let x4 = vec!["age", "educ", "re74", "re75"];
    let d = AiOptions::default();
    let ate = Estimand::Ate;
    let atc = Estimand::Atc;
    match case {
        "ate_age_sample" => (
            vec!["age"],
            AiOptions {
                estimand: ate,
                sample: true,
                ..d
            },
        ),
        "ate_x4_sample" => (
            x4,
            AiOptions {
                estimand: ate,
                sample: true,
                ..d
            },
        ),
        "att_ps" => (vec!["ps"], d),
        "atc_ps" => (vec!["ps"], AiOptions { estimand: atc, ..d }),
        "ate_ps" => (vec!["ps"], AiOptions { estimand: ate, ..d }),
        "att_x4_m2" => (x4, AiOptions { m: 2, ..d }),
        "atc_x4_m2_sample" => (
            x4,
            AiOptions {
                m: 2,
                estimand: atc,
                sample: true,
                ..d
            },
        ),
        "ate_age_pop" => (vec!["age"], AiOptions { estimand: ate, ..d }),
        "att_x4_bias" => (
            x4,
            AiOptions {
                bias_adjust: true,
                ..d
            },
        ),
        "ate_x4_bias" => (
            x4,
            AiOptions {
                estimand: ate,
                bias_adjust: true,
                ..d
            },
        ),
        "att_x4_varcalc1" => (x4, AiOptions { var_calc: 1, ..d }),
        "ate_x4_varcalc3" => (
            x4,
            AiOptions {
                estimand: ate,
                var_calc: 3,
                ..d
            },
        ),
        "att_x4_mahalanobis" => (
            x4,
            AiOptions {
                scaling: Scaling::Mahalanobis,
                ..d
            },
        ),
        "att_age_educ_m3" => (vec!["age", "educ"], AiOptions { m: 3, ..d }),
        "att_zc_bias" => (
            vec!["age", "educ", "zc"],
            AiOptions {
                bias_adjust: true,
                ..d
            },
        ),
        other => panic!("unknown case {other}"),
    }
}

#[test]
fn every_r_reference_case_is_reproduced() {
    let d = Nsw::load();
    let ps = pscore();
    let y = d.col("re78");
    let tr = d.treated();
    let text = std::fs::read_to_string(format!("{DIR}/match_references.csv")).expect("references");
    let mut n_cases = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let (names, o) = case_options(f[0]);
        let cols: Vec<Vec<f64>> = names
            .iter()
            .map(|&c| match c {
                "ps" => ps.clone(),
                "zc" => zero_for_controls(&tr),
                _ => d.col(c),
            })
            .collect();
        let x: Vec<&[f64]> = cols.iter().map(|c| &c[..]).collect();
        let r = ai_match(&y, &tr, &x, &o).unwrap();
        let want: Vec<f64> = f[1..].iter().map(|v| v.parse().expect("number")).collect();
        assert!(
            rel_close(r.estimate, want[0], 1e-6),
            "{}: estimate {} vs {}",
            f[0],
            r.estimate,
            want[0]
        );
        assert!(
            rel_close(r.se, want[1], 1e-6),
            "{}: se {} vs {}",
            f[0],
            r.se,
            want[1]
        );
        assert!(
            rel_close(r.se_naive, want[2], 1e-6),
            "{}: se_naive {} vs {}",
            f[0],
            r.se_naive,
            want[2]
        );
        assert!((r.n_weighted - want[3]).abs() < 1e-9, "{}: wnobs", f[0]);
        assert_eq!(
            r.matches.len() as f64,
            want[4],
            "{}: number of match rows",
            f[0]
        );
        n_cases += 1;
    }
    assert_eq!(n_cases, 15);
}
