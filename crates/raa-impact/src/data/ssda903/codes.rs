//! The DfE SSDA903 code lists used by validation and reports, with short English descriptions.
//!
//! # Source
//! The lists were first written from memory of the DfE "Children looked after return" guidance,
//! then checked against the code-list rules of the DfE's validation rules as implemented in the
//! public `data-to-insight/csc-validator-be-903` project (rule sets `lac2022_23` to
//! `lac2026_27`). Each list names the rule it was checked against (rule 101 SEX, 103 ETHNIC,
//! 143 RNE, 144 LS, 145 CIN, 146 PLACE, 149 REC, 178 PLACE_PROVIDER, 120 REASON_PLACED_CEASED,
//! 114 FOSTER_CARE, 175 NB_ADOPTR, 176 SEX_ADOPTR, 177 LS_ADOPTR). Descriptions are the
//! library's own short wording; where a rule's message states what a code means, the entry
//! cites it. Codes are case-sensitive, as in the DfE rules: `e1` is not a legal status.
//!
//! # Collection years
//! A list holds every code accepted in *some* collection year, so [`is_valid`] accepts the union
//! of the years (the validator keeps one list per field). The collection year is the year in
//! which the return's 31 March falls ([`crate::data::date::collection_year`]: 2025 is the
//! 2024-25 return). Codes the rules bring in or withdraw carry that year in
//! [`Code::first_year`] / [`Code::last_year`], and [`is_valid_in`] checks a code against one
//! year. The reference covers the 2022-23 return (year 2023) onwards, so a code with no bounds
//! is known valid from 2023 and is assumed valid for the library's earlier years (2011–2022);
//! changes before 2023 could not be checked there. The year-dependent codes:
//! * SEX `1`/`2` until 2024, `M`/`F`/`U` from 2025 (rule 101 of `lac2022_23` and `lac2024_25`).
//! * PLACE `K3` from 2025 (rule 146 of `lac2024_25`); `H5`, `P2` and `Z1` until 2025 and
//!   `Z11`–`Z14` from 2026 (rule 146 of `lac2025_26`).
//!
//! Some codes depend on a *date* rather than the year, which no list can express:
//! LS `D1` (freeing order) is not valid on an episode starting after 31 December 2005
//! (rule 445), nor on an episode still open (rule 451); PLACE `P2` is not valid on an episode
//! ending after 28 October 2023 or still open (rule 217t of `lac2023_24`).
//!
//! ```
//! use raa_impact::data::ssda903::codes::{describe, is_valid, is_valid_in, LS, PLACE, SEX};
//! assert!(is_valid(LS, "E1"));
//! assert!(!is_valid(PLACE, "A7"));
//! assert_eq!(describe(LS, "E1"), Some("Placement order granted"));
//! assert!(is_valid(SEX, "M") && !is_valid_in(SEX, "M", 2024));
//! ```

/// One code of a DfE code list, what it means and the collection years it is valid in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The code as written in the return, e.g. `E1`.
    pub code: &'static str,
    /// A short English description, for reports.
    pub description: &'static str,
    /// The first collection year whose rules accept the code; `None`: no known start.
    pub first_year: Option<i32>,
    /// The last collection year whose rules accept the code; `None`: still valid.
    pub last_year: Option<i32>,
}

impl Code {
    /// Whether the rules of collection year `year` accept this code.
    pub fn valid_in(&self, year: i32) -> bool {
        self.first_year.is_none_or(|y| year >= y) && self.last_year.is_none_or(|y| year <= y)
    }
}

/// A code valid in every year the library knows.
const fn c(code: &'static str, description: &'static str) -> Code {
    Code {
        code,
        description,
        first_year: None,
        last_year: None,
    }
}

/// A code introduced in collection year `year`.
const fn from(year: i32, code: &'static str, description: &'static str) -> Code {
    Code {
        first_year: Some(year),
        ..c(code, description)
    }
}

/// A code withdrawn after collection year `year`.
const fn until(year: i32, code: &'static str, description: &'static str) -> Code {
    Code {
        last_year: Some(year),
        ..c(code, description)
    }
}

/// Whether `code` is in `list` in any collection year (exact, case-sensitive match; callers
/// trim first).
pub fn is_valid(list: &[Code], code: &str) -> bool {
    list.iter().any(|c| c.code == code)
}

/// Whether `code` is in `list` and accepted in collection year `year`.
///
/// ```
/// use raa_impact::data::ssda903::codes::{is_valid_in, PLACE};
/// assert!(is_valid_in(PLACE, "Z1", 2024));
/// assert!(!is_valid_in(PLACE, "Z1", 2026));
/// assert!(is_valid_in(PLACE, "Z11", 2026));
/// ```
pub fn is_valid_in(list: &[Code], code: &str, year: i32) -> bool {
    list.iter().any(|c| c.code == code && c.valid_in(year))
}

