//! Rosenbaum bounds against R (tests/data/sensitivity/make_reference.R) and their properties.

use std::path::PathBuf;

use raa_impact::sensitivity::{gamma_at_significance, rosenbaum_wilcoxon};

fn data(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/sensitivity")
        .join(name);
    std::fs::read_to_string(p).expect("reference file")
}

fn numbers(name: &str) -> Vec<f64> {
    data(name)
        .lines()
        .map(|l| l.trim().parse().expect("number"))
        .collect()
}

fn named(name: &str, key: &str) -> f64 {
    data(name)
        .lines()
        .skip(1)
        .find_map(|l| {
            l.strip_prefix(&format!("{key},"))
                .map(|v| v.parse().expect("number"))
        })
        .expect("key")
}

#[test]
fn gamma_one_is_the_large_sample_signed_rank_test() {
    let lead = numbers("lead_differences.txt");
    let nonzero: Vec<f64> = lead.iter().copied().filter(|&d| d != 0.0).collect();
    let b = rosenbaum_wilcoxon(&nonzero, &[1.0]).unwrap()[0];
    let want = named("wilcox.csv", "wilcox_lead_nonzero");
    assert!(
        (b.p_upper - want).abs() <= 1e-10 * want,
        "{} vs {want}",
        b.p_upper
    );
    assert_eq!(b.p_upper, b.p_lower);

    let gen = numbers("generated_differences.txt");
    let b = rosenbaum_wilcoxon(&gen, &[1.0]).unwrap()[0];
    let want = named("wilcox.csv", "wilcox_generated");
    assert!(
        (b.p_upper - want).abs() <= 1e-10 * want,
        "{} vs {want}",
        b.p_upper
    );
}

#[test]
fn lead_pairs_follow_the_psens_rule_with_the_zero_kept() {
    let lead = numbers("lead_differences.txt");
    assert!(
        lead.contains(&0.0),
        "the lead data have one zero difference"
    );
    let gammas: Vec<f64> = (1..=6).map(f64::from).collect();
    let got = rosenbaum_wilcoxon(&lead, &gammas).unwrap();
    for (line, b) in data("lead_psens_rule.csv").lines().skip(1).zip(&got) {
        let v: Vec<f64> = line
            .split(',')
            .map(|x| x.parse().expect("number"))
            .collect();
        assert_eq!(b.gamma, v[0]);
        assert!(
            (b.p_upper - v[1]).abs() <= 1e-10 * v[1],
            "upper at {}: {} vs {}",
            v[0],
            b.p_upper,
            v[1]
        );
        assert!(
            (b.p_lower - v[2]).abs() <= 1e-10 * v[2].max(1e-6),
            "lower at {}",
            v[0]
        );
    }
    // Rosenbaum's reading of this example: significant at 0.05 up to a hidden bias of about 4.
    let g = gamma_at_significance(&lead, 0.05).unwrap();
    assert!(g > 4.0 && g < 5.0, "gamma at 0.05 = {g}");
    let at = rosenbaum_wilcoxon(&lead, &[g]).unwrap()[0].p_upper;
    assert!((at - 0.05).abs() < 1e-8);
}

#[test]
fn bounds_widen_with_gamma_and_errors_name_the_argument() {
    let d = [2.0, -1.0, 3.5, 0.5, 4.0, -0.5, 2.5, 1.5, 3.0, 1.0];
    let b = rosenbaum_wilcoxon(&d, &[1.0, 1.5, 2.0, 3.0]).unwrap();
    for w in b.windows(2) {
        assert!(w[1].p_upper > w[0].p_upper && w[1].p_lower < w[0].p_lower);
    }
    // Not significant without bias: gamma 1 is returned.
    assert_eq!(
        gamma_at_significance(&[1.0, -1.0, 2.0, -2.0], 0.05).unwrap(),
        1.0
    );
    let e = rosenbaum_wilcoxon(&[1.0, f64::NAN], &[1.0])
        .unwrap_err()
        .to_string();
    assert!(e.contains("pair_differences") && e.contains("row 1"), "{e}");
    let e = rosenbaum_wilcoxon(&d, &[1.0, 0.5]).unwrap_err().to_string();
    assert!(e.contains("gammas") && e.contains("row 1"), "{e}");
    assert!(rosenbaum_wilcoxon(&[], &[1.0]).is_err());
    assert!(gamma_at_significance(&d, 0.0).is_err());
    // All pairs positive: the upper-bound p tends to 0.5 as gamma grows, so alpha 0.6 is never reached.
    assert!(gamma_at_significance(&[1.0, 2.0, 3.0], 0.6).is_err());
}
