//! The bundled registry and the registry loader/checker.

use raa_impact::data::date::{parse_date, Date};
use raa_impact::data::registry::load::{bundled, from_dir};
use raa_impact::data::registry::write::to_dir;
use raa_impact::data::registry::{
    Confidence, DatePrecision, Membership, Milestone, MilestoneKind, Registry,
};
use raa_impact::Error;

fn d(y: i32, m: u32, dd: u32) -> Date {
    Date::from_ymd_opt(y, m, dd).unwrap()
}

fn membership(la: &str, raa: &str, from: Date, to: Option<Date>) -> Membership {
    Membership {
        la_code: la.into(),
        raa_id: raa.into(),
        valid_from: from,
        valid_to: to,
        confidence: Confidence::Low,
        source_url: String::new(),
        note: String::new(),
    }
}

fn milestone(kind: MilestoneKind, date: Date) -> Milestone {
    Milestone {
        kind,
        date,
        precision: DatePrecision::Day,
        confidence: Confidence::Low,
        source_url: String::new(),
        note: String::new(),
    }
}

fn registry_message(e: Error) -> String {
    match e {
        Error::Registry { message } => message,
        other => panic!("expected a registry error, got {other}"),
    }
}

fn source(name: &str) -> String {
    let path = format!("{}/../../tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn every_current_la_is_present_with_its_dfe_code() {
    let reg = bundled().unwrap();
    assert!(reg.las.len() >= 152, "{} LAs", reg.las.len());
    assert_eq!(reg.la("886").unwrap().name, "Kent");
    assert_eq!(
        reg.la("839").unwrap().name,
        "Bournemouth, Christchurch and Poole"
    );
    let current = reg.las.iter().filter(|l| l.end_date.is_none()).count();
    assert!((150..=156).contains(&current), "{current} current LAs");
    assert!(reg
        .las
        .iter()
        .all(|l| l.dfe_code.len() == 3 && l.dfe_code.bytes().all(|b| b.is_ascii_digit())));
    // every authority of the source file is in the registry (by DfE code, ONS code or name)
    let src = source("england_las.csv");
    let mut rdr = csv::Reader::from_reader(src.as_bytes());
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let (code, ons, name) = (&rec[0], &rec[1], &rec[2]);
        let found = reg
            .las
            .iter()
            .any(|l| l.ons_code == ons || (!code.is_empty() && l.dfe_code == code))
            || reg.la_by_name(name, None).is_some();
        assert!(found, "{code} {ons} {name} missing");
    }
}

#[test]
fn every_member_name_resolves_to_its_membership_code() {
    let reg = bundled().unwrap();
    let text = include_str!("../data/registry/memberships.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (code_i, name_i, from_i) = (col("la_code"), col("source_name"), col("valid_from"));
    let mut named = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if rec[name_i].is_empty() {
            continue;
        }
        let la = reg.la_by_name(&rec[name_i], parse_date(&rec[from_i]));
        assert_eq!(
            la.map(|l| l.dfe_code.as_str()),
            Some(&rec[code_i]),
            "{}",
            &rec[name_i]
        );
        named += 1;
    }
    assert!(named > 90, "{named} named members");
}

