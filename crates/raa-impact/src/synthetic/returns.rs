//! Lay simulated children out as yearly SSDA903 returns: each return holds the episodes open at
//! any time in its 1 April – 31 March year, with DEC/REC blank when the episode is still open at
//! 31 March (filled in a later return), exactly as LAs resubmit open episodes each year.

use super::children::Child;
use crate::data::date::{from_epoch_days, Date};
use crate::data::ssda903::tables::{
    Ad1Row, CompactString, EpisodeRow, FileInfo, HeaderRow, PlacedAdoptionRow, Source, Table,
};

/// The rows of one LA's returns, all years, with their file list.
#[derive(Debug, Default)]
pub(crate) struct LaRows {
    pub files: Vec<FileInfo>,
    pub header: Vec<HeaderRow>,
    pub episodes: Vec<EpisodeRow>,
    pub ad1: Vec<Ad1Row>,
    pub placed_adoption: Vec<PlacedAdoptionRow>,
}

fn date(d: i32) -> Option<Date> {
    from_epoch_days(i64::from(d))
}

/// Index of `(LA, year, table)` in [`crate::data::ssda903::tables::Returns::files`]: LA-major,
/// then year, then table in [`Table::ALL`] order (every LA has every file, possibly empty).
pub(crate) fn file_index(la_pos: usize, year_pos: usize, n_years: usize, table: usize) -> u32 {
    ((la_pos * n_years + year_pos) * Table::ALL.len() + table) as u32
}

/// All returns of one LA for `years`, children in the order given with their ids.
pub(crate) fn la_rows(
    la_pos: usize,
    la: &str,
    years: &[i32],
    children: &[Child],
    ids: &[String],
) -> LaRows {
    let mut out = LaRows::default();
    // Rough sizes (children in care ≈ 5 years' entries, ~1.3 episodes each a year) so that the
    // big vectors seldom grow.
    let per_year = children.len() * 5 / 25;
    out.header.reserve(per_year * years.len());
    out.episodes.reserve(per_year * years.len() * 4 / 3);
    for (yp, &year) in years.iter().enumerate() {
        let ys = super::calibration::day(year - 1, 4, 1);
        let ye = super::calibration::day(year, 3, 31);
        let counts_before = [
            out.header.len(),
            out.episodes.len(),
            out.ad1.len(),
            out.placed_adoption.len(),
        ];
        let src = |t: usize, row: usize| Source {
            file: file_index(la_pos, yp, years.len(), t),
            row: row as u64,
            la: la.into(),
            year,
        };
        for (child, id) in children.iter().zip(ids) {
            if child.first_day() > ye || child.last_day() < ys {
                continue;
            }
            let mut any = false;
            for period in &child.periods {
                if period.start() > ye || period.end() < ys {
                    continue;
                }
                for ep in period.eps.iter().filter(|e| e.start <= ye && e.end >= ys) {
                    any = true;
                    let closed = ep.end <= ye;
                    let row = out.episodes.len() - counts_before[1] + 1;
                    out.episodes.push(EpisodeRow {
                        src: src(1, row),
                        child: CompactString::new(id),
                        decom: date(ep.start),
                        rne: ep.rne.into(),
                        ls: ep.ls.into(),
                        cin: period.cin.into(),
                        place: ep.place.into(),
                        place_provider: ep.provider.into(),
                        dec: if closed { date(ep.end) } else { None },
                        rec: if closed {
                            ep.rec.into()
                        } else {
                            CompactString::default()
                        },
                        reason_place_change: CompactString::new(if closed {
                            ep.reason
                        } else {
                            ""
                        }),
                        home_post: CompactString::default(),
                        pl_post: CompactString::default(),
                        urn: CompactString::default(),
                    });
                }
            }
            if !any {
                continue;
            }
            let row = out.header.len() - counts_before[0] + 1;
            out.header.push(HeaderRow {
                src: src(0, row),
                child: CompactString::new(id),
                sex: child.sex.into(),
                dob: date(child.dob),
                ethnic: child.ethnic.into(),
                sibling_group: Some(child.sibling),
                disability: Some(child.disability),
            });
            let Some(a) = &child.adoption else { continue };
            // The PlacedAdoption row belongs to the returns of the years the decision is in force
            // (a reversal dated before the year is not repeated: DfE rule 118).
            if a.adm > ye || a.ceased.is_some_and(|c| c.0 < ys) {
                continue;
            }
            let row = out.placed_adoption.len() - counts_before[3] + 1;
            let ceased = a.ceased.filter(|c| c.0 <= ye);
            out.placed_adoption.push(PlacedAdoptionRow {
                src: src(3, row),
                child: CompactString::new(id),
                dob: date(child.dob),
                date_placed: date(a.adm),
                date_placed_ceased: ceased.and_then(|c| date(c.0)),
                reason_placed_ceased: ceased.map(|c| CompactString::new(c.1)).unwrap_or_default(),
            });
            if let Some(m) = a.matched.filter(|&m| m <= ye) {
                let row = out.ad1.len() - counts_before[2] + 1;
                out.ad1.push(Ad1Row {
                    src: src(2, row),
                    child: CompactString::new(id),
                    dob: date(child.dob),
                    date_int: date(a.adm),
                    date_match: date(m),
                    foster_care: CompactString::new(if a.foster_care { "1" } else { "0" }),
                    nb_adoptr: a.nb_adoptr.into(),
                    sex_adoptr: a.sex_adoptr.into(),
                    ls_adoptr: a.ls_adoptr.into(),
                });
            }
        }
        let counts_after = [
            out.header.len(),
            out.episodes.len(),
            out.ad1.len(),
            out.placed_adoption.len(),
        ];
        for (t, table) in Table::ALL.iter().enumerate() {
            out.files.push(FileInfo {
                path: format!("{la}/{year}/{}.csv", table.file_stem()),
                table: *table,
                la: la.to_string(),
                year,
                rows: (counts_after[t] - counts_before[t]) as u64,
                encoding: "utf-8".to_string(),
            });
        }
    }
    out
}
