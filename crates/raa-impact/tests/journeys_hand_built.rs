//! Journeys of hand-built returns, each computed by hand in the comments (day counts checked with
//! a calendar: e.g. 2015-01-05 → 2015-07-01 is 26+28+31+30+31+30+1 = 177 days).

mod journeys_support;

use journeys_support::{d, Build};
use raa_impact::data::journeys::{
    derive_journeys, Duration, Ending, EthnicGroup, Journey, JourneyOptions, JourneySet,
};
use raa_impact::data::ssda903::validate::{validate, Validation};
use raa_impact::data::ssda903::{FileInfo, Problem, Returns, Severity, Table};

fn derive(r: &Returns, cut: &str) -> JourneySet {
    let opts = JourneyOptions {
        cut_date: Some(d(cut)),
    };
    derive_journeys(r, &validate(r), &opts).expect("derivation succeeds")
}

fn find<'a>(set: &'a JourneySet, child: &str, period: u32) -> &'a Journey {
    set.journeys
        .iter()
        .find(|j| j.child == child && j.period == period)
        .unwrap_or_else(|| panic!("no journey for {child} period {period}"))
}

fn event(days: i64) -> Duration {
    Duration {
        days: Some(days),
        event: true,
        censored: false,
        competing: None,
    }
}

fn competing(days: i64, code: &str) -> Duration {
    Duration {
        days: Some(days),
        event: false,
        censored: false,
        competing: Some(code.into()),
    }
}

fn censored(days: i64) -> Duration {
    Duration {
        days: Some(days),
        event: false,
        censored: true,
        competing: None,
    }
}

/// Child A1: in care 2015-01-05, new placement 2015-05-01, ADM 2015-07-01, placement order (E1)
/// 2015-09-14, matched 2015-12-10, placed (A6, new carers) 2016-01-20, adopted (E11) 2016-08-30.
fn straightforward(b: &mut Build) {
    b.header("A1", "2", "2014-06-10", "WBRI")
        .ep("A1", "2015-01-05", "S", "C2", "U3", "2015-05-01", "X1")
        .ep("A1", "2015-05-01", "P", "C2", "U4", "2015-09-14", "X1")
        .ep("A1", "2015-09-14", "L", "E1", "U4", "2016-01-20", "X1")
        .ep("A1", "2016-01-20", "T", "E1", "A6", "2016-08-30", "E11")
        .pa("A1", "2015-07-01", "", "")
        .ad1("A1", "2015-07-01", "2015-12-10", "0");
}

#[test]
fn straightforward_adoption_every_date_and_duration() {
    let mut b = Build::new();
    straightforward(&mut b);
    let set = derive(&b.r, "2018-03-31");
    assert_eq!(set.journeys.len(), 1);
    let j = find(&set, "A1", 1);
    assert_eq!((j.la.as_str(), j.period), ("886", 1));
    assert_eq!(j.entry_date, d("2015-01-05"));
    assert_eq!(j.adm_date, Some(d("2015-07-01")));
    assert_eq!(j.po_date, Some(d("2015-09-14")));
    assert_eq!(j.match_date, Some(d("2015-12-10")));
    assert_eq!(j.placed_date, Some(d("2016-01-20")));
    assert_eq!(j.order_date, Some(d("2016-08-30")));
    assert_eq!(j.exit_date, Some(d("2016-08-30")));
    assert_eq!(j.exit_reason.as_deref(), Some("E11"));
    assert_eq!((j.reversal_date, j.reversal_reason.clone()), (None, None));
    assert_eq!(j.ending, Ending::Adopted);
    assert_eq!(j.cut_date, d("2018-03-31"));
    // 2015-01-05 → 2015-07-01 = 177; 07-01 → 09-14 = 30+31+14 = 75; 09-14 → 12-10 = 16+31+30+10 = 87;
    // 09-14 → 2016-01-20 = 16+31+30+31+20 = 128; 2015-01-05 → 2016-01-20 = 365+15 = 380.
    assert_eq!(j.entry_to_adm, event(177));
    assert_eq!(j.adm_to_po, event(75));
    assert_eq!(j.po_to_match, event(87));
    assert_eq!(j.po_to_placed, event(128));
    assert_eq!(j.entry_to_placed, event(380));
    // Covariates: born 2014-06-10, 209 days old at entry (20+31+31+30+31+30+31+5).
    assert_eq!((j.sex.as_str(), j.ethnic.as_str()), ("2", "WBRI"));
    assert_eq!(j.ethnic_group, EthnicGroup::White);
    assert_eq!(j.dob, Some(d("2014-06-10")));
    assert_eq!(j.age_at_entry_days, Some(209));
    assert_eq!(j.cin, "N1");
    // Placements started before ADM: the S episode and the P episode of 2015-05-01.
    assert_eq!(j.placements_before_adm, 2);
    assert!(!j.ffa_or_concurrent);
    assert!(!j.adopted_by_foster_carer);
    assert_eq!(j.foster_carer_move_in_date, None);
    assert!(!j.htp_age5plus && !j.htp_black_or_mixed && !j.harder_to_place);
    assert_eq!((j.htp_sibling_group, j.htp_disability), (None, None));
    assert_eq!(
        (set.children_seen, set.children_with_adm, set.periods),
        (1, 1, 1)
    );
    assert!(set.left_out.is_empty(), "{:?}", set.left_out);
}

