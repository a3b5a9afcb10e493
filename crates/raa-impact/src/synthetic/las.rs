//! The default LA list: every current English LA with a DfE code, its RAA go-live from the bundled
//! registry data where a date is known, else an imputed (seeded, flagged) date in 2018–2022.
//!
//! This is a stand-in for the registry loader (`data::registry::load`); [`LaSpec`] is the
//! interface, so the lead can swap the source without touching the generator.

use super::config::LaSpec;
use super::registry::{reference_day, synthetic_registry};
use crate::data::exposure::exposure_start;
use crate::data::registry::{Confidence, MilestoneKind};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};

/// Fixed seed of the default LA sizes, so that `default_las()` is the same list whatever seed the
/// generator uses.
const LA_LIST_SEED: u64 = 903;

/// Every English LA in existence on 31 March 2018 (the middle of 2011–2024), with its RAA and exact
/// go-live from synthetic England's registry ([`synthetic_registry`]) and a relative size.
///
/// The go-live is the library's own exposure start on that registry, so the truth the generator
/// writes and the exposure the library computes agree. `imputed` is true when the registry had to
/// fill the date in (no published day or month).
///
/// Sizes are lognormal (σ = 0.5, truncated to 0.33–3 times the median), giving annual adoptions from a handful to ~80 at national
/// scale; City of London and the Isles of Scilly are made tiny, as they are.
///
/// ```
/// let las = raa_impact::synthetic::default_las();
/// assert!(las.len() > 140);
/// assert!(las.iter().all(|la| la.go_live.is_some()));
/// ```
pub fn default_las() -> Vec<LaSpec> {
    let Ok(registry) = synthetic_registry() else {
        return Vec::new();
    };
    let mut rng = ChaCha8Rng::seed_from_u64(LA_LIST_SEED);
    let size_dist = LogNormal::new(0.0, 0.5).ok();
    let day = reference_day();
    let mut out = Vec::new();
    for la in &registry.las {
        let exists = la.start_date.is_none_or(|s| s <= day) && la.end_date.is_none_or(|e| e >= day);
        if !exists {
            continue;
        }
        // Truncated at about ±2.2σ: real LAs adopt from a handful to ~80 children a year, and an
        // untruncated tail gave one LA twice the largest real figure.
        let mut size = size_dist
            .map(|d| d.sample(&mut rng))
            .unwrap_or(1.0_f64)
            .clamp(0.33, 3.0);
        if la.dfe_code == "201" || la.dfe_code == "420" {
            size = 0.03;
        }
        let start = exposure_start(&registry, &la.dfe_code, MilestoneKind::GoLive).ok();
        out.push(LaSpec {
            code: la.dfe_code.clone(),
            name: la.name.clone(),
            raa_id: start.map(|s| s.raa.id.clone()),
            go_live: start.and_then(|s| s.start),
            size,
            imputed: start
                .and_then(|s| s.milestone)
                .is_none_or(|m| m.confidence == Confidence::None),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::date::Date;

    #[test]
    fn known_members_get_their_registry_date() {
        let las = default_las();
        let stockport = las
            .iter()
            .find(|l| l.code == "356")
            .expect("Stockport listed");
        assert_eq!(stockport.go_live, Date::from_ymd_opt(2017, 7, 3));
        assert!(!stockport.imputed);
        let leeds = las.iter().find(|l| l.code == "383").expect("Leeds listed");
        assert!(leeds.imputed, "year-only go-live is imputed");
        assert_eq!(
            leeds.go_live.map(|d| chrono::Datelike::year(&d)),
            Some(2017)
        );
    }

    #[test]
    fn go_lives_are_staggered_2017_to_2022_and_sizes_spread() {
        let las = default_las();
        let known = las.iter().filter(|l| !l.imputed).count();
        let first = Date::from_ymd_opt(2017, 1, 1).unwrap_or_default();
        let last = Date::from_ymd_opt(2024, 12, 31).unwrap_or_default();
        assert!(las
            .iter()
            .all(|l| l.go_live.is_some_and(|g| g >= first && g <= last)));
        assert!(known >= 60, "{known}");
        let years: std::collections::BTreeSet<_> = las
            .iter()
            .filter_map(|l| l.go_live)
            .map(|g| chrono::Datelike::year(&g))
            .collect();
        assert!(years.len() >= 5, "{years:?}");
        let (lo, hi) = las
            .iter()
            .filter(|l| l.size > 0.1)
            .fold((f64::MAX, 0.0f64), |(a, b), l| {
                (a.min(l.size), b.max(l.size))
            });
        assert!(hi / lo > 8.0, "sizes spread like real LAs: {lo} .. {hi}");
    }
}
