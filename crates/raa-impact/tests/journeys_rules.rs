//! The finer rules of journey derivation: several decisions in a period, repeats of a decision
//! across returns, decision rows that fit no period, blank keys, D1 placement orders.

mod journeys_support;

use journeys_support::{d, Build};
use raa_impact::data::journeys::{derive_journeys, Ending, JourneyOptions, JourneySet};
use raa_impact::data::ssda903::validate::{validate, Validation};
use raa_impact::data::ssda903::{Returns, Table};

fn derive(r: &Returns, cut: &str) -> JourneySet {
    let opts = JourneyOptions {
        cut_date: Some(d(cut)),
    };
    derive_journeys(r, &validate(r), &opts).expect("derivation succeeds")
}

/// Derivation alone, for rules about records the validator would reject (the derivation must
/// still handle them safely when a caller skips validation).
fn derive_unvalidated(r: &Returns, cut: &str) -> JourneySet {
    let opts = JourneyOptions {
        cut_date: Some(d(cut)),
    };
    derive_journeys(r, &Validation::default(), &opts).expect("derivation succeeds")
}

#[test]
fn a_replaced_decision_does_not_end_the_journey() {
    // ADM 2016-06-01 reversed 2016-09-01 (RD1); a new ADM 2017-01-01 in the same period.
    let mut b = Build::new();
    b.header("N", "1", "2015-01-01", "WBRI")
        .ep("N", "2016-04-01", "S", "C2", "U4", "", "")
        .pa("N", "2016-06-01", "2016-09-01", "RD1")
        .pa("N", "2017-01-01", "", "");
    let set = derive(&b.r, "2018-03-31");
    assert_eq!(set.journeys.len(), 1);
    let j = &set.journeys[0];
    assert_eq!(
        j.adm_date,
        Some(d("2016-06-01")),
        "ADM is the first decision"
    );
    assert_eq!(j.ending, Ending::Ongoing);
    assert_eq!(j.reversal_date, None);
    assert!(j.adm_to_po.censored);
    // Without the new decision the same period is a reversed journey.
    b.r.placed_adoption.pop();
    let set = derive(&b.r, "2018-03-31");
    assert_eq!(set.journeys[0].ending, Ending::Reversed("RD1".into()));
}

#[test]
fn the_latest_return_says_whether_a_decision_ceased() {
    // The same decision in two returns; only the later (2019) records the cessation.
    let mut b = Build::new();
    b.header("P", "1", "2015-01-01", "WBRI")
        .ep("P", "2016-04-01", "S", "C2", "U4", "", "")
        .pa("P", "2016-06-01", "", "")
        .pa("P", "2016-06-01", "2018-06-01", "RD3");
    b.r.placed_adoption[1].src.year = 2019;
    let set = derive(&b.r, "2019-03-31");
    assert_eq!(set.journeys[0].reversal_reason.as_deref(), Some("RD3"));
    assert_eq!(set.rows_used.placed_adoption, 2);
    // A cessation with a reason outside RD1–RD4 is not a reversal.
    b.r.placed_adoption[1].reason_placed_ceased = "E11".into();
    let set = derive_unvalidated(&b.r, "2019-03-31");
    assert_eq!(set.journeys[0].ending, Ending::Ongoing);
    // The validator rejects that code, so with validation the child is left out.
    let set = derive(&b.r, "2019-03-31");
    assert!(set.journeys.is_empty());
    assert!(set.left_out.iter().all(|l| l.reason.contains("code_list")));
}

#[test]
fn decision_rows_that_fit_no_period_are_left_out_with_a_reason() {
    // One period 2016-04-01 → 2016-12-01; decisions before it, after it, undated and after the cut.
    let mut b = Build::new();
    b.header("Q", "1", "2015-01-01", "WBRI")
        .ep("Q", "2016-04-01", "S", "C2", "U4", "2016-12-01", "E13")
        .pa("Q", "2016-01-01", "", "")
        .pa("Q", "2017-01-01", "", "")
        .pa("Q", "", "", "")
        .ad1("Q", "2018-06-01", "", "0");
    let set = derive_unvalidated(&b.r, "2018-03-31");
    assert!(set.journeys.is_empty());
    assert_eq!(set.periods, 1);
    let reasons: Vec<(Table, u64, &str)> = set
        .left_out
        .iter()
        .map(|l| (l.table, l.rows, l.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (
                Table::Ad1,
                1,
                "DATE_INT after the data cut (not yet happened)"
            ),
            (
                Table::PlacedAdoption,
                2,
                "DATE_PLACED outside every period of care"
            ),
            (Table::PlacedAdoption, 1, "no DATE_PLACED (decision date)"),
        ]
    );
    assert_eq!(set.rows_used.episodes + set.rows_used.header, 2);
}