#[test]
fn two_periods_one_without_decision() {
    // Period 1: 2012-03-01 → 2012-06-01, returned home (E13), no decision.
    // Period 2: entry 2013-02-01, ADM 2013-08-01, PO 2013-10-01, still in care at the cut.
    let mut b = Build::new();
    b.header("B2", "1", "2011-01-01", "WBRI")
        .ep("B2", "2012-03-01", "S", "V2", "U1", "2012-06-01", "E13")
        .ep("B2", "2013-02-01", "S", "C2", "U3", "2013-10-01", "X1")
        .ep("B2", "2013-10-01", "L", "E1", "U3", "", "")
        .pa("B2", "2013-08-01", "", "");
    let set = derive(&b.r, "2014-03-31");
    assert_eq!(set.journeys.len(), 1);
    assert_eq!(set.periods, 2);
    let j = find(&set, "B2", 2);
    assert_eq!(j.entry_date, d("2013-02-01"));
    assert_eq!(j.po_date, Some(d("2013-10-01")));
    assert_eq!(j.ending, Ending::Ongoing);
    // 2013-02-01 → 2013-08-01 = 181; 08-01 → 10-01 = 61.
    assert_eq!(j.entry_to_adm, event(181));
    assert_eq!(j.adm_to_po, event(61));
    // PO → placed censored at the cut: 2013-10-01 → 2014-03-31 = 181.
    assert_eq!(j.po_to_placed, censored(181));
}

#[test]
fn two_periods_two_journeys() {
    // Period 1: entry 2011-05-01, ADM 2011-09-01 reversed 2012-02-01 (RD1), home 2012-03-01 (E13).
    // Period 2: entry 2013-01-10, ADM 2013-04-01, PO 2013-06-01, placed 2013-09-01, adopted 2014-05-05.
    let mut b = Build::new();
    b.header("C3", "1", "2010-02-01", "BAFR")
        .ep("C3", "2011-05-01", "S", "C2", "U3", "2012-03-01", "E13")
        .ep("C3", "2013-01-10", "S", "C2", "U3", "2013-06-01", "X1")
        .ep("C3", "2013-06-01", "L", "E1", "U3", "2013-09-01", "X1")
        .ep("C3", "2013-09-01", "P", "E1", "A4", "2014-05-05", "E12")
        .pa("C3", "2013-04-01", "", "")
        .pa("C3", "2011-09-01", "2012-02-01", "RD1");
    let set = derive(&b.r, "2015-03-31");
    let periods: Vec<u32> = set.journeys.iter().map(|j| j.period).collect();
    assert_eq!(periods, vec![1, 2]);
    let first = find(&set, "C3", 1);
    assert_eq!(first.ending, Ending::Reversed("RD1".into()));
    assert_eq!(first.exit_reason.as_deref(), Some("E13"));
    assert_eq!(first.adm_date, Some(d("2011-09-01")));
    // ADM → PO ends with the reversal: 2011-09-01 → 2012-02-01 = 153 days.
    assert_eq!(first.adm_to_po, competing(153, "RD1"));
    let second = find(&set, "C3", 2);
    assert_eq!(second.ending, Ending::Adopted);
    assert_eq!(second.adm_date, Some(d("2013-04-01")));
    assert_eq!(second.order_date, Some(d("2014-05-05")));
    // Born 2010-02-01: 3 at the first ADM and the second; BAFR is Black.
    assert!(second.htp_black_or_mixed && second.harder_to_place && !second.htp_age5plus);
    assert_eq!(set.children_with_adm, 1);
    assert_eq!(set.rows_used.placed_adoption, 2);
}

