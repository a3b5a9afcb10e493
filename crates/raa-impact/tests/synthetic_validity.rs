//! Every generated record passes the SSDA903 rules the library relies on (checked here
//! independently of the library's validator, which is written in parallel), and the returns
//! repeat open episodes across years as real returns do.

use raa_impact::data::date::{year_end, Date};
use raa_impact::data::ssda903::tables::{Returns, Table};
use raa_impact::synthetic::{england, Outcome, SyntheticConfig, SyntheticEngland};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

const RNE: &[&str] = &["S", "L", "P", "T", "U", "B"];
const LS: &[&str] = &[
    "C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4",
];
const PLACE: &[&str] = &[
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0",
    "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
];
const PROVIDER: &[&str] = &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];
const REC: &[&str] = &[
    "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E4A", "E4B", "E41", "E45", "E46",
    "E47", "E48", "E5", "E6", "E7", "E8", "E9", "X1",
];
const ETHNIC: &[&str] = &[
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
];
const CIN: &[&str] = &["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"];
const REASON_PLACE_CHANGE: &[&str] = &[
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
    "CUSTOD", "OTHER",
];

/// A tenth of England, all years: small enough for debug builds, large enough for every path.
fn sample() -> &'static SyntheticEngland {
    static E: OnceLock<SyntheticEngland> = OnceLock::new();
    E.get_or_init(|| {
        england(&SyntheticConfig {
            scale: 0.1,
            seed: 11,
            ..Default::default()
        })
        .expect("generates")
    })
}

#[test]
fn codes_are_in_the_dfe_lists() {
    let r = &sample().returns;
    for e in &r.episodes {
        assert!(RNE.contains(&e.rne.as_str()), "RNE {}", e.rne);
        assert!(LS.contains(&e.ls.as_str()), "LS {}", e.ls);
        assert!(PLACE.contains(&e.place.as_str()), "PLACE {}", e.place);
        // Temporary and other placements (T0–T4, Z1) take no provider; every other placement
        // one that fits it (DfE rules 178, 526–531, 550).
        assert!(
            e.place_provider.is_empty() || PROVIDER.contains(&e.place_provider.as_str()),
            "PROVIDER {}",
            e.place_provider
        );
        assert!(
            raa_impact::data::ssda903::codes::provider_allowed(&e.place, &e.place_provider),
            "PLACE {} with PROVIDER {:?}",
            e.place,
            e.place_provider
        );
        assert!(CIN.contains(&e.cin.as_str()), "CIN {}", e.cin);
        assert_eq!(
            e.dec.is_some(),
            !e.rec.is_empty(),
            "DEC and REC go together"
        );
        if !e.reason_place_change.is_empty() {
            assert!(
                REASON_PLACE_CHANGE.contains(&e.reason_place_change.as_str()),
                "1009"
            );
        }
        if !e.rec.is_empty() {
            assert!(REC.contains(&e.rec.as_str()), "REC {}", e.rec);
        }
    }
    for h in &r.header {
        assert!(h.sex == "1" || h.sex == "2");
        assert!(ETHNIC.contains(&h.ethnic.as_str()), "ETHNIC {}", h.ethnic);
        assert!(h.sibling_group.is_some() && h.disability.is_some());
    }
    for p in &r.placed_adoption {
        assert_eq!(
            p.date_placed_ceased.is_some(),
            !p.reason_placed_ceased.is_empty()
        );
        if !p.reason_placed_ceased.is_empty() {
            assert!(["RD1", "RD2", "RD3", "RD4"].contains(&p.reason_placed_ceased.as_str()));
        }
    }
}

#[test]
fn ethnicity_shares_are_realistic() {
    let h = &sample().returns.header;
    let share =
        |p: char| h.iter().filter(|r| r.ethnic.starts_with(p)).count() as f64 / h.len() as f64;
    assert!((0.70..0.82).contains(&share('W')), "white {}", share('W'));
    assert!((0.07..0.14).contains(&share('M')), "mixed {}", share('M'));
    assert!((0.03..0.08).contains(&share('B')), "black {}", share('B'));
    assert!((0.03..0.08).contains(&share('A')), "asian {}", share('A'));
}

/// Rows of one table grouped by (LA, year, child), in file order.
fn by_child<T>(
    rows: &[T],
    key: impl Fn(&T) -> (String, i32, String),
) -> BTreeMap<(String, i32, String), Vec<&T>> {
    let mut m: BTreeMap<_, Vec<&T>> = BTreeMap::new();
    for r in rows {
        m.entry(key(r)).or_default().push(r);
    }
    m
}

