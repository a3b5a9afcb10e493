//! GLS with AR(1) errors against R's nlme (`tests/data/gls/make_reference.R`): the Sicily oracle rows,
//! and ten generated series (n 20–200, p 2–6, φ from −0.5 to 0.9) by ML and REML.

mod gls_support;

use gls_support::{all_series, num, sicily, table, Worst};
use raa_impact::gls::{fit_ar1, Ar1Options, FitMethod, GlsFit, Method};
use std::collections::BTreeMap;

fn fit(s: &gls_support::GenSeries, method: Method) -> GlsFit {
    let options = Ar1Options {
        method,
        ..Ar1Options::default()
    };
    fit_ar1(&s.refs(), &s.names, &s.y, &options).expect("fit")
}

fn method_of(name: &str) -> Method {
    match name {
        "ML" => Method::Ml,
        _ => Method::Reml,
    }
}

/// ORACLES.md, Sicily, GLS AR(1): tolerance 1e-3 abs.
#[test]
fn sicily_oracles() {
    let s = sicily();
    let ml = fit(&s, Method::Ml);
    assert_eq!(ml.method, FitMethod::Ml);
    assert_eq!(ml.names[1], "smokban");
    assert!((ml.coefficients[1] - -24.33502).abs() < 1e-3);
    assert!((ml.std_errors[1] - 9.00301).abs() < 1e-3);
    assert!((ml.phi - 0.19967).abs() < 1e-3);
    let reml = fit(&s, Method::Reml);
    assert!((reml.coefficients[1] - -23.98833).abs() < 1e-3);
    assert!((reml.std_errors[1] - 9.77507).abs() < 1e-3);
    assert!((reml.phi - 0.28383).abs() < 1e-3);
    assert!(ml.converged && reml.converged);
}

/// Series 6 by REML: the restricted profile rises monotonically towards φ = 1 (R's profile values at
/// z = 6, 9, 12, 16 are stored beside the reference), so nlme stops at φ = 0.99998 with the interval
/// (−1, 1); the fit must refuse it as a boundary optimum instead.
const BOUNDARY: (usize, &str) = (6, "REML");

type Rows = Vec<BTreeMap<String, String>>;

/// Reference rows grouped by (series, method), without the boundary case.
fn references() -> BTreeMap<(usize, String), Rows> {
    let mut out: BTreeMap<(usize, String), Rows> = BTreeMap::new();
    for row in table("ar1_reference.csv") {
        let key = (num(&row, "series") as usize, row["method"].clone());
        if key.0 != BOUNDARY.0 || key.1 != BOUNDARY.1 {
            out.entry(key).or_default().push(row);
        }
    }
    out
}

#[test]
fn boundary_optimum_is_an_error() {
    let rows = table("ar1_reference.csv");
    let row = rows
        .iter()
        .find(|r| num(r, "series") as usize == BOUNDARY.0 && r["method"] == BOUNDARY.1)
        .expect("row");
    let edge: Vec<f64> = ["profile_z6", "profile_z9", "profile_z12", "profile_z16"]
        .iter()
        .map(|k| num(row, k))
        .collect();
    assert!(
        edge.windows(2).all(|w| w[1] > w[0]),
        "R profile not rising: {edge:?}"
    );
    let series = all_series();
    let err = fit_ar1(
        &series[&BOUNDARY.0].refs(),
        &series[&BOUNDARY.0].names,
        &series[&BOUNDARY.0].y,
        &Ar1Options::default(),
    )
    .expect_err("boundary");
    assert!(err.to_string().contains("boundary"), "{err}");
    // The same series by ML has an interior optimum (0.824).
    let ml = fit(&series[&BOUNDARY.0], Method::Ml);
    assert!((ml.phi - 0.824).abs() < 1e-3);
}

fn fit_with(s: &gls_support::GenSeries, method: Method, fixed_phi: Option<f64>) -> GlsFit {
    let options = Ar1Options {
        method,
        fixed_phi,
        ..Ar1Options::default()
    };
    fit_ar1(&s.refs(), &s.names, &s.y, &options).expect("fit")
}

