//! Reading SSDA903 CSV returns from files and folders.
//!
//! # What is read
//! The table of a file is recognised from its file stem, ignoring case, separators (`_`, `-`,
//! `.`, space) and purely numeric tokens (so `316_Episodes_2018.csv` is an Episodes file):
//!
//! | table            | stems                                                   |
//! |------------------|---------------------------------------------------------|
//! | Header           | `header`                                                |
//! | Episodes         | `episodes`                                              |
//! | AD1              | `ad1`                                                   |
//! | PlacedAdoption   | `placed_for_adoption`, `placedadoption`, `placed_adoption` |
//!
//! Other CSV files (`uasc.csv`, `missing.csv`, ...) are not read and are listed in
//! [`Returns::skipped_files`]. [`read_dir`] walks a folder tree, considers files ending in `.csv`
//! (any case), skips hidden files and folders (names starting with `.`, such as macOS `._x.csv`)
//! and does not follow symbolic links to folders. Paths are sorted, so the result does not depend
//! on the order of the file system.
//!
//! # Local authority and collection year
//! Per row, from the columns `LA` (the DfE 3-digit code) and `YEAR` or `COLLECTION_YEAR` when the
//! file has them and the cell is not blank. Otherwise from the path, by this convention: the path
//! components are searched nearest first (the file stem, then its folder, then that folder's
//! parent, ...), each split into tokens on `_`, `-`, `.` and space. The first token of exactly
//! three digits is the LA code; the first 4-digit token between 2000 and 2100 is the collection
//! year (the year in which the 1 April – 31 March reporting year ends). `2017-18`, `2017_2018` and
//! `201718` all mean 2018. The canonical layout is `<root>/<la>/<year>/<stem>.csv`. When neither
//! gives an answer, [`ReadOptions::default_la`] / [`ReadOptions::default_year`] are used; failing
//! those the read stops with an [`Error::Data`] naming the file (rule `la_unknown` or
//! `year_unknown`). [`FileInfo::la`] / [`FileInfo::year`] hold the first data row's values (or the
//! path's, for a file without rows; `""` / `0` when a file has an `LA`/`YEAR` column, no rows and
//! no path convention).
//!
//! # Cells
//! Bytes are decoded as UTF-8 (with or without a byte-order mark) or, when they are not valid
//! UTF-8, as Latin-1. Column names are trimmed and matched ignoring case; unknown columns are
//! ignored. Every cell is trimmed. Codes are kept as written; dates are parsed with
//! [`parse_date`]. Row numbers are 1-based data rows (the header line is row 0).
//!
//! # Problems and errors
//! File-level faults stop the read with [`Error::Data`]: `empty_file` (no bytes or no header
//! line), `not_csv` (NUL bytes, or a header line with no column of the table),
//! `missing_column` (the message lists the columns found and suggests the closest expected name
//! for a misspelling), `la_unknown`, `year_unknown`. Row-level faults become read problems in
//! [`Returns::read_problems`] and the read goes on:
//!
//! | rule          | severity | what                                                            |
//! |---------------|----------|-----------------------------------------------------------------|
//! | `ragged_row`  | Error    | a row with a different number of fields than the header; skipped (counted in [`FileInfo::rows`]) |
//! | `date_format` | Error    | a non-blank date that does not parse; the date is read as blank |
//! | `bool_format` | Warning  | `SIBLING_GROUP`/`DISABILITY` not one of 1/0/Y/N/yes/no/true/false; read as blank |
//! | `la_code`     | Warning  | an `LA` cell that is not three digits (kept as written)          |
//! | `year_format` | Error    | a `YEAR` cell that is not a collection year; the path's year is used |
//!
//! With [`ReadOptions::strict`] the first error-severity read problem (in sorted file order, then
//! row order) is raised as an [`Error::Data`] instead.
//!
//! # Stacking
//! By default ([`ReadOptions::stack`] = `true`) the read functions return stacked returns: see
//! [`crate::data::ssda903::dedup::stack`]. Set `stack: false` to get every row of every file.
//!
//! ```no_run
//! use raa_impact::data::ssda903::read::{read_dir, ReadOptions};
//! let returns = read_dir("returns/".as_ref(), &ReadOptions::default())?;
//! println!("{} episodes from {} files", returns.episodes.len(), returns.files.len());
//! # Ok::<(), raa_impact::Error>(())
//! ```

// `Error` is the crate's shared error type (a location with four optional strings); boxing it
// is the crate's decision, not this module's.

