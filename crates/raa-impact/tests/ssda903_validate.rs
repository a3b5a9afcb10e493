//! Validation rules on the fake DfE-validator fixtures and on hand-built returns.

use chrono::NaiveDate;
use raa_impact::data::ssda903::read::{read_dir, ReadOptions};
use raa_impact::data::ssda903::validate::{validate, Validation};
use raa_impact::data::ssda903::{
    Ad1Row, EpisodeRow, FileInfo, HeaderRow, PlacedAdoptionRow, Returns, Severity, Source, Table,
};
use std::path::Path;

const FAKE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/ssda903_fake_csc_validator"
);

fn fake() -> Returns {
    let opts = ReadOptions {
        default_la: Some("999".into()),
        default_year: Some(2018),
        ..ReadOptions::default()
    };
    read_dir(Path::new(FAKE), &opts).unwrap()
}

#[test]
fn fake_fixtures_flag_reason_placed_ceased_xxx_and_other_rules() {
    let r = fake();
    let v = validate(&r);
    let xxx: Vec<_> = v
        .problems
        .iter()
        .filter(|p| p.field == "REASON_PLACED_CEASED" && p.rule == "code_list")
        .collect();
    assert_eq!(xxx.len(), r.placed_adoption.len());
    assert!(xxx.iter().all(|p| p.value == "XXX"
        && p.severity == Severity::Error
        && p.table == Table::PlacedAdoption));
    assert!(
        v.invalid_placed_adoption.iter().all(|b| *b),
        "every PlacedAdoption row holds XXX"
    );
    // The fixtures are random: many rules fire. Count them so a regression that silences a rule shows.
    let rules = v.counts_by_rule();
    let names: Vec<&str> = rules.iter().map(|(r, _)| r.as_str()).collect();
    for must in [
        "code_list",
        "dec_rec_pair",
        "episode_overlap",
        "adopted_without_ad1",
        "adopted_without_placement",
        "adoption_placement_without_po",
        "adoption_placement_without_adm",
        "x1_not_continued",
    ] {
        assert!(names.contains(&must), "{must} not found in {rules:?}");
    }
    assert!(rules.len() >= 10, "{rules:?}");
    // SOURCE.md: only 3 of the 29 AD1 rows belong to a child with an E11/E12 episode, so most
    // adopted children lack an AD1 row.
    let adopted: std::collections::HashSet<&str> = r
        .episodes
        .iter()
        .filter(|e| e.rec == "E11" || e.rec == "E12")
        .map(|e| e.child.as_str())
        .collect();
    let with_ad1 = adopted
        .iter()
        .filter(|c| r.ad1.iter().any(|a| a.child == **c))
        .count();
    assert_eq!(with_ad1, 3);
    let without: std::collections::HashSet<&str> = v
        .problems
        .iter()
        .filter(|p| p.rule == "adopted_without_ad1")
        .map(|p| p.child.as_str())
        .collect();
    assert_eq!(without.len(), adopted.len() - 3);
    check_invariants(&r, &v);
}

/// Sorted, error rows marked, same result when run twice.
fn check_invariants(r: &Returns, v: &Validation) {
    let key =
        |p: &raa_impact::data::ssda903::Problem| (p.file.clone(), p.table, p.row, p.rule.clone());
    assert!(v.problems.windows(2).all(|w| key(&w[0]) <= key(&w[1])));
    assert_eq!(v.invalid_episodes.len(), r.episodes.len());
    for (i, e) in r.episodes.iter().enumerate() {
        let has_error = v.problems.iter().any(|p| {
            p.table == Table::Episodes
                && p.row == e.src.row
                && p.file == r.file_of(&e.src)
                && p.severity == Severity::Error
        });
        assert_eq!(v.invalid_episodes[i], has_error, "episode {i}");
    }
    let again = validate(r);
    assert_eq!(again.problems, v.problems);
}

#[test]
fn validation_is_the_same_on_one_thread() {
    let r = fake();
    let many = validate(&r);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| validate(&r));
    assert_eq!(one.problems, many.problems);
    assert_eq!(one.invalid_episodes, many.invalid_episodes);
}

// ---- hand-built returns -------------------------------------------------------------------

fn d(s: &str) -> Option<NaiveDate> {
    raa_impact::data::date::parse_date(s)
}

