//! The DfE SSDA903 code lists used by validation and reports, with short English descriptions.
//!
//! Lists follow the DfE "Children looked after return" guidance as it stood over the 2015–2024
//! collections, written from the guidance's code tables (descriptions are shortened). Codes are
//! case-sensitive, as in the DfE validator: `e1` is not a legal status.
//!
//! Where the library's authors were unsure of a detail (a code's exact wording or the years in
//! which it was valid), the entry says so in a comment; none of the uncertain details changes
//! which codes are accepted.
//!
//! ```
//! use raa_impact::data::ssda903::codes::{describe, is_valid, LS, PLACE};
//! assert!(is_valid(LS, "E1"));
//! assert!(!is_valid(PLACE, "A7"));
//! assert_eq!(describe(LS, "E1"), Some("Placement order granted"));
//! ```

/// One code of a DfE code list and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The code as written in the return, e.g. `E1`.
    pub code: &'static str,
    /// A short English description, for reports.
    pub description: &'static str,
}

const fn c(code: &'static str, description: &'static str) -> Code {
    Code { code, description }
}

/// Whether `code` is in `list` (exact, case-sensitive match; callers trim first).
pub fn is_valid(list: &[Code], code: &str) -> bool {
    list.iter().any(|c| c.code == code)
}

/// The description of `code` in `list`, if it is there.
pub fn describe(list: &[Code], code: &str) -> Option<&'static str> {
    list.iter().find(|c| c.code == code).map(|c| c.description)
}

/// The codes of `list` joined with `, ` (for messages such as "expected one of ...").
pub fn codes_of(list: &[Code]) -> String {
    list.iter().map(|c| c.code).collect::<Vec<_>>().join(", ")
}

/// Episodes.RNE: reason for new episode.
pub const RNE: &[Code] = &[
    c("S", "Started to be looked after"),
    c("L", "Change of legal status only"),
    c("P", "Change of placement and carer(s) only"),
    c(
        "T",
        "Change of both legal status and placement and carer(s) at the same time",
    ),
    c("U", "Change of placement (but same carer(s)) only"),
    c(
        "B",
        "Change of placement (but same carer(s)) and of legal status at the same time",
    ),
];

/// Episodes.LS: legal status.
pub const LS: &[Code] = &[
    c("C1", "Interim care order"),
    c("C2", "Full care order"),
    c("D1", "Freeing order granted"),
    c("E1", "Placement order granted"),
    c("J1", "Remanded to the care of the local authority"),
    c("J2", "Placed in local authority accommodation under PACE"),
    c(
        "J3",
        "Sentenced to a supervision order with residence requirement",
    ),
    c(
        "L1",
        "Under police protection and in local authority accommodation",
    ),
    c("L2", "Under an emergency protection order"),
    c(
        "L3",
        "Under a child assessment order and in local authority accommodation",
    ),
    c(
        "V2",
        "Single period of accommodation under section 20 (Children Act 1989)",
    ),
    c(
        "V3",
        "Accommodated under an agreed series of short-term breaks (individual episodes recorded)",
    ),
    c(
        "V4",
        "Accommodated under an agreed series of short-term breaks (agreements recorded)",
    ),
];

/// Legal statuses under which a child may be placed for adoption with a placement order
/// (A5/A6): a placement order, or a freeing order under the 1976 Act.
pub const LS_PLACEMENT_ORDER: &[&str] = &["E1", "D1"];

