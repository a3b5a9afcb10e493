//! The data of a mixed-model fit, checked once at the door and arranged by unit.

use std::collections::BTreeMap;

use super::options::{MixedOptions, Residual};
use super::INTERCEPT;
use crate::inference::check;
use crate::{Error, Result};

/// Plain columns of a mixed-model fit, one entry per observation (any row order).
///
/// ```
/// use raa_impact::mixed::MixedInput;
/// let (y, t) = (vec![1.0, 2.0, 3.0, 4.0], vec![0.0, 1.0, 0.0, 1.0]);
/// let names = vec!["time".to_string()];
/// let unit = vec![1, 1, 2, 2];
/// let input = MixedInput { y: &y, x: &[&t], x_names: &names, unit: &unit, group: None, time: &t };
/// assert_eq!(input.y.len(), 4);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MixedInput<'a> {
    /// Response.
    pub y: &'a [f64],
    /// Fixed-effect columns (without the intercept, which the options add).
    pub x: &'a [&'a [f64]],
    /// One name per fixed-effect column.
    pub x_names: &'a [String],
    /// Unit label of each row (the level with random effects and AR(1) residuals).
    pub unit: &'a [u64],
    /// Optional higher-level label (units must be nested in it): adds a random intercept per group.
    pub group: Option<&'a [u64]>,
    /// Time index of each row; orders rows within unit and, for AR(1), gives the lags. Must be
    /// integer-valued with AR(1) residuals; no two rows of a unit may share a time.
    pub time: &'a [f64],
}

/// One unit's rows in time order.
#[derive(Debug, Clone)]
pub(crate) struct UnitRows {
    pub label: u64,
    pub rows: Vec<usize>,
    /// Gap to the previous row (entry 0 unused).
    pub lags: Vec<i64>,
    pub group: usize,
}

/// Checked design: column `c < p` is a fixed effect, `p` the response, `p + 1` a column of ones.
#[derive(Debug, Clone)]
pub(crate) struct Design<'a> {
    pub input: MixedInput<'a>,
    pub intercept: bool,
    pub names: Vec<String>,
    pub p: usize,
    pub z: Vec<usize>,
    pub units: Vec<UnitRows>,
    pub group_labels: Vec<u64>,
    pub n_obs: usize,
}

impl<'a> Design<'a> {
    /// Number of columns of the cross-product blocks.
    pub fn k(&self) -> usize {
        self.p + 2
    }

    /// Entry of block column `c` at row `r`.
    #[inline]
    pub fn value(&self, r: usize, c: usize) -> f64 {
        let p = self.p;
        if c == p {
            self.input.y[r]
        } else if c == p + 1 {
            1.0
        } else if self.intercept {
            if c == 0 {
                1.0
            } else {
                self.input.x[c - 1][r]
            }
        } else {
            self.input.x[c][r]
        }
    }

    pub fn new(input: MixedInput<'a>, options: &MixedOptions) -> Result<Self> {
        let n = input.y.len();
        check_shapes(&input, n)?;
        let mut names = Vec::with_capacity(input.x.len() + 1);
        if options.intercept {
            names.push(INTERCEPT.to_string());
        }
        names.extend(input.x_names.iter().cloned());
        let p = names.len();
        if p == 0 {
            return Err(Error::argument(
                "x",
                "no fixed effects and no intercept; expected at least one",
            ));
        }
        let z = random_columns(&names, &options.random)?;
        let (units, group_labels) = arrange_units(&input, options)?;
        let design = Design {
            input,
            intercept: options.intercept,
            names,
            p,
            z,
            units,
            group_labels,
            n_obs: n,
        };
        if n <= p {
            return Err(Error::argument(
                "y",
                format!("{n} observations for {p} fixed effects; expected more observations than fixed effects"),
            ));
        }
        design.check_rank()?;
        Ok(design)
    }

    /// Rank-deficient X: name the first column that is a combination of those before it.
    fn check_rank(&self) -> Result<()> {
        let p = self.p;
        let mut xtx = vec![0.0; p * p];
        let mut row = vec![0.0; p];
        for r in 0..self.n_obs {
            for (c, v) in row.iter_mut().enumerate() {
                *v = self.value(r, c);
            }
            for i in 0..p {
                for j in 0..=i {
                    xtx[i * p + j] += row[i] * row[j];
                }
            }
        }
        let scale: Vec<f64> = (0..p).map(|i| xtx[i * p + i].sqrt()).collect();
        for (j, s) in scale.iter().enumerate() {
            if *s == 0.0 {
                return Err(Error::argument(
                    "x",
                    format!(
                        "column `{}` is all zeros; X must have full column rank",
                        self.names[j]
                    ),
                ));
            }
        }
        // Cholesky of the correlation-scaled X'X; a pivot lost to round-off marks a dependent column.
        let mut a = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..=i {
                a[i * p + j] = xtx[i * p + j] / (scale[i] * scale[j]);
            }
        }
        for j in 0..p {
            let d = a[j * p + j] - (0..j).map(|k| a[j * p + k].powi(2)).sum::<f64>();
            if d < 1e-10 {
                return Err(Error::argument(
                    "x",
                    format!(
                        "column `{}` is (nearly) a linear combination of the columns before it; X must have full column rank",
                        self.names[j]
                    ),
                ));
            }
            let l = d.sqrt();
            a[j * p + j] = l;
            for i in j + 1..p {
                let s = a[i * p + j] - (0..j).map(|k| a[i * p + k] * a[j * p + k]).sum::<f64>();
                a[i * p + j] = s / l;
            }
        }
        Ok(())
    }
}

