//! Parity with nlme::lme 3.1-162 (and lmerTest for Satterthwaite df) on the reference data sets
//! made by tests/data/mixed/make_reference.R.

mod mixed_support;

use mixed_support::*;
use raa_impact::mixed::{fit_mixed, log_likelihood_at, Method, MixedFit, VarianceParameters};

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// Fit a case and return it with the nlme reference of `method`.
fn fit_case(case: &Case, method: Method) -> (MixedFit, serde_json::Value, f64) {
    let data = load(case.name);
    let o = owned(&data, case);
    let cols: Vec<&[f64]> = o.x.iter().map(Vec::as_slice).collect();
    let input = input(&o, &cols, case.group);
    let opts = options(case, method);
    let fit = fit_mixed(&input, &opts).expect("fit");
    let key = if method == Method::Reml { "REML" } else { "ML" };
    let r = reference(case.name)[key].clone();
    // Our likelihood at nlme's own variance parameters.
    let at_nlme = if r.get("loglik").is_some() {
        let psi = &r["psi_relative"];
        let at = VarianceParameters {
            psi_relative: matrix(&psi["unit"]),
            group_relative: case.group.then(|| matrix(&psi["group"])[0][0]),
            phi: r["phi"].as_f64(),
        };
        log_likelihood_at(&input, &opts, &at).expect("loglik at")
    } else {
        f64::NAN
    };
    (fit, r, at_nlme)
}

/// Report and check one case against nlme: the likelihood at nlme's parameters to 1e-8, our
/// optimum no lower than nlme's, and estimates at the stated tolerances where both optima agree.
fn check(case: &Case, method: Method) -> f64 {
    let (fit, r, at_nlme) = fit_case(case, method);
    let ll_nlme = r["loglik"].as_f64().expect("loglik");
    eprintln!(
        "{} {:?}: ours {:.9} nlme {:.9} ours@nlme {:.9}; warnings {:?}",
        case.name, method, fit.log_likelihood, ll_nlme, at_nlme, fit.warnings
    );
    assert!(
        (at_nlme - ll_nlme).abs() < 1e-8,
        "{}: likelihood at nlme's parameters {at_nlme} vs {ll_nlme}",
        case.name
    );
    assert!(
        fit.log_likelihood > ll_nlme - 1e-6,
        "{}: our optimum is lower than nlme's",
        case.name
    );
    assert!(
        fit.convergence.converged,
        "{}: {:?}",
        case.name, fit.convergence
    );
    let better = fit.log_likelihood - ll_nlme;
    if better > 1e-6 {
        eprintln!(
            "  {}: optimum {better:.2e} above nlme's; estimates compared loosely",
            case.name
        );
        return better;
    }
    let beta = floats(&r["beta"]);
    let se = floats(&r["se"]);
    let worst_beta = fit
        .coefficients
        .iter()
        .zip(&beta)
        .map(|(a, b)| rel(*a, *b))
        .fold(0.0, f64::max);
    let worst_se = fit
        .std_errors
        .iter()
        .zip(&se)
        .map(|(a, b)| rel(*a, *b))
        .fold(0.0, f64::max);
    let sigma = r["sigma"].as_f64().expect("sigma");
    let psi = matrix(&r["psi_relative"]["unit"]);
    let sd: Vec<f64> = (0..psi.len()).map(|j| (psi[j][j]).sqrt() * sigma).collect();
    let worst_sd = fit
        .random_sd
        .iter()
        .zip(&sd)
        .map(|(a, b)| rel(*a, *b))
        .fold(rel(fit.sigma, sigma), f64::max);
    eprintln!("  worst rel: beta {worst_beta:.1e} se {worst_se:.1e} sd {worst_sd:.1e}");
    assert!(
        worst_beta < 1e-5,
        "{}: beta {:?} vs {beta:?}",
        case.name,
        fit.coefficients
    );
    assert!(
        worst_se < 1e-4,
        "{}: se {:?} vs {se:?}",
        case.name,
        fit.std_errors
    );
    assert!(
        worst_sd < 1e-3,
        "{}: sd {:?} vs {sd:?}",
        case.name,
        fit.random_sd
    );
    for i in 0..psi.len() {
        for j in 0..i {
            let theirs = psi[i][j] / (psi[i][i] * psi[j][j]).sqrt();
            let ours = fit.random_corr[i][j];
            assert!(
                (ours - theirs).abs() < 1e-3,
                "{}: correlation {ours} vs {theirs}",
                case.name
            );
        }
    }
    if let Some(phi) = r["phi"].as_f64() {
        let ours = fit.phi.expect("phi");
        assert!(
            (ours - phi).abs() < 1e-3,
            "{}: phi {ours} vs {phi}",
            case.name
        );
    }
    if case.group {
        let g = matrix(&r["psi_relative"]["group"])[0][0].sqrt() * sigma;
        assert!(
            rel(fit.group_sd.expect("group sd"), g) < 1e-3,
            "{}: group sd",
            case.name
        );
    }
    assert!(
        (fit.aic - r["aic"].as_f64().expect("aic")).abs() < 1e-5,
        "{}: AIC {} vs {}",
        case.name,
        fit.aic,
        r["aic"]
    );
    assert!(
        (fit.bic - r["bic"].as_f64().expect("bic")).abs() < 1e-5,
        "{}: BIC {} vs {}",
        case.name,
        fit.bic,
        r["bic"]
    );
    better
}

