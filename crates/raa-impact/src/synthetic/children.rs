//! One child's history in care: periods of care made of contiguous episodes, and for children
//! with an adoption decision, the adoption milestones and the true effect.
//!
//! Days are `i32` days since 1970-01-01 inside the generator (fast arithmetic); they become
//! [`Date`](crate::data::date::Date)s when rows are written. Every child draws from its own RNG
//! (seeded from its LA's stream), so changing the effect or the bed-in never shifts the draws
//! of any other child: with effect 0 the data are identical to the no-RAA world.

use super::calibration as cal;
use super::codes::{self, pick};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1, Gamma};

/// One episode of care (one row of the Episodes table).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ep {
    pub start: i32,
    /// Always a concrete day (possibly after the data cut: then written blank).
    pub end: i32,
    pub rne: &'static str,
    pub ls: &'static str,
    pub place: &'static str,
    pub provider: &'static str,
    pub rec: &'static str,
    pub reason: &'static str,
}

/// A period of care: contiguous episodes from an RNE=S start to an exit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Period {
    pub cin: &'static str,
    pub eps: Vec<Ep>,
}

impl Period {
    pub fn start(&self) -> i32 {
        self.eps.first().map(|e| e.start).unwrap_or(i32::MAX)
    }
    pub fn end(&self) -> i32 {
        self.eps.last().map(|e| e.end).unwrap_or(i32::MIN)
    }
}

/// What the AD1 and PlacedAdoption tables need about an adoption decision.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AdoptionRecord {
    pub adm: i32,
    pub matched: Option<i32>,
    pub ceased: Option<(i32, &'static str)>,
    pub foster_care: bool,
    pub nb_adoptr: &'static str,
    pub sex_adoptr: &'static str,
    pub ls_adoptr: &'static str,
}

/// The true journey before it is attached to an LA and a child id.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JourneyTruth {
    pub entry: i32,
    pub adm: i32,
    pub po: Option<i32>,
    pub matched: Option<i32>,
    pub placed: Option<i32>,
    pub adopted: Option<i32>,
    pub ceased: Option<i32>,
    pub outcome: super::truth::Outcome,
    pub foster_carer_adoption: bool,
    pub age5_at_adm: bool,
    pub black_or_mixed: bool,
    pub harder_to_place: bool,
    pub exposed: bool,
    pub bed_in: bool,
    pub y0: Option<i64>,
    pub y1: Option<i64>,
}

/// A simulated child.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Child {
    pub dob: i32,
    pub sex: &'static str,
    pub ethnic: &'static str,
    pub sibling: bool,
    pub disability: bool,
    pub periods: Vec<Period>,
    pub adoption: Option<AdoptionRecord>,
    pub truth: Option<JourneyTruth>,
}

impl Child {
    pub fn first_day(&self) -> i32 {
        self.periods.first().map(Period::start).unwrap_or(i32::MAX)
    }
    pub fn last_day(&self) -> i32 {
        self.periods.last().map(Period::end).unwrap_or(i32::MIN)
    }
}

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
    fn at(&self, po: i32, htp: bool) -> (bool, bool, i64) {
        match self.go_live {
            Some(g) if po >= g + self.bed_in => {
                (true, false, if htp { self.effect_htp } else { self.effect })
            }
            Some(g) if po >= g => (false, true, self.dip),
            _ => (false, false, 0),
        }
    }
}

/// A change within a period: new legal status and/or new placement on `day`.
struct Change {
    day: i32,
    ls: Option<&'static str>,
    place: Option<(&'static str, &'static str)>,
    same_carer: bool,
    reason: &'static str,
}

/// Turn a start state, changes and an exit into contiguous episodes. Changes outside
/// (start, exit) or on the day of an earlier change are dropped, so episodes never overlap and
/// each next DECOM equals the previous DEC (REC X1).
fn build_period(
    start: i32,
    ls: &'static str,
    place: (&'static str, &'static str),
    mut changes: Vec<Change>,
    exit: i32,
    rec: &'static str,
) -> Vec<Ep> {
    changes.sort_by_key(|c| c.day);
    let changes = merge_same_day(changes);
    let mut eps = Vec::with_capacity(changes.len() + 1);
    let mut cur = Ep {
        start,
        end: exit,
        rne: "S",
        ls,
        place: place.0,
        provider: place.1,
        rec,
        reason: "",
    };
    for c in changes {
        if c.day <= cur.start || c.day >= exit {
            continue;
        }
        let new_ls = c.ls.unwrap_or(cur.ls);
        let ls_changed = new_ls != cur.ls;
        let (new_place, new_provider) = c.place.unwrap_or((cur.place, cur.provider));
        let place_changed = c.place.is_some();
        let rne = match (ls_changed, place_changed, c.same_carer) {
            (false, false, _) => continue,
            (true, false, _) => "L",
            (false, true, false) => "P",
            (false, true, true) => "U",
            (true, true, _) => "T",
        };
        let reason = if place_changed && !c.same_carer {
            c.reason
        } else {
            ""
        };
        let next = Ep {
            start: c.day,
            end: exit,
            rne,
            ls: new_ls,
            place: new_place,
            provider: new_provider,
            rec,
            reason,
        };
        cur.end = c.day;
        cur.rec = "X1";
        eps.push(std::mem::replace(&mut cur, next));
    }
    eps.push(cur);
    eps
}