/// The codes of `list` valid in collection year `year`, comma-separated (for messages).
pub fn codes_in(list: &[Code], year: i32) -> String {
    let codes: Vec<&str> = list
        .iter()
        .filter(|c| c.valid_in(year))
        .map(|c| c.code)
        .collect();
    codes.join(", ")
}

/// The description of `code` in `list`, if it is there.
pub fn describe(list: &[Code], code: &str) -> Option<&'static str> {
    list.iter().find(|c| c.code == code).map(|c| c.description)
}

/// The codes of `list` joined with `, ` (for messages such as "expected one of ...").
pub fn codes_of(list: &[Code]) -> String {
    list.iter().map(|c| c.code).collect::<Vec<_>>().join(", ")
}

/// Episodes.RNE: reason for new episode (rule 143).
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

/// Episodes.LS: legal status (rule 144). `D1` is in the list but valid only on episodes that
/// started by 31 December 2005 (rule 445; see the module documentation).
pub const LS: &[Code] = &[
    c("C1", "Interim care order"),
    c("C2", "Full care order"),
    c("D1", "Freeing order granted"),
    c("E1", "Placement order granted"),
    c("J1", "Remanded to the care of the local authority"),
    // J2 is the PACE legal status whose length rule 364 limits.
    c("J2", "Placed in local authority accommodation under PACE"),
    c(
        "J3",
        "Sentenced to a supervision order with residence requirement",
    ),
    // L1–L3: police protection (rule 361, 72 hours), emergency protection order (rule 362,
    // 21 days), child assessment order (rule 363, 7 days).
    c(
        "L1",
        "Under police protection and in local authority accommodation",
    ),
    c("L2", "Under an emergency protection order"),
    c(
        "L3",
        "Under a child assessment order and in local authority accommodation",
    ),
    // V2: the single period of section 20 accommodation of rules 359 and 378.
    c(
        "V2",
        "Single period of accommodation under section 20 (Children Act 1989)",
    ),
    // V3/V4: short breaks (respite care) in rules 382 and 384.
    c(
        "V3",
        "Accommodated under an agreed series of short-term breaks (individual episodes recorded)",
    ),
    c(
        "V4",
        "Accommodated under an agreed series of short-term breaks (agreements recorded)",
    ),
];

/// Legal statuses that record the placement order a placement for adoption with a placement
/// order (A5/A6) needs: only E1 (rule 408). A freeing order (D1) does not count: since 2006 a
/// D1 episode can neither start (rule 445) nor stay open (rule 451).
pub const LS_PLACEMENT_ORDER: &[&str] = &["E1"];

/// Episodes.PLACE: placement type (rule 146 of `lac2022_23`; K3 added by `lac2024_25`; H5, P2
/// and Z1 replaced by K3 and Z11–Z14 in `lac2025_26`).
pub const PLACE: &[Code] = &[
    c("A3", "Placed for adoption with parental consent with current foster carer(s)"),
    c("A4", "Placed for adoption with parental consent not with current foster carer(s)"),
    c("A5", "Placed for adoption with placement order with current foster carer(s)"),
    c("A6", "Placed for adoption with placement order not with current foster carer(s)"),
    // Rule 371 names H5 "semi-independent living accommodation" up to 2023-24 and "supported
    // accommodation" from 2024-25; URN required from 28 October 2023 (rule 230).
    until(2025, "H5", "Semi-independent living or supported accommodation not subject to children's homes regulations"),
    c("K1", "Secure children's home"),
    c("K2", "Children's home subject to children's homes regulations"),
    // K3's meaning is inferred: rule 710 (2026-27) lists K1, P1, R5, K3 as "secure children's
    // homes, with parents, young offender institutions, or supported accommodation". The
    // 2024-25 rule 146 spells it `k3`, taken here as a slip for the `K3` of later years.
    from(2025, "K3", "Supported accommodation"),
    c("P1", "Placed with own parent(s) or other person(s) with parental responsibility"),
    // P2: independent living (rule 370); invalid on episodes ending after 28 October 2023
    // (rule 217t).
    until(2025, "P2", "Independent living (flat, lodgings, bedsit, B&B or with friends)"),
    c("P3", "Residential employment"),
    c("R1", "Residential care home"),
    c("R2", "NHS/health trust or other establishment providing medical or nursing care"),
    c("R3", "Family centre or mother and baby unit"),
    // Rule 372: "youth custody or prison".
    c("R5", "Young offender institution or prison"),
    c("S1", "Residential school (not dual-registered as a children's home)"),
    // T0–T4 are all accepted in every year of the reference (rule 146, 2022-23 to 2025-26);
    // rules 375, 376 and 379 bound T1 (hospital, 6 weeks), T3 (carers' holiday, 3 weeks) and
    // T4 (other reason, 7 days).
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
    until(2025, "Z1", "Other placement"),
    // Z11–Z14 split Z1 from 2025-26; the reference gives no wording for the four.
    from(2026, "Z11", "Other placement (2025-26 subtype Z11)"),
    from(2026, "Z12", "Other placement (2025-26 subtype Z12)"),
    from(2026, "Z13", "Other placement (2025-26 subtype Z13)"),
    from(2026, "Z14", "Other placement (2025-26 subtype Z14)"),
];

