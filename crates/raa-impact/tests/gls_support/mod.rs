//! Shared loaders for the GLS tests: the generated series and the R reference tables.
#![allow(dead_code)]

use std::collections::BTreeMap;

pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gls");

/// One generated series: covariate columns `x1..xk` and the outcome.
pub struct GenSeries {
    pub columns: Vec<Vec<f64>>,
    pub names: Vec<String>,
    pub y: Vec<f64>,
}

impl GenSeries {
    pub fn refs(&self) -> Vec<&[f64]> {
        self.columns.iter().map(|c| c.as_slice()).collect()
    }
}

fn records(file: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(format!("{DIR}/{file}")).expect("open reference file");
    let header = r.headers().expect("header").clone();
    let rows = r.records().map(|x| x.expect("row")).collect();
    (header, rows)
}

/// A table as one map per row from column name to text.
pub fn table(file: &str) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = records(file);
    rows.iter()
        .map(|r| {
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

pub fn num(row: &BTreeMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

/// Series 1..=10 of `series.csv`, in file order.
pub fn generated() -> BTreeMap<usize, GenSeries> {
    let mut out: BTreeMap<usize, GenSeries> = BTreeMap::new();
    for row in table("series.csv") {
        let id = num(&row, "series") as usize;
        let k = num(&row, "k") as usize;
        let s = out.entry(id).or_insert_with(|| GenSeries {
            columns: vec![Vec::new(); k],
            names: (1..=k).map(|j| format!("x{j}")).collect(),
            y: Vec::new(),
        });
        s.y.push(num(&row, "y"));
        for j in 0..k {
            s.columns[j].push(num(&row, &format!("x{}", j + 1)));
        }
    }
    out
}

/// Sicily: rate per 100,000, and the columns smokban, time, post = max(time − 36, 0)·smokban.
pub fn sicily() -> GenSeries {
    let rows = table("sicily.csv");
    let rate = rows
        .iter()
        .map(|r| num(r, "aces") / num(r, "stdpop") * 1e5)
        .collect();
    let smokban: Vec<f64> = rows.iter().map(|r| num(r, "smokban")).collect();
    let time: Vec<f64> = rows.iter().map(|r| num(r, "time")).collect();
    let post = time
        .iter()
        .zip(&smokban)
        .map(|(t, s)| (t - 36.0).max(0.0) * s)
        .collect();
    GenSeries {
        columns: vec![smokban, time, post],
        names: vec!["smokban".into(), "time".into(), "post".into()],
        y: rate,
    }
}

/// Series by id: 0 is Sicily, 1..=10 the generated ones.
pub fn all_series() -> BTreeMap<usize, GenSeries> {
    let mut all = generated();
    all.insert(0, sicily());
    all
}

/// Worst difference tracker, printed at the end of a test (for the report).
#[derive(Default)]
pub struct Worst(pub BTreeMap<String, f64>);

impl Worst {
    /// Record `|a − b|` (relative to `max(1, |b|)` when `relative`) and return it.
    pub fn diff(&mut self, what: &str, a: f64, b: f64, relative: bool) -> f64 {
        let d = if relative {
            (a - b).abs() / b.abs().max(1.0)
        } else {
            (a - b).abs()
        };
        let e = self.0.entry(what.to_string()).or_insert(0.0);
        *e = e.max(d);
        d
    }

    pub fn print(&self, title: &str) {
        for (k, v) in &self.0 {
            eprintln!("{title}: worst {k} = {v:.3e}");
        }
    }
}
