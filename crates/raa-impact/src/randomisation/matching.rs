//! Whether observed start times can be produced by a permuting design: a perfect matching of units
//! to positions, each unit's start inside its position's window.

use super::design::Window;
use crate::{Error, Result};

/// Error unless each observed start can be matched to a distinct window containing it.
///
/// Greedy is exact for points and intervals: take starts in increasing order and give each the
/// free window containing it that closes first (the classical interval-scheduling exchange argument).
pub fn check_matchable(windows: &[Window], observed: &[i64]) -> Result<()> {
    let mut order: Vec<usize> = (0..observed.len()).collect();
    order.sort_by_key(|&i| (observed[i], i));
    let mut used = vec![false; windows.len()];
    for unit in order {
        let t = observed[unit];
        let best = (0..windows.len())
            .filter(|&k| !used[k] && windows[k].contains(t))
            .min_by_key(|&k| (windows[k].last, k));
        match best {
            Some(k) => used[k] = true,
            None => {
                return Err(Error::argument(
                    "observed",
                    format!(
                        "unit {unit} starts at {t}, which no free stagger position's window \
                         admits: the observed starts are not an assignment of this design"
                    ),
                ))
            }
        }
    }
    Ok(())
}
