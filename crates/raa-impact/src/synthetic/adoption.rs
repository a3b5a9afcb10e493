//! The adoption pathway: a child whose ADM decision falls on a given day, its entry, placement
//! order, match, placement and adoption order (or reversal, disruption, SGO exit), with the RAA
//! effect applied exactly to placement order → placed.
//!
//! All of a child's random quantities that do not depend on the effect are drawn before any
//! effect-dependent date is computed, and children who are never placed are timed on their
//! counterfactual placement date, so that with effect 0 every child is as in the no-RAA world
//! and children with a placement order before go-live are identical in both worlds.

use super::calibration as cal;
use super::children::{
    build_period, eighteenth, expo, gamma, moves, AdoptionRecord, Change, Child, JourneyTruth,
    Moves, Period,
};
use super::codes::{self, pick};
use super::truth::Outcome;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The LA's exposure rule, in days.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Exposure {
    pub go_live: Option<i32>,
    pub bed_in: i32,
    pub effect: i64,
    pub effect_htp: i64,
    pub dip: i64,
}

impl Exposure {
    /// (exposed, in bed-in, effect days) for a placement order on `po`.
    pub(crate) fn at(&self, po: i32, htp: bool) -> (bool, bool, i64) {
        match self.go_live {
            Some(g) if po >= g + self.bed_in => {
                (true, false, if htp { self.effect_htp } else { self.effect })
            }
            Some(g) if po >= g => (false, true, self.dip),
            _ => (false, false, 0),
        }
    }
}

/// Who the child is (drawn first).
struct Profile {
    sex: &'static str,
    ethnic: &'static str,
    sibling: bool,
    disability: bool,
    black_or_mixed: bool,
}

/// Pre-drawn random quantities of an adoption child, drawn in a fixed order before any
/// effect-dependent date is computed.
struct AdoptionDraws {
    age_entry: i32,
    consent: bool,
    ffa: bool,
    /// Harder-to-place children are half as often placed foster-to-adopt.
    ffa_htp: bool,
    /// Unit-mean gamma factors of entry → ADM, ADM → PO, PO → placed, placed → order.
    g: [f64; 4],
    /// Days from match to placement.
    gap: f64,
    u_outcome: f64,
    /// Where between ADM and placement (or placement and order) a reversal or disruption falls.
    frac: f64,
    post_delay: f64,
}

/// The placement order and the effect on placement order → placed.
#[derive(Clone, Copy)]
struct PoEffect {
    po: Option<i32>,
    y0: Option<i64>,
    y1: Option<i64>,
    exposed: bool,
    bed_in: bool,
}

/// A child whose ADM decision falls on `adm`: entry, placement order, match, placement,
/// adoption order or another ending, with the effect of the LA's RAA applied exactly.
pub(crate) fn adoption_child(rng: &mut ChaCha8Rng, adm: i32, exposure: &Exposure) -> Child {
    let who = draw_profile(rng);
    let d = draw_durations(rng, &who);
    let (plan, effect, age5_at_adm, htp) = plan_milestones(&who, &d, adm, exposure);
    let (periods, record) = adoption_episodes(rng, &plan);
    let reached_placement = matches!(plan.outcome, Outcome::Adopted | Outcome::Disrupted);
    // A decision reversed (or an SGO made) before the placement order date means no order was
    // made: no placement order, hence no PO → placed duration and no exposure, in truth too.
    let po_made = match (effect.po, record.ceased) {
        (Some(p), Some((c, _))) if !reached_placement => p < c,
        (Some(_), _) => true,
        (None, _) => false,
    };
    let effect = if po_made {
        effect
    } else {
        PoEffect {
            po: None,
            y0: None,
            y1: None,
            exposed: false,
            bed_in: false,
        }
    };
    let truth = JourneyTruth {
        entry: plan.entry,
        adm,
        po: effect.po,
        matched: record.matched,
        placed: reached_placement.then_some(plan.placed),
        adopted: (plan.outcome == Outcome::Adopted).then_some(plan.order),
        ceased: record.ceased.map(|c| c.0),
        outcome: plan.outcome,
        foster_carer_adoption: plan.ffa,
        age5_at_adm,
        black_or_mixed: who.black_or_mixed,
        harder_to_place: htp,
        exposed: effect.exposed,
        bed_in: effect.bed_in,
        y0: effect.y0,
        y1: effect.y1,
    };
    Child {
        dob: plan.dob,
        sex: who.sex,
        ethnic: who.ethnic,
        sibling: who.sibling,
        disability: who.disability,
        periods,
        adoption: Some(record),
        truth: Some(truth),
    }
}

