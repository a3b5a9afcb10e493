//! Journeys between Rust and Python: `Journey` rows → columns, and a journeys DataFrame's columns →
//! `Journey` rows (so that scorecard, exposure and panels accept the DataFrame a user filtered).

use crate::columns::{Columns, NAT};
use crate::errors::run;
use crate::returns::PyReturns;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use raa_impact::data::date::{from_epoch_days, Date};
use raa_impact::data::journeys::{derive, Duration, Ending, EthnicGroup, Journey, Measure};
use raa_impact::data::ssda903::validate::validate;

/// Journeys as columns (the layout of `ri.journeys`).
pub fn journey_columns(j: &[Journey]) -> Columns {
    let mut c = Columns::new();
    c.str("la", j.iter().map(|x| x.la.clone()))
        .str("child", j.iter().map(|x| x.child.clone()))
        .int("period", j.iter().map(|x| x.period as i64))
        .date("entry_date", j.iter().map(|x| Some(x.entry_date)))
        .date("adm_date", j.iter().map(|x| x.adm_date))
        .date("po_date", j.iter().map(|x| x.po_date))
        .date("match_date", j.iter().map(|x| x.match_date))
        .date("placed_date", j.iter().map(|x| x.placed_date))
        .date("order_date", j.iter().map(|x| x.order_date))
        .date("exit_date", j.iter().map(|x| x.exit_date))
        .opt_str("exit_reason", j.iter().map(|x| x.exit_reason.clone()))
        .date("reversal_date", j.iter().map(|x| x.reversal_date))
        .opt_str(
            "reversal_reason",
            j.iter().map(|x| x.reversal_reason.clone()),
        )
        .str("ending", j.iter().map(|x| x.ending.label()))
        .date("cut_date", j.iter().map(|x| Some(x.cut_date)));
    for m in Measure::ALL {
        let name = m.name();
        c.opt_int(
            &format!("{name}_days"),
            j.iter().map(|x| x.duration(m).days),
        )
        .bool(
            &format!("{name}_event"),
            j.iter().map(|x| x.duration(m).event),
        )
        .bool(
            &format!("{name}_censored"),
            j.iter().map(|x| x.duration(m).censored),
        )
        .opt_str(
            &format!("{name}_competing"),
            j.iter().map(|x| x.duration(m).competing.clone()),
        );
    }
    c.str("sex", j.iter().map(|x| x.sex.clone()))
        .date("dob", j.iter().map(|x| x.dob))
        .str("ethnic", j.iter().map(|x| x.ethnic.clone()))
        .str("ethnic_group", j.iter().map(|x| x.ethnic_group.label()))
        .opt_int("age_at_entry_days", j.iter().map(|x| x.age_at_entry_days))
        .str("cin", j.iter().map(|x| x.cin.clone()))
        .int(
            "placements_before_adm",
            j.iter().map(|x| x.placements_before_adm as i64),
        )
        .bool("ffa_or_concurrent", j.iter().map(|x| x.ffa_or_concurrent))
        .bool(
            "adopted_by_foster_carer",
            j.iter().map(|x| x.adopted_by_foster_carer),
        )
        .date(
            "foster_carer_move_in_date",
            j.iter().map(|x| x.foster_carer_move_in_date),
        )
        .bool("htp_age5plus", j.iter().map(|x| x.htp_age5plus))
        .bool("htp_black_or_mixed", j.iter().map(|x| x.htp_black_or_mixed))
        .opt_bool("htp_sibling_group", j.iter().map(|x| x.htp_sibling_group))
        .opt_bool("htp_disability", j.iter().map(|x| x.htp_disability))
        .bool("harder_to_place", j.iter().map(|x| x.harder_to_place));
    c
}

/// Reads optional columns of a journeys dict.
struct In<'py> {
    d: Bound<'py, PyDict>,
    n: usize,
}