use super::dedup;
use super::problem::{Problem, Severity};
use super::tables::{
    Ad1Row, CompactString, EpisodeRow, FileInfo, HeaderRow, PlacedAdoptionRow, Returns, Source,
    Table,
};
use crate::data::date::{parse_date, Date};
use crate::error::{Error, Location, Result};
use csv::ByteRecord;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Options of [`read_paths`] and [`read_dir`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// LA code used when neither an `LA` column nor the path gives one.
    pub default_la: Option<String>,
    /// Collection year used when neither a `YEAR` column nor the path gives one.
    pub default_year: Option<i32>,
    /// Raise the first error-severity read problem as an [`Error::Data`] instead of collecting it.
    pub strict: bool,
    /// Stack the returns ([`dedup::stack`]): keep the latest version of repeated records.
    pub stack: bool,
}

impl Default for ReadOptions {
    /// No defaults for LA and year, not strict, stacked.
    fn default() -> Self {
        ReadOptions {
            default_la: None,
            default_year: None,
            strict: false,
            stack: true,
        }
    }
}

/// Read every SSDA903 CSV file under `root` (recursively). See the module documentation.
pub fn read_dir(root: &Path, opts: &ReadOptions) -> Result<Returns> {
    read_paths(&[root.to_path_buf()], opts)
}

/// Read the given files; a folder among `paths` is walked as by [`read_dir`]. Files are read in
/// parallel and concatenated in sorted path order, so the result is deterministic.
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions) -> Result<Returns> {
    check_options(opts)?;
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p.display().to_string(), e))?;
        if meta.is_dir() {
            walk(p, &mut files)?;
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    let mut returns = Returns::default();
    let mut tables = Vec::new();
    for f in files {
        match f
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(table_of_stem)
        {
            Some(t) => tables.push((f, t)),
            None => returns.skipped_files.push(f.display().to_string()),
        }
    }
    if opts.stack {
        // Stacking orders files by their path as text (`dedup::stack` sorts `Returns::files`
        // so): read them in that order so that no row needs renumbering afterwards. Stable, so
        // paths that print alike keep the order `stack` would give them.
        tables.sort_by_cached_key(|(p, _)| p.display().to_string());
    }
    let reads: Vec<Result<FileRead>> = tables
        .par_iter()
        .enumerate()
        .map(|(i, (path, table))| read_file(path, *table, file_index(i)?, opts))
        .collect();
    let reads = reads.into_iter().collect::<Result<Vec<FileRead>>>()?;
    if !opts.stack {
        reserve(&mut returns, &reads);
        for r in reads {
            r.append_to(&mut returns);
        }
        return Ok(returns);
    }
    Ok(stack_reads(returns, reads))
}

/// Stack the files read (as [`dedup::stack`] of their concatenation would), moving only the
/// rows that survive. The files are in path-text order already (see [`read_paths`]).
fn stack_reads(mut returns: Returns, reads: Vec<FileRead>) -> Returns {
    let mut parts = dedup::TableParts::default();
    returns.files.reserve(reads.len());
    for mut r in reads {
        returns.files.extend(r.info);
        returns.read_problems.append(&mut r.problems);
        parts.header.push(r.header);
        parts.episodes.push(r.episodes);
        parts.ad1.push(r.ad1);
        parts.placed_adoption.push(r.placed_adoption);
    }
    dedup::stack_parts(returns, parts)
}

fn check_options(opts: &ReadOptions) -> Result<()> {
    if let Some(y) = opts.default_year {
        if !(2000..=2100).contains(&y) {
            let msg =
                format!("{y} is not a collection year: expected 2000–2100, e.g. 2018 for 2017-18");
            return Err(Error::argument("default_year", msg));
        }
    }
    if opts
        .default_la
        .as_deref()
        .is_some_and(|la| la.trim().is_empty())
    {
        return Err(Error::argument(
            "default_la",
            "expected a DfE 3-digit LA code, not blank",
        ));
    }
    Ok(())
}

/// Reserve the concatenated tables once: growing a vector of a million rows step by step
/// copies it several times.
fn reserve(r: &mut Returns, reads: &[FileRead]) {
    let sum = |f: fn(&FileRead) -> usize| reads.iter().map(f).sum::<usize>();
    r.files.reserve(reads.len());
    r.header.reserve(sum(|x| x.header.len()));
    r.episodes.reserve(sum(|x| x.episodes.len()));
    r.ad1.reserve(sum(|x| x.ad1.len()));
    r.placed_adoption.reserve(sum(|x| x.placed_adoption.len()));
    r.read_problems.reserve(sum(|x| x.problems.len()));
}

