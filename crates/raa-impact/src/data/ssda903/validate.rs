//! Validation of SSDA903 returns: DfE code lists and the date-order rules that matter for adoption.
//!
//! [`validate`] returns every problem as a [`Problem`] row (the read problems of
//! [`Returns::read_problems`] included) and, per table, which rows are invalid: a row is invalid
//! when it carries an error-severity problem.
//!
//! # Severity
//! * **Error**: the row's own values cannot be trusted for a journey: a blank or invalid code in
//!   a field that defines the journey (RNE, LS, PLACE, REC, REASON_PLACED_CEASED), a blank key or
//!   date, dates of one row in the wrong order, episodes of a child that overlap.
//! * **Warning**: noteworthy but usable: invalid codes in descriptive fields (SEX, ETHNIC, CIN,
//!   PLACE_PROVIDER, the AD1 adopter fields), and inconsistencies *between* rows or tables where
//!   each row is plausible on its own (a missing AD1 row for an adopted child, milestones out of
//!   order across tables). Journeys derived from such records may lack a milestone; they are not
//!   dropped.
//!
//! # Rules
//! | rule id | table | severity | what |
//! |---|---|---|---|
//! | `required_value` | all | Error (CIN, AD1.DOB: Warning) | a required field is blank: Header CHILD, SEX, DOB, ETHNIC; Episodes CHILD, DECOM, RNE, LS, PLACE, CIN; AD1 CHILD, DOB, DATE_INT, DATE_MATCH; PlacedAdoption CHILD, DATE_PLACED (a date that failed to parse is reported once, as `date_format`) |
//! | `sgo_former_foster_carer` | Episodes | Warning | REC E45/E46 (special guardianship to former foster carers) from a placement other than U1–U6 (rule 516) |
//! | `place_provider` | Episodes | Warning | PLACE_PROVIDER does not fit PLACE (rules 178, 526–531, 550; [`codes::provider_allowed`]) |
//! | `code_list` | all | Error for RNE, LS, PLACE, REC, REASON_PLACED_CEASED; Warning for SEX, ETHNIC, CIN, PLACE_PROVIDER, FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR | a non-blank code not in the DfE list of the row's collection year ([`super::codes`]) |
//! | `dec_rec_pair` | Episodes | Error | DEC and REC must both be filled in (episode ended) or both blank (open) |
//! | `date_order_decom_dec` | Episodes | Error | DEC before DECOM |
//! | `date_order_dob_decom` | Episodes | Error | DECOM before the child's DOB (Header) |
//! | `date_after_year_end` | all dated | Warning | a date after 31 March of the return's collection year |
//! | `episode_overlap` | Episodes | Error | an episode starts before the previous episode of the child ended |
//! | `open_episode_not_last` | Episodes | Error | an open episode (blank DEC) is followed by a later episode |
//! | `x1_not_continued` | Episodes | Warning | REC X1 (period continues) but no episode starts on that DEC (checked when DEC is within the return's year) |
//! | `period_start_rne` | Episodes | Warning | a period of care starts with RNE other than S: the child's first episode when it starts within its return's year, or an episode after one that ended the period (REC other than X1) |
//! | `duplicate_episode` | Episodes | Warning | the same (LA, CHILD, DECOM) twice in one collection year |
//! | `child_not_in_header` | Episodes | Warning | a child with episodes has no Header row (reported on its first episode) |
//! | `adoption_placement_without_po` | Episodes | Warning | PLACE A5/A6 (placed with a placement order) but LS is not E1 (DfE rule 408) |
//! | `adoption_placement_without_adm` | Episodes | Warning | PLACE A3/A4 (placed with consent) but the child has no ADM decision (PlacedAdoption or AD1 row) |
//! | `date_order_adm_placed` | Episodes | Warning | the child's first adoption placement (A3–A6) starts before every ADM decision of the child |
//! | `adopted_without_ad1` | Episodes | Warning | REC E11/E12 (adopted) but the child has no AD1 row |
//! | `adopted_without_placement` | Episodes | Warning | REC E11/E12 but no adoption placement (A3–A6) started on or before the DEC |
//! | `duplicate_child` | Header | Warning | the same (LA, year, CHILD) twice, rows agree on SEX, DOB and ETHNIC |
//! | `duplicate_child_conflict` | Header | Error | the same (LA, year, CHILD) twice with different SEX, DOB or ETHNIC |
//! | `date_order_adm_match` | AD1 | Error | DATE_INT (ADM decision) after DATE_MATCH |
//! | `date_order_match_placed` | AD1 | Warning | DATE_MATCH after the adoption placement that followed the decision |
//! | `date_order_entry_adm` | AD1, PlacedAdoption | Warning | the ADM decision (DATE_INT / DATE_PLACED) before the child's entry to care (the DECOM of its first episode, when that is RNE S) |
//! | `dob_mismatch` | AD1, PlacedAdoption | Warning | DOB differs from the Header's DOB |
//! | `ceased_reason_pair` | PlacedAdoption | Error | DATE_PLACED_CEASED and REASON_PLACED_CEASED must both be present or both blank |
//! | `date_order_placed_ceased` | PlacedAdoption | Error | DATE_PLACED_CEASED before DATE_PLACED |
//!
//! Read problems (`ragged_row`, `date_format`, `bool_format`, `la_code`, `year_format`, see
//! [`super::read`]) and stacking warnings (`duplicate_*`, see [`super::dedup`]) are included as
//! found.
//!
//! Cross-row rules look at one child (LA, CHILD) at a time, over all the years given. They expect
//! stacked returns ([`super::dedup::stack`]); on unstacked returns, repeats of an episode in
//! several years (same DECOM, different years) count once (the latest year's copy).
//!
//! Children are checked in parallel; the result is sorted by file, table, row and rule, so it
//! does not depend on the thread count.

