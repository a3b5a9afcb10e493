//! Weighted SSDA903 code lists the generator draws from (shares are rough national ones).

use crate::data::ssda903::codes::{provider_allowed, PLACE_WITHOUT_PROVIDER};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A code with its weight (weights need not sum to 1).
pub(crate) type Weighted = &'static [(&'static str, f64)];

/// Draw one code in proportion to the weights.
pub(crate) fn pick(rng: &mut ChaCha8Rng, list: Weighted) -> &'static str {
    let total: f64 = list.iter().map(|x| x.1).sum();
    let mut u = rng.random::<f64>() * total;
    for (code, w) in list {
        if u < *w {
            return code;
        }
        u -= w;
    }
    list.last().map(|x| x.0).unwrap_or("")
}

/// Ethnicity of all children looked after: ~75% white, ~10% mixed, ~5% black, ~5% asian,
/// the rest other or not obtained.
pub(crate) const ETHNIC_ALL: Weighted = &[
    ("WBRI", 66.0),
    ("WIRI", 0.5),
    ("WIRT", 0.5),
    ("WOTH", 7.0),
    ("WROM", 1.0),
    ("MWBC", 3.0),
    ("MWBA", 1.5),
    ("MWAS", 1.5),
    ("MOTH", 4.0),
    ("AIND", 1.0),
    ("APKN", 1.5),
    ("ABAN", 0.8),
    ("AOTH", 1.7),
    ("BCRB", 1.0),
    ("BAFR", 2.5),
    ("BOTH", 1.5),
    ("CHNE", 0.3),
    ("OOTH", 3.2),
    ("REFU", 0.5),
    ("NOBT", 0.8),
];

/// Ethnicity of children with an adoption decision (more white and mixed, fewer older
/// unaccompanied asylum seekers).
pub(crate) const ETHNIC_ADOPTION: Weighted = &[
    ("WBRI", 74.0),
    ("WIRI", 0.3),
    ("WIRT", 0.4),
    ("WOTH", 5.0),
    ("WROM", 1.0),
    ("MWBC", 4.0),
    ("MWBA", 1.5),
    ("MWAS", 1.5),
    ("MOTH", 4.0),
    ("AIND", 0.5),
    ("APKN", 1.0),
    ("ABAN", 0.3),
    ("AOTH", 0.8),
    ("BCRB", 0.7),
    ("BAFR", 1.5),
    ("BOTH", 1.0),
    ("CHNE", 0.1),
    ("OOTH", 1.4),
    ("REFU", 0.2),
    ("NOBT", 0.8),
];

/// Black (B…) or mixed (M…) ethnicity: one of the harder-to-place flags.
pub(crate) fn is_black_or_mixed(ethnic: &str) -> bool {
    ethnic.starts_with('B') || ethnic.starts_with('M')
}

/// Category of need of a period of care (N8 absent parenting mostly for teenagers).
pub(crate) fn cin(rng: &mut ChaCha8Rng, age_years: f64) -> &'static str {
    if age_years >= 14.0 && rng.random::<f64>() < 0.15 {
        return "N8";
    }
    pick(
        rng,
        &[
            ("N1", 66.0),
            ("N2", 3.0),
            ("N3", 3.0),
            ("N4", 8.0),
            ("N5", 14.0),
            ("N6", 2.0),
            ("N7", 0.2),
            ("N8", 2.0),
        ],
    )
}

/// Legal status at entry; `true` when the child is on remand (J2, only from age 12: DfE rule
/// 358). Short breaks (V3/V4) are not generated.
pub(crate) fn entry_legal_status(rng: &mut ChaCha8Rng, age_years: f64) -> (&'static str, bool) {
    if age_years >= 12.0 && rng.random::<f64>() < 0.04 {
        return ("J2", true);
    }
    let ls = pick(
        rng,
        &[
            ("V2", 56.0),
            ("C2", 34.0),
            ("L1", 5.0),
            ("L2", 3.0),
            ("C1", 2.0),
        ],
    );
    (ls, false)
}

