//! Reading SSDA903 CSV files: the DfE-validator fake fixtures and hand-built edge cases.

use raa_impact::data::ssda903::read::{read_dir, read_paths, ReadOptions};
use raa_impact::data::ssda903::{Severity, Table};
use raa_impact::Error;
use std::path::{Path, PathBuf};

const FAKE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/ssda903_fake_csc_validator"
);

fn fake_opts() -> ReadOptions {
    ReadOptions {
        default_la: Some("999".into()),
        default_year: Some(2018),
        ..ReadOptions::default()
    }
}

fn write(dir: &Path, rel: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, content).unwrap();
    p
}

const EPISODES_HEAD: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

fn rule_of(e: &Error) -> (&str, &str) {
    match e {
        Error::Data { rule, message, .. } => (rule.as_str(), message.as_str()),
        other => panic!("expected a data error, got {other:?}"),
    }
}

#[test]
fn fake_fixtures_parse_completely() {
    let opts = ReadOptions {
        stack: false,
        ..fake_opts()
    };
    let r = read_dir(Path::new(FAKE), &opts).unwrap();
    // Row counts from `wc -l` minus the header line (SOURCE.md: 2,675 header, 5,050 episodes).
    assert_eq!(r.header.len(), 2675);
    assert_eq!(r.episodes.len(), 5050);
    assert_eq!(r.ad1.len(), 29);
    assert_eq!(r.placed_adoption.len(), 29);
    assert_eq!(r.files.len(), 4);
    let skipped: Vec<&str> = r
        .skipped_files
        .iter()
        .map(|s| s.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(skipped, ["missing.csv", "uasc.csv"]);
    assert!(r
        .files
        .iter()
        .all(|f| f.la == "999" && f.year == 2018 && f.encoding == "utf-8"));
    let children: std::collections::HashSet<&str> =
        r.episodes.iter().map(|e| e.child.as_str()).collect();
    assert_eq!(children.len(), 2123);
    // Dates parse: every episode has a DECOM in 2015-01..2018-03 (SOURCE.md says from 01/04/2015,
    // but the file starts in January 2015).
    let lo = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let hi = chrono::NaiveDate::from_ymd_opt(2018, 3, 31).unwrap();
    assert!(r
        .episodes
        .iter()
        .all(|e| e.decom.is_some_and(|d| d >= lo && d <= hi)));
    assert!(r
        .placed_adoption
        .iter()
        .all(|p| p.reason_placed_ceased == "XXX"));
    assert!(
        r.read_problems.iter().all(|p| p.rule != "ragged_row"),
        "{:?}",
        r.read_problems.first()
    );
    let first = &r.episodes[0];
    assert_eq!(
        (
            first.child.as_str(),
            first.place.as_str(),
            first.urn.as_str()
        ),
        ("566910", "T2", "4244474")
    );
}

#[test]
fn fixtures_without_la_or_year_are_refused_with_advice() {
    let err = read_dir(Path::new(FAKE), &ReadOptions::default()).unwrap_err();
    let (rule, msg) = rule_of(&err);
    assert_eq!(rule, "la_unknown");
    assert!(msg.contains("3-digit LA code"), "{msg}");
    let opts = ReadOptions {
        default_la: Some("316".into()),
        ..ReadOptions::default()
    };
    let err = read_dir(Path::new(FAKE), &opts).unwrap_err();
    assert_eq!(rule_of(&err).0, "year_unknown");
}

#[test]
fn canonical_layout_gives_la_and_year_and_sorted_files() {
    let d = tempfile::tempdir().unwrap();
    let row = "1,01/05/2017,S,C2,N1,U4,PR1,,,,,,\n";
    write(
        d.path(),
        "316/2018/Episodes.csv",
        format!("{EPISODES_HEAD}{row}").as_bytes(),
    );
    write(
        d.path(),
        "202/2017-18/episodes.csv",
        format!("{EPISODES_HEAD}{row}").as_bytes(),
    );
    write(d.path(), "202/2017-18/notes.txt", b"not read");
    write(d.path(), "202/2017-18/.hidden.csv", b"\0\0\0");
    let r = read_dir(d.path(), &ReadOptions::default()).unwrap();
    let las: Vec<(&str, i32)> = r.files.iter().map(|f| (f.la.as_str(), f.year)).collect();
    assert_eq!(las, [("202", 2018), ("316", 2018)]);
    assert_eq!(r.episodes.len(), 2);
    assert!(r.episodes.iter().all(|e| e.src.year == 2018));
    assert!(r.skipped_files.is_empty());
}

#[test]
fn la_and_year_columns_win_over_the_path() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "316/2018/header.csv",
        b"la, Child ,SEX,DOB,ETHNIC,YEAR\n845,1,1,01/01/2010,WBRI,2016-17\n,2,2,01/01/2011,WBRI,\n",
    );
    let r = read_paths(
        &[p],
        &ReadOptions {
            stack: false,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        (r.header[0].src.la.as_str(), r.header[0].src.year),
        ("845", 2017)
    );
    assert_eq!(
        (r.header[1].src.la.as_str(), r.header[1].src.year),
        ("316", 2018)
    );
    assert_eq!(r.files[0].la, "845");
    assert!(r.read_problems.is_empty(), "{:?}", r.read_problems);
}

