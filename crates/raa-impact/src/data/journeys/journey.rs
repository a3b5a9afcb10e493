//! The adoption journey row.

use crate::data::date::Date;
use serde::Serialize;

/// The five durations measured on every journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Measure {
    /// Entry to care → ADM decision that the child should be placed for adoption.
    EntryToAdm,
    /// ADM decision → placement order.
    AdmToPo,
    /// Placement order → match (0 when the match came first).
    PoToMatch,
    /// Placement order → placed for adoption (0 when placed first).
    PoToPlaced,
    /// Entry to care → placed for adoption.
    EntryToPlaced,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::EntryToAdm,
        Measure::AdmToPo,
        Measure::PoToMatch,
        Measure::PoToPlaced,
        Measure::EntryToPlaced,
    ];

    /// Column-name stem, e.g. `po_to_placed`.
    pub fn name(self) -> &'static str {
        match self {
            Measure::EntryToAdm => "entry_to_adm",
            Measure::AdmToPo => "adm_to_po",
            Measure::PoToMatch => "po_to_match",
            Measure::PoToPlaced => "po_to_placed",
            Measure::EntryToPlaced => "entry_to_placed",
        }
    }
}

/// One duration as an event time: days from the start event to the end event, or to the data cut
/// (censored), or to a competing exit.
///
/// * `days` is `None` when the start event never happened (or happened after the cut).
/// * `event` is true when the end event happened on or before the cut.
/// * `censored` is true when neither the end event nor a competing exit happened by the cut.
/// * `competing` holds the code of the exit that ended the journey first (`RD1`–`RD4` for a
///   reversed decision, the episode's `REC` code for leaving care, e.g. `E45`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Duration {
    pub days: Option<i64>,
    pub event: bool,
    pub censored: bool,
    pub competing: Option<String>,
}

/// How a journey ended (by the data cut).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Ending {
    /// An adoption order was granted (REC E11/E12).
    Adopted,
    /// The adoption decision was reversed (PlacedAdoption RD1–RD4) and the child did not go on
    /// to be adopted in this period of care.
    Reversed(String),
    /// The child left care another way (SGO E45–E48, return home, ...): the REC code.
    OtherExit(String),
    /// Still in care with the plan running at the cut.
    Ongoing,
}

impl Ending {
    /// A short label: `adopted`, `reversed`, `other_exit`, `ongoing`.
    pub fn label(&self) -> &'static str {
        match self {
            Ending::Adopted => "adopted",
            Ending::Reversed(_) => "reversed",
            Ending::OtherExit(_) => "other_exit",
            Ending::Ongoing => "ongoing",
        }
    }
}

/// Ethnicity groups of the DfE ETHNIC codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EthnicGroup {
    White,
    Mixed,
    Asian,
    Black,
    Other,
    /// Refused / not obtained / unknown code.
    Unknown,
}

impl EthnicGroup {
    /// Group of a DfE ETHNIC code (WBRI, WIRI, WIRT, WOTH, WROM, MWBC, MWBA, MWAS, MOTH, AIND,
    /// APKN, ABAN, AOTH, BCRB, BAFR, BOTH, CHNE, OOTH, REFU, NOBT).
    pub fn of_code(code: &str) -> EthnicGroup {
        match code.trim() {
            "CHNE" => EthnicGroup::Asian,
            "REFU" | "NOBT" | "" => EthnicGroup::Unknown,
            c if c.starts_with('W') => EthnicGroup::White,
            c if c.starts_with('M') => EthnicGroup::Mixed,
            c if c.starts_with('A') => EthnicGroup::Asian,
            c if c.starts_with('B') => EthnicGroup::Black,
            c if c.starts_with('O') => EthnicGroup::Other,
            _ => EthnicGroup::Unknown,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EthnicGroup::White => "White",
            EthnicGroup::Mixed => "Mixed",
            EthnicGroup::Asian => "Asian",
            EthnicGroup::Black => "Black",
            EthnicGroup::Other => "Other",
            EthnicGroup::Unknown => "Unknown",
        }
    }
}

