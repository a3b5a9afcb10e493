//! The registry of synthetic England: the bundled RAA registry with every gap filled, so that each
//! LA has one exact go-live that the generator and the library's exposure agree on.
//!
//! The bundled registry records what public sources say: some go-lives are known only to the month
//! or year, some RAAs have no go-live, and some LAs are in no recorded RAA. Synthetic England needs
//! a complete world, so it fills these gaps with seeded, flagged values (confidence `None`, a note
//! saying "imputed by synthetic England"):
//! * a go-live known to the month becomes the 1st of that month, at day precision;
//! * a go-live known to the year becomes a seeded day in that year;
//! * an RAA with members but no go-live gets a seeded day in 2018–2022 (after its earlier
//!   milestones and no later than its later ones);
//! * LAs in existence on 31 March 2018 that are in no recorded RAA are grouped, by region, into one
//!   synthetic RAA per region (`synthetic-<region>`) with a seeded go-live in 2018–2022.
//!
//! The generator then takes each LA's go-live as the library's exposure start on this registry
//! ([`crate::data::exposure::exposure_start`]), so truth and exposure agree by construction.

use crate::data::date::Date;
use crate::data::registry::{
    load, Confidence, DatePrecision, Membership, Milestone, MilestoneKind, Raa, RaaModel, Registry,
};
use crate::error::Result;
use chrono::Datelike;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};

/// Fixed seed of the imputations, so that synthetic England's registry is the same for every
/// generator seed (the seed varies the children, not the world's calendar).
const REGISTRY_SEED: u64 = 903;

/// The day synthetic England takes the LA list on (the middle of 2011–2024; later reorganisations
/// are not modelled).
pub fn reference_day() -> Date {
    Date::from_ymd_opt(2018, 3, 31).unwrap_or_default()
}

const IMPUTED: &str = "imputed by synthetic England (seeded); not a published date";

/// The bundled registry with every gap filled (see the module documentation).
///
/// ```
/// use raa_impact::data::registry::MilestoneKind;
/// let reg = raa_impact::synthetic::registry::synthetic_registry().unwrap();
/// // Kent joined Adoption Partnership South East, live on 1 November 2020.
/// let (_, m) = reg.milestone_for_la("886", MilestoneKind::GoLive).unwrap();
/// assert_eq!(m.date.to_string(), "2020-11-01");
/// ```
pub fn synthetic_registry() -> Result<Registry> {
    let mut reg = load::bundled()?;
    let mut rng = ChaCha8Rng::seed_from_u64(REGISTRY_SEED);
    exact_go_lives(&mut reg, &mut rng);
    regional_raas(&mut reg, &mut rng);
    reg.checked()
}

/// A uniform day in `from ..= to`.
fn day_between(rng: &mut ChaCha8Rng, from: Date, to: Date) -> Date {
    let span = (to - from).num_days().max(0) as u64;
    from + chrono::Days::new(rng.random_range(0..=span))
}

fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Give every RAA with members a go-live at day precision.
fn exact_go_lives(reg: &mut Registry, rng: &mut ChaCha8Rng) {
    let with_members: BTreeSet<String> = reg.memberships.iter().map(|m| m.raa_id.clone()).collect();
    for raa in reg.raas.iter_mut() {
        // Draw for every RAA, member or not, so one RAA's data do not shift another's dates.
        let drawn = day_between(rng, ymd(2018, 1, 1), ymd(2022, 12, 31));
        let (lo, hi) = bounds(raa);
        let go_live = match raa
            .milestones
            .iter_mut()
            .find(|m| m.kind == MilestoneKind::GoLive)
        {
            Some(m) => m,
            None if with_members.contains(&raa.id) => {
                raa.milestones.push(imputed(drawn.clamp(lo, hi)));
                raa.milestones.sort_by_key(|m| m.kind);
                continue;
            }
            None => continue,
        };
        match go_live.precision {
            DatePrecision::Day => {}
            DatePrecision::Month => {
                go_live.precision = DatePrecision::Day;
                go_live.note = format!(
                    "{} [synthetic England: taken as the 1st of the month]",
                    go_live.note
                );
            }
            DatePrecision::Year => {
                let y = go_live.date.year();
                let d = day_between(rng, ymd(y, 1, 1), ymd(y, 12, 31)).clamp(lo, hi);
                *go_live = Milestone {
                    note: format!("{IMPUTED}; the source gives the year {y}"),
                    ..imputed(d)
                };
            }
        }
    }
}

