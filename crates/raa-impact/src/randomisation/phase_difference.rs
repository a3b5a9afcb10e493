//! The classical multiple-baseline statistic: the mean over units of
//! `mean(y | t ≥ start + bed_in) − mean(y | t < start)`, i.e. phase B minus phase A, with the
//! bed-in periods `start ≤ t < start + bed_in` left out of both phases.

use super::design::Design;
use super::options::RandomisationOptions;
use super::result::RandomisationResult;
use super::run::randomisation_test;
use crate::inference::check;
use crate::{Error, Result};

/// One unit's series, sorted by time, with prefix sums so that a phase mean costs two binary
/// searches whatever the series length (the statistic is evaluated up to 10⁶ times).
#[derive(Debug, Clone)]
struct UnitSeries {
    time: Vec<i64>,
    prefix: Vec<f64>,
}

/// The mean phase-B − phase-A difference over unit series.
///
/// ```
/// use raa_impact::randomisation::PhaseMeanDifference;
/// let time = vec![vec![0, 1, 2, 3], vec![0, 1, 2, 3]];
/// let y = vec![vec![1.0, 1.0, 3.0, 3.0], vec![0.0, 0.0, 0.0, 4.0]];
/// let stat = PhaseMeanDifference::new(&time, &y, 0).unwrap();
/// // Unit 0 from t = 2: 3 − 1 = 2; unit 1 from t = 3: 4 − 0 = 4; mean 3.
/// assert!((stat.evaluate(&[2, 3]).unwrap() - 3.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone)]
pub struct PhaseMeanDifference {
    units: Vec<UnitSeries>,
    bed_in: i64,
}

impl PhaseMeanDifference {
    /// Series `time[i]`, `y[i]` of each unit `i` (any order within a unit, no duplicate times);
    /// `bed_in ≥ 0` periods after each start are excluded from both phases.
    pub fn new(time: &[Vec<i64>], y: &[Vec<f64>], bed_in: i64) -> Result<Self> {
        check::same_length("y", y.len(), time.len())?;
        if time.is_empty() {
            return Err(Error::argument("time", "no units"));
        }
        if bed_in < 0 {
            return Err(Error::argument(
                "bed_in",
                format!("is {bed_in}, expected ≥ 0"),
            ));
        }
        let units = time
            .iter()
            .zip(y)
            .enumerate()
            .map(|(i, (t, v))| unit_series(i, t, v))
            .collect::<Result<Vec<_>>>()?;
        Ok(PhaseMeanDifference { units, bed_in })
    }

    /// From long columns (one row per unit-time, any order): units are ordered by label, and
    /// the labels are returned in that order so that start times can be given unit by unit.
    ///
    /// ```
    /// use raa_impact::randomisation::PhaseMeanDifference;
    /// let (stat, units) = PhaseMeanDifference::from_long(&[7, 3, 7, 3], &[0, 0, 1, 1], &[1.0, 2.0, 4.0, 2.0], 0).unwrap();
    /// assert_eq!(units, vec![3, 7]);
    /// assert!((stat.evaluate(&[1, 1]).unwrap() - 1.5).abs() < 1e-12);
    /// ```
    pub fn from_long(
        unit: &[u64],
        time: &[i64],
        y: &[f64],
        bed_in: i64,
    ) -> Result<(Self, Vec<u64>)> {
        check::same_length("time", time.len(), unit.len())?;
        check::same_length("y", y.len(), unit.len())?;
        let mut by_unit: std::collections::BTreeMap<u64, (Vec<i64>, Vec<f64>)> = Default::default();
        for r in 0..unit.len() {
            let e = by_unit.entry(unit[r]).or_default();
            e.0.push(time[r]);
            e.1.push(y[r]);
        }
        let labels: Vec<u64> = by_unit.keys().copied().collect();
        let (times, ys): (Vec<Vec<i64>>, Vec<Vec<f64>>) = by_unit.into_values().unzip();
        Ok((PhaseMeanDifference::new(&times, &ys, bed_in)?, labels))
    }

    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    /// The statistic at `starts` (one per unit). Error naming the unit when a phase is empty.
    pub fn evaluate(&self, starts: &[i64]) -> Result<f64> {
        check::same_length("starts", starts.len(), self.units.len())?;
        let mut total = 0.0;
        for (i, (u, &s)) in self.units.iter().zip(starts).enumerate() {
            let n = u.time.len();
            let a = u.time.partition_point(|&t| t < s);
            let b = u
                .time
                .partition_point(|&t| t < s.saturating_add(self.bed_in));
            if a == 0 || b == n {
                return Err(empty_phase(i, s, a == 0));
            }
            let pre = u.prefix[a] / a as f64;
            let post = (u.prefix[n] - u.prefix[b]) / (n - b) as f64;
            total += post - pre;
        }
        Ok(total / self.units.len() as f64)
    }

