//! Censored outcomes in a matched set: weighted Kaplan–Meier per arm, the RMST difference, median
//! times, cumulative incidence of the event with competing exits, and a marginal Cox hazard ratio.

use serde::Serialize;

use super::matchset::MatchSet;
use crate::inference::check;
use crate::survival::{
    cox_treatment, cumulative_incidence, kaplan_meier, rmst_difference, CoxResult,
    CumulativeIncidence, KmCurve, RmstDifference,
};
use crate::{Error, Result};

/// Survival analysis of one outcome in the matched set.
#[derive(Debug, Clone, Serialize)]
pub struct MatchedSurvival {
    /// Horizon of the restricted mean.
    pub tau: f64,
    /// Weighted Kaplan–Meier curve of the treated (competing exits censored).
    pub km_treated: KmCurve,
    /// Same for the controls.
    pub km_control: KmCurve,
    /// RMST up to `tau`, treated minus control, with a cluster-robust (pair by default) SE.
    pub rmst: RmstDifference,
    /// Median time to the event among the treated (None when the curve stays above 0.5).
    pub median_treated: Option<f64>,
    /// Median time among the controls.
    pub median_control: Option<f64>,
    /// Aalen–Johansen cumulative incidence of the event among the treated, competing exits apart.
    pub incidence_treated: CumulativeIncidence,
    /// Same for the controls.
    pub incidence_control: CumulativeIncidence,
    /// Marginal Cox hazard ratio (Efron ties), robust SE clustered like the RMST.
    pub cox: CoxResult,
    /// Units with an event, censored and with a competing exit in the matched set.
    pub counts: (usize, usize, usize),
}

impl MatchSet {
    /// Analyse a censored duration in the matched set. `status` per unit: 0 censored (still
    /// waiting at the data cut), 1 the event (e.g. placed for adoption), 2 a competing exit (the
    /// plan changed). `cluster` defaults to the matched pair without replacement (each unit its own
    /// cluster with replacement).
    ///
    /// ```
    /// use raa_impact::psm::{match_units, MatchInput, MatchOptions};
    /// let treated = [true, true, true, false, false, false, false, false];
    /// let score = [0.8, 0.6, 0.5, 0.7, 0.55, 0.45, 0.3, 0.1];
    /// let days = [100.0, 150.0, 200.0, 180.0, 220.0, 300.0, 50.0, 60.0];
    /// let status = [1, 1, 0, 1, 1, 2, 1, 1];
    /// let input = MatchInput { treated: &treated, score: Some(&score), ..Default::default() };
    /// let m = match_units(&input, &MatchOptions::default()).unwrap();
    /// let s = m.survival(&days, &status, 200.0, None).unwrap();
    /// assert!(s.rmst.estimate < 0.0); // the treated wait less
    /// ```
    pub fn survival(
        &self,
        time: &[f64],
        status: &[u8],
        tau: f64,
        cluster: Option<&[u64]>,
    ) -> Result<MatchedSurvival> {
        let n = self.weights.n();
        check::same_length("time", time.len(), n)?;
        check::same_length("status", status.len(), n)?;
        let rows: Vec<usize> = self.weights.rows().iter().map(|&i| i as usize).collect();
        if rows.is_empty() {
            return Err(Error::argument("matches", "the matched set is empty"));
        }
        if let Some(&row) = rows
            .iter()
            .find(|&&i| !(time[i].is_finite() && time[i] >= 0.0))
        {
            return Err(Error::argument(
                "time",
                format!(
                    "row {row} of the matched set is {}, expected a duration ≥ 0",
                    time[row]
                ),
            ));
        }
        if let Some(&row) = rows.iter().find(|&&i| status[i] > 2) {
            return Err(Error::argument(
                "status",
                format!(
                    "row {row} is {}, expected 0 (censored), 1 (event) or 2 (competing exit)",
                    status[row]
                ),
            ));
        }
        let pick = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let t = pick(time);
        let w = self.weights.values().to_vec();
        let st: Vec<u8> = rows.iter().map(|&i| status[i]).collect();
        let event: Vec<bool> = st.iter().map(|s| *s == 1).collect();
        let treated: Vec<bool> = rows.iter().map(|&i| self.treated[i]).collect();
        let clusters = self.survival_clusters(cluster, &rows)?;
        let arm =
            |g: bool| -> Vec<usize> { (0..rows.len()).filter(|&k| treated[k] == g).collect() };
        let (arm_t, arm_c) = (arm(true), arm(false));
        let sub_f = |ix: &[usize], v: &[f64]| ix.iter().map(|&k| v[k]).collect::<Vec<_>>();
        let sub_b = |ix: &[usize]| ix.iter().map(|&k| event[k]).collect::<Vec<_>>();
        let sub_s = |ix: &[usize]| ix.iter().map(|&k| st[k]).collect::<Vec<_>>();
        let km_treated =
            kaplan_meier(&sub_f(&arm_t, &t), &sub_b(&arm_t), Some(&sub_f(&arm_t, &w)))?;
        let km_control =
            kaplan_meier(&sub_f(&arm_c, &t), &sub_b(&arm_c), Some(&sub_f(&arm_c, &w)))?;
        let incidence_treated =
            cumulative_incidence(&sub_f(&arm_t, &t), &sub_s(&arm_t), Some(&sub_f(&arm_t, &w)))?;
        let incidence_control =
            cumulative_incidence(&sub_f(&arm_c, &t), &sub_s(&arm_c), Some(&sub_f(&arm_c, &w)))?;
        let rmst = rmst_difference(&t, &event, &treated, Some(&w), Some(&clusters), tau)?;
        let cox = cox_treatment(&t, &event, &treated, Some(&w), Some(&clusters))?;
        let count = |s: u8| st.iter().filter(|x| **x == s).count();
        Ok(MatchedSurvival {
            tau,
            median_treated: km_treated.median(),
            median_control: km_control.median(),
            km_treated,
            km_control,
            rmst,
            incidence_treated,
            incidence_control,
            cox,
            counts: (count(1), count(0), count(2)),
        })
    }

    /// Cluster ids of the matched rows: the given column, else the pair (without replacement),
    /// else each unit alone.
    fn survival_clusters(&self, cluster: Option<&[u64]>, rows: &[usize]) -> Result<Vec<u64>> {
        if let Some(c) = cluster {
            check::same_length("cluster", c.len(), self.weights.n())?;
            return Ok(rows.iter().map(|&i| c[i]).collect());
        }
        let subclass = self.subclasses();
        Ok(rows
            .iter()
            .map(|&i| match subclass.get(i).copied().filter(|s| *s > 0) {
                Some(s) => u64::from(s),
                None => (1u64 << 40) + i as u64,
            })
            .collect())
    }
}
