//! Two-way fixed effects, the Goodman-Bacon decomposition and the BJS imputation estimator:
//! numpy columns in, the core results out as JSON.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use raa_impact::inference::ClusterAdjust;
use raa_impact::twfe::{bacon_decomposition, imputation, twfe, Panel};

use crate::errors::{arg, run};

/// `{"twfe": .., "bacon": .., "imputation": ..}`; `which` picks the parts ("twfe", "bacon",
/// "imputation"), so that a caller asking for one does not pay for the others.
#[pyfunction]
#[pyo3(signature = (unit, time, treated, y, cluster, which))]
pub fn twfe_fit(
    py: Python<'_>,
    unit: PyReadonlyArray1<'_, u64>,
    time: PyReadonlyArray1<'_, i64>,
    treated: PyReadonlyArray1<'_, f64>,
    y: PyReadonlyArray1<'_, f64>,
    cluster: Option<PyReadonlyArray1<'_, u64>>,
    which: Vec<String>,
) -> PyResult<String> {
    let (unit, time, treated, y) = (
        unit.as_slice()?,
        time.as_slice()?,
        treated.as_slice()?,
        y.as_slice()?,
    );
    let cluster = cluster.as_ref().map(|c| c.as_slice()).transpose()?;
    let want = |k: &str| which.iter().any(|w| w == k);
    let (a, b, c) = (want("twfe"), want("bacon"), want("imputation"));
    let out = run(py, move || {
        let mut panel = Panel::new(unit, time, treated, y)?;
        if let Some(cl) = cluster {
            panel = panel.with_clusters(unit, cl)?;
        }
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: serde_json::Result<serde_json::Value>| {
            m.insert(k.into(), v.unwrap_or(serde_json::Value::Null));
        };
        if a {
            put(
                "twfe",
                serde_json::to_value(twfe(&panel, ClusterAdjust::Hc1)?),
            );
        }
        if b {
            put("bacon", serde_json::to_value(bacon_decomposition(&panel)?));
        }
        if c {
            put("imputation", serde_json::to_value(imputation(&panel)?));
        }
        Ok(serde_json::Value::Object(m))
    })?;
    serde_json::to_string(&out).map_err(|e| arg("result", e.to_string()))
}