    /// Error unless every start the design can give each unit lies inside that unit's series and
    /// leaves it at least one phase-A and one phase-B point. Both phase sizes are monotone in the
    /// start, so checking the earliest and latest admissible start suffices.
    pub fn check_design(&self, design: &Design) -> Result<()> {
        check::same_length("design units", design.n_units(), self.units.len())?;
        for (i, u) in self.units.iter().enumerate() {
            let (lo, hi) = design.start_range(i);
            let (first, last) = (u.time[0], u.time[u.time.len() - 1]);
            if lo < first || hi > last {
                return Err(Error::argument(
                    "windows",
                    format!(
                        "unit {i} can start at {lo}..={hi}, not inside its series {first}..={last}"
                    ),
                ));
            }
            if lo <= first {
                return Err(empty_phase(i, lo, true));
            }
            if hi.saturating_add(self.bed_in) > last {
                return Err(empty_phase(i, hi, false));
            }
        }
        Ok(())
    }
}

/// Randomisation test with the [`PhaseMeanDifference`] statistic, after checking that every
/// admissible start leaves each unit both phases.
///
/// ```
/// use raa_impact::randomisation::{phase_difference_test, Design, PhaseMeanDifference, RandomisationOptions, Window};
/// let time: Vec<Vec<i64>> = (0..3).map(|_| (0..12).collect()).collect();
/// let y: Vec<Vec<f64>> = [4, 6, 8]
///     .iter()
///     .map(|&s| (0..12).map(|t| if t >= s { 5.0 } else { 0.0 } + 0.1 * (t % 3) as f64).collect())
///     .collect();
/// let stat = PhaseMeanDifference::new(&time, &y, 0).unwrap();
/// let design = Design::wampold_worsham(3, &[4, 6, 8]).unwrap();
/// let r = phase_difference_test(&design, &[4, 6, 8], &stat, &RandomisationOptions::default()).unwrap();
/// assert_eq!(r.n_evaluated, 6);
/// assert!((r.p_value - 1.0 / 6.0).abs() < 1e-12);
/// ```
pub fn phase_difference_test(
    design: &Design,
    observed: &[i64],
    statistic: &PhaseMeanDifference,
    options: &RandomisationOptions,
) -> Result<RandomisationResult> {
    statistic.check_design(design)?;
    randomisation_test(design, observed, |s| statistic.evaluate(s), options)
}

fn unit_series(i: usize, time: &[i64], y: &[f64]) -> Result<UnitSeries> {
    let name = format!("y[{i}]");
    check::finite(&name, y, time.len())?;
    if time.is_empty() {
        return Err(Error::argument(
            "time",
            format!("unit {i} has no observations"),
        ));
    }
    let mut order: Vec<usize> = (0..time.len()).collect();
    order.sort_by_key(|&k| time[k]);
    if let Some(w) = order.windows(2).find(|w| time[w[0]] == time[w[1]]) {
        return Err(Error::argument(
            "time",
            format!(
                "unit {i} has time {} twice (rows {} and {})",
                time[w[0]], w[0], w[1]
            ),
        ));
    }
    let mut prefix = Vec::with_capacity(time.len() + 1);
    prefix.push(0.0);
    for &k in &order {
        prefix.push(prefix[prefix.len() - 1] + y[k]);
    }
    Ok(UnitSeries {
        time: order.iter().map(|&k| time[k]).collect(),
        prefix,
    })
}

fn empty_phase(unit: usize, start: i64, pre: bool) -> Error {
    let (phase, rule) = if pre {
        ("phase A (before the start)", "t < start")
    } else {
        ("phase B (after the start and bed-in)", "t ≥ start + bed_in")
    };
    Error::argument(
        "windows",
        format!("unit {unit} has no {phase} observations ({rule}) when it starts at {start}"),
    )
}