fn draw_profile(rng: &mut ChaCha8Rng) -> Profile {
    let sex = if rng.random::<f64>() < 0.51 { "1" } else { "2" };
    let ethnic = pick(rng, codes::ETHNIC_ADOPTION);
    let sibling = rng.random::<f64>() < 0.30;
    let disability = rng.random::<f64>() < 0.05;
    Profile {
        sex,
        ethnic,
        sibling,
        disability,
        black_or_mixed: codes::is_black_or_mixed(ethnic),
    }
}

fn draw_durations(rng: &mut ChaCha8Rng, who: &Profile) -> AdoptionDraws {
    let age_entry = codes::adoption_entry_age_days(rng);
    AdoptionDraws {
        age_entry,
        consent: rng.random::<f64>() < 0.04 && age_entry < 60 && !who.sibling,
        ffa: rng.random::<f64>() < 0.19,
        ffa_htp: rng.random::<f64>() < 0.5,
        g: [
            gamma(rng, 2.0),
            gamma(rng, 3.0),
            gamma(rng, 1.6),
            gamma(rng, 2.5),
        ],
        gap: 5.0 + expo(rng, 25.0),
        u_outcome: rng.random(),
        frac: rng.random_range(0.15..0.9),
        post_delay: 30.0 + expo(rng, 400.0),
    }
}

/// The milestone dates from the draws: (plan, placement order and effect, age 5+ at ADM,
/// harder to place).
fn plan_milestones(
    who: &Profile,
    d: &AdoptionDraws,
    adm: i32,
    exposure: &Exposure,
) -> (Plan, PoEffect, bool, bool) {
    // The wait multiplier uses the flags known before the entry date is fixed (age at ADM is
    // approximated by age at entry + ~200 days); the truth's flag uses the exact age at ADM.
    let htp_pre = who.black_or_mixed || who.sibling || who.disability || d.age_entry + 200 >= 1826;
    let m = if htp_pre {
        cal::HTP_MULTIPLIER
    } else {
        cal::NON_HTP_MULTIPLIER
    };
    let d1 = (cal::MEAN_ENTRY_TO_ADM * cal::court_factor(adm) * m * d.g[0]).max(7.0) as i32;
    let entry = adm - d1;
    let dob = entry - d.age_entry;
    let age5_at_adm = age_at_least(dob, adm, 5);
    let htp = age5_at_adm || who.black_or_mixed || who.sibling || who.disability;

    let (effect, placed, placed0) = if d.consent {
        let placed = adm + (30.0 + 60.0 * d.g[2]) as i32;
        (
            PoEffect {
                po: None,
                y0: None,
                y1: None,
                exposed: false,
                bed_in: false,
            },
            placed,
            placed,
        )
    } else {
        let d2 = (cal::MEAN_ADM_TO_PO * cal::court_factor(adm) * m * d.g[1]).max(14.0) as i32;
        let po = adm + d2;
        let y0 = (cal::MIN_PO_TO_PLACED
            + cal::MEAN_PO_TO_PLACED_EXTRA * cal::matching_factor(po) * m * d.g[2])
            .round() as i64;
        let (exposed, bed_in, eff) = exposure.at(po, htp);
        let y1 = (y0 + eff).max(1);
        let effect = PoEffect {
            po: Some(po),
            y0: Some(y0),
            y1: Some(y1),
            exposed,
            bed_in,
        };
        // The placement date without the RAA: reversals and SGO exits are timed on it, so that
        // the effect changes nothing for children who are never placed.
        (effect, po + y1 as i32, po + y0 as i32)
    };
    let matched = (placed - d.gap as i32).max(effect.po.unwrap_or(adm));
    let d4 =
        (60.0 + (cal::MEAN_PLACED_TO_ORDER - 60.0) * cal::order_factor(placed) * d.g[3]) as i32;
    let p_rev = if htp { 0.10 } else { 0.06 };
    let outcome = if d.u_outcome < p_rev {
        Outcome::Reversed
    } else if d.u_outcome < p_rev + 0.03 {
        Outcome::Disrupted
    } else if d.u_outcome < p_rev + 0.08 {
        Outcome::SpecialGuardianship
    } else {
        Outcome::Adopted
    };
    let plan = Plan {
        entry,
        adm,
        po: effect.po,
        placed,
        placed0,
        matched,
        order: placed + d4.max(1),
        outcome,
        ffa: d.ffa && (!htp_pre || d.ffa_htp),
        frac: d.frac,
        post_delay: d.post_delay,
        dob,
    };
    (plan, effect, age5_at_adm, htp)
}

