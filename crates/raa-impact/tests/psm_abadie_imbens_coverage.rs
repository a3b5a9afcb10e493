//! Generated data with a known constant effect: the Abadie–Imbens estimate is centred on the truth
//! and its 95% confidence interval covers it at about the nominal rate.
//! Each test runs in about a second in debug (300 replications of n = 300), so none is ignored.

use raa_impact::psm::abadie_imbens::{ai_match, AiOptions, Estimand};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

const TAU: f64 = 1.0;
const REPS: usize = 300;
const N: usize = 300;

/// y = 1 + 2·x₁ − r·x₂ + τ·t + ε, P(t) = logistic(0.6·x₁ − 0.4·r·x₂); `r` = role of x₂ (0 or 1).
/// Returns (y, t, x1, x2).
fn draw(rng: &mut ChaCha8Rng, r: f64) -> (Vec<f64>, Vec<bool>, Vec<f64>, Vec<f64>) {
    let z = Normal::new(0.0, 1.0).unwrap();
    let mut out = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..N {
        let x1: f64 = z.sample(rng);
        let x2: f64 = z.sample(rng);
        let p = 1.0 / (1.0 + (-(0.6 * x1 - 0.4 * r * x2)).exp());
        let u: f64 = rand::Rng::random(rng);
        let t = u < p;
        let y = 1.0 + 2.0 * x1 - r * x2 + if t { TAU } else { 0.0 } + z.sample(rng);
        out.0.push(y);
        out.1.push(t);
        out.2.push(x1);
        out.3.push(x2);
    }
    out
}

/// (mean estimate, Monte Carlo sd of the estimates, CI coverage) over REPS replications.
fn simulate(o: AiOptions, x2_role: f64, use_x2: bool) -> (f64, f64, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(20261123);
    let (mut ests, mut covered) = (Vec::new(), 0usize);
    for _ in 0..REPS {
        let (y, t, x1, x2) = draw(&mut rng, x2_role);
        let x: Vec<&[f64]> = if use_x2 { vec![&x1, &x2] } else { vec![&x1] };
        let r = ai_match(&y, &t, &x, &o).unwrap();
        if (r.estimate - TAU).abs() <= 1.959964 * r.se {
            covered += 1;
        }
        ests.push(r.estimate);
    }
    let k = REPS as f64;
    let mean = ests.iter().sum::<f64>() / k;
    let sd = (ests.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
    (mean, sd, covered as f64 / k)
}

fn assert_nominal(name: &str, (mean, sd, coverage): (f64, f64, f64)) {
    eprintln!("{name}: mean {mean:.4}, MC sd {sd:.4}, coverage {coverage:.3}");
    assert!(
        (mean - TAU).abs() < 4.0 * sd / (REPS as f64).sqrt(),
        "{name}: mean {mean}, MC sd {sd}"
    );
    assert!(
        (0.91..=0.98).contains(&coverage),
        "{name}: coverage {coverage}"
    );
}

#[test]
fn ate_one_covariate_plain_matching_is_unbiased_with_nominal_coverage() {
    let o = AiOptions {
        estimand: Estimand::Ate,
        ..AiOptions::default()
    };
    assert_nominal("ate 1-D plain", simulate(o, 0.0, false));
}

#[test]
fn att_one_covariate_population_and_sample_variance() {
    for sample in [false, true] {
        let o = AiOptions {
            sample,
            ..AiOptions::default()
        };
        assert_nominal("att 1-D", simulate(o, 0.0, false));
    }
}

#[test]
fn ate_two_covariates_bias_adjusted_is_unbiased_with_nominal_coverage() {
    let o = AiOptions {
        estimand: Estimand::Ate,
        bias_adjust: true,
        ..AiOptions::default()
    };
    assert_nominal("ate 2-D bias-adjusted", simulate(o, 1.0, true));
}

#[test]
fn att_two_covariates_m4_heteroskedastic_variance_has_nominal_coverage() {
    let o = AiOptions {
        m: 4,
        bias_adjust: true,
        var_calc: 4,
        ..AiOptions::default()
    };
    assert_nominal(
        "att 2-D m=4 bias-adjusted var_calc=4",
        simulate(o, 1.0, true),
    );
}

/// Abadie–Imbens (2006): with two continuous covariates plain matching keeps a bias of order
/// n^(-1/2); the regression adjustment removes most of it.
#[test]
fn bias_adjustment_reduces_the_matching_bias_with_two_covariates() {
    let plain = simulate(
        AiOptions {
            estimand: Estimand::Ate,
            ..AiOptions::default()
        },
        1.0,
        true,
    );
    let adjusted = simulate(
        AiOptions {
            estimand: Estimand::Ate,
            bias_adjust: true,
            ..AiOptions::default()
        },
        1.0,
        true,
    );
    eprintln!("plain {plain:?}, adjusted {adjusted:?}");
    assert!((adjusted.0 - TAU).abs() < (plain.0 - TAU).abs());
}
