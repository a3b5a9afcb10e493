//! Exposure, scorecard and panel: a journeys DataFrame's columns in, result columns out.

use crate::columns::Columns;
use crate::errors::{arg, run};
use crate::journeys::journeys_from_dict;
use crate::registry::{milestone_kind, precision, PyRegistry};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use raa_impact::data::controlled::{
    self, ControlledOptions, ControlledRow, ControlledSeries, PanelMean,
};
use raa_impact::data::date::from_epoch_days;
use raa_impact::data::exposure::{self as core_exposure, ExposureOptions, IndexEvent, Straddlers};
use raa_impact::data::panel::{self as core_panel, Freq, PanelOptions, PanelUnit};
use raa_impact::data::scorecard::{
    self as core_scorecard, Aggregation, GroupBy, Indicator, ScorecardOptions,
};

fn index_event(s: &str) -> PyResult<IndexEvent> {
    match s {
        "placement_order" | "po" => Ok(IndexEvent::PlacementOrder),
        "adm" | "decision" => Ok(IndexEvent::Adm),
        "entry" => Ok(IndexEvent::Entry),
        o => Err(arg(
            "index_event",
            format!("{o:?}; expected placement_order, adm or entry"),
        )),
    }
}

fn straddlers(s: &str) -> PyResult<Straddlers> {
    match s {
        "label" => Ok(Straddlers::Label),
        "exclude" => Ok(Straddlers::Exclude),
        o => Err(arg(
            "straddlers",
            format!("{o:?}; expected label or exclude"),
        )),
    }
}

fn indicator(s: &str) -> PyResult<Indicator> {
    match s.to_ascii_uppercase().as_str() {
        "A1" => Ok(Indicator::A1),
        "A2" => Ok(Indicator::A2),
        "A3" => Ok(Indicator::A3),
        "A10" => Ok(Indicator::A10),
        _ => Err(arg(
            "indicator",
            format!("{s:?}; expected A1, A2, A3 or A10"),
        )),
    }
}

fn aggregation(s: &str) -> PyResult<Aggregation> {
    match s {
        "per_child" => Ok(Aggregation::PerChild),
        "mean_of_las" => Ok(Aggregation::MeanOfLas),
        o => Err(arg(
            "aggregation",
            format!("{o:?}; expected per_child or mean_of_las"),
        )),
    }
}

fn freq(s: &str) -> PyResult<Freq> {
    match s {
        "month" => Ok(Freq::Month),
        "quarter" => Ok(Freq::Quarter),
        "year" => Ok(Freq::Year),
        o => Err(arg(
            "freq",
            format!("{o:?}; expected month, quarter or year"),
        )),
    }
}

fn unit(s: &str) -> PyResult<PanelUnit> {
    match s {
        "la" => Ok(PanelUnit::La),
        "raa" => Ok(PanelUnit::Raa),
        o => Err(arg("unit", format!("{o:?}; expected la or raa"))),
    }
}

/// Exposure of each journey.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn exposure(
    py: Python<'_>,
    journeys: &Bound<'_, PyDict>,
    registry: &PyRegistry,
    index_event_name: &str,
    milestone: &str,
    bed_in_days: i64,
    anticipation_days: i64,
    straddlers_rule: &str,
) -> PyResult<Py<PyList>> {
    let js = journeys_from_dict(journeys)?;
    let opts = ExposureOptions {
        index_event: index_event(index_event_name)?,
        milestone: milestone_kind(milestone)?,
        bed_in_days,
        anticipation_days,
        straddlers: straddlers(straddlers_rule)?,
    };
    let reg = registry.inner.clone();
    let d = run(py, move || core_exposure::exposure(&js, &reg, &opts))?;
    let r = &d.rows;
    let mut c = Columns::new();
    c.str("la", r.iter().map(|x| x.la.clone()))
        .str("child", r.iter().map(|x| x.child.clone()))
        .int("period", r.iter().map(|x| x.period as i64))
        .opt_str("raa_id", r.iter().map(|x| x.raa_id.clone()))
        .opt_str("raa_name", r.iter().map(|x| x.raa_name.clone()))
        .date("milestone_date", r.iter().map(|x| x.milestone_date))
        .opt_str(
            "milestone_precision",
            r.iter().map(|x| x.milestone_precision.map(precision)),
        )
        .date("exposure_start", r.iter().map(|x| x.start_date))
        .date("exposure_start_latest", r.iter().map(|x| x.start_latest))
        .date("index_date", r.iter().map(|x| x.index_date))
        .opt_int("days_from_start", r.iter().map(|x| x.days_from_start))
        .str("status", r.iter().map(|x| x.status.label()))
        .opt_bool("exposed", r.iter().map(|x| x.exposed))
        .bool("straddler", r.iter().map(|x| x.straddler))
        .str("milestone", r.iter().map(|_| d.milestone_used.name()))
        .int("bed_in_days", r.iter().map(|_| bed_in_days));
    c.into_py(py)
}

