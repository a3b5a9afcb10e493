//! `MatchSet::effect` with the Abadie–Imbens (2016) estimated-score SE and the (2011) bias
//! adjustment: the same numbers as calling the Abadie–Imbens functions directly on the match's
//! score, and clear errors where the correction does not apply.

use raa_impact::psm::abadie_imbens::{
    ai_match, ai_se_estimated_ps, AiOptions, Estimand as AiEstimand,
};
use raa_impact::psm::effect::{EffectOptions, SeMethod};
use raa_impact::psm::options::{Distance, Estimand};
use raa_impact::psm::{match_units, MatchInput, MatchOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Data {
    t: Vec<bool>,
    x1: Vec<f64>,
    x2: Vec<f64>,
    y: Vec<f64>,
}

fn data(n: usize, seed: u64) -> Data {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut t, mut x1, mut x2, mut y) = (vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let a: f64 = rng.random::<f64>() * 2.0 - 1.0;
        let b: f64 = rng.random::<f64>();
        let p = 1.0 / (1.0 + (-(0.3 + 1.2 * a - 0.8 * b)).exp());
        let ti = rng.random::<f64>() < p;
        t.push(ti);
        x1.push(a);
        x2.push(b);
        y.push(1.0 + 2.0 * a + b + if ti { 1.5 } else { 0.0 } + rng.random::<f64>());
    }
    Data { t, x1, x2, y }
}

fn ate_options() -> MatchOptions {
    MatchOptions {
        distance: Distance::Ps,
        estimand: Estimand::Ate,
        replace: true,
        ..MatchOptions::default()
    }
}

#[test]
fn estimated_score_se_equals_the_direct_computation_and_shrinks_the_ate_variance() {
    let d = data(400, 1);
    let input = MatchInput {
        treated: &d.t,
        covariates: vec![("x1", &d.x1), ("x2", &d.x2)],
        ..Default::default()
    };
    let set = match_units(&input, &ate_options()).unwrap();
    let opts = |se| EffectOptions {
        se,
        score_design: vec![&d.x1, &d.x2],
        ..EffectOptions::default()
    };
    let adjusted = set
        .effect(
            &d.y,
            &opts(SeMethod::AbadieImbensEstimatedPs { neighbours: 2 }),
        )
        .unwrap();
    let plain = set.effect(&d.y, &opts(SeMethod::AbadieImbens)).unwrap();
    let ps = &set.score.as_ref().unwrap().ps;
    let ai = ai_match(
        &d.y,
        &d.t,
        &[ps],
        &AiOptions {
            estimand: AiEstimand::Ate,
            ..AiOptions::default()
        },
    )
    .unwrap();
    let ones = vec![1.0; d.y.len()];
    let direct = ai_se_estimated_ps(&ai, &d.y, &d.t, &[&ones, &d.x1, &d.x2], ps, 2).unwrap();
    assert_eq!(adjusted.estimate, ai.estimate);
    assert!(
        (adjusted.se - direct).abs() <= 1e-14 * direct,
        "{} {direct}",
        adjusted.se
    );
    assert!((plain.se - ai.se).abs() <= 1e-14 * ai.se);
    assert!(adjusted.se < plain.se, "{} vs {}", adjusted.se, plain.se);
    assert!(adjusted.se_method.contains("2016"));
}

#[test]
fn bias_adjustment_equals_matchings_bias_adjust() {
    let d = data(300, 2);
    let input = MatchInput {
        treated: &d.t,
        covariates: vec![("x1", &d.x1), ("x2", &d.x2)],
        ..Default::default()
    };
    let set = match_units(&input, &ate_options()).unwrap();
    let e = set
        .effect(
            &d.y,
            &EffectOptions {
                se: SeMethod::AbadieImbens,
                bias_adjust: true,
                ..EffectOptions::default()
            },
        )
        .unwrap();
    let ps = &set.score.as_ref().unwrap().ps;
    let direct = ai_match(
        &d.y,
        &d.t,
        &[ps],
        &AiOptions {
            estimand: AiEstimand::Ate,
            bias_adjust: true,
            ..AiOptions::default()
        },
    )
    .unwrap();
    assert_eq!((e.estimate, e.se), (direct.estimate, direct.se));
    assert!(e.method.contains("bias-adjusted"));
}

#[test]
fn the_correction_says_where_it_does_not_apply() {
    let d = data(200, 3);
    let cov = || MatchInput {
        treated: &d.t,
        covariates: vec![("x1", &d.x1), ("x2", &d.x2)],
        ..Default::default()
    };
    let se = EffectOptions {
        se: SeMethod::AbadieImbensEstimatedPs { neighbours: 2 },
        score_design: vec![&d.x1, &d.x2],
        ..EffectOptions::default()
    };
    let err = |opts: MatchOptions, input: MatchInput| {
        match_units(&input, &opts)
            .unwrap()
            .effect(&d.y, &se)
            .unwrap_err()
            .to_string()
    };
    let att = MatchOptions {
        estimand: Estimand::Att,
        ..ate_options()
    };
    assert!(err(att, cov()).contains("ATE"));
    let logit = MatchOptions {
        distance: Distance::Logit,
        ..ate_options()
    };
    assert!(err(logit, cov()).contains("distance"));
    let ps: Vec<f64> = d.x2.iter().map(|b| 0.2 + 0.6 * b).collect();
    let supplied = MatchInput {
        treated: &d.t,
        score: Some(&ps),
        ..Default::default()
    };
    assert!(err(ate_options(), supplied).contains("supplied"));
}