fn src(file: u32, row: u64) -> Source {
    Source {
        file,
        row,
        la: "316".into(),
        year: 2018,
    }
}

fn ep(row: u64, decom: &str, rne: &str, ls: &str, place: &str, dec: &str, rec: &str) -> EpisodeRow {
    EpisodeRow {
        src: src(1, row),
        child: "C1".into(),
        decom: d(decom),
        rne: rne.into(),
        ls: ls.into(),
        cin: "N1".into(),
        place: place.into(),
        place_provider: "PR1".into(),
        dec: d(dec),
        rec: rec.into(),
        reason_place_change: Default::default(),
        home_post: Default::default(),
        pl_post: Default::default(),
        urn: Default::default(),
    }
}

/// One child's clean adoption journey in the 2018 return: entry 01/05/2016, ADM 01/07/2016,
/// placement order 01/09/2016, match 01/01/2017, placed 01/02/2017, adopted 01/12/2017.
fn clean() -> Returns {
    let files = Table::ALL
        .iter()
        .map(|&t| FileInfo {
            path: format!("316/2018/{}.csv", t.file_stem()),
            table: t,
            la: "316".into(),
            year: 2018,
            rows: 0,
            encoding: "utf-8".into(),
        })
        .collect();
    Returns {
        files,
        header: vec![HeaderRow {
            src: src(0, 1),
            child: "C1".into(),
            sex: "1".into(),
            dob: d("01/01/2015"),
            ethnic: "WBRI".into(),
            sibling_group: None,
            disability: None,
        }],
        episodes: vec![
            ep(1, "01/05/2016", "S", "C1", "U6", "01/09/2016", "X1"),
            ep(2, "01/09/2016", "L", "E1", "U6", "01/02/2017", "X1"),
            ep(3, "01/02/2017", "P", "E1", "A6", "01/12/2017", "E11"),
        ],
        ad1: vec![Ad1Row {
            src: src(2, 1),
            child: "C1".into(),
            dob: d("01/01/2015"),
            date_int: d("01/07/2016"),
            date_match: d("01/01/2017"),
            foster_care: "0".into(),
            nb_adoptr: "2".into(),
            sex_adoptr: "MF".into(),
            ls_adoptr: "L11".into(),
        }],
        placed_adoption: vec![PlacedAdoptionRow {
            src: src(3, 1),
            child: "C1".into(),
            dob: d("01/01/2015"),
            date_placed: d("01/07/2016"),
            date_placed_ceased: None,
            reason_placed_ceased: Default::default(),
        }],
        ..Returns::default()
    }
}

/// (table, row, field, rule, severity) of every problem.
fn found(r: &Returns) -> Vec<(Table, u64, String, String, Severity)> {
    validate(r)
        .problems
        .into_iter()
        .map(|p| (p.table, p.row, p.field, p.rule, p.severity))
        .collect()
}

fn one(r: &Returns, table: Table, row: u64, field: &str, rule: &str, sev: Severity) {
    let f = found(r);
    assert_eq!(
        f,
        [(table, row, field.to_string(), rule.to_string(), sev)],
        "expected only {rule}"
    );
}

#[test]
fn a_clean_journey_has_no_problems() {
    let r = clean();
    let v = validate(&r);
    assert!(v.problems.is_empty(), "{:#?}", v.problems);
    assert!(!v.invalid_episodes.iter().any(|b| *b));
}

#[test]
fn code_lists_and_required_values() {
    let mut r = clean();
    r.episodes[1].ls = "E9".into();
    one(&r, Table::Episodes, 2, "LS", "code_list", Severity::Error);
    let mut r = clean();
    r.episodes[0].cin = "N9".into();
    one(
        &r,
        Table::Episodes,
        1,
        "CIN",
        "code_list",
        Severity::Warning,
    );
    let mut r = clean();
    r.header[0].ethnic = "wbri".into();
    one(
        &r,
        Table::Header,
        1,
        "ETHNIC",
        "code_list",
        Severity::Warning,
    );
    let mut r = clean();
    r.episodes[0].rne = Default::default();
    one(
        &r,
        Table::Episodes,
        1,
        "RNE",
        "required_value",
        Severity::Error,
    );
    let mut r = clean();
    r.ad1[0].date_match = None;
    one(
        &r,
        Table::Ad1,
        1,
        "DATE_MATCH",
        "required_value",
        Severity::Error,
    );
    let v = validate(&r);
    assert_eq!(v.invalid_ad1, [true]);
    assert_eq!(v.invalid_episodes, [false, false, false]);
}