use super::codes::{self, Code};
use super::dedup::{for_each_key_group, hash_sorted, sort_problems};
use super::problem::{Problem, Severity};
use super::tables::{Ad1Row, EpisodeRow, HeaderRow, PlacedAdoptionRow, Returns, Source, Table};
use crate::data::date::{format_ssda903, Date};
use crate::data::hash::FastMap;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;

/// The outcome of validation: every problem as a row, and which rows are invalid (an
/// error-severity problem) in each table, indexed like the vectors of [`Returns`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Validation {
    pub problems: Vec<Problem>,
    pub invalid_header: Vec<bool>,
    pub invalid_episodes: Vec<bool>,
    pub invalid_ad1: Vec<bool>,
    pub invalid_placed_adoption: Vec<bool>,
}

/// Check `returns` against the code lists and date-order rules. Includes the read problems.
/// See the module documentation for the rules.
///
/// ```
/// use raa_impact::data::ssda903::{validate::validate, Returns};
/// let v = validate(&Returns::default());
/// assert!(v.problems.is_empty());
/// ```
pub fn validate(returns: &Returns) -> Validation {
    let unparsed = unparsed_dates(returns);
    let groups = group_by_child(returns);
    let found: Vec<Found> = groups
        .par_iter()
        .flat_map_iter(|g| {
            let mut c = Checker {
                r: returns,
                unparsed: &unparsed,
                out: Vec::new(),
            };
            c.child(g);
            c.out
        })
        .collect();
    let mut v = Validation {
        problems: Vec::with_capacity(found.len() + returns.read_problems.len()),
        invalid_header: vec![false; returns.header.len()],
        invalid_episodes: vec![false; returns.episodes.len()],
        invalid_ad1: vec![false; returns.ad1.len()],
        invalid_placed_adoption: vec![false; returns.placed_adoption.len()],
    };
    for f in found {
        if f.problem.severity == Severity::Error {
            v.mark(f.table, f.index);
        }
        v.problems.push(f.problem);
    }
    mark_read_problems(returns, &mut v);
    v.problems.extend(returns.read_problems.iter().cloned());
    sort_problems(&mut v.problems);
    v
}

impl Validation {
    fn mark(&mut self, table: Table, index: usize) {
        let flags = match table {
            Table::Header => &mut self.invalid_header,
            Table::Episodes => &mut self.invalid_episodes,
            Table::Ad1 => &mut self.invalid_ad1,
            Table::PlacedAdoption => &mut self.invalid_placed_adoption,
        };
        if let Some(f) = flags.get_mut(index) {
            *f = true;
        }
    }

    /// Number of problems with the given rule id.
    pub fn count(&self, rule: &str) -> usize {
        self.problems.iter().filter(|p| p.rule == rule).count()
    }

    /// Number of problems per rule id, sorted by rule id.
    pub fn counts_by_rule(&self) -> Vec<(String, usize)> {
        let mut m: std::collections::BTreeMap<&str, usize> = Default::default();
        for p in &self.problems {
            *m.entry(p.rule.as_str()).or_default() += 1;
        }
        m.into_iter().map(|(k, n)| (k.to_string(), n)).collect()
    }
}

/// Mark the rows that carry an error-severity read problem (e.g. an unparseable date).
fn mark_read_problems(r: &Returns, v: &mut Validation) {
    let errors: Vec<&Problem> = r
        .read_problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return;
    }
    let mut at: FastMap<(Table, &str, u64), Vec<usize>> = FastMap::default();
    let mut add =
        |t: Table, s: &Source, i: usize| at.entry((t, r.file_of(s), s.row)).or_default().push(i);
    r.header
        .iter()
        .enumerate()
        .for_each(|(i, x)| add(Table::Header, &x.src, i));
    r.episodes
        .iter()
        .enumerate()
        .for_each(|(i, x)| add(Table::Episodes, &x.src, i));
    r.ad1
        .iter()
        .enumerate()
        .for_each(|(i, x)| add(Table::Ad1, &x.src, i));
    r.placed_adoption
        .iter()
        .enumerate()
        .for_each(|(i, x)| add(Table::PlacedAdoption, &x.src, i));
    for p in errors {
        for &i in at
            .get(&(p.table, p.file.as_str(), p.row))
            .into_iter()
            .flatten()
        {
            v.mark(p.table, i);
        }
    }
}