/// The arithmetic at a given φ: our fit with φ held at the exact optimum of the profile (found by R's
/// `optimize`, tol 1e-12) against nlme with `corAR1(value = φ, fixed = TRUE)` at the same φ.
#[test]
fn same_phi_matches_nlme_to_rounding() {
    let series = all_series();
    let mut worst = Worst::default();
    for ((id, method), rows) in references() {
        let r0 = &rows[0];
        let fit = fit_with(
            &series[&id],
            method_of(&method),
            Some(num(r0, "profile_phi")),
        );
        let ctx = format!("series {id} {method}");
        assert!(fit.phi_interval.is_none() && fit.iterations == 0);
        assert!(
            worst.diff("sigma (rel)", fit.sigma, num(r0, "opt_sigma"), true) < 1e-9,
            "{ctx}"
        );
        assert!(
            worst.diff("logLik", fit.log_likelihood, num(r0, "opt_loglik"), false) < 1e-9,
            "{ctx}"
        );
        assert!(
            worst.diff("AIC", fit.aic, num(r0, "opt_aic"), false) < 1e-9,
            "{ctx}"
        );
        assert!(
            worst.diff("BIC", fit.bic, num(r0, "opt_bic"), false) < 1e-9,
            "{ctx}"
        );
        assert_eq!(fit.df_residual, series[&id].y.len() - rows.len());
        for (j, row) in rows.iter().enumerate() {
            let term = &row["term"];
            assert_eq!(&fit.names[j], term, "{ctx}");
            let c = format!("{ctx} {term}");
            let d = worst.diff(
                "coefficient (rel)",
                fit.coefficients[j],
                num(row, "opt_estimate"),
                true,
            );
            assert!(d < 1e-9, "{c}");
            assert!(
                worst.diff("SE (rel)", fit.std_errors[j], num(row, "opt_se"), true) < 1e-9,
                "{c}"
            );
            assert!(
                worst.diff("t", fit.t_values[j], num(row, "opt_t"), true) < 1e-9,
                "{c}"
            );
            let p_ref = num(row, "opt_p");
            let p_rel = (fit.p_values[j] - p_ref).abs() / p_ref.max(1e-300);
            let e = worst.0.entry("p (pure rel)".into()).or_insert(0.0);
            *e = e.max(p_rel);
            assert!(p_rel < 1e-7, "{c}: p {} vs {p_ref}", fit.p_values[j]);
        }
    }
    worst.print("at the same phi");
}

/// The estimated φ against the exact optimum of the closed-form profile; the log-likelihood (flat at
/// the optimum) must agree to rounding, the coefficients to first order in φ's residual error.
#[test]
fn phi_matches_the_exact_optimum() {
    let series = all_series();
    let mut worst = Worst::default();
    for ((id, method), rows) in references() {
        let fit = fit(&series[&id], method_of(&method));
        let ctx = format!("series {id} {method}");
        assert!(fit.converged, "{ctx}");
        let r0 = &rows[0];
        assert!(
            worst.diff("phi", fit.phi, num(r0, "profile_phi"), false) < 1e-6,
            "{ctx} phi {}",
            fit.phi
        );
        assert!(
            worst.diff("logLik", fit.log_likelihood, num(r0, "opt_loglik"), false) < 1e-9,
            "{ctx}"
        );
        // nlme's AIC/BIC of the free fit: its logLik is within 1e-8 of the optimum's.
        assert!(
            worst.diff("AIC", fit.aic, num(r0, "aic"), false) < 1e-7,
            "{ctx}"
        );
        assert!(
            worst.diff("BIC", fit.bic, num(r0, "bic"), false) < 1e-7,
            "{ctx}"
        );
        for (j, row) in rows.iter().enumerate() {
            let c = format!("{ctx} {}", row["term"]);
            assert!(
                worst.diff(
                    "coefficient (rel)",
                    fit.coefficients[j],
                    num(row, "opt_estimate"),
                    true
                ) < 1e-6,
                "{c}"
            );
            assert!(
                worst.diff("SE (rel)", fit.std_errors[j], num(row, "opt_se"), true) < 1e-6,
                "{c}"
            );
        }
    }
    worst.print("free fit vs exact optimum");
}

