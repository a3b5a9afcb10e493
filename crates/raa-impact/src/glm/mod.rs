//! Generalised linear models fitted by iteratively reweighted least squares (binomial logit and
//! probit for propensity scores), numerically equal to R's `glm`.
