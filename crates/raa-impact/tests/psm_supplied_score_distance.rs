//! A supplied score's distance (its logit, or the score itself) is read by the kernel from the
//! score and materialised only after the kernel's sorted copy is freed. What the match reports
//! must be what it would be with the distance held throughout: the distance column itself, and
//! the balance of the distance, bit for bit equal to the balance table computed afresh on it.

use raa_impact::balance::{balance_table, SdBasis};
use raa_impact::psm::effect::{EffectOptions, SeMethod};
use raa_impact::psm::kernel::DistanceScale;
use raa_impact::psm::{
    match_units, Discard, Distance, Estimand, MatchInput, MatchOptions, MatchSet,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn data(n: usize) -> (Vec<bool>, Vec<f64>, Vec<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let treated: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < 0.3).collect();
    let score = treated
        .iter()
        .map(|&t| {
            // Coarse values (ties) for some rows, continuous for the rest.
            let z = if rng.random::<f64>() < 0.2 {
                f64::from(rng.random_range(-8..8_i32)) / 4.0
            } else {
                rng.random::<f64>() * 4.0 - 2.0
            };
            1.0 / (1.0 + (-(z + if t { 0.6 } else { 0.0 })).exp())
        })
        .collect();
    let stratum = (0..n).map(|_| rng.random_range(0..4_u32)).collect();
    (treated, score, stratum)
}

