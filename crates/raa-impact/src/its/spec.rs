//! What an interrupted-time-series model is: the interruptions and their impact shapes, the
//! transition periods around them, seasonality, the family and the error model.

use serde::{Deserialize, Serialize};

/// The shape of an intervention's impact, coded so that every change is measured at the
/// (effective) interruption `T` (Huitema–McKean).
///
/// ```
/// use raa_impact::its::Impact;
/// assert_eq!(Impact::Ramp { periods: 4 }.name(), "ramp");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// A level change: `D = 1[t ≥ T]`.
    Step,
    /// A slope change: `(t − T + origin) · D` (origin 0 by default, so the step is the level change
    /// at `T` itself, never `t · D`).
    Slope,
    /// A one-period change: `1[t = T]`.
    Pulse,
    /// A change phased in linearly over `periods` periods: `D · min((t − T + 1) / periods, 1)`.
    Ramp {
        /// Number of periods until the full change is reached (≥ 1).
        periods: usize,
    },
}

impl Impact {
    /// Short name used in coefficient names (`step`, `slope`, `pulse`, `ramp`).
    pub fn name(&self) -> &'static str {
        match self {
            Impact::Step => "step",
            Impact::Slope => "slope",
            Impact::Pulse => "pulse",
            Impact::Ramp { .. } => "ramp",
        }
    }
}

/// What to do with transition periods (bed-in after an interruption, anticipation before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// Leave the periods out of the fit (the default).
    #[default]
    Exclude,
    /// Keep them, with their own level and slope terms, so they neither count as pre- nor as
    /// post-interruption periods.
    Segment,
}

/// One interruption of a series.
///
/// ```
/// use raa_impact::its::{Impact, Interruption};
/// let go_live = Interruption::at(37.0).with_bed_in(6);
/// assert_eq!(go_live.effective_time(), 43.0);
/// assert_eq!(go_live.impacts, vec![Impact::Step, Impact::Slope]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Interruption {
    /// Name used to tell several interruptions' terms apart (`step:label`); may be empty when
    /// there is one interruption.
    pub label: String,
    /// The first time point after the interruption, `T0`.
    pub time: f64,
    /// Impact shapes (step and slope by default).
    pub impacts: Vec<Impact>,
    /// Periods from `T0` on that are a bed-in, not yet the full effect.
    pub bed_in: usize,
    /// Periods before `T0` in which behaviour may already change (anticipation).
    pub anticipation: usize,
    /// Whether the bed-in and anticipation periods are left out or get their own segment.
    pub transition: Transition,
}

impl Default for Interruption {
    fn default() -> Self {
        Interruption {
            label: String::new(),
            time: f64::NAN,
            impacts: vec![Impact::Step, Impact::Slope],
            bed_in: 0,
            anticipation: 0,
            transition: Transition::Exclude,
        }
    }
}

impl Interruption {
    /// An interruption at `time` (the first post-interruption time point) with a step and a slope.
    pub fn at(time: f64) -> Self {
        Interruption {
            time,
            ..Interruption::default()
        }
    }

    /// The same interruption with a bed-in of `periods`.
    pub fn with_bed_in(mut self, periods: usize) -> Self {
        self.bed_in = periods;
        self
    }

    /// The same interruption with these impact shapes.
    pub fn with_impacts(mut self, impacts: Vec<Impact>) -> Self {
        self.impacts = impacts;
        self
    }

    /// `T = T0 + bed_in`: where the post-interruption segment, and so its level change, starts.
    pub fn effective_time(&self) -> f64 {
        self.time + self.bed_in as f64
    }

    /// The first anticipation period, `T0 − anticipation`.
    pub fn anticipation_start(&self) -> f64 {
        self.time - self.anticipation as f64
    }
}

/// Seasonal terms.
///
/// ```
/// use raa_impact::its::Seasonality;
/// let s = Seasonality::Fourier { period: 12.0, harmonics: 2 };
/// assert_eq!(s.n_terms(), 4);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Seasonality {
    /// `sin(2πk·s/period)` and `cos(2πk·s/period)` for `k = 1..=harmonics`, `s` the season
    /// column (or the time when there is none).
    Fourier {
        /// Length of the seasonal cycle in periods (12 for months).
        period: f64,
        /// Number of sine–cosine pairs.
        harmonics: usize,
    },
    /// One indicator per season but the first (`s mod period`, seasons numbered from the smallest).
    Dummies {
        /// Number of seasons in a cycle.
        period: usize,
    },
}

