//! The default LA list: every current English LA with a DfE code, its RAA go-live from the bundled
//! registry data where a date is known, else an imputed (seeded, flagged) date in 2018–2022.
//!
//! This is a stand-in for the registry loader (`data::registry::load`); [`LaSpec`] is the
//! interface, so the lead can swap the source without touching the generator.

use super::config::LaSpec;
use crate::data::date::{parse_date, Date};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};

const LAS_CSV: &str = include_str!("../../../../tests/data/england_las.csv");
const GOLIVE_CSV: &str = include_str!("../../../../tests/data/raa_golive.csv");

/// Fixed seed of the default LA sizes and imputed go-lives, so that `default_las()` is the same
/// list whatever seed the generator uses.
const LA_LIST_SEED: u64 = 903;

/// ~144 English LAs with DfE codes, names, RAA and go-live (known or imputed) and relative sizes.
///
/// Sizes are lognormal (σ = 0.5), giving annual adoptions from a handful to ~80 at national
/// scale; City of London and the Isles of Scilly are made tiny, as they are.
///
/// ```
/// let las = raa_impact::synthetic::default_las();
/// assert!(las.len() > 140);
/// assert!(las.iter().all(|la| la.go_live.is_some()));
/// ```
pub fn default_las() -> Vec<LaSpec> {
    let mut rng = ChaCha8Rng::seed_from_u64(LA_LIST_SEED);
    let size_dist = LogNormal::new(0.0, 0.5).ok();
    let known = known_golives();
    let mut out = Vec::new();
    for (code, name) in current_las() {
        let mut size = size_dist.map(|d| d.sample(&mut rng)).unwrap_or(1.0);
        if code == "201" || code == "420" {
            size = 0.03;
        }
        // Always draw the imputed date so that the sequence does not depend on the matches.
        let imputed_date = imputed_golive(&mut rng);
        let hit = known.iter().find(|k| k.la_norm == normalise(&name));
        let (raa_id, go_live, imputed) = match hit {
            Some(k) => (
                Some(k.raa.clone()),
                Some(k.date.unwrap_or(imputed_date)),
                k.date.is_none(),
            ),
            None => (None, Some(imputed_date), true),
        };
        out.push(LaSpec {
            code,
            name,
            raa_id,
            go_live,
            size,
            imputed,
        });
    }
    out
}

/// Uniform day in 2018-01-01 ..= 2022-12-31.
fn imputed_golive(rng: &mut ChaCha8Rng) -> Date {
    let start = Date::from_ymd_opt(2018, 1, 1).unwrap_or_default();
    start + chrono::Days::new(rng.random_range(0..1826))
}