/// Is the child aged `years` or more on `at`?
fn age_at_least(dob: i32, at: i32, years: i32) -> bool {
    match (
        crate::data::date::from_epoch_days(i64::from(dob)),
        crate::data::date::from_epoch_days(i64::from(at)),
    ) {
        (Some(b), Some(a)) => crate::data::date::age_years(b, a) >= years,
        _ => false,
    }
}

/// The milestone dates of an adoption child, before the episodes are laid out.
struct Plan {
    entry: i32,
    adm: i32,
    po: Option<i32>,
    /// Counterfactual placement date (no RAA effect).
    placed0: i32,
    placed: i32,
    matched: i32,
    order: i32,
    outcome: Outcome,
    ffa: bool,
    frac: f64,
    post_delay: f64,
    dob: i32,
}

/// Lay out the episodes of an adoption child and its AD1/PlacedAdoption record.
fn adoption_episodes(rng: &mut ChaCha8Rng, p: &Plan) -> (Vec<Period>, AdoptionRecord) {
    let adult = eighteenth(p.dob);
    let (ls0, place0) = codes::adoption_entry_state(rng, p.po.is_none(), p.ffa);
    let mut changes = Vec::new();
    if !p.ffa {
        // Children never placed move until the counterfactual placement date: nothing about them
        // depends on the effect.
        let reached = matches!(p.outcome, Outcome::Adopted | Outcome::Disrupted);
        let until = if reached { p.placed } else { p.placed0 };
        changes.extend(moves(rng, p.entry, until, 0.3, Moves::Foster));
    }
    if ls0 == "L2" {
        changes.push(Change {
            day: p.entry + 8,
            ls: Some("C2"),
            place: None,
            same_carer: false,
            reason: "",
        });
    } else if ls0 == "V2" && p.po.is_some() {
        let mid = p.entry + (p.po.unwrap_or(p.entry) - p.entry) / 2;
        changes.push(Change {
            day: mid,
            ls: Some("C2"),
            place: None,
            same_carer: false,
            reason: "",
        });
    }
    if let Some(po) = p.po {
        changes.push(Change {
            day: po,
            ls: Some("E1"),
            place: None,
            same_carer: false,
            reason: "",
        });
    }
    let adopters = codes::adopters(rng);
    let mut record = AdoptionRecord {
        adm: p.adm,
        matched: None,
        ceased: None,
        foster_care: p.ffa,
        nb_adoptr: adopters.0,
        sex_adoptr: adopters.1,
        ls_adoptr: adopters.2,
    };
    let span = (p.placed0 - p.adm).max(2);
    let before_placement = (p.adm + (f64::from(span) * p.frac) as i32)
        .clamp(p.adm + 1, p.placed0 - 1)
        .max(p.entry + 1);
    let (exit, rec) = match p.outcome {
        Outcome::Adopted => {
            record.matched = Some(p.matched);
            changes.push(placement_change(rng, p));
            (
                p.order,
                if rng.random::<f64>() < 0.6 {
                    "E11"
                } else {
                    "E12"
                },
            )
        }
        Outcome::Disrupted => {
            record.matched = Some(p.matched);
            changes.push(placement_change(rng, p));
            let dd = (p.placed + (f64::from(p.order - p.placed) * p.frac) as i32).max(p.placed + 1);
            record.ceased = Some((dd, "RD1"));
            changes.push(Change {
                day: dd,
                ls: None,
                place: Some(("U6", "PR1")),
                same_carer: false,
                reason: "CARPL",
            });
            changes.extend(moves(rng, dd + 1, adult, 0.25, Moves::Foster));
            later_exit(rng, dd, p.post_delay, adult)
        }
        Outcome::Reversed => {
            record.ceased = Some((before_placement, pick(rng, codes::REVERSAL_REASONS)));
            changes.retain(|c| c.day < before_placement);
            if p.po.is_some_and(|po| po < before_placement) {
                changes.push(Change {
                    day: before_placement,
                    ls: Some("C1"),
                    place: None,
                    same_carer: false,
                    reason: "",
                });
            }
            changes.extend(moves(rng, before_placement + 1, adult, 0.25, Moves::Foster));
            later_exit(rng, before_placement, p.post_delay, adult)
        }
        Outcome::SpecialGuardianship => {
            record.ceased = Some((before_placement, "RD4"));
            (
                before_placement,
                if rng.random::<f64>() < 0.4 {
                    "E45"
                } else {
                    "E46"
                },
            )
        }
    };
    let cin = if rng.random::<f64>() < 0.85 {
        "N1"
    } else {
        "N5"
    };
    let (exit, rec) = if exit >= adult {
        (adult, pick(rng, codes::REC_AT_18))
    } else {
        (exit, rec)
    };
    let eps = build_period(p.entry, ls0, place0, changes, exit.max(p.entry + 1), rec);
    (vec![Period { cin, eps }], record)
}

