//! The Sicily smoking-ban series (ORACLES.md, "Interrupted time series") through `its::fit`:
//! R `lm` parity for both slope codings, and the published oracle rows.

use raa_impact::its::{
    fit, Errors, Family, Impact, Interruption, ItsFit, ItsSpec, Likelihood, Seasonality, Series,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/its/");

struct Sicily {
    time: Vec<f64>,
    month: Vec<f64>,
    aces: Vec<f64>,
    stdpop: Vec<f64>,
    rate: Vec<f64>,
}

fn sicily() -> Sicily {
    let mut r = csv::Reader::from_path(format!("{DIR}sicily.csv")).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let col = |n: &str| -> Vec<f64> {
        let j = h.iter().position(|c| c == n).unwrap();
        rows.iter().map(|r| r[j].parse().unwrap()).collect()
    };
    let (aces, stdpop) = (col("aces"), col("stdpop"));
    let rate = aces.iter().zip(&stdpop).map(|(a, p)| a / p * 1e5).collect();
    Sicily {
        time: col("time"),
        month: col("month"),
        aces,
        stdpop,
        rate,
    }
}

/// A reference row: term, estimate, se, p-value.
type Row = (String, f64, f64, f64);

/// R `lm` figures: (coding, term) → (estimate, se, p) and the fit's logLik, AIC, BIC.
fn lm_reference(coding: &str) -> (Vec<Row>, [f64; 3]) {
    let mut r = csv::Reader::from_path(format!("{DIR}sicily_lm.csv")).unwrap();
    let mut rows = Vec::new();
    let mut fit = [0.0; 3];
    for rec in r.records().map(Result::unwrap) {
        if &rec[0] != coding {
            continue;
        }
        let v = |j: usize| rec[j].parse::<f64>().unwrap();
        rows.push((rec[1].to_string(), v(2), v(3), v(4)));
        fit = [v(5), v(6), v(7)];
    }
    (rows, fit)
}

fn gaussian(origin: f64, errors: Errors) -> ItsFit {
    let s = sicily();
    let spec = ItsSpec {
        interruptions: vec![Interruption::at(37.0)],
        slope_origin: origin,
        errors,
        ..ItsSpec::default()
    };
    fit(&Series::new(&s.time, &s.rate), &spec).unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn least_squares_equals_r_lm_for_both_slope_codings() {
    for (coding, origin) in [("post1", 1.0), ("post0", 0.0)] {
        let r = gaussian(origin, Errors::Ols);
        let (rows, [ll, aic, bic]) = lm_reference(coding);
        for (term, est, se, p) in rows {
            let ours = match term.as_str() {
                "smokban" => "step",
                t if t.starts_with("post") => "slope",
                t => t,
            };
            let c = r.coefficient(ours).unwrap();
            assert!(
                rel(c.estimate, est) < 1e-10,
                "{coding} {term}: {} vs {est}",
                c.estimate
            );
            assert!(
                rel(c.se, se) < 1e-10,
                "{coding} {term} se: {} vs {se}",
                c.se
            );
            assert!(
                rel(c.p_value, p) < 1e-8,
                "{coding} {term} p: {} vs {p}",
                c.p_value
            );
        }
        let m = &r.model;
        assert!(rel(m.log_likelihood.unwrap(), ll) < 1e-12);
        assert!(rel(m.aic.unwrap(), aic) < 1e-12 && rel(m.bic.unwrap(), bic) < 1e-12);
    }
}

#[test]
fn the_default_coding_moves_the_level_change_by_one_slope_step() {
    let paper = gaussian(1.0, Errors::Ols);
    let default = gaussian(0.0, Errors::Ols);
    let slope = paper.coefficient("slope").unwrap().estimate;
    let (a, b) = (
        paper.coefficient("step").unwrap().estimate,
        default.coefficient("step").unwrap().estimate,
    );
    assert!((b - (a + slope)).abs() < 1e-9, "{b} vs {a} + {slope}");
}

#[test]
fn newey_west_oracle() {
    // ORACLES: sandwich::NeweyWest(lag = 1, prewhite = FALSE), no small-sample scaling: 1e-5 abs.
    let r = gaussian(
        1.0,
        Errors::NeweyWest {
            lag: Some(1),
            adjust: false,
        },
    );
    let c = r.coefficient("step").unwrap();
    assert!((c.estimate - -24.84436).abs() < 1e-5, "{}", c.estimate);
    assert!((c.se - 6.55604).abs() < 1e-5, "{}", c.se);
    // The scaling multiplies the covariance by n / (n − p).
    let adj = gaussian(
        1.0,
        Errors::NeweyWest {
            lag: Some(1),
            adjust: true,
        },
    );
    let ratio = adj.coefficient("step").unwrap().se / c.se;
    assert!((ratio - (59.0f64 / 55.0).sqrt()).abs() < 1e-12);
}

#[test]
fn diagnostics_equal_lmtest_and_box_test() {
    let mut r = csv::Reader::from_path(format!("{DIR}sicily_diagnostics.csv")).unwrap();
    let refs: std::collections::HashMap<String, f64> = r
        .records()
        .map(Result::unwrap)
        .map(|x| (x[0].to_string(), x[1].parse().unwrap()))
        .collect();
    let d = gaussian(1.0, Errors::Ols).diagnostics(12).unwrap();
    assert!(rel(d.durbin_watson, refs["dw"]) < 1e-10);
    let bg = d.breusch_godfrey.unwrap();
    assert!(rel(bg.statistic, refs["bg_stat"]) < 1e-10 && rel(bg.p_value, refs["bg_p"]) < 1e-8);
    assert!(rel(d.ljung_box.statistic, refs["lb_stat"]) < 1e-10);
    assert!(rel(d.ljung_box.p_value, refs["lb_p"]) < 1e-7);
    for k in 1..=12 {
        assert!(
            (d.acf.at(k).unwrap() - refs[&format!("acf{k}")]).abs() < 1e-12,
            "acf {k}"
        );
    }
}

fn counts(family: Family, seasonal: bool) -> ItsFit {
    let s = sicily();
    let spec = ItsSpec {
        interruptions: vec![Interruption::at(37.0).with_impacts(vec![Impact::Step])],
        family,
        seasonality: seasonal.then_some(Seasonality::Fourier {
            period: 12.0,
            harmonics: 2,
        }),
        ..ItsSpec::default()
    };
    let series = Series {
        exposure: Some(&s.stdpop),
        season: Some(&s.month),
        ..Series::new(&s.time, &s.aces)
    };
    fit(&series, &spec).unwrap()
}

/// ORACLES: rate ratio of the ban with its 95% interval (1e-4 abs) and the dispersion (1e-4 rel).
fn assert_ratio(r: &ItsFit, expected: [f64; 3], dispersion: f64) {
    let c = r.coefficient("step").unwrap();
    let got = [
        c.ratio.unwrap(),
        c.ratio_low.unwrap(),
        c.ratio_high.unwrap(),
    ];
    for (g, e) in got.iter().zip(expected) {
        assert!((g - e).abs() < 1e-4, "{got:?} vs {expected:?}");
    }
    assert!(
        rel(r.model.dispersion, dispersion) < 1e-4,
        "{}",
        r.model.dispersion
    );
}

#[test]
fn poisson_and_quasi_poisson_oracles() {
    assert_ratio(
        &counts(Family::Poisson, false),
        [0.8944, 0.8647, 0.9251],
        1.0,
    );
    assert_ratio(
        &counts(Family::QuasiPoisson, false),
        [0.8944, 0.8392, 0.9532],
        3.5592,
    );
    assert_ratio(
        &counts(Family::QuasiPoisson, true),
        [0.8851, 0.8394, 0.9332],
        2.2622,
    );
}

#[test]
fn count_fits_report_a_likelihood_only_where_r_does() {
    let p = counts(Family::Poisson, false);
    assert!(p.model.log_likelihood.is_some() && p.model.aic.is_some());
    let q = counts(Family::QuasiPoisson, false);
    assert!(q.model.log_likelihood.is_none() && q.model.aic.is_none());
    let nb = counts(Family::NegativeBinomial, true);
    assert!(nb.model.theta.unwrap() > 0.0 && nb.model.converged);
    let d = p.diagnostics(12).unwrap();
    assert!(
        d.overdispersion.unwrap().result.p_value < 0.05,
        "Sicily counts are overdispersed"
    );
}

#[test]
fn gls_ar1_oracles() {
    // ORACLES: nlme::gls(correlation = corAR1(), method = "ML" | "REML"), 1e-3 abs.
    for (method, est, se, phi) in [
        (Likelihood::Ml, -24.33502, 9.00301, 0.19967),
        (Likelihood::Reml, -23.98833, 9.77507, 0.28383),
    ] {
        let r = gaussian(1.0, Errors::Ar1 { method });
        let c = r.coefficient("step").unwrap();
        assert!((c.estimate - est).abs() < 1e-3, "{method:?} {}", c.estimate);
        assert!((c.se - se).abs() < 1e-3, "{method:?} se {}", c.se);
        assert!(
            (r.model.ar1.unwrap() - phi).abs() < 1e-3,
            "{method:?} phi {:?}",
            r.model.ar1
        );
        assert_eq!(r.model.df, Some(55.0));
    }
    let pw = gaussian(1.0, Errors::PraisWinsten);
    assert!(pw.model.ar1.unwrap() > 0.0 && pw.n_used == 59);
}

#[test]
fn an_exactly_fitted_segment_is_an_error_not_a_panic() {
    // Two pre-period points with intercept and trend: the Newey–West meat of the pre-period is zero.
    let s = sicily();
    let spec = ItsSpec {
        interruptions: vec![Interruption::at(3.0)],
        errors: Errors::NeweyWest {
            lag: Some(1),
            adjust: false,
        },
        ..ItsSpec::default()
    };
    let series = Series::new(&s.time[..36], &s.rate[..36]);
    let e = fit(&series, &spec).unwrap_err().to_string();
    assert!(e.contains("fits the data exactly"), "{e}");
}

#[test]
fn ar2_errors_equal_nlme_corarma() {
    let mut r = csv::Reader::from_path(format!("{DIR}sicily_ar2.csv")).unwrap();
    let refs: std::collections::HashMap<String, f64> = r
        .records()
        .map(Result::unwrap)
        .map(|x| (x[0].to_string(), x[1].parse().unwrap()))
        .collect();
    let method = Likelihood::Reml;
    let f = gaussian(1.0, Errors::Ar { order: 2, method });
    let c = f.coefficient("step").unwrap();
    // nlme stops its own optimiser short of the optimum (about 1e-5 in φ), hence 1e-4.
    assert!(rel(c.estimate, refs["estimate"]) < 1e-4, "{}", c.estimate);
    assert!(rel(c.se, refs["se"]) < 1e-4, "{}", c.se);
    assert!(
        (f.model.ar[0] - refs["phi1"]).abs() < 1e-4 && (f.model.ar[1] - refs["phi2"]).abs() < 1e-4
    );
    // Order 1 is the AR(1) fit.
    let one = gaussian(1.0, Errors::Ar { order: 1, method });
    let ar1 = gaussian(1.0, Errors::Ar1 { method });
    assert!((one.model.ar1.unwrap() - ar1.model.ar1.unwrap()).abs() < 1e-6);
}