#[test]
fn episodes_are_ordered_contiguous_and_consistent_with_the_adoption_tables() {
    let r = &sample().returns;
    let header = by_child(&r.header, |h| {
        (h.src.la.to_string(), h.src.year, h.child.to_string())
    });
    let pa = by_child(&r.placed_adoption, |p| {
        (p.src.la.to_string(), p.src.year, p.child.to_string())
    });
    let ad1 = by_child(&r.ad1, |a| {
        (a.src.la.to_string(), a.src.year, a.child.to_string())
    });
    let eps = by_child(&r.episodes, |e| {
        (e.src.la.to_string(), e.src.year, e.child.to_string())
    });
    assert!(
        header.values().all(|v| v.len() == 1),
        "one header row per child per return"
    );
    assert!(pa.values().all(|v| v.len() == 1) && ad1.values().all(|v| v.len() == 1));
    let (mut adopted, mut a5) = (0, 0);
    for (key, list) in &eps {
        let h = header
            .get(key)
            .expect("every child with episodes has a header row")[0];
        let dob = h.dob.expect("dob");
        let adm = pa.get(key).and_then(|p| p[0].date_placed);
        let end = year_end(key.1);
        let mut placed_for_adoption = false;
        for (i, e) in list.iter().enumerate() {
            let decom = e.decom.expect("decom");
            assert!(dob <= decom, "DOB <= DECOM");
            assert!(decom <= end, "episode starts within the return");
            if let Some(dec) = e.dec {
                assert!(decom <= dec && dec <= end, "DECOM <= DEC <= 31 March");
            }
            if let Some(next) = list.get(i + 1) {
                let dec = e.dec.expect("only the last episode may be open");
                assert!(next.decom.expect("decom") >= dec, "no overlap");
                if next.rne != "S" {
                    assert_eq!(next.decom, e.dec, "contiguous within a period");
                    assert_eq!(e.rec, "X1");
                } else {
                    assert_ne!(e.rec, "X1", "a period ends with a real exit");
                }
            }
            if matches!(e.place.as_str(), "A5" | "A6") {
                assert_eq!(e.ls, "E1", "A5/A6 only under a placement order");
                a5 += 1;
            }
            if matches!(e.place.as_str(), "A3" | "A4" | "A5" | "A6") {
                assert!(
                    adm.is_some_and(|a| a <= decom),
                    "adoptive placement after the ADM decision"
                );
                placed_for_adoption = true;
            }
            if e.rec == "E11" || e.rec == "E12" {
                assert!(ad1.contains_key(key), "adoption with an AD1 row");
                assert!(placed_for_adoption, "adoption after an A3-A6 placement");
                adopted += 1;
            }
        }
        if let Some(a) = ad1.get(key) {
            let (int, m) = (
                a[0].date_int.expect("date_int"),
                a[0].date_match.expect("match"),
            );
            assert_eq!(Some(int), adm, "AD1 DATE_INT = PlacedAdoption DATE_PLACED");
            assert!(int <= m && m <= end);
        }
    }
    assert!(
        adopted > 100 && a5 > 100,
        "the adoption paths are exercised: {adopted} {a5}"
    );
}

#[test]
fn files_and_sources_agree() {
    let r: &Returns = &sample().returns;
    let n_las = sample().las.len();
    assert_eq!(r.files.len(), n_las * 14 * 4, "LA x year x table");
    let mut seen: HashMap<u32, u64> = HashMap::new();
    let mut check = |src: &raa_impact::data::ssda903::tables::Source, t: Table| {
        let f = &r.files[src.file as usize];
        assert_eq!(
            (f.la.as_str(), f.year, f.table),
            (src.la.as_str(), src.year, t)
        );
        let n = seen.entry(src.file).or_insert(0);
        *n += 1;
        assert_eq!(src.row, *n, "rows numbered 1.. within a file");
    };
    r.header.iter().for_each(|x| check(&x.src, Table::Header));
    r.episodes
        .iter()
        .for_each(|x| check(&x.src, Table::Episodes));
    r.ad1.iter().for_each(|x| check(&x.src, Table::Ad1));
    r.placed_adoption
        .iter()
        .for_each(|x| check(&x.src, Table::PlacedAdoption));
    for (i, f) in r.files.iter().enumerate() {
        assert_eq!(
            f.rows,
            seen.get(&(i as u32)).copied().unwrap_or(0),
            "{}",
            f.path
        );
    }
}

