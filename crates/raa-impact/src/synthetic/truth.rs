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
    /// DfE 3-digit LA code.
    pub code: String,
    /// LA name.
    pub name: String,
    /// RAA the LA joined, if known.
    pub raa: Option<String>,
    /// Go-live used for exposure (`None`: never exposed).
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
    /// DfE LA code.
    pub la: String,
    /// CHILD id as written in the returns (unique within the LA).
    pub child: String,
    /// Date of birth.
    pub dob: Date,
    /// `1` male, `2` female.
    pub sex: String,
    /// ETHNIC code.
    pub ethnic: String,
    /// Start of the period of care in which the decision was made.
    pub entry: Date,
    /// Decision that the child should be placed for adoption.
    pub adm: Date,
    /// Placement order (`None` when placed with consent or the decision ended first).
    pub po_date: Option<Date>,
    /// Match with the adopters (children placed for adoption only).
    pub matched: Option<Date>,
    /// Placed for adoption (adopted or disrupted children only).
    pub placed: Option<Date>,
    /// Adoption order (may fall after the data cut).
    pub adopted: Option<Date>,
    /// Date the decision ceased (reversal, disruption or SGO exit).
    pub ceased: Option<Date>,
    /// How the journey ended.
    pub outcome: Outcome,
    /// Placed with the current foster carer (A3/A5; foster-to-adopt).
    pub foster_carer_adoption: bool,
    /// Aged 5 or more at the ADM decision.
    pub age5_at_adm: bool,
    /// Black or mixed ethnicity.
    pub black_or_mixed: bool,
    /// To be placed with siblings (Header SIBLING_GROUP).
    pub sibling_group: bool,
    /// Disabled (Header DISABILITY).
    pub disability: bool,
    /// Any of the four flags above.
    pub harder_to_place: bool,
    /// Placement order on or after go-live + bed-in.
    pub exposed: bool,
    /// Placement order in go-live ..< go-live + bed-in.
    pub bed_in: bool,
    /// Counterfactual days placement order → placed (no RAA).
    pub y0_po_to_placed: Option<i64>,
    /// Generated days placement order → placed (`y0 + effect_days`).
    pub y1_po_to_placed: Option<i64>,
    /// `y1 - y0` (0 when neither exposed nor in bed-in, or without a placement order).
    pub effect_days: f64,
}