/// Against nlme's own free fits (`glsControl(tolerance = 1e-12)`): here the differences are nlme's
/// convergence (its φ is off the exact optimum by up to 7.5e-7), so the coefficients agree to 1e-5
/// relative. φ's 95% interval: within 1e-6 of the same Wald interval computed in R from a central
/// second difference of the profile, and within 2e-3 of nlme's `intervals()`, whose `fdHess`
/// curvature is itself accurate only to about 1e-3 relative (0.069584 against 0.069521 by a fine
/// second difference on Sicily ML; series 5 ML is the worst, 1.6e-3 on the lower limit).
#[test]
fn matches_nlme_free_fit_and_intervals() {
    let series = all_series();
    let mut worst = Worst::default();
    for ((id, method), rows) in references() {
        let fit = fit(&series[&id], method_of(&method));
        let ctx = format!("series {id} {method}");
        let r0 = &rows[0];
        assert!(
            worst.diff("phi", fit.phi, num(r0, "phi"), false) < 1e-5,
            "{ctx}"
        );
        let [lo, hi] = fit.phi_interval.expect("interval");
        assert!(
            worst.diff("phi lower vs profile", lo, num(r0, "curv_lower"), false) < 1e-6,
            "{ctx} {lo}"
        );
        assert!(
            worst.diff("phi upper vs profile", hi, num(r0, "curv_upper"), false) < 1e-6,
            "{ctx} {hi}"
        );
        assert!(
            worst.diff("phi lower vs nlme", lo, num(r0, "phi_lower"), false) < 2e-3,
            "{ctx} {lo}"
        );
        assert!(
            worst.diff("phi upper vs nlme", hi, num(r0, "phi_upper"), false) < 2e-3,
            "{ctx} {hi}"
        );
        for (j, row) in rows.iter().enumerate() {
            let c = format!("{ctx} {}", row["term"]);
            assert!(
                worst.diff(
                    "coefficient (rel)",
                    fit.coefficients[j],
                    num(row, "estimate"),
                    true
                ) < 1e-5,
                "{c}"
            );
            assert!(
                worst.diff("SE (rel)", fit.std_errors[j], num(row, "se"), true) < 1e-5,
                "{c}"
            );
        }
    }
    worst.print("vs nlme free fit");
}

/// Raw residuals are `y − fitted`, the fitted values reproduce `predict` on the same columns, and the
/// normalized residuals have mean square `Q / (n σ²)`: 1 for ML, `(n − p)/n` for REML.
#[test]
fn residuals_fitted_and_prediction_agree() {
    let s = sicily();
    for method in [Method::Ml, Method::Reml] {
        let fit = fit(&s, method);
        let pred = fit.predict(&s.refs()).expect("predict");
        let n = s.y.len();
        for ((p, f), (y, r)) in pred
            .iter()
            .zip(&fit.fitted)
            .zip(s.y.iter().zip(&fit.residuals))
        {
            assert!((p - f).abs() < 1e-9);
            assert!((y - f - r).abs() < 1e-9);
        }
        let ms = fit.normalized_residuals.iter().map(|r| r * r).sum::<f64>() / n as f64;
        let p = fit.coefficients.len() as f64;
        let expected = match method {
            Method::Ml => 1.0,
            Method::Reml => (n as f64 - p) / n as f64,
        };
        assert!((ms - expected).abs() < 1e-9, "{method:?}: {ms}");
    }
}

/// Raw and normalized residuals against nlme's `residuals(type = "response" | "normalized")` on
/// Sicily (nlme's free fits, whose φ is within 4e-8 of ours there; a normalized residual moves by
/// about `e_{t−1}/σ ≈ 3` per unit of φ, so 1e-6 is the first-order bound, 1.03e-7 observed).
#[test]
fn residuals_match_nlme() {
    let s = sicily();
    let rows = table("ar1_residuals.csv");
    let mut worst = Worst::default();
    for method in ["ML", "REML"] {
        let fit = fit(&s, method_of(method));
        let mine: Vec<_> = rows.iter().filter(|r| r["method"] == method).collect();
        assert_eq!(mine.len(), fit.residuals.len());
        for (i, r) in mine.iter().enumerate() {
            let d = worst.diff("response", fit.residuals[i], num(r, "response"), false);
            assert!(d < 1e-6, "{method} row {i}");
            let d = worst.diff(
                "normalized",
                fit.normalized_residuals[i],
                num(r, "normalized"),
                false,
            );
            assert!(d < 1e-6, "{method} row {i}: {d:e}");
        }
    }
    worst.print("residuals vs nlme");
}

/// Without an intercept the names carry none, and the fit matches one with an explicit ones column.
#[test]
fn explicit_ones_column_equals_the_intercept() {
    let s = sicily();
    let ones = vec![1.0; s.y.len()];
    let mut cols = vec![ones.as_slice()];
    cols.extend(s.refs());
    let mut names = vec!["one".to_string()];
    names.extend(s.names.iter().cloned());
    let options = Ar1Options {
        intercept: false,
        ..Ar1Options::default()
    };
    let a = fit_ar1(&cols, &names, &s.y, &options).expect("fit");
    let b = fit(&s, Method::Reml);
    assert_eq!(a.names[0], "one");
    assert!((a.phi - b.phi).abs() < 1e-8);
    for j in 0..4 {
        assert!(
            (a.coefficients[j] - b.coefficients[j]).abs() < 1e-6 * b.coefficients[j].abs().max(1.0)
        );
    }
    assert!((a.log_likelihood - b.log_likelihood).abs() < 1e-8);
}