#[test]
fn bad_la_and_year_cells_are_problems() {
    let d = tempfile::tempdir().unwrap();
    let body = b"LA,CHILD,SEX,DOB,ETHNIC,COLLECTION_YEAR\nNewham,1,1,01/01/2010,WBRI,last year\n";
    write(d.path(), "316/2018/header.csv", body);
    let r = read_dir(d.path(), &ReadOptions::default()).unwrap();
    let p: Vec<(&str, &str, &str, Severity)> = r
        .read_problems
        .iter()
        .map(|p| {
            (
                p.rule.as_str(),
                p.field.as_str(),
                p.value.as_str(),
                p.severity,
            )
        })
        .collect();
    let want = [
        ("la_code", "LA", "Newham", Severity::Warning),
        (
            "year_format",
            "COLLECTION_YEAR",
            "last year",
            Severity::Error,
        ),
    ];
    assert_eq!(p, want);
    // The LA is kept as written; the year falls back to the path's.
    assert_eq!(
        (r.header[0].src.la.as_str(), r.header[0].src.year),
        ("Newham", 2018)
    );
}

#[test]
fn bom_latin1_trimming_and_optional_flags() {
    let d = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBFCHILD,SEX,DOB,ETHNIC,SIBLING_GROUP,DISABILITY,EXTRA\n".to_vec();
    bytes.extend_from_slice(b" 7 , 1 , 02/03/2012 ,WBRI,Y,0,x\n8,2,03/03/2012,WBRI,maybe,,x\n");
    write(d.path(), "316/2018/header.csv", &bytes);
    write(d.path(), "316/2018/ad1.csv", b"CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\nJos\xE9,01/01/2012,01/02/2016,01/03/2016,0,1,F1,L0\n");
    let r = read_dir(d.path(), &ReadOptions::default()).unwrap();
    let enc: Vec<(&str, &str)> = r
        .files
        .iter()
        .map(|f| (f.path.rsplit('/').next().unwrap(), f.encoding.as_str()))
        .collect();
    assert_eq!(enc, [("ad1.csv", "latin-1"), ("header.csv", "utf-8-bom")]);
    assert_eq!(r.ad1[0].child, "José");
    let h = &r.header[0];
    assert_eq!((h.child.as_str(), h.sex.as_str()), ("7", "1"));
    assert_eq!(h.dob, chrono::NaiveDate::from_ymd_opt(2012, 3, 2));
    assert_eq!((h.sibling_group, h.disability), (Some(true), Some(false)));
    assert_eq!(
        (r.header[1].sibling_group, r.header[1].disability),
        (None, None)
    );
    let p: Vec<(&str, &str, Severity)> = r
        .read_problems
        .iter()
        .map(|p| (p.rule.as_str(), p.value.as_str(), p.severity))
        .collect();
    assert_eq!(p, [("bool_format", "maybe", Severity::Warning)]);
}

