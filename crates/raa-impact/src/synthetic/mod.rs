//! Synthetic England: SSDA903-shaped returns for ~150 LAs, 2011–2024, with the true RAA effects
//! beside them. The library's embedded default data set.
//!
//! [`england`] simulates every child looked after (not only the adoption ones), LA by LA in
//! parallel, each LA with its own ChaCha8 stream seeded from `(seed, LA position)` so that the
//! output is identical for any number of threads. Children with an adoption decision follow the
//! pathway entry → ADM → placement order → match → placed → adoption order (or a reversal,
//! disruption or SGO exit), with durations calibrated to the national series in
//! `tests/data/national_adoption_calibration.csv`.
//!
//! **The injected effect.** For each child with a placement order (PO), the counterfactual
//! PO → placed days `y0` are drawn first; the generated duration is `y1 = y0 + effect`, where
//! `effect` is `effect_po_to_placed_days` (or `effect_htp_po_to_placed_days` for harder-to-place
//! children) when PO ≥ go-live + bed-in, `bed_in_dip_days` when go-live ≤ PO < go-live + bed-in,
//! and 0 otherwise (effects are rounded to whole days; `y1` is floored at 1 day, which the
//! defaults never reach because `y0 ≥ 40`). Everything later (match, placement, order) follows
//! from `y1`. The [`Truth`] records `y0`, `y1` and the effect per child.
//!
//! **What the returns contain.** Each collection year's return holds the episodes open at any
//! time in its 1 April – 31 March year (open episodes repeat, DEC/REC and REASON_PLACE_CHANGE
//! blank until closed), one Header row per child in it, a PlacedAdoption row for every child in it
//! whose ADM decision is in force during the year (made by 31 March, not ceased before 1 April),
//! and an AD1 row for every such child already matched (matched but not yet adopted children
//! included, unlike the DfE return which holds only the year's adoptions). Events after the last
//! 31 March are censored. Fields not modelled (UPN, MOTHER, MC_DOB, postcodes, URN) are blank.
//! At national scale the 14 returns hold ~1.9M episode rows (stock of 65–82k children looked
//! after each 31 March, ~31k entries a year) and take ~1.3 s to generate in release on 2 cores.
//!
//! **Validity.** Records follow the DfE code lists and the 903 validator rules that bear on
//! adoption and episode structure (contiguous episodes with X1, RNE consistent with what
//! changed, A5/A6 only under E1, A3/A4 after a foster placement, E11/E12 after a placement for
//! adoption with an AD1 row, orders before 18, adopters' codes, ...); the `synthetic_validity`
//! tests check each rule by number. Temporary placements, short breaks (V3/V4), D1, P2 and E1 at
//! entry are not generated.
//!
//! ```
//! use raa_impact::synthetic::{england, SyntheticConfig};
//! let cfg = SyntheticConfig { scale: 0.02, first_year: 2016, last_year: 2017, ..Default::default() };
//! let e = england(&cfg).unwrap();
//! assert!(!e.returns.episodes.is_empty());
//! assert!(e.truth.children.iter().all(|c| c.entry <= c.adm));
//! ```

mod adoption;
mod calibration;
mod children;
mod codes;
pub mod config;
pub mod las;
pub mod registry;
mod returns;
pub mod truth;
pub mod write;

pub use config::{LaSpec, SyntheticConfig};
pub use las::default_las;
pub use truth::{ChildTruth, LaTruth, Outcome, Truth};
pub use write::write_returns;

use crate::data::date::{epoch_days, from_epoch_days};
use crate::data::ssda903::tables::Returns;
use crate::error::Result;
use adoption::Exposure;
use calibration::day;
use children::Child;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson};
use rayon::prelude::*;
use serde::Serialize;

/// A generated England: the stacked returns, the truth, and what generated them.
#[derive(Debug, Clone, Serialize)]
pub struct SyntheticEngland {
    /// The stacked returns, LA by LA, year by year (one `files` entry per LA × year × table).
    pub returns: Returns,
    /// What really happened: go-lives and every adoption journey with its effect.
    pub truth: Truth,
    /// The settings used.
    pub config: SyntheticConfig,
    /// The LAs used, in the order of the returns.
    pub las: Vec<LaSpec>,
}