#[test]
fn open_episodes_repeat_and_close_in_a_later_return() {
    let r = &sample().returns;
    // (la, child, decom) -> [(year, dec)]
    // (LA, child, DECOM) -> every (collection year, DEC) version of that episode.
    type Versions = HashMap<(String, String, Date), Vec<(i32, Option<Date>)>>;
    let mut versions: Versions = HashMap::new();
    for e in &r.episodes {
        versions
            .entry((
                e.src.la.to_string(),
                e.child.to_string(),
                e.decom.expect("decom"),
            ))
            .or_default()
            .push((e.src.year, e.dec));
    }
    let mut repeated_then_closed = 0;
    for v in versions.values() {
        for w in v.windows(2) {
            assert_eq!(
                w[1].0,
                w[0].0 + 1,
                "an episode appears in consecutive returns"
            );
            assert!(w[0].1.is_none(), "only open episodes are repeated");
        }
        if v.len() > 1 && v.last().is_some_and(|x| x.1.is_some()) {
            repeated_then_closed += 1;
        }
    }
    assert!(repeated_then_closed > 1000, "{repeated_then_closed}");
}

#[test]
fn truth_milestones_are_ordered_and_match_the_returns() {
    let e = sample();
    let mut last_dec: HashMap<(String, String), (Date, String)> = HashMap::new();
    for ep in &e.returns.episodes {
        if let Some(dec) = ep.dec {
            last_dec.insert(
                (ep.src.la.to_string(), ep.child.to_string()),
                (dec, ep.rec.to_string()),
            );
        }
    }
    let cut = year_end(2024);
    let mut first_a: HashMap<(String, String), Date> = HashMap::new();
    for ep in e
        .returns
        .episodes
        .iter()
        .filter(|ep| ep.place.starts_with('A'))
    {
        let d = ep.decom.expect("decom");
        let slot = first_a
            .entry((ep.src.la.to_string(), ep.child.to_string()))
            .or_insert(d);
        *slot = (*slot).min(d);
    }
    let mut first_e1: HashMap<(String, String), Date> = HashMap::new();
    for ep in e.returns.episodes.iter().filter(|ep| ep.ls == "E1") {
        let d = ep.decom.expect("decom");
        let slot = first_e1
            .entry((ep.src.la.to_string(), ep.child.to_string()))
            .or_insert(d);
        *slot = (*slot).min(d);
    }
    let ids: HashSet<(String, String)> = e
        .returns
        .header
        .iter()
        .map(|h| (h.src.la.to_string(), h.child.to_string()))
        .collect();
    let mut checked = 0;
    for c in &e.truth.children {
        assert!(
            ids.contains(&(c.la.to_string(), c.child.to_string())),
            "truth children appear in the returns"
        );
        assert!(c.dob <= c.entry && c.entry <= c.adm);
        if let Some(po) = c.po_date {
            assert!(c.adm <= po);
        }
        if let (Some(m), Some(p)) = (c.matched, c.placed) {
            assert!(c.adm <= m && m <= p && !matches!(c.po_date, Some(po) if po > m));
        }
        if let Some(a) = c.adopted {
            assert_eq!(c.outcome, Outcome::Adopted);
            assert!(c.placed.is_some_and(|p| p < a));
            if a <= cut {
                let (dec, rec) = &last_dec[&(c.la.to_string(), c.child.to_string())];
                assert_eq!(*dec, a, "the adoption order closes the last episode");
                assert!(rec == "E11" || rec == "E12");
                checked += 1;
            }
        }
        if let Some(p) = c.placed.filter(|&p| p <= cut && p >= year_end(2010)) {
            let seen = first_a.get(&(c.la.to_string(), c.child.to_string()));
            assert_eq!(seen, Some(&p), "the placement is the first A3-A6 episode");
        }
        if let Some(po) = c.po_date {
            let first_e1 = first_e1.get(&(c.la.to_string(), c.child.to_string()));
            // Episodes closed before the first return (1 April 2010) are not in any return.
            if po <= cut && po >= year_end(2010) {
                assert_eq!(
                    first_e1,
                    Some(&po),
                    "the placement order is the first E1 episode"
                );
            }
        } else {
            assert!(c.y0_po_to_placed.is_none() && !c.exposed && !c.bed_in && c.effect_days == 0.0);
        }
        let htp = c.age5_at_adm || c.black_or_mixed || c.sibling_group || c.disability;
        assert_eq!(c.harder_to_place, htp);
    }
    assert!(checked > 1000);
}

fn age_on(dob: Date, d: Date) -> i32 {
    raa_impact::data::date::age_years(dob, d)
}

