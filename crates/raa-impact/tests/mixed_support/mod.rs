//! Shared loading of the nlme reference data sets (tests/data/mixed/).

#![allow(dead_code)]

use std::collections::BTreeMap;

use raa_impact::mixed::{MixedInput, MixedOptions, RandomCovariance, Residual};

pub struct Data {
    pub cols: BTreeMap<String, Vec<f64>>,
}

pub fn dir() -> String {
    format!("{}/tests/data/mixed", env!("CARGO_MANIFEST_DIR"))
}

pub fn load(name: &str) -> Data {
    let mut rdr = csv::Reader::from_path(format!("{}/{name}.csv", dir())).expect("csv");
    let headers: Vec<String> = rdr
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_string)
        .collect();
    let mut cols: BTreeMap<String, Vec<f64>> =
        headers.iter().map(|h| (h.clone(), Vec::new())).collect();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        for (h, v) in headers.iter().zip(rec.iter()) {
            cols.get_mut(h)
                .expect("col")
                .push(v.parse().expect("number"));
        }
    }
    Data { cols }
}

pub fn reference(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(format!("{}/{name}.json", dir())).expect("json");
    serde_json::from_str(&text).expect("parse")
}

/// A model of the reference script.
pub struct Case {
    pub name: &'static str,
    pub x: &'static [&'static str],
    pub random: &'static [&'static str],
    pub covariance: RandomCovariance,
    pub residual: Residual,
    pub group: bool,
}

pub const CASES: &[Case] = &[
    Case {
        name: "intercept",
        x: &["time", "x", "w"],
        random: &["(Intercept)"],
        covariance: RandomCovariance::Unstructured,
        residual: Residual::Independent,
        group: false,
    },
    Case {
        name: "slope_symm",
        x: &["time", "D", "slope"],
        random: &["(Intercept)", "D"],
        covariance: RandomCovariance::Unstructured,
        residual: Residual::Independent,
        group: false,
    },
    Case {
        name: "slope_diag",
        x: &["time", "D", "slope"],
        random: &["(Intercept)", "D"],
        covariance: RandomCovariance::Diagonal,
        residual: Residual::Independent,
        group: false,
    },
    Case {
        name: "ar1",
        x: &["time", "D", "slope"],
        random: &["(Intercept)", "D", "slope"],
        covariance: RandomCovariance::Unstructured,
        residual: Residual::Ar1,
        group: false,
    },
    Case {
        name: "nested",
        x: &["time", "D", "slope", "w"],
        random: &["(Intercept)", "D"],
        covariance: RandomCovariance::Unstructured,
        residual: Residual::Independent,
        group: true,
    },
    Case {
        name: "nested_ar1",
        x: &["time", "D", "slope"],
        random: &["(Intercept)"],
        covariance: RandomCovariance::Unstructured,
        residual: Residual::Ar1,
        group: true,
    },
    Case {
        name: "singular",
        x: &["time", "D", "slope"],
        random: &["(Intercept)", "D", "slope"],
        covariance: RandomCovariance::Unstructured,
        residual: Residual::Ar1,
        group: false,
    },
    Case {
        name: "ar1_nlme_fails",
        x: &["time", "D", "slope"],
        random: &["(Intercept)", "D", "slope"],
        covariance: RandomCovariance::Unstructured,
        residual: Residual::Ar1,
        group: false,
    },
];

/// Owned columns a `MixedInput` borrows.
pub struct Owned {
    pub y: Vec<f64>,
    pub x: Vec<Vec<f64>>,
    pub names: Vec<String>,
    pub unit: Vec<u64>,
    pub group: Vec<u64>,
    pub time: Vec<f64>,
}

pub fn owned(data: &Data, case: &Case) -> Owned {
    let c = &data.cols;
    Owned {
        y: c["y"].clone(),
        x: case.x.iter().map(|n| c[*n].clone()).collect(),
        names: case.x.iter().map(|n| n.to_string()).collect(),
        unit: c["unit"].iter().map(|v| *v as u64).collect(),
        group: c["group"].iter().map(|v| *v as u64).collect(),
        time: c["time"].clone(),
    }
}

pub fn options(case: &Case, method: raa_impact::mixed::Method) -> MixedOptions {
    MixedOptions {
        random: case.random.iter().map(|s| s.to_string()).collect(),
        covariance: case.covariance,
        residual: case.residual,
        method,
        ..Default::default()
    }
}

pub fn input<'a>(o: &'a Owned, cols: &'a [&'a [f64]], group: bool) -> MixedInput<'a> {
    MixedInput {
        y: &o.y,
        x: cols,
        x_names: &o.names,
        unit: &o.unit,
        group: group.then_some(&o.group[..]),
        time: &o.time,
    }
}

pub fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

pub fn matrix(v: &serde_json::Value) -> Vec<Vec<f64>> {
    v.as_array().expect("array").iter().map(floats).collect()
}
