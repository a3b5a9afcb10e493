//! The numbers a match is computed from. Built by the caller (the Python layer builds the design
//! matrix from a formula); nothing here knows what the columns mean.

/// Input of [`match_units`](super::match_units). Every slice has one entry per unit.
#[derive(Debug, Clone, Default)]
pub struct MatchInput<'a> {
    /// Treatment indicator.
    pub treated: &'a [bool],
    /// Columns of the score model (already dummy-coded; no intercept) and the covariates of the
    /// covariate distances.
    pub covariates: Vec<(&'a str, &'a [f64])>,
    /// Columns of the balance table, in order; empty = `covariates`. (MatchIt shows every level of
    /// a categorical covariate, reference level included, where the model has one fewer.)
    pub balance: Vec<(&'a str, &'a [f64])>,
    /// A supplied propensity score in (0, 1), replacing the model.
    pub score: Option<&'a [f64]>,
    /// Exact-matching strata (any integer code per unit).
    pub exact: Option<&'a [u32]>,
    /// Unit keys: tie-breaks and results invariant to row order.
    pub id: Option<&'a [u64]>,
    /// With a supplied score matched on its logit or itself, do not build the distance column
    /// (one value per unit): the caller keeps the score and computes the distance when it needs
    /// it with [`MatchSet::distance_from`](super::MatchSet::distance_from). At 11M units this
    /// saves writing an 88 MB column that a caller holding the score may never read. Ignored when
    /// the distance has to be built anyway (a fitted score, common-support trimming, exact strata).
    pub defer_distance: bool,
}

impl<'a> MatchInput<'a> {
    /// Number of units.
    pub fn n(&self) -> usize {
        self.treated.len()
    }

    /// A covariate column by name.
    pub fn covariate(&self, name: &str) -> Option<&'a [f64]> {
        self.covariates
            .iter()
            .chain(&self.balance)
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
    }
}