/// Child R: entry 2016-04-01, ADM 2016-07-01, PO 2016-10-01, decision reversed 2017-05-01 (RD1),
/// still in care.
fn reversed(b: &mut Build) {
    b.header("R", "1", "2015-01-01", "WBRI")
        .ep("R", "2016-04-01", "S", "C2", "U4", "2016-10-01", "X1")
        .ep("R", "2016-10-01", "L", "E1", "U4", "", "")
        .pa("R", "2016-07-01", "2017-05-01", "RD1");
}

#[test]
fn reversed_decision_is_a_competing_exit() {
    let mut b = Build::new();
    reversed(&mut b);
    let set = derive(&b.r, "2018-03-31");
    let j = find(&set, "R", 1);
    assert_eq!(j.ending, Ending::Reversed("RD1".into()));
    assert_eq!(j.reversal_date, Some(d("2017-05-01")));
    assert_eq!(j.reversal_reason.as_deref(), Some("RD1"));
    assert_eq!((j.exit_date, j.exit_reason.clone()), (None, None));
    assert_eq!(j.entry_to_adm, event(91));
    assert_eq!(j.adm_to_po, event(92));
    // PO 2016-10-01 → reversal 2017-05-01 = 212; entry → reversal = 395.
    assert_eq!(j.po_to_match, competing(212, "RD1"));
    assert_eq!(j.po_to_placed, competing(212, "RD1"));
    assert_eq!(j.entry_to_placed, competing(395, "RD1"));
}

#[test]
fn reversal_after_the_cut_is_not_yet_a_reversal() {
    let mut b = Build::new();
    reversed(&mut b);
    let set = derive(&b.r, "2017-03-31");
    let j = find(&set, "R", 1);
    assert_eq!(j.ending, Ending::Ongoing);
    assert_eq!(j.reversal_date, None);
    // PO 2016-10-01 → cut 2017-03-31 = 181.
    assert_eq!(j.po_to_placed, censored(181));
}

#[test]
fn sgo_exit_ends_the_journey() {
    // Entry 2016-04-01, ADM 2016-06-01, PO 2016-09-01, left care on an SGO (E45) 2017-06-15.
    let mut b = Build::new();
    b.header("S", "2", "2014-01-01", "WBRI")
        .ep("S", "2016-04-01", "S", "C2", "U4", "2016-09-01", "X1")
        .ep("S", "2016-09-01", "L", "E1", "U4", "2017-06-15", "E45")
        .pa("S", "2016-06-01", "", "");
    let set = derive(&b.r, "2018-03-31");
    let j = find(&set, "S", 1);
    assert_eq!(j.ending, Ending::OtherExit("E45".into()));
    assert_eq!(j.exit_date, Some(d("2017-06-15")));
    assert_eq!(j.order_date, None);
    assert_eq!(j.entry_to_adm, event(61));
    assert_eq!(j.adm_to_po, event(92));
    // PO 2016-09-01 → SGO 2017-06-15 = 287; entry → SGO = 440.
    assert_eq!(j.po_to_placed, competing(287, "E45"));
    assert_eq!(j.entry_to_placed, competing(440, "E45"));
}

#[test]
fn match_before_placement_order_counts_zero() {
    // Entry 2017-01-10, ADM (AD1 only) 2017-02-01, matched 2017-04-20, PO 2017-05-01,
    // placed 2017-06-01: PO → match is -11 days raw, floored at 0.
    let mut b = Build::new();
    b.header("M", "1", "2016-06-01", "WBRI")
        .ep("M", "2017-01-10", "S", "C2", "U4", "2017-05-01", "X1")
        .ep("M", "2017-05-01", "L", "E1", "U4", "2017-06-01", "X1")
        .ep("M", "2017-06-01", "T", "E1", "A6", "", "")
        .ad1("M", "2017-02-01", "2017-04-20", "0");
    let set = derive(&b.r, "2018-03-31");
    let j = find(&set, "M", 1);
    assert_eq!(j.adm_date, Some(d("2017-02-01")));
    assert_eq!(j.match_date, Some(d("2017-04-20")));
    assert_eq!(j.po_to_match, event(0));
    assert_eq!(j.po_to_placed, event(31));
    assert_eq!(j.entry_to_adm, event(22));
    assert_eq!(j.adm_to_po, event(89));
    assert_eq!(j.entry_to_placed, event(142));
    assert_eq!(j.ending, Ending::Ongoing);
}

