//! One child's history in care: periods of care made of contiguous episodes, and the children
//! who never get an adoption decision (the adoption pathway is in `adoption.rs`).
//!
//! Days are `i32` days since 1970-01-01 inside the generator (fast arithmetic); they become
//! [`Date`](crate::data::date::Date)s when rows are written. Every child draws from its own RNG
//! (seeded from its LA's stream), so changing the effect or the bed-in never shifts the draws
//! of any other child: with effect 0 the data are identical to the no-RAA world.

use super::calibration as cal;
use super::codes::{self, pick};
use crate::data::ssda903::codes::provider_allowed;
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

/// A change within a period: new legal status and/or new placement on `day`.
pub(super) struct Change {
    pub day: i32,
    pub ls: Option<&'static str>,
    pub place: Option<(&'static str, &'static str)>,
    pub same_carer: bool,
    pub reason: &'static str,
}

/// Turn a start state, changes and an exit into contiguous episodes. Changes outside
/// (start, exit) or on the day of an earlier change are dropped, so episodes never overlap and
/// each next DECOM equals the previous DEC (REC X1).
pub(super) fn build_period(
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
        let place_changed = c.place.is_some();
        let (new_place, new_provider) = match c.place {
            // A move must show in the placement fields (DfE rule 435); postcodes and URNs are
            // not generated, so a move to the same type of placement changes the provider.
            Some(p) if p == (cur.place, cur.provider) => differ(p),
            Some(p) => p,
            None => (cur.place, cur.provider),
        };
        let rne = match (ls_changed, place_changed, c.same_carer) {
            (false, false, _) => continue,
            (true, false, _) => "L",
            (false, true, false) => "P",
            (false, true, true) => "U",
            (true, true, _) => "T",
        };
        let next = Ep {
            start: c.day,
            end: exit,
            rne,
            ls: new_ls,
            place: new_place,
            provider: new_provider,
            rec,
            reason: "",
        };
        // REASON_PLACE_CHANGE belongs to the episode whose placement ended (DfE rule 225).
        cur.reason = if place_changed { c.reason } else { "" };
        cur.end = c.day;
        cur.rec = "X1";
        eps.push(std::mem::replace(&mut cur, next));
    }
    cur.rec = sgo_for_placement(cur.rec, cur.place);
    eps.push(cur);
    eps
}

/// E45/E46 are special guardianship orders to *former foster carers*, so the last placement
/// must be a foster placement U1–U6 (DfE rule 516); from any other placement the order went to
/// other carers: E47 (relatives or friends, as E45) or E48 (others, as E46).
fn sgo_for_placement(rec: &'static str, place: &str) -> &'static str {
    match rec {
        "E45" if !place.starts_with('U') => "E47",
        "E46" if !place.starts_with('U') => "E48",
        _ => rec,
    }
}

/// Another provider (or, for a placement with parents, a foster placement) so that a move to
/// the same type of placement is visible in the episode data.
fn differ(p: (&'static str, &'static str)) -> (&'static str, &'static str) {
    match p.1 {
        // Placements with parents, and those that take no provider, become a foster placement.
        "PR0" | "" => ("U6", "PR1"),
        "PR1" => (p.0, "PR4"),
        _ if provider_allowed(p.0, "PR1") => (p.0, "PR1"),
        _ => (p.0, "PR5"),
    }
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
pub(super) fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    Gamma::new(shape, 1.0 / shape)
        .map(|g| g.sample(rng))
        .unwrap_or(1.0)
}

/// Exponential draw with the given mean.
pub(super) fn expo(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
    let e: f64 = Exp1.sample(rng);
    e * mean
}

/// Day of the 18th birthday of a child born on `dob`.
pub(super) fn eighteenth(dob: i32) -> i32 {
    use chrono::Datelike;
    // A child born on 29 February turns 18 on 1 March in a common year.
    crate::data::date::from_epoch_days(i64::from(dob))
        .and_then(|d| {
            crate::data::date::Date::from_ymd_opt(d.year() + 18, d.month(), d.day())
                .or_else(|| crate::data::date::Date::from_ymd_opt(d.year() + 18, 3, 1))
        })
        .map(|d| crate::data::date::epoch_days(d) as i32)
        .unwrap_or(dob + 6575)
}

/// Which placements moves go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Moves {
    Child,
    Teen,
    /// Foster placements only (children on the adoption pathway: DfE rule 336 wants a foster
    /// placement before a placement for adoption).
    Foster,
}

/// Placement moves at a constant yearly rate from `from` up to `until` (exclusive).
pub(super) fn moves(
    rng: &mut ChaCha8Rng,
    from: i32,
    until: i32,
    per_year: f64,
    kind: Moves,
) -> Vec<Change> {
    let mut out = Vec::new();
    let mut t = from as f64;
    loop {
        t += expo(rng, 365.25 / per_year).max(1.0);
        if t >= until as f64 || out.len() >= 12 {
            return out;
        }
        let place = match kind {
            Moves::Child => codes::placement(rng, false),
            Moves::Teen => codes::placement(rng, true),
            Moves::Foster => codes::foster_placement(rng),
        };
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
    let kind = if teen { Moves::Teen } else { Moves::Child };
    let mut changes = moves(rng, entry, exit, 0.15, kind);
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
        // Police protection lasts at most 72 hours (DfE rule 361), emergency protection 8 days.
        t += if ls == "L1" { 2 } else { 8 };
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
        // A third of full care orders come with a move to a long-term placement (RNE T).
        let place = (rng.random::<f64>() < 0.3).then(|| codes::foster_placement(rng));
        changes.push(Change {
            day: t,
            ls: Some("C1"),
            place,
            same_carer: false,
            reason: "LAREQ",
        });
    }
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
    fn eighteenth_birthday_of_a_leap_day_child_is_1_march() {
        let d = |y, m, dd| {
            crate::data::date::epoch_days(crate::data::date::Date::from_ymd_opt(y, m, dd).unwrap())
                as i32
        };
        assert_eq!(eighteenth(d(2004, 2, 29)), d(2022, 3, 1));
        assert_eq!(eighteenth(d(2004, 6, 15)), d(2022, 6, 15));
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
}