fn file_index(i: usize) -> Result<u32> {
    u32::try_from(i).map_err(|_| Error::argument("paths", "more than 4 billion files"))
}

/// Collect `.csv` files under `dir`, skipping hidden entries and symlinked folders.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let io = |e| Error::io(dir.display().to_string(), e);
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let ft = entry.file_type().map_err(io)?;
        if ft.is_dir() {
            walk(&path, out)?;
        } else if is_csv_name(&name) && (ft.is_file() || path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_csv_name(name: &str) -> bool {
    // Bytes, not a str slice: the name may end in a multi-byte character.
    let b = name.as_bytes();
    b.len() > 4 && b[b.len() - 4..].eq_ignore_ascii_case(b".csv")
}

/// The table a file stem names, if any (see the module documentation).
///
/// ```
/// use raa_impact::data::ssda903::{read::table_of_stem, Table};
/// assert_eq!(table_of_stem("PlacedAdoption"), Some(Table::PlacedAdoption));
/// assert_eq!(table_of_stem("316_Episodes_2017-18"), Some(Table::Episodes));
/// assert_eq!(table_of_stem("uasc"), None);
/// ```
pub fn table_of_stem(stem: &str) -> Option<Table> {
    let key: String = tokens(stem)
        .filter(|t| !t.bytes().all(|b| b.is_ascii_digit()))
        .collect::<Vec<_>>()
        .concat()
        .to_ascii_lowercase();
    match key.as_str() {
        "header" => Some(Table::Header),
        "episodes" => Some(Table::Episodes),
        "ad1" => Some(Table::Ad1),
        "placedforadoption" | "placedadoption" => Some(Table::PlacedAdoption),
        _ => None,
    }
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(['_', '-', '.', ' ']).filter(|t| !t.is_empty())
}

/// LA code and collection year given by a path, by the convention of the module documentation.
///
/// ```
/// use raa_impact::data::ssda903::read::la_year_from_path;
/// let (la, year) = la_year_from_path("returns/316/2017-18/episodes.csv".as_ref());
/// assert_eq!((la.as_deref(), year), (Some("316"), Some(2018)));
/// ```
pub fn la_year_from_path(path: &Path) -> (Option<String>, Option<i32>) {
    let mut parts: Vec<String> = Vec::new();
    if let Some(stem) = path.file_stem() {
        parts.push(stem.to_string_lossy().into_owned());
    }
    if let Some(parent) = path.parent() {
        for c in parent.components().rev() {
            if let std::path::Component::Normal(s) = c {
                parts.push(s.to_string_lossy().into_owned());
            }
        }
    }
    let (mut la, mut year) = (None, None);
    for part in &parts {
        let toks: Vec<&str> = tokens(part).collect();
        if la.is_none() {
            la = toks
                .iter()
                .find(|t| t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()))
                .map(|t| t.to_string());
        }
        if year.is_none() {
            year = year_in_tokens(&toks);
        }
    }
    (la, year)
}

/// A collection year among path tokens: a `YYYY`+`YY`/`YYYY` pair of consecutive years first
/// (`2017-18` is 2018), then a single `YYYYYY` or `YYYY` token.
fn year_in_tokens(toks: &[&str]) -> Option<i32> {
    for (i, t) in toks.iter().enumerate() {
        if let Some(y) = parse_collection_year(t) {
            let next = toks.get(i + 1).and_then(|n| second_year(y, n));
            return Some(next.unwrap_or(y));
        }
    }
    None
}

/// `second` completes a span starting in `first` (`18` or `2018` after `2017`).
fn second_year(first: i32, second: &str) -> Option<i32> {
    let n: i32 = digits(second)?;
    let ok = match second.len() {
        2 => n == (first + 1) % 100,
        4 => n == first + 1,
        _ => false,
    };
    ok.then_some(first + 1)
}

fn digits(s: &str) -> Option<i32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parse a collection year written `2018`, `2017-18`, `2017/18`, `2017_2018` or `201718`
/// (all 2018). Years outside 2000–2100 are rejected.
///
/// ```
/// use raa_impact::data::ssda903::read::parse_collection_year;
/// assert_eq!(parse_collection_year("2017-18"), Some(2018));
/// assert_eq!(parse_collection_year("201718"), Some(2018));
/// assert_eq!(parse_collection_year("2017-19"), None);
/// ```
pub fn parse_collection_year(s: &str) -> Option<i32> {
    let s = s.trim();
    let in_range = |y: i32| (2000..=2100).contains(&y).then_some(y);
    if s.len() == 4 {
        return digits(s).and_then(in_range);
    }
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        let first = digits(&s[..4]).and_then(in_range)?;
        return second_year(first, &s[4..]).and_then(in_range);
    }
    let mut parts = s.split(['-', '/', '_']);
    let (a, b) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || a.len() != 4 {
        return None;
    }
    second_year(digits(a).and_then(in_range)?, b).and_then(in_range)
}