#[test]
fn episode_end_rules() {
    let mut r = clean();
    r.episodes[2].rec = Default::default();
    let f = found(&r);
    assert!(
        f.iter()
            .any(|p| p.3 == "dec_rec_pair" && p.1 == 3 && p.4 == Severity::Error),
        "{f:?}"
    );
    let mut r = clean();
    r.episodes[2].dec = d("01/01/2017");
    let f = found(&r);
    assert!(
        f.iter().any(|p| p.3 == "date_order_decom_dec" && p.1 == 3),
        "{f:?}"
    );
    let mut r = clean();
    r.episodes[2].dec = None;
    r.episodes[2].rec = Default::default();
    assert!(
        found(&r).is_empty(),
        "an open last episode is fine: {:?}",
        found(&r)
    );
}

#[test]
fn episode_sequence_rules() {
    let mut r = clean();
    r.episodes[1].decom = d("01/08/2016");
    r.episodes[1].dec = d("01/02/2017");
    let f = found(&r);
    assert!(
        f.iter()
            .any(|p| p.3 == "episode_overlap" && p.1 == 2 && p.4 == Severity::Error),
        "{f:?}"
    );
    assert!(
        f.iter().any(|p| p.3 == "x1_not_continued" && p.1 == 1),
        "{f:?}"
    );
    let mut r = clean();
    r.episodes[1].dec = None;
    r.episodes[1].rec = Default::default();
    let f = found(&r);
    assert!(
        f.iter().any(|p| p.3 == "open_episode_not_last" && p.1 == 2),
        "{f:?}"
    );
    // In the 2017 return (1 April 2016 – 31 March 2017) the child's first episode starts within
    // the year, so it must open the period with RNE S.
    let mut r = clean();
    r.episodes.iter_mut().for_each(|e| e.src.year = 2017);
    r.episodes[2].dec = None;
    r.episodes[2].rec = Default::default();
    assert!(found(&r).is_empty(), "{:?}", found(&r));
    r.episodes[0].rne = "P".into();
    one(
        &r,
        Table::Episodes,
        1,
        "RNE",
        "period_start_rne",
        Severity::Warning,
    );
    // After an episode that ended the period (not X1), the next one must be RNE S too.
    let mut r = clean();
    r.episodes[0].rec = "E4A".into();
    one(
        &r,
        Table::Episodes,
        2,
        "RNE",
        "period_start_rne",
        Severity::Warning,
    );
    // A first episode that started before the return's year may continue an earlier period.
    let mut r = clean();
    r.episodes[0].rne = "P".into();
    r.episodes[0].decom = d("01/03/2017");
    r.episodes[0].dec = d("01/04/2017");
    r.episodes[1].decom = d("01/04/2017");
    r.episodes[1].dec = d("01/06/2017");
    r.episodes[2].decom = d("01/06/2017");
    r.ad1[0].date_int = d("01/03/2017");
    r.ad1[0].date_match = d("01/05/2017");
    r.placed_adoption[0].date_placed = d("01/03/2017");
    assert!(found(&r).is_empty(), "{:?}", found(&r));
    let mut r = clean();
    r.header[0].dob = d("01/06/2016");
    r.ad1[0].dob = d("01/06/2016");
    r.placed_adoption[0].dob = d("01/06/2016");
    one(
        &r,
        Table::Episodes,
        1,
        "DECOM",
        "date_order_dob_decom",
        Severity::Error,
    );
}

#[test]
fn adoption_rules() {
    let mut r = clean();
    r.episodes[2].ls = "C2".into();
    one(
        &r,
        Table::Episodes,
        3,
        "LS",
        "adoption_placement_without_po",
        Severity::Warning,
    );
    let mut r = clean();
    r.episodes[2].place = "A4".into();
    r.episodes[2].ls = "C2".into();
    assert!(
        found(&r).is_empty(),
        "A4 with an ADM decision is fine: {:?}",
        found(&r)
    );
    r.ad1.clear();
    r.placed_adoption.clear();
    let f = found(&r);
    assert!(
        f.iter().any(|p| p.3 == "adoption_placement_without_adm"),
        "{f:?}"
    );
    assert!(
        f.iter().any(|p| p.3 == "adopted_without_ad1" && p.1 == 3),
        "{f:?}"
    );
    let mut r = clean();
    r.episodes[2].place = "U6".into();
    let f = found(&r);
    assert!(
        f.iter()
            .any(|p| p.3 == "adopted_without_placement" && p.1 == 3),
        "{f:?}"
    );
    assert!(f.iter().all(|p| p.4 == Severity::Warning));
}

