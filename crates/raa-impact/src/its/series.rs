//! One time series as the caller gives it, checked and put in time order.

use super::spec::Family;
use crate::inference::check;
use crate::{Error, Result};

/// A time series (or a treated and a comparison series stacked, see `group`), as plain columns of
/// equal length. Rows may come in any order; they are sorted by (group, time).
///
/// ```
/// use raa_impact::its::Series;
/// let t: Vec<f64> = (1..=6).map(f64::from).collect();
/// let y = [3.0, 4.0, 5.0, 9.0, 10.0, 11.0];
/// let s = Series::new(&t, &y);
/// assert_eq!(s.len(), 6);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Series<'a> {
    /// Time in whole periods (months, quarters, …), equally spaced without gaps.
    pub time: &'a [f64],
    /// Outcome.
    pub y: &'a [f64],
    /// Precision weights (Gaussian) or numbers of trials (binomial proportions).
    pub weights: Option<&'a [f64]>,
    /// Offset on the linear-predictor scale (e.g. the log of the population).
    pub offset: Option<&'a [f64]>,
    /// Exposure (e.g. the population), positive; its log is added to the offset.
    pub exposure: Option<&'a [f64]>,
    /// Season of each row (e.g. the month 1–12) for seasonal terms; the time when absent.
    pub season: Option<&'a [f64]>,
    /// Control covariates, by name.
    pub covariates: Vec<(&'a str, &'a [f64])>,
    /// Controlled ITS: 1 for rows of the treated series, 0 for the comparison series.
    pub group: Option<&'a [f64]>,
}

impl<'a> Series<'a> {
    /// A series of outcome `y` at times `time`, with nothing else.
    pub fn new(time: &'a [f64], y: &'a [f64]) -> Self {
        Series {
            time,
            y,
            ..Series::default()
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether the series has no rows.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
}

/// A checked series in (group, time) order with the offset resolved.
#[derive(Debug, Clone)]
pub(crate) struct Sorted {
    /// Input row of each sorted row.
    pub row: Vec<usize>,
    pub time: Vec<f64>,
    pub y: Vec<f64>,
    pub weights: Option<Vec<f64>>,
    pub offset: Option<Vec<f64>>,
    pub season: Vec<f64>,
    pub covariates: Vec<(String, Vec<f64>)>,
    /// 1 (treated) or 0 (comparison); all 1 without a comparison series.
    pub group: Option<Vec<f64>>,
}

fn bad(column: &str, row: usize, message: impl std::fmt::Display) -> Error {
    Error::argument(column, format!("row {row}: {message}"))
}

fn check_outcome(y: &[f64], family: Family) -> Result<()> {
    for (i, &v) in y.iter().enumerate() {
        if family.counts() && (v < 0.0 || v.fract() != 0.0) {
            return Err(bad(
                "y",
                i,
                format!("{v} is not a count (a non-negative whole number), as the {family:?} family needs"),
            ));
        }
        if family == Family::Binomial && !(0.0..=1.0).contains(&v) {
            return Err(bad(
                "y",
                i,
                format!("{v} is not a proportion in [0, 1], as the binomial family needs"),
            ));
        }
    }
    Ok(())
}

impl Series<'_> {
    /// Check every column and sort rows by (group, time).
    pub(crate) fn checked(&self, family: Family) -> Result<Sorted> {
        let n = self.len();
        if n == 0 {
            return Err(Error::argument("y", "the series has no rows"));
        }
        check::finite("y", self.y, n)?;
        check::finite("time", self.time, n)?;
        check_outcome(self.y, family)?;
        if let Some(i) = self.time.iter().position(|t| t.fract() != 0.0) {
            let t = self.time[i];
            return Err(bad("time", i, format!("{t} is not a whole period")));
        }
        self.check_optional(n)?;
        let order = self.order();
        check_spacing(self.time, self.group, &order)?;
        Ok(self.sorted(order))
    }

    fn check_optional(&self, n: usize) -> Result<()> {
        if let Some(w) = self.weights {
            check::weights("weights", w, n)?;
        }
        if let Some(o) = self.offset {
            check::finite("offset", o, n)?;
        }
        if let Some(e) = self.exposure {
            check::finite("exposure", e, n)?;
            if let Some(i) = e.iter().position(|v| *v <= 0.0) {
                let v = e[i];
                return Err(bad(
                    "exposure",
                    i,
                    format!("{v} is not positive, so it has no log"),
                ));
            }
        }
        if let Some(s) = self.season {
            check::finite("season", s, n)?;
        }
        for (name, c) in &self.covariates {
            check::finite(name, c, n)?;
        }
        if let Some(g) = self.group {
            check::finite("group", g, n)?;
            if let Some(i) = g.iter().position(|v| *v != 0.0 && *v != 1.0) {
                return Err(bad(
                    "group",
                    i,
                    format!("{} is not 0 (comparison) or 1 (treated)", g[i]),
                ));
            }
        }
        Ok(())
    }

    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        let g = |i: usize| self.group.map_or(1.0, |g| g[i]);
        // Comparison rows (0) first, then treated; a stable sort keeps the check messages in row order.
        order.sort_by(|&a, &b| {
            g(a).total_cmp(&g(b))
                .then(self.time[a].total_cmp(&self.time[b]))
        });
        order
    }

