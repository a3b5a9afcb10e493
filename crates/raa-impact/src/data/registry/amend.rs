//! Amending a registry: add or replace memberships and milestones, then re-check.
//!
//! Each method consumes the registry and returns it checked, so amendments chain:
//!
//! ```
//! use raa_impact::data::date::Date;
//! use raa_impact::data::registry::{load::bundled, Confidence, DatePrecision, Milestone, MilestoneKind};
//! let reg = bundled()
//!     .unwrap()
//!     .with_milestone(
//!         "adoption-partnership-south-east",
//!         Milestone {
//!             kind: MilestoneKind::FullIntegration,
//!             date: Date::from_ymd_opt(2021, 4, 1).unwrap(),
//!             precision: DatePrecision::Month,
//!             confidence: Confidence::Low,
//!             source_url: String::new(),
//!             note: "my own record".into(),
//!         },
//!     )
//!     .unwrap();
//! assert!(reg.raa("adoption-partnership-south-east").unwrap().milestone(MilestoneKind::FullIntegration).is_some());
//! ```

use super::check::check;
use super::types::{Membership, Milestone, Raa, Registry};
use crate::{Error, Result};

impl Registry {
    /// Check the registry's consistency (see [`super::check`]); returns it unchanged when consistent.
    pub fn checked(self) -> Result<Registry> {
        check(&self)?;
        Ok(self)
    }

    /// Add a membership (e.g. an LA joining or leaving an RAA).
    /// Fails when it overlaps another membership of the same LA or names an unknown LA or RAA.
    pub fn with_membership(mut self, m: Membership) -> Result<Registry> {
        self.memberships.push(m);
        self.checked()
    }

    /// End the LA's open membership of `raa_id` on `valid_to` (inclusive).
    pub fn end_membership(
        mut self,
        la: &str,
        raa_id: &str,
        valid_to: crate::data::date::Date,
    ) -> Result<Registry> {
        let m = self
            .memberships
            .iter_mut()
            .find(|m| m.la_code == la && m.raa_id == raa_id && m.valid_to.is_none())
            .ok_or_else(|| {
                Error::registry(format!("LA {la} has no open membership of RAA `{raa_id}`"))
            })?;
        m.valid_to = Some(valid_to);
        self.checked()
    }

    /// Set a milestone of an RAA, replacing any milestone of the same kind.
    pub fn with_milestone(mut self, raa_id: &str, m: Milestone) -> Result<Registry> {
        let raa = self
            .raas
            .iter_mut()
            .find(|r| r.id == raa_id)
            .ok_or_else(|| Error::registry(format!("unknown RAA `{raa_id}`")))?;
        raa.milestones.retain(|x| x.kind != m.kind);
        raa.milestones.push(m);
        raa.milestones.sort_by_key(|x| x.kind);
        self.checked()
    }

    /// Add a new RAA (its milestones included), or replace the RAA with the same id.
    pub fn with_raa(mut self, raa: Raa) -> Result<Registry> {
        self.raas.retain(|r| r.id != raa.id);
        self.raas.push(raa);
        self.checked()
    }

    /// Apply the rows of `other` on top of this registry: its LAs and RAAs replace those with the
    /// same key (or are added), and its memberships replace every membership of the LAs it names.
    pub fn amend(mut self, other: Registry) -> Result<Registry> {
        for la in other.las {
            self.las.retain(|l| l.dfe_code != la.dfe_code);
            self.las.push(la);
        }
        for raa in other.raas {
            self.raas.retain(|r| r.id != raa.id);
            self.raas.push(raa);
        }
        let touched: std::collections::HashSet<String> = other
            .memberships
            .iter()
            .map(|m| m.la_code.clone())
            .collect();
        self.memberships.retain(|m| !touched.contains(&m.la_code));
        self.memberships.extend(other.memberships);
        self.checked()
    }
}
