//! Property: the journeys do not depend on the order of the input rows.

mod journeys_support;

use journeys_support::{d, Build};
use proptest::prelude::*;
use raa_impact::data::journeys::{derive_journeys, JourneyOptions, JourneySet};
use raa_impact::data::ssda903::validate::Validation;
use raa_impact::data::ssda903::{Problem, Returns, Severity, Table};

/// Several children covering the rules: adopted, two periods, reversal, repeats of one decision
/// across returns, after-cut records, same-day episodes, a second LA, and an invalid child.
fn fixture() -> Returns {
    let mut b = Build::new();
    b.header("A", "2", "2014-06-10", "WBRI")
        .ep("A", "2015-01-05", "S", "C2", "U3", "2015-05-01", "X1")
        .ep("A", "2015-05-01", "P", "C2", "U4", "2015-09-14", "X1")
        .ep("A", "2015-09-14", "L", "E1", "U4", "2016-01-20", "X1")
        .ep("A", "2016-01-20", "T", "E1", "A6", "2016-08-30", "E11")
        .pa("A", "2015-07-01", "", "")
        .pa("A", "2015-07-01", "", "")
        .ad1("A", "2015-07-01", "2015-12-10", "0");
    b.header("B", "1", "2010-02-01", "BAFR")
        .header("B", "1", "2010-02-01", "")
        .ep("B", "2011-05-01", "S", "C2", "U3", "2012-03-01", "E13")
        .ep("B", "2013-01-10", "S", "C2", "U3", "2013-06-01", "X1")
        .ep("B", "2013-06-01", "L", "E1", "U3", "2013-06-01", "X1")
        .ep("B", "2013-06-01", "P", "E1", "U5", "2013-09-01", "X1")
        .ep("B", "2013-09-01", "U", "E1", "A5", "2016-05-05", "E12")
        .pa("B", "2013-04-01", "", "")
        .pa("B", "2011-09-01", "2012-02-01", "RD1")
        .pa("B", "2011-09-01", "", "")
        .ad1("B", "2013-04-01", "2013-08-01", "1");
    b.header("R", "1", "2015-01-01", "WBRI")
        .ep("R", "2016-04-01", "S", "C2", "U4", "2016-10-01", "X1")
        .ep("R", "2016-10-01", "L", "E1", "U4", "", "")
        .pa("R", "2016-07-01", "2017-05-01", "RD1")
        .pa("R", "2019-01-01", "", "")
        .ad1("R", "", "", "0");
    b.la("887")
        .header("A", "1", "2012-01-01", "WBRI")
        .ep("A", "2016-04-01", "S", "C2", "U4", "", "")
        .pa("A", "2016-06-01", "", "");
    b.header("X", "1", "2015-01-01", "WBRI")
        .ep("X", "2016-01-01", "S", "C2", "U4", "2016-05-01", "X1")
        .ep("X", "2016-05-01", "L", "E1", "U4", "2016-04-01", "E11")
        .pa("X", "2016-03-01", "", "");
    b.r
}

fn permute<T: Clone>(v: &[T], order: &[usize]) -> Vec<T> {
    order.iter().map(|&i| v[i].clone()).collect()
}

/// Derive with child X's episode ending before it starts flagged invalid, wherever it sits. The
/// fixture exercises derivation rules on records the full validator would also reject (a blank
/// ETHNIC, an undated AD1 row), so only X is flagged here: the property is about derivation.
fn derive(r: &Returns) -> JourneySet {
    let mut v = Validation {
        invalid_header: vec![false; r.header.len()],
        invalid_episodes: vec![false; r.episodes.len()],
        invalid_ad1: vec![false; r.ad1.len()],
        invalid_placed_adoption: vec![false; r.placed_adoption.len()],
        ..Validation::default()
    };
    for (i, e) in r.episodes.iter().enumerate() {
        if e.child == "X" && e.dec < e.decom {
            v.invalid_episodes[i] = true;
            v.problems.push(Problem {
                table: Table::Episodes,
                file: "<memory>".into(),
                row: e.src.row,
                la: e.src.la.to_string(),
                child: e.child.to_string(),
                field: "DEC".into(),
                rule: "date_order_decom_dec".into(),
                value: String::new(),
                message: "DEC before DECOM".into(),
                severity: Severity::Error,
            });
        }
    }
    let opts = JourneyOptions {
        cut_date: Some(d("2018-03-31")),
    };
    derive_journeys(r, &v, &opts).expect("derivation succeeds")
}

fn order(n: usize) -> impl Strategy<Value = Vec<usize>> {
    Just((0..n).collect::<Vec<usize>>()).prop_shuffle()
}

#[test]
fn fixture_exercises_the_rules() {
    let set = derive(&fixture());
    assert_eq!(set.journeys.len(), 5, "{:#?}", set.journeys);
    assert_eq!(set.children_left_out, 1);
    assert!(!set.left_out.is_empty());
}

proptest! {
    #[test]
    fn shuffling_rows_gives_identical_output(
        h in order(fixture().header.len()),
        e in order(fixture().episodes.len()),
        a in order(fixture().ad1.len()),
        p in order(fixture().placed_adoption.len()),
    ) {
        let base = fixture();
        let expected = derive(&base);
        let mut shuffled = base.clone();
        shuffled.header = permute(&base.header, &h);
        shuffled.episodes = permute(&base.episodes, &e);
        shuffled.ad1 = permute(&base.ad1, &a);
        shuffled.placed_adoption = permute(&base.placed_adoption, &p);
        prop_assert_eq!(derive(&shuffled), expected);
    }
}
