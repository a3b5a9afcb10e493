//! Same seed → identical output, whatever the number of threads; another seed → other data.

use raa_impact::synthetic::{england, SyntheticConfig, SyntheticEngland};

fn small(seed: u64) -> SyntheticConfig {
    SyntheticConfig {
        seed,
        scale: 0.05,
        first_year: 2015,
        last_year: 2019,
        ..Default::default()
    }
}

fn with_threads(n: usize, cfg: &SyntheticConfig) -> SyntheticEngland {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .expect("pool");
    pool.install(|| england(cfg).expect("generates"))
}

fn assert_same(a: &SyntheticEngland, b: &SyntheticEngland) {
    assert_eq!(a.returns.files, b.returns.files);
    assert_eq!(a.returns.header, b.returns.header);
    assert_eq!(a.returns.episodes, b.returns.episodes);
    assert_eq!(a.returns.ad1, b.returns.ad1);
    assert_eq!(a.returns.placed_adoption, b.returns.placed_adoption);
    assert_eq!(a.truth, b.truth);
}

#[test]
fn same_seed_same_data() {
    assert_same(
        &england(&small(5)).expect("a"),
        &england(&small(5)).expect("b"),
    );
}

#[test]
fn one_or_two_threads_give_the_same_data() {
    let cfg = small(9);
    assert_same(&with_threads(1, &cfg), &with_threads(2, &cfg));
}

#[test]
fn another_seed_gives_other_data() {
    let (a, b) = (
        england(&small(1)).expect("a"),
        england(&small(2)).expect("b"),
    );
    assert_ne!(a.returns.episodes, b.returns.episodes);
    assert_ne!(a.truth.children, b.truth.children);
    // ... but not another England: the LA list is fixed.
    assert_eq!(a.truth.las, b.truth.las);
}

#[test]
fn bad_settings_are_argument_errors() {
    for cfg in [
        SyntheticConfig {
            scale: 0.0,
            ..Default::default()
        },
        SyntheticConfig {
            scale: f64::NAN,
            ..Default::default()
        },
        SyntheticConfig {
            first_year: 2020,
            last_year: 2019,
            ..Default::default()
        },
        SyntheticConfig {
            bed_in_days: -1,
            ..Default::default()
        },
        SyntheticConfig {
            effect_po_to_placed_days: f64::INFINITY,
            ..Default::default()
        },
    ] {
        assert!(
            matches!(england(&cfg), Err(raa_impact::Error::Argument { .. })),
            "{cfg:?}"
        );
    }
    let las = vec![];
    assert!(raa_impact::synthetic::england_with(&small(0), las).is_err());
}
