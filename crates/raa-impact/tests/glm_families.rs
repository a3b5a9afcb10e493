//! GLM families against R: the ORACLES Sicily smoking-ban figures, and R parity (coefficients,
//! standard errors, deviance, dispersion, logLik/AIC/BIC, θ and its SE, working weights and
//! residuals) on the Sicily data and generated series for every family.
//! Reference data: tests/data/glm_families (made by make_reference.R; see SOURCES.md there).

use raa_impact::glm::{fit, Family, GlmFit, GlmOptions, GlmWarning, Link};
use std::collections::HashMap;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/glm_families");

/// One design file: outcome, optional weights and offset, covariates in fit order.
struct Case {
    y: Vec<f64>,
    weights: Option<Vec<f64>>,
    offset: Option<Vec<f64>>,
    names: Vec<String>,
    cols: Vec<Vec<f64>>,
}

fn read_csv(path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

fn case(name: &str) -> Case {
    let (header, rows) = read_csv(&format!("{DIR}/{name}.csv"));
    let column = |j: usize| rows.iter().map(|r| num(&r[j])).collect::<Vec<f64>>();
    let mut c = Case {
        y: Vec::new(),
        weights: None,
        offset: None,
        names: Vec::new(),
        cols: Vec::new(),
    };
    for (j, h) in header.iter().enumerate() {
        match h.as_str() {
            "y" => c.y = column(j),
            "weights" => c.weights = Some(column(j)),
            "offset" => c.offset = Some(column(j)),
            _ => {
                c.names.push(h.clone());
                c.cols.push(column(j));
            }
        }
    }
    c
}

type Reference = HashMap<(String, String), Vec<f64>>;

fn reference() -> Reference {
    let (_, rows) = read_csv(&format!("{DIR}/reference.csv"));
    let mut out: Reference = HashMap::new();
    for r in rows {
        let v = out.entry((r[0].clone(), r[1].clone())).or_default();
        assert_eq!(v.len(), num(&r[2]) as usize, "indices in order");
        v.push(num(&r[3]));
    }
    out
}

fn fit_case(name: &str, family: Family) -> GlmFit {
    let c = case(name);
    let cols: Vec<&[f64]> = c.cols.iter().map(Vec::as_slice).collect();
    let options = GlmOptions {
        weights: c.weights.clone(),
        offset: c.offset.clone(),
        ..GlmOptions::for_family(family)
    };
    fit(&cols, &c.names, &c.y, &options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Largest difference between `ours` and R's `want`, relative to `|want|` element-wise
/// (`Scale::Each`) or to the largest `|want|` of the vector (`Scale::Vector`, for quantities
/// with entries near zero such as residuals and off-diagonal covariances).
#[derive(Clone, Copy)]
enum Scale {
    Each,
    Vector,
}

fn worst(ours: &[f64], want: &[f64], scale: Scale) -> f64 {
    assert_eq!(ours.len(), want.len(), "lengths");
    let top = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    ours.iter()
        .zip(want)
        .map(|(a, b)| {
            let s = match scale {
                Scale::Each => b.abs(),
                Scale::Vector => top,
            };
            (a - b).abs() / s.max(f64::MIN_POSITIVE)
        })
        .fold(0.0, f64::max)
}

const CASES: [(&str, Family); 12] = [
    ("sicily_poisson", Family::Poisson),
    ("sicily_quasipoisson", Family::QuasiPoisson),
    ("sicily_quasipoisson_fourier", Family::QuasiPoisson),
    ("sicily_negbin", Family::NegativeBinomial { theta: None }),
    ("gen_gaussian_weighted", Family::Gaussian),
    ("gen_poisson_offset", Family::Poisson),
    ("gen_quasipoisson", Family::QuasiPoisson),
    ("gen_binomial_proportions", Family::Binomial),
    ("gen_quasibinomial", Family::QuasiBinomial),
    ("gen_negbin_ml", Family::NegativeBinomial { theta: None }),
    (
        "gen_negbin_fixed",
        Family::NegativeBinomial { theta: Some(3.0) },
    ),
    (
        "gen_negbin_ml_weighted",
        Family::NegativeBinomial { theta: None },
    ),
];

/// Compare one quantity; returns the worst relative difference (asserting it is within `tol`).
fn check(r: &Reference, name: &str, q: &str, ours: &[f64], scale: Scale, tol: f64) -> f64 {
    let want = r
        .get(&(name.to_string(), q.to_string()))
        .unwrap_or_else(|| panic!("{name}: no reference {q}"));
    let w = worst(ours, want, scale);
    assert!(
        w <= tol,
        "{name} {q}: worst relative difference {w:e} > {tol:e}\n ours {ours:?}\n R    {want:?}"
    );
    w
}

#[test]
fn every_family_matches_r() {
    let r = reference();
    let mut report = Vec::new();
    for (name, family) in CASES {
        let f = fit_case(name, family);
        let has = |q: &str| r.contains_key(&(name.to_string(), q.to_string()));
        let mut w = vec![(
            "coef",
            check(&r, name, "coef", &f.coefficients, Scale::Each, 1e-8),
        )];
        w.push((
            "se",
            check(&r, name, "se", &f.std_errors, Scale::Each, 1e-8),
        ));
        w.push((
            "stat",
            check(&r, name, "stat", &f.z_values(), Scale::Each, 1e-8),
        ));
        w.push(("p", check(&r, name, "p", &f.p_values(), Scale::Each, 1e-7)));
        w.push((
            "deviance",
            check(&r, name, "deviance", &[f.deviance], Scale::Each, 1e-8),
        ));
        let nd = [f.null_deviance];
        w.push((
            "null_dev",
            check(&r, name, "null_deviance", &nd, Scale::Each, 1e-8),
        ));
        let disp = [f.dispersion];
        w.push((
            "dispersion",
            check(&r, name, "dispersion", &disp, Scale::Each, 1e-8),
        ));
        let cov = &f.covariance_unscaled;
        w.push((
            "cov",
            check(&r, name, "cov_unscaled", cov, Scale::Vector, 1e-8),
        ));
        let ww = &f.working_weights;
        w.push((
            "w_weights",
            check(&r, name, "working_weights", ww, Scale::Vector, 1e-8),
        ));
        let wr = &f.working_residuals;
        w.push((
            "w_resid",
            check(&r, name, "working_residuals", wr, Scale::Vector, 1e-8),
        ));
        w.push((
            "fitted",
            check(&r, name, "fitted", &f.fitted, Scale::Each, 1e-8),
        ));
        let chi = [f.pearson_chi2];
        w.push((
            "pearson",
            check(&r, name, "pearson_chi2", &chi, Scale::Each, 1e-8),
        ));
        let df = r[&(name.to_string(), "df_residual".to_string())][0];
        assert_eq!(f.df_residual as f64, df, "{name} df_residual");
        let iter = r[&(name.to_string(), "iterations".to_string())][0];
        assert_eq!(
            f.iterations as f64, iter,
            "{name}: IRLS iterations differ from R"
        );
        if has("loglik") {
            let ll = f.log_likelihood.expect("log-likelihood");
            w.push((
                "loglik",
                check(&r, name, "loglik", &[ll], Scale::Each, 1e-8),
            ));
            w.push(("aic", check(&r, name, "aic", &[f.aic], Scale::Each, 1e-8)));
            let bic = [f.bic.expect("bic")];
            w.push(("bic", check(&r, name, "bic", &bic, Scale::Each, 1e-8)));
            assert_eq!(f.r_aic(), Some(f.aic));
        } else {
            assert!(f.log_likelihood.is_none() && f.bic.is_none() && f.r_aic().is_none());
        }
        if has("theta") {
            let th = [f.theta.expect("theta")];
            w.push(("theta", check(&r, name, "theta", &th, Scale::Each, 1e-8)));
            let se = [f.theta_se.expect("theta se")];
            w.push((
                "theta_se",
                check(&r, name, "theta_se", &se, Scale::Each, 1e-8),
            ));
            let c = f.theta_convergence.expect("convergence");
            assert!(
                c.converged && c.theta_converged && c.alternations >= 1,
                "{c:?}"
            );
            let two = [2.0 * f.log_likelihood.expect("loglik")];
            w.push((
                "2loglik",
                check(&r, name, "twologlik", &two, Scale::Each, 1e-8),
            ));
        }
        assert!(
            f.converged && f.warnings.is_empty(),
            "{name}: {:?}",
            f.warnings
        );
        report.push(format!("{name}: {w:?}"));
    }
    eprintln!("worst relative differences vs R:\n{}", report.join("\n"));
}

/// The Sicily rows built here from the raw file (not from the R design files).
struct Sicily {
    aces: Vec<f64>,
    log_pop: Vec<f64>,
    smokban: Vec<f64>,
    time: Vec<f64>,
    month: Vec<f64>,
}

fn sicily() -> Sicily {
    let (header, rows) = read_csv(&format!("{DIR}/sicily.csv"));
    let col = |name: &str| {
        let j = header.iter().position(|h| h == name).expect("column");
        rows.iter().map(|r| num(&r[j])).collect::<Vec<f64>>()
    };
    Sicily {
        aces: col("aces"),
        log_pop: col("stdpop").iter().map(|p| p.ln()).collect(),
        smokban: col("smokban"),
        time: col("time"),
        month: col("month"),
    }
}

/// Rate ratio of `smokban` (the second coefficient) with its 95% Wald interval.
fn rate_ratio(f: &GlmFit) -> (f64, f64, f64) {
    let (lo, hi) = f.wald_intervals(0.95).expect("interval")[1];
    (f.coefficients[1].exp(), lo.exp(), hi.exp())
}

fn close(got: (f64, f64, f64), want: (f64, f64, f64)) -> bool {
    (got.0 - want.0).abs() < 1e-4 && (got.1 - want.1).abs() < 1e-4 && (got.2 - want.2).abs() < 1e-4
}

#[test]
fn sicily_oracles() {
    let s = sicily();
    let names: Vec<String> = ["smokban", "time"].map(String::from).to_vec();
    let options = |family| GlmOptions {
        offset: Some(s.log_pop.clone()),
        ..GlmOptions::for_family(family)
    };
    let cols: Vec<&[f64]> = vec![&s.smokban, &s.time];
    let p = fit(&cols, &names, &s.aces, &options(Family::Poisson)).expect("poisson");
    assert!(
        close(rate_ratio(&p), (0.8944, 0.8647, 0.9251)),
        "{:?}",
        rate_ratio(&p)
    );
    assert_eq!(p.dispersion, 1.0);
    let q = fit(&cols, &names, &s.aces, &options(Family::QuasiPoisson)).expect("quasi");
    assert!(
        close(rate_ratio(&q), (0.8944, 0.8392, 0.9532)),
        "{:?}",
        rate_ratio(&q)
    );
    assert!(
        (q.dispersion / 3.5592 - 1.0).abs() < 1e-4,
        "{}",
        q.dispersion
    );
    // Same coefficients, standard errors scaled by sqrt(dispersion).
    assert_eq!(p.coefficients, q.coefficients);
    let ratio = q.std_errors[1] / p.std_errors[1];
    assert!((ratio - q.dispersion.sqrt()).abs() < 1e-12);
    let harmonic = |k: f64, f: fn(f64) -> f64| -> Vec<f64> {
        s.month
            .iter()
            .map(|m| f(2.0 * std::f64::consts::PI * k * m / 12.0))
            .collect()
    };
    let four = [
        harmonic(1.0, f64::sin),
        harmonic(1.0, f64::cos),
        harmonic(2.0, f64::sin),
        harmonic(2.0, f64::cos),
    ];
    let mut cols_f = cols.clone();
    cols_f.extend(four.iter().map(Vec::as_slice));
    let mut names_f = names.clone();
    names_f.extend(["sin1", "cos1", "sin2", "cos2"].map(String::from));
    let qf = fit(&cols_f, &names_f, &s.aces, &options(Family::QuasiPoisson)).expect("fourier");
    assert!(
        close(rate_ratio(&qf), (0.8851, 0.8394, 0.9332)),
        "{:?}",
        rate_ratio(&qf)
    );
    assert!(
        (qf.dispersion / 2.2622 - 1.0).abs() < 1e-4,
        "{}",
        qf.dispersion
    );
    // The quasi families test with t on df_residual (R's summary.glm), Poisson with z.
    assert!(q.uses_t() && !p.uses_t() && q.df_residual == 56);
}

#[test]
fn bread_is_the_inverse_of_the_weighted_cross_product() {
    // covariance_unscaled is exactly (X'WX)^{-1} with W = working_weights (the working weights
    // and residuals themselves, the parts of estfun_i = w_i r_i x_i, are compared with R above).
    for (name, family) in CASES {
        let c = case(name);
        let f = fit_case(name, family);
        let p = f.coefficients.len();
        let x = |i: usize, j: usize| if j == 0 { 1.0 } else { c.cols[j - 1][i] };
        let n = c.y.len();
        let mut xtwx = vec![0.0; p * p];
        for i in 0..n {
            let w = f.working_weights[i];
            for j in 0..p {
                for k in 0..p {
                    xtwx[j * p + k] += w * x(i, j) * x(i, k);
                }
            }
        }
        for j in 0..p {
            for k in 0..p {
                let e: f64 = (0..p)
                    .map(|l| xtwx[j * p + l] * f.covariance_unscaled[l * p + k])
                    .sum();
                let want = if j == k { 1.0 } else { 0.0 };
                assert!((e - want).abs() < 1e-9, "{name}: (X'WX V)[{j},{k}] = {e}");
            }
        }
        for (a, b) in f.covariance.iter().zip(&f.covariance_unscaled) {
            assert!((a - f.dispersion * b).abs() <= 1e-15 * a.abs().max(1e-300));
        }
    }
}

#[test]
fn gaussian_dispersion_is_rss_over_df_and_offset_prediction_reproduces_fit() {
    let c = case("gen_gaussian_weighted");
    let f = fit_case("gen_gaussian_weighted", Family::Gaussian);
    assert!((f.dispersion - f.deviance / f.df_residual as f64).abs() < 1e-12 * f.dispersion);
    let cols: Vec<&[f64]> = c.cols.iter().map(Vec::as_slice).collect();
    let off = c.offset.as_deref().expect("offset");
    let eta = f.predict_linear_with_offset(&cols, off).expect("predict");
    for (a, b) in eta.iter().zip(&f.linear_predictor) {
        assert!((a - b).abs() < 1e-10 * b.abs().max(1.0));
    }
    let mu = f.predict_with_offset(&cols, off).expect("predict");
    assert_eq!(mu, eta, "identity link");
    assert!(f.predict_linear_with_offset(&cols, &off[1..]).is_err());
}

fn message(r: raa_impact::Result<GlmFit>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_input_is_refused_with_the_row() {
    let t: Vec<f64> = (0..8).map(f64::from).collect();
    let names = vec!["t".to_string()];
    let pois = GlmOptions::for_family(Family::Poisson);
    let mut y = vec![3.0, 4.0, 2.0, 6.0, 5.0, 7.0, 8.0, 6.0];
    y[4] = 2.5;
    let m = message(fit(&[&t], &names, &y, &pois));
    assert!(m.contains("row 4") && m.contains("count"), "{m}");
    y[4] = -1.0;
    let nb = GlmOptions::for_family(Family::NegativeBinomial { theta: Some(2.0) });
    let m = message(fit(&[&t], &names, &y, &nb));
    assert!(m.contains("row 4") && m.contains("count"), "{m}");
    // Quasi-Poisson accepts non-integer outcomes but not negative ones.
    y[4] = 2.5;
    assert!(fit(
        &[&t],
        &names,
        &y,
        &GlmOptions::for_family(Family::QuasiPoisson)
    )
    .is_ok());
    y[4] = 5.0;
    let mut off = vec![0.0; 8];
    off[6] = f64::NEG_INFINITY; // log of a zero population
    let o = GlmOptions {
        offset: Some(off),
        ..pois.clone()
    };
    let m = message(fit(&[&t], &names, &y, &o));
    assert!(m.contains("offset") && m.contains("row 6"), "{m}");
    let o = GlmOptions {
        offset: Some(vec![0.0; 7]),
        ..pois.clone()
    };
    assert!(message(fit(&[&t], &names, &y, &o)).contains("offset"));
    // Binomial proportions must lie in [0, 1].
    let prop = [0.1, 0.2, 0.25, 0.4, 1.5, 0.5, 0.6, 0.7];
    let o = GlmOptions {
        weights: Some(vec![10.0; 8]),
        ..GlmOptions::default()
    };
    let m = message(fit(&[&t], &names, &prop, &o));
    assert!(m.contains("row 4") && m.contains("[0, 1]"), "{m}");
    // Unsupported family/link pair, also through the defaults.
    let o = GlmOptions {
        family: Family::Poisson,
        ..GlmOptions::default()
    };
    let m = message(fit(&[&t], &names, &y, &o));
    assert!(m.contains("Logit") && m.contains("Log"), "{m}");
    let o = GlmOptions {
        link: Link::Probit,
        ..GlmOptions::for_family(Family::Gaussian)
    };
    assert!(message(fit(&[&t], &names, &y, &o)).contains("link"));
    // Too few rows, and counts that are all zero.
    let m = message(fit(&[&t[..2]], &names, &y[..2], &pois));
    assert!(m.contains("2 rows") && m.contains("2 coefficients"), "{m}");
    assert!(message(fit(&[&t], &names, &[0.0; 8], &pois)).contains("0"));
    // A non-positive fixed theta, and fit_binomial with another family.
    let o = GlmOptions::for_family(Family::NegativeBinomial { theta: Some(0.0) });
    assert!(message(fit(&[&t], &names, &y, &o)).contains("theta"));
    let m = message(raa_impact::glm::fit_binomial(&[&t], &names, &y, &pois));
    assert!(m.contains("fit_binomial"), "{m}");
}

#[test]
fn non_convergence_is_reported() {
    let f = {
        let c = case("gen_poisson_offset");
        let cols: Vec<&[f64]> = c.cols.iter().map(Vec::as_slice).collect();
        let o = GlmOptions {
            offset: c.offset.clone(),
            max_iter: 2,
            ..GlmOptions::for_family(Family::Poisson)
        };
        fit(&cols, &c.names, &c.y, &o).expect("fit")
    };
    assert!(!f.converged);
    assert!(f
        .warnings
        .contains(&GlmWarning::NotConverged { iterations: 2 }));
    let c = case("gen_negbin_ml");
    let cols: Vec<&[f64]> = c.cols.iter().map(Vec::as_slice).collect();
    let o = GlmOptions {
        offset: c.offset.clone(),
        max_iter: 2,
        ..GlmOptions::for_family(Family::NegativeBinomial { theta: None })
    };
    let f = fit(&cols, &c.names, &c.y, &o).expect("fit");
    let conv = f.theta_convergence.expect("theta");
    assert!(!conv.converged && !conv.theta_converged);
    assert!(f
        .warnings
        .contains(&GlmWarning::AlternationLimit { alternations: 2 }));
    assert!(f
        .warnings
        .contains(&GlmWarning::ThetaIterationLimit { iterations: 2 }));
}

/// Counts on `n` rows with a log-exposure offset and over-dispersion (gamma-mixed Poisson).
fn simulate_counts(n: usize) -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, Gamma, Poisson};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mix = Gamma::new(4.0, 0.25).expect("gamma");
    let (mut a, mut b, mut y, mut off) = (vec![], vec![], vec![], vec![]);
    for i in 0..n {
        let x = rng.random::<f64>() * 2.0 - 1.0;
        let d = f64::from(u8::from(i % 3 == 0));
        let o = (rng.random_range(50.0..500.0f64)).ln() - 4.0;
        let mean = (0.5 + 0.4 * x - 0.3 * d + o).exp() * mix.sample(&mut rng);
        y.push(
            Poisson::new(mean.max(1e-9))
                .expect("poisson")
                .sample(&mut rng),
        );
        a.push(x);
        b.push(d);
        off.push(o);
    }
    (vec![a, b], y, off)
}

#[test]
fn large_count_fits_do_not_depend_on_the_thread_count() {
    // 40,000 rows: three parallel chunks, so the chunked sums run on the pool.
    let (cols, y, off) = simulate_counts(40_000);
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let names: Vec<String> = ["x", "d"].map(String::from).to_vec();
    for family in [
        Family::Poisson,
        Family::QuasiPoisson,
        Family::NegativeBinomial { theta: None },
    ] {
        let o = GlmOptions {
            offset: Some(off.clone()),
            ..GlmOptions::for_family(family)
        };
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| fit(&refs, &names, &y, &o).expect("fit"))
        };
        let (one, two) = (run(1), run(2));
        assert_eq!(one, two, "{family:?}");
        assert!(
            one.converged && one.warnings.is_empty(),
            "{:?}",
            one.warnings
        );
        if let Some(theta) = one.theta {
            // The gamma mixing has shape 4: theta should be near it.
            assert!((theta - 4.0).abs() < 0.5, "theta {theta}");
        }
    }
}

