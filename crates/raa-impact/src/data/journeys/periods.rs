//! Splitting a child's episodes into periods of care.
//!
//! A period of care starts at an episode with RNE `S` (started to be looked after) and runs until
//! an episode that ends with a REC other than `X1` (`X1` = the episode ended and the next one
//! began the same day, so the child stayed in care). When the child's first episode is not `S`
//! the returns begin in the middle of a period: that period opens at its first episode and is
//! *left-truncated*.

use crate::data::date::Date;
use crate::data::ssda903::EpisodeRow;
use std::cmp::Ordering;

/// One period of care of one child.
#[derive(Debug, Clone)]
pub(crate) struct Period<'a> {
    /// The period's episodes in DECOM order (all starting on or before the cut).
    pub episodes: &'a [&'a EpisodeRow],
    /// DECOM of the first episode.
    pub entry: Date,
    /// DEC and REC of the last episode when the period ended on or before the cut.
    pub end: Option<(Date, &'a str)>,
    /// The first episode is not RNE `S`.
    pub left_truncated: bool,
}

impl Period<'_> {
    /// The last day a record can belong to this period: its end, or the cut while it runs.
    pub fn last_day(&self, cut: Date) -> Date {
        self.end.map_or(cut, |(d, _)| d)
    }
}

/// The order of episodes: DECOM, then an episode that ended before one still open (a zero-day
/// episode precedes the one that follows it on the same day), then their source and codes so
/// that the order never depends on the order of the input rows.
pub(crate) fn episode_order(a: &EpisodeRow, b: &EpisodeRow) -> Ordering {
    let dec_key = |e: &EpisodeRow| (e.dec.is_none(), e.dec);
    a.decom
        .cmp(&b.decom)
        .then_with(|| dec_key(a).cmp(&dec_key(b)))
        .then_with(|| (a.src.year, a.src.file, a.src.row).cmp(&(b.src.year, b.src.file, b.src.row)))
        .then_with(|| (&a.rne, &a.ls, &a.place, &a.rec).cmp(&(&b.rne, &b.ls, &b.place, &b.rec)))
        .then_with(|| (&a.cin, &a.place_provider).cmp(&(&b.cin, &b.place_provider)))
}

/// Keep, among episodes that start on the same day, only those of the latest collection year:
/// an earlier return's version of an episode that a later return repeats (typically still open
/// in the earlier one) is superseded. The `dedup` step normally does this before; doing it here
/// too keeps a repeat from splitting a period. Episodes of one return that start on the same day
/// (a zero-day episode and its successor) are all kept. `episodes` must be sorted by
/// [`episode_order`]; returns the number dropped.
pub(crate) fn drop_superseded(episodes: &mut Vec<&EpisodeRow>) -> usize {
    let before = episodes.len();
    let mut kept: Vec<&EpisodeRow> = Vec::with_capacity(before);
    for same_day in episodes.chunk_by(|a, b| a.decom == b.decom) {
        let latest = same_day.iter().map(|e| e.src.year).max();
        kept.extend(same_day.iter().filter(|e| Some(e.src.year) == latest));
    }
    *episodes = kept;
    before - episodes.len()
}

/// The date and code with which `e` ends its period of care by `cut`, if it does.
fn period_end(e: &EpisodeRow, cut: Date) -> Option<(Date, &str)> {
    let dec = e.dec.filter(|&d| d <= cut)?;
    let rec = e.rec.as_str();
    (!rec.is_empty() && rec != "X1").then_some((dec, rec))
}

/// Split `episodes` (sorted by [`episode_order`], every DECOM present and on or before `cut`)
/// into periods of care.
///
/// Returns the reason as `Err` when the sequence is inconsistent — a new entry (RNE `S`) while the
/// previous period is still running, or an episode after the end of a period that is not a new
/// entry — because a journey built from such records would be wrong.
pub(crate) fn split_periods<'a>(
    episodes: &'a [&'a EpisodeRow],
    cut: Date,
) -> Result<Vec<Period<'a>>, String> {
    let mut periods: Vec<Period<'a>> = Vec::new();
    // The index of the open period's first episode, while one is open.
    let mut open: Option<usize> = None;
    for (i, &e) in episodes.iter().enumerate() {
        let Some(decom) = e.decom else {
            return Err("episode without DECOM".to_string());
        };
        let is_entry = e.rne == "S";
        let first = match open {
            Some(_) if is_entry => {
                return Err(format!(
                    "new entry to care (RNE S) on {decom} before the previous period of care ended"
                ))
            }
            Some(first) => first,
            None if !periods.is_empty() && !is_entry => {
                return Err(format!(
                    "episode starting {decom} after the end of a period of care is not a new entry (RNE {})",
                    e.rne
                ))
            }
            None => {
                periods.push(Period {
                    episodes: &episodes[i..=i],
                    entry: decom,
                    end: None,
                    left_truncated: !is_entry,
                });
                i
            }
        };
        let end = period_end(e, cut);
        if let Some(current) = periods.last_mut() {
            current.episodes = &episodes[first..=i];
            current.end = end;
        }
        open = if end.is_none() { Some(first) } else { None };
    }
    Ok(periods)
}
