//! Questions asked of a registry: which RAA an LA belonged to, and when its milestones fell.

use super::types::{Membership, Milestone, MilestoneKind, Raa, Registry};
use crate::data::date::Date;

impl Registry {
    /// The RAA of the LA's first membership and that RAA's milestone of `kind`.
    ///
    /// `None` when the LA never joined an RAA or the RAA has no such milestone.
    ///
    /// ```
    /// use raa_impact::data::registry::{load::bundled, MilestoneKind};
    /// let reg = bundled().unwrap();
    /// let (raa, m) = reg.milestone_for_la("886", MilestoneKind::GoLive).unwrap();
    /// assert_eq!(raa.id, "adoption-partnership-south-east");
    /// assert_eq!(m.date.to_string(), "2020-11-01");
    /// ```
    pub fn milestone_for_la(&self, la: &str, kind: MilestoneKind) -> Option<(&Raa, &Milestone)> {
        let raa = self.first_raa(la)?;
        Some((raa, raa.milestone(kind)?))
    }

    /// The RAA the LA belonged to on `on`.
    pub fn raa_of(&self, la: &str, on: Date) -> Option<&Raa> {
        self.raa(&self.membership_on(la, on)?.raa_id)
    }

    /// The RAA of the LA's first membership.
    pub fn first_raa(&self, la: &str) -> Option<&Raa> {
        self.raa(&self.first_membership(la)?.raa_id)
    }

    /// The day the LA's area joined the RAA of its first membership.
    ///
    /// For an LA created by reorganisation (BCP Council, Dorset Council, Cumberland, ...) whose
    /// first membership follows a predecessor's membership of the same RAA without a gap, the
    /// predecessor's joining day is returned: the area, and the children on its caseload, were in
    /// the RAA from then.
    pub fn joined(&self, la: &str) -> Option<(&Membership, Date)> {
        let first = self.first_membership(la)?;
        let mut from = first.valid_from;
        // Follow predecessors back; the depth bound guards against a cyclic successor list.
        let mut code = la.to_string();
        for _ in 0..8 {
            let Some(prev) = self.predecessor_membership(&code, &first.raa_id, from) else {
                break;
            };
            from = prev.valid_from;
            code = prev.la_code.clone();
        }
        Some((first, from))
    }

    /// A membership of a predecessor of `la` in `raa_id` that ended the day before `from`.
    fn predecessor_membership(&self, la: &str, raa_id: &str, from: Date) -> Option<&Membership> {
        let day_before = from.pred_opt()?;
        self.las
            .iter()
            .filter(|p| p.successors.iter().any(|s| s == la))
            .find_map(|p| {
                self.memberships.iter().find(|m| {
                    m.la_code == p.dfe_code && m.raa_id == raa_id && m.valid_to == Some(day_before)
                })
            })
    }
}
