//! The SSDA903 code lists against the DfE validation rules, as implemented in the public
//! `data-to-insight/csc-validator-be-903` rule sets `lac2022_23` to `lac2026_27`. Each test
//! names the rule it was checked against; "year" is the collection year (2023 = 2022-23).

use raa_impact::data::date::parse_date;
use raa_impact::data::ssda903::codes::{
    self, describe, is_valid, is_valid_in, Code, CIN, ETHNIC, FOSTER_CARE, LS, LS_ADOPTR,
    NB_ADOPTR, PLACE, PLACE_PROVIDER, REASON_PLACED_CEASED, REC, RNE, SEX, SEX_ADOPTR,
};
use raa_impact::data::ssda903::validate::validate;
use raa_impact::data::ssda903::{EpisodeRow, FileInfo, Returns, Source, Table};

/// The codes of `list` accepted in `year`, sorted.
fn codes_in(list: &[Code], year: i32) -> Vec<&'static str> {
    let mut v: Vec<_> = list
        .iter()
        .filter(|c| c.valid_in(year))
        .map(|c| c.code)
        .collect();
    v.sort_unstable();
    v
}

fn sorted(codes: &[&'static str]) -> Vec<&'static str> {
    let mut v = codes.to_vec();
    v.sort_unstable();
    v
}

#[test]
fn fixed_lists_match_their_rules_exactly() {
    // Rule 143 (RNE), 144 (LS), 145 (CIN), 103 (ETHNIC), 178 (PLACE_PROVIDER), 120
    // (REASON_PLACED_CEASED), 114 (FOSTER_CARE), 175 (NB_ADOPTR), 176 (SEX_ADOPTR), 177
    // (LS_ADOPTR): the same codes in every year of the reference.
    let expected: [(&[Code], &[&str]); 10] = [
        (RNE, &["S", "P", "L", "T", "U", "B"]),
        (
            LS,
            &[
                "C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3",
            ],
        ),
        (CIN, &["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]),
        (
            ETHNIC,
            &[
                "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
                "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
            ],
        ),
        (PLACE_PROVIDER, &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"]),
        (REASON_PLACED_CEASED, &["RD1", "RD2", "RD3", "RD4"]),
        (FOSTER_CARE, &["0", "1"]),
        (NB_ADOPTR, &["1", "2"]),
        (SEX_ADOPTR, &["M1", "F1", "MM", "FF", "MF"]),
        (LS_ADOPTR, &["L0", "L11", "L12", "L2", "L3", "L4"]),
    ];
    for (list, codes) in expected {
        for year in [2015, 2023, 2026] {
            assert_eq!(codes_in(list, year), sorted(codes), "{year}");
        }
    }
}

#[test]
fn rec_matches_rule_149() {
    let rule_149 = [
        "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5",
        "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1",
    ];
    assert_eq!(codes_in(REC, 2023), sorted(&rule_149));
    // The pre-split "adopted" code E1 (still matched by rule 335 in old data) is not valid.
    assert!(!is_valid(REC, "E1"));
    assert_eq!(codes::REC_ADOPTED, &["E11", "E12"]); // rules 386, 390
}

#[test]
fn place_follows_rule_146_year_by_year() {
    // Rule 146, lac2022_23 (also the 2023-24 list: that rule set does not override it).
    let y2023 = [
        "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
        "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
    ];
    assert_eq!(codes_in(PLACE, 2023), sorted(&y2023));
    assert_eq!(codes_in(PLACE, 2024), sorted(&y2023));
    // Rule 146, lac2024_25: adds K3.
    let mut y2025 = y2023.to_vec();
    y2025.push("K3");
    assert_eq!(codes_in(PLACE, 2025), sorted(&y2025));
    // Rule 146, lac2025_26: H5, P2 and Z1 go; Z11–Z14 come.
    let mut y2026: Vec<_> = y2025
        .into_iter()
        .filter(|c| !["H5", "P2", "Z1"].contains(c))
        .collect();
    y2026.extend(["Z11", "Z12", "Z13", "Z14"]);
    assert_eq!(codes_in(PLACE, 2026), sorted(&y2026));
    // One list for the validator: the union, so a 2025-26 return's Z11 is not an error.
    assert!(is_valid(PLACE, "Z11") && is_valid(PLACE, "H5") && !is_valid(PLACE, "k3"));
}

#[test]
fn sex_codes_change_in_2024_25() {
    // Rule 101: 1/2 in lac2022_23, M/F/U in lac2024_25.
    assert_eq!(codes_in(SEX, 2024), vec!["1", "2"]);
    assert_eq!(codes_in(SEX, 2025), vec!["F", "M", "U"]);
    assert!(is_valid(SEX, "M") && is_valid(SEX, "2") && !is_valid(SEX, "3"));
    assert!(!is_valid_in(SEX, "1", 2025) && !is_valid_in(SEX, "M", 2024));
}

#[test]
fn adoption_subsets_follow_the_rules() {
    // Rule 408: A5/A6 need LS E1; a freeing order (D1) is not a placement order.
    assert_eq!(codes::LS_PLACEMENT_ORDER, &["E1"]);
    assert_eq!(codes::PLACE_ADOPTION_ORDER, &["A5", "A6"]);
    // Rule 390: the adoption placements.
    assert_eq!(codes::PLACE_ADOPTION, &["A3", "A4", "A5", "A6"]);
    // Rules 178 and 526 (lac2022_23) and 526 (lac2025_26): placements without a provider.
    for p in ["T0", "T4", "Z1", "Z14"] {
        assert!(codes::PLACE_WITHOUT_PROVIDER.contains(&p), "{p}");
    }
    for p in ["U6", "K2", "H5", "P1", "A5"] {
        assert!(!codes::PLACE_WITHOUT_PROVIDER.contains(&p), "{p}");
    }
}

#[test]
fn descriptions_agree_with_rule_messages() {
    // Rule 520: L11 is the different-sex married couple; rule 372: R5 includes prison.
    assert!(describe(LS_ADOPTR, "L11").is_some_and(|d| d.contains("Married")));
    assert!(describe(LS_ADOPTR, "L3").is_some_and(|d| d.contains("Unmarried")));
    assert!(describe(PLACE, "R5").is_some_and(|d| d.contains("prison")));
    assert_eq!(describe(REC, "E2"), Some("Died"));
}

fn episode(place: &str, ls: &str) -> EpisodeRow {
    EpisodeRow {
        src: Source {
            file: 0,
            row: 1,
            la: "316".into(),
            year: 2020,
        },
        child: "C1".into(),
        decom: parse_date("01/06/2019"),
        rne: "S".into(),
        ls: ls.into(),
        cin: "N1".into(),
        place: place.into(),
        place_provider: "PR1".into(),
        dec: None,
        rec: Default::default(),
        reason_place_change: Default::default(),
        home_post: Default::default(),
        pl_post: Default::default(),
        urn: Default::default(),
    }
}

/// One open episode of child C1 in LA 316's 2019-20 return.
fn returns_with(place: &str, ls: &str) -> Returns {
    Returns {
        files: vec![FileInfo {
            path: "316/2020/episodes.csv".into(),
            table: Table::Episodes,
            la: "316".into(),
            year: 2020,
            rows: 1,
            encoding: "utf-8".into(),
        }],
        episodes: vec![episode(place, ls)],
        ..Returns::default()
    }
}

#[test]
fn validator_checks_codes_against_the_return_year() {
    // Z12 exists from 2025-26 (rule 146 of lac2025_26): an error in a 2019-20 return, accepted in
    // a 2025-26 one (where, like Z1, it takes no provider: rule 526).
    let mut r = returns_with("Z12", "C2");
    r.episodes[0].place_provider = Default::default();
    let v = validate(&r);
    let bad: Vec<_> = v
        .problems
        .iter()
        .filter(|p| p.rule == "code_list")
        .collect();
    assert_eq!(bad.len(), 1, "{:?}", v.problems);
    assert_eq!(
        (bad[0].field.as_str(), bad[0].value.as_str()),
        ("PLACE", "Z12")
    );
    assert!(
        !bad[0].message.contains("Z12"),
        "the message lists the year's codes: {}",
        bad[0].message
    );
    r.files[0].year = 2026;
    r.episodes[0].src.year = 2026;
    r.episodes[0].decom = parse_date("01/06/2025");
    let v = validate(&r);
    assert!(
        !v.problems
            .iter()
            .any(|p| p.rule == "code_list" || p.rule == "place_provider"),
        "{:?}",
        v.problems
    );
    // A provider on a placement that takes none is flagged.
    r.episodes[0].place_provider = "PR1".into();
    assert!(validate(&r)
        .problems
        .iter()
        .any(|p| p.rule == "place_provider"));
}

#[test]
fn validator_uses_the_corrected_lists() {
    // D1 no longer stands in for a placement order under A5 (rule 408).
    for (place, ls, po_warning) in [("A5", "D1", true), ("A5", "E1", false)] {
        let v = validate(&returns_with(place, ls));
        assert!(
            !v.problems.iter().any(|p| p.rule == "code_list"),
            "{place} {ls}: {:?}",
            v.problems
        );
        let po = v
            .problems
            .iter()
            .any(|p| p.rule == "adoption_placement_without_po");
        assert_eq!(po, po_warning, "{place} {ls}");
    }
}

#[test]
fn special_guardianship_to_foster_carers_needs_a_foster_placement() {
    // Rule 516: E45/E46 end a U1–U6 placement; E47/E48 may end any.
    for (place, rec, flagged) in [
        ("U4", "E46", false),
        ("R1", "E46", true),
        ("R1", "E48", false),
    ] {
        let mut r = returns_with(place, "C2");
        r.episodes[0].dec = parse_date("01/09/2019");
        r.episodes[0].rec = rec.into();
        let hit = validate(&r)
            .problems
            .iter()
            .any(|p| p.rule == "sgo_former_foster_carer");
        assert_eq!(hit, flagged, "{place} {rec}");
    }
}
