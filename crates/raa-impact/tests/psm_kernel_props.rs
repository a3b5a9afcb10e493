//! Properties of the greedy kernel: equal to a simple reference implementation of the documented
//! rules for every option combination, identical for 1 and 2 threads, invariant to row order when
//! keys are given.

mod psm_kernel_support;

use proptest::prelude::*;
use psm_kernel_support::reference;
use raa_impact::psm::kernel::{
    match_nearest, match_nearest_covariates, match_nearest_sorted, CovariateScaling, DistanceScale,
    KernelInput, KernelOptions, Matches, Order, Ties,
};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
struct Case {
    d: Vec<f64>,
    treated: Vec<bool>,
    stratum: Option<Vec<u32>>,
    key: Option<Vec<u64>>,
    eligible: Option<Vec<bool>>,
    cov: Option<(Vec<f64>, f64)>,
    opts: KernelOptions,
}

impl Case {
    fn input(&self) -> KernelInput<'_> {
        KernelInput {
            distance: &self.d,
            scale: DistanceScale::AsGiven,
            treated: &self.treated,
            stratum: self.stratum.as_deref(),
            key: self.key.as_deref(),
            covariate_calipers: self.cov.iter().map(|(x, w)| (x.as_slice(), *w)).collect(),
            eligible: self.eligible.as_deref(),
        }
    }
}

fn order_strategy() -> impl Strategy<Value = Order> {
    prop_oneof![
        Just(Order::Largest),
        Just(Order::Smallest),
        Just(Order::Closest),
        Just(Order::Data),
        any::<u64>().prop_map(|seed| Order::Random { seed }),
    ]
}

fn opts_strategy() -> impl Strategy<Value = KernelOptions> {
    (
        1usize..4,
        any::<bool>(),
        prop_oneof![Just(None), (1usize..4).prop_map(Some)],
        prop_oneof![Just(None), (0.0f64..0.6).prop_map(Some)],
        order_strategy(),
        any::<bool>(),
    )
        .prop_map(|(ratio, replace, reuse_max, caliper, order, all)| {
            let ties = if all && replace && reuse_max.is_none() {
                Ties::All
            } else {
                Ties::First
            };
            KernelOptions {
                ratio,
                replace,
                reuse_max,
                caliper,
                order,
                ties,
                tolerance: 1e-9,
            }
        })
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (1usize..36).prop_flat_map(|n| {
        (
            // Multiples of 1/16 make exact ties common; the jitter makes near-ties.
            proptest::collection::vec((0u32..24, prop_oneof![Just(0.0), 0.0f64..0.01]), n),
            proptest::collection::vec(proptest::bool::weighted(0.4), n),
            proptest::option::of(proptest::collection::vec(0u32..3, n)),
            any::<bool>(),
            proptest::option::of(proptest::collection::vec(proptest::bool::weighted(0.85), n)),
            proptest::option::of((proptest::collection::vec(0u32..6, n), 0u32..3)),
            opts_strategy(),
            any::<u64>(),
        )
            .prop_map(
                move |(d, treated, stratum, keyed, eligible, cov, opts, salt)| Case {
                    // Negative values, and -0.0 next to 0.0, which must count as the same distance.
                    d: d.iter()
                        .map(|(k, j)| {
                            if *k == 13 {
                                -0.0
                            } else {
                                *k as f64 / 16.0 - 0.75 + j
                            }
                        })
                        .collect(),
                    treated,
                    stratum,
                    // Unique keys that are not the row order.
                    key: keyed.then(|| {
                        (0..n as u64)
                            .map(|i| (i * 7919 + salt % 97) % 100_003)
                            .collect()
                    }),
                    eligible,
                    cov: cov.map(|(x, w)| (x.iter().map(|v| *v as f64).collect(), w as f64)),
                    opts,
                },
            )
    })
}

fn with_threads<T: Send>(k: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(k)
        .build()
        .expect("pool")
        .install(f)
}

/// Matches keyed by unit key, for comparison across row permutations.
/// (controls by focal key, unmatched (key, reason), order as keys).
type Keyed = (BTreeMap<u64, Vec<u64>>, Vec<(u64, String)>, Vec<u64>);