/// Scorecard indicator rows.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn scorecard(
    py: Python<'_>,
    journeys: &Bound<'_, PyDict>,
    registry: &PyRegistry,
    indicator_names: Vec<String>,
    period_end_days: Vec<i64>,
    years: u32,
    by: &str,
    aggregation_name: &str,
) -> PyResult<Py<PyList>> {
    // Many windows and indicators in one call: the journeys cross the boundary once.
    let js = journeys_from_dict(journeys)?;
    let ends = period_end_days
        .iter()
        .map(|&d| from_epoch_days(d).ok_or_else(|| arg("period_end", "out of range")))
        .collect::<PyResult<Vec<_>>>()?;
    let inds = indicator_names
        .iter()
        .map(|n| indicator(n))
        .collect::<PyResult<Vec<_>>>()?;
    let agg = aggregation(aggregation_name)?;
    let reg = registry.inner.clone();
    let by = by.to_string();
    let rows = run(py, move || {
        let mut rows = Vec::new();
        for &ind in &inds {
            for &period_end in &ends {
                let group = match by.as_str() {
                    "la" => GroupBy::La,
                    "raa" => GroupBy::Raa(&reg),
                    "england" => GroupBy::England,
                    o => {
                        return Err(raa_impact::Error::argument(
                            "by",
                            format!("{o:?}; expected la, raa or None (England)"),
                        ))
                    }
                };
                let opts = ScorecardOptions {
                    indicator: ind,
                    period_end,
                    years,
                    by: group,
                    aggregation: agg,
                };
                rows.extend(core_scorecard::scorecard(&js, &opts)?);
            }
        }
        Ok(rows)
    })?;
    let mut c = Columns::new();
    c.str("group", rows.iter().map(|x| x.group.clone()))
        .str("indicator", rows.iter().map(|x| x.indicator.name()))
        .opt_float("value", rows.iter().map(|x| x.value))
        .opt_int("n_children", rows.iter().map(|x| Some(x.n_children as i64)))
        .opt_int("count", rows.iter().map(|x| x.count.map(|v| v as i64)))
        .int("n_las", rows.iter().map(|x| x.n_las as i64))
        .str("aggregation", rows.iter().map(|x| x.aggregation.label()))
        .date("window_start", rows.iter().map(|x| Some(x.window_start)))
        .date("window_end", rows.iter().map(|x| Some(x.window_end)))
        .opt_float("threshold", rows.iter().map(|x| x.threshold))
        .opt_float(
            "difference_to_threshold",
            rows.iter().map(|x| x.difference_to_threshold),
        );
    c.into_py(py)
}

