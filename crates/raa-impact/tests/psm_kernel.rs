//! Hand-built cases of the greedy kernel. Each expected answer is derived by hand from the rules
//! read in MatchIt 4.7.2 (`nn_matchC_vec.cpp`, `nn_matchC_vec_closest.cpp`, `internal.cpp`
//! `find_control_vec`, `R/matchit2nearest.R`); distances are dyadic so every difference is exact.

mod psm_kernel_support;

use raa_impact::psm::kernel::{
    match_nearest, match_nearest_covariates, CovariateScaling, KernelInput, KernelOptions, Matches,
    Order, Ties, UnmatchedReason,
};
use raa_impact::Error;

fn run(d: &[f64], t: &[bool], o: KernelOptions) -> Matches {
    let input = KernelInput {
        distance: d,
        treated: t,
        ..Default::default()
    };
    match_nearest(&input, &o).expect("valid input")
}

fn ctl(m: &Matches, row: u32) -> Vec<u32> {
    let i = m.focal.iter().position(|&f| f == row).expect("focal row");
    m.controls_of(i).to_vec()
}

fn reason(m: &Matches, row: u32) -> Option<UnmatchedReason> {
    m.unmatched.iter().find(|u| u.row == row).map(|u| u.reason)
}

const T: bool = true;
const C: bool = false;

/// Rows: 0 T 0.8125, 1 T 0.625, 2 C 0.6875, 3 C 0.25.
/// Largest: 0.8125 takes 0.6875 (0.125), then 0.625 takes 0.25. Smallest: 0.625 takes 0.6875
/// (0.0625), then 0.8125 takes 0.25. Closest: the best pair overall is 0.625–0.6875 (0.0625 <
/// 0.125), so as Smallest. Data: row 0 first, as Largest.
#[test]
fn matching_order_decides_who_gets_the_shared_control() {
    let d = [0.8125, 0.625, 0.6875, 0.25];
    let t = [T, T, C, C];
    let largest = run(&d, &t, KernelOptions::default());
    assert_eq!((ctl(&largest, 0), ctl(&largest, 1)), (vec![2], vec![3]));
    assert_eq!(largest.match_order, vec![0, 1]);
    for order in [Order::Smallest, Order::Closest] {
        let m = run(
            &d,
            &t,
            KernelOptions {
                order,
                ..Default::default()
            },
        );
        assert_eq!((ctl(&m, 0), ctl(&m, 1)), (vec![3], vec![2]), "{order:?}");
        assert_eq!(m.match_order, vec![1, 0], "{order:?}");
    }
    let data = run(
        &d,
        &t,
        KernelOptions {
            order: Order::Data,
            ..Default::default()
        },
    );
    assert_eq!((ctl(&data, 0), ctl(&data, 1)), (vec![2], vec![3]));
}

/// The caliper is inclusive (`|d_t − d_c| <= caliper`, MatchIt's `dist_c > caliper_dist` rejects).
#[test]
fn caliper_is_inclusive_and_gives_a_reason() {
    let d = [0.5, 0.25, 0.875];
    let t = [T, C, C];
    let m = run(
        &d,
        &t,
        KernelOptions {
            caliper: Some(0.25),
            ..Default::default()
        },
    );
    assert_eq!(ctl(&m, 0), vec![1]);
    let m = run(
        &d,
        &t,
        KernelOptions {
            caliper: Some(0.125),
            ..Default::default()
        },
    );
    assert!(ctl(&m, 0).is_empty());
    assert_eq!(reason(&m, 0), Some(UnmatchedReason::NoControlInCaliper));
}

/// k:1 without replacement is done in rounds (MatchIt's `for (r = 1; r <= max_ratio; r++)` over
/// all focal units): rows 0 T 1.0, 1 T 0.875; controls 2: 0.9375, 3: 0.8125, 4: 0.5, 5: 0.375.
/// Round 1: 1.0 takes 0.9375, 0.875 takes 0.8125. Round 2: 1.0 takes 0.5, 0.875 takes 0.375.
/// (Taking both of a unit's controls at once would give row 0 [2, 3] instead.)
#[test]
fn ratio_two_matches_in_rounds() {
    let d = [1.0, 0.875, 0.9375, 0.8125, 0.5, 0.375];
    let t = [T, T, C, C, C, C];
    let m = run(
        &d,
        &t,
        KernelOptions {
            ratio: 2,
            ..Default::default()
        },
    );
    assert_eq!(ctl(&m, 0), vec![2, 4]);
    assert_eq!(ctl(&m, 1), vec![3, 5]);
}