#[test]
fn matches_nlme_on_every_case_reml_and_ml() {
    for case in CASES
        .iter()
        .filter(|c| !matches!(c.name, "ar1_nlme_fails" | "singular"))
    {
        for method in [Method::Reml, Method::Ml] {
            check(case, method);
        }
    }
}

/// lmerTest's Satterthwaite df (REML, models without AR(1)) per coefficient and for a pooled
/// contrast, to 1e-3 relative.
#[test]
fn satterthwaite_df_match_lmertest() {
    let mut worst: f64 = 0.0;
    for case in CASES
        .iter()
        .filter(|c| c.residual == raa_impact::mixed::Residual::Independent)
    {
        let (fit, r, _) = fit_case(case, Method::Reml);
        let df = floats(&r["satterthwaite_df"]);
        for (ours, theirs) in fit.df.iter().zip(&df) {
            worst = worst.max(rel(*ours, *theirs));
            assert!(
                rel(*ours, *theirs) < 1e-3,
                "{}: df {:?} vs lmerTest {df:?}",
                case.name,
                fit.df
            );
        }
        let l = floats(&r["contrast_L"]);
        let c = fit.contrast(&l).expect("contrast");
        let theirs = r["contrast"]["df"].as_f64().expect("df");
        worst = worst.max(rel(c.df, theirs));
        assert!(
            rel(c.df, theirs) < 1e-3,
            "{}: contrast df {} vs {theirs}",
            case.name,
            c.df
        );
        assert!(rel(c.std_error, r["contrast"]["se"].as_f64().expect("se")) < 1e-4);
    }
    eprintln!("worst relative df difference vs lmerTest: {worst:.2e}");
}

/// BLUPs (unit and group level) and fitted values at both levels against nlme's ranef/fitted.
#[test]
fn blups_and_fitted_values_match_nlme() {
    for case in CASES
        .iter()
        .filter(|c| matches!(c.name, "slope_symm" | "ar1" | "nested" | "nested_ar1"))
    {
        let (fit, r, _) = fit_case(case, Method::Reml);
        let blup = matrix(&r["blup"]);
        let labels = floats(&r["blup_units"]);
        let scale = blup.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
        let mut worst: f64 = 0.0;
        for (row, label) in blup.iter().zip(&labels) {
            let i = fit.units.binary_search(&(*label as u64)).expect("unit");
            for (a, b) in fit.unit_blups[i].iter().zip(row) {
                worst = worst.max((a - b).abs() / scale);
            }
        }
        assert!(
            worst < 1e-4,
            "{}: BLUP difference {worst:.2e} of the largest",
            case.name
        );
        if case.group {
            let g: Vec<f64> = matrix(&r["blup_group"]).iter().map(|row| row[0]).collect();
            let labels = floats(&r["blup_groups"]);
            for (b, label) in g.iter().zip(&labels) {
                let a =
                    &fit.group_blups[fit.groups.binary_search(&(*label as u64)).expect("group")];
                assert!(
                    (a - b).abs() < 1e-4 * scale,
                    "{}: group BLUP {a} vs {b}",
                    case.name
                );
            }
        }
        // nlme returns fitted values in its own (grouped) order: compare as sorted multisets.
        for (ours, key) in [
            (&fit.fitted_unit, "fitted_unit"),
            (&fit.fitted_population, "fitted_population"),
        ] {
            let mut a = ours.clone();
            let mut b = floats(&r[key]);
            a.sort_by(f64::total_cmp);
            b.sort_by(f64::total_cmp);
            let worst = a
                .iter()
                .zip(&b)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            assert!(worst < 1e-4, "{}: {key} differs by {worst:.2e}", case.name);
        }
    }
}

/// `predict` on the fitted rows reproduces the fitted values; an unknown unit gets the
/// population value.
#[test]
fn predictions_on_the_data_reproduce_the_fitted_values() {
    let case = CASES.iter().find(|c| c.name == "nested").expect("case");
    let data = load(case.name);
    let o = owned(&data, case);
    let cols: Vec<&[f64]> = o.x.iter().map(Vec::as_slice).collect();
    let fit = fit_mixed(&input(&o, &cols, true), &options(case, Method::Reml)).expect("fit");
    let pred = fit.predict(&cols, &o.unit).expect("predict");
    for (a, b) in pred.unit.iter().zip(&fit.fitted_unit) {
        assert!((a - b).abs() < 1e-12);
    }
    let stranger = vec![10_000u64; o.unit.len()];
    let pred = fit.predict(&cols, &stranger).expect("predict");
    assert!(pred.known_unit.iter().all(|k| !k));
    assert_eq!(pred.unit, fit.fitted_population);
}
