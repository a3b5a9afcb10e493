//! The randomisation test over go-live timing holds its size on synthetic England: with no RAA
//! effect and each LA's go-live year drawn uniformly from its window (the registry's year ± 1, as
//! the Marascuilo–Busk design assumes), the test with the Callaway–Sant'Anna statistic rejects at
//! about its nominal 5% over seeded replications.

use raa_impact::data::date::collection_year;
use raa_impact::data::journeys::{derive_journeys, JourneyOptions};
use raa_impact::data::panel::{la_panel, Freq, PanelOptions};
use raa_impact::data::ssda903::validate::validate;
use raa_impact::did::{cs_timing_test, Aggregation, AttGtOptions, PanelInput};
use raa_impact::randomisation::{Alternative, Design, RandomisationOptions, Window};
use raa_impact::synthetic::{
    default_las, england_with, registry::synthetic_registry, SyntheticConfig,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::collections::HashMap;

const REPLICATIONS: u64 = 100;
const YEARS: std::ops::RangeInclusive<i64> = 2013..=2022;

/// One world with no effect and drawn go-lives; the test's p-value.
fn p_value(seed: u64) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(50_000 + seed);
    let mut las = default_las();
    let mut window: HashMap<String, (i64, i64, i64)> = HashMap::new(); // (first, last, drawn)
    for la in &mut las {
        if let Some(g) = la.go_live {
            let shift: i64 = rng.random_range(-1..=1);
            let base = i64::from(collection_year(g));
            let moved = g + chrono::Duration::days(365 * shift);
            la.go_live = Some(moved);
            window.insert(
                la.code.clone(),
                (base - 1, base + 1, i64::from(collection_year(moved))),
            );
        }
    }
    let cfg = SyntheticConfig {
        seed,
        scale: 0.1,
        effect_po_to_placed_days: 0.0,
        effect_htp_po_to_placed_days: 0.0,
        bed_in_dip_days: 0.0,
        ..SyntheticConfig::default()
    };
    let e = england_with(&cfg, las).expect("generates");
    let registry = synthetic_registry().expect("registry");
    let set = derive_journeys(
        &e.returns,
        &validate(&e.returns),
        &JourneyOptions::default(),
    )
    .expect("journeys");
    let opts = PanelOptions {
        freq: Freq::Year,
        ..PanelOptions::default()
    };
    let rows = la_panel(&set.journeys, &registry, &opts).expect("panel");
    let mut by_la: HashMap<&str, Vec<(i64, Option<f64>)>> = HashMap::new();
    for r in &rows {
        let year: i64 = r.period.parse().expect("a collection year");
        if YEARS.contains(&year) {
            by_la
                .entry(r.unit.as_str())
                .or_default()
                .push((year, r.cohort_mean_po_to_placed));
        }
    }
    let mut codes: Vec<&str> = by_la
        .iter()
        .filter(|(_, v)| v.len() == YEARS.count() && v.iter().all(|x| x.1.is_some()))
        .map(|(k, _)| *k)
        .collect();
    codes.sort_unstable();
    let (mut unit, mut time, mut y, mut windows, mut observed) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (u, code) in codes.iter().enumerate() {
        for &(year, mean) in &by_la[code] {
            unit.push(u as i64);
            time.push(year);
            y.push(mean.expect("complete"));
        }
        let (first, last, drawn) = window.get(*code).copied().unwrap_or((0, 0, 0));
        windows.push(Window::new(first, last));
        observed.push(drawn);
    }
    let group = vec![0; unit.len()];
    let input = PanelInput {
        unit: &unit,
        time: &time,
        group: &group,
        y: &y,
        covariates: &[],
        cluster: None,
        weights: None,
    };
    let design = Design::marascuilo_busk(windows).expect("design");
    let att = AttGtOptions {
        bed_in: 1,
        ..AttGtOptions::default()
    };
    let ropts = RandomisationOptions {
        alternative: Alternative::TwoSided,
        max_enumerate: 0,
        draws: 99,
        seed,
        keep_distribution: false,
        ..RandomisationOptions::default()
    };
    cs_timing_test(
        &input,
        &design,
        &observed,
        &att,
        &Aggregation::Simple,
        &ropts,
    )
    .expect("test")
    .p_value
}

#[test]
fn randomisation_test_holds_its_size_on_synthetic_england() {
    let p: Vec<f64> = (0..REPLICATIONS).into_par_iter().map(p_value).collect();
    let rejections = p.iter().filter(|&&v| v <= 0.05).count();
    let below_half = p.iter().filter(|&&v| v <= 0.5).count();
    eprintln!(
        "{rejections} of {REPLICATIONS} replications reject at 5%; {below_half} have p <= 0.5"
    );
    // Binomial(100, 0.05): 5 expected, P(X > 12) < 0.001.
    assert!(rejections <= 12, "{rejections} rejections");
    // p is uniform under the null: about half below 0.5 (binomial SD 5).
    assert!(
        (35..=65).contains(&below_half),
        "{below_half} of {REPLICATIONS} below 0.5"
    );
}
