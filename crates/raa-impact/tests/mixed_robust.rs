//! Where nlme::lme fails to converge, the fit still converges, returns finite estimates, says
//! which variance sits at its boundary, and its likelihood is at least that of every sub-model nlme
//! can fit (a sub-model is the full model with some variances at zero).

mod mixed_support;

use mixed_support::*;
use raa_impact::mixed::{fit_mixed, log_likelihood_at, Method, VarianceParameters};

fn check_case(name: &str, method: Method) {
    let case = CASES.iter().find(|c| c.name == name).expect("case");
    let data = load(name);
    let o = owned(&data, case);
    let cols: Vec<&[f64]> = o.x.iter().map(Vec::as_slice).collect();
    let input = input(&o, &cols, case.group);
    let opts = options(case, method);
    let key = if method == Method::Reml { "REML" } else { "ML" };
    let r = reference(name);
    assert!(
        r[key]["error"].is_string(),
        "{name}: nlme is expected to fail here"
    );
    let fit = fit_mixed(&input, &opts).expect("fit where nlme fails");
    eprintln!(
        "{name} {key}: loglik {:.9} sd {:?} corr {:?} phi {:?} warnings {:?} conv {:?}",
        fit.log_likelihood, fit.random_sd, fit.random_corr, fit.phi, fit.warnings, fit.convergence
    );
    assert!(fit.convergence.converged);
    let all = fit
        .coefficients
        .iter()
        .chain(&fit.std_errors)
        .chain(&fit.df)
        .chain(&fit.random_sd)
        .chain(&fit.p_values);
    assert!(all.into_iter().all(|v| v.is_finite()));
    assert!(fit.sigma.is_finite() && fit.log_likelihood.is_finite());
    if name == "singular" {
        // D and slope effects correlated at about −0.9994: the covariance is at its boundary.
        assert!(
            fit.warnings.iter().any(|w| w.contains("singular")),
            "{:?}",
            fit.warnings
        );
    }
    for i in 1..=2 {
        let red = &r[format!("reduced{i}_{key}")];
        let Some(ll) = red["loglik"].as_f64() else {
            continue;
        };
        // The sub-model embedded in the full one (zero rows/columns for the dropped effects).
        let small = matrix(&red["psi_relative"]["unit"]);
        let q = case.random.len();
        let mut psi = vec![vec![0.0; q]; q];
        for (a, row) in small.iter().enumerate() {
            for (b, v) in row.iter().enumerate() {
                psi[a][b] = *v;
            }
        }
        let at = VarianceParameters {
            psi_relative: psi,
            group_relative: None,
            phi: red["phi"].as_f64(),
        };
        let ours_at = log_likelihood_at(&input, &opts, &at).expect("loglik at sub-model");
        assert!(
            (ours_at - ll).abs() < 1e-8,
            "{name}: sub-model {i} loglik {ours_at} vs nlme {ll}"
        );
        assert!(
            fit.log_likelihood >= ll - 1e-6,
            "{name}: {} below sub-model {i} {ll}",
            fit.log_likelihood
        );
    }
}

#[test]
fn fits_where_nlme_fails_with_a_random_slope() {
    for method in [Method::Reml, Method::Ml] {
        check_case("ar1_nlme_fails", method);
        check_case("singular", method);
    }
}
