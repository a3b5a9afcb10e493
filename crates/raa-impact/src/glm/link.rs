//! Link functions with R's numerical guards (`make.link` and `binomial()`).
//!
//! The clamping thresholds reproduce R exactly, because the IRLS path (and so the coefficients at
//! the iteration where R stops) depends on them.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// Link between the linear predictor and the mean.
///
/// Each [`Family`](super::Family) accepts only some links (see
/// [`Family::default_link`](super::Family::default_link)); a fit with an unsupported pair is
/// refused.
///
/// ```
/// use raa_impact::glm::{Family, Link};
/// assert_eq!(Link::default(), Link::Logit);
/// assert_eq!(Family::Poisson.default_link(), Link::Log);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Link {
    /// Log-odds, `log(mu / (1 - mu))`.
    #[default]
    Logit,
    /// Inverse standard normal distribution function, `qnorm(mu)`.
    Probit,
    /// Natural logarithm, `log(mu)` (Poisson and negative binomial).
    Log,
    /// Identity, `mu` (Gaussian).
    Identity,
}

/// R's `THRESH` in `family.c`: beyond ±30 the logistic inverse link is clamped.
const LOGIT_THRESH: f64 = 30.0;

fn standard_normal() -> Normal {
    // Mean 0 and sd 1 are always valid parameters.
    Normal::standard()
}

/// `-qnorm(.Machine$double.eps)`, the probit clamp of R's `binomial("probit")$linkinv`.
fn probit_thresh() -> f64 {
    -standard_normal().inverse_cdf(f64::EPSILON)
}

impl Link {
    /// `linkfun`: probability to linear predictor.
    pub(crate) fn link(self, mu: f64) -> f64 {
        match self {
            Link::Logit => (mu / (1.0 - mu)).ln(),
            Link::Probit => standard_normal().inverse_cdf(mu),
            Link::Log => mu.ln(),
            Link::Identity => mu,
        }
    }

    /// Precomputed state for evaluating the inverse link many times.
    pub(crate) fn evaluator(self) -> LinkEval {
        LinkEval {
            link: self,
            normal: standard_normal(),
            probit_thresh: probit_thresh(),
        }
    }
}

/// A link with its constants, for the hot loop.
#[derive(Debug, Clone)]
pub(crate) struct LinkEval {
    link: Link,
    normal: Normal,
    probit_thresh: f64,
}

impl LinkEval {
    /// `linkinv`: linear predictor to probability, clamped as in R.
    #[inline]
    pub(crate) fn inverse(&self, eta: f64) -> f64 {
        match self.link {
            Link::Logit => {
                let t = if eta < -LOGIT_THRESH {
                    f64::EPSILON
                } else if eta > LOGIT_THRESH {
                    1.0 / f64::EPSILON
                } else {
                    eta.exp()
                };
                t / (1.0 + t)
            }
            Link::Probit => {
                let e = eta.clamp(-self.probit_thresh, self.probit_thresh);
                self.normal.cdf(e)
            }
            // R's `make.link("log")`: `pmax(exp(eta), .Machine$double.eps)`.
            Link::Log => eta.exp().max(f64::EPSILON),
            Link::Identity => eta,
        }
    }

    /// `(linkinv(eta), mu.eta(eta))` with R's formulas, sharing the one `exp` of the logit.
    #[inline]
    pub(crate) fn inverse_and_derivative(&self, eta: f64) -> (f64, f64) {
        match self.link {
            Link::Logit if (-LOGIT_THRESH..=LOGIT_THRESH).contains(&eta) => {
                let e = eta.exp();
                let op = 1.0 + e;
                (e / op, e / (op * op))
            }
            Link::Log => {
                let e = eta.exp().max(f64::EPSILON);
                (e, e)
            }
            _ => (self.inverse(eta), self.mu_eta(eta)),
        }
    }

    /// `mu.eta`: derivative of the probability with respect to the linear predictor.
    #[inline]
    pub(crate) fn mu_eta(&self, eta: f64) -> f64 {
        match self.link {
            Link::Logit => {
                if !(-LOGIT_THRESH..=LOGIT_THRESH).contains(&eta) {
                    f64::EPSILON
                } else {
                    let e = eta.exp();
                    let op = 1.0 + e;
                    e / (op * op)
                }
            }
            Link::Probit => self.normal.pdf(eta).max(f64::EPSILON),
            Link::Log => eta.exp().max(f64::EPSILON),
            Link::Identity => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logit_round_trip_and_clamp() {
        let l = Link::Logit.evaluator();
        let mu = l.inverse(Link::Logit.link(0.3));
        assert!((mu - 0.3).abs() < 1e-15);
        assert_eq!(l.mu_eta(40.0), f64::EPSILON);
        for eta in [-31.0, -30.0, -2.5, 0.0, 1.7, 30.0, 35.0] {
            assert_eq!(
                l.inverse_and_derivative(eta),
                (l.inverse(eta), l.mu_eta(eta))
            );
        }
        assert!(l.inverse(-100.0) > 0.0 && l.inverse(100.0) < 1.0);
    }

    #[test]
    fn probit_clamp_keeps_mu_inside() {
        let l = Link::Probit.evaluator();
        assert!(l.inverse(-50.0) > 0.0 && l.inverse(50.0) < 1.0);
        assert!((Link::Probit.link(0.75) - 0.674_489_750_196_081_7).abs() < 1e-15);
        assert_eq!(l.mu_eta(60.0), f64::EPSILON);
    }

    #[test]
    fn log_and_identity() {
        let l = Link::Log.evaluator();
        assert!((l.inverse(Link::Log.link(7.5)) - 7.5).abs() < 1e-14);
        assert_eq!(l.inverse(-800.0), f64::EPSILON);
        assert_eq!(l.inverse_and_derivative(0.3), (0.3f64.exp(), 0.3f64.exp()));
        let i = Link::Identity.evaluator();
        assert_eq!(i.inverse_and_derivative(-2.5), (-2.5, 1.0));
        assert_eq!(Link::Identity.link(4.0), 4.0);
    }
}