/// Age (days) at entry of a child not on the adoption pathway.
pub(crate) fn care_entry_age_days(rng: &mut ChaCha8Rng) -> i32 {
    let u: f64 = rng.random();
    let (lo, hi) = if u < 0.08 {
        (0.0, 30.0)
    } else if u < 0.17 {
        (30.0, 365.0)
    } else if u < 0.36 {
        (365.0, 1826.0)
    } else if u < 0.56 {
        (1826.0, 3652.0)
    } else if u < 0.90 {
        (3652.0, 5844.0)
    } else {
        (5844.0, 6500.0)
    };
    rng.random_range(lo..hi) as i32
}

/// Age (days) at entry of a child who will get an adoption decision (mostly babies and toddlers).
pub(crate) fn adoption_entry_age_days(rng: &mut ChaCha8Rng) -> i32 {
    let u: f64 = rng.random();
    let (lo, hi) = if u < 0.45 {
        (0.0, 30.0)
    } else if u < 0.77 {
        (30.0, 730.0)
    } else if u < 0.93 {
        (730.0, 1460.0)
    } else {
        (1460.0, 2900.0)
    };
    rng.random_range(lo..hi) as i32
}

/// A placement type and provider for a child in care (not an adoption placement). Temporary
/// placements (T0–T4, with their own duration rules) and P2 (withdrawn in 2023) are not generated.
pub(crate) fn placement(rng: &mut ChaCha8Rng, teen: bool) -> (&'static str, &'static str) {
    let place = if teen {
        pick(
            rng,
            &[
                ("U6", 30.0),
                ("U4", 8.0),
                ("U3", 5.0),
                ("K2", 18.0),
                ("H5", 25.0),
                ("R1", 3.0),
                ("P1", 3.0),
                ("S1", 3.0),
                ("R2", 1.0),
                ("Z1", 2.0),
                ("K1", 1.0),
            ],
        )
    } else {
        pick(
            rng,
            &[
                ("U6", 50.0),
                ("U4", 15.0),
                ("U3", 10.0),
                ("U1", 4.0),
                ("K2", 8.0),
                ("P1", 5.0),
                ("R1", 2.0),
                ("R3", 0.5),
                ("Z1", 1.0),
                ("P3", 1.0),
            ],
        )
    };
    (place, provider_for(rng, place))
}

/// A foster placement (U1, U3, U4, U6) and its provider.
pub(crate) fn foster_placement(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    let place = pick(
        rng,
        &[("U6", 62.0), ("U4", 18.0), ("U3", 16.0), ("U1", 4.0)],
    );
    (place, provider_for(rng, place))
}

/// PR0 for placements with parents, none for temporary and other placements, else the LA's own,
/// private, voluntary, other LA or public provision — as the DfE pairing rules allow
/// ([`provider_allowed`]): a drawn provider that does not fit becomes private provision (PR4).
/// One draw either way, so the random stream does not depend on the placement.
fn provider_for(rng: &mut ChaCha8Rng, place: &str) -> &'static str {
    let drawn = pick(
        rng,
        &[
            ("PR1", 55.0),
            ("PR4", 33.0),
            ("PR5", 6.0),
            ("PR2", 4.0),
            ("PR3", 2.0),
        ],
    );
    if place == "P1" {
        "PR0"
    } else if PLACE_WITHOUT_PROVIDER.contains(&place) {
        ""
    } else if provider_allowed(place, drawn) {
        drawn
    } else {
        "PR4"
    }
}

/// Legal status and placement at entry of an adoption child. Consent cases stay V2; foster-to-
/// adopt children go straight to a foster-to-adopt carer (U5, or U2 with connected carers).
pub(crate) fn adoption_entry_state(
    rng: &mut ChaCha8Rng,
    consent: bool,
    ffa: bool,
) -> (&'static str, (&'static str, &'static str)) {
    let ls = if consent {
        "V2"
    } else {
        pick(rng, &[("C2", 65.0), ("V2", 30.0), ("L2", 5.0)])
    };
    let provider = pick(rng, &[("PR1", 65.0), ("PR4", 30.0), ("PR5", 5.0)]);
    let place = if ffa {
        if rng.random::<f64>() < 0.1 {
            "U2"
        } else {
            "U5"
        }
    } else {
        pick(
            rng,
            &[("U6", 64.0), ("U4", 17.0), ("U3", 16.0), ("U1", 3.0)],
        )
    };
    (ls, (place, provider))
}

