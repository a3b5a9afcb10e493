//! `write_returns` writes the canonical layout with the DfE columns and DD/MM/YYYY dates
//! (re-read here with the csv crate; the library's own reader is tested elsewhere).

use raa_impact::data::date::format_ssda903;
use raa_impact::synthetic::{default_las, england_with, write_returns, SyntheticConfig};

fn read(path: &std::path::Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head = r
        .headers()
        .expect("header line")
        .iter()
        .map(str::to_string)
        .collect();
    (head, r.records().map(|x| x.expect("record")).collect())
}

#[test]
fn writes_every_file_with_dfe_columns_and_the_rows_given() {
    let las: Vec<_> = default_las().into_iter().take(3).collect();
    let cfg = SyntheticConfig {
        scale: 0.05,
        first_year: 2019,
        last_year: 2020,
        ..Default::default()
    };
    let e = england_with(&cfg, las).expect("generates");
    let dir = tempfile::tempdir().expect("tempdir");
    write_returns(&e.returns, dir.path()).expect("writes");

    for f in &e.returns.files {
        let (head, rows) = read(&dir.path().join(&f.path));
        assert_eq!(rows.len() as u64, f.rows, "{}", f.path);
        let want: &[&str] = match f.table {
            raa_impact::data::ssda903::tables::Table::Header => &[
                "CHILD",
                "SEX",
                "DOB",
                "ETHNIC",
                "UPN",
                "MOTHER",
                "MC_DOB",
                "SIBLING_GROUP",
                "DISABILITY",
            ],
            raa_impact::data::ssda903::tables::Table::Episodes => &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            raa_impact::data::ssda903::tables::Table::Ad1 => &[
                "CHILD",
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ],
            raa_impact::data::ssda903::tables::Table::PlacedAdoption => &[
                "CHILD",
                "DOB",
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "REASON_PLACED_CEASED",
            ],
        };
        assert_eq!(head, want, "{}", f.path);
    }

    // Episodes of the first LA's first year, field by field.
    let first = &e.returns.files[1];
    let (_, rows) = read(&dir.path().join(&first.path));
    let eps: Vec<_> = e
        .returns
        .episodes
        .iter()
        .filter(|r| r.src.la == first.la && r.src.year == first.year)
        .collect();
    assert!(!eps.is_empty());
    for (row, ep) in rows.iter().zip(&eps) {
        assert_eq!(&row[0], ep.child);
        assert_eq!(
            row[1].to_string(),
            ep.decom.map(format_ssda903).unwrap_or_default()
        );
        assert_eq!(
            (&row[2], &row[3], &row[5], &row[6], &row[8]),
            (
                ep.rne.as_str(),
                ep.ls.as_str(),
                ep.place.as_str(),
                ep.place_provider.as_str(),
                ep.rec.as_str()
            )
        );
        assert_eq!(
            row[7].to_string(),
            ep.dec.map(format_ssda903).unwrap_or_default()
        );
        assert!(
            row[1].len() == 10 && &row[1][2..3] == "/" && &row[1][5..6] == "/",
            "DD/MM/YYYY: {}",
            &row[1]
        );
    }

    // Header flags are written 1/0.
    let h = &e.returns.files[0];
    let (_, rows) = read(&dir.path().join(&h.path));
    assert!(rows
        .iter()
        .all(|r| matches!(&r[7], "0" | "1") && matches!(&r[8], "0" | "1")));
    assert!(rows.iter().any(|r| &r[7] == "1"));
}

#[test]
fn an_unwritable_root_is_an_io_error() {
    let las: Vec<_> = default_las().into_iter().take(1).collect();
    let cfg = SyntheticConfig {
        scale: 0.01,
        first_year: 2020,
        last_year: 2020,
        ..Default::default()
    };
    let e = england_with(&cfg, las).expect("generates");
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let err = write_returns(&e.returns, &blocker).expect_err("cannot create folders under a file");
    assert!(matches!(err, raa_impact::Error::Io { .. }), "{err}");
}
