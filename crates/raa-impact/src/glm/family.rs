//! Error distributions (families) with R's definitions: variance, deviance residuals, starting
//! values and AIC terms (`stats::gaussian`, `binomial`, `poisson`, their quasi versions, and
//! `MASS::negative.binomial`).

use super::Link;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

/// Error distribution of a GLM.
///
/// | family | R | dispersion | allowed links (default first) |
/// |---|---|---|---|
/// | `Gaussian` | `gaussian()` | estimated, RSS / df | identity |
/// | `Binomial` | `binomial()` | 1 | logit, probit |
/// | `QuasiBinomial` | `quasibinomial()` | estimated, Pearson χ² / df | logit, probit |
/// | `Poisson` | `poisson()` | 1 | log |
/// | `QuasiPoisson` | `quasipoisson()` | estimated, Pearson χ² / df | log |
/// | `NegativeBinomial { theta: Some(θ) }` | `MASS::negative.binomial(θ)` | 1 | log |
/// | `NegativeBinomial { theta: None }` | `MASS::glm.nb` (θ by maximum likelihood) | 1 | log |
///
/// Binomial outcomes are 0/1, or proportions in \[0, 1\] with the numbers of trials as prior
/// weights (as R's `glm(y ~ x, binomial, weights = trials)`). The negative binomial is NB2:
/// variance `mu + mu^2 / theta`.
///
/// ```
/// use raa_impact::glm::{Family, Link};
/// assert_eq!(Family::default(), Family::Binomial);
/// assert_eq!(Family::NegativeBinomial { theta: None }.default_link(), Link::Log);
/// assert!(Family::QuasiPoisson.estimates_dispersion() && !Family::Poisson.estimates_dispersion());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub enum Family {
    /// Normal errors (weighted least squares).
    Gaussian,
    /// Binomial: 0/1 outcomes or proportions with trials as weights.
    #[default]
    Binomial,
    /// Binomial mean and variance with an estimated dispersion.
    QuasiBinomial,
    /// Poisson counts.
    Poisson,
    /// Poisson mean and variance with an estimated dispersion (over-dispersed counts).
    QuasiPoisson,
    /// Negative binomial (NB2) counts; `theta: None` estimates θ by maximum likelihood.
    NegativeBinomial {
        /// Fixed shape θ (> 0), or `None` to estimate it as `MASS::glm.nb` does.
        theta: Option<f64>,
    },
}

impl Family {
    /// The canonical (R's default) link of the family.
    pub fn default_link(self) -> Link {
        match self {
            Family::Gaussian => Link::Identity,
            Family::Binomial | Family::QuasiBinomial => Link::Logit,
            Family::Poisson | Family::QuasiPoisson | Family::NegativeBinomial { .. } => Link::Log,
        }
    }

    /// Whether `link` may be used with this family.
    pub fn supports(self, link: Link) -> bool {
        match self {
            Family::Gaussian => link == Link::Identity,
            Family::Binomial | Family::QuasiBinomial => matches!(link, Link::Logit | Link::Probit),
            Family::Poisson | Family::QuasiPoisson | Family::NegativeBinomial { .. } => {
                link == Link::Log
            }
        }
    }

    /// Whether the dispersion is estimated (Gaussian and the quasi families): standard errors
    /// are then scaled by its square root and tests use Student's t with the residual df.
    pub fn estimates_dispersion(self) -> bool {
        matches!(
            self,
            Family::Gaussian | Family::QuasiBinomial | Family::QuasiPoisson
        )
    }

    /// Whether R reports a likelihood (and so AIC/BIC) for the family: not for the quasi ones.
    pub fn has_likelihood(self) -> bool {
        !matches!(self, Family::QuasiBinomial | Family::QuasiPoisson)
    }

    /// The distribution used inside IRLS; `theta` is the current θ of an estimated NB.
    pub(crate) fn dist(self, theta: f64) -> Dist {
        match self {
            Family::Gaussian => Dist::Gaussian,
            Family::Binomial | Family::QuasiBinomial => Dist::Binomial,
            Family::Poisson | Family::QuasiPoisson => Dist::Poisson,
            Family::NegativeBinomial { theta: t } => Dist::NegBin(t.unwrap_or(theta)),
        }
    }

