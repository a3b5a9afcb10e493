//! A balanced panel with an absorbing binary treatment, checked once at the door: every unit seen
//! at every time exactly once, treatment 0/1 and never switched off, outcomes finite.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::inference::check;
use crate::{Error, Result};

/// A balanced unit × time panel, stored unit-major (`index = unit · n_times + time`), with units
/// and times in increasing order of their labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    /// Unit labels, increasing.
    pub units: Vec<u64>,
    /// Time labels, increasing.
    pub times: Vec<i64>,
    /// Outcome, unit-major.
    pub y: Vec<f64>,
    /// Treatment 0/1, unit-major.
    pub treated: Vec<bool>,
    /// Index (into `times`) of each unit's first treated period; `None` for never-treated units.
    pub first_treated: Vec<Option<usize>>,
    /// Cluster label of each unit (its own label unless set with [`Panel::with_clusters`]).
    pub clusters: Vec<u64>,
}

impl Panel {
    /// Builds the panel from long columns (one row per unit-time, any order).
    ///
    /// ```
    /// use raa_impact::twfe::Panel;
    /// let unit = [1, 1, 2, 2];
    /// let time = [2000, 2001, 2000, 2001];
    /// let p = Panel::new(&unit, &time, &[0.0, 1.0, 0.0, 0.0], &[1.0, 3.0, 1.0, 1.5]).unwrap();
    /// assert_eq!(p.first_treated, vec![Some(1), None]);
    /// ```
    pub fn new(unit: &[u64], time: &[i64], treated: &[f64], y: &[f64]) -> Result<Self> {
        let n_rows = unit.len();
        check::same_length("time", time.len(), n_rows)?;
        check::finite("treated", treated, n_rows)?;
        check::finite("y", y, n_rows)?;
        if let Some(r) = treated.iter().position(|&d| d != 0.0 && d != 1.0) {
            return Err(Error::argument(
                "treated",
                format!("row {r} is {}, expected 0 or 1", treated[r]),
            ));
        }
        let units = labels(unit);
        let times = labels(time);
        let (nu, nt) = (units.len(), times.len());
        if nu < 2 || nt < 2 {
            return Err(Error::argument(
                "unit",
                format!("{nu} units × {nt} times, expected at least 2 of each"),
            ));
        }
        let ui: BTreeMap<u64, usize> = units.iter().enumerate().map(|(i, &u)| (u, i)).collect();
        let ti: BTreeMap<i64, usize> = times.iter().enumerate().map(|(i, &t)| (t, i)).collect();
        let mut seen = vec![usize::MAX; nu * nt];
        let mut yy = vec![0.0; nu * nt];
        let mut dd = vec![false; nu * nt];
        for r in 0..n_rows {
            let k = ui[&unit[r]] * nt + ti[&time[r]];
            if seen[k] != usize::MAX {
                return Err(Error::argument(
                    "unit",
                    format!(
                        "unit {} at time {} appears twice (rows {} and {r}); one row per unit-time expected",
                        unit[r], time[r], seen[k]
                    ),
                ));
            }
            seen[k] = r;
            yy[k] = y[r];
            dd[k] = treated[r] == 1.0;
        }
        if let Some(k) = seen.iter().position(|&r| r == usize::MAX) {
            return Err(Error::argument(
                "unit",
                format!(
                    "unit {} has no row at time {}: the panel must be balanced",
                    units[k / nt],
                    times[k % nt]
                ),
            ));
        }
        let first_treated = absorbing(&units, &times, &dd)?;
        Ok(Panel {
            clusters: units.clone(),
            units,
            times,
            y: yy,
            treated: dd,
            first_treated,
        })
    }

    /// Sets the cluster of each unit from a long column (aligned with the rows given to
    /// [`Panel::new`]); a unit must sit in one cluster.
    pub fn with_clusters(mut self, unit: &[u64], cluster: &[u64]) -> Result<Self> {
        check::same_length("cluster", cluster.len(), unit.len())?;
        let mut of: BTreeMap<u64, u64> = BTreeMap::new();
        for (r, (&u, &c)) in unit.iter().zip(cluster).enumerate() {
            if let Some(&prev) = of.get(&u) {
                if prev != c {
                    return Err(Error::argument(
                        "cluster",
                        format!("unit {u} is in cluster {prev} and, at row {r}, in cluster {c}; clusters must nest units"),
                    ));
                }
            }
            of.insert(u, c);
        }
        self.clusters = self
            .units
            .iter()
            .map(|u| {
                of.get(u)
                    .copied()
                    .ok_or_else(|| Error::argument("cluster", format!("unit {u} has no cluster")))
            })
            .collect::<Result<_>>()?;
        Ok(self)
    }

    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    /// Number of times.
    pub fn n_times(&self) -> usize {
        self.times.len()
    }

    /// Outcome of unit `i` at time index `t`.
    pub fn y_at(&self, i: usize, t: usize) -> f64 {
        self.y[i * self.n_times() + t]
    }

    /// Treatment of unit `i` at time index `t`.
    pub fn d_at(&self, i: usize, t: usize) -> bool {
        self.treated[i * self.n_times() + t]
    }
}

fn labels<T: Ord + Copy>(v: &[T]) -> Vec<T> {
    let mut l = v.to_vec();
    l.sort_unstable();
    l.dedup();
    l
}

/// First treated period of each unit; error naming the unit if treatment ever switches off.
fn absorbing(units: &[u64], times: &[i64], d: &[bool]) -> Result<Vec<Option<usize>>> {
    let nt = times.len();
    units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let row = &d[i * nt..(i + 1) * nt];
            let first = row.iter().position(|&x| x);
            if let Some(f) = first {
                if let Some(off) = row[f..].iter().position(|&x| !x) {
                    return Err(Error::argument(
                        "treated",
                        format!(
                            "unit {u} is treated at time {} but not at time {}: treatment must be absorbing",
                            times[f],
                            times[f + off]
                        ),
                    ));
                }
            }
            Ok(first)
        })
        .collect()
}