/// Placement types that are placements for adoption (A3–A6; rule 390).
pub const PLACE_ADOPTION: &[&str] = &["A3", "A4", "A5", "A6"];
/// Adoption placements made with parental consent (need an ADM decision).
pub const PLACE_ADOPTION_CONSENT: &[&str] = &["A3", "A4"];
/// Adoption placements made under a placement order (need legal status E1: rule 408).
pub const PLACE_ADOPTION_ORDER: &[&str] = &["A5", "A6"];
/// Placement types that take no PLACE_PROVIDER: temporary moves and other placements
/// (rules 178 and 526 of `lac2022_23`; Z11–Z14 from `lac2025_26`). Every other placement needs
/// one.
pub const PLACE_WITHOUT_PROVIDER: &[&str] = &[
    "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14",
];

/// Episodes.PLACE_PROVIDER: who provides the placement (rule 178). Rules 527–531 and 550 say
/// which placements each may provide: PR0 only P1; PR1–PR5 never P1; PR1/PR2 not R2 or R5;
/// PR3 not A3–A6, K1, K2 or U1–U6.
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

/// Whether `provider` may provide placement `place` (rules 178, 526–531 and 550): temporary and
/// other placements ([`PLACE_WITHOUT_PROVIDER`]) take none, every other placement needs one; PR0
/// provides only P1 and only PR0 provides P1; PR1/PR2 do not provide R2 or R5; PR3 does not
/// provide A3–A6, K1, K2 or U1–U6. Unknown codes are left to the code-list rules (`true`).
///
/// ```
/// use raa_impact::data::ssda903::codes::provider_allowed;
/// assert!(provider_allowed("U4", "PR1"));
/// assert!(!provider_allowed("U4", "PR3"));
/// assert!(provider_allowed("Z1", "") && !provider_allowed("Z1", "PR1"));
/// ```
pub fn provider_allowed(place: &str, provider: &str) -> bool {
    if PLACE_WITHOUT_PROVIDER.contains(&place) {
        return provider.is_empty();
    }
    match provider {
        "" => false,
        "PR0" => place == "P1",
        _ if place == "P1" => false,
        "PR1" | "PR2" => !matches!(place, "R2" | "R5"),
        "PR3" => {
            !(place.starts_with('U') || matches!(place, "A3" | "A4" | "A5" | "A6" | "K1" | "K2"))
        }
        _ => true,
    }
}

/// Episodes.REC: reason episode ceased (rule 149). The old code `E1` (adopted, before the
/// E11/E12 split) is not accepted.
pub const REC: &[Code] = &[
    // E11/E12: adopted (rules 386, 390).
    c("E11", "Adopted: application for an adoption order unopposed"),
    c("E12", "Adopted: consent dispensed with by the court"),
    // E13's wording is from memory of the guidance (no rule states it).
    c("E13", "Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility"),
    c("E14", "Accommodation on remand ended"),
    // E15 and E2 end the child's care for good (rule 437: no further episodes).
    c("E15", "Age assessment determined the child is 18 or over"),
    c("E16", "Child moved abroad"),
    c("E17", "Aged 18 or over and remained with current carers (including staying put)"),
    c("E2", "Died"),
    // E3: care transferred to another local authority (rule 1011).
    c("E3", "Care taken over by another local authority in the UK"),
    c("E4A", "Returned home to parent(s) or relatives as part of the care planning process"),
    c("E4B", "Returned home to parent(s) or relatives not as part of the care planning process"),
    c("E41", "Residence order or child arrangement order granted"),
    // E45–E48: special guardianship orders (rule 407); E45/E46 to former foster carers, who
    // must have been a U1–U6 placement (rule 516).
    c("E45", "Special guardianship order made to former foster carer(s) who are relatives or friends"),
    c("E46", "Special guardianship order made to former foster carer(s) other than relatives or friends"),
    c("E47", "Special guardianship order made to carer(s), not former foster carers, who are relatives or friends"),
    c("E48", "Special guardianship order made to carer(s), not former foster carers, other than relatives or friends"),
    // E5/E6: independent living (rule 387); E7: adult social care (rule 389).
    c("E5", "Moved into independent living with supportive accommodation"),
    c("E6", "Moved into independent living with no formalised support"),
    c("E7", "Transferred to residential care funded by adult social care services"),
    c("E8", "Period of being looked after ended for any other reason"),
    c("E9", "Sentenced to custody"),
    c("X1", "Episode ceases and a new episode begins on the same day (the period of care continues)"),
];