/// Generate synthetic England with the default LA list ([`default_las`]).
pub fn england(config: &SyntheticConfig) -> Result<SyntheticEngland> {
    england_with(config, default_las())
}

/// Generate synthetic England for the LAs given (their sizes set their shares of the national
/// totals; their go-lives set exposure).
pub fn england_with(config: &SyntheticConfig, las: Vec<LaSpec>) -> Result<SyntheticEngland> {
    config.check()?;
    config::check_las(&las)?;
    let total: f64 = las.iter().map(|l| l.size).sum();
    let years: Vec<i32> = (config.first_year..=config.last_year).collect();
    let per_la: Vec<(returns::LaRows, Vec<ChildTruth>)> = las
        .par_iter()
        .enumerate()
        .map(|(pos, la)| simulate_la(config, pos, la, la.size / total, &years))
        .collect();
    let mut out = Returns::default();
    // Reserve once: appending 2M rows into growing vectors would copy them several times.
    out.files
        .reserve(per_la.iter().map(|x| x.0.files.len()).sum());
    out.header
        .reserve(per_la.iter().map(|x| x.0.header.len()).sum());
    out.episodes
        .reserve(per_la.iter().map(|x| x.0.episodes.len()).sum());
    out.ad1.reserve(per_la.iter().map(|x| x.0.ad1.len()).sum());
    out.placed_adoption
        .reserve(per_la.iter().map(|x| x.0.placed_adoption.len()).sum());
    let mut truth = Truth::default();
    truth
        .children
        .reserve(per_la.iter().map(|x| x.1.len()).sum());
    for (la, (rows, kids)) in las.iter().zip(per_la) {
        truth.las.push(LaTruth {
            code: la.code.clone(),
            name: la.name.clone(),
            raa: la.raa_id.clone(),
            go_live: la.go_live,
            imputed: la.imputed,
            size: la.size,
            share: la.size / total,
        });
        append(&mut out, rows);
        truth.children.extend(kids);
    }
    Ok(SyntheticEngland {
        returns: out,
        truth,
        config: config.clone(),
        las,
    })
}

fn append(out: &mut Returns, mut rows: returns::LaRows) {
    out.files.append(&mut rows.files);
    out.header.append(&mut rows.header);
    out.episodes.append(&mut rows.episodes);
    out.ad1.append(&mut rows.ad1);
    out.placed_adoption.append(&mut rows.placed_adoption);
}

