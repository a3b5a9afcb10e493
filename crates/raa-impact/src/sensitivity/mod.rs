//! Sensitivity analysis for matched designs: Rosenbaum bounds and the E-value.