/// Episodes.PLACE: placement type.
pub const PLACE: &[Code] = &[
    c("A3", "Placed for adoption with parental consent with current foster carer(s)"),
    c("A4", "Placed for adoption with parental consent not with current foster carer(s)"),
    c("A5", "Placed for adoption with placement order with current foster carer(s)"),
    c("A6", "Placed for adoption with placement order not with current foster carer(s)"),
    c("H5", "Semi-independent living accommodation not subject to children's homes regulations"),
    c("K1", "Secure children's home"),
    c("K2", "Children's home subject to children's homes regulations"),
    c("P1", "Placed with own parent(s) or other person(s) with parental responsibility"),
    c("P2", "Independent living (flat, lodgings, bedsit, B&B or with friends)"),
    c("P3", "Residential employment"),
    c("R1", "Residential care home"),
    c("R2", "NHS/health trust or other establishment providing medical or nursing care"),
    c("R3", "Family centre or mother and baby unit"),
    c("R5", "Young offender institution"),
    c("S1", "Residential school (not dual-registered as a children's home)"),
    // T0 and T1–T4 (temporary moves): the guidance has used both forms over the years; which
    // years accepted which is uncertain here, so all five are accepted.
    c("T0", "Temporary move of any type"),
    c("T1", "Temporary period in hospital"),
    c("T2", "Temporary absence of the child on holiday"),
    c("T3", "Temporary accommodation while the usual foster carer(s) are on holiday"),
    c("T4", "Temporary accommodation of seven days or less for any other reason"),
    c("U1", "Foster placement with relative or friend: long-term fostering"),
    c("U2", "Foster placement with relative or friend who is an approved adopter: fostering for adoption / concurrent planning"),
    c("U3", "Foster placement with relative or friend: not long-term or fostering for adoption"),
    c("U4", "Foster placement with other foster carer: long-term fostering"),
    c("U5", "Foster placement with other foster carer who is an approved adopter: fostering for adoption / concurrent planning"),
    c("U6", "Foster placement with other foster carer: not long-term or fostering for adoption"),
    c("Z1", "Other placement"),
];

/// Placement types that are placements for adoption (A3–A6).
pub const PLACE_ADOPTION: &[&str] = &["A3", "A4", "A5", "A6"];
/// Adoption placements made with parental consent (need an ADM decision).
pub const PLACE_ADOPTION_CONSENT: &[&str] = &["A3", "A4"];
/// Adoption placements made under a placement order (need legal status E1 or D1).
pub const PLACE_ADOPTION_ORDER: &[&str] = &["A5", "A6"];

/// Episodes.PLACE_PROVIDER: who provides the placement.
pub const PLACE_PROVIDER: &[Code] = &[
    c(
        "PR0",
        "Parent(s) or other person(s) with parental responsibility",
    ),
    c("PR1", "Own provision (by the local authority)"),
    c("PR2", "Other local authority provision"),
    c("PR3", "Other public provision"),
    c("PR4", "Private provision"),
    c("PR5", "Voluntary or third sector provision"),
];

/// Episodes.REC: reason episode ceased.
pub const REC: &[Code] = &[
    c("E11", "Adopted: application for an adoption order unopposed"),
    c("E12", "Adopted: consent dispensed with by the court"),
    // E13's wording is from memory of the 2016-onwards guidance (uncertain).
    c("E13", "Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility"),
    c("E14", "Accommodation on remand ended"),
    c("E15", "Age assessment determined the child is 18 or over"),
    c("E16", "Child moved abroad"),
    c("E17", "Aged 18 or over and remained with current carers (including staying put)"),
    c("E2", "Died"),
    c("E3", "Care taken over by another local authority in the UK"),
    c("E4A", "Returned home to parent(s) or relatives as part of the care planning process"),
    c("E4B", "Returned home to parent(s) or relatives not as part of the care planning process"),
    c("E41", "Residence order or child arrangement order granted"),
    c("E45", "Special guardianship order made to former foster carer(s) who are relatives or friends"),
    c("E46", "Special guardianship order made to former foster carer(s) other than relatives or friends"),
    c("E47", "Special guardianship order made to carer(s), not former foster carers, who are relatives or friends"),
    c("E48", "Special guardianship order made to carer(s), not former foster carers, other than relatives or friends"),
    c("E5", "Moved into independent living with supportive accommodation"),
    c("E6", "Moved into independent living with no formalised support"),
    c("E7", "Transferred to residential care funded by adult social care services"),
    c("E8", "Period of being looked after ended for any other reason"),
    c("E9", "Sentenced to custody"),
    c("X1", "Episode ceases and a new episode begins on the same day (the period of care continues)"),
];

/// Reasons episode ceased meaning the child was adopted.
pub const REC_ADOPTED: &[&str] = &["E11", "E12"];
/// Reason episode ceased meaning the period of care continues in a new episode.
pub const REC_CONTINUES: &str = "X1";