#[test]
fn missing_column_names_the_file_and_suggests_a_spelling() {
    let d = tempfile::tempdir().unwrap();
    let head = EPISODES_HEAD.replace("DECOM", "DECOMM");
    let p = write(d.path(), "316/2018/episodes.csv", head.as_bytes());
    let err = read_paths(std::slice::from_ref(&p), &ReadOptions::default()).unwrap_err();
    let Error::Data {
        location,
        rule,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(rule, "missing_column");
    assert_eq!(location.column.as_deref(), Some("DECOM"));
    assert_eq!(location.table.as_deref(), Some("Episodes"));
    assert_eq!(location.file.as_deref(), Some(p.to_str().unwrap()));
    assert!(
        message.contains("DECOMM — did you mean DECOM?"),
        "{message}"
    );
    assert!(
        message.contains("columns found: CHILD, DECOMM, RNE"),
        "{message}"
    );
}

#[test]
fn empty_and_non_csv_files_are_typed_errors() {
    let d = tempfile::tempdir().unwrap();
    let cases: [(&[u8], &str); 5] = [
        (b"", "empty_file"),
        (b"\xEF\xBB\xBF  \n\n", "empty_file"),
        (b"PK\x03\x04\0\0binary", "not_csv"),
        (b"hello world\nfoo", "not_csv"),
        (b"566910,15/02/2016,L,C2\n", "not_csv"),
    ];
    for (bytes, want) in cases {
        let p = write(d.path(), "316/2018/episodes.csv", bytes);
        let err = read_paths(&[p], &ReadOptions::default()).unwrap_err();
        assert_eq!(rule_of(&err).0, want, "{bytes:?}");
    }
    let err = read_paths(
        &[d.path().join("nope/episodes.csv")],
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
}

#[test]
fn ragged_rows_and_bad_dates_become_problems() {
    let d = tempfile::tempdir().unwrap();
    let body = format!("{EPISODES_HEAD}1,01/05/2017,S,C2,N1,U4,PR1,,,,,,\n2,01/05/2017,S\n3,31/02/2017,S,C2,N1,U4,PR1,,,,,,\n");
    write(d.path(), "316/2018/episodes.csv", body.as_bytes());
    let r = read_dir(d.path(), &ReadOptions::default()).unwrap();
    assert_eq!(r.files[0].rows, 3, "the ragged row is counted");
    assert_eq!(r.episodes.len(), 2, "and skipped");
    let p: Vec<(&str, u64, &str, &str)> = r
        .read_problems
        .iter()
        .map(|p| (p.rule.as_str(), p.row, p.field.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        p,
        [
            ("ragged_row", 2, "", "3"),
            ("date_format", 3, "DECOM", "31/02/2017")
        ]
    );
    assert_eq!(r.read_problems[1].child, "3");
    assert!(r.episodes[1].decom.is_none());
    // Strict mode raises the first error instead.
    let strict = ReadOptions {
        strict: true,
        ..ReadOptions::default()
    };
    let err = read_dir(d.path(), &strict).unwrap_err();
    let Error::Data { location, rule, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((rule.as_str(), location.row), ("ragged_row", Some(2)));
}

#[test]
fn placed_adoption_stems_are_recognised() {
    let d = tempfile::tempdir().unwrap();
    let body = b"CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n1,01/01/2015,01/06/2016,,\n";
    write(d.path(), "316/2017/PlacedAdoption.csv", body);
    write(d.path(), "316/2018/placed_adoption.csv", body);
    write(d.path(), "316/2019/placed_for_adoption.csv", body);
    let r = read_dir(
        d.path(),
        &ReadOptions {
            stack: false,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert!(r.files.iter().all(|f| f.table == Table::PlacedAdoption));
    assert_eq!(r.placed_adoption.len(), 3);
    let stacked = read_dir(d.path(), &ReadOptions::default()).unwrap();
    assert_eq!(stacked.placed_adoption.len(), 1);
    assert_eq!(stacked.placed_adoption[0].src.year, 2019);
    assert_eq!(stacked.superseded.placed_adoption, 2);
}

#[test]
fn bad_defaults_are_argument_errors() {
    let d = tempfile::tempdir().unwrap();
    for opts in [
        ReadOptions {
            default_year: Some(18),
            ..ReadOptions::default()
        },
        ReadOptions {
            default_la: Some(" ".into()),
            ..ReadOptions::default()
        },
    ] {
        let err = read_dir(d.path(), &opts).unwrap_err();
        assert!(matches!(err, Error::Argument { .. }), "{err:?}");
    }
}