/// LA/RAA × period panel.
#[pyfunction]
pub fn la_panel(
    py: Python<'_>,
    journeys: &Bound<'_, PyDict>,
    registry: &PyRegistry,
    freq_name: &str,
    unit_name: &str,
    milestone: &str,
    bed_in_days: i64,
) -> PyResult<Py<PyList>> {
    let js = journeys_from_dict(journeys)?;
    let opts = PanelOptions {
        freq: freq(freq_name)?,
        unit: unit(unit_name)?,
        milestone: milestone_kind(milestone)?,
        bed_in_days,
        ..Default::default()
    };
    let reg = registry.inner.clone();
    let rows = run(py, move || core_panel::la_panel(&js, &reg, &opts))?;
    let unit_col = if unit_name == "raa" { "raa" } else { "la" };
    let mut c = Columns::new();
    c.str(unit_col, rows.iter().map(|x| x.unit.clone()))
        .opt_str("raa_id", rows.iter().map(|x| x.raa_id.clone()))
        .str("period", rows.iter().map(|x| x.period.clone()))
        .date("period_start", rows.iter().map(|x| Some(x.period_start)))
        .date("period_end", rows.iter().map(|x| Some(x.period_end)))
        .int("adm_decisions", rows.iter().map(|x| x.adm_decisions as i64))
        .int(
            "placement_orders",
            rows.iter().map(|x| x.placement_orders as i64),
        )
        .int("matches", rows.iter().map(|x| x.matches as i64))
        .int("placements", rows.iter().map(|x| x.placements as i64))
        .int(
            "adoption_orders",
            rows.iter().map(|x| x.adoption_orders as i64),
        )
        .int("reversals", rows.iter().map(|x| x.reversals as i64))
        .int(
            "waiting_with_po",
            rows.iter().map(|x| x.waiting_with_po as i64),
        )
        .int(
            "waiting_18_months",
            rows.iter().map(|x| x.waiting_18_months as i64),
        )
        .opt_float(
            "mean_po_to_placed",
            rows.iter().map(|x| x.mean_po_to_placed),
        )
        .int(
            "n_po_to_placed",
            rows.iter().map(|x| x.n_po_to_placed as i64),
        )
        .opt_float(
            "mean_entry_to_placed",
            rows.iter().map(|x| x.mean_entry_to_placed),
        )
        .int(
            "n_entry_to_placed",
            rows.iter().map(|x| x.n_entry_to_placed as i64),
        )
        .opt_float("mean_po_to_match", rows.iter().map(|x| x.mean_po_to_match))
        .int("n_po_to_match", rows.iter().map(|x| x.n_po_to_match as i64))
        .opt_float(
            "cohort_mean_po_to_placed",
            rows.iter().map(|x| x.cohort_mean_po_to_placed),
        )
        .int(
            "cohort_n_po_to_placed",
            rows.iter().map(|x| x.cohort_n_po_to_placed as i64),
        )
        .opt_float(
            "cohort_mean_po_to_match",
            rows.iter().map(|x| x.cohort_mean_po_to_match),
        )
        .int(
            "cohort_n_po_to_match",
            rows.iter().map(|x| x.cohort_n_po_to_match as i64),
        )
        .date("go_live", rows.iter().map(|x| x.exposure_start))
        .opt_int("period_index", rows.iter().map(|x| x.period_index))
        .opt_bool("post", rows.iter().map(|x| x.post))
        .opt_bool("bed_in", rows.iter().map(|x| x.bed_in));
    c.into_py(py)
}

/// Each RAA's indicator before and after its go-live.
#[pyfunction]
pub fn before_after(
    py: Python<'_>,
    journeys: &Bound<'_, PyDict>,
    registry: &PyRegistry,
    indicator_name: &str,
    years: u32,
    bed_in_days: i64,
    milestone: &str,
) -> PyResult<Py<PyList>> {
    use raa_impact::data::before_after::{self as core_before_after, BeforeAfterOptions};
    let js = journeys_from_dict(journeys)?;
    let opts = BeforeAfterOptions {
        indicator: indicator(indicator_name)?,
        years,
        bed_in_days,
        milestone: milestone_kind(milestone)?,
    };
    let reg = registry.inner.clone();
    let rows = run(py, move || {
        core_before_after::before_after(&js, &reg, &opts)
    })?;
    let mut c = Columns::new();
    c.str("raa_id", rows.iter().map(|x| x.raa_id.clone()))
        .str("raa", rows.iter().map(|x| x.raa_name.clone()))
        .date("go_live", rows.iter().map(|x| x.milestone_date))
        .str("indicator", rows.iter().map(|x| x.indicator.name()))
        .opt_float("before", rows.iter().map(|x| x.before))
        .int("n_before", rows.iter().map(|x| x.n_before as i64))
        .opt_float("after", rows.iter().map(|x| x.after))
        .int("n_after", rows.iter().map(|x| x.n_after as i64))
        .date("before_start", rows.iter().map(|x| x.before_start))
        .date("after_end", rows.iter().map(|x| x.after_end));
    c.into_py(py)
}