    fn sorted(&self, order: Vec<usize>) -> Sorted {
        let pick = |c: &[f64]| order.iter().map(|&i| c[i]).collect::<Vec<f64>>();
        let offset = match (self.offset, self.exposure) {
            (None, None) => None,
            (o, e) => Some(
                order
                    .iter()
                    .map(|&i| o.map_or(0.0, |o| o[i]) + e.map_or(0.0, |e| e[i].ln()))
                    .collect(),
            ),
        };
        Sorted {
            time: pick(self.time),
            y: pick(self.y),
            weights: self.weights.map(pick),
            offset,
            season: pick(self.season.unwrap_or(self.time)),
            covariates: self
                .covariates
                .iter()
                .map(|(n, c)| (n.to_string(), pick(c)))
                .collect(),
            group: self.group.map(pick),
            row: order,
        }
    }
}

/// Within each group, time points must be distinct and consecutive.
fn check_spacing(time: &[f64], group: Option<&[f64]>, order: &[usize]) -> Result<()> {
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if group.is_some_and(|g| g[a] != g[b]) {
            continue;
        }
        let gap = time[b] - time[a];
        if gap == 0.0 {
            return Err(bad(
                "time",
                b,
                format!(
                    "time {} also appears at row {a}: duplicate time point",
                    time[b]
                ),
            ));
        }
        if gap > 1.0 {
            return Err(bad(
                "time",
                b,
                format!(
                    "the series jumps from {} to {}: time points {}–{} are missing (a gap); fill them or model them",
                    time[a],
                    time[b],
                    time[a] + 1.0,
                    time[b] - 1.0
                ),
            ));
        }
    }
    Ok(())
}

impl Sorted {
    pub fn len(&self) -> usize {
        self.y.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_rows_and_logs_exposure() {
        let t = [3.0, 1.0, 2.0];
        let y = [30.0, 10.0, 20.0];
        let e = [std::f64::consts::E, 1.0, 1.0];
        let s = Series {
            exposure: Some(&e),
            ..Series::new(&t, &y)
        };
        let c = s.checked(Family::Poisson).unwrap();
        assert_eq!(c.y, vec![10.0, 20.0, 30.0]);
        assert_eq!(c.row, vec![1, 2, 0]);
        assert!((c.offset.unwrap()[2] - 1.0).abs() < 1e-15);
    }

    #[test]
    fn gaps_duplicates_and_counts_are_errors() {
        let y = [1.0, 2.0, 3.0];
        let gap = Series::new(&[1.0, 2.0, 5.0], &y).checked(Family::Gaussian);
        assert!(gap.unwrap_err().to_string().contains("3–4 are missing"));
        let dup = Series::new(&[1.0, 2.0, 2.0], &y).checked(Family::Gaussian);
        assert!(dup.unwrap_err().to_string().contains("duplicate"));
        let frac = Series::new(&[1.0, 2.0, 3.0], &[1.0, 2.5, 3.0]).checked(Family::Poisson);
        assert!(frac.unwrap_err().to_string().contains("row 1"));
        let ex = [1.0, 0.0, 1.0];
        let zero = Series {
            exposure: Some(&ex),
            ..Series::new(&[1.0, 2.0, 3.0], &y)
        };
        assert!(zero
            .checked(Family::Poisson)
            .unwrap_err()
            .to_string()
            .contains("exposure"));
    }

    #[test]
    fn groups_may_share_time_points() {
        let t = [1.0, 2.0, 1.0, 2.0];
        let g = [1.0, 1.0, 0.0, 0.0];
        let y = [1.0, 2.0, 3.0, 4.0];
        let s = Series {
            group: Some(&g),
            ..Series::new(&t, &y)
        };
        let c = s.checked(Family::Gaussian).unwrap();
        assert_eq!(c.group.unwrap(), vec![0.0, 0.0, 1.0, 1.0]);
    }
}