#[test]
fn distance_and_its_balance_as_if_held_throughout() {
    let (treated, score, stratum) = data(4000);
    let mut cases = 0;
    for distance in [Distance::Logit, Distance::Ps] {
        for (replace, ratio) in [(false, 1), (false, 2), (true, 1), (true, 3)] {
            for estimand in [Estimand::Att, Estimand::Ate] {
                for (discard, exact) in [
                    (Discard::None, false),
                    (Discard::Both, false),
                    (Discard::None, true),
                ] {
                    if estimand == Estimand::Ate && !replace {
                        continue; // ATE matches with replacement only
                    }
                    let input = MatchInput {
                        treated: &treated,
                        score: Some(&score),
                        exact: exact.then_some(stratum.as_slice()),
                        ..Default::default()
                    };
                    let options = MatchOptions {
                        distance,
                        estimand,
                        replace,
                        ratio,
                        caliper: Some(0.25),
                        discard,
                        ..Default::default()
                    };
                    let m = match_units(&input, &options).expect("valid match");
                    let scale = match distance {
                        Distance::Logit => DistanceScale::LogitOfProbability,
                        _ => DistanceScale::AsGiven,
                    };
                    let want: Vec<u64> = score.iter().map(|&p| scale.of(p).to_bits()).collect();
                    let got: Vec<u64> = m.distance.iter().map(|d| d.to_bits()).collect();
                    assert_eq!(got, want, "{distance:?} {estimand:?} replace={replace}");
                    let basis = match estimand {
                        Estimand::Att => SdBasis::Treated,
                        _ => SdBasis::Pooled,
                    };
                    let dense = m.weights.dense();
                    let fresh = balance_table(
                        &[("distance", m.distance.as_slice())],
                        &treated,
                        None,
                        Some(&dense),
                        basis,
                    )
                    .expect("balance");
                    assert_eq!(
                        m.balance[0], fresh[0],
                        "{distance:?} {estimand:?} replace={replace} ratio={ratio} {discard:?}"
                    );
                    assert!(m.n_matched() > 500);
                    // Deferred: the same match and balance, the distance computed on request.
                    let deferred = MatchInput {
                        defer_distance: true,
                        ..input.clone()
                    };
                    let d = match_units(&deferred, &options).expect("valid match");
                    assert_eq!(d.matches, m.matches);
                    assert_eq!(d.balance, m.balance, "deferred {distance:?} {discard:?}");
                    // A column is built anyway when support trimming needs it.
                    assert_eq!(d.distance.is_empty(), discard == Discard::None && !exact);
                    assert_eq!(d.deferred_distance.is_some(), d.distance.is_empty());
                    let again: Vec<u64> = d
                        .distance_from(Some(&score))
                        .expect("the score is given")
                        .iter()
                        .map(|x| x.to_bits())
                        .collect();
                    assert_eq!(again, want);
                    assert_eq!(d.distance_from(None).is_err(), d.distance.is_empty());
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 36);
}

/// The same match with the distance held and deferred.
fn held_and_deferred(
    treated: &[bool],
    score: &[f64],
    options: &MatchOptions,
) -> (MatchSet, MatchSet) {
    let held = MatchInput {
        treated,
        score: Some(score),
        ..Default::default()
    };
    let deferred = MatchInput {
        defer_distance: true,
        ..held.clone()
    };
    let run = |input: &MatchInput| match_units(input, options).expect("valid match");
    (run(&held), run(&deferred))
}

/// The Abadie–Imbens estimators match again on the distance: with a deferred distance they
/// read it from the score handed to them, and give the same effect; without it, a clear error.
#[test]
fn abadie_imbens_on_a_deferred_distance() {
    let (treated, score, _) = data(3000);
    let y: Vec<f64> = score
        .iter()
        .zip(&treated)
        .map(|(p, &t)| 3.0 * p + if t { 1.0 } else { 0.0 })
        .collect();
    let options = MatchOptions {
        replace: true,
        ..Default::default()
    };
    let (a, b) = held_and_deferred(&treated, &score, &options);
    for bias_adjust in [false, true] {
        let ai = EffectOptions {
            se: SeMethod::AbadieImbens,
            bias_adjust,
            ..Default::default()
        };
        let want = a.effect(&y, &ai).expect("AI effect");
        let with_score = EffectOptions {
            score: Some(&score),
            ..ai.clone()
        };
        assert_eq!(b.effect(&y, &with_score).expect("AI effect"), want);
        let msg = b.effect(&y, &ai).expect_err("no score").to_string();
        assert!(msg.contains("score") && msg.contains("defer"), "{msg}");
    }
    // The other standard errors do not need the distance.
    let plain = EffectOptions {
        se: SeMethod::Robust,
        ..Default::default()
    };
    assert_eq!(
        b.effect(&y, &plain).expect("effect"),
        a.effect(&y, &plain).expect("effect")
    );
}

/// A deferred logit that takes only the values 0 and 1 is a binary column in the balance table,
/// as the held one is (its statistics read without the column).
#[test]
fn deferred_binary_distance_is_balanced_as_binary() {
    let scale = DistanceScale::LogitOfProbability;
    // A probability whose logit is exactly 1 (searched around 1 / (1 + e^-1)).
    let mut p1 = 1.0 / (1.0 + (-1.0_f64).exp());
    for _ in 0..64 {
        if scale.of(p1) == 1.0 {
            break;
        }
        p1 = if scale.of(p1) < 1.0 {
            p1.next_up()
        } else {
            p1.next_down()
        };
    }
    assert_eq!(scale.of(p1), 1.0);
    let treated: Vec<bool> = (0..200).map(|i| i % 3 == 0).collect();
    let score: Vec<f64> = (0..200).map(|i| if i % 5 < 2 { p1 } else { 0.5 }).collect();
    let (a, b) = held_and_deferred(&treated, &score, &MatchOptions::default());
    assert!(a.balance[0].binary && b.distance.is_empty());
    assert_eq!(a.balance, b.balance);
}

#[test]
fn kernel_rejects_a_probability_without_a_finite_logit() {
    use raa_impact::psm::kernel::{match_nearest, KernelInput, KernelOptions};
    let treated = [true, false, false, true];
    for bad in [0.0, 1.0, 1.5, f64::NAN] {
        let ps = [0.4, 0.3, bad, 0.6];
        let input = KernelInput {
            distance: &ps,
            scale: DistanceScale::LogitOfProbability,
            treated: &treated,
            ..Default::default()
        };
        let e = match_nearest(&input, &KernelOptions::default()).expect_err("no finite logit");
        let msg = e.to_string();
        assert!(msg.contains("distance") && msg.contains("row 2"), "{msg}");
    }
}

/// Consecutive doubles near 0.01 share their logit in runs of about five, so the kernel's buckets
/// (ranges of the probabilities) cut through runs of equal distances: the order mended across
/// the boundaries must be the order of the logits computed beforehand, ties by key or row.
#[test]
fn kernel_on_the_logit_scale_orders_ties_across_buckets() {
    use raa_impact::psm::kernel::{match_nearest_sorted, KernelInput, KernelOptions, SortedGroups};
    let n = 40_000;
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut p = 0.01_f64;
    let ps: Vec<f64> = (0..n)
        .map(|_| {
            p = p.next_up();
            p
        })
        .collect();
    let logits: Vec<f64> = ps
        .iter()
        .map(|&p| DistanceScale::LogitOfProbability.of(p))
        .collect();
    let distinct = logits.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(
        distinct < n / 3,
        "the logits must tie often ({distinct} changes)"
    );
    let treated: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < 0.3).collect();
    let key: Vec<u64> = (0..n as u64).map(|i| (i * 7919) % 1_000_003).collect();
    let entries = |s: Option<SortedGroups>| {
        let s = s.expect("sorted groups");
        let k = |v: &[raa_impact::float_order::KeyedRow]| {
            v.iter().map(|e| (e.key, e.row)).collect::<Vec<_>>()
        };
        (k(&s.focal), k(&s.others))
    };
    for keyed in [false, true] {
        for replace in [false, true] {
            let base = KernelInput {
                treated: &treated,
                key: keyed.then_some(key.as_slice()),
                ..Default::default()
            };
            let given = KernelInput {
                distance: &logits,
                ..base.clone()
            };
            let read = KernelInput {
                distance: &ps,
                scale: DistanceScale::LogitOfProbability,
                ..base
            };
            let options = KernelOptions {
                replace,
                ..Default::default()
            };
            let (a, sa) = match_nearest_sorted(&given, &options, true).expect("valid");
            let (b, sb) = match_nearest_sorted(&read, &options, true).expect("valid");
            assert_eq!(a, b, "keyed={keyed} replace={replace}");
            assert_eq!(entries(sa), entries(sb), "keyed={keyed} replace={replace}");
        }
    }
}

/// A non-finite value is an error only where it matters: an eligible unit's distance or caliper
/// covariate, reported at its first row; an ineligible unit's is ignored.
#[test]
fn kernel_checks_finiteness_of_eligible_units_only() {
    use raa_impact::psm::kernel::{match_nearest, KernelInput, KernelOptions};
    let treated = [true, false, false, true, false];
    let distance = [0.4, 0.3, f64::NAN, 0.6, 0.5];
    let cov = [1.0, 2.0, 3.0, 4.0, f64::INFINITY];
    let base = KernelInput {
        distance: &distance,
        treated: &treated,
        ..Default::default()
    };
    let msg = match_nearest(&base, &KernelOptions::default())
        .expect_err("NaN distance")
        .to_string();
    assert!(msg.contains("distance") && msg.contains("row 2"), "{msg}");
    let eligible = [true, true, false, true, true];
    let skip = KernelInput {
        eligible: Some(&eligible),
        ..base.clone()
    };
    let m = match_nearest(&skip, &KernelOptions::default()).expect("row 2 is not eligible");
    assert_eq!(m.focal, vec![0, 3]);
    let with_cov = KernelInput {
        covariate_calipers: vec![(&cov, 10.0)],
        ..skip
    };
    let msg = match_nearest(&with_cov, &KernelOptions::default())
        .expect_err("infinite caliper covariate")
        .to_string();
    assert!(
        msg.contains("covariate_calipers[0]") && msg.contains("row 4"),
        "{msg}"
    );
}