#[test]
fn decision_and_match_date_order() {
    let mut r = clean();
    r.ad1[0].date_int = d("01/02/2017");
    r.ad1[0].date_match = d("01/01/2017");
    let f = found(&r);
    assert!(
        f.iter()
            .any(|p| p.3 == "date_order_adm_match" && p.0 == Table::Ad1 && p.4 == Severity::Error),
        "{f:?}"
    );
    let mut r = clean();
    r.ad1[0].date_match = d("01/03/2017");
    one(
        &r,
        Table::Ad1,
        1,
        "DATE_MATCH",
        "date_order_match_placed",
        Severity::Warning,
    );
    let mut r = clean();
    r.placed_adoption[0].date_placed = d("01/04/2016");
    one(
        &r,
        Table::PlacedAdoption,
        1,
        "DATE_PLACED",
        "date_order_entry_adm",
        Severity::Warning,
    );
    let mut r = clean();
    r.ad1[0].date_int = d("01/03/2017");
    r.ad1[0].date_match = d("01/03/2017");
    r.placed_adoption[0].date_placed = d("01/03/2017");
    let f = found(&r);
    assert!(
        f.iter().any(|p| p.3 == "date_order_adm_placed" && p.1 == 3),
        "{f:?}"
    );
    let mut r = clean();
    r.ad1[0].dob = d("02/01/2015");
    one(&r, Table::Ad1, 1, "DOB", "dob_mismatch", Severity::Warning);
}

#[test]
fn placed_adoption_ceased_rules() {
    let mut r = clean();
    r.placed_adoption[0].date_placed_ceased = d("01/08/2016");
    one(
        &r,
        Table::PlacedAdoption,
        1,
        "REASON_PLACED_CEASED",
        "ceased_reason_pair",
        Severity::Error,
    );
    r.placed_adoption[0].reason_placed_ceased = "RD1".into();
    assert!(found(&r).is_empty());
    r.placed_adoption[0].date_placed_ceased = d("01/06/2016");
    one(
        &r,
        Table::PlacedAdoption,
        1,
        "DATE_PLACED_CEASED",
        "date_order_placed_ceased",
        Severity::Error,
    );
    r.placed_adoption[0].date_placed_ceased = d("01/08/2016");
    r.placed_adoption[0].reason_placed_ceased = "XXX".into();
    one(
        &r,
        Table::PlacedAdoption,
        1,
        "REASON_PLACED_CEASED",
        "code_list",
        Severity::Error,
    );
}

#[test]
fn duplicate_children_in_a_header_return() {
    let mut r = clean();
    let mut twin = r.header[0].clone();
    twin.src.row = 2;
    r.header.push(twin.clone());
    let f = found(&r);
    assert_eq!(
        f.iter()
            .filter(|p| p.3 == "duplicate_child" && p.4 == Severity::Warning)
            .count(),
        2,
        "{f:?}"
    );
    r.header[1].sex = "2".into();
    let v = validate(&r);
    assert_eq!(v.count("duplicate_child_conflict"), 2);
    assert_eq!(v.invalid_header, [true, true]);
    // A child in two years' returns is not a duplicate.
    let mut r = clean();
    twin.src.year = 2017;
    r.header.push(twin);
    assert!(found(&r).is_empty());
}

#[test]
fn read_problems_are_included_and_mark_rows() {
    let mut r = clean();
    r.read_problems.push(raa_impact::data::ssda903::Problem {
        table: Table::Episodes,
        file: "316/2018/episodes.csv".into(),
        row: 2,
        la: "316".into(),
        child: "C1".into(),
        field: "DEC".into(),
        rule: "date_format".into(),
        value: "99/99/2017".into(),
        message: "bad".into(),
        severity: Severity::Error,
    });
    let v = validate(&r);
    assert_eq!(v.invalid_episodes, [false, true, false]);
    assert_eq!(v.count("date_format"), 1);
}
