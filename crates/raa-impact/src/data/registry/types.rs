//! Registry rows. Dates known only to the month or year are stored as the first day of that month
//! or year, with their [`DatePrecision`].

use crate::data::date::Date;
use serde::Serialize;

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DatePrecision {
    Day,
    /// Only the month is known; stored as the 1st of the month.
    Month,
    /// Only the year is known; stored as 1 January (or as documented in the row's note).
    Year,
}

/// How far a source supports a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Confidence {
    High,
    Medium,
    Low,
    /// No source found; the value is a placeholder (e.g. imputed) and says so.
    None,
}

/// Governance model of an RAA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RaaModel {
    /// Hosted by one LA on behalf of the others.
    Hosted,
    /// A company owned by the LAs.
    LaCompany,
    /// A partnership of LAs (staff often stay in their home LA).
    Partnership,
    /// Led by a voluntary adoption agency.
    VaaLed,
    /// Not confirmed by a source.
    Unknown,
}

/// Dated milestones of an RAA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum MilestoneKind {
    Agreement,
    SoftLaunch,
    GoLive,
    FullIntegration,
}

impl MilestoneKind {
    /// `agreement`, `soft_launch`, `go_live`, `full_integration`.
    pub fn name(self) -> &'static str {
        match self {
            MilestoneKind::Agreement => "agreement",
            MilestoneKind::SoftLaunch => "soft_launch",
            MilestoneKind::GoLive => "go_live",
            MilestoneKind::FullIntegration => "full_integration",
        }
    }
}

/// One dated milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub kind: MilestoneKind,
    pub date: Date,
    pub precision: DatePrecision,
    pub confidence: Confidence,
    pub source_url: String,
    pub note: String,
}

/// An English children's services authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalAuthority {
    /// DfE 3-digit LA code, the key SSDA903 returns use (e.g. Kent `886`).
    pub dfe_code: String,
    /// ONS code (E06/E08/E09/E10...).
    pub ons_code: String,
    pub name: String,
    pub region: String,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    /// DfE codes of successor authorities, if abolished.
    pub successors: Vec<String>,
}

/// A regional adoption agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Raa {
    /// Stable identifier (a slug of the name), e.g. `adoption-counts`.
    pub id: String,
    pub name: String,
    pub model: RaaModel,
    /// Host LA or description of the host arrangement.
    pub host: String,
    pub milestones: Vec<Milestone>,
    pub source_url: String,
    pub confidence: Confidence,
    pub note: String,
}

impl Raa {
    /// The milestone of `kind`, if recorded.
    pub fn milestone(&self, kind: MilestoneKind) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.kind == kind)
    }
}

/// An LA's membership of an RAA over a date range (`valid_to` inclusive; `None` = still a member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub la_code: String,
    pub raa_id: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub confidence: Confidence,
    pub source_url: String,
    pub note: String,
}

/// The registry: LAs, RAAs and memberships.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Registry {
    pub las: Vec<LocalAuthority>,
    pub raas: Vec<Raa>,
    pub memberships: Vec<Membership>,
}

impl Registry {
    /// The LA with DfE code `code`.
    pub fn la(&self, code: &str) -> Option<&LocalAuthority> {
        self.las.iter().find(|l| l.dfe_code == code)
    }

    /// The RAA with id `id`.
    pub fn raa(&self, id: &str) -> Option<&Raa> {
        self.raas.iter().find(|r| r.id == id)
    }

    /// The membership of LA `code` in force on `on`.
    pub fn membership_on(&self, code: &str, on: Date) -> Option<&Membership> {
        self.memberships.iter().find(|m| {
            m.la_code == code && m.valid_from <= on && m.valid_to.is_none_or(|to| on <= to)
        })
    }

    /// The LA's first RAA membership (the one that ended its time as a stand-alone agency).
    pub fn first_membership(&self, code: &str) -> Option<&Membership> {
        self.memberships
            .iter()
            .filter(|m| m.la_code == code)
            .min_by_key(|m| m.valid_from)
    }
}