    /// Error unless the link is allowed and a fixed θ is positive and finite.
    pub(crate) fn check(self, link: Link) -> Result<()> {
        if !self.supports(link) {
            return Err(Error::argument(
                "link",
                format!(
                    "link {link:?} is not available for the {self:?} family; expected \
                     Link::{:?} (Family::default_link)",
                    self.default_link()
                ),
            ));
        }
        if let Family::NegativeBinomial { theta: Some(t) } = self {
            if !(t.is_finite() && t > 0.0) {
                return Err(Error::argument(
                    "family",
                    format!("negative binomial theta is {t}; expected a positive finite number"),
                ));
            }
        }
        Ok(())
    }
}

/// The variance function and deviance of one distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Dist {
    Gaussian,
    Binomial,
    Poisson,
    /// Negative binomial with shape θ.
    NegBin(f64),
}

/// `y * log(y / mu)`, defined as 0 when `y == 0` (R's `y_log_y`).
#[inline]
fn y_log_y(y: f64, mu: f64) -> f64 {
    if y != 0.0 {
        y * (y / mu).ln()
    } else {
        0.0
    }
}

impl Dist {
    /// Variance function `V(mu)`.
    #[inline]
    pub(crate) fn variance(self, mu: f64) -> f64 {
        match self {
            Dist::Gaussian => 1.0,
            Dist::Binomial => mu * (1.0 - mu),
            Dist::Poisson => mu,
            Dist::NegBin(theta) => mu + mu * mu / theta,
        }
    }

    /// One row's deviance residual (R's `dev.resids`).
    #[inline]
    pub(crate) fn deviance_residual(self, y: f64, mu: f64, wt: f64) -> f64 {
        match self {
            Dist::Gaussian => wt * (y - mu) * (y - mu),
            // A 0/1 outcome has one non-zero term, `log(1 / mu)` or `log(1 / (1 - mu))`: its
            // argument is selected without a branch on the outcome (close to random, so a branch
            // is mispredicted about half the time), with the same value as the general formula.
            Dist::Binomial if y == 0.0 || y == 1.0 => {
                let q = if y == 1.0 { mu } else { 1.0 - mu };
                2.0 * wt * (1.0 / q).ln()
            }
            Dist::Binomial => 2.0 * wt * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu)),
            Dist::Poisson => {
                if y > 0.0 {
                    2.0 * (wt * (y * (y / mu).ln() - (y - mu)))
                } else {
                    2.0 * (mu * wt)
                }
            }
            Dist::NegBin(theta) => {
                2.0 * wt
                    * (y * (y.max(1.0) / mu).ln() - (y + theta) * ((y + theta) / (mu + theta)).ln())
            }
        }
    }

    /// R's `mustart` from the family's `initialize` (with `y` already zeroed where needed).
    #[inline]
    pub(crate) fn start_mu(self, y: f64, wt: f64) -> f64 {
        match self {
            Dist::Gaussian => y,
            Dist::Binomial => (wt * y + 0.5) / (wt + 1.0),
            Dist::Poisson => y + 0.1,
            Dist::NegBin(_) => y + if y == 0.0 { 1.0 / 6.0 } else { 0.0 },
        }
    }

    /// The outcome R uses: the binomial `initialize` sets `y` to 0 where the prior weight is 0.
    #[inline]
    pub(crate) fn outcome(self, y: f64, wt: f64) -> f64 {
        if self == Dist::Binomial && wt == 0.0 {
            0.0
        } else {
            y
        }
    }

    /// One row's term of R's family `aic()` (without `2 * rank`); `None` for the Gaussian,
    /// whose AIC is not a sum over rows (see [`gaussian_aic`]).
    #[inline]
    pub(crate) fn aic_term(self, y: f64, mu: f64, wt: f64) -> f64 {
        match self {
            Dist::Gaussian => 0.0,
            Dist::Binomial => binomial_aic_term(y, mu, wt),
            Dist::Poisson => -2.0 * ln_dpois(y, mu) * wt,
            Dist::NegBin(theta) => {
                let term = (y + theta) * (mu + theta).ln() - y * mu.ln() + ln_gamma(y + 1.0)
                    - theta * theta.ln()
                    + ln_gamma(theta)
                    - ln_gamma(theta + y);
                2.0 * term * wt
            }
        }
    }
}

/// R's `gaussian()$aic`: `nobs (log(2 pi dev / nobs) + 1) + 2 - sum(log(wt))` over all rows.
pub(crate) fn gaussian_aic(nobs: usize, deviance: f64, sum_log_wt: f64) -> f64 {
    let n = nobs as f64;
    n * ((deviance / n * 2.0 * std::f64::consts::PI).ln() + 1.0) + 2.0 - sum_log_wt
}