#[test]
fn a_decision_on_the_day_of_re_entry_belongs_to_the_new_period() {
    let mut b = Build::new();
    b.header("W", "1", "2015-01-01", "WBRI")
        .ep("W", "2016-04-01", "S", "C2", "U4", "2016-08-01", "E13")
        .ep("W", "2016-08-01", "S", "C2", "U4", "", "")
        .pa("W", "2016-08-01", "", "");
    let set = derive(&b.r, "2018-03-31");
    assert_eq!(set.journeys.len(), 1);
    assert_eq!(set.journeys[0].period, 2);
    assert_eq!(set.journeys[0].entry_to_adm.days, Some(0));
}

#[test]
fn blank_child_keys_are_left_out() {
    let mut b = Build::new();
    b.header("", "1", "2015-01-01", "WBRI")
        .ep("", "2016-04-01", "S", "C2", "U4", "", "")
        .pa("", "2016-06-01", "", "");
    let set = derive(&b.r, "2018-03-31");
    assert!(set.journeys.is_empty());
    assert_eq!(set.children_left_out, 1);
    assert_eq!(set.rows_left_out().total(), 3);
}

#[test]
fn d1_counts_as_a_placement_order_only_before_2006() {
    let mut b = Build::new();
    b.header("O", "1", "2003-01-01", "WBRI")
        .ep("O", "2004-01-01", "S", "C2", "U4", "2005-06-01", "X1")
        .ep("O", "2005-06-01", "L", "D1", "U4", "", "")
        .pa("O", "2005-01-01", "", "");
    b.header("Y", "1", "2013-01-01", "WBRI")
        .ep("Y", "2014-01-01", "S", "C2", "U4", "2015-06-01", "X1")
        .ep("Y", "2015-06-01", "L", "D1", "U4", "", "")
        .pa("Y", "2015-01-01", "", "");
    let set = derive(&b.r, "2016-03-31");
    let po: Vec<(&str, Option<_>)> = set
        .journeys
        .iter()
        .map(|j| (j.child.as_str(), j.po_date))
        .collect();
    assert_eq!(po, vec![("O", Some(d("2005-06-01"))), ("Y", None)]);
}

#[test]
fn adoption_without_placement_order_ends_adm_to_po_with_the_adoption() {
    // Placed with consent (A4) and adopted (E11) with no E1 episode: ADM → PO competes with E11.
    let mut b = Build::new();
    b.header("V", "1", "2015-01-01", "WBRI")
        .ep("V", "2016-04-01", "S", "V2", "U4", "2016-07-01", "X1")
        .ep("V", "2016-07-01", "P", "V2", "A4", "2017-01-01", "E11")
        .pa("V", "2016-05-01", "", "");
    let set = derive(&b.r, "2018-03-31");
    let j = &set.journeys[0];
    assert_eq!(j.ending, Ending::Adopted);
    // 2016-05-01 → 2017-01-01 = 245 days.
    assert_eq!(
        (j.adm_to_po.days, j.adm_to_po.competing.as_deref()),
        (Some(245), Some("E11"))
    );
    assert_eq!(j.po_to_placed.days, None);
    assert!(j.entry_to_placed.event);
}

#[test]
fn an_earlier_returns_version_of_an_episode_is_superseded() {
    // Stacked without de-duplication: the 2017 return has the second episode still open, the
    // 2018 return repeats it closed (E11) — one period, adopted, the 2017 row left out.
    let mut b = Build::new();
    b.header("Z", "1", "2015-01-01", "WBRI")
        .ep("Z", "2016-04-01", "S", "C2", "U4", "2016-10-01", "X1")
        .ep("Z", "2016-10-01", "L", "E1", "A6", "", "")
        .ep("Z", "2016-04-01", "S", "C2", "U4", "2016-10-01", "X1")
        .ep("Z", "2016-10-01", "L", "E1", "A6", "2017-12-01", "E11")
        .pa("Z", "2016-06-01", "", "");
    b.r.episodes[0].src.year = 2017;
    b.r.episodes[1].src.year = 2017;
    let set = derive(&b.r, "2018-03-31");
    assert_eq!(set.periods, 1);
    assert_eq!(set.journeys[0].ending, Ending::Adopted);
    let out: Vec<(Table, u64)> = set.left_out.iter().map(|l| (l.table, l.rows)).collect();
    assert_eq!(out, vec![(Table::Episodes, 2)]);
    assert_eq!(set.rows_used.episodes, 2);
}