/// Each RAA's series beside a not-yet-live comparison (LA-quarter panel, pooled).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn controlled_series(
    py: Python<'_>,
    journeys: &Bound<'_, PyDict>,
    registry: &PyRegistry,
    freq_name: &str,
    milestone: &str,
    bed_in_days: i64,
    mean_name: &str,
    pre: usize,
    post: usize,
    min_controls: usize,
    last_period: Option<String>,
) -> PyResult<(Py<PyList>, Py<PyList>)> {
    let js = journeys_from_dict(journeys)?;
    let panel_opts = PanelOptions {
        freq: freq(freq_name)?,
        milestone: milestone_kind(milestone)?,
        bed_in_days,
        ..Default::default()
    };
    let opts = ControlledOptions {
        mean: panel_mean(mean_name)?,
        pre,
        post,
        min_controls,
        last_period,
    };
    let reg = registry.inner.clone();
    let out = run(py, move || {
        let rows = core_panel::la_panel(&js, &reg, &panel_opts)?;
        controlled::controlled_series(&rows, &opts)
    })?;
    let rows: Vec<(&ControlledSeries, &ControlledRow)> = out
        .series
        .iter()
        .flat_map(|s| s.rows.iter().map(move |r| (s, r)))
        .collect();
    let mut c = Columns::new();
    c.str("raa_id", rows.iter().map(|x| x.0.raa_id.clone()))
        .int("t", rows.iter().map(|x| x.1.t as i64))
        .str("period", rows.iter().map(|x| x.1.period.clone()))
        .opt_bool("treated", rows.iter().map(|x| Some(x.1.treated)))
        .opt_float("mean", rows.iter().map(|x| Some(x.1.mean)))
        .int("n", rows.iter().map(|x| x.1.n as i64))
        .int("go_live_t", rows.iter().map(|x| x.0.go_live_t as i64))
        .int(
            "bed_in_periods",
            rows.iter().map(|x| x.0.bed_in_periods as i64),
        )
        .str(
            "go_live_period",
            rows.iter().map(|x| x.0.go_live_period.clone()),
        )
        .str("las", rows.iter().map(|x| x.0.las.join(" ")))
        .int("n_controls", rows.iter().map(|x| x.0.controls.len() as i64));
    let mut k = Columns::new();
    k.str("raa_id", out.skipped.iter().map(|x| x.raa_id.clone()))
        .str("reason", out.skipped.iter().map(|x| x.reason.clone()));
    Ok((c.into_py(py)?, k.into_py(py)?))
}

fn panel_mean(name: &str) -> PyResult<PanelMean> {
    Ok(match name {
        "cohort_po_to_placed" => PanelMean::CohortPoToPlaced,
        "cohort_po_to_match" => PanelMean::CohortPoToMatch,
        "po_to_placed" => PanelMean::PoToPlaced,
        "entry_to_placed" => PanelMean::EntryToPlaced,
        "po_to_match" => PanelMean::PoToMatch,
        other => {
            return Err(arg(
                "mean",
                format!("{other:?}; expected cohort_po_to_placed, cohort_po_to_match, po_to_placed, entry_to_placed or po_to_match"),
            ))
        }
    })
}
