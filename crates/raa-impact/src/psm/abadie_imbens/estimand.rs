//! Which average effect a matching estimator targets.

use serde::{Deserialize, Serialize};

/// The population whose average treatment effect is estimated.
///
/// ```
/// use raa_impact::psm::abadie_imbens::Estimand;
/// assert_ne!(Estimand::Att, Estimand::Ate);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Estimand {
    /// Average effect on the treated: each treated unit is matched to controls.
    Att,
    /// Average effect on the controls: each control unit is matched to treated units.
    Atc,
    /// Average effect over everyone: every unit is matched to units of the other group.
    Ate,
}