#[test]
fn journey_running_at_the_cut_is_censored() {
    // Entry 2017-06-01, ADM 2017-09-01, nothing else by the cut 2018-03-31.
    let mut b = Build::new();
    b.header("C", "1", "2016-01-01", "WBRI")
        .ep("C", "2017-06-01", "S", "C2", "U3", "", "")
        .pa("C", "2017-09-01", "", "");
    let set = derive(&b.r, "2018-03-31");
    let j = find(&set, "C", 1);
    assert_eq!(j.ending, Ending::Ongoing);
    assert_eq!(j.entry_to_adm, event(92));
    assert_eq!(j.adm_to_po, censored(211));
    assert_eq!(j.po_to_match, Duration::default());
    assert_eq!(j.po_to_placed, Duration::default());
    assert_eq!(j.entry_to_placed, censored(303));
}

/// Child F: entry 2016-04-01, ADM 2016-09-01, PO 2017-03-01 (that episode ends 2017-05-01),
/// matched 2017-04-15, placed 2017-05-01, adopted 2018-01-01.
fn after_cut(b: &mut Build) {
    b.header("F", "1", "2015-01-01", "WBRI")
        .ep("F", "2016-04-01", "S", "C2", "U4", "2017-03-01", "X1")
        .ep("F", "2017-03-01", "L", "E1", "U4", "2017-05-01", "X1")
        .ep("F", "2017-05-01", "T", "E1", "A6", "2018-01-01", "E11")
        .pa("F", "2016-09-01", "", "")
        .ad1("F", "2016-09-01", "2017-04-15", "0")
        .pa("F", "2017-06-01", "", "");
}

#[test]
fn events_after_the_cut_are_ignored() {
    let mut b = Build::new();
    after_cut(&mut b);
    let set = derive(&b.r, "2017-03-31");
    let j = find(&set, "F", 1);
    assert_eq!(j.po_date, Some(d("2017-03-01")));
    assert_eq!(
        (j.match_date, j.placed_date, j.order_date, j.exit_date),
        (None, None, None, None)
    );
    assert_eq!(j.ending, Ending::Ongoing);
    // PO 2017-03-01 → cut 2017-03-31 = 30; entry → cut = 364.
    assert_eq!(j.po_to_placed, censored(30));
    assert_eq!(j.po_to_match, censored(30));
    assert_eq!(j.entry_to_placed, censored(364));
    assert_eq!(j.adm_to_po, event(181));
    // The third episode and the second decision are dated after the cut: left out, counted.
    let out: Vec<(Table, u64)> = set.left_out.iter().map(|l| (l.table, l.rows)).collect();
    assert_eq!(out, vec![(Table::Episodes, 1), (Table::PlacedAdoption, 1)]);
    assert!(set
        .left_out
        .iter()
        .all(|l| l.reason.contains("after the data cut")));
    // With a later cut the same child is adopted.
    let later = derive(&b.r, "2018-03-31");
    assert_eq!(find(&later, "F", 1).ending, Ending::Adopted);
    assert!(later.left_out.is_empty());
}

/// Child G: emergency placement 2015-02-01, moved 2015-04-10 to foster carers approved as adopters
/// (U5), ADM 2015-06-01, PO 2015-08-01, placed for adoption with the same carers (A5, RNE U)
/// 2015-11-01, adopted by them 2016-05-01.
fn foster_carer(b: &mut Build) {
    b.header("G", "2", "2014-12-01", "MWBC")
        .ep("G", "2015-02-01", "S", "C2", "U6", "2015-04-10", "X1")
        .ep("G", "2015-04-10", "P", "C2", "U5", "2015-08-01", "X1")
        .ep("G", "2015-08-01", "L", "E1", "U5", "2015-11-01", "X1")
        .ep("G", "2015-11-01", "U", "E1", "A5", "2016-05-01", "E12")
        .pa("G", "2015-06-01", "", "")
        .ad1("G", "2015-06-01", "2015-10-15", "1");
}

#[test]
fn adopted_by_foster_carer_with_move_in_date() {
    let mut b = Build::new();
    foster_carer(&mut b);
    let set = derive(&b.r, "2018-03-31");
    let j = find(&set, "G", 1);
    assert!(j.adopted_by_foster_carer);
    assert_eq!(j.foster_carer_move_in_date, Some(d("2015-04-10")));
    assert!(j.ffa_or_concurrent);
    assert_eq!(j.placed_date, Some(d("2015-11-01")));
    assert_eq!(j.placements_before_adm, 2);
    assert_eq!(j.ending, Ending::Adopted);
    assert_eq!(j.ethnic_group, EthnicGroup::Mixed);
    assert!(j.htp_black_or_mixed && j.harder_to_place);
}