#[test]
fn zero_weight_rows_are_left_out_everywhere() {
    // A row with prior weight 0 changes nothing: coefficients, dispersion, df and the Gaussian
    // log-likelihood (where R itself would report -Inf) equal the fit without that row.
    let c = case("gen_gaussian_weighted");
    let mut w = c.weights.clone().expect("weights");
    w[10] = 0.0;
    let cols: Vec<&[f64]> = c.cols.iter().map(Vec::as_slice).collect();
    let o = GlmOptions {
        weights: Some(w.clone()),
        offset: c.offset.clone(),
        ..GlmOptions::for_family(Family::Gaussian)
    };
    let with = fit(&cols, &c.names, &c.y, &o).expect("fit");
    let drop = |v: &[f64]| -> Vec<f64> {
        v.iter()
            .enumerate()
            .filter(|(i, _)| *i != 10)
            .map(|(_, x)| *x)
            .collect()
    };
    let cols2: Vec<Vec<f64>> = c.cols.iter().map(|v| drop(v)).collect();
    let refs2: Vec<&[f64]> = cols2.iter().map(Vec::as_slice).collect();
    let o2 = GlmOptions {
        weights: Some(drop(&w)),
        offset: c.offset.as_deref().map(drop),
        ..GlmOptions::for_family(Family::Gaussian)
    };
    let without = fit(&refs2, &c.names, &drop(&c.y), &o2).expect("fit");
    assert_eq!(with.df_residual, without.df_residual);
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
    for (a, b) in with.coefficients.iter().zip(&without.coefficients) {
        assert!(rel(*a, *b) < 1e-10);
    }
    assert!(rel(with.dispersion, without.dispersion) < 1e-10);
    let ll = |f: &GlmFit| f.log_likelihood.expect("loglik");
    assert!(rel(ll(&with), ll(&without)) < 1e-10);
    assert!(rel(with.bic.expect("bic"), without.bic.expect("bic")) < 1e-10);
    assert_eq!(with.working_weights[10], 0.0);
}