fn check_shapes(input: &MixedInput<'_>, n: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::argument(
            "y",
            "no observations; expected at least one row",
        ));
    }
    if input.x_names.len() != input.x.len() {
        return Err(Error::argument(
            "x_names",
            format!(
                "{} names for {} columns; expected one name per column",
                input.x_names.len(),
                input.x.len()
            ),
        ));
    }
    check::finite("y", input.y, n)?;
    for (c, name) in input.x.iter().zip(input.x_names) {
        check::finite(name, c, n)?;
    }
    check::same_length("unit", input.unit.len(), n)?;
    check::finite("time", input.time, n)?;
    if let Some(g) = input.group {
        check::same_length("group", g.len(), n)?;
    }
    Ok(())
}

/// Indices (into the fixed-effect columns) of the random-effect columns.
fn random_columns(names: &[String], random: &[String]) -> Result<Vec<usize>> {
    let mut z = Vec::with_capacity(random.len());
    for r in random {
        let Some(j) = names.iter().position(|n| n == r) else {
            return Err(Error::argument(
                "random",
                format!(
                    "random-effect column `{r}` is not a fixed-effect column (have: {})",
                    names.join(", ")
                ),
            ));
        };
        if z.contains(&j) {
            return Err(Error::argument(
                "random",
                format!("random-effect column `{r}` is given twice"),
            ));
        }
        z.push(j);
    }
    Ok(z)
}

/// Group rows by unit (units in increasing label order), sort each by time, check nesting.
fn arrange_units(
    input: &MixedInput<'_>,
    options: &MixedOptions,
) -> Result<(Vec<UnitRows>, Vec<u64>)> {
    let ar1 = options.residual == Residual::Ar1;
    let mut by_unit: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (r, &u) in input.unit.iter().enumerate() {
        by_unit.entry(u).or_default().push(r);
    }
    let mut group_index: BTreeMap<u64, usize> = BTreeMap::new();
    if let Some(g) = input.group {
        for &label in g {
            group_index.entry(label).or_insert(0);
        }
        for (i, v) in group_index.values_mut().enumerate() {
            *v = i;
        }
    }
    let mut units = Vec::with_capacity(by_unit.len());
    for (label, mut rows) in by_unit {
        if rows.len() < options.min_unit_obs.max(1) {
            return Err(Error::argument(
                "unit",
                format!(
                    "unit {label} has {} observation(s); expected at least {} (min_unit_obs)",
                    rows.len(),
                    options.min_unit_obs
                ),
            ));
        }
        rows.sort_by(|&a, &b| input.time[a].total_cmp(&input.time[b]).then(a.cmp(&b)));
        let lags = unit_lags(input.time, &rows, label, ar1)?;
        let group = match input.group {
            None => 0,
            Some(g) => nested_group(g, &rows, label, &group_index)?,
        };
        units.push(UnitRows {
            label,
            rows,
            lags,
            group,
        });
    }
    if units.len() < 2 {
        return Err(Error::argument(
            "unit",
            format!("{} unit(s); expected at least 2", units.len()),
        ));
    }
    let group_labels: Vec<u64> = group_index.keys().copied().collect();
    Ok((units, group_labels))
}

fn unit_lags(time: &[f64], rows: &[usize], label: u64, ar1: bool) -> Result<Vec<i64>> {
    let mut lags = vec![0i64; rows.len()];
    for w in 1..rows.len() {
        let (a, b) = (time[rows[w - 1]], time[rows[w]]);
        if a == b {
            return Err(Error::argument(
                "time",
                format!("unit {label} has two rows (rows {} and {}) at time {a}; expected distinct times", rows[w - 1], rows[w]),
            ));
        }
        if ar1 && (a.fract() != 0.0 || b.fract() != 0.0 || (b - a) > 1e9) {
            return Err(Error::argument(
                "time",
                format!(
                    "AR(1) residuals need integer times; unit {label} has time {} at row {}",
                    if a.fract() != 0.0 { a } else { b },
                    if a.fract() != 0.0 {
                        rows[w - 1]
                    } else {
                        rows[w]
                    }
                ),
            ));
        }
        // Truncation is exact: both times are integers (checked above) when the lag is used.
        lags[w] = (b - a) as i64;
    }
    Ok(lags)
}

fn nested_group(
    g: &[u64],
    rows: &[usize],
    label: u64,
    index: &BTreeMap<u64, usize>,
) -> Result<usize> {
    let first = g[rows[0]];
    if let Some(&r) = rows.iter().find(|&&r| g[r] != first) {
        return Err(Error::argument(
            "group",
            format!("unit {label} is in group {first} at row {} and group {} at row {r}; units must be nested in groups", rows[0], g[r]),
        ));
    }
    index.get(&first).copied().ok_or_else(|| {
        Error::argument(
            "group",
            format!("group {first} of unit {label} not indexed"),
        )
    })
}