/// Rows and problems read from one file.
#[derive(Default)]
struct FileRead {
    info: Option<FileInfo>,
    header: Vec<HeaderRow>,
    episodes: Vec<EpisodeRow>,
    ad1: Vec<Ad1Row>,
    placed_adoption: Vec<PlacedAdoptionRow>,
    problems: Vec<Problem>,
}

impl FileRead {
    /// Room for `rows` rows of `table`: sized once from the line count, the vector is not
    /// regrown (each regrowth copies the rows and touches fresh memory).
    fn reserve(&mut self, table: Table, rows: usize) {
        match table {
            Table::Header => self.header.reserve_exact(rows),
            Table::Episodes => self.episodes.reserve_exact(rows),
            Table::Ad1 => self.ad1.reserve_exact(rows),
            Table::PlacedAdoption => self.placed_adoption.reserve_exact(rows),
        }
    }

    fn append_to(mut self, r: &mut Returns) {
        r.files.extend(self.info.take());
        r.header.append(&mut self.header);
        r.episodes.append(&mut self.episodes);
        r.ad1.append(&mut self.ad1);
        r.placed_adoption.append(&mut self.placed_adoption);
        r.read_problems.append(&mut self.problems);
    }
}

/// The rows to reserve for `text`: its line count (an upper bound on its data rows), capped so
/// that a file of blank lines cannot make the reader reserve memory for millions of rows.
fn line_count(text: &str) -> usize {
    const CAP: usize = 1 << 20;
    let lines = text.as_bytes().iter().filter(|&&b| b == b'\n').count() + 1;
    lines.min(CAP)
}

/// Decode file bytes: UTF-8 (BOM stripped) or Latin-1. Returns the text and the encoding name.
fn decode(mut bytes: Vec<u8>) -> (String, &'static str) {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if bom {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, if bom { "utf-8-bom" } else { "utf-8" }),
        // Latin-1 maps each byte to the code point of the same value.
        Err(e) => (
            e.into_bytes().iter().map(|&b| b as char).collect(),
            "latin-1",
        ),
    }
}

fn file_error(file: &str, table: Table, rule: &str, message: String) -> Error {
    let location = Location {
        file: Some(file.to_string()),
        table: Some(table.name().to_string()),
        ..Location::default()
    };
    Error::data(location, rule, message)
}

fn read_file(path: &Path, table: Table, index: u32, opts: &ReadOptions) -> Result<FileRead> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::io(name.clone(), e))?;
    if bytes.contains(&0) {
        let msg = "the file holds NUL bytes: it is not a CSV text file".to_string();
        return Err(file_error(&name, table, "not_csv", msg));
    }
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        let msg = format!("the file is empty: expected a header line with the {table} columns");
        return Err(file_error(&name, table, "empty_file", msg));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = ByteRecord::new();
    let has_header = next_record(&mut rdr, &mut rec, &name, table)?;
    if !has_header {
        let msg = format!("no header line: expected the {table} columns");
        return Err(file_error(&name, table, "empty_file", msg));
    }
    let cols = Columns::from_header(&rec, table, &name)?;
    let (path_la, path_year) = la_year_from_path(path);
    let ctx = FileCtx {
        name: &name,
        table,
        index,
        la: path_la.or_else(|| opts.default_la.clone()),
        year: path_year.or(opts.default_year),
        strict: opts.strict,
    };
    ctx.check_la_year_known(&cols)?;
    let mut out = FileRead::default();
    out.reserve(table, line_count(&text));
    let mut problems = Vec::new();
    let mut rows: u64 = 0;
    let mut first: Option<(String, i32)> = None;
    let mut sink = Sink::new(&ctx, &mut problems);
    while next_record(&mut rdr, &mut rec, &name, table)? {
        rows += 1;
        sink.start_row(rows);
        if rec.len() != cols.width {
            sink.ragged(rec.len(), cols.width)?;
            continue;
        }
        let src = ctx.source(&rec, &cols, &mut sink)?;
        if first.is_none() {
            first = Some((src.la.to_string(), src.year));
        }
        push_row(&mut out, &rec, &cols, src, &mut sink)?;
    }
    drop(sink);
    let (la, year) =
        first.unwrap_or_else(|| (ctx.la.clone().unwrap_or_default(), ctx.year.unwrap_or(0)));
    out.problems = problems;
    out.info = Some(FileInfo {
        path: name.clone(),
        table,
        la,
        year,
        rows,
        encoding: encoding.to_string(),
    });
    Ok(out)
}

