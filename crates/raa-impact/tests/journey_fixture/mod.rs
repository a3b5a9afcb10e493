//! Shared by the exposure, scorecard and panel tests: a journey with defaults, built by hand.
#![allow(dead_code)]

use raa_impact::data::date::Date;
use raa_impact::data::journeys::{Duration, Ending, EthnicGroup, Journey};

pub fn d(y: i32, m: u32, dd: u32) -> Date {
    Date::from_ymd_opt(y, m, dd).unwrap()
}

/// A journey of child `child` in LA `la` that entered care on `entry`, with every other event
/// missing, ongoing at a 2024-03-31 cut; set fields with struct update syntax.
pub fn journey(la: &str, child: &str, entry: Date) -> Journey {
    Journey {
        la: la.into(),
        child: child.into(),
        period: 1,
        entry_date: entry,
        adm_date: None,
        po_date: None,
        match_date: None,
        placed_date: None,
        order_date: None,
        exit_date: None,
        exit_reason: None,
        reversal_date: None,
        reversal_reason: None,
        ending: Ending::Ongoing,
        cut_date: d(2024, 3, 31),
        entry_to_adm: Duration::default(),
        adm_to_po: Duration::default(),
        po_to_match: Duration::default(),
        po_to_placed: Duration::default(),
        entry_to_placed: Duration::default(),
        sex: "1".into(),
        dob: None,
        ethnic: "WBRI".into(),
        ethnic_group: EthnicGroup::White,
        age_at_entry_days: None,
        cin: "N1".into(),
        placements_before_adm: 0,
        ffa_or_concurrent: false,
        adopted_by_foster_carer: false,
        foster_carer_move_in_date: None,
        htp_age5plus: false,
        htp_black_or_mixed: false,
        htp_sibling_group: None,
        htp_disability: None,
        harder_to_place: false,
    }
}
