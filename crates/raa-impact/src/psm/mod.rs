//! Propensity score and covariate matching: distances, the greedy nearest-neighbour kernel,
//! Abadie–Imbens matching estimators, balance and effects. Domain-free: inputs are numbers.

pub mod abadie_imbens;
pub mod kernel;