/// With replacement both focal units take the nearest control; with `reuse_max = 1` the second
/// (0.5, processed after 0.53125 under Largest) must take the far one.
#[test]
fn replacement_and_reuse_max() {
    let d = [0.5, 0.53125, 0.515625, 0.875];
    let t = [T, T, C, C];
    let m = run(
        &d,
        &t,
        KernelOptions {
            replace: true,
            ..Default::default()
        },
    );
    assert_eq!((ctl(&m, 0), ctl(&m, 1)), (vec![2], vec![2]));
    let m = run(
        &d,
        &t,
        KernelOptions {
            replace: true,
            reuse_max: Some(1),
            ..Default::default()
        },
    );
    assert_eq!((ctl(&m, 0), ctl(&m, 1)), (vec![3], vec![2]));
    let m = run(
        &d,
        &t,
        KernelOptions {
            replace: true,
            reuse_max: Some(2),
            ..Default::default()
        },
    );
    assert_eq!((ctl(&m, 0), ctl(&m, 1)), (vec![2], vec![2]));
}

/// MatchIt's tie rule. A control exactly as far below as another is above: the lower one wins,
/// whatever the keys. Controls at one distance below the focal unit: the nearest in (distance,
/// key) order, i.e. the largest key. `Ties::All` keeps both equally far controls.
#[test]
fn ties_follow_matchit_sort_positions_and_ties_all() {
    let d = [0.5, 0.25, 0.75];
    let t = [T, C, C];
    assert_eq!(ctl(&run(&d, &t, KernelOptions::default()), 0), vec![1]);
    let key = [10u64, 30, 20];
    let keyed = |d: &[f64], key: &[u64]| {
        let input = KernelInput {
            distance: d,
            treated: &t,
            key: Some(key),
            ..Default::default()
        };
        match_nearest(&input, &KernelOptions::default()).expect("valid")
    };
    assert_eq!(ctl(&keyed(&d, &key), 0), vec![1]);
    // Both controls below at the same distance: the larger key sits nearer the focal unit.
    let below = [0.5, 0.25, 0.25];
    assert_eq!(ctl(&keyed(&below, &key), 0), vec![1]);
    assert_eq!(ctl(&keyed(&below, &[10, 20, 30]), 0), vec![2]);
    // Both above: the smaller key is nearer.
    let above = [0.5, 0.75, 0.75];
    assert_eq!(ctl(&keyed(&above, &key), 0), vec![2]);
    let all = KernelOptions {
        replace: true,
        ties: Ties::All,
        ..Default::default()
    };
    assert_eq!(ctl(&run(&d, &t, all), 0), vec![1, 2]);
}

/// Exact strata: the nearer control of another stratum is never used; a stratum without
/// controls gives `EmptyStratum`; a used-up stratum gives `ControlsExhausted`.
#[test]
fn exact_strata_and_reasons() {
    let d = [0.5, 0.5, 0.875, 0.5, 0.625, 0.5625];
    let t = [T, C, C, T, T, C];
    let s = [1u32, 0, 1, 2, 3, 3];
    let input = KernelInput {
        distance: &d,
        treated: &t,
        stratum: Some(&s),
        ..Default::default()
    };
    let m = match_nearest(&input, &KernelOptions::default()).expect("valid");
    assert_eq!(ctl(&m, 0), vec![2]);
    assert_eq!(reason(&m, 3), Some(UnmatchedReason::EmptyStratum));
    assert_eq!(ctl(&m, 4), vec![5]);
    let d2 = [0.5, 0.625, 0.5625];
    let m = run(&d2, &[T, T, C], KernelOptions::default());
    assert_eq!(ctl(&m, 1), vec![2]);
    assert_eq!(reason(&m, 0), Some(UnmatchedReason::ControlsExhausted));
}

/// Discarded units neither match nor are matched.
#[test]
fn discarded_units_are_left_out() {
    let d = [0.5, 0.5, 0.875, 0.25];
    let t = [T, C, C, T];
    let e = [true, false, true, false];
    let input = KernelInput {
        distance: &d,
        treated: &t,
        eligible: Some(&e),
        ..Default::default()
    };
    let m = match_nearest(&input, &KernelOptions::default()).expect("valid");
    assert_eq!(ctl(&m, 0), vec![2]);
    assert_eq!(reason(&m, 3), Some(UnmatchedReason::Discarded));
    assert_eq!(m.match_order, vec![0]);
}