/// `dpois(y, mu, log = TRUE)` for integer-valued `y >= 0`.
fn ln_dpois(y: f64, mu: f64) -> f64 {
    if y == 0.0 {
        -mu
    } else {
        y * mu.ln() - mu - ln_gamma(y + 1.0)
    }
}

/// `lchoose(n, k)` for non-negative integer-valued `n >= k`.
fn ln_choose(n: f64, k: f64) -> f64 {
    // Exact zero in the common 0/1, unit-weight case, and no log-gamma calls in the hot path.
    if k == 0.0 || k == n {
        return 0.0;
    }
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

/// `dbinom(k, n, p, log = TRUE)` for integer-valued `k`, `n`.
fn ln_dbinom(k: f64, n: f64, p: f64) -> f64 {
    if n == 0.0 {
        return 0.0;
    }
    let mut v = ln_choose(n, k);
    if k > 0.0 {
        v += k * p.ln();
    }
    if n - k > 0.0 {
        v += (n - k) * (1.0 - p).ln();
    }
    v
}

/// One row's contribution to R's binomial `aic()` (without the `2 * rank` term):
/// `-2 * (wt/m) * dbinom(round(m*y), round(m), mu, log = TRUE)` with `m = wt` (R's `n` is 1 for
/// a vector outcome, so proportions with trials as weights take the same path), so non-integer
/// prior weights are rounded exactly as R does (ties to even).
#[inline]
fn binomial_aic_term(y: f64, mu: f64, wt: f64) -> f64 {
    if wt == 1.0 && (y == 0.0 || y == 1.0) {
        // One Bernoulli trial: `log(mu)` or `log(1 - mu)`, selected without a branch on the
        // outcome; the same value as `ln_dbinom(y, 1, mu)` (whose `lchoose` is 0).
        let q = if y == 1.0 { mu } else { 1.0 - mu };
        return -2.0 * (0.0 + q.ln());
    }
    if wt <= 0.0 {
        return 0.0;
    }
    let size = wt.round_ties_even();
    let k = (wt * y).round_ties_even();
    -2.0 * ln_dbinom(k, size, mu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deviance_of_bernoulli_rows() {
        let b = Dist::Binomial;
        assert!((b.deviance_residual(1.0, 0.25, 1.0) - 2.0 * 4f64.ln()).abs() < 1e-14);
        assert!((b.deviance_residual(0.0, 0.25, 2.0) - 4.0 * (1.0 / 0.75f64).ln()).abs() < 1e-14);
    }

    #[test]
    fn bernoulli_shortcuts_equal_the_general_formulas() {
        for mu in [1e-300, 2.2e-16, 0.013, 0.25, 0.5, 0.731, 1.0 - 1e-12] {
            for y in [0.0, 1.0] {
                let general = 2.0 * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu));
                assert_eq!(Dist::Binomial.deviance_residual(y, mu, 1.0), general);
                let (k, n) = (y, 1.0);
                assert_eq!(binomial_aic_term(y, mu, 1.0), -2.0 * ln_dbinom(k, n, mu));
            }
        }
    }

    #[test]
    fn aic_term_rounds_weights_like_r() {
        // wt = 2.5 rounds to 2 (ties to even); y = 1 gives k = round(2.5) = 2.
        let v = binomial_aic_term(1.0, 0.3, 2.5);
        assert!((v - (-2.0 * 2.0 * 0.3f64.ln())).abs() < 1e-12);
        assert_eq!(binomial_aic_term(1.0, 0.3, 0.0), 0.0);
    }

    #[test]
    fn count_families_at_the_mean_have_zero_deviance() {
        for d in [Dist::Poisson, Dist::NegBin(3.0)] {
            assert!(d.deviance_residual(7.0, 7.0, 1.0).abs() < 1e-13);
            assert!(d.deviance_residual(7.0, 5.0, 1.0) > 0.0);
        }
        // dpois(0, 2) = exp(-2); dpois(3, 2) = 8 exp(-2) / 6.
        assert!((Dist::Poisson.aic_term(0.0, 2.0, 1.0) - 4.0).abs() < 1e-14);
        let want = -2.0 * (8.0 * (-2f64).exp() / 6.0).ln();
        assert!((Dist::Poisson.aic_term(3.0, 2.0, 1.0) - want).abs() < 1e-12);
    }

    #[test]
    fn unsupported_link_is_refused() {
        assert!(Family::Poisson.check(Link::Logit).is_err());
        assert!(Family::Gaussian.check(Link::Identity).is_ok());
        let nb = Family::NegativeBinomial { theta: Some(-1.0) };
        assert!(nb.check(Link::Log).is_err());
    }
}