/// Providers of adoptive placements: the LA (or its RAA), another LA, a voluntary agency.
pub(crate) const ADOPTION_PROVIDERS: Weighted = &[("PR1", 60.0), ("PR2", 20.0), ("PR5", 20.0)];

/// Reasons a placement changed (REASON_PLACE_CHANGE).
pub(crate) const MOVE_REASONS: Weighted = &[
    ("CARPL", 30.0),
    ("LAREQ", 20.0),
    ("PLACE", 20.0),
    ("CHILD", 10.0),
    ("CREQB", 5.0),
    ("CREQO", 5.0),
    ("STAND", 5.0),
    ("OTHER", 5.0),
];

/// Exits at 18: left care for other reasons, staying put, independent living.
pub(crate) const REC_AT_18: Weighted = &[
    ("E8", 45.0),
    ("E17", 15.0),
    ("E5", 25.0),
    ("E6", 10.0),
    ("E7", 2.0),
    ("E9", 3.0),
];

/// Exits after a short stay: mostly home.
pub(crate) const REC_SHORT: Weighted = &[
    ("E13", 60.0),
    ("E4A", 15.0),
    ("E4B", 5.0),
    ("E8", 10.0),
    ("E41", 3.0),
    ("E3", 3.0),
    ("E15", 1.0),
    ("E16", 1.0),
    ("E2", 0.2),
    ("E9", 1.8),
];

/// Exits after a long stay.
pub(crate) const REC_LONG: Weighted = &[
    ("E13", 35.0),
    ("E45", 12.0),
    ("E46", 10.0),
    ("E47", 2.0),
    ("E48", 2.0),
    ("E41", 10.0),
    ("E8", 15.0),
    ("E4A", 6.0),
    ("E3", 3.0),
    ("E9", 3.0),
    ("E16", 2.0),
];

/// Exits of children whose adoption decision ceased.
pub(crate) const REC_AFTER_REVERSAL: Weighted =
    &[("E13", 35.0), ("E45", 30.0), ("E46", 20.0), ("E41", 15.0)];

/// Why an adoption decision was reversed (RD1 needs changed, RD2 court did not make a placement
/// order, RD3 adopters could not be found, RD4 other).
pub(crate) const REVERSAL_REASONS: Weighted =
    &[("RD1", 25.0), ("RD2", 35.0), ("RD3", 15.0), ("RD4", 25.0)];

/// Adopters: number, sexes and legal status (NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR) with the DfE
/// codes: L11 married different-sex couple (rule 520), L12 married same-sex (rule 524), L2 civil
/// partners (rule 519), L3/L4 unmarried different-/same-sex couple (rules 517/518), L0 single
/// adopter (rule 514).
pub(crate) fn adopters(rng: &mut ChaCha8Rng) -> (&'static str, &'static str, &'static str) {
    let u: f64 = rng.random();
    if u < 0.60 {
        ("2", "MF", "L11")
    } else if u < 0.70 {
        ("2", "MF", "L3")
    } else if u < 0.74 {
        ("2", "MM", "L12")
    } else if u < 0.78 {
        ("2", "FF", "L12")
    } else if u < 0.81 {
        ("2", "MM", "L2")
    } else if u < 0.84 {
        ("2", "FF", "L2")
    } else if u < 0.86 {
        ("2", "MM", "L4")
    } else if u < 0.88 {
        ("2", "FF", "L4")
    } else if u < 0.98 {
        ("1", "F1", "L0")
    } else {
        ("1", "M1", "L0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn pick_follows_weights() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 20_000;
        let white = (0..n)
            .filter(|_| pick(&mut rng, ETHNIC_ALL).starts_with('W'))
            .count();
        let share = white as f64 / n as f64;
        assert!((0.72..0.78).contains(&share), "{share}");
    }
}