#[test]
fn a5_without_ad1_flag_still_means_foster_carer() {
    // Same child, AD1 says FOSTER_CARE 0: the A5 placement alone makes it an adoption by its
    // foster carers; moving the U5 episode to a new carer (RNE T at 2015-08-01) moves the move-in.
    let mut b = Build::new();
    b.header("H", "1", "2014-12-01", "WBRI")
        .ep("H", "2015-02-01", "S", "C2", "U6", "2015-04-10", "X1")
        .ep("H", "2015-04-10", "P", "C2", "U4", "2015-08-01", "X1")
        .ep("H", "2015-08-01", "T", "E1", "U4", "2015-11-01", "X1")
        .ep("H", "2015-11-01", "L", "E1", "U4", "2015-12-01", "X1")
        .ep("H", "2015-12-01", "U", "E1", "A5", "", "")
        .ad1("H", "2015-06-01", "2015-10-15", "0");
    let set = derive(&b.r, "2018-03-31");
    let j = find(&set, "H", 1);
    assert!(j.adopted_by_foster_carer);
    assert_eq!(j.foster_carer_move_in_date, Some(d("2015-08-01")));
    assert!(!j.ffa_or_concurrent);
}

/// A child whose second episode breaks a validation rule (flagged by hand, as validation would).
fn invalid_child(b: &mut Build) -> usize {
    b.header("X", "1", "2015-01-01", "WBRI").ep(
        "X",
        "2016-01-01",
        "S",
        "C2",
        "U4",
        "2016-05-01",
        "X1",
    );
    let bad = b.r.episodes.len();
    b.ep("X", "2016-05-01", "L", "E1", "U4", "2016-04-01", "E11")
        .pa("X", "2016-03-01", "", "");
    bad
}

fn flag_episode(r: &Returns, bad: usize) -> Validation {
    let mut v = validate(r);
    v.invalid_episodes[bad] = true;
    let e = &r.episodes[bad];
    v.problems.push(Problem {
        table: Table::Episodes,
        file: "<memory>".into(),
        row: e.src.row,
        la: e.src.la.to_string(),
        child: e.child.to_string(),
        field: "DEC".into(),
        rule: "date_order_decom_dec".into(),
        value: "01/04/2016".into(),
        message: "DEC must not be before DECOM".into(),
        severity: Severity::Error,
    });
    v
}

#[test]
fn invalid_record_leaves_the_whole_child_out_and_counts_every_row() {
    let mut b = Build::new();
    straightforward(&mut b);
    reversed(&mut b);
    after_cut(&mut b);
    foster_carer(&mut b);
    let bad = invalid_child(&mut b);
    let v = flag_episode(&b.r, bad);
    let opts = JourneyOptions {
        cut_date: Some(d("2017-03-31")),
    };
    let set = derive_journeys(&b.r, &v, &opts).expect("derivation succeeds");
    assert!(set.journeys.iter().all(|j| j.child != "X"));
    let x: Vec<(Table, u64)> = set
        .left_out
        .iter()
        .filter(|l| l.child == "X")
        .map(|l| (l.table, l.rows))
        .collect();
    assert_eq!(
        x,
        vec![
            (Table::Header, 1),
            (Table::Episodes, 2),
            (Table::PlacedAdoption, 1)
        ]
    );
    for l in set.left_out.iter().filter(|l| l.child == "X") {
        assert_eq!(
            l.reason,
            "child has invalid records: rule date_order_decom_dec"
        );
    }
    assert_eq!(
        (
            set.children_seen,
            set.children_left_out,
            set.children_with_adm
        ),
        (5, 1, 4)
    );
    // Nothing lost silently: used + left out = input, table by table.
    let left = set.rows_left_out();
    for t in Table::ALL {
        let input = match t {
            Table::Header => b.r.header.len(),
            Table::Episodes => b.r.episodes.len(),
            Table::Ad1 => b.r.ad1.len(),
            Table::PlacedAdoption => b.r.placed_adoption.len(),
        } as u64;
        assert_eq!(set.rows_used.get(t) + left.get(t), input, "{t}");
    }
    assert!(left.total() > 4, "the after-cut rows of F are left out too");
}