/// (file, row, field) of dates that were present but unparseable: `required_value` skips them
/// because `date_format` already reports them.
fn unparsed_dates(r: &Returns) -> HashSet<(&str, u64, &str)> {
    r.read_problems
        .iter()
        .filter(|p| p.rule == "date_format")
        .map(|p| (p.file.as_str(), p.row, p.field.as_str()))
        .collect()
}

/// The rows of one child (LA, CHILD) in each table, as indices into [`Returns`].
#[derive(Default)]
struct Group<'a> {
    /// The group's first row in the cross-table numbering of [`row_at`].
    first: usize,
    child: &'a str,
    header: Vec<usize>,
    episodes: Vec<usize>,
    ad1: Vec<usize>,
    pa: Vec<usize>,
}

/// Group every row by child (LA, CHILD). Rows are numbered across the four tables (Header,
/// Episodes, AD1, PlacedAdoption in turn) and sorted by the hash of their child, so that the
/// grouping runs in parallel; each group's row lists ascend.
fn group_by_child(r: &Returns) -> Vec<Group<'_>> {
    let n = r.header.len() + r.episodes.len() + r.ad1.len() + r.placed_adoption.len();
    let key = |i: usize| row_at(r, i).map(|(_, la, child)| (la, child));
    let hashed = hash_sorted(n, key);
    let runs: Vec<&[(u64, usize)]> = hashed.chunk_by(|a, b| a.0 == b.0).collect();
    let mut groups: Vec<Group> = runs
        .par_chunks(4096)
        .flat_map_iter(|batch| {
            let (mut out, mut buf) = (Vec::new(), Vec::new());
            for run in batch {
                for_each_key_group(run, key, &mut buf, |g| out.extend(make_group(r, g)));
            }
            out
        })
        .collect();
    // Back to first-seen order: a child's rows sit together in its file, so checking children
    // in file order reads memory in order (hash order costs a cache miss per row).
    groups.par_sort_unstable_by_key(|g| g.first);
    groups
}

/// The group of the rows `idx` (ascending, one child).
fn make_group<'a>(r: &'a Returns, idx: &[usize]) -> Option<Group<'a>> {
    let (_, _, child) = row_at(r, *idx.first()?)?;
    let mut g = Group {
        first: idx[0],
        child,
        ..Group::default()
    };
    for &i in idx {
        match row_at(r, i).map(|x| x.0) {
            Some(RowAt::Header(k)) => g.header.push(k),
            Some(RowAt::Episode(k)) => g.episodes.push(k),
            Some(RowAt::Ad1(k)) => g.ad1.push(k),
            Some(RowAt::Pa(k)) => g.pa.push(k),
            None => {}
        }
    }
    Some(g)
}

/// A row of one of the four tables, by its index in that table.
enum RowAt {
    Header(usize),
    Episode(usize),
    Ad1(usize),
    Pa(usize),
}

/// Row `i` of the four tables taken in turn, with its LA and child.
fn row_at(r: &Returns, i: usize) -> Option<(RowAt, &str, &str)> {
    let mut k = i;
    if let Some(x) = r.header.get(k) {
        return Some((RowAt::Header(k), &x.src.la, &x.child));
    }
    k -= r.header.len();
    if let Some(x) = r.episodes.get(k) {
        return Some((RowAt::Episode(k), &x.src.la, &x.child));
    }
    k -= r.episodes.len();
    if let Some(x) = r.ad1.get(k) {
        return Some((RowAt::Ad1(k), &x.src.la, &x.child));
    }
    k -= r.ad1.len();
    let x = r.placed_adoption.get(k)?;
    Some((RowAt::Pa(k), &x.src.la, &x.child))
}

/// A problem and the row it makes invalid (when an error).
struct Found {
    table: Table,
    index: usize,
    problem: Problem,
}

/// What a rule says about one field of one row.
struct Finding {
    field: &'static str,
    rule: &'static str,
    value: String,
    message: String,
    severity: Severity,
}

fn finding(
    field: &'static str,
    rule: &'static str,
    value: impl Into<String>,
    message: String,
    severity: Severity,
) -> Finding {
    Finding {
        field,
        rule,
        value: value.into(),
        message,
        severity,
    }
}

fn fmt_date(d: Option<Date>) -> String {
    d.map(format_ssda903).unwrap_or_default()
}

/// Runs the rules for one child and collects what they find.
struct Checker<'a> {
    r: &'a Returns,
    unparsed: &'a HashSet<(&'a str, u64, &'a str)>,
    out: Vec<Found>,
}

impl<'a> Checker<'a> {
    fn push(&mut self, table: Table, index: usize, src: &Source, child: &str, f: Finding) {
        let problem = Problem {
            table,
            file: self.r.file_of(src).to_string(),
            row: src.row,
            la: src.la.to_string(),
            child: child.to_string(),
            field: f.field.to_string(),
            rule: f.rule.to_string(),
            value: f.value,
            message: f.message,
            severity: f.severity,
        };
        self.out.push(Found {
            table,
            index,
            problem,
        });
    }

