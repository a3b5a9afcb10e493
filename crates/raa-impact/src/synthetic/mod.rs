//! Synthetic England: SSDA903-shaped returns for ~150 LAs, 2011–2024, with the true RAA effects
//! beside them. The library's embedded default data set.