/// Serde round trip.
#[test]
fn serde_round_trip() {
    let fit = fit(&sicily(), Method::Reml);
    let json = serde_json::to_string(&fit).expect("serialise");
    let back: GlsFit = serde_json::from_str(&json).expect("deserialise");
    // serde_json's default float parsing may differ in the last bit.
    assert_eq!(back.names, fit.names);
    assert_eq!(back.method, fit.method);
    assert_eq!(back.residuals.len(), fit.residuals.len());
    for (a, b) in back.covariance.iter().zip(&fit.covariance) {
        assert!((a - b).abs() <= 1e-14 * b.abs().max(1.0));
    }
    assert!((back.phi - fit.phi).abs() < 1e-15);
}

fn err_text(columns: &[&[f64]], names: &[&str], y: &[f64]) -> String {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    fit_ar1(columns, &names, y, &Ar1Options::default())
        .expect_err("bad input")
        .to_string()
}

#[test]
fn bad_input_is_a_named_error() {
    let t: Vec<f64> = (0..20).map(f64::from).collect();
    let y: Vec<f64> = t.iter().map(|v| 1.0 + 0.5 * v + (v * 1.9).sin()).collect();
    let short = &t[..19];
    let e = err_text(&[short], &["time"], &y);
    assert!(e.contains("time") && e.contains("19 rows"), "{e}");
    let mut bad_y = y.clone();
    bad_y[3] = f64::NAN;
    let e = err_text(&[&t], &["time"], &bad_y);
    assert!(e.contains("`y`") && e.contains("row 3"), "{e}");
    let mut bad_x = t.clone();
    bad_x[7] = f64::INFINITY;
    let e = err_text(&[&bad_x], &["time"], &y);
    assert!(e.contains("time") && e.contains("row 7"), "{e}");
    let constant = vec![2.5; 20];
    let e = err_text(&[&t, &constant], &["time", "level"], &y);
    assert!(e.contains("level") && e.contains("constant"), "{e}");
    let step: Vec<f64> = t.iter().map(|v| f64::from(u8::from(*v >= 10.0))).collect();
    let both: Vec<f64> = t.iter().zip(&step).map(|(a, b)| 2.0 * a - b).collect();
    let e = err_text(&[&t, &step, &both], &["time", "step", "mix"], &y);
    assert!(e.contains("mix") && e.contains("linear combination"), "{e}");
    let e = err_text(&[&t[..4]], &["time"], &y[..4]);
    assert!(
        e.contains("4 points") && e.contains("needs at least 5"),
        "{e}"
    );
    let e = err_text(&[&t], &["time", "extra"], &y);
    assert!(e.contains("names"), "{e}");
    let exact: Vec<f64> = t.iter().map(|v| 1.0 + 2.0 * v).collect();
    let e = err_text(&[&t], &["time"], &exact);
    assert!(e.contains("fitted exactly"), "{e}");
    let o = Ar1Options {
        fixed_phi: Some(1.0),
        ..Ar1Options::default()
    };
    let names = vec!["time".to_string()];
    let e = fit_ar1(&[&t], &names, &y, &o).expect_err("phi").to_string();
    assert!(e.contains("fixed_phi"), "{e}");
}

/// Out of steps: the best point is returned with `converged == false`, never a silent NaN.
#[test]
fn non_convergence_is_flagged() {
    let s = sicily();
    let o = Ar1Options {
        max_iter: 2,
        ..Ar1Options::default()
    };
    let fit = fit_ar1(&s.refs(), &s.names, &s.y, &o).expect("fit");
    assert!(!fit.converged);
    assert!(fit.coefficients.iter().all(|v| v.is_finite()));
}

