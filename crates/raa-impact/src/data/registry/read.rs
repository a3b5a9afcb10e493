//! Parsing the four registry CSV files (`las.csv`, `raas.csv`, `milestones.csv`,
//! `memberships.csv`) into registry rows.
//!
//! Columns are found by header name, so extra columns (the bundled files keep the source's own
//! wording in `source_*` columns) are ignored. Every parse failure names the file, the 1-based data
//! row and the column.

use super::types::{
    Confidence, DatePrecision, LocalAuthority, Membership, Milestone, MilestoneKind, Raa, RaaModel,
    Registry,
};
use crate::data::date::{parse_date, Date};
use crate::{Error, Result};

/// The text of the four registry files, with the names used in error messages.
#[derive(Debug, Clone, Copy)]
pub struct RegistryTexts<'a> {
    pub las: &'a str,
    pub raas: &'a str,
    pub milestones: &'a str,
    pub memberships: &'a str,
}

/// File names of the four registry tables, as expected by [`super::load::from_dir`].
pub const FILE_NAMES: [&str; 4] = ["las.csv", "raas.csv", "milestones.csv", "memberships.csv"];

/// Parse the four files into a registry, without consistency checks.
pub fn parse_registry(t: RegistryTexts<'_>) -> Result<Registry> {
    let las = parse_table(FILE_NAMES[0], t.las, la_row)?;
    let mut raas = parse_table(FILE_NAMES[1], t.raas, raa_row)?;
    let milestones = parse_table(FILE_NAMES[2], t.milestones, milestone_row)?;
    let memberships = parse_table(FILE_NAMES[3], t.memberships, membership_row)?;
    for (row, (raa_id, m)) in milestones.into_iter().enumerate() {
        let raa = raas.iter_mut().find(|r| r.id == raa_id).ok_or_else(|| {
            Error::registry(format!(
                "file milestones.csv, row {}: milestone {} names unknown RAA `{raa_id}`",
                row + 1,
                m.kind.name()
            ))
        })?;
        raa.milestones.push(m);
    }
    Ok(Registry {
        las,
        raas,
        memberships,
    })
}

/// One CSV data row with its position, for error messages.
struct Cells<'a> {
    file: &'a str,
    row: usize,
    header: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
}

impl Cells<'_> {
    fn fail(&self, column: &str, message: impl std::fmt::Display) -> Error {
        Error::registry(format!(
            "file {}, row {}, column {column}: {message}",
            self.file, self.row
        ))
    }

    /// The trimmed cell of `column` (a missing column is an error; an empty cell is `""`).
    fn get(&self, column: &str) -> Result<&str> {
        let i = self
            .header
            .iter()
            .position(|h| h.trim() == column)
            .ok_or_else(|| self.fail(column, "column missing from the header"))?;
        Ok(self.record.get(i).unwrap_or("").trim())
    }

    fn required(&self, column: &str) -> Result<String> {
        let v = self.get(column)?;
        if v.is_empty() {
            return Err(self.fail(column, "value required"));
        }
        Ok(v.to_string())
    }

    fn date(&self, column: &str) -> Result<Option<Date>> {
        let v = self.get(column)?;
        if v.is_empty() {
            return Ok(None);
        }
        parse_date(v).map(Some).ok_or_else(|| {
            self.fail(
                column,
                format!("cannot parse date `{v}` (expected YYYY-MM-DD)"),
            )
        })
    }

    fn required_date(&self, column: &str) -> Result<Date> {
        self.date(column)?
            .ok_or_else(|| self.fail(column, "date required"))
    }

    fn parsed<T>(&self, column: &str, parse: fn(&str) -> Option<T>, expected: &str) -> Result<T> {
        let v = self.get(column)?;
        parse(v).ok_or_else(|| self.fail(column, format!("`{v}` is not one of {expected}")))
    }
}

fn parse_table<T>(file: &str, text: &str, f: fn(&Cells<'_>) -> Result<T>) -> Result<Vec<T>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| Error::registry(format!("file {file}: cannot read header: {e}")))?
        .clone();
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let record =
            rec.map_err(|e| Error::registry(format!("file {file}, row {}: {e}", i + 1)))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.push(f(&Cells {
            file,
            row: i + 1,
            header: &header,
            record: &record,
        })?);
    }
    Ok(out)
}