/// The next CSV record; `false` at the end. The csv crate cannot fail on in-memory text with
/// flexible rows, but an error is reported rather than ending the file early.
fn next_record(
    rdr: &mut csv::Reader<&[u8]>,
    rec: &mut ByteRecord,
    name: &str,
    table: Table,
) -> Result<bool> {
    rdr.read_byte_record(rec).map_err(|e| {
        file_error(
            name,
            table,
            "not_csv",
            format!("cannot parse the file as CSV: {e}"),
        )
    })
}

fn push_row(
    out: &mut FileRead,
    rec: &ByteRecord,
    cols: &Columns,
    src: Source,
    sink: &mut Sink,
) -> Result<()> {
    match cols.table {
        Table::Header => out.header.push(header_row(rec, cols, src, sink)?),
        Table::Episodes => out.episodes.push(episode_row(rec, cols, src, sink)?),
        Table::Ad1 => out.ad1.push(ad1_row(rec, cols, src, sink)?),
        Table::PlacedAdoption => out.placed_adoption.push(placed_row(rec, cols, src, sink)?),
    }
    Ok(())
}

/// Optional columns read when present.
fn optional_columns(table: Table) -> &'static [&'static str] {
    match table {
        Table::Header => &["SIBLING_GROUP", "DISABILITY"],
        Table::Episodes => &["REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"],
        Table::Ad1 | Table::PlacedAdoption => &[],
    }
}

/// Columns giving LA and collection year per row, in any table.
const LA_YEAR_COLUMNS: [&str; 3] = ["LA", "YEAR", "COLLECTION_YEAR"];

/// The columns the reader knows, as indices into [`FIELD_NAMES`] (resolved once per file so
/// that rows are read without comparing names).
#[derive(Debug, Clone, Copy)]
enum F {
    Child,
    Sex,
    Dob,
    Ethnic,
    SiblingGroup,
    Disability,
    Decom,
    Rne,
    Ls,
    Cin,
    Place,
    PlaceProvider,
    Dec,
    Rec,
    ReasonPlaceChange,
    HomePost,
    PlPost,
    Urn,
    DateInt,
    DateMatch,
    FosterCare,
    NbAdoptr,
    SexAdoptr,
    LsAdoptr,
    DatePlaced,
    DatePlacedCeased,
    ReasonPlacedCeased,
    La,
    Year,
    CollectionYear,
}

const FIELD_NAMES: [&str; 30] = [
    "CHILD",
    "SEX",
    "DOB",
    "ETHNIC",
    "SIBLING_GROUP",
    "DISABILITY",
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
];

impl F {
    fn name(self) -> &'static str {
        FIELD_NAMES[self as usize]
    }
}

/// Where each known column sits in a file.
struct Columns {
    table: Table,
    width: usize,
    names: Vec<String>,
    /// Position of each [`F`] in the file (first occurrence), if present.
    pos: [Option<usize>; FIELD_NAMES.len()],
}

impl Columns {
    fn from_header(rec: &ByteRecord, table: Table, file: &str) -> Result<Columns> {
        let names: Vec<String> = rec
            .iter()
            .map(|b| {
                String::from_utf8_lossy(b)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_ascii_uppercase()
            })
            .collect();
        let mut pos = [None; FIELD_NAMES.len()];
        for (p, field) in pos.iter_mut().zip(FIELD_NAMES) {
            *p = names.iter().position(|n| n == field);
        }
        let cols = Columns {
            table,
            width: names.len(),
            names,
            pos,
        };
        let known = |n: &str| {
            table.required_columns().contains(&n)
                || optional_columns(table).contains(&n)
                || LA_YEAR_COLUMNS.contains(&n)
        };
        if !cols.names.iter().any(|n| known(n)) {
            let msg = format!(
                "the first line has no {table} column (found: {}); expected a CSV file whose first line names the columns {}",
                cols.names.join(", "),
                table.required_columns().join(", ")
            );
            return Err(file_error(file, table, "not_csv", msg));
        }
        cols.check_required(file, &known)?;
        Ok(cols)
    }

