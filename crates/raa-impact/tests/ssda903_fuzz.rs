//! Property tests: the reader never panics on arbitrary input, and never loses a row silently.
//!
//! Cases default to proptest's 256; run more with e.g. `PROPTEST_CASES=20000`.

use proptest::prelude::*;
use raa_impact::data::ssda903::read::{read_dir, ReadOptions};
use raa_impact::data::ssda903::validate::validate;
use raa_impact::data::ssda903::{dedup, Returns};
use raa_impact::Error;

const STEMS: [&str; 6] = [
    "episodes",
    "Header",
    "ad1",
    "placed_for_adoption",
    "PlacedAdoption",
    "uasc",
];
const FILE_RULES: [&str; 3] = ["empty_file", "not_csv", "missing_column"];

/// Write `bytes` as `<tmp>/316/2018/<stem>.csv`, read, validate and stack it; check invariants.
fn check(stem: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let folder = dir.path().join("316").join("2018");
    std::fs::create_dir_all(&folder).map_err(|e| TestCaseError::fail(e.to_string()))?;
    std::fs::write(folder.join(format!("{stem}.csv")), bytes)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let opts = ReadOptions {
        stack: false,
        ..ReadOptions::default()
    };
    match read_dir(dir.path(), &opts) {
        Ok(r) => check_returns(stem, r),
        Err(Error::Data { rule, .. }) => {
            prop_assert!(
                FILE_RULES.contains(&rule.as_str()),
                "unexpected rule {rule}"
            );
            Ok(())
        }
        Err(other) => Err(TestCaseError::fail(format!("untyped failure: {other}"))),
    }
}

fn check_returns(stem: &str, r: Returns) -> Result<(), TestCaseError> {
    if stem == "uasc" {
        prop_assert_eq!(r.skipped_files.len(), 1);
        prop_assert!(r.files.is_empty());
        return Ok(());
    }
    prop_assert_eq!(r.files.len(), 1);
    let kept = (r.header.len() + r.episodes.len() + r.ad1.len() + r.placed_adoption.len()) as u64;
    let ragged = r
        .read_problems
        .iter()
        .filter(|p| p.rule == "ragged_row")
        .count() as u64;
    prop_assert_eq!(
        kept + ragged,
        r.files[0].rows,
        "every data row is kept or reported"
    );
    let v = validate(&r);
    prop_assert!(v.problems.len() >= r.read_problems.len());
    let stacked = dedup::stack(r.clone());
    let s = &stacked.superseded;
    let dropped = s.header + s.episodes + s.ad1 + s.placed_adoption;
    let left = (stacked.header.len()
        + stacked.episodes.len()
        + stacked.ad1.len()
        + stacked.placed_adoption.len()) as u64;
    prop_assert_eq!(left + dropped, kept);
    let _ = validate(&stacked);
    Ok(())
}

/// Cells that exercise parsing: dates good and bad, codes, blanks, quotes, separators, unicode.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("01/04/2017".to_string()),
        Just("2017-04-01".to_string()),
        Just("31/02/2017".to_string()),
        Just("E1".to_string()),
        Just("A6".to_string()),
        Just("S".to_string()),
        Just("E11".to_string()),
        Just("X1".to_string()),
        Just("XXX".to_string()),
        Just("\"a,b\"".to_string()),
        Just("\"".to_string()),
        Just("316".to_string()),
        Just("2017-18".to_string()),
        "[0-9]{1,6}",
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{1,4}",
        "\\PC{0,8}",
        any::<String>(),
    ]
}

/// Column names: the real ones, misspellings, and noise.
fn column() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "CHILD",
            "SEX",
            "DOB",
            "ETHNIC",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
            "DATE_PLACED",
            "DATE_PLACED_CEASED",
            "REASON_PLACED_CEASED",
            "LA",
            "YEAR",
            "COLLECTION_YEAR",
            "SIBLING_GROUP",
            "DISABILITY",
            "DECOMM",
            "child",
            " Dob ",
        ])
        .prop_map(str::to_string),
        "[A-Z_]{1,10}",
    ]
}

/// A header of all the table's required columns (shuffled) plus random extras, or random columns.
fn csv_text() -> impl Strategy<Value = (String, String)> {
    let stem = prop::sample::select(STEMS.to_vec());
    (
        stem,
        prop::collection::vec(column(), 0..6),
        any::<bool>(),
        0usize..8,
        any::<u64>(),
    )
        .prop_flat_map(|(stem, extra, full, nrows, seed)| {
            let mut cols: Vec<String> = if full {
                required(stem).iter().map(|s| s.to_string()).collect()
            } else {
                vec![]
            };
            cols.extend(extra);
            // Deterministic shuffle from the generated seed keeps shrinking simple.
            let n = cols.len();
            for i in (1..n).rev() {
                cols.swap(
                    i,
                    (seed as usize).wrapping_mul(31).wrapping_add(i) % (i + 1),
                );
            }
            let width = cols.len().max(1);
            let rows = prop::collection::vec(
                prop::collection::vec(cell(), width.saturating_sub(1)..width + 2),
                nrows,
            );
            (Just(stem.to_string()), Just(cols.join(",")), rows).prop_map(|(stem, head, rows)| {
                let body: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
                (stem, format!("{head}\n{}\n", body.join("\n")))
            })
        })
}

fn required(stem: &str) -> &'static [&'static str] {
    use raa_impact::data::ssda903::{read::table_of_stem, Table};
    table_of_stem(stem).map_or(&[], Table::required_columns)
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(stem in prop::sample::select(STEMS.to_vec()), bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check(stem, &bytes)?;
    }

    #[test]
    fn csv_like_text_never_panics((stem, text) in csv_text()) {
        check(&stem, text.as_bytes())?;
    }

    #[test]
    fn csv_like_text_in_latin1_never_panics((stem, text) in csv_text()) {
        // Re-encode as Latin-1 where possible (chars above U+00FF become '?').
        let bytes: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
        check(&stem, &bytes)?;
    }
}