impl<'py> In<'py> {
    fn dates(&self, name: &str) -> PyResult<Option<Vec<Option<Date>>>> {
        let Some(v) = self.d.get_item(name)? else {
            return Ok(None);
        };
        let arr: PyReadonlyArray1<i64> = v.extract()?;
        let out = arr
            .as_slice()?
            .iter()
            .map(|&x| if x == NAT { None } else { from_epoch_days(x) })
            .collect::<Vec<_>>();
        self.check(name, out.len())?;
        Ok(Some(out))
    }

    fn strs(&self, name: &str) -> PyResult<Option<Vec<Option<String>>>> {
        let Some(v) = self.d.get_item(name)? else {
            return Ok(None);
        };
        let out: Vec<Option<String>> = v.extract()?;
        self.check(name, out.len())?;
        Ok(Some(out))
    }

    fn bools(&self, name: &str) -> PyResult<Option<Vec<bool>>> {
        let Some(v) = self.d.get_item(name)? else {
            return Ok(None);
        };
        let arr: PyReadonlyArray1<bool> = v.extract()?;
        let out = arr.as_slice()?.to_vec();
        self.check(name, out.len())?;
        Ok(Some(out))
    }

    fn opt_bools(&self, name: &str) -> PyResult<Option<Vec<Option<bool>>>> {
        let Some(v) = self.d.get_item(name)? else {
            return Ok(None);
        };
        let out: Vec<Option<bool>> = v.extract()?;
        self.check(name, out.len())?;
        Ok(Some(out))
    }

    fn check(&self, name: &str, len: usize) -> PyResult<()> {
        if len != self.n {
            return Err(crate::errors::arg(
                "journeys",
                format!("column {name} has {len} rows, expected {}", self.n),
            ));
        }
        Ok(())
    }
}

fn required<T>(v: Option<T>, name: &str) -> PyResult<T> {
    v.ok_or_else(|| crate::errors::DataError::new_err(format!("journeys: missing column {name}")))
}

