//! The truth beside the synthetic returns: per LA its RAA and go-live, per child with an adoption
//! decision every true milestone, the counterfactual and actual placement order → placed days
//! and the injected effect.

use crate::data::date::Date;
use serde::Serialize;

/// The truth of one synthetic England.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Truth {
    /// One row per LA, in the order of the LA list.
    pub las: Vec<LaTruth>,
    /// One row per child with an ADM decision (including warm-up years and children whose later
    /// milestones fall after the data cut), LA by LA in LA order.
    pub children: Vec<ChildTruth>,
}

/// An LA's exposure settings as generated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaTruth {
    pub code: String,
    pub name: String,
    pub raa: Option<String>,
    pub go_live: Option<Date>,
    /// The go-live was imputed, not taken from the registry data.
    pub imputed: bool,
    /// Relative size as given.
    pub size: f64,
    /// Share of national activity (`size / sum(size)`).
    pub share: f64,
}

/// How an adoption journey ended (in truth, possibly after the data cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    /// Adoption order (REC E11/E12).
    Adopted,
    /// Decision reversed before placement (DATE_PLACED_CEASED, RD1–RD4); the child stays in care
    /// or leaves by another route later.
    Reversed,
    /// Placed for adoption, then the placement disrupted before an order.
    Disrupted,
    /// Left care under a special guardianship order before placement.
    SpecialGuardianship,
}

/// The true journey of one child with an ADM decision.
///
/// `y0_po_to_placed` is the counterfactual placement order → placed duration (no RAA),
/// `y1_po_to_placed` the one generated (`y1 = y0 + effect_days`); both are latent for children
/// never placed (reversed, SGO) and `None` without a placement order (placed with consent).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildTruth {
    pub la: String,
    pub child: String,
    pub dob: Date,
    /// `1` male, `2` female.
    pub sex: String,
    pub ethnic: String,
    /// Start of the period of care in which the decision was made.
    pub entry: Date,
    pub adm: Date,
    pub po_date: Option<Date>,
    pub matched: Option<Date>,
    pub placed: Option<Date>,
    pub adopted: Option<Date>,
    /// Date the decision ceased (reversal, disruption or SGO exit).
    pub ceased: Option<Date>,
    pub outcome: Outcome,
    /// Placed with the current foster carer (A3/A5; foster-to-adopt).
    pub foster_carer_adoption: bool,
    pub age5_at_adm: bool,
    /// Black or mixed ethnicity.
    pub black_or_mixed: bool,
    pub sibling_group: bool,
    pub disability: bool,
    /// Any of the four flags above.
    pub harder_to_place: bool,
    /// Placement order on or after go-live + bed-in.
    pub exposed: bool,
    /// Placement order in go-live ..< go-live + bed-in.
    pub bed_in: bool,
    pub y0_po_to_placed: Option<i64>,
    pub y1_po_to_placed: Option<i64>,
    /// `y1 - y0` (0 when neither exposed nor in bed-in, or without a placement order).
    pub effect_days: f64,
}