    fn child(&mut self, g: &Group<'a>) {
        for &i in &g.header {
            self.header_row(i);
        }
        for &i in &g.episodes {
            self.episode_row(i);
        }
        for &i in &g.ad1 {
            self.ad1_row(i);
        }
        for &i in &g.pa {
            self.pa_row(i);
        }
        if !g.child.is_empty() {
            ChildCheck::new(self.r, g).run(self);
        }
    }

    fn required_text(&self, field: &'static str, value: &str, sev: Severity) -> Option<Finding> {
        value.is_empty().then(|| {
            finding(
                field,
                "required_value",
                String::new(),
                format!("{field} must not be blank"),
                sev,
            )
        })
    }

    fn required_date(
        &self,
        src: &Source,
        field: &'static str,
        value: Option<Date>,
        sev: Severity,
    ) -> Option<Finding> {
        (value.is_none() && !self.unparsed_at(src, field)).then(|| {
            let msg = format!("{field} must be a date, not blank");
            finding(field, "required_value", String::new(), msg, sev)
        })
    }

    /// Whether the date `field` of the row at `src` was present but unparseable.
    fn unparsed_at(&self, src: &Source, field: &str) -> bool {
        !self.unparsed.is_empty()
            && self
                .unparsed
                .contains(&(self.r.file_of(src), src.row, field))
    }

    fn after_year_end(
        &self,
        src: &Source,
        field: &'static str,
        d: Option<Date>,
    ) -> Option<Finding> {
        let end = end_of_year(src.year)?;
        d.filter(|d| *d > end).map(|d| {
            let msg = format!(
                "{field} is after the end of collection year {} ({})",
                src.year,
                format_ssda903(end)
            );
            finding(
                field,
                "date_after_year_end",
                format_ssda903(d),
                msg,
                Severity::Warning,
            )
        })
    }

    fn header_row(&mut self, i: usize) {
        let h: &HeaderRow = &self.r.header[i];
        let mut f = Vec::new();
        f.extend(self.required_text("CHILD", &h.child, Severity::Error));
        f.extend(self.required_text("SEX", &h.sex, Severity::Error));
        f.extend(self.required_date(&h.src, "DOB", h.dob, Severity::Error));
        f.extend(self.required_text("ETHNIC", &h.ethnic, Severity::Error));
        f.extend(code_list(
            "SEX",
            &h.sex,
            codes::SEX,
            Severity::Warning,
            h.src.year,
        ));
        f.extend(code_list(
            "ETHNIC",
            &h.ethnic,
            codes::ETHNIC,
            Severity::Warning,
            h.src.year,
        ));
        f.extend(self.after_year_end(&h.src, "DOB", h.dob));
        for x in f {
            self.push(Table::Header, i, &h.src, &h.child, x);
        }
    }

    fn episode_row(&mut self, i: usize) {
        let e: &EpisodeRow = &self.r.episodes[i];
        let mut f = Vec::new();
        f.extend(self.required_text("CHILD", &e.child, Severity::Error));
        f.extend(self.required_date(&e.src, "DECOM", e.decom, Severity::Error));
        for (field, v) in [("RNE", &e.rne), ("LS", &e.ls), ("PLACE", &e.place)] {
            f.extend(self.required_text(field, v, Severity::Error));
        }
        f.extend(self.required_text("CIN", &e.cin, Severity::Warning));
        f.extend(code_list(
            "RNE",
            &e.rne,
            codes::RNE,
            Severity::Error,
            e.src.year,
        ));
        f.extend(code_list(
            "LS",
            &e.ls,
            codes::LS,
            Severity::Error,
            e.src.year,
        ));
        f.extend(code_list(
            "PLACE",
            &e.place,
            codes::PLACE,
            Severity::Error,
            e.src.year,
        ));
        f.extend(code_list(
            "REC",
            &e.rec,
            codes::REC,
            Severity::Error,
            e.src.year,
        ));
        f.extend(code_list(
            "CIN",
            &e.cin,
            codes::CIN,
            Severity::Warning,
            e.src.year,
        ));
        f.extend(code_list(
            "PLACE_PROVIDER",
            &e.place_provider,
            codes::PLACE_PROVIDER,
            Severity::Warning,
            e.src.year,
        ));
        f.extend(place_provider_pair(e));
        f.extend(sgo_from_foster_placement(e));
        if e.dec.is_some() == e.rec.is_empty() && !self.unparsed_at(&e.src, "DEC") {
            let msg = "DEC and REC must both be filled in (episode ended) or both be blank (episode open)";
            let value = format!("DEC={} REC={}", fmt_date(e.dec), e.rec);
            f.push(finding(
                "REC",
                "dec_rec_pair",
                value,
                msg.into(),
                Severity::Error,
            ));
        }
        if let (Some(start), Some(end)) = (e.decom, e.dec) {
            if end < start {
                let msg = format!("DEC is before DECOM ({})", format_ssda903(start));
                f.push(finding(
                    "DEC",
                    "date_order_decom_dec",
                    format_ssda903(end),
                    msg,
                    Severity::Error,
                ));
            }
        }
        f.extend(self.after_year_end(&e.src, "DECOM", e.decom));
        f.extend(self.after_year_end(&e.src, "DEC", e.dec));
        for x in f {
            self.push(Table::Episodes, i, &e.src, &e.child, x);
        }
    }