/// One adoption journey: a period of care of one child that reached an ADM decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Journey {
    /// DfE 3-digit LA code.
    pub la: String,
    /// The child's SSDA903 key (unique only within its LA).
    pub child: String,
    /// 1-based number of this period of care among the child's periods.
    pub period: u32,

    // --- milestones -------------------------------------------------------------------------
    /// DECOM of the RNE=S episode opening the period of care.
    pub entry_date: Date,
    /// ADM decision (PlacedAdoption.DATE_PLACED, or AD1.DATE_INT).
    pub adm_date: Option<Date>,
    /// Placement order: first DECOM in the period with LS E1 (or D1 before 2006).
    pub po_date: Option<Date>,
    /// Match (AD1.DATE_MATCH).
    pub match_date: Option<Date>,
    /// Placed for adoption: first DECOM with PLACE A3–A6.
    pub placed_date: Option<Date>,
    /// Adoption order: DEC of the last episode when REC is E11/E12.
    pub order_date: Option<Date>,
    /// End of the period of care (DEC of its last episode), if it ended by the cut.
    pub exit_date: Option<Date>,
    /// REC code of the period's last episode, if it ended (E11, E12, E45, ...).
    pub exit_reason: Option<String>,
    /// Date the adoption decision was reversed (PlacedAdoption.DATE_PLACED_CEASED with RD1–RD4).
    pub reversal_date: Option<Date>,
    /// RD1–RD4.
    pub reversal_reason: Option<String>,
    /// How the journey ended by the cut.
    pub ending: Ending,
    /// The data cut used for censoring.
    pub cut_date: Date,

    // --- durations (in `Measure::ALL` order) -----------------------------------------------
    pub entry_to_adm: Duration,
    pub adm_to_po: Duration,
    pub po_to_match: Duration,
    pub po_to_placed: Duration,
    pub entry_to_placed: Duration,

    // --- child covariates -------------------------------------------------------------------
    /// Header SEX code (`1` male, `2` female).
    pub sex: String,
    pub dob: Option<Date>,
    /// Header ETHNIC code.
    pub ethnic: String,
    pub ethnic_group: EthnicGroup,
    /// Age in days at entry to care.
    pub age_at_entry_days: Option<i64>,
    /// Category of need (CIN, N1–N8) of the opening episode.
    pub cin: String,
    /// Distinct placements in the period before the ADM decision.
    pub placements_before_adm: u32,
    /// Placed in fostering-for-adoption / concurrent planning (PLACE U2 or U5) during the period.
    pub ffa_or_concurrent: bool,
    /// Adopted by its own foster carers (AD1.FOSTER_CARE = 1, or placed A3/A5).
    pub adopted_by_foster_carer: bool,
    /// When a child later adopted by its foster carers first moved in with them (A10 clock stop).
    pub foster_carer_move_in_date: Option<Date>,

    // --- harder to place (each flag separately) ---------------------------------------------
    /// Aged 5 or over at the ADM decision (at entry when there is no decision date).
    pub htp_age5plus: bool,
    /// Black or mixed ethnicity.
    pub htp_black_or_mixed: bool,
    /// Sibling group (None when the returns do not carry the flag).
    pub htp_sibling_group: Option<bool>,
    /// Disability (None when the returns do not carry the flag).
    pub htp_disability: Option<bool>,
    /// Any of the above.
    pub harder_to_place: bool,
}

impl Journey {
    /// The duration for `m`.
    pub fn duration(&self, m: Measure) -> &Duration {
        match m {
            Measure::EntryToAdm => &self.entry_to_adm,
            Measure::AdmToPo => &self.adm_to_po,
            Measure::PoToMatch => &self.po_to_match,
            Measure::PoToPlaced => &self.po_to_placed,
            Measure::EntryToPlaced => &self.entry_to_placed,
        }
    }
}