/// Merge changes on the same day into one (a placement order made on the day of a move gives one
/// episode with both the new legal status and the new placement, RNE T).
fn merge_same_day(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::with_capacity(changes.len());
    for c in changes {
        match out.last_mut() {
            Some(last) if last.day == c.day => {
                last.ls = c.ls.or(last.ls);
                if c.place.is_some() {
                    last.place = c.place;
                    last.same_carer = c.same_carer;
                    last.reason = c.reason;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Unit-mean gamma draw with the given shape.
fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    Gamma::new(shape, 1.0 / shape)
        .map(|g| g.sample(rng))
        .unwrap_or(1.0)
}

/// Exponential draw with the given mean.
fn expo(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
    let e: f64 = Exp1.sample(rng);
    e * mean
}

/// Day of the 18th birthday of a child born on `dob`.
fn eighteenth(dob: i32) -> i32 {
    crate::data::date::from_epoch_days(i64::from(dob))
        .and_then(|d| d.checked_add_months(chrono::Months::new(216)))
        .map(|d| crate::data::date::epoch_days(d) as i32)
        .unwrap_or(dob + 6574)
}

/// Placement moves at a constant yearly rate from `from` up to `until` (exclusive).
fn moves(rng: &mut ChaCha8Rng, from: i32, until: i32, per_year: f64, teen: bool) -> Vec<Change> {
    let mut out = Vec::new();
    let mut t = from as f64;
    loop {
        t += expo(rng, 365.25 / per_year).max(1.0);
        if t >= until as f64 || out.len() >= 12 {
            return out;
        }
        let place = codes::placement(rng, teen);
        out.push(Change {
            day: t as i32,
            ls: None,
            place: Some(place),
            same_carer: false,
            reason: pick(rng, codes::MOVE_REASONS),
        });
    }
}

/// A child looked after who never has an adoption decision: one period, sometimes a second
/// after a return home.
pub(crate) fn care_child(rng: &mut ChaCha8Rng, entry: i32) -> Child {
    let age_days = codes::care_entry_age_days(rng);
    let dob = entry - age_days;
    let sex = if rng.random::<f64>() < 0.55 { "1" } else { "2" };
    let ethnic = pick(rng, codes::ETHNIC_ALL);
    let sibling = rng.random::<f64>() < 0.25;
    let disability = rng.random::<f64>() < 0.06;
    let mut periods = vec![care_period(rng, entry, dob)];
    let first_end = periods[0].end();
    let returned_home = periods[0]
        .eps
        .last()
        .map(|e| e.rec == "E13")
        .unwrap_or(false);
    if returned_home && rng.random::<f64>() < 0.15 {
        let again = first_end + 30 + expo(rng, 300.0) as i32;
        if again < eighteenth(dob) - 30 {
            periods.push(care_period(rng, again, dob));
        }
    }
    Child {
        dob,
        sex,
        ethnic,
        sibling,
        disability,
        periods,
        adoption: None,
        truth: None,
    }
}

/// One period of care of a child not on the adoption pathway.
fn care_period(rng: &mut ChaCha8Rng, entry: i32, dob: i32) -> Period {
    let adult = eighteenth(dob);
    let age_years = f64::from(entry - dob) / 365.25;
    let teen = age_years >= 15.0;
    let cin = codes::cin(rng, age_years);
    let (ls, remand) = codes::entry_legal_status(rng, age_years);
    let place = if ls == "J2" {
        ("R5", "PR3")
    } else {
        codes::placement(rng, teen)
    };
    let u: f64 = rng.random();
    // Durations: short stays, medium stays, long stays (often to 18).
    let (dur, long) = if remand || u < 0.30 {
        (1.0 + expo(rng, 60.0), false)
    } else if u < 0.60 {
        (30.0 + 420.0 * (0.8 * gamma(rng, 1.0) + 0.2), false)
    } else {
        (expo(rng, cal::long_stay_mean(entry)), true)
    };
    let exit = (entry + dur as i32).min(adult).max(entry + 1);
    let rec = if exit >= adult {
        pick(rng, codes::REC_AT_18)
    } else if remand {
        "E14"
    } else if long {
        pick(rng, codes::REC_LONG)
    } else {
        pick(rng, codes::REC_SHORT)
    };
    let mut changes = moves(rng, entry, exit, 0.15, teen);
    legal_changes(rng, ls, entry, &mut changes);
    Period {
        cin,
        eps: build_period(entry, ls, place, changes, exit, rec),
    }
}

/// Police protection and emergency orders become interim care orders within days; interim care
/// orders become full care orders after the proceedings (~7 months); some section 20 become C2.
fn legal_changes(rng: &mut ChaCha8Rng, ls: &'static str, entry: i32, changes: &mut Vec<Change>) {
    let mut ls = ls;
    let mut t = entry;
    if ls == "L1" || ls == "L2" {
        t += if ls == "L1" { 3 } else { 8 };
        ls = "C2";
        changes.push(Change {
            day: t,
            ls: Some("C2"),
            place: None,
            same_carer: false,
            reason: "",
        });
    } else if ls == "V2" && rng.random::<f64>() < 0.12 {
        t += 60 + expo(rng, 150.0) as i32;
        ls = "C2";
        changes.push(Change {
            day: t,
            ls: Some("C2"),
            place: None,
            same_carer: false,
            reason: "",
        });
    }
    if ls == "C2" {
        t += 120 + expo(rng, 100.0) as i32;
        changes.push(Change {
            day: t,
            ls: Some("C1"),
            place: None,
            same_carer: false,
            reason: "",
        });
    }
}

/// Pre-drawn random quantities of an adoption child, drawn in a fixed order before any
/// effect-dependent date is computed.
struct AdoptionDraws {
    age_entry: i32,
    consent: bool,
    ffa: bool,
    /// Harder-to-place children are half as often placed foster-to-adopt.
    ffa_htp: bool,
    g: [f64; 4],
    gap: f64,
    u_outcome: f64,
    frac: f64,
    post_delay: f64,
}

/// A child whose ADM decision falls on `adm`: entry, placement order, match, placement,
/// adoption order or another ending, with the effect of the LA's RAA applied exactly.
pub(crate) fn adoption_child(rng: &mut ChaCha8Rng, adm: i32, exposure: &Exposure) -> Child {
    let sex = if rng.random::<f64>() < 0.51 { "1" } else { "2" };
    let ethnic = pick(rng, codes::ETHNIC_ADOPTION);
    let sibling = rng.random::<f64>() < 0.30;
    let disability = rng.random::<f64>() < 0.05;
    let age_entry = codes::adoption_entry_age_days(rng);
    let d = AdoptionDraws {
        age_entry,
        consent: rng.random::<f64>() < 0.04 && age_entry < 60 && !sibling,
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
    };
    let black_or_mixed = codes::is_black_or_mixed(ethnic);
    let htp_pre = black_or_mixed || sibling || disability || d.age_entry + 200 >= 1826;
    let m = if htp_pre {
        cal::HTP_MULTIPLIER
    } else {
        cal::NON_HTP_MULTIPLIER
    };

    let d1 = (cal::MEAN_ENTRY_TO_ADM * cal::court_factor(adm) * m * d.g[0]).max(7.0) as i32;
    let entry = adm - d1;
    let dob = entry - d.age_entry;
    let age5_at_adm = age_at_least(dob, adm, 5);
    let htp = age5_at_adm || black_or_mixed || sibling || disability;

    // Placement order, counterfactual and actual placement order → placed.
    let (po, y0, y1, exposed, bed_in, placed) = if d.consent {
        let placed = adm + (30.0 + 60.0 * d.g[2]) as i32;
        (None, None, None, false, false, placed)
    } else {
        let d2 = (cal::MEAN_ADM_TO_PO * cal::court_factor(adm) * m * d.g[1]).max(14.0) as i32;
        let po = adm + d2;
        let y0 = (cal::MIN_PO_TO_PLACED
            + cal::MEAN_PO_TO_PLACED_EXTRA * cal::matching_factor(po) * m * d.g[2])
            .round() as i64;
        let (exposed, bed_in, eff) = exposure.at(po, htp);
        let y1 = (y0 + eff).max(1);
        (
            Some(po),
            Some(y0),
            Some(y1),
            exposed,
            bed_in,
            po + y1 as i32,
        )
    };
    // The placement date without the RAA: reversals and SGO exits are timed on it, so that the
    // effect changes nothing for children who are never placed.
    let placed0 = match (po, y0) {
        (Some(p), Some(y)) => p + y as i32,
        _ => placed,
    };
    let floor = po.unwrap_or(adm);
    let matched = (placed - d.gap as i32).max(floor);
    let d4 =
        (60.0 + (cal::MEAN_PLACED_TO_ORDER - 60.0) * cal::order_factor(placed) * d.g[3]) as i32;
    let order = placed + d4.max(1);

    let p_rev = if htp { 0.10 } else { 0.06 };
    let outcome = if d.u_outcome < p_rev {
        super::truth::Outcome::Reversed
    } else if d.u_outcome < p_rev + 0.03 {
        super::truth::Outcome::Disrupted
    } else if d.u_outcome < p_rev + 0.08 {
        super::truth::Outcome::SpecialGuardianship
    } else {
        super::truth::Outcome::Adopted
    };
    let plan = Plan {
        entry,
        adm,
        po,
        placed,
        placed0,
        matched,
        order,
        outcome,
        ffa: d.ffa && (!htp_pre || d.ffa_htp),
        frac: d.frac,
        post_delay: d.post_delay,
        dob,
    };
    let (periods, record) = adoption_episodes(rng, &plan);
    let reached_placement = matches!(
        outcome,
        super::truth::Outcome::Adopted | super::truth::Outcome::Disrupted
    );
    // A decision reversed (or an SGO made) before the placement order date means no order was
    // made: no placement order, hence no PO → placed duration and no exposure, in truth too.
    let po_made = match (po, record.ceased) {
        (Some(p), Some((c, _))) if !reached_placement => p < c,
        (Some(_), _) => true,
        (None, _) => false,
    };
    let (po, y0, y1, exposed, bed_in) = if po_made {
        (po, y0, y1, exposed, bed_in)
    } else {
        (None, None, None, false, false)
    };
    let truth = JourneyTruth {
        entry,
        adm,
        po,
        matched: record.matched,
        placed: reached_placement.then_some(placed),
        adopted: (outcome == super::truth::Outcome::Adopted).then_some(order),
        ceased: record.ceased.map(|c| c.0),
        outcome,
        foster_carer_adoption: plan.ffa,
        age5_at_adm,
        black_or_mixed,
        harder_to_place: htp,
        exposed,
        bed_in,
        y0,
        y1,
    };
    Child {
        dob,
        sex,
        ethnic,
        sibling,
        disability,
        periods,
        adoption: Some(record),
        truth: Some(truth),
    }
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
    outcome: super::truth::Outcome,
    ffa: bool,
    frac: f64,
    post_delay: f64,
    dob: i32,
}

/// Lay out the episodes of an adoption child and its AD1/PlacedAdoption record.
fn adoption_episodes(rng: &mut ChaCha8Rng, p: &Plan) -> (Vec<Period>, AdoptionRecord) {
    use super::truth::Outcome;
    let adult = eighteenth(p.dob);
    let (ls0, place0) = codes::adoption_entry_state(rng, p.po.is_none(), p.ffa);
    let mut changes = Vec::new();
    if !p.ffa {
        // Children never placed move until the counterfactual placement date: nothing about them
        // depends on the effect.
        let reached = matches!(p.outcome, Outcome::Adopted | Outcome::Disrupted);
        let until = if reached { p.placed } else { p.placed0 };
        changes.extend(moves(rng, p.entry, until, 0.3, false));
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
            changes.extend(moves(rng, dd + 1, adult, 0.25, false));
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
            changes.extend(moves(rng, before_placement + 1, adult, 0.25, false));
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
    let eps = build_period(
        p.entry,
        ls0,
        place0,
        changes,
        exit.min(adult).max(p.entry + 1),
        rec,
    );
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
    if rng.random::<f64>() < 0.15 {
        return (adult, pick(rng, codes::REC_AT_18));
    }
    (
        (from + delay as i32).min(adult),
        pick(rng, codes::REC_AFTER_REVERSAL),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn periods_are_contiguous_and_start_with_s() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for i in 0..2000 {
            let c = care_child(&mut rng, 15_000 + i);
            for p in &c.periods {
                assert_eq!(p.eps[0].rne, "S");
                for w in p.eps.windows(2) {
                    assert_eq!(w[0].end, w[1].start);
                    assert_eq!(w[0].rec, "X1");
                    assert!(w[0].start < w[0].end);
                }
                assert!(p.start() >= c.dob);
            }
        }
    }

    #[test]
    fn same_day_changes_merge_into_one_episode() {
        let ch = |day, ls: Option<&'static str>, place| Change {
            day,
            ls,
            place,
            same_carer: false,
            reason: "",
        };
        let eps = build_period(
            0,
            "C2",
            ("U6", "PR1"),
            vec![ch(10, Some("E1"), None), ch(10, None, Some(("U4", "PR4")))],
            20,
            "E13",
        );
        assert_eq!(eps.len(), 2);
        assert_eq!((eps[1].rne, eps[1].ls, eps[1].place), ("T", "E1", "U4"));
        assert_eq!((eps[0].end, eps[0].rec, eps[1].rec), (10, "X1", "E13"));
    }

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