    fn ad1_row(&mut self, i: usize) {
        let a: &Ad1Row = &self.r.ad1[i];
        let mut f = Vec::new();
        f.extend(self.required_text("CHILD", &a.child, Severity::Error));
        f.extend(self.required_date(&a.src, "DOB", a.dob, Severity::Warning));
        f.extend(self.required_date(&a.src, "DATE_INT", a.date_int, Severity::Error));
        f.extend(self.required_date(&a.src, "DATE_MATCH", a.date_match, Severity::Error));
        f.extend(code_list(
            "FOSTER_CARE",
            &a.foster_care,
            codes::FOSTER_CARE,
            Severity::Warning,
            a.src.year,
        ));
        f.extend(code_list(
            "NB_ADOPTR",
            &a.nb_adoptr,
            codes::NB_ADOPTR,
            Severity::Warning,
            a.src.year,
        ));
        f.extend(code_list(
            "SEX_ADOPTR",
            &a.sex_adoptr,
            codes::SEX_ADOPTR,
            Severity::Warning,
            a.src.year,
        ));
        f.extend(code_list(
            "LS_ADOPTR",
            &a.ls_adoptr,
            codes::LS_ADOPTR,
            Severity::Warning,
            a.src.year,
        ));
        if let (Some(adm), Some(m)) = (a.date_int, a.date_match) {
            if adm > m {
                let msg = format!(
                    "DATE_INT (ADM decision, {}) is after DATE_MATCH",
                    format_ssda903(adm)
                );
                f.push(finding(
                    "DATE_MATCH",
                    "date_order_adm_match",
                    format_ssda903(m),
                    msg,
                    Severity::Error,
                ));
            }
        }
        f.extend(self.after_year_end(&a.src, "DATE_INT", a.date_int));
        f.extend(self.after_year_end(&a.src, "DATE_MATCH", a.date_match));
        for x in f {
            self.push(Table::Ad1, i, &a.src, &a.child, x);
        }
    }

    fn pa_row(&mut self, i: usize) {
        let p: &PlacedAdoptionRow = &self.r.placed_adoption[i];
        let mut f = Vec::new();
        f.extend(self.required_text("CHILD", &p.child, Severity::Error));
        f.extend(self.required_date(&p.src, "DATE_PLACED", p.date_placed, Severity::Error));
        let reason = &p.reason_placed_ceased;
        f.extend(code_list(
            "REASON_PLACED_CEASED",
            reason,
            codes::REASON_PLACED_CEASED,
            Severity::Error,
            p.src.year,
        ));
        if p.date_placed_ceased.is_some() == reason.is_empty()
            && !self.unparsed_at(&p.src, "DATE_PLACED_CEASED")
        {
            let msg =
                "DATE_PLACED_CEASED and REASON_PLACED_CEASED must both be present or both be blank";
            let value = format!(
                "DATE_PLACED_CEASED={} REASON_PLACED_CEASED={reason}",
                fmt_date(p.date_placed_ceased)
            );
            f.push(finding(
                "REASON_PLACED_CEASED",
                "ceased_reason_pair",
                value,
                msg.into(),
                Severity::Error,
            ));
        }
        if let (Some(start), Some(end)) = (p.date_placed, p.date_placed_ceased) {
            if end < start {
                let msg = format!(
                    "DATE_PLACED_CEASED is before DATE_PLACED ({})",
                    format_ssda903(start)
                );
                f.push(finding(
                    "DATE_PLACED_CEASED",
                    "date_order_placed_ceased",
                    format_ssda903(end),
                    msg,
                    Severity::Error,
                ));
            }
        }
        f.extend(self.after_year_end(&p.src, "DATE_PLACED", p.date_placed));
        f.extend(self.after_year_end(&p.src, "DATE_PLACED_CEASED", p.date_placed_ceased));
        for x in f {
            self.push(Table::PlacedAdoption, i, &p.src, &p.child, x);
        }
    }
}

/// 31 March of collection year `year`; `None` for a year chrono cannot represent (rows built
/// in memory may carry any year, and validation must not panic on them).
fn end_of_year(year: i32) -> Option<Date> {
    Date::from_ymd_opt(year, 3, 31)
}

/// `place_provider`: the provider must fit the placement ([`codes::provider_allowed`]). Only
/// checked when both codes are in their lists (else `code_list` already says so).
fn place_provider_pair(e: &EpisodeRow) -> Option<Finding> {
    let known = codes::is_valid(codes::PLACE, &e.place)
        && (e.place_provider.is_empty()
            || codes::is_valid(codes::PLACE_PROVIDER, &e.place_provider));
    (known && !codes::provider_allowed(&e.place, &e.place_provider)).then(|| {
        let msg = "PLACE_PROVIDER does not fit PLACE (DfE rules 178, 526-531, 550: T0-T4 and Z1 take no \
                   provider, others need one; PR0 only with P1; PR1/PR2 not with R2/R5; PR3 not with \
                   A3-A6, K1, K2, U1-U6)";
        let value = format!("PLACE={} PLACE_PROVIDER={}", e.place, e.place_provider);
        finding("PLACE_PROVIDER", "place_provider", value, msg.into(), Severity::Warning)
    })
}

