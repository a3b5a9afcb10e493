//! The domain layer: from SSDA903 returns to adoption journeys, exposure, indicators and panels.
//! Nothing here knows about estimation.

pub mod before_after;
pub mod controlled;
pub mod date;
pub mod exposure;
pub(crate) mod hash;
pub mod journeys;
pub mod panel;
pub mod registry;
pub mod scorecard;
pub mod ssda903;
