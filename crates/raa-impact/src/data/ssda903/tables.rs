//! Row types of the SSDA903 tables this library uses, and the [`Returns`] container.
//!
//! Codes are kept as the strings found in the file (trimmed) so that validation can report the
//! exact value; dates are parsed (`None` when blank or unparseable — an unparseable date is also
//! recorded as a read problem in [`Returns::read_problems`]).

use super::problem::Problem;
use crate::data::date::Date;
use serde::Serialize;

/// Short text of a row (codes, CHILD ids, LA codes, postcodes): stored inline up to 24 bytes, so
/// reading a million rows does not make a heap allocation per cell. Derefs to `str`.
pub use compact_str::CompactString;

/// The SSDA903 tables read by the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Table {
    Header,
    Episodes,
    Ad1,
    PlacedAdoption,
}

/// Columns of `header.csv`.
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
/// Columns of `episodes.csv`.
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
/// Columns of `ad1.csv`.
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
/// Columns of `placed_for_adoption.csv`.
pub const PLACED_ADOPTION_COLUMNS: [&str; 5] = [
    "CHILD",
    "DOB",
    "DATE_PLACED",
    "DATE_PLACED_CEASED",
    "REASON_PLACED_CEASED",
];

impl Table {
    /// Every table, in the order the library reads them.
    pub const ALL: [Table; 4] = [
        Table::Header,
        Table::Episodes,
        Table::Ad1,
        Table::PlacedAdoption,
    ];

    /// The table's name as the DfE guidance writes it.
    pub fn name(self) -> &'static str {
        match self {
            Table::Header => "Header",
            Table::Episodes => "Episodes",
            Table::Ad1 => "AD1",
            Table::PlacedAdoption => "PlacedAdoption",
        }
    }

    /// The file stem the library writes (`header.csv`, `episodes.csv`, `ad1.csv`,
    /// `placed_for_adoption.csv`: the names of the DfE validator's fixtures).
    pub fn file_stem(self) -> &'static str {
        match self {
            Table::Header => "header",
            Table::Episodes => "episodes",
            Table::Ad1 => "ad1",
            Table::PlacedAdoption => "placed_for_adoption",
        }
    }

    /// The table's columns in the order the DfE specification (and the library's writer) lists
    /// them, with the optional `SIBLING_GROUP` and `DISABILITY` flags at the end of Header.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Header => &HEADER_COLUMNS,
            Table::Episodes => &EPISODE_COLUMNS,
            Table::Ad1 => &AD1_COLUMNS,
            Table::PlacedAdoption => &PLACED_ADOPTION_COLUMNS,
        }
    }

    /// Columns that must be present in the file: the leading columns of [`Table::columns`]
    /// (Header: CHILD to ETHNIC; Episodes: CHILD to REC; AD1 and PlacedAdoption: all).
    pub fn required_columns(self) -> &'static [&'static str] {
        let n = match self {
            Table::Header => 4,
            Table::Episodes => 9,
            Table::Ad1 => AD1_COLUMNS.len(),
            Table::PlacedAdoption => PLACED_ADOPTION_COLUMNS.len(),
        };
        &self.columns()[..n]
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One file that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileInfo {
    /// Path as given (or discovered under the folder given).
    pub path: String,
    pub table: Table,
    /// DfE 3-digit LA code (from a `LA` column or from the path).
    pub la: String,
    /// Collection year: the year in which the return's reporting year ends (2018 = 2017-18).
    pub year: i32,
    /// Data rows read (header line excluded).
    pub rows: u64,
    /// `utf-8`, `utf-8-bom` or `latin-1`.
    pub encoding: String,
}

/// Where a row came from: index into [`Returns::files`], 1-based data row, LA and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub file: u32,
    pub row: u64,
    pub la: CompactString,
    pub year: i32,
}

/// Header: one row per child per return.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderRow {
    pub src: Source,
    pub child: CompactString,
    pub sex: CompactString,
    pub dob: Option<Date>,
    pub ethnic: CompactString,
    /// Optional, non-standard column `SIBLING_GROUP` (1/0, Y/N): placed or to be placed with siblings.
    pub sibling_group: Option<bool>,
    /// Optional, non-standard column `DISABILITY` (1/0, Y/N).
    pub disability: Option<bool>,
}

/// Episodes: one row per episode of care (a change of legal status, placement or both).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpisodeRow {
    pub src: Source,
    pub child: CompactString,
    pub decom: Option<Date>,
    pub rne: CompactString,
    pub ls: CompactString,
    pub cin: CompactString,
    pub place: CompactString,
    pub place_provider: CompactString,
    pub dec: Option<Date>,
    pub rec: CompactString,
    pub reason_place_change: CompactString,
    pub home_post: CompactString,
    pub pl_post: CompactString,
    pub urn: CompactString,
}

/// AD1: children adopted during the year (the adoption decision and match).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ad1Row {
    pub src: Source,
    pub child: CompactString,
    pub dob: Option<Date>,
    /// Date of the decision that the child should be placed for adoption (ADM).
    pub date_int: Option<Date>,
    /// Date the child was matched with the adopters.
    pub date_match: Option<Date>,
    /// `1` when adopted by the child's former foster carer(s), `0` otherwise.
    pub foster_care: CompactString,
    pub nb_adoptr: CompactString,
    pub sex_adoptr: CompactString,
    pub ls_adoptr: CompactString,
}

/// PlacedAdoption: children with an adoption decision (placed for adoption or not yet).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedAdoptionRow {
    pub src: Source,
    pub child: CompactString,
    pub dob: Option<Date>,
    /// Date of the ADM decision that the child should be placed for adoption.
    pub date_placed: Option<Date>,
    /// Date the decision was reversed (or the child ceased to be placed), if any.
    pub date_placed_ceased: Option<Date>,
    /// RD1–RD4 when the decision ceased.
    pub reason_placed_ceased: CompactString,
}

/// Stacked SSDA903 returns of one or many LAs and collection years.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Returns {
    pub files: Vec<FileInfo>,
    pub header: Vec<HeaderRow>,
    pub episodes: Vec<EpisodeRow>,
    pub ad1: Vec<Ad1Row>,
    pub placed_adoption: Vec<PlacedAdoptionRow>,
    /// Problems found while reading (unparseable dates, ...). [`crate::data::ssda903::validate`]
    /// adds the rule checks to these.
    pub read_problems: Vec<Problem>,
    /// Rows dropped as superseded repeats when stacking several years (see `dedup`).
    pub superseded: SupersededCounts,
    /// CSV files found but not read because their name is not one of the four tables
    /// (`uasc.csv`, `missing.csv`, ...), in sorted path order.
    pub skipped_files: Vec<String>,
}

/// How many rows of each table were dropped because a later return repeats them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SupersededCounts {
    pub header: u64,
    pub episodes: u64,
    pub ad1: u64,
    pub placed_adoption: u64,
}

impl Returns {
    /// The file a row came from.
    pub fn file_of(&self, src: &Source) -> &str {
        self.files
            .get(src.file as usize)
            .map(|f| f.path.as_str())
            .unwrap_or("<memory>")
    }

    /// The latest collection year present, if any.
    pub fn last_year(&self) -> Option<i32> {
        self.files.iter().map(|f| f.year).max()
    }
}