impl Seasonality {
    /// Number of design columns the seasonality adds.
    pub fn n_terms(&self) -> usize {
        match self {
            Seasonality::Fourier { harmonics, .. } => 2 * harmonics,
            Seasonality::Dummies { period } => period.saturating_sub(1),
        }
    }
}

/// The distribution of the outcome (and so the link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Normal errors, identity link (with precision weights when given).
    #[default]
    Gaussian,
    /// Poisson counts, log link.
    Poisson,
    /// Poisson mean–variance with an estimated dispersion, log link.
    QuasiPoisson,
    /// Negative binomial (NB2) with θ by maximum likelihood, log link.
    NegativeBinomial,
    /// Binomial proportions (weights are the numbers of trials), logit link.
    Binomial,
}

impl Family {
    /// Whether coefficients are on the log scale (so ratios are reported).
    pub fn log_link(self) -> bool {
        matches!(
            self,
            Family::Poisson | Family::QuasiPoisson | Family::NegativeBinomial
        )
    }

    /// Whether the outcome must be a count.
    pub fn counts(self) -> bool {
        self.log_link()
    }
}

/// Maximum likelihood or restricted maximum likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    /// Maximum likelihood.
    Ml,
    /// Restricted maximum likelihood (the default, as `nlme::gls`).
    #[default]
    Reml,
}

/// The error model and so the standard errors.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Errors {
    /// Independent errors: model-based standard errors.
    #[default]
    Ols,
    /// Newey–West (Bartlett kernel, no prewhitening) standard errors around the model's fit.
    NeweyWest {
        /// Lag truncation; `None` gives `⌊4 (n/100)^(2/9)⌋`.
        lag: Option<usize>,
        /// Scale by `n / (n − p)` (off by default, as `sandwich::NeweyWest`).
        adjust: bool,
    },
    /// Prais–Winsten feasible GLS with AR(1) errors, keeping the first observation.
    PraisWinsten,
    /// GLS with AR(1) errors by maximum likelihood or REML (as `nlme::gls` with `corAR1()`).
    Ar1 {
        /// ML or REML.
        method: Likelihood,
    },
    /// GLS with AR(p) errors by ML or REML (as `nlme::gls` with `corARMA(p = order)`).
    Ar {
        /// Autoregressive order p ≥ 1.
        order: usize,
        /// ML or REML.
        method: Likelihood,
    },
}

impl Errors {
    /// Number of autoregressive parameters estimated (0 for least squares and Newey–West).
    pub fn ar_parameters(&self) -> usize {
        match self {
            Errors::Ar1 { .. } | Errors::PraisWinsten => 1,
            Errors::Ar { order, .. } => *order,
            Errors::Ols | Errors::NeweyWest { .. } => 0,
        }
    }
}

/// A complete model specification, shared by every series of a batch.
///
/// ```
/// use raa_impact::its::{Errors, Family, Interruption, ItsSpec, Likelihood};
/// let spec = ItsSpec {
///     interruptions: vec![Interruption::at(37.0)],
///     errors: Errors::Ar1 { method: Likelihood::Reml },
///     ..ItsSpec::default()
/// };
/// assert_eq!(spec.family, Family::Gaussian);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItsSpec {
    /// Interruptions in time order (at least one).
    pub interruptions: Vec<Interruption>,
    /// Outcome family.
    pub family: Family,
    /// Error model.
    pub errors: Errors,
    /// Seasonal terms, if any.
    pub seasonality: Option<Seasonality>,
    /// Value of the slope term at the effective interruption: 0 gives `(t − T)·D` (the default);
    /// 1 gives `(t − T + 1)·D`, the coding of some published analyses.
    pub slope_origin: f64,
    /// Include a linear pre-existing trend in time (on by default).
    pub trend: bool,
    /// Confidence level of intervals.
    pub level: f64,
}

impl Default for ItsSpec {
    fn default() -> Self {
        ItsSpec {
            interruptions: Vec::new(),
            family: Family::Gaussian,
            errors: Errors::Ols,
            seasonality: None,
            slope_origin: 0.0,
            trend: true,
            level: 0.95,
        }
    }
}