/// The move into the adoptive placement: A5/A3 with the current (foster-to-adopt) carer,
/// A6/A4 otherwise; A3/A4 when placed with consent (no placement order).
fn placement_change(rng: &mut ChaCha8Rng, p: &Plan) -> Change {
    let with_order = p.po.is_some();
    let place = match (with_order, p.ffa) {
        (true, true) => "A5",
        (true, false) => "A6",
        (false, true) => "A3",
        (false, false) => "A4",
    };
    let provider = pick(rng, codes::ADOPTION_PROVIDERS);
    Change {
        day: p.placed,
        ls: None,
        place: Some((place, provider)),
        same_carer: p.ffa,
        reason: "PLACE",
    }
}

/// After a reversal or disruption: leave care later (home, SGO, child arrangements) or stay to 18.
fn later_exit(rng: &mut ChaCha8Rng, from: i32, delay: f64, adult: i32) -> (i32, &'static str) {
    let exit = from + delay as i32;
    // Orders (SGO, child arrangements) cannot be made at 18 (DfE rule 407): those still in care
    // then leave at 18.
    if rng.random::<f64>() < 0.15 || exit >= adult {
        return (adult, pick(rng, codes::REC_AT_18));
    }
    (exit, pick(rng, codes::REC_AFTER_REVERSAL))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effect_is_applied_only_after_go_live_plus_bed_in() {
        let e = Exposure {
            go_live: Some(1000),
            bed_in: 100,
            effect: -14,
            effect_htp: -35,
            dip: 10,
        };
        assert_eq!(e.at(999, false), (false, false, 0));
        assert_eq!(e.at(1000, true), (false, true, 10));
        assert_eq!(e.at(1100, false), (true, false, -14));
        assert_eq!(e.at(1100, true), (true, false, -35));
    }
}