    fn check_required(&self, file: &str, known: &dyn Fn(&str) -> bool) -> Result<()> {
        let missing: Vec<&str> = self
            .table
            .required_columns()
            .iter()
            .copied()
            .filter(|c| self.find(c).is_none())
            .collect();
        let Some(first) = missing.first() else {
            return Ok(());
        };
        let hints: Vec<String> = missing
            .iter()
            .filter_map(|m| {
                let unknown = self.names.iter().filter(|n| !known(n));
                closest(m, unknown).map(|n| format!("{n} — did you mean {m}?"))
            })
            .collect();
        let mut msg = format!(
            "missing column(s) {}; columns found: {}",
            missing.join(", "),
            self.names.join(", ")
        );
        if !hints.is_empty() {
            msg.push_str(&format!("; {}", hints.join("; ")));
        }
        let location = Location {
            file: Some(file.to_string()),
            table: Some(self.table.name().to_string()),
            row: Some(0),
            column: Some(first.to_string()),
        };
        Err(Error::data(location, "missing_column", msg))
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The trimmed cell of `field` in `rec` ("" when the column is absent).
    fn get<'r>(&self, rec: &'r ByteRecord, field: F) -> &'r str {
        cell_opt(rec, self.pos[field as usize])
    }

    fn has(&self, field: F) -> bool {
        self.pos[field as usize].is_some()
    }
}

/// The name among `candidates` closest to `target` by edit distance, if close enough to be a
/// plausible misspelling (at most 2 edits, and fewer than half the target's length).
fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(target, c), c))
        .filter(|(d, _)| *d <= 2 && *d * 2 < target.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// One trimmed cell ("" when absent).
fn cell(rec: &ByteRecord, i: usize) -> &str {
    rec.get(i)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("")
        .trim()
}

fn cell_opt(rec: &ByteRecord, i: Option<usize>) -> &str {
    i.map_or("", |i| cell(rec, i))
}

/// What is known about the file being read.
struct FileCtx<'a> {
    name: &'a str,
    table: Table,
    index: u32,
    /// LA and year from the path or the defaults.
    la: Option<String>,
    year: Option<i32>,
    strict: bool,
}

impl FileCtx<'_> {
    fn check_la_year_known(&self, cols: &Columns) -> Result<()> {
        if self.la.is_none() && !cols.has(F::La) {
            let msg = "cannot tell the local authority: put the file under a folder named with the 3-digit LA code, or add an LA column (or pass a default LA)";
            return Err(file_error(
                self.name,
                self.table,
                "la_unknown",
                msg.to_string(),
            ));
        }
        if self.year.is_none() && !cols.has(F::Year) && !cols.has(F::CollectionYear) {
            let msg = "cannot tell the collection year: put the file under a folder named with the year (e.g. 2018 or 2017-18), or add a YEAR column (or pass a default year)";
            return Err(file_error(
                self.name,
                self.table,
                "year_unknown",
                msg.to_string(),
            ));
        }
        Ok(())
    }

    fn row_error(&self, row: u64, column: &str, rule: &str, message: &str) -> Error {
        let location = Location {
            file: Some(self.name.to_string()),
            table: Some(self.table.name().to_string()),
            row: Some(row),
            column: Some(column.to_string()),
        };
        Error::data(location, rule, message)
    }

    /// Source of a row: LA and year from the row's cells, else from the path or defaults.
    fn source(&self, rec: &ByteRecord, cols: &Columns, sink: &mut Sink) -> Result<Source> {
        let la_cell = cols.get(rec, F::La);
        let la = if la_cell.is_empty() {
            self.la.as_deref().map(CompactString::new).ok_or_else(|| {
                self.row_error(sink.row, "LA", "la_unknown", "blank LA and no LA code in the path: put the file under a folder named with the 3-digit LA code, or fill in the LA column")
            })?
        } else {
            if !(la_cell.len() == 3 && la_cell.bytes().all(|b| b.is_ascii_digit())) {
                sink.push(
                    "LA",
                    "la_code",
                    la_cell,
                    "expected the DfE 3-digit LA code",
                    Severity::Warning,
                )?;
            }
            CompactString::new(la_cell)
        };
        let (year_field, year_cell) = match cols.get(rec, F::Year) {
            "" => (F::CollectionYear, cols.get(rec, F::CollectionYear)),
            y => (F::Year, y),
        };
        let parsed = parse_collection_year(year_cell);
        if !year_cell.is_empty() && parsed.is_none() {
            let msg = "expected a collection year such as 2018 or 2017-18";
            sink.push(
                year_field.name(),
                "year_format",
                year_cell,
                msg,
                Severity::Error,
            )?;
        }
        let year = parsed.or(self.year).ok_or_else(|| {
            self.row_error(sink.row, "YEAR", "year_unknown", "no usable YEAR and no year in the path: put the file under a folder named with the year, or fill in the YEAR column")
        })?;
        Ok(Source {
            file: self.index,
            row: sink.row,
            la,
            year,
        })
    }
}