/// The earliest and latest day a go-live may take between an RAA's other milestones.
fn bounds(raa: &Raa) -> (Date, Date) {
    let lo = raa
        .milestones
        .iter()
        .filter(|m| m.kind < MilestoneKind::GoLive)
        .map(|m| m.date)
        .max()
        .unwrap_or(Date::MIN);
    let hi = raa
        .milestones
        .iter()
        .filter(|m| m.kind > MilestoneKind::GoLive)
        .map(|m| m.date)
        .min()
        .unwrap_or(Date::MAX);
    (lo, hi.max(lo))
}

fn imputed(date: Date) -> Milestone {
    Milestone {
        kind: MilestoneKind::GoLive,
        date,
        precision: DatePrecision::Day,
        confidence: Confidence::None,
        source_url: String::new(),
        note: IMPUTED.to_string(),
    }
}

/// LAs in existence on the reference day and in no recorded RAA join a regional synthetic RAA.
fn regional_raas(reg: &mut Registry, rng: &mut ChaCha8Rng) {
    let day = reference_day();
    let mut by_region: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for la in &reg.las {
        let exists = la.start_date.is_none_or(|s| s <= day) && la.end_date.is_none_or(|e| e >= day);
        if exists && reg.joined(&la.dfe_code).is_none() {
            by_region
                .entry(la.region.clone())
                .or_default()
                .push(la.dfe_code.clone());
        }
    }
    for (region, codes) in by_region {
        let id = format!("synthetic-{}", slug(&region));
        let go_live = day_between(rng, ymd(2018, 1, 1), ymd(2022, 12, 31));
        reg.raas.push(Raa {
            id: id.clone(),
            name: format!("Synthetic RAA ({region}, LAs in no recorded RAA)"),
            model: RaaModel::Unknown,
            host: String::new(),
            milestones: vec![imputed(go_live)],
            source_url: String::new(),
            confidence: Confidence::None,
            note: IMPUTED.to_string(),
        });
        for code in codes {
            reg.memberships.push(Membership {
                la_code: code,
                raa_id: id.clone(),
                valid_from: go_live,
                valid_to: None,
                confidence: Confidence::None,
                source_url: String::new(),
                note: IMPUTED.to_string(),
            });
        }
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::exposure::exposure_start;

    #[test]
    fn every_la_of_the_reference_day_has_an_exact_go_live() {
        let reg = synthetic_registry().unwrap();
        let day = reference_day();
        for la in reg.las.iter().filter(|l| {
            l.start_date.is_none_or(|s| s <= day) && l.end_date.is_none_or(|e| e >= day)
        }) {
            let start = exposure_start(&reg, &la.dfe_code, MilestoneKind::GoLive)
                .unwrap_or_else(|s| panic!("{} {}: {s:?}", la.dfe_code, la.name));
            let m = start.milestone.expect("go-live");
            assert_eq!(m.precision, DatePrecision::Day, "{}", la.name);
            assert_eq!(start.start, start.latest, "{}: exact start", la.name);
        }
    }

    #[test]
    fn published_day_precise_dates_are_kept_and_imputations_flagged() {
        let bundled = load::bundled().unwrap();
        let reg = synthetic_registry().unwrap();
        for raa in &bundled.raas {
            let Some(orig) = raa.milestone(MilestoneKind::GoLive) else {
                continue;
            };
            let now = reg
                .raa(&raa.id)
                .and_then(|r| r.milestone(MilestoneKind::GoLive))
                .unwrap();
            match orig.precision {
                DatePrecision::Day => assert_eq!(orig, now),
                DatePrecision::Month => assert_eq!(orig.date, now.date),
                DatePrecision::Year => {
                    assert_eq!(orig.date.year(), now.date.year());
                    assert_eq!(now.confidence, Confidence::None);
                }
            }
        }
        assert!(reg.raas.iter().any(|r| r.id.starts_with("synthetic-")));
        assert_eq!(synthetic_registry().unwrap(), reg, "deterministic");
    }
}