/// DfE validator rules (numbers as in the DfE 903 validation rules) beyond code lists.
#[test]
fn dfe_episode_rules_hold() {
    let r = &sample().returns;
    let header = by_child(&r.header, |h| {
        (h.src.la.to_string(), h.src.year, h.child.to_string())
    });
    let eps = by_child(&r.episodes, |e| {
        (e.src.la.to_string(), e.src.year, e.child.to_string())
    });
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, list) in &eps {
        let dob = header[key][0].dob.expect("dob");
        for (i, e) in list.iter().enumerate() {
            let decom = e.decom.expect("decom");
            let next = list.get(i + 1).filter(|n| n.rne != "S");
            assert!(
                !e.place.starts_with('T') && e.place != "P2",
                "380/381/217t: {}",
                e.place
            );
            if e.place == "A3" || e.place == "A5" {
                assert!(["S", "T", "U"].contains(&e.rne.as_str()), "217");
            }
            if matches!(e.ls.as_str(), "J1" | "J2" | "J3") {
                assert!(age_on(dob, decom) >= 10, "358");
            }
            if let (Some(dec), "L1") = (e.dec, e.ls.as_str()) {
                assert!((dec - decom).num_days() <= 3, "361");
            }
            match (e.dec, next) {
                (None, _) => assert!(e.reason_place_change.is_empty(), "233"),
                (Some(_), Some(n)) if ["P", "T", "U", "B"].contains(&n.rne.as_str()) => {
                    assert!(!e.reason_place_change.is_empty(), "225");
                    *counts.entry("225").or_default() += 1;
                }
                _ => assert!(e.reason_place_change.is_empty(), "226"),
            }
            if let Some(n) = next {
                let same_place = (n.place.as_str(), n.place_provider.as_str())
                    == (e.place.as_str(), e.place_provider.as_str());
                match n.rne.as_str() {
                    "L" => assert!(same_place && n.ls != e.ls, "434"),
                    "P" => assert!(!same_place && n.ls == e.ls, "435"),
                    "T" => assert!(!same_place && n.ls != e.ls, "436"),
                    "U" => assert!(
                        n.place != e.place && n.ls == e.ls,
                        "U: new placement type, same carer"
                    ),
                    other => panic!("unexpected continuation RNE {other}"),
                }
                *counts.entry(n.rne.as_str()).or_default() += 1;
                if n.place == "A3" || n.place == "A4" {
                    assert!(
                        ["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"]
                            .contains(&e.place.as_str()),
                        "336"
                    );
                }
            }
            if let Some(dec) = e.dec {
                let age = age_on(dob, dec);
                match e.rec.as_str() {
                    "E11" | "E12" | "E45" | "E46" | "E47" | "E48" => assert!(age < 18, "386/407"),
                    "E17" => assert!(age >= 18, "460"),
                    "E5" | "E6" => assert!(age >= 14, "387"),
                    "E7" => assert!(age >= 16, "389"),
                    _ => {}
                }
            }
        }
    }
    for rne in ["225", "L", "P", "T", "U"] {
        assert!(
            counts.get(rne).copied().unwrap_or(0) > 50,
            "{rne} exercised: {counts:?}"
        );
    }
}

#[test]
fn dfe_adoption_table_rules_hold() {
    let r = &sample().returns;
    let eps = by_child(&r.episodes, |e| {
        (e.src.la.to_string(), e.src.year, e.child.to_string())
    });
    for p in &r.placed_adoption {
        if let Some(c) = p.date_placed_ceased {
            let (start, end) = (year_end(p.src.year - 1), year_end(p.src.year));
            assert!(
                c > start && c <= end,
                "118/117: ceased within the collection year"
            );
            assert!(p.date_placed.is_some_and(|d| d <= c), "522");
        }
    }
    for a in &r.ad1 {
        match (
            a.nb_adoptr.as_str(),
            a.sex_adoptr.as_str(),
            a.ls_adoptr.as_str(),
        ) {
            ("1", "M1" | "F1", "L0") => {}
            ("2", "MF", "L3" | "L11" | "L2") | ("2", "MM" | "FF", "L4" | "L12" | "L2") => {}
            other => panic!("511-520: adopters {other:?}"),
        }
        let key = (a.src.la.to_string(), a.src.year, a.child.to_string());
        let adoptive = eps.get(&key).and_then(|l| {
            l.iter()
                .rev()
                .find(|e| e.place.starts_with('A'))
                .map(|e| e.place.to_string())
        });
        if let Some(place) = adoptive {
            let with_carer = place == "A3" || place == "A5";
            assert_eq!(a.foster_care == "1", with_carer, "335");
        }
    }
}