fn by_key(m: &Matches, key: &[u64]) -> Keyed {
    let mut c = BTreeMap::new();
    for (i, f) in m.focal.iter().enumerate() {
        c.insert(
            key[*f as usize],
            m.controls_of(i).iter().map(|r| key[*r as usize]).collect(),
        );
    }
    let mut u: Vec<(u64, String)> = m
        .unmatched
        .iter()
        .map(|u| (key[u.row as usize], format!("{:?}", u.reason)))
        .collect();
    u.sort();
    (
        c,
        u,
        m.match_order.iter().map(|r| key[*r as usize]).collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn equals_reference(case in case_strategy()) {
        let inp = case.input();
        let got = match_nearest(&inp, &case.opts).expect("valid input");
        let want = reference(&inp, &case.opts);
        prop_assert_eq!(&got.focal, &want.focal);
        prop_assert_eq!(&got.offsets, &want.offsets);
        prop_assert_eq!(&got.controls, &want.controls);
        prop_assert_eq!(&got.unmatched, &want.unmatched);
        if case.opts.order == Order::Closest && !(case.opts.replace && case.opts.reuse_max.is_none()) {
            // Closest reports its order block by block: compare as sets.
            let (mut a, mut b) = (got.match_order.clone(), want.match_order.clone());
            a.sort_unstable();
            b.sort_unstable();
            prop_assert_eq!(a, b);
        } else {
            prop_assert_eq!(&got.match_order, &want.match_order);
        }
    }

    #[test]
    fn same_for_one_and_two_threads(case in case_strategy()) {
        let inp = case.input();
        let one = with_threads(1, || match_nearest(&inp, &case.opts).expect("valid"));
        let two = with_threads(2, || match_nearest(&inp, &case.opts).expect("valid"));
        prop_assert_eq!(one, two);
    }

    #[test]
    fn invariant_to_row_permutation(case in case_strategy(), seed in any::<u64>()) {
        use rand::seq::SliceRandom;
        use rand::SeedableRng;
        let n = case.d.len();
        let key: Vec<u64> = case.key.clone().unwrap_or_else(|| (0..n as u64).map(|i| i * 3 + 1).collect());
        let mut case = Case { key: Some(key.clone()), ..case };
        let a = match_nearest(&case.input(), &case.opts).expect("valid");
        let mut perm: Vec<usize> = (0..n).collect();
        perm.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
        let p = |v: &Vec<f64>| perm.iter().map(|&i| v[i]).collect::<Vec<_>>();
        case.d = p(&case.d);
        case.treated = perm.iter().map(|&i| case.treated[i]).collect();
        case.stratum = case.stratum.map(|s| perm.iter().map(|&i| s[i]).collect());
        case.eligible = case.eligible.map(|s| perm.iter().map(|&i| s[i]).collect());
        case.cov = case.cov.map(|(x, w)| (p(&x), w));
        let pkey: Vec<u64> = perm.iter().map(|&i| key[i]).collect();
        case.key = Some(pkey.clone());
        let b = match_nearest(&case.input(), &case.opts).expect("valid");
        let (ca, ua, oa) = by_key(&a, &key);
        let (cb, ub, ob) = by_key(&b, &pkey);
        prop_assert_eq!(ca, cb);
        prop_assert_eq!(ua, ub);
        prop_assert_eq!(oa, ob);
    }

    /// Reading probabilities on the logit scale matches exactly as matching on their logits
    /// computed beforehand: the same matches and the same sorted groups, whatever the options.
    #[test]
    fn logit_scale_equals_given_logits(case in case_strategy()) {
        let ps: Vec<f64> = case.d.iter().map(|d| 1.0 / (1.0 + (-d).exp())).collect();
        let logits: Vec<f64> = ps.iter().map(|&p| DistanceScale::LogitOfProbability.of(p)).collect();
        let given = KernelInput { distance: &logits, ..case.input() };
        let read = KernelInput { distance: &ps, scale: DistanceScale::LogitOfProbability, ..case.input() };
        let (a, sa) = match_nearest_sorted(&given, &case.opts, true).expect("valid");
        let (b, sb) = match_nearest_sorted(&read, &case.opts, true).expect("valid");
        prop_assert_eq!(a, b);
        let keys = |s: Option<raa_impact::psm::kernel::SortedGroups>| s.map(|s| {
            let k = |v: &[raa_impact::float_order::KeyedRow]| v.iter().map(|e| (e.key, e.row)).collect::<Vec<_>>();
            (k(&s.focal), k(&s.others))
        });
        prop_assert_eq!(keys(sa), keys(sb));
    }

    /// With one covariate and unit weight, covariate matching is 1-D matching on that covariate
    /// (orders that do not use the score). Distances are made distinct first: equally near controls
    /// are chosen by sort position in 1-D (MatchIt) but by key on covariates, where no order exists.
    #[test]
    fn covariates_agree_with_one_dimension(case in case_strategy()) {
        let mut case = case;
        // A hashed jitter: any arithmetic jitter (linear, quadratic) keeps some distances equal.
        case.d = case.d.iter().enumerate().map(|(i, v)| v + jitter(i as u64)).collect();
        let mut opts = case.opts;
        if opts.ties == Ties::First {
            // 1-D: sides within `tolerance` count as equal; covariates: the nearest wins.
            opts.tolerance = 0.0;
        }
        if matches!(opts.order, Order::Largest | Order::Smallest) {
            opts.order = Order::Data;
        }
        opts.caliper = None;
        let inp = case.input();
        let one_d = match_nearest(&inp, &opts).expect("valid");
        let cov_inp = KernelInput { distance: &[], ..inp.clone() };
        let cov = match_nearest_covariates(&[&case.d], CovariateScaling::InverseVariance(vec![1.0]), &cov_inp, &opts)
            .expect("valid");
        // The same controls for every focal unit; with ties="all" the 1-D kernel lists them by
        // distance and the covariate kernel by key, so each focal's list is compared as a set.
        let sets = |m: &Matches| -> Vec<Vec<u32>> {
            (0..m.focal.len()).map(|i| { let mut c = m.controls_of(i).to_vec(); c.sort_unstable(); c }).collect()
        };
        prop_assert_eq!(sets(&one_d), sets(&cov));
        prop_assert_eq!(&one_d.offsets, &cov.offsets);
        prop_assert_eq!(&one_d.unmatched, &cov.unmatched);
    }
}

/// A pseudo-random offset in [0, 1e-6) from the row index (SplitMix64).
fn jitter(i: u64) -> f64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64 * 1e-6
}