/// `sgo_former_foster_carer`: E45/E46 say the special guardians were the child's foster carers,
/// so the episode ending with them must be a foster placement U1–U6 (rule 516).
fn sgo_from_foster_placement(e: &EpisodeRow) -> Option<Finding> {
    let to_foster_carers = matches!(e.rec.as_str(), "E45" | "E46");
    (to_foster_carers && !e.place.starts_with('U')).then(|| {
        let msg = "E45/E46 (special guardianship order to former foster carers) must end a foster \
                   placement U1-U6 (DfE rule 516); E47/E48 are orders to other carers";
        let value = format!("REC={} PLACE={}", e.rec, e.place);
        finding(
            "REC",
            "sgo_former_foster_carer",
            value,
            msg.into(),
            Severity::Warning,
        )
    })
}

/// `code_list`: a non-blank value must be in `list` as it stood in collection year `year` (codes
/// come and go: SEX is 1/2 until 2023-24 and M/F/U from 2024-25, for example).
fn code_list(
    field: &'static str,
    value: &str,
    list: &[Code],
    sev: Severity,
    year: i32,
) -> Option<Finding> {
    (!value.is_empty() && !codes::is_valid_in(list, value, year)).then(|| {
        let msg = format!(
            "{field} must be one of {} (collection year {year})",
            codes::codes_in(list, year)
        );
        finding(field, "code_list", value.to_string(), msg, sev)
    })
}

/// The cross-row rules of one child.
struct ChildCheck<'a> {
    r: &'a Returns,
    g: &'a Group<'a>,
    /// Episode indices with a DECOM, one per DECOM (the latest year's copy), by DECOM.
    timeline: Vec<usize>,
    /// ADM decision dates (PlacedAdoption.DATE_PLACED, AD1.DATE_INT).
    adm: Vec<Date>,
    has_adm_row: bool,
    dob: Option<Date>,
}

impl<'a> ChildCheck<'a> {
    fn new(r: &'a Returns, g: &'a Group<'a>) -> Self {
        let mut adm: Vec<Date> =
            g.pa.iter()
                .filter_map(|&i| r.placed_adoption[i].date_placed)
                .collect();
        adm.extend(g.ad1.iter().filter_map(|&i| r.ad1[i].date_int));
        adm.sort();
        // The latest year's Header row with a DOB gives the child's DOB.
        let dob = g
            .header
            .iter()
            .map(|&i| &r.header[i])
            .filter(|h| h.dob.is_some())
            .max_by_key(|h| (h.src.year, h.src.file, h.src.row))
            .and_then(|h| h.dob);
        ChildCheck {
            r,
            g,
            timeline: Vec::new(),
            adm,
            has_adm_row: !g.pa.is_empty() || !g.ad1.is_empty(),
            dob,
        }
    }