// ---- in-memory returns: validation and stacking never panic, and ignore row order ----------

use raa_impact::data::ssda903::{
    Ad1Row, EpisodeRow, FileInfo, HeaderRow, PlacedAdoptionRow, Source, Table,
};

fn date() -> impl Strategy<Value = Option<chrono::NaiveDate>> {
    prop_oneof![
        1 => Just(None),
        6 => (0i64..3000).prop_map(|d| chrono::NaiveDate::from_ymd_opt(2014, 1, 1).map(|b| b + chrono::Duration::days(d))),
    ]
}

fn code(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(pool.to_vec()).prop_map(str::to_string)
}

/// A source among 3 files, with a year that is usually plausible and sometimes absurd.
fn source() -> impl Strategy<Value = Source> {
    let year = prop_oneof![8 => 2015i32..2020, 1 => any::<i32>()];
    (
        0u32..3,
        1u64..50,
        prop::sample::select(vec!["316", "202"]),
        year,
    )
        .prop_map(|(file, row, la, year)| Source {
            file,
            row,
            la: la.into(),
            year,
        })
}

fn child() -> impl Strategy<Value = String> {
    code(&["1", "2", "3", ""])
}

fn episode() -> impl Strategy<Value = EpisodeRow> {
    (
        source(),
        child(),
        date(),
        code(&["S", "P", "L", "T", ""]),
        code(&["C2", "E1", "D1", "V2", "XX"]),
        code(&["U4", "A3", "A5", "A6", "K2", ""]),
        date(),
        code(&["", "X1", "E11", "E12", "E4A", "Z9"]),
    )
        .prop_map(|(src, child, decom, rne, ls, place, dec, rec)| EpisodeRow {
            src,
            child: child.into(),
            decom,
            rne: rne.into(),
            ls: ls.into(),
            cin: "N1".into(),
            place: place.into(),
            place_provider: "PR1".into(),
            dec,
            rec: rec.into(),
            reason_place_change: Default::default(),
            home_post: Default::default(),
            pl_post: Default::default(),
            urn: Default::default(),
        })
}

fn returns() -> impl Strategy<Value = Returns> {
    let header =
        (source(), child(), code(&["1", "2", "3"]), date()).prop_map(|(src, child, sex, dob)| {
            HeaderRow {
                src,
                child: child.into(),
                sex: sex.into(),
                dob,
                ethnic: "WBRI".into(),
                sibling_group: None,
                disability: None,
            }
        });
    let ad1 = (source(), child(), date(), date(), date()).prop_map(
        |(src, child, dob, date_int, date_match)| Ad1Row {
            src,
            child: child.into(),
            dob,
            date_int,
            date_match,
            foster_care: "0".into(),
            nb_adoptr: "1".into(),
            sex_adoptr: "F1".into(),
            ls_adoptr: "L0".into(),
        },
    );
    let pa = (source(), child(), date(), date(), code(&["", "RD1", "XXX"])).prop_map(
        |(src, child, date_placed, date_placed_ceased, reason_placed_ceased)| PlacedAdoptionRow {
            src,
            child: child.into(),
            dob: None,
            date_placed,
            date_placed_ceased,
            reason_placed_ceased: reason_placed_ceased.into(),
        },
    );
    (
        prop::collection::vec(header, 0..6),
        prop::collection::vec(episode(), 0..14),
        prop::collection::vec(ad1, 0..4),
        prop::collection::vec(pa, 0..4),
    )
        .prop_map(|(mut header, mut episodes, mut ad1, mut placed_adoption)| {
            // Unique (file, row) per table, as a reader produces.
            header
                .iter_mut()
                .enumerate()
                .for_each(|(i, x)| x.src.row = i as u64 + 1);
            episodes
                .iter_mut()
                .enumerate()
                .for_each(|(i, x)| x.src.row = i as u64 + 1);
            ad1.iter_mut()
                .enumerate()
                .for_each(|(i, x)| x.src.row = i as u64 + 1);
            placed_adoption
                .iter_mut()
                .enumerate()
                .for_each(|(i, x)| x.src.row = i as u64 + 1);
            Returns {
                files: ["b/episodes.csv", "a/header.csv", "c/ad1.csv"]
                    .iter()
                    .map(|p| FileInfo {
                        path: p.to_string(),
                        table: Table::Episodes,
                        la: "316".into(),
                        year: 2018,
                        rows: 0,
                        encoding: "utf-8".into(),
                    })
                    .collect(),
                header,
                episodes,
                ad1,
                placed_adoption,
                ..Returns::default()
            }
        })
}

proptest! {
    #[test]
    fn validation_and_stacking_of_arbitrary_rows(r in returns(), seed in any::<u64>()) {
        let v = validate(&r);
        prop_assert_eq!(v.invalid_episodes.len(), r.episodes.len());
        let stacked = dedup::stack(r.clone());
        let restacked = dedup::stack(stacked.clone());
        prop_assert_eq!(serde_json::to_string(&restacked).ok(), serde_json::to_string(&stacked).ok());
        // Reversing and rotating the rows changes neither the problems nor the stack.
        let mut moved = r.clone();
        moved.episodes.reverse();
        moved.header.reverse();
        let k = (seed as usize) % (moved.episodes.len().max(1));
        moved.episodes.rotate_left(k);
        prop_assert_eq!(&validate(&moved).problems, &v.problems);
        prop_assert_eq!(serde_json::to_string(&dedup::stack(moved)).ok(), serde_json::to_string(&stacked).ok());
        let _ = validate(&stacked);
    }
}
