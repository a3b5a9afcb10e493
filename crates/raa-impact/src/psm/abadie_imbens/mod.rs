//! Abadie–Imbens matching estimators with replacement and their standard errors (R Matching semantics).