/// A covariate caliper skips the nearer control and keeps scanning (MatchIt `caliper_covs_okay`).
#[test]
fn covariate_caliper_skips_to_next_control() {
    let d = [0.5, 0.5625, 0.75];
    let x = [0.0, 5.0, 0.0];
    let t = [T, C, C];
    let input = KernelInput {
        distance: &d,
        treated: &t,
        covariate_calipers: vec![(&x, 1.0)],
        ..Default::default()
    };
    let m = match_nearest(&input, &KernelOptions::default()).expect("valid");
    assert_eq!(ctl(&m, 0), vec![2]);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let t = [T, C];
    let arg = |r: raa_impact::Result<Matches>| matches!(r, Err(Error::Argument { .. }));
    let go = |d: &[f64], t: &[bool], o: KernelOptions| {
        match_nearest(
            &KernelInput {
                distance: d,
                treated: t,
                ..Default::default()
            },
            &o,
        )
    };
    assert!(arg(go(&[0.5], &t, KernelOptions::default())));
    let nan = go(&[f64::NAN, 0.5], &t, KernelOptions::default());
    assert!(matches!(&nan, Err(Error::Argument { message, .. }) if message.contains("row 0")));
    assert!(arg(go(
        &[0.5, 0.5],
        &t,
        KernelOptions {
            ratio: 0,
            ..Default::default()
        }
    )));
    assert!(arg(go(
        &[0.5, 0.5],
        &t,
        KernelOptions {
            caliper: Some(-1.0),
            ..Default::default()
        }
    )));
    assert!(arg(go(
        &[0.5, 0.5],
        &t,
        KernelOptions {
            ties: Ties::All,
            ..Default::default()
        }
    )));
    assert!(arg(go(
        &[0.5, 0.5],
        &t,
        KernelOptions {
            replace: true,
            reuse_max: Some(0),
            ..Default::default()
        }
    )));
    // Empty input is fine: nothing to match.
    let m = go(&[], &[], KernelOptions::default()).expect("empty is valid");
    assert!(m.focal.is_empty() && m.offsets == vec![0]);
}

/// Mahalanobis distance is invariant to rescaling a covariate; inverse-variance weighting is not
/// (a heavy weight on x2 changes the choice).
#[test]
fn covariate_scalings() {
    let x1 = [0.0, 1.0, 0.2, 3.0, 2.9, 0.5, 1.7];
    let x2 = [0.0, 0.1, 2.0, 1.0, 1.0, 0.4, 0.3];
    let t = [T, C, C, T, C, C, C];
    let input = KernelInput {
        distance: &[],
        treated: &t,
        ..Default::default()
    };
    let o = KernelOptions {
        order: Order::Data,
        ..Default::default()
    };
    let a = match_nearest_covariates(&[&x1, &x2], CovariateScaling::Mahalanobis, &input, &o)
        .expect("ok");
    let x1s: Vec<f64> = x1.iter().map(|v| v * 10.0 + 3.0).collect();
    let b = match_nearest_covariates(&[&x1s, &x2], CovariateScaling::Mahalanobis, &input, &o)
        .expect("ok");
    assert_eq!(a, b);
    // Unit weights: row 0 (0, 0) is nearest to row 5 (0.5, 0.4).
    let w = match_nearest_covariates(
        &[&x1, &x2],
        CovariateScaling::InverseVariance(vec![1.0, 1.0]),
        &input,
        &o,
    )
    .expect("ok");
    assert_eq!(ctl(&w, 0), vec![5]);
    // Weight 100 on x1: (0.2, 2.0) is nearer than (0.5, 0.4) since 100·0.04 + 4 < 100·0.25 + 0.16.
    let w = match_nearest_covariates(
        &[&x1, &x2],
        CovariateScaling::InverseVariance(vec![100.0, 1.0]),
        &input,
        &o,
    )
    .expect("ok");
    assert_eq!(ctl(&w, 0), vec![2]);
    let singular = match_nearest_covariates(&[&x1, &x1], CovariateScaling::Mahalanobis, &input, &o);
    assert!(matches!(singular, Err(Error::Argument { .. })));
}