/// Rebuild `Journey` rows from the columns of a journeys DataFrame (see `raa_impact.journeys.to_core`).
///
/// Durations are recomputed from the dates and the cut, so a user who edits dates gets consistent
/// durations. A row whose entry date or cut date is missing is a `DataError` naming the row.
pub fn journeys_from_dict(d: &Bound<'_, PyDict>) -> PyResult<Vec<Journey>> {
    let la: Vec<Option<String>> = required(d.get_item("la")?, "la")?.extract()?;
    let n = la.len();
    let input = In { d: d.clone(), n };
    let child = required(input.strs("child")?, "child")?;
    let period: PyReadonlyArray1<i64> = required(d.get_item("period")?, "period")?.extract()?;
    let period = period.as_slice()?.to_vec();
    input.check("period", period.len())?;
    let entry = required(input.dates("entry_date")?, "entry_date")?;
    let cut = required(input.dates("cut_date")?, "cut_date")?;
    let col = |name: &str| -> PyResult<Vec<Option<Date>>> {
        Ok(input.dates(name)?.unwrap_or_else(|| vec![None; n]))
    };
    let (adm, po, mat, placed, order, exit, rev, dob, move_in) = (
        col("adm_date")?,
        col("po_date")?,
        col("match_date")?,
        col("placed_date")?,
        col("order_date")?,
        col("exit_date")?,
        col("reversal_date")?,
        col("dob")?,
        col("foster_carer_move_in_date")?,
    );
    let s = |name: &str| -> PyResult<Vec<Option<String>>> {
        Ok(input.strs(name)?.unwrap_or_else(|| vec![None; n]))
    };
    let (exit_reason, rev_reason, sex, ethnic, cin) = (
        s("exit_reason")?,
        s("reversal_reason")?,
        s("sex")?,
        s("ethnic")?,
        s("cin")?,
    );
    let b = |name: &str| -> PyResult<Vec<bool>> {
        Ok(input.bools(name)?.unwrap_or_else(|| vec![false; n]))
    };
    let (by_fc, htp, age5, bm, ffa) = (
        b("adopted_by_foster_carer")?,
        b("harder_to_place")?,
        b("htp_age5plus")?,
        b("htp_black_or_mixed")?,
        b("ffa_or_concurrent")?,
    );
    let ob = |name: &str| -> PyResult<Vec<Option<bool>>> {
        Ok(input.opt_bools(name)?.unwrap_or_else(|| vec![None; n]))
    };
    let (sib, dis) = (ob("htp_sibling_group")?, ob("htp_disability")?);

    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let bad = |what: &str| {
            crate::errors::DataError::new_err(format!(
                "journeys: row {i}: {what} is missing (expected a date)"
            ))
        };
        let entry_date = entry[i].ok_or_else(|| bad("entry_date"))?;
        let cut_date = cut[i].ok_or_else(|| bad("cut_date"))?;
        let ethnic_i = ethnic[i].clone().unwrap_or_default();
        let mut j = Journey {
            la: la[i].clone().unwrap_or_default(),
            child: child[i].clone().unwrap_or_default(),
            period: period[i].max(0) as u32,
            entry_date,
            adm_date: adm[i],
            po_date: po[i],
            match_date: mat[i],
            placed_date: placed[i],
            order_date: order[i],
            exit_date: exit[i],
            exit_reason: exit_reason[i].clone(),
            reversal_date: rev[i],
            reversal_reason: rev_reason[i].clone(),
            ending: Ending::Ongoing,
            cut_date,
            entry_to_adm: Duration::default(),
            adm_to_po: Duration::default(),
            po_to_match: Duration::default(),
            po_to_placed: Duration::default(),
            entry_to_placed: Duration::default(),
            sex: sex[i].clone().unwrap_or_default(),
            dob: dob[i],
            ethnic_group: EthnicGroup::of_code(&ethnic_i),
            ethnic: ethnic_i,
            age_at_entry_days: dob[i].map(|d| (entry_date - d).num_days()),
            cin: cin[i].clone().unwrap_or_default(),
            placements_before_adm: 0,
            ffa_or_concurrent: ffa[i],
            adopted_by_foster_carer: by_fc[i],
            foster_carer_move_in_date: move_in[i],
            htp_age5plus: age5[i],
            htp_black_or_mixed: bm[i],
            htp_sibling_group: sib[i],
            htp_disability: dis[i],
            harder_to_place: htp[i],
        };
        derive::refresh_outcomes(&mut j);
        out.push(j);
    }
    Ok(out)
}

/// Derive journeys: returns (journey columns, left-out columns, metadata dict).
#[pyfunction]
#[pyo3(signature = (returns, cut_days=None))]
pub fn derive_journeys<'py>(
    py: Python<'py>,
    returns: &PyReturns,
    cut_days: Option<i64>,
) -> PyResult<(Py<PyList>, Py<PyList>, Bound<'py, PyDict>)> {
    let r = returns.inner.clone();
    let cut = cut_days.and_then(from_epoch_days);
    let set = run(py, move || {
        let v = validate(&r);
        derive::derive_journeys(&r, &v, &derive::JourneyOptions { cut_date: cut })
    })?;
    let lo = &set.left_out;
    let mut c = Columns::new();
    c.str("la", lo.iter().map(|x| x.la.clone()))
        .str("child", lo.iter().map(|x| x.child.clone()))
        .str("table", lo.iter().map(|x| x.table.name()))
        .int("rows", lo.iter().map(|x| x.rows as i64))
        .str("reason", lo.iter().map(|x| x.reason.clone()));
    let meta = PyDict::new(py);
    meta.set_item("cut_date", set.cut_date.to_string())?;
    meta.set_item("children_seen", set.children_seen)?;
    meta.set_item("children_with_adm", set.children_with_adm)?;
    Ok((
        journey_columns(&set.journeys).into_py(py)?,
        c.into_py(py)?,
        meta,
    ))
}