/// REML slope change on 500 seeded AR(1) series (n = 60, break at 30, φ = 0.4): the 95% t
/// intervals cover the truth within a 3-SD binomial band around 95%, and the bias is small
/// against the estimates' SD.
#[test]
fn reml_slope_change_bias_and_coverage() {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Normal};
    let (n, t0, phi, reps, truth) = (60usize, 30usize, 0.4, 500usize, 0.3);
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let noise = Normal::new(0.0, 1.0).expect("normal");
    let t: Vec<f64> = (0..n).map(|v| v as f64).collect();
    let step: Vec<f64> = (0..n).map(|v| f64::from(u8::from(v >= t0))).collect();
    let slope: Vec<f64> = (0..n).map(|v| step[v] * (v as f64 - t0 as f64)).collect();
    let names: Vec<String> = ["time", "step", "slope"].map(String::from).to_vec();
    let (mut covered, mut estimates) = (0usize, Vec::with_capacity(reps));
    for _ in 0..reps {
        let mut e = noise.sample(&mut rng) / (1.0f64 - phi * phi).sqrt();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                if i > 0 {
                    e = phi * e + noise.sample(&mut rng);
                }
                10.0 + 0.1 * t[i] - 1.0 * step[i] + truth * slope[i] + e
            })
            .collect();
        let fit = fit_ar1(&[&t, &step, &slope], &names, &y, &Ar1Options::default()).expect("fit");
        let q = statrs_t_quantile(fit.df_residual as f64);
        let (b, se) = (fit.coefficients[3], fit.std_errors[3]);
        covered += usize::from((b - truth).abs() <= q * se);
        estimates.push(b);
    }
    let mean = estimates.iter().sum::<f64>() / reps as f64;
    let sd = (estimates.iter().map(|b| (b - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
    let coverage = covered as f64 / reps as f64;
    eprintln!(
        "REML slope change: coverage {coverage:.3}, bias {:.5}, SD {sd:.5}",
        mean - truth
    );
    let band = 3.0 * (0.95f64 * 0.05 / reps as f64).sqrt();
    assert!((coverage - 0.95).abs() <= band, "coverage {coverage}");
    assert!(
        (mean - truth).abs() < 0.15 * sd,
        "bias {} vs SD {sd}",
        mean - truth
    );
}

fn statrs_t_quantile(df: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    StudentsT::new(0.0, 1.0, df).expect("t").inverse_cdf(0.975)
}

/// A segmented AR(1) series generated from a seed (SplitMix-style mixing, Box–Muller normals).
fn random_series(n: usize, phi: f64, seed: u64) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut state = seed;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut normal =
        move || (-2.0 * uniform().ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
    let t0 = n / 2;
    let mut e = normal() / (1.0 - phi * phi).sqrt();
    let mut cols = vec![Vec::new(), Vec::new(), Vec::new()];
    let mut y = Vec::new();
    for t in 0..n {
        if t > 0 {
            e = phi * e + normal();
        }
        let d = f64::from(u8::from(t >= t0));
        let slope = d * (t as f64 - t0 as f64);
        cols[0].push(t as f64);
        cols[1].push(d);
        cols[2].push(slope);
        y.push(5.0 + 0.2 * t as f64 - 1.0 * d + 0.1 * slope + e);
    }
    (cols, y)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// The grid + Brent search finds the global maximum: no φ on a fine grid over (−0.995, 0.995)
    /// has a higher (restricted) log-likelihood than the fit's.
    #[test]
    fn search_finds_the_global_maximum(n in 12usize..120, phi in -0.9f64..0.9, seed in 0u64..10_000, ml in proptest::bool::ANY) {
        let (cols, y) = random_series(n, phi, seed);
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        let names: Vec<String> = ["time", "step", "slope"].map(String::from).to_vec();
        let method = if ml { Method::Ml } else { Method::Reml };
        let base = Ar1Options { method, ..Ar1Options::default() };
        match fit_ar1(&refs, &names, &y, &base) {
            Ok(fit) => {
                proptest::prop_assert!(fit.converged);
                for k in 0..=398 {
                    let at = -0.995 + 0.005 * k as f64;
                    let o = Ar1Options { fixed_phi: Some(at), ..base };
                    let other = fit_ar1(&refs, &names, &y, &o).expect("fixed");
                    proptest::prop_assert!(other.log_likelihood <= fit.log_likelihood + 1e-9,
                        "φ = {at}: {} > {} at φ̂ = {}", other.log_likelihood, fit.log_likelihood, fit.phi);
                }
            }
            // Only a boundary optimum may be refused: then the likelihood must keep rising towards ±1.
            Err(e) => {
                let text = e.to_string();
                proptest::prop_assert!(text.contains("boundary"), "{}", text);
                let edge = |v: f64| fit_ar1(&refs, &names, &y, &Ar1Options { fixed_phi: Some(v), ..base })
                    .expect("fixed").log_likelihood;
                let sign = if text.contains("φ → +1") { 1.0 } else { -1.0 };
                proptest::prop_assert!(edge(sign * 0.9999) >= edge(sign * 0.99));
            }
        }
    }
}
