//! Writing a registry back to the four CSV files that [`super::load::from_dir`] reads.

use super::read::{confidence_name, model_name, precision_name, FILE_NAMES};
use super::types::Registry;
use crate::data::date::Date;
use crate::{Error, Result};
use std::path::Path;

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Write `reg` as `las.csv`, `raas.csv`, `milestones.csv` and `memberships.csv` into `dir`
/// (created if missing), so that a user can edit the files and load them with
/// [`super::load::from_dir`].
pub fn to_dir(reg: &Registry, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let tables = [las(reg), raas(reg), milestones(reg), memberships(reg)];
    for (name, rows) in FILE_NAMES.iter().zip(tables) {
        let path = dir.join(name);
        write_rows(&path, &rows)?;
    }
    Ok(())
}

fn write_rows(path: &Path, rows: &[Vec<String>]) -> Result<()> {
    let shown = path.display().to_string();
    let mut w = csv::Writer::from_path(path).map_err(|e| csv_error(&shown, e))?;
    for r in rows {
        w.write_record(r).map_err(|e| csv_error(&shown, e))?;
    }
    w.flush().map_err(|e| Error::io(shown, e))
}

fn csv_error(path: &str, e: csv::Error) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()))
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| c.to_string()).collect()
}

fn las(reg: &Registry) -> Vec<Vec<String>> {
    let mut rows = vec![header(&[
        "dfe_code",
        "ons_code",
        "name",
        "region",
        "start_date",
        "end_date",
        "successors",
    ])];
    rows.extend(reg.las.iter().map(|l| {
        vec![
            l.dfe_code.clone(),
            l.ons_code.clone(),
            l.name.clone(),
            l.region.clone(),
            date(l.start_date),
            date(l.end_date),
            l.successors.join(";"),
        ]
    }));
    rows
}

fn raas(reg: &Registry) -> Vec<Vec<String>> {
    let mut rows = vec![header(&[
        "id",
        "name",
        "model",
        "host",
        "source_url",
        "confidence",
        "note",
    ])];
    rows.extend(reg.raas.iter().map(|r| {
        vec![
            r.id.clone(),
            r.name.clone(),
            model_name(r.model).into(),
            r.host.clone(),
            r.source_url.clone(),
            confidence_name(r.confidence).into(),
            r.note.clone(),
        ]
    }));
    rows
}

fn milestones(reg: &Registry) -> Vec<Vec<String>> {
    let mut rows = vec![header(&[
        "raa_id",
        "kind",
        "date",
        "precision",
        "confidence",
        "source_url",
        "note",
    ])];
    for r in &reg.raas {
        rows.extend(r.milestones.iter().map(|m| {
            vec![
                r.id.clone(),
                m.kind.name().into(),
                m.date.to_string(),
                precision_name(m.precision).into(),
                confidence_name(m.confidence).into(),
                m.source_url.clone(),
                m.note.clone(),
            ]
        }));
    }
    rows
}

fn memberships(reg: &Registry) -> Vec<Vec<String>> {
    let mut rows = vec![header(&[
        "la_code",
        "raa_id",
        "valid_from",
        "valid_to",
        "confidence",
        "source_url",
        "note",
    ])];
    rows.extend(reg.memberships.iter().map(|m| {
        vec![
            m.la_code.clone(),
            m.raa_id.clone(),
            m.valid_from.to_string(),
            date(m.valid_to),
            confidence_name(m.confidence).into(),
            m.source_url.clone(),
            m.note.clone(),
        ]
    }));
    rows
}