/// PlacedAdoption.REASON_PLACED_CEASED: why the child is no longer to be placed for adoption.
pub const REASON_PLACED_CEASED: &[Code] = &[
    // The four descriptions are from memory of the guidance (uncertain wording, certain codes).
    c("RD1", "The child's needs changed after the decision"),
    c("RD2", "The court did not make a placement order"),
    c("RD3", "Prospective adopters could not be found"),
    c("RD4", "Any other reason"),
];

/// Header.SEX.
pub const SEX: &[Code] = &[c("1", "Male"), c("2", "Female")];

/// Header.ETHNIC: ethnic origin (DfE 2001-census-based codes).
pub const ETHNIC: &[Code] = &[
    c("WBRI", "White British"),
    c("WIRI", "White Irish"),
    c("WIRT", "Traveller of Irish heritage"),
    c("WOTH", "Any other White background"),
    c("WROM", "Gypsy/Roma"),
    c("MWBC", "White and Black Caribbean"),
    c("MWBA", "White and Black African"),
    c("MWAS", "White and Asian"),
    c("MOTH", "Any other mixed background"),
    c("AIND", "Indian"),
    c("APKN", "Pakistani"),
    c("ABAN", "Bangladeshi"),
    c("AOTH", "Any other Asian background"),
    c("BCRB", "Caribbean"),
    c("BAFR", "African"),
    c("BOTH", "Any other Black background"),
    c("CHNE", "Chinese"),
    c("OOTH", "Any other ethnic group"),
    c("REFU", "Refused"),
    c("NOBT", "Information not yet obtained"),
];

/// Episodes.CIN: category of need.
pub const CIN: &[Code] = &[
    c("N1", "Abuse or neglect"),
    c("N2", "Child's disability"),
    c("N3", "Parental illness or disability"),
    c("N4", "Family in acute stress"),
    c("N5", "Family dysfunction"),
    c("N6", "Socially unacceptable behaviour"),
    c("N7", "Low income"),
    c("N8", "Absent parenting"),
];

/// AD1.FOSTER_CARE: adopted by the child's former foster carer(s).
pub const FOSTER_CARE: &[Code] = &[c("0", "No"), c("1", "Yes")];

/// AD1.NB_ADOPTR: number of adopters.
pub const NB_ADOPTR: &[Code] = &[c("1", "Single adopter"), c("2", "Two adopters (a couple)")];

/// AD1.SEX_ADOPTR: sex of the adopter(s).
pub const SEX_ADOPTR: &[Code] = &[
    c("M1", "Single male adopter"),
    c("F1", "Single female adopter"),
    c("MM", "Male couple"),
    c("FF", "Female couple"),
    c("MF", "Male and female couple"),
];

/// AD1.LS_ADOPTR: legal status of the adopter(s).
pub const LS_ADOPTR: &[Code] = &[
    // Codes are certain; the exact wording of L11–L4 is from memory (uncertain).
    c("L0", "Single adopter"),
    c("L11", "Married couple (opposite sex)"),
    c("L12", "Married couple (same sex)"),
    c("L2", "Civil partners"),
    c("L3", "Unmarried couple (opposite sex)"),
    c("L4", "Unmarried couple (same sex)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_have_unique_codes_and_descriptions() {
        let lists: [&[Code]; 13] = [
            RNE,
            LS,
            PLACE,
            PLACE_PROVIDER,
            REC,
            REASON_PLACED_CEASED,
            SEX,
            ETHNIC,
            CIN,
            FOSTER_CARE,
            NB_ADOPTR,
            SEX_ADOPTR,
            LS_ADOPTR,
        ];
        for list in lists {
            for (i, a) in list.iter().enumerate() {
                assert!(!a.description.is_empty());
                assert!(list[i + 1..].iter().all(|b| b.code != a.code), "{}", a.code);
            }
        }
        assert_eq!(REC.len(), 22);
        assert_eq!(ETHNIC.len(), 20);
        assert_eq!(PLACE.len(), 27);
        for p in PLACE_ADOPTION {
            assert!(is_valid(PLACE, p));
        }
        assert!(!is_valid(REASON_PLACED_CEASED, "XXX"));
        assert!(!is_valid(LS, "e1"));
        assert_eq!(describe(SEX, "2"), Some("Female"));
    }
}
