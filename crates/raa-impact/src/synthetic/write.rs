//! Write returns in the canonical layout `<root>/<la>/<year>/{header,episodes,ad1,placed_for_adoption}.csv`
//! with the DfE column names and `DD/MM/YYYY` dates.

// The crate's shared `Error` is large; boxing it is a crate-wide decision, not this module's.
#![allow(clippy::result_large_err)]

use crate::data::date::{format_ssda903, Date};
use crate::data::ssda903::tables::{Returns, Source, Table};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Column names written per table.
pub const HEADER_COLUMNS: [&str; 9] = [
    "CHILD",
    "SEX",
    "DOB",
    "ETHNIC",
    "UPN",
    "MOTHER",
    "MC_DOB",
    "SIBLING_GROUP",
    "DISABILITY",
];
pub const EPISODE_COLUMNS: [&str; 13] = [
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
];
pub const AD1_COLUMNS: [&str; 8] = [
    "CHILD",
    "DOB",
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
];
pub const PLACED_ADOPTION_COLUMNS: [&str; 5] = [
    "CHILD",
    "DOB",
    "DATE_PLACED",
    "DATE_PLACED_CEASED",
    "REASON_PLACED_CEASED",
];

/// One output file: its table and the CSV records (already formatted).
type FileKey = (String, i32, Table);

/// Write `returns` under `root`, one CSV per LA × collection year × table, files in parallel.
/// Every `(LA, year)` listed in `returns.files` gets all four files (header line only when empty).
///
/// ```no_run
/// # fn main() -> raa_impact::Result<()> {
/// let e = raa_impact::synthetic::england(&Default::default())?;
/// raa_impact::synthetic::write_returns(&e.returns, std::path::Path::new("/tmp/england"))?;
/// # Ok(()) }
/// ```
pub fn write_returns(returns: &Returns, root: &Path) -> Result<()> {
    let mut files: BTreeMap<FileKey, Vec<Vec<String>>> = BTreeMap::new();
    for f in &returns.files {
        for t in Table::ALL {
            files.entry((f.la.clone(), f.year, t)).or_default();
        }
    }
    let mut add = |src: &Source, t: Table, rec: Vec<String>| {
        files
            .entry((src.la.clone(), src.year, t))
            .or_default()
            .push(rec)
    };
    for r in &returns.header {
        let flag = |b: Option<bool>| {
            b.map(|x| if x { "1" } else { "0" })
                .unwrap_or("")
                .to_string()
        };
        add(
            &r.src,
            Table::Header,
            vec![
                r.child.clone(),
                r.sex.clone(),
                fmt(r.dob),
                r.ethnic.clone(),
                String::new(),
                String::new(),
                String::new(),
                flag(r.sibling_group),
                flag(r.disability),
            ],
        );
    }
    for r in &returns.episodes {
        add(
            &r.src,
            Table::Episodes,
            vec![
                r.child.clone(),
                fmt(r.decom),
                r.rne.clone(),
                r.ls.clone(),
                r.cin.clone(),
                r.place.clone(),
                r.place_provider.clone(),
                fmt(r.dec),
                r.rec.clone(),
                r.reason_place_change.clone(),
                r.home_post.clone(),
                r.pl_post.clone(),
                r.urn.clone(),
            ],
        );
    }
    for r in &returns.ad1 {
        add(
            &r.src,
            Table::Ad1,
            vec![
                r.child.clone(),
                fmt(r.dob),
                fmt(r.date_int),
                fmt(r.date_match),
                r.foster_care.clone(),
                r.nb_adoptr.clone(),
                r.sex_adoptr.clone(),
                r.ls_adoptr.clone(),
            ],
        );
    }
    for r in &returns.placed_adoption {
        add(
            &r.src,
            Table::PlacedAdoption,
            vec![
                r.child.clone(),
                fmt(r.dob),
                fmt(r.date_placed),
                fmt(r.date_placed_ceased),
                r.reason_placed_ceased.clone(),
            ],
        );
    }
    files.par_iter().try_for_each(|((la, year, table), rows)| {
        write_file(&root.join(la).join(year.to_string()), *table, rows)
    })
}

fn fmt(d: Option<Date>) -> String {
    d.map(format_ssda903).unwrap_or_default()
}

fn columns(t: Table) -> &'static [&'static str] {
    match t {
        Table::Header => &HEADER_COLUMNS,
        Table::Episodes => &EPISODE_COLUMNS,
        Table::Ad1 => &AD1_COLUMNS,
        Table::PlacedAdoption => &PLACED_ADOPTION_COLUMNS,
    }
}

fn write_file(dir: &Path, table: Table, rows: &[Vec<String>]) -> Result<()> {
    let path: PathBuf = dir.join(format!("{}.csv", table.file_stem()));
    let shown = path.display().to_string();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let file = std::fs::File::create(&path).map_err(|e| Error::io(&shown, e))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 16, file));
    let csv_err = |e: csv::Error| Error::io(&shown, std::io::Error::other(e.to_string()));
    w.write_record(columns(table)).map_err(csv_err)?;
    for r in rows {
        w.write_record(r).map_err(csv_err)?;
    }
    let mut inner = w
        .into_inner()
        .map_err(|e| Error::io(&shown, std::io::Error::other(e.to_string())))?;
    inner.flush().map_err(|e| Error::io(&shown, e))
}
