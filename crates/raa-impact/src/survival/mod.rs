//! Weighted survival analysis for censored outcomes: Kaplan–Meier, restricted mean survival time, cumulative incidence, Cox.