#[test]
fn same_child_key_in_two_las_is_two_children() {
    let mut b = Build::new();
    straightforward(&mut b);
    b.la("887");
    straightforward(&mut b);
    let set = derive(&b.r, "2018-03-31");
    let keys: Vec<(&str, &str)> = set
        .journeys
        .iter()
        .map(|j| (j.la.as_str(), j.child.as_str()))
        .collect();
    assert_eq!(keys, vec![("886", "A1"), ("887", "A1")]);
    assert_eq!(set.children_seen, 2);
}

#[test]
fn left_truncated_period_opens_at_the_first_episode() {
    // The returns start mid-period: the first episode is RNE L.
    let mut b = Build::new();
    b.header("T", "1", "2004-01-01", "WBRI")
        .ep("T", "2011-04-01", "L", "C2", "U4", "", "")
        .pa("T", "2011-06-01", "", "");
    let set = derive(&b.r, "2012-03-31");
    let j = find(&set, "T", 1);
    assert_eq!(j.entry_date, d("2011-04-01"));
    assert_eq!(set.periods_left_truncated, 1);
    // Born 2004-01-01: 7 at ADM.
    assert!(j.htp_age5plus && j.harder_to_place);
    assert_eq!(j.placements_before_adm, 1);
}

#[test]
fn inconsistent_episodes_leave_the_child_out() {
    // A new entry (S) while the previous episode is still open.
    let mut b = Build::new();
    b.header("I", "1", "2014-01-01", "WBRI")
        .ep("I", "2015-01-01", "S", "C2", "U4", "", "")
        .ep("I", "2015-06-01", "S", "C2", "U4", "", "")
        .pa("I", "2015-03-01", "", "");
    // The validator flags the open episode followed by another one (an error), so the child is
    // left out as invalid; without validation the derivation's own consistency check does it.
    let set = derive(&b.r, "2016-03-31");
    assert!(set.journeys.is_empty());
    assert_eq!(set.children_left_out, 1);
    assert!(
        set.left_out
            .iter()
            .all(|l| l.reason.starts_with("child has invalid records")
                && l.reason.contains("open_episode_not_last")),
        "{:?}",
        set.left_out
    );
    assert_eq!(set.rows_left_out().total(), 4);
    let unvalidated = derive_journeys(
        &b.r,
        &Validation::default(),
        &JourneyOptions {
            cut_date: Some(d("2016-03-31")),
        },
    )
    .expect("derivation succeeds");
    assert!(unvalidated.journeys.is_empty());
    assert!(unvalidated
        .left_out
        .iter()
        .all(|l| l.reason.starts_with("child has inconsistent episodes")));
    assert_eq!(unvalidated.rows_left_out().total(), 4);
}

#[test]
fn default_cut_is_31_march_of_the_last_year() {
    let mut b = Build::new();
    reversed(&mut b);
    b.r.files.push(FileInfo {
        path: "2017/episodes.csv".into(),
        table: Table::Episodes,
        la: "886".into(),
        year: 2017,
        rows: 2,
        encoding: "utf-8".into(),
    });
    let set = derive_journeys(&b.r, &validate(&b.r), &JourneyOptions::default()).expect("derives");
    assert_eq!(set.cut_date, d("2017-03-31"));
    assert_eq!(find(&set, "R", 1).ending, Ending::Ongoing);
    // With no files, the latest date seen: the reversal 2017-05-01.
    b.r.files.clear();
    let set = derive_journeys(&b.r, &validate(&b.r), &JourneyOptions::default()).expect("derives");
    assert_eq!(set.cut_date, d("2017-05-01"));
    assert!(derive_journeys(
        &Returns::default(),
        &Validation::default(),
        &JourneyOptions::default()
    )
    .is_err());
}

#[test]
fn mismatched_validation_is_an_error() {
    let mut b = Build::new();
    reversed(&mut b);
    let mut v = validate(&b.r);
    v.invalid_episodes.push(false);
    assert!(derive_journeys(&b.r, &v, &JourneyOptions::default()).is_err());
}

#[test]
fn header_flags_feed_harder_to_place() {
    let mut b = Build::new();
    b.header("K", "1", "2016-01-01", "WBRI")
        .ep("K", "2017-01-01", "S", "C2", "U4", "", "")
        .pa("K", "2017-03-01", "", "");
    b.r.header[0].sibling_group = Some(true);
    b.r.header[0].disability = Some(false);
    let set = derive(&b.r, "2018-03-31");
    let j = find(&set, "K", 1);
    assert_eq!(
        (j.htp_sibling_group, j.htp_disability),
        (Some(true), Some(false))
    );
    assert!(j.harder_to_place && !j.htp_age5plus && !j.htp_black_or_mixed);
}
