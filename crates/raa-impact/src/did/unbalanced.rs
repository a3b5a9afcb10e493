//! One ATT(g,t) cell of an unbalanced panel, as R `did` 2.5 forms it with
//! `allow_unbalanced_panel = TRUE`: the cell's rows are the treated and comparison units' rows in
//! its two periods (a unit seen in only one of them still contributes that row), estimated with
//! the repeated cross-section 2×2 estimator ([`super::rc`]); the row influence functions are
//! rescaled by n/n₁ (n units in the panel, n₁ rows in the cell) and summed by unit, so that
//! standard errors, clusters and the bootstrap work on units as for a balanced panel.

use super::att_gt::{cell_clusters, CellStatus, GtCell};
use super::options::EstMethod;
use super::panel::Panel;
use super::rc::{estimate_rc, RcCell};

/// The cell's rows, unit by unit (ascending id) and period by period (time order).
#[derive(Default)]
struct Rows {
    unit: Vec<usize>,
    d: Vec<f64>,
    post: Vec<f64>,
    y: Vec<f64>,
    w: Vec<f64>,
    x: Vec<f64>,
}

fn rows(panel: &Panel, observed: &[bool], (cur, base): (usize, usize), role: &[u8]) -> Rows {
    let (n, p) = (panel.n(), panel.p);
    let order = if base < cur { [base, cur] } else { [cur, base] };
    let mut r = Rows::default();
    for u in 0..n {
        let ru = role[panel.cohort[u] as usize];
        if ru == 0 {
            continue;
        }
        for per in order {
            if !observed[per * n + u] {
                continue;
            }
            r.unit.push(u);
            r.d.push(if ru == 1 { 1.0 } else { 0.0 });
            r.post.push(if per == cur { 1.0 } else { 0.0 });
            r.y.push(panel.y[per * n + u]);
            r.w.push(panel.weight[u]);
            if p > 1 {
                r.x.extend_from_slice(&panel.x[u * p..(u + 1) * p]);
            }
        }
    }
    r
}

/// Units, cohorts and clusters behind the cell's rows, into `record`.
fn describe(panel: &Panel, rows: &Rows, role: &[u8], record: &mut GtCell) {
    let n = panel.n();
    // Each present unit's role (0 = no row in the cell).
    let mut present = vec![0u8; n];
    for &u in &rows.unit {
        present[u] = role[panel.cohort[u] as usize];
    }
    let mut cohorts = vec![false; panel.cohort_values.len()];
    for (u, &r) in present.iter().enumerate() {
        match r {
            1 => record.n_treated += 1,
            2 => {
                record.n_control += 1;
                cohorts[panel.cohort[u] as usize] = true;
            }
            _ => {}
        }
    }
    record.control_groups = (0..cohorts.len())
        .filter(|&k| cohorts[k])
        .map(|k| panel.cohort_values[k])
        .collect();
    record.clusters = cell_clusters(panel, |u| present[u]);
}

/// Estimate one cell of an unbalanced panel into `record` and its unit-level influence column
/// (length n, zero on entry).
pub(crate) fn unbalanced_cell(
    panel: &Panel,
    observed: &[bool],
    method: EstMethod,
    periods: (usize, usize),
    role: &[u8],
    record: &mut GtCell,
    column: &mut [f64],
) {
    let r = rows(panel, observed, periods, role);
    describe(panel, &r, role, record);
    let cell = RcCell {
        d: &r.d,
        post: &r.post,
        y: &r.y,
        x: &r.x,
        p: panel.p,
        w: &r.w,
    };
    match estimate_rc(&cell, method) {
        Ok(fit) if fit.att.is_finite() && fit.influence.iter().all(|v| v.is_finite()) => {
            // did rescales the rows' influence function to the panel's units, n / n₁ with n₁ the
            // cell's rows, and sums it by unit.
            let scale = panel.n() as f64 / r.unit.len() as f64;
            for (k, &u) in r.unit.iter().enumerate() {
                column[u] += fit.influence[k] * scale;
            }
            record.att = Some(fit.att);
        }
        Ok(_) => record.status = CellStatus::NotIdentified("the estimate is not finite".into()),
        Err(why) => record.status = CellStatus::NotIdentified(why),
    }
}
