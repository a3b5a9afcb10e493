//! Write returns in the canonical layout `<root>/<la>/<year>/{header,episodes,ad1,placed_for_adoption}.csv`
//! with the DfE column names and `DD/MM/YYYY` dates.

use crate::data::date::{format_ssda903, Date};
use crate::data::ssda903::tables::{Returns, Source, Table};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Indices (into the `Returns` vectors) of the rows of one output file.
type FileKey = (String, i32, Table);

/// Write `returns` under `root`, one CSV per LA × collection year × table, files in parallel.
/// Every `(LA, year)` listed in `returns.files` gets all four files (header line only when empty).
/// Rows go to the file of their `Source` (LA, year), in the order of the vectors.
///
/// ```no_run
/// # fn main() -> raa_impact::Result<()> {
/// let e = raa_impact::synthetic::england(&Default::default())?;
/// raa_impact::synthetic::write_returns(&e.returns, std::path::Path::new("/tmp/england"))?;
/// # Ok(()) }
/// ```
pub fn write_returns(returns: &Returns, root: &Path) -> Result<()> {
    let mut files: BTreeMap<FileKey, Vec<usize>> = BTreeMap::new();
    for f in &returns.files {
        for t in Table::ALL {
            files.entry((f.la.clone(), f.year, t)).or_default();
        }
    }
    // Rows normally point at their own entry of `returns.files`: use that index directly and fall
    // back to the (LA, year, table) key when it does not match.
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); returns.files.len()];
    let mut place = |t: Table, i: usize, src: &Source| {
        let own = returns
            .files
            .get(src.file as usize)
            .filter(|f| f.table == t && f.year == src.year && f.la == src.la);
        match own {
            Some(_) => by_file[src.file as usize].push(i),
            None => files
                .entry((src.la.to_string(), src.year, t))
                .or_default()
                .push(i),
        }
    };
    returns
        .header
        .iter()
        .enumerate()
        .for_each(|(i, r)| place(Table::Header, i, &r.src));
    returns
        .episodes
        .iter()
        .enumerate()
        .for_each(|(i, r)| place(Table::Episodes, i, &r.src));
    returns
        .ad1
        .iter()
        .enumerate()
        .for_each(|(i, r)| place(Table::Ad1, i, &r.src));
    returns
        .placed_adoption
        .iter()
        .enumerate()
        .for_each(|(i, r)| place(Table::PlacedAdoption, i, &r.src));
    for (f, rows) in returns.files.iter().zip(by_file) {
        let list = files.entry((f.la.clone(), f.year, f.table)).or_default();
        list.extend(rows);
        list.sort_unstable();
    }
    files.par_iter().try_for_each(|((la, year, table), rows)| {
        let dir = root.join(la).join(year.to_string());
        write_file(&dir, *table, |w| write_rows(w, returns, *table, rows))
    })
}

type CsvOut = csv::Writer<std::io::BufWriter<std::fs::File>>;

fn write_rows(w: &mut CsvOut, r: &Returns, table: Table, rows: &[usize]) -> csv::Result<()> {
    for &i in rows {
        match table {
            Table::Header => {
                let x = &r.header[i];
                let flag = |b: Option<bool>| b.map(|v| if v { "1" } else { "0" }).unwrap_or("");
                w.write_record([
                    x.child.as_str(),
                    &x.sex,
                    DateText::new(x.dob).as_str(),
                    &x.ethnic,
                    "",
                    "",
                    "",
                    flag(x.sibling_group),
                    flag(x.disability),
                ])?;
            }
            Table::Episodes => {
                let x = &r.episodes[i];
                w.write_record([
                    x.child.as_str(),
                    DateText::new(x.decom).as_str(),
                    &x.rne,
                    &x.ls,
                    &x.cin,
                    &x.place,
                    &x.place_provider,
                    DateText::new(x.dec).as_str(),
                    &x.rec,
                    &x.reason_place_change,
                    &x.home_post,
                    &x.pl_post,
                    &x.urn,
                ])?;
            }
            Table::Ad1 => {
                let x = &r.ad1[i];
                w.write_record([
                    x.child.as_str(),
                    DateText::new(x.dob).as_str(),
                    DateText::new(x.date_int).as_str(),
                    DateText::new(x.date_match).as_str(),
                    &x.foster_care,
                    &x.nb_adoptr,
                    &x.sex_adoptr,
                    &x.ls_adoptr,
                ])?;
            }
            Table::PlacedAdoption => {
                let x = &r.placed_adoption[i];
                w.write_record([
                    x.child.as_str(),
                    DateText::new(x.dob).as_str(),
                    DateText::new(x.date_placed).as_str(),
                    DateText::new(x.date_placed_ceased).as_str(),
                    &x.reason_placed_ceased,
                ])?;
            }
        }
    }
    Ok(())
}

/// A date written `DD/MM/YYYY` without a heap allocation (millions of dates are written).
enum DateText {
    Blank,
    Fast([u8; 10]),
    /// Years outside 1000–9999 (never generated) take the general formatter.
    Slow(String),
}

impl DateText {
    fn new(d: Option<Date>) -> Self {
        use chrono::Datelike;
        let Some(d) = d else { return DateText::Blank };
        let y = d.year();
        if !(1000..=9999).contains(&y) {
            return DateText::Slow(format_ssda903(d));
        }
        let digit = |v: u32| b'0' + (v % 10) as u8;
        let (dd, mm, y) = (d.day(), d.month(), y as u32);
        DateText::Fast([
            digit(dd / 10),
            digit(dd),
            b'/',
            digit(mm / 10),
            digit(mm),
            b'/',
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
        ])
    }

    fn as_str(&self) -> &str {
        match self {
            DateText::Blank => "",
            DateText::Fast(b) => std::str::from_utf8(b).unwrap_or(""),
            DateText::Slow(s) => s,
        }
    }
}

fn write_file(
    dir: &Path,
    table: Table,
    body: impl FnOnce(&mut CsvOut) -> csv::Result<()>,
) -> Result<()> {
    let path = dir.join(format!("{}.csv", table.file_stem()));
    let shown = path.display().to_string();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let file = std::fs::File::create(&path).map_err(|e| Error::io(&shown, e))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 16, file));
    let csv_err = |e: csv::Error| Error::io(&shown, std::io::Error::other(e.to_string()));
    w.write_record(table.columns()).map_err(csv_err)?;
    body(&mut w).map_err(csv_err)?;
    let mut inner = w
        .into_inner()
        .map_err(|e| Error::io(&shown, std::io::Error::other(e.to_string())))?;
    inner.flush().map_err(|e| Error::io(&shown, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_text_matches_format_ssda903() {
        for (y, m, d) in [(2017, 4, 1), (2024, 3, 31), (1999, 12, 9), (2020, 2, 29)] {
            let date = Date::from_ymd_opt(y, m, d).expect("valid");
            assert_eq!(DateText::new(Some(date)).as_str(), format_ssda903(date));
        }
        assert_eq!(DateText::new(None).as_str(), "");
        let far = Date::from_ymd_opt(12000, 1, 2).expect("valid");
        assert_eq!(DateText::new(Some(far)).as_str(), format_ssda903(far));
    }
}
