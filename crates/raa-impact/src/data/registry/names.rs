//! Resolving LA names as sources write them ("Hull", "City of York", "Sandwell (Children's
//! Trust)") to registry LAs.
//!
//! The rule: drop a trailing parenthesis (it names the body that runs the service, e.g. a
//! children's trust), compare case-insensitively with `&` read as `and` and `St.` as `St`, then
//! try the registry name, then a short list of aliases that sources use.

use super::types::{LocalAuthority, Registry};
use crate::data::date::Date;

/// Names sources use that differ from the registry's name, with the DfE code they mean.
/// `Dorset` before 2019 means the county council (835); the unitary Dorset Council is 838.
const ALIASES: [(&str, &str); 9] = [
    ("dorset", "835"),
    ("hull", "810"),
    ("city of hull", "810"),
    ("city of york", "816"),
    ("durham", "840"),
    ("city of bristol", "801"),
    ("newcastle", "391"),
    ("bcp", "839"),
    ("bcp council", "839"),
];

fn normalise(name: &str) -> String {
    let base = match name.find('(') {
        Some(i) => &name[..i],
        None => name,
    };
    base.trim()
        .to_lowercase()
        .replace('&', "and")
        .replace("st. ", "st ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Registry {
    /// The LA a source's name means, or `None`; when several LAs answer to the name (Dorset
    /// County Council until 2019, Dorset Council after), the first one in existence on `on` wins.
    ///
    /// ```
    /// use raa_impact::data::date::Date;
    /// let reg = raa_impact::data::registry::load::bundled().unwrap();
    /// let code = |n, on| reg.la_by_name(n, on).map(|l| l.dfe_code.clone());
    /// assert_eq!(code("Hull", None).as_deref(), Some("810"));
    /// assert_eq!(code("Sandwell (Children's Trust)", None).as_deref(), Some("333"));
    /// assert_eq!(code("Dorset", Date::from_ymd_opt(2017, 7, 1)).as_deref(), Some("835"));
    /// assert_eq!(code("Dorset", Date::from_ymd_opt(2020, 1, 1)).as_deref(), Some("838"));
    /// ```
    pub fn la_by_name(&self, name: &str, on: Option<Date>) -> Option<&LocalAuthority> {
        let key = normalise(name);
        if key.is_empty() {
            return None;
        }
        let by_name = self.las.iter().filter(|la| normalise(&la.name) == key);
        let by_alias = ALIASES
            .iter()
            .filter(|(a, _)| *a == key)
            .filter_map(|(_, code)| self.la(code));
        let candidates: Vec<&LocalAuthority> = by_name.chain(by_alias).collect();
        let exists = |la: &&LocalAuthority| match on {
            Some(d) => la.start_date.is_none_or(|s| s <= d) && la.end_date.is_none_or(|e| d <= e),
            None => true,
        };
        candidates
            .iter()
            .find(|la| exists(la))
            .or_else(|| candidates.first())
            .copied()
    }
}