#[test]
fn every_listed_member_name_of_the_source_file_resolves() {
    let reg = bundled().unwrap();
    let src = source("raa_golive.csv");
    let mut rdr = csv::Reader::from_reader(src.as_bytes());
    let mut checked = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let members = &rec[1];
        // rows whose member column is prose (incomplete lists) are curated by hand
        if ["incl.", "funded", "other", "VAA"]
            .iter()
            .any(|w| members.contains(w))
        {
            continue;
        }
        for name in members.split(';') {
            let name = name.split(" (+").next().unwrap();
            assert!(
                reg.la_by_name(name, None).is_some(),
                "{name} in {}",
                &rec[0]
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn kent_milestone_and_membership_queries() {
    let reg = bundled().unwrap();
    let (raa, m) = reg.milestone_for_la("886", MilestoneKind::GoLive).unwrap();
    assert_eq!(raa.id, "adoption-partnership-south-east");
    assert_eq!(m.date, d(2020, 11, 1));
    assert_eq!(m.confidence, Confidence::High);
    assert!(reg.raa_of("886", d(2020, 10, 31)).is_none());
    assert_eq!(
        reg.raa_of("303", d(2021, 1, 1)).unwrap().name,
        "Adoption Partnership South East"
    );
    // month precision is kept
    let (_, aspire) = reg.milestone_for_la("835", MilestoneKind::GoLive).unwrap();
    assert_eq!(
        (aspire.date, aspire.precision),
        (d(2017, 7, 1), DatePrecision::Month)
    );
    // RAAs without a found go-live have no such milestone and their LAs no membership
    assert!(reg
        .raa("adoption-at-heart")
        .unwrap()
        .milestone(MilestoneKind::GoLive)
        .is_none());
    assert!(reg.first_membership("336").is_none());
}

#[test]
fn reorganised_and_late_joining_las() {
    let reg = bundled().unwrap();
    // BCP joined in 2019 as an LA, but its area was in Aspire from 2017
    let (m, joined) = reg.joined("839").unwrap();
    assert_eq!(m.valid_from, d(2019, 4, 1));
    assert_eq!(joined, d(2017, 7, 1));
    // Cornwall joined Adopt South West long after its go-live
    let (m, joined) = reg.joined("908").unwrap();
    assert_eq!(
        (m.raa_id.as_str(), joined),
        ("adopt-south-west", d(2024, 4, 1))
    );
    assert!(reg.raa_of("908", d(2024, 3, 31)).is_none());
    assert_eq!(
        reg.raa_of("942", d(2023, 4, 1)).unwrap().id,
        "adopt-coast-to-coast"
    );
    assert_eq!(
        reg.raa_of("909", d(2022, 1, 1)).unwrap().id,
        "adopt-coast-to-coast"
    );
    assert!(reg.raa_of("909", d(2023, 4, 1)).is_none());
}

#[test]
fn every_raa_and_milestone_keeps_a_source() {
    let reg = bundled().unwrap();
    assert_eq!(reg.raas.len(), 32);
    for r in &reg.raas {
        assert!(r.source_url.starts_with("http"), "{}", r.id);
        for m in &r.milestones {
            assert!(
                m.source_url.starts_with("http"),
                "{} {}",
                r.id,
                m.kind.name()
            );
        }
    }
    assert!(reg
        .memberships
        .iter()
        .all(|m| m.source_url.starts_with("http")));
}

#[test]
fn overlapping_membership_is_an_error_naming_la_raas_and_dates() {
    let reg = bundled().unwrap();
    let err = reg
        .with_membership(membership("886", "adopt-south", d(2021, 1, 1), None))
        .unwrap_err();
    let msg = registry_message(err);
    for part in [
        "886",
        "Kent",
        "adoption-partnership-south-east",
        "adopt-south",
        "2020-11-01",
        "2021-01-01",
    ] {
        assert!(msg.contains(part), "{part} not in {msg}");
    }
}

#[test]
fn non_overlapping_later_membership_is_accepted() {
    let reg = bundled()
        .unwrap()
        .end_membership("886", "adoption-partnership-south-east", d(2022, 3, 31))
        .unwrap()
        .with_membership(membership("886", "adopt-south", d(2022, 4, 1), None))
        .unwrap();
    assert_eq!(reg.raa_of("886", d(2022, 4, 1)).unwrap().id, "adopt-south");
    assert_eq!(
        reg.raa_of("886", d(2022, 3, 31)).unwrap().id,
        "adoption-partnership-south-east"
    );
    assert_eq!(
        reg.first_raa("886").unwrap().id,
        "adoption-partnership-south-east"
    );
}

#[test]
fn milestone_out_of_order_is_an_error() {
    let reg = bundled().unwrap();
    let err = reg
        .clone()
        .with_milestone(
            "adopt-south",
            milestone(MilestoneKind::Agreement, d(2019, 6, 1)),
        )
        .unwrap_err();
    let msg = registry_message(err);
    assert!(
        msg.contains("adopt-south") && msg.contains("agreement") && msg.contains("2019-04-01"),
        "{msg}"
    );
    // an agreement inside the go-live's month is not out of order when the go-live is month-precise
    let ok = reg.with_milestone(
        "adopt-east",
        milestone(MilestoneKind::Agreement, d(2020, 10, 20)),
    );
    assert!(ok.is_ok());
}

#[test]
fn unknown_keys_and_reversed_ranges_are_errors() {
    let reg = bundled().unwrap();
    let bad = membership("999", "adopt-south", d(2020, 1, 1), None);
    let msg = registry_message(reg.clone().with_membership(bad).unwrap_err());
    assert!(msg.contains("999"), "{msg}");
    let bad = membership("201", "no-such-raa", d(2020, 1, 1), None);
    let msg = registry_message(reg.clone().with_membership(bad).unwrap_err());
    assert!(msg.contains("no-such-raa"), "{msg}");
    let bad = membership("201", "adopt-south", d(2020, 1, 1), Some(d(2019, 1, 1)));
    let msg = registry_message(reg.with_membership(bad).unwrap_err());
    assert!(msg.contains("2019-01-01") && msg.contains("201"), "{msg}");
}

#[test]
fn from_dir_round_trip_and_bad_dates() {
    let reg = bundled().unwrap();
    let dir = tempfile::tempdir().unwrap();
    to_dir(&reg, dir.path()).unwrap();
    let back = from_dir(dir.path()).unwrap();
    assert_eq!(back, reg);

    // corrupt the first membership's start date: the error names file, row and column
    let path = dir.path().join("memberships.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let row = text.lines().nth(1).unwrap();
    let bad_row = row.replacen(&reg.memberships[0].valid_from.to_string(), "2017-13-45", 1);
    std::fs::write(&path, text.replacen(row, &bad_row, 1)).unwrap();
    let msg = registry_message(from_dir(dir.path()).unwrap_err());
    for part in ["memberships.csv", "row 1", "valid_from", "2017-13-45"] {
        assert!(msg.contains(part), "{part} not in {msg}");
    }
    // a missing file is an I/O error naming the path
    std::fs::remove_file(dir.path().join("raas.csv")).unwrap();
    assert!(
        matches!(from_dir(dir.path()), Err(Error::Io { path, .. }) if path.contains("raas.csv"))
    );
}

#[test]
fn amend_replaces_memberships_of_the_named_las() {
    let reg = bundled().unwrap();
    let patch = Registry {
        memberships: vec![membership("886", "adopt-south", d(2019, 4, 1), None)],
        ..Registry::default()
    };
    let amended = reg.amend(patch).unwrap();
    assert_eq!(
        amended.raa_of("886", d(2021, 1, 1)).unwrap().id,
        "adopt-south"
    );
    assert_eq!(
        amended.raa_of("887", d(2021, 1, 1)).unwrap().id,
        "adoption-partnership-south-east"
    );
}