/// Reasons episode ceased meaning the child was adopted (rules 386, 390).
pub const REC_ADOPTED: &[&str] = &["E11", "E12"];
/// Reason episode ceased meaning the period of care continues in a new episode.
pub const REC_CONTINUES: &str = "X1";

/// PlacedAdoption.REASON_PLACED_CEASED: why the child should no longer be placed for adoption
/// (rule 120).
pub const REASON_PLACED_CEASED: &[Code] = &[
    // The rules name the four codes but not their meanings: the descriptions are from memory
    // of the guidance (uncertain wording).
    c("RD1", "The child's needs changed after the decision"),
    c("RD2", "The court did not make a placement order"),
    c("RD3", "Prospective adopters could not be found"),
    c("RD4", "Any other reason"),
];

/// Header.SEX: `1`/`2` until 2023-24 (rule 101 of `lac2022_23`), `M`/`F`/`U` from 2024-25
/// (rule 101 of `lac2024_25`; rule 232 warns on `U`).
pub const SEX: &[Code] = &[
    until(2024, "1", "Male"),
    until(2024, "2", "Female"),
    from(2025, "M", "Male"),
    from(2025, "F", "Female"),
    from(2025, "U", "Unknown"),
];

/// Header.ETHNIC: ethnic origin (DfE 2001-census-based codes; rule 103).
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

/// Episodes.CIN: category of need (rule 145).
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

/// AD1.FOSTER_CARE: adopted by the child's former foster carer(s) (rule 114).
pub const FOSTER_CARE: &[Code] = &[c("0", "No"), c("1", "Yes")];

/// AD1.NB_ADOPTR: number of adopters (rule 175).
pub const NB_ADOPTR: &[Code] = &[c("1", "Single adopter"), c("2", "Two adopters (a couple)")];

/// AD1.SEX_ADOPTR: sex of the adopter(s) (rule 176; MM, FF and MF are couples: rule 511).
pub const SEX_ADOPTR: &[Code] = &[
    c("M1", "Single male adopter"),
    c("F1", "Single female adopter"),
    c("MM", "Male couple"),
    c("FF", "Female couple"),
    c("MF", "Male and female couple"),
];

/// AD1.LS_ADOPTR: legal status of the adopter(s) (rule 177). The rules pair each with
/// SEX_ADOPTR: L0 with M1/F1 (rule 514), L11 and L3 with MF (rules 520, 517), L12 and L4 with
/// MM/FF (rules 524, 518), L2 with any couple (rule 519).
pub const LS_ADOPTR: &[Code] = &[
    c("L0", "Single adopter"),
    // Rule 520 names L11 the different-sex married couple; L12 (same-sex couples only) is the
    // same-sex married couple. L3/L4 are then the unmarried couples, by elimination.
    c("L11", "Married couple (different sexes)"),
    c("L12", "Married couple (same sex)"),
    c("L2", "Civil partners"),
    c("L3", "Unmarried couple (different sexes)"),
    c("L4", "Unmarried couple (same sex)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [&[Code]; 13] = [
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

    #[test]
    fn lists_have_unique_codes_and_descriptions() {
        for list in ALL {
            for (i, a) in list.iter().enumerate() {
                assert!(!a.description.is_empty());
                assert!(list[i + 1..].iter().all(|b| b.code != a.code), "{}", a.code);
            }
        }
        assert_eq!(REC.len(), 22);
        assert_eq!(ETHNIC.len(), 20);
        for p in PLACE_ADOPTION.iter().chain(PLACE_WITHOUT_PROVIDER) {
            assert!(is_valid(PLACE, p), "{p}");
        }
        assert!(!is_valid(REASON_PLACED_CEASED, "XXX"));
        assert!(!is_valid(LS, "e1"));
        assert_eq!(describe(SEX, "2"), Some("Female"));
    }

    #[test]
    fn year_bounds_are_ordered_and_is_valid_is_their_union() {
        for list in ALL {
            for code in list.iter() {
                if let (Some(a), Some(b)) = (code.first_year, code.last_year) {
                    assert!(a <= b, "{}", code.code);
                }
                let any_year = (2000..2040).any(|y| is_valid_in(list, code.code, y));
                assert_eq!(any_year, is_valid(list, code.code), "{}", code.code);
            }
        }
    }

    #[test]
    fn place_list_sizes_per_year_match_rule_146() {
        let size = |y| PLACE.iter().filter(|c| c.valid_in(y)).count();
        assert_eq!(size(2023), 27);
        assert_eq!(size(2025), 28);
        assert_eq!(size(2026), 29);
    }
}