/// Larger inputs (many value buckets and caliper blocks) against the reference implementation.
#[test]
fn larger_random_inputs_equal_reference() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let n = 1500;
    let t: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < 0.3).collect();
    let d: Vec<f64> = t
        .iter()
        .map(|&tr| {
            let z: f64 = rng.random::<f64>() * 2.0 - 1.0 + if tr { 0.4 } else { 0.0 };
            (z * 64.0).round() / 64.0
        })
        .collect();
    let s: Vec<u32> = (0..n).map(|_| rng.random_range(0..4)).collect();
    for (stratum, o) in [
        (
            false,
            KernelOptions {
                caliper: Some(0.02),
                ..Default::default()
            },
        ),
        (
            true,
            KernelOptions {
                ratio: 2,
                caliper: Some(0.05),
                ..Default::default()
            },
        ),
        (
            false,
            KernelOptions {
                order: Order::Closest,
                caliper: Some(0.03),
                ..Default::default()
            },
        ),
        (
            false,
            KernelOptions {
                replace: true,
                ratio: 3,
                ..Default::default()
            },
        ),
        (
            true,
            KernelOptions {
                replace: true,
                reuse_max: Some(2),
                order: Order::Random { seed: 5 },
                ..Default::default()
            },
        ),
    ] {
        let input = KernelInput {
            distance: &d,
            treated: &t,
            stratum: stratum.then_some(s.as_slice()),
            ..Default::default()
        };
        let got = match_nearest(&input, &o).expect("valid");
        let want = psm_kernel_support::reference(&input, &o);
        assert_eq!(got.controls, want.controls, "{o:?}");
        assert_eq!(got.offsets, want.offsets, "{o:?}");
        assert_eq!(got.unmatched, want.unmatched, "{o:?}");
        assert!(got.controls.len() > 100);
    }
}

/// Massive ties (a discrete score): every focal unit and control has the same distance. Focal
/// units go in key order; by MatchIt's rule each takes the available control just before it in
/// key order, else the first one after it. Runs of equal distances are skipped as a whole, so this
/// is fast (a per-tie scan would take minutes here).
#[test]
fn massive_ties_are_linear_and_follow_keys() {
    let (nt, nc) = (20_000usize, 200_000usize);
    let t: Vec<bool> = (0..nt + nc).map(|i| i % 11 == 0 && i / 11 < nt).collect();
    let d = vec![0.5; t.len()];
    let m = run(
        &d,
        &t,
        KernelOptions {
            caliper: Some(0.1),
            ..Default::default()
        },
    );
    let mut free: std::collections::BTreeSet<u32> =
        (0..t.len() as u32).filter(|&i| !t[i as usize]).collect();
    assert!(m.unmatched.is_empty());
    for (i, &f) in m.focal.iter().enumerate() {
        let want = match free.range(..f).next_back() {
            Some(&c) => c,
            None => *free.range(f..).next().expect("a control is left"),
        };
        free.remove(&want);
        assert_eq!(m.controls_of(i), &[want], "focal row {f}");
    }
}

/// A skewed distance puts most units in one bucket of the kernel's bucket sort, which is then
/// sorted in parallel: the matches equal those of a single exact stratum (a whole comparison
/// sort), with and without unit keys, with and without replacement.
#[test]
fn skewed_distance_matches_as_a_whole_sort() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
    let n = 400_000;
    let treated: Vec<bool> = (0..n).map(|_| rng.random::<f64>() < 0.1).collect();
    // 99% of the values in [0, 1), the rest up to 1e6: one bucket holds most rows.
    let distance: Vec<f64> = (0..n)
        .map(|_| match rng.random::<f64>() < 0.99 {
            true => f64::from(rng.random_range(0..50_000_u32)) / 50_000.0,
            false => 1e6 * rng.random::<f64>(),
        })
        .collect();
    let key: Vec<u64> = (0..n as u64).map(|i| (i * 7_919) % 1_000_003).collect();
    let one_stratum = vec![0u32; n];
    for keyed in [false, true] {
        for replace in [false, true] {
            let base = KernelInput {
                distance: &distance,
                treated: &treated,
                key: keyed.then_some(key.as_slice()),
                ..Default::default()
            };
            let strata = KernelInput {
                stratum: Some(&one_stratum),
                ..base.clone()
            };
            let options = KernelOptions {
                replace,
                caliper: Some(0.001),
                ..Default::default()
            };
            let a = match_nearest(&base, &options).expect("valid");
            let b = match_nearest(&strata, &options).expect("valid");
            assert_eq!(a, b, "keyed={keyed} replace={replace}");
            assert!(a.controls.len() > 30_000);
        }
    }
}
