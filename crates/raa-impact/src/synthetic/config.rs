//! Settings of the generator: seed, years, true effect, bed-in and the LAs with their go-lives.

use crate::data::date::Date;
use crate::error::{Error, Result};
use serde::Serialize;

/// One local authority as the generator sees it.
///
/// `go_live: None` means the LA never joins an RAA within the simulated period (never exposed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaSpec {
    /// DfE 3-digit LA code, the key SSDA903 returns use (e.g. `"380"` for Bradford).
    pub code: String,
    /// LA name.
    pub name: String,
    /// Name of the RAA the LA joined, if any.
    pub raa_id: Option<String>,
    /// Date the LA's RAA went live (the exposure milestone).
    pub go_live: Option<Date>,
    /// Relative size (any positive scale): the LA's share of national activity is
    /// `size / sum(size)`.
    pub size: f64,
    /// `true` when `go_live` was imputed (no known date in the registry data).
    pub imputed: bool,
}

/// Everything that determines a synthetic England (together with the LA list).
///
/// ```
/// use raa_impact::synthetic::SyntheticConfig;
/// let c = SyntheticConfig { scale: 0.1, ..SyntheticConfig::default() };
/// assert_eq!(c.first_year, 2011);
/// assert!(c.check().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyntheticConfig {
    /// Seed of every random draw; equal seeds give identical output on any thread count.
    pub seed: u64,
    /// First collection year written (2011 = 2010-04-01 ..= 2011-03-31).
    pub first_year: i32,
    /// Last collection year written; events after its 31 March are censored.
    pub last_year: i32,
    /// True effect (days) on placement order → placed for children whose placement order falls
    /// at or after go-live + bed-in and who are not harder to place.
    pub effect_po_to_placed_days: f64,
    /// The same for harder-to-place children (age 5+ at ADM, Black or mixed ethnicity, sibling
    /// group or disability).
    pub effect_htp_po_to_placed_days: f64,
    /// Bed-in after go-live (days) during which the dip applies instead of the effect.
    pub bed_in_days: i64,
    /// Added to placement order → placed (days) for placement orders within the bed-in
    /// (a temporary worsening; positive = slower).
    pub bed_in_dip_days: f64,
    /// 1.0 = national size (~30k entries to care a year); 0.1 = a tenth.
    pub scale: f64,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        SyntheticConfig {
            seed: 0,
            first_year: 2011,
            last_year: 2024,
            effect_po_to_placed_days: -14.0,
            effect_htp_po_to_placed_days: -35.0,
            bed_in_days: 183,
            bed_in_dip_days: 10.0,
            scale: 1.0,
        }
    }
}

impl SyntheticConfig {
    /// Check the settings; an [`Error::Argument`] names the first bad one.
    pub fn check(&self) -> Result<()> {
        if !(2008..=2030).contains(&self.first_year)
            || self.last_year < self.first_year
            || self.last_year > 2030
        {
            return Err(Error::argument(
                "first_year/last_year",
                format!(
                    "need 2008 <= first_year <= last_year <= 2030, got {}..{}",
                    self.first_year, self.last_year
                ),
            ));
        }
        if !(self.scale.is_finite() && self.scale > 0.0 && self.scale <= 20.0) {
            return Err(Error::argument(
                "scale",
                format!("must be in (0, 20], got {}", self.scale),
            ));
        }
        if !(0..=3650).contains(&self.bed_in_days) {
            return Err(Error::argument(
                "bed_in_days",
                format!("must be in 0..=3650, got {}", self.bed_in_days),
            ));
        }
        for (name, v) in [
            ("effect_po_to_placed_days", self.effect_po_to_placed_days),
            (
                "effect_htp_po_to_placed_days",
                self.effect_htp_po_to_placed_days,
            ),
            ("bed_in_dip_days", self.bed_in_dip_days),
        ] {
            if !(v.is_finite() && v.abs() <= 1000.0) {
                return Err(Error::argument(
                    name,
                    format!("must be finite with |value| <= 1000, got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// Check an LA list: non-empty, unique codes, positive finite sizes.
pub fn check_las(las: &[LaSpec]) -> Result<()> {
    if las.is_empty() {
        return Err(Error::argument("las", "the LA list is empty"));
    }
    let mut seen = std::collections::HashSet::new();
    for la in las {
        if !seen.insert(la.code.as_str()) {
            return Err(Error::argument(
                "las",
                format!("LA code {} appears twice", la.code),
            ));
        }
        if !(la.size.is_finite() && la.size > 0.0) {
            return Err(Error::argument(
                "las",
                format!("LA {} has size {}", la.code, la.size),
            ));
        }
    }
    Ok(())
}