/// Collects the problems of one row; raises the first error in strict mode.
struct Sink<'a> {
    ctx: &'a FileCtx<'a>,
    row: u64,
    child: String,
    la: String,
    problems: &'a mut Vec<Problem>,
}

impl<'a> Sink<'a> {
    fn new(ctx: &'a FileCtx<'a>, problems: &'a mut Vec<Problem>) -> Self {
        Sink {
            ctx,
            row: 0,
            child: String::new(),
            la: String::new(),
            problems,
        }
    }

    /// Start data row `row`: forget the previous row's LA and child. (The buffers are reused,
    /// so a row costs no allocation here.)
    fn start_row(&mut self, row: u64) {
        self.row = row;
        self.child.clear();
        self.la.clear();
        self.la.push_str(self.ctx.la.as_deref().unwrap_or(""));
    }

    fn push(
        &mut self,
        field: &str,
        rule: &str,
        value: &str,
        message: &str,
        severity: Severity,
    ) -> Result<()> {
        if self.ctx.strict && severity == Severity::Error {
            return Err(self.ctx.row_error(
                self.row,
                field,
                rule,
                &format!("{message} (found {value:?})"),
            ));
        }
        self.problems.push(Problem {
            table: self.ctx.table,
            file: self.ctx.name.to_string(),
            row: self.row,
            la: self.la.clone(),
            child: self.child.clone(),
            field: field.to_string(),
            rule: rule.to_string(),
            value: value.to_string(),
            message: message.to_string(),
            severity,
        });
        Ok(())
    }

    fn ragged(&mut self, found: usize, expected: usize) -> Result<()> {
        let msg = format!(
            "the row has {found} fields but the header has {expected}; the row was skipped"
        );
        self.push("", "ragged_row", &found.to_string(), &msg, Severity::Error)
    }

    /// Start a row: remember its LA and child for the problems it may raise.
    fn begin(&mut self, src: &Source, child: &str) {
        self.la.clear();
        self.la.push_str(&src.la);
        self.child.clear();
        self.child.push_str(child);
    }

    fn date(&mut self, rec: &ByteRecord, cols: &Columns, field: F) -> Result<Option<Date>> {
        let raw = cols.get(rec, field);
        if raw.is_empty() {
            return Ok(None);
        }
        let d = parse_date(raw);
        if d.is_none() {
            self.push(
                field.name(),
                "date_format",
                raw,
                "expected a date written DD/MM/YYYY (or YYYY-MM-DD)",
                Severity::Error,
            )?;
        }
        Ok(d)
    }

    fn flag(&mut self, rec: &ByteRecord, cols: &Columns, field: F) -> Result<Option<bool>> {
        let raw = cols.get(rec, field);
        let v = parse_flag(raw);
        if v.is_none() && !raw.is_empty() {
            self.push(
                field.name(),
                "bool_format",
                raw,
                "expected 1/0, Y/N, yes/no or true/false",
                Severity::Warning,
            )?;
        }
        Ok(v)
    }
}

/// Parse an optional yes/no flag; `None` for blank or unrecognised text.
fn parse_flag(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "y" | "yes" | "true" => Some(true),
        "0" | "n" | "no" | "false" => Some(false),
        _ => None,
    }
}

/// A cell as row text: short cells (nearly all) are stored inline, without allocating.
fn text(rec: &ByteRecord, cols: &Columns, field: F) -> CompactString {
    CompactString::new(cols.get(rec, field))
}

fn header_row(rec: &ByteRecord, cols: &Columns, src: Source, sink: &mut Sink) -> Result<HeaderRow> {
    let child = text(rec, cols, F::Child);
    sink.begin(&src, &child);
    Ok(HeaderRow {
        sex: text(rec, cols, F::Sex),
        dob: sink.date(rec, cols, F::Dob)?,
        ethnic: text(rec, cols, F::Ethnic),
        sibling_group: sink.flag(rec, cols, F::SiblingGroup)?,
        disability: sink.flag(rec, cols, F::Disability)?,
        src,
        child,
    })
}

