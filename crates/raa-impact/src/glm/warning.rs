//! Warnings attached to a fit.

use serde::{Deserialize, Serialize};

/// How the outcome is separated by the covariates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeparationKind {
    /// The outcome is predicted perfectly: no overlap at all.
    Complete,
    /// The outcome is predicted perfectly except for ties on the boundary.
    QuasiComplete,
}

/// A warning about a fit: the coefficients are returned but should be read with care.
///
/// ```
/// use raa_impact::glm::GlmWarning;
/// let w = GlmWarning::NotConverged { iterations: 25 };
/// assert!(w.to_string().contains("25"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum GlmWarning {
    /// IRLS stopped at `max_iter` without meeting the convergence tolerance.
    NotConverged {
        /// Iterations performed.
        iterations: usize,
    },
    /// `count` fitted probabilities are within 1e-5 of 0 or 1.
    FittedAtBoundary {
        /// Number of rows (with positive weight) at the boundary.
        count: usize,
    },
    /// The outcome is (quasi-)completely separated; the maximum likelihood estimate does not exist
    /// and the named coefficients drift towards infinity.
    Separation {
        /// Complete or quasi-complete.
        kind: SeparationKind,
        /// The covariates that separate the outcome.
        covariates: Vec<String>,
    },
    /// A non-finite deviance made IRLS halve its step (R's "step size truncated due to
    /// divergence"); the fit may have stopped at a boundary.
    StepHalved {
        /// Iteration at which the step was first halved.
        iteration: usize,
    },
    /// The intercept-only fit with the offset, needed for the null deviance, did not converge.
    NullDevianceNotConverged,
    /// The last maximum likelihood iteration for the negative binomial θ reached its limit
    /// (`MASS::theta.ml`'s "iteration limit reached").
    ThetaIterationLimit {
        /// Newton iterations performed (the limit).
        iterations: usize,
    },
    /// The alternation between IRLS for the coefficients and the θ estimate reached its limit
    /// (`MASS::glm.nb`'s "alternation limit reached").
    AlternationLimit {
        /// Alternations performed.
        alternations: usize,
    },
}

impl std::fmt::Display for GlmWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GlmWarning::NotConverged { iterations } => {
                write!(f, "the fit did not converge in {iterations} iterations")
            }
            GlmWarning::FittedAtBoundary { count } => {
                write!(f, "{count} fitted probabilities are within 1e-5 of 0 or 1")
            }
            GlmWarning::Separation { kind, covariates } => {
                let kind = match kind {
                    SeparationKind::Complete => "complete",
                    SeparationKind::QuasiComplete => "quasi-complete",
                };
                write!(
                    f,
                    "{kind} separation of the outcome by {}: the estimates of these coefficients \
                     are not finite in the limit and their standard errors are meaningless",
                    covariates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            GlmWarning::StepHalved { iteration } => write!(
                f,
                "the deviance was not finite at iteration {iteration}; the step was halved (the \
                 fit may have stopped at a boundary)"
            ),
            GlmWarning::NullDevianceNotConverged => write!(
                f,
                "the intercept-only fit for the null deviance did not converge"
            ),
            GlmWarning::ThetaIterationLimit { iterations } => write!(
                f,
                "the estimate of theta reached the iteration limit ({iterations})"
            ),
            GlmWarning::AlternationLimit { alternations } => write!(
                f,
                "the alternation between the coefficients and theta did not converge in \
                 {alternations} rounds"
            ),
        }
    }
}