/// (code, name) of LAs with a DfE code and no end date, in file order.
fn current_las() -> Vec<(String, String)> {
    let mut rdr = csv::Reader::from_reader(LAS_CSV.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records().flatten() {
        let code = rec.get(0).unwrap_or("").trim();
        let name = rec.get(2).unwrap_or("").trim();
        let end = rec.get(7).unwrap_or("").trim();
        if !code.is_empty() && end.is_empty() && !name.is_empty() {
            out.push((code.to_string(), name.to_string()));
        }
    }
    out
}

struct Known {
    la_norm: String,
    raa: String,
    /// `None` when the registry gives no usable day or month.
    date: Option<Date>,
}

/// Members of each RAA with a go-live parsed to at least the month; first listing wins.
fn known_golives() -> Vec<Known> {
    let mut rdr = csv::Reader::from_reader(GOLIVE_CSV.as_bytes());
    let mut out: Vec<Known> = Vec::new();
    for rec in rdr.records().flatten() {
        let raa = rec.get(0).unwrap_or("").trim().to_string();
        let date = parse_golive(rec.get(3).unwrap_or(""));
        for member in rec.get(1).unwrap_or("").split(';') {
            let la_norm = normalise(&member_name(member));
            if la_norm.is_empty() || out.iter().any(|k| k.la_norm == la_norm) {
                continue;
            }
            out.push(Known {
                la_norm,
                raa: raa.clone(),
                date,
            });
        }
    }
    out
}

/// `2017-07-03`, `2019-07-01 (anticipated)` → that day; `2017-07 (month)` → the 1st; a bare year
/// or free text → `None` (imputed).
fn parse_golive(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some(d) = s.get(..10).and_then(parse_date) {
        return Some(d);
    }
    let ym = s.get(..7)?;
    let (y, m) = ym.split_once('-')?;
    Date::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// Strip notes from a member entry: `Sandwell (Children's Trust)` → `Sandwell`,
/// `East of England LAs incl. Essex` → `Essex`, `funded 2018 as Harrow` → `Harrow`.
fn member_name(s: &str) -> String {
    let s = s.split('(').next().unwrap_or("");
    let s = s.rsplit(" incl. ").next().unwrap_or(s);
    let s = s.rsplit(" as ").next().unwrap_or(s);
    s.trim().to_string()
}

/// Lower case, no dots, with the few spelling differences between the two files aliased.
fn normalise(s: &str) -> String {
    let s = s.trim().to_lowercase().replace('.', "");
    let s = match s.as_str() {
        "hull" => "kingston upon hull",
        "durham" => "county durham",
        "bristol" => "city of bristol",
        "city of york" => "york",
        "newcastle" => "newcastle upon tyne",
        other => other,
    };
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golive_dates_parse_to_day_or_month() {
        assert_eq!(parse_golive("2017-07-03"), Date::from_ymd_opt(2017, 7, 3));
        assert_eq!(
            parse_golive("2017-07 (month)"),
            Date::from_ymd_opt(2017, 7, 1)
        );
        assert_eq!(
            parse_golive("2019-07-01 (anticipated)"),
            Date::from_ymd_opt(2019, 7, 1)
        );
        assert_eq!(parse_golive("2017 (exact day not found)"), None);
        assert_eq!(parse_golive("not found"), None);
    }

    #[test]
    fn member_names_are_cleaned_and_aliased() {
        assert_eq!(
            normalise(&member_name("Doncaster (Children's Trust)")),
            "doncaster"
        );
        assert_eq!(
            normalise(&member_name("East of England LAs incl. Essex")),
            "essex"
        );
        assert_eq!(normalise("St Helens"), normalise("St. Helens"));
        assert_eq!(normalise("Newcastle"), "newcastle upon tyne");
    }

    #[test]
    fn known_members_get_their_registry_date() {
        let las = default_las();
        let stockport = las
            .iter()
            .find(|l| l.code == "356")
            .expect("Stockport listed");
        assert_eq!(stockport.go_live, Date::from_ymd_opt(2017, 7, 3));
        assert!(!stockport.imputed);
        let leeds = las.iter().find(|l| l.code == "383").expect("Leeds listed");
        assert!(leeds.imputed, "year-only go-live is imputed");
        assert_eq!(leeds.raa_id.as_deref(), Some("One Adoption West Yorkshire"));
    }

    #[test]
    fn go_lives_are_staggered_2017_to_2022_and_sizes_spread() {
        let las = default_las();
        let known = las.iter().filter(|l| !l.imputed).count();
        let first = Date::from_ymd_opt(2017, 1, 1).unwrap_or_default();
        let last = Date::from_ymd_opt(2022, 12, 31).unwrap_or_default();
        assert!(las
            .iter()
            .all(|l| l.go_live.is_some_and(|g| g >= first && g <= last)));
        println!("{known} of {} LAs with a registry date", las.len());
        assert!(known >= 60, "{known}");
        let years: std::collections::BTreeSet<_> = las
            .iter()
            .filter_map(|l| l.go_live)
            .map(|g| chrono::Datelike::year(&g))
            .collect();
        assert!(years.len() >= 5, "{years:?}");
        let (lo, hi) = las
            .iter()
            .filter(|l| l.size > 0.1)
            .fold((f64::MAX, 0.0f64), |(a, b), l| {
                (a.min(l.size), b.max(l.size))
            });
        assert!(hi / lo > 8.0, "sizes spread like real LAs: {lo} .. {hi}");
    }
}