fn la_row(c: &Cells<'_>) -> Result<LocalAuthority> {
    Ok(LocalAuthority {
        dfe_code: c.required("dfe_code")?,
        ons_code: c.get("ons_code")?.to_string(),
        name: c.required("name")?,
        region: c.get("region")?.to_string(),
        start_date: c.date("start_date")?,
        end_date: c.date("end_date")?,
        successors: c
            .get("successors")?
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

fn raa_row(c: &Cells<'_>) -> Result<Raa> {
    Ok(Raa {
        id: c.required("id")?,
        name: c.required("name")?,
        model: c.parsed(
            "model",
            parse_model,
            "hosted, la_company, partnership, vaa_led, unknown",
        )?,
        host: c.get("host")?.to_string(),
        milestones: Vec::new(),
        source_url: c.get("source_url")?.to_string(),
        confidence: c.parsed("confidence", parse_confidence, CONFIDENCES)?,
        note: c.get("note")?.to_string(),
    })
}

fn milestone_row(c: &Cells<'_>) -> Result<(String, Milestone)> {
    let m = Milestone {
        kind: c.parsed(
            "kind",
            parse_kind,
            "agreement, soft_launch, go_live, full_integration",
        )?,
        date: c.required_date("date")?,
        precision: c.parsed("precision", parse_precision, "day, month, year")?,
        confidence: c.parsed("confidence", parse_confidence, CONFIDENCES)?,
        source_url: c.get("source_url")?.to_string(),
        note: c.get("note")?.to_string(),
    };
    Ok((c.required("raa_id")?, m))
}

fn membership_row(c: &Cells<'_>) -> Result<Membership> {
    Ok(Membership {
        la_code: c.required("la_code")?,
        raa_id: c.required("raa_id")?,
        valid_from: c.required_date("valid_from")?,
        valid_to: c.date("valid_to")?,
        confidence: c.parsed("confidence", parse_confidence, CONFIDENCES)?,
        source_url: c.get("source_url")?.to_string(),
        note: c.get("note")?.to_string(),
    })
}

const CONFIDENCES: &str = "high, medium, low, none";

/// `hosted`, `la_company`, `partnership`, `vaa_led`, `unknown`.
pub fn parse_model(s: &str) -> Option<RaaModel> {
    Some(match s {
        "hosted" => RaaModel::Hosted,
        "la_company" => RaaModel::LaCompany,
        "partnership" => RaaModel::Partnership,
        "vaa_led" => RaaModel::VaaLed,
        "unknown" => RaaModel::Unknown,
        _ => return None,
    })
}

/// The CSV spelling of a model (inverse of [`parse_model`]).
pub fn model_name(m: RaaModel) -> &'static str {
    match m {
        RaaModel::Hosted => "hosted",
        RaaModel::LaCompany => "la_company",
        RaaModel::Partnership => "partnership",
        RaaModel::VaaLed => "vaa_led",
        RaaModel::Unknown => "unknown",
    }
}

/// `high`, `medium`, `low`, `none`.
pub fn parse_confidence(s: &str) -> Option<Confidence> {
    Some(match s {
        "high" => Confidence::High,
        "medium" => Confidence::Medium,
        "low" => Confidence::Low,
        "none" => Confidence::None,
        _ => return None,
    })
}

/// The CSV spelling of a confidence flag (inverse of [`parse_confidence`]).
pub fn confidence_name(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
        Confidence::None => "none",
    }
}

/// `agreement`, `soft_launch`, `go_live`, `full_integration` (see [`MilestoneKind::name`]).
pub fn parse_kind(s: &str) -> Option<MilestoneKind> {
    [
        MilestoneKind::Agreement,
        MilestoneKind::SoftLaunch,
        MilestoneKind::GoLive,
        MilestoneKind::FullIntegration,
    ]
    .into_iter()
    .find(|k| k.name() == s)
}

/// `day`, `month`, `year`.
pub fn parse_precision(s: &str) -> Option<DatePrecision> {
    Some(match s {
        "day" => DatePrecision::Day,
        "month" => DatePrecision::Month,
        "year" => DatePrecision::Year,
        _ => return None,
    })
}

/// The CSV spelling of a precision (inverse of [`parse_precision`]).
pub fn precision_name(p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Day => "day",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
    }
}