    fn ep(&self, i: usize) -> &'a EpisodeRow {
        &self.r.episodes[i]
    }

    fn run(mut self, c: &mut Checker) {
        self.duplicate_headers(c);
        self.build_timeline(c);
        self.not_in_header(c);
        self.sequence(c);
        self.adoption_placements(c);
        self.adopted(c);
        self.decision_rows(c);
    }

    fn duplicate_headers(&self, c: &mut Checker) {
        let rows: Vec<&HeaderRow> = self.g.header.iter().map(|&i| &self.r.header[i]).collect();
        for (k, &i) in self.g.header.iter().enumerate() {
            let h = rows[k];
            let twins: Vec<&&HeaderRow> =
                rows.iter().filter(|o| o.src.year == h.src.year).collect();
            if twins.len() < 2 {
                continue;
            }
            let conflict = twins
                .iter()
                .any(|o| (o.sex != h.sex) || o.dob != h.dob || o.ethnic != h.ethnic);
            let (rule, sev, msg) = if conflict {
                ("duplicate_child_conflict", Severity::Error, "the child appears more than once in this year's Header with different SEX, DOB or ETHNIC")
            } else {
                (
                    "duplicate_child",
                    Severity::Warning,
                    "the child appears more than once in this year's Header",
                )
            };
            let f = finding("CHILD", rule, h.child.clone(), msg.into(), sev);
            c.push(Table::Header, i, &h.src, &h.child, f);
        }
    }

    /// One episode per DECOM, ordered by DECOM; same-year repeats are `duplicate_episode`.
    fn build_timeline(&mut self, c: &mut Checker) {
        let mut eps: Vec<usize> = self
            .g
            .episodes
            .iter()
            .copied()
            .filter(|&i| self.ep(i).decom.is_some())
            .collect();
        eps.sort_by_key(|&i| {
            let e = self.ep(i);
            (e.decom, e.src.year, e.src.file, e.src.row)
        });
        for (k, &i) in eps.iter().enumerate() {
            let e = self.ep(i);
            match eps.get(k + 1).map(|&j| self.ep(j)) {
                Some(next) if next.decom == e.decom => {
                    if next.src.year == e.src.year {
                        let msg = "the same episode (LA, CHILD, DECOM) appears twice in this collection year";
                        let f = finding(
                            "DECOM",
                            "duplicate_episode",
                            fmt_date(e.decom),
                            msg.into(),
                            Severity::Warning,
                        );
                        c.push(Table::Episodes, i, &e.src, &e.child, f);
                    }
                }
                _ => self.timeline.push(i),
            }
        }
    }

    fn not_in_header(&self, c: &mut Checker) {
        if !self.g.header.is_empty() {
            return;
        }
        // The earliest episode, by source when none has a DECOM, so that the choice does not
        // depend on row order.
        let earliest = self.timeline.first().copied().or_else(|| {
            self.g.episodes.iter().copied().min_by_key(|&i| {
                let e = self.ep(i);
                (self.r.file_of(&e.src), e.src.row, e.src.year)
            })
        });
        if let Some(i) = earliest {
            let e = self.ep(i);
            let msg = format!(
                "child {} of LA {} has episodes but no Header row",
                e.child, e.src.la
            );
            let f = finding(
                "CHILD",
                "child_not_in_header",
                e.child.clone(),
                msg,
                Severity::Warning,
            );
            c.push(Table::Episodes, i, &e.src, &e.child, f);
        }
    }

    /// Overlaps, open episodes followed by others, X1 continuity, RNE at the start of a period,
    /// DOB before DECOM.
    fn sequence(&self, c: &mut Checker) {
        for (k, &i) in self.timeline.iter().enumerate() {
            let e = self.ep(i);
            let prev = k.checked_sub(1).map(|p| self.ep(self.timeline[p]));
            let next = self.timeline.get(k + 1).map(|&j| self.ep(j));
            let mut f = Vec::new();
            if let (Some(dob), Some(decom)) = (self.dob, e.decom) {
                if decom < dob {
                    let msg = format!("DECOM is before the child's DOB ({})", format_ssda903(dob));
                    f.push(finding(
                        "DECOM",
                        "date_order_dob_decom",
                        format_ssda903(decom),
                        msg,
                        Severity::Error,
                    ));
                }
            }
            if let Some(p) = prev {
                if p.dec.is_some_and(|d| e.decom.is_some_and(|s| s < d)) {
                    let msg = format!(
                        "the episode starts before the previous episode (DECOM {}) ended on {}",
                        fmt_date(p.decom),
                        fmt_date(p.dec)
                    );
                    f.push(finding(
                        "DECOM",
                        "episode_overlap",
                        fmt_date(e.decom),
                        msg,
                        Severity::Error,
                    ));
                }
            }
            if let Some(n) = next {
                if e.dec.is_none() {
                    let msg = format!(
                        "the episode is open (blank DEC) but a later episode starts on {}",
                        fmt_date(n.decom)
                    );
                    f.push(finding(
                        "DEC",
                        "open_episode_not_last",
                        String::new(),
                        msg,
                        Severity::Error,
                    ));
                }
            }
            // A DEC after the return's year end continues in the next return, which may not
            // have been read.
            let within_year = e
                .dec
                .is_some_and(|d| end_of_year(e.src.year).is_some_and(|end| d <= end));
            if e.rec == codes::REC_CONTINUES && within_year && next.is_none_or(|n| n.decom != e.dec)
            {
                let msg = "REC X1 means a new episode starts on DEC, but no episode of the child starts that day";
                f.push(finding(
                    "REC",
                    "x1_not_continued",
                    fmt_date(e.dec),
                    msg.into(),
                    Severity::Warning,
                ));
            }
            if e.rne != "S" && self.starts_period(e, prev) {
                let msg = "this episode starts a period of care, so RNE should be S (started to be looked after)";
                f.push(finding(
                    "RNE",
                    "period_start_rne",
                    e.rne.clone(),
                    msg.into(),
                    Severity::Warning,
                ));
            }
            for x in f {
                c.push(Table::Episodes, i, &e.src, &e.child, x);
            }
        }
    }

    /// Whether `e` must open a period of care: it follows an episode that ended the period, or it
    /// is the child's first episode and starts within its return's year (so an earlier episode
    /// would be in this return).
    fn starts_period(&self, e: &EpisodeRow, prev: Option<&EpisodeRow>) -> bool {
        match prev {
            Some(p) => !p.rec.is_empty() && p.rec != codes::REC_CONTINUES,
            None => e
                .src
                .year
                .checked_sub(1)
                .and_then(end_of_year)
                .is_some_and(|start| e.decom.is_some_and(|d| d > start)),
        }
    }

    fn adoption_placements(&self, c: &mut Checker) {
        let mut first = true;
        for &i in &self.timeline {
            let e = self.ep(i);
            let place = e.place.as_str();
            if !codes::PLACE_ADOPTION.contains(&place) {
                continue;
            }
            let mut f = Vec::new();
            if codes::PLACE_ADOPTION_ORDER.contains(&place)
                && !codes::LS_PLACEMENT_ORDER.contains(&e.ls.as_str())
            {
                let msg = format!("PLACE {place} is a placement for adoption with a placement order, but LS is not E1 (placement order)");
                f.push(finding(
                    "LS",
                    "adoption_placement_without_po",
                    e.ls.clone(),
                    msg,
                    Severity::Warning,
                ));
            }
            if codes::PLACE_ADOPTION_CONSENT.contains(&place) && !self.has_adm_row {
                let msg = format!("PLACE {place} is a placement for adoption with consent, but the child has no ADM decision (no PlacedAdoption or AD1 row)");
                f.push(finding(
                    "PLACE",
                    "adoption_placement_without_adm",
                    place.to_string(),
                    msg,
                    Severity::Warning,
                ));
            }
            if first
                && !self.adm.is_empty()
                && e.decom.is_some_and(|d| self.adm.iter().all(|a| *a > d))
            {
                let msg = format!(
                    "the first adoption placement starts before the ADM decision ({})",
                    fmt_date(self.adm.first().copied())
                );
                f.push(finding(
                    "DECOM",
                    "date_order_adm_placed",
                    fmt_date(e.decom),
                    msg,
                    Severity::Warning,
                ));
            }
            first = false;
            for x in f {
                c.push(Table::Episodes, i, &e.src, &e.child, x);
            }
        }
    }

    fn adopted(&self, c: &mut Checker) {
        for &i in &self.timeline {
            let e = self.ep(i);
            if !codes::REC_ADOPTED.contains(&e.rec.as_str()) {
                continue;
            }
            let mut f = Vec::new();
            if self.g.ad1.is_empty() {
                let msg = format!("REC {} (adopted) but the child has no AD1 row", e.rec);
                f.push(finding(
                    "REC",
                    "adopted_without_ad1",
                    e.rec.clone(),
                    msg,
                    Severity::Warning,
                ));
            }
            let placed = self.timeline.iter().map(|&j| self.ep(j)).any(|p| {
                codes::PLACE_ADOPTION.contains(&p.place.as_str())
                    && p.decom.is_some_and(|s| e.dec.is_some_and(|d| s <= d))
            });
            if e.dec.is_some() && !placed {
                let msg = format!("REC {} (adopted) but no placement for adoption (PLACE A3–A6) started on or before DEC", e.rec);
                f.push(finding(
                    "REC",
                    "adopted_without_placement",
                    e.rec.clone(),
                    msg,
                    Severity::Warning,
                ));
            }
            for x in f {
                c.push(Table::Episodes, i, &e.src, &e.child, x);
            }
        }
    }

    /// Entry date: the DECOM of the child's first episode when that episode is RNE S.
    fn entry(&self) -> Option<Date> {
        let first = self.ep(*self.timeline.first()?);
        (first.rne == "S").then_some(first.decom).flatten()
    }

    /// The first adoption placement starting on or after `from` (any, when `from` is unknown).
    fn placement_after(&self, from: Option<Date>) -> Option<Date> {
        self.timeline
            .iter()
            .map(|&i| self.ep(i))
            .filter(|e| codes::PLACE_ADOPTION.contains(&e.place.as_str()))
            .filter_map(|e| e.decom)
            .find(|d| from.is_none_or(|f| *d >= f))
    }

    fn entry_finding(&self, adm: Option<Date>, field: &'static str) -> Option<Finding> {
        let (entry, adm) = (self.entry()?, adm?);
        (adm < entry).then(|| {
            let msg = format!(
                "the ADM decision is before the child entered care ({})",
                format_ssda903(entry)
            );
            finding(
                field,
                "date_order_entry_adm",
                format_ssda903(adm),
                msg,
                Severity::Warning,
            )
        })
    }

    fn dob_finding(&self, dob: Option<Date>) -> Option<Finding> {
        let (h, d) = (self.dob?, dob?);
        (h != d).then(|| {
            let msg = format!("DOB differs from the Header's DOB ({})", format_ssda903(h));
            finding(
                "DOB",
                "dob_mismatch",
                format_ssda903(d),
                msg,
                Severity::Warning,
            )
        })
    }

    /// Cross-table checks of the AD1 and PlacedAdoption rows.
    fn decision_rows(&self, c: &mut Checker) {
        for &i in &self.g.ad1 {
            let a = &self.r.ad1[i];
            let mut f: Vec<Finding> = Vec::new();
            f.extend(self.entry_finding(a.date_int, "DATE_INT"));
            f.extend(self.dob_finding(a.dob));
            if let (Some(m), Some(p)) = (a.date_match, self.placement_after(a.date_int)) {
                if m > p {
                    let msg = format!(
                        "DATE_MATCH is after the adoption placement that started on {}",
                        format_ssda903(p)
                    );
                    f.push(finding(
                        "DATE_MATCH",
                        "date_order_match_placed",
                        format_ssda903(m),
                        msg,
                        Severity::Warning,
                    ));
                }
            }
            for x in f {
                c.push(Table::Ad1, i, &a.src, &a.child, x);
            }
        }
        for &i in &self.g.pa {
            let p = &self.r.placed_adoption[i];
            let mut f: Vec<Finding> = Vec::new();
            f.extend(self.entry_finding(p.date_placed, "DATE_PLACED"));
            f.extend(self.dob_finding(p.dob));
            for x in f {
                c.push(Table::PlacedAdoption, i, &p.src, &p.child, x);
            }
        }
    }
}