fn episode_row(
    rec: &ByteRecord,
    cols: &Columns,
    src: Source,
    sink: &mut Sink,
) -> Result<EpisodeRow> {
    let child = text(rec, cols, F::Child);
    sink.begin(&src, &child);
    Ok(EpisodeRow {
        decom: sink.date(rec, cols, F::Decom)?,
        rne: text(rec, cols, F::Rne),
        ls: text(rec, cols, F::Ls),
        cin: text(rec, cols, F::Cin),
        place: text(rec, cols, F::Place),
        place_provider: text(rec, cols, F::PlaceProvider),
        dec: sink.date(rec, cols, F::Dec)?,
        rec: text(rec, cols, F::Rec),
        reason_place_change: text(rec, cols, F::ReasonPlaceChange),
        home_post: text(rec, cols, F::HomePost),
        pl_post: text(rec, cols, F::PlPost),
        urn: text(rec, cols, F::Urn),
        src,
        child,
    })
}

fn ad1_row(rec: &ByteRecord, cols: &Columns, src: Source, sink: &mut Sink) -> Result<Ad1Row> {
    let child = text(rec, cols, F::Child);
    sink.begin(&src, &child);
    Ok(Ad1Row {
        dob: sink.date(rec, cols, F::Dob)?,
        date_int: sink.date(rec, cols, F::DateInt)?,
        date_match: sink.date(rec, cols, F::DateMatch)?,
        foster_care: text(rec, cols, F::FosterCare),
        nb_adoptr: text(rec, cols, F::NbAdoptr),
        sex_adoptr: text(rec, cols, F::SexAdoptr),
        ls_adoptr: text(rec, cols, F::LsAdoptr),
        src,
        child,
    })
}

fn placed_row(
    rec: &ByteRecord,
    cols: &Columns,
    src: Source,
    sink: &mut Sink,
) -> Result<PlacedAdoptionRow> {
    let child = text(rec, cols, F::Child);
    sink.begin(&src, &child);
    Ok(PlacedAdoptionRow {
        dob: sink.date(rec, cols, F::Dob)?,
        date_placed: sink.date(rec, cols, F::DatePlaced)?,
        date_placed_ceased: sink.date(rec, cols, F::DatePlacedCeased)?,
        reason_placed_ceased: text(rec, cols, F::ReasonPlacedCeased),
        src,
        child,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_convention() {
        let ly = |p: &str| la_year_from_path(Path::new(p));
        assert_eq!(
            ly("r/316/2018/episodes.csv"),
            (Some("316".into()), Some(2018))
        );
        assert_eq!(
            ly("r/2016_17/la 202/Header.csv"),
            (Some("202".into()), Some(2017))
        );
        assert_eq!(
            ly("r/episodes_845_201819.csv"),
            (Some("845".into()), Some(2019))
        );
        assert_eq!(ly("316/2017-2018/x.csv"), (Some("316".into()), Some(2018)));
        // The nearest component wins.
        assert_eq!(
            ly("999/2015/316/2018/ad1.csv"),
            (Some("316".into()), Some(2018))
        );
        assert_eq!(ly("data/x/episodes.csv"), (None, None));
        assert_eq!(ly("1999/3160/episodes.csv"), (None, None));
    }

    #[test]
    fn stems_and_years() {
        assert_eq!(table_of_stem("EPISODES"), Some(Table::Episodes));
        assert_eq!(
            table_of_stem("placed_adoption"),
            Some(Table::PlacedAdoption)
        );
        assert_eq!(table_of_stem("AD1"), Some(Table::Ad1));
        assert_eq!(table_of_stem("missing"), None);
        assert_eq!(parse_collection_year("2017/18"), Some(2018));
        assert_eq!(parse_collection_year("1999"), None);
        assert_eq!(parse_collection_year("2099-00"), Some(2100));
        assert_eq!(parse_collection_year("abcd"), None);
        assert_eq!(parse_collection_year("210001"), None);
        assert!(is_csv_name("é.CSV") && !is_csv_name("x.csvé") && !is_csv_name("éé"));
    }

    #[test]
    fn edit_distance_and_flags() {
        assert_eq!(edit_distance("DECOM", "DECOMM"), 1);
        assert_eq!(edit_distance("CHILD", "CHLID"), 2);
        assert_eq!(edit_distance("", "AB"), 2);
        assert_eq!(parse_flag("Y"), Some(true));
        assert_eq!(parse_flag("false"), Some(false));
        assert_eq!(parse_flag("maybe"), None);
    }

    #[test]
    fn decodes_latin1_and_bom() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa".to_vec()),
            ("a".to_string(), "utf-8-bom")
        );
        assert_eq!(decode(b"caf\xE9".to_vec()), ("café".to_string(), "latin-1"));
        assert_eq!(decode(b"x".to_vec()).1, "utf-8");
    }
}