/// Seed of LA `pos`'s stream: a SplitMix64 mix of the seed and the position, so that nearby
/// seeds and positions give unrelated streams.
fn la_seed(seed: u64, pos: usize) -> u64 {
    let mut z = seed.wrapping_add((pos as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Simulate one LA: arrivals month by month, each child from its own seeded stream.
fn simulate_la(
    cfg: &SyntheticConfig,
    pos: usize,
    la: &LaSpec,
    share: f64,
    years: &[i32],
) -> (returns::LaRows, Vec<ChildTruth>) {
    let mut rng = ChaCha8Rng::seed_from_u64(la_seed(cfg.seed, pos));
    let exposure = Exposure {
        go_live: la.go_live.map(|d| epoch_days(d) as i32),
        bed_in: cfg.bed_in_days as i32,
        effect: cfg.effect_po_to_placed_days.round() as i64,
        effect_htp: cfg.effect_htp_po_to_placed_days.round() as i64,
        dip: cfg.bed_in_dip_days.round() as i64,
    };
    let first_day = day(cfg.first_year - 1, 4, 1);
    let last_day = day(cfg.last_year, 3, 31);
    let k = share * cfg.scale;
    let mut kids: Vec<Child> = Vec::new();
    for (start, end) in months(calibration::warm_up_start(), last_day) {
        for t in arrivals(
            &mut rng,
            start,
            end,
            calibration::care_entries_per_year(start) / 12.0 * k,
        ) {
            let mut child_rng = ChaCha8Rng::seed_from_u64(rng.random());
            kids.push(children::care_child(&mut child_rng, t));
        }
    }
    for (start, end) in months(calibration::adm_start(), last_day) {
        for t in arrivals(
            &mut rng,
            start,
            end,
            calibration::adm_per_quarter(start) / 3.0 * k,
        ) {
            let mut child_rng = ChaCha8Rng::seed_from_u64(rng.random());
            kids.push(adoption::adoption_child(&mut child_rng, t, &exposure));
        }
    }
    // Only children in at least one return get an id; ids follow the order of entry.
    kids.retain(|c| c.last_day() >= first_day && c.first_day() <= last_day);
    kids.sort_by_key(|c| c.first_day());
    let ids: Vec<String> = (1..=kids.len()).map(|i| format!("{i:06}")).collect();
    let rows = returns::la_rows(pos, &la.code, years, &kids, &ids);
    let truths = kids
        .iter()
        .zip(&ids)
        .filter_map(|(c, id)| child_truth(&la.code, id, c))
        .collect();
    (rows, truths)
}

/// Half-open months `[start, end)` from the month of `from` until `until`.
fn months(from: i32, until: i32) -> Vec<(i32, i32)> {
    let mut out = Vec::new();
    let Some(mut d) = from_epoch_days(i64::from(from)) else {
        return out;
    };
    while let Some(next) = d.checked_add_months(chrono::Months::new(1)) {
        let (a, b) = (epoch_days(d) as i32, epoch_days(next) as i32);
        if a > until {
            break;
        }
        out.push((a, b));
        d = next;
    }
    out
}

/// Poisson number of arrivals with mean `rate`, on uniform days in `[start, end)`, sorted.
fn arrivals(rng: &mut ChaCha8Rng, start: i32, end: i32, rate: f64) -> Vec<i32> {
    let n = match Poisson::new(rate) {
        Ok(p) => p.sample(rng) as usize,
        Err(_) => 0,
    };
    let mut out: Vec<i32> = (0..n)
        .map(|_| rng.random_range(start..end.max(start + 1)))
        .collect();
    out.sort_unstable();
    out
}

/// The truth row of an adoption child (`None` for children never given an ADM decision).
fn child_truth(la: &str, id: &str, c: &Child) -> Option<ChildTruth> {
    let t = c.truth.as_ref()?;
    let d = |x: i32| from_epoch_days(i64::from(x));
    let effect_days = match (t.y0, t.y1) {
        (Some(a), Some(b)) => (b - a) as f64,
        _ => 0.0,
    };
    Some(ChildTruth {
        la: la.to_string(),
        child: id.to_string(),
        dob: d(c.dob)?,
        sex: c.sex.to_string(),
        ethnic: c.ethnic.to_string(),
        entry: d(t.entry)?,
        adm: d(t.adm)?,
        po_date: t.po.and_then(d),
        matched: t.matched.and_then(d),
        placed: t.placed.and_then(d),
        adopted: t.adopted.and_then(d),
        ceased: t.ceased.and_then(d),
        outcome: t.outcome,
        foster_carer_adoption: t.foster_carer_adoption,
        age5_at_adm: t.age5_at_adm,
        black_or_mixed: t.black_or_mixed,
        sibling_group: c.sibling,
        disability: c.disability,
        harder_to_place: t.harder_to_place,
        exposed: t.exposed,
        bed_in: t.bed_in,
        y0_po_to_placed: t.y0,
        y1_po_to_placed: t.y1,
        effect_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_cover_the_range_without_gaps() {
        let m = months(day(2020, 1, 15), day(2020, 4, 2));
        assert_eq!(m.first().map(|x| x.0), Some(day(2020, 1, 15)));
        for w in m.windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
        assert!(m.last().is_some_and(|x| x.1 > day(2020, 4, 2)));
    }

    #[test]
    fn la_seeds_differ() {
        assert_ne!(la_seed(0, 0), la_seed(0, 1));
        assert_ne!(la_seed(0, 1), la_seed(1, 0));
    }
}
