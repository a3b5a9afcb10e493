//! The assignment space of a multiple-baseline design: which vectors of start times (one per unit)
//! the randomisation could have produced.
//!
//! All three classical schemes share one representation: a list of windows of admissible start
//! times, and a flag saying whether units are permuted over those windows.
//!
//! * Marascuilo–Busk: window `k` belongs to unit `k`; each unit's start is drawn within its own
//!   window, independently. `∏ |W_k|` assignments.
//! * Wampold–Worsham: `N` fixed stagger positions (windows of width one) and all `N!` ways of giving
//!   them to the `N` units.
//! * Koehler–Levin: units permuted over positions *and* each position's start drawn within its
//!   window. `N! · ∏ |W_k|` assignments.
//!
//! Positions with equal start times (Wampold–Worsham) give equal start vectors from different
//! permutations; each permutation is one equally likely assignment, so they are counted with
//! multiplicity, which is what the randomisation distribution requires.

use serde::{Deserialize, Serialize};

use super::index;
use crate::{Error, Result};

/// An inclusive range of admissible start times `first..=last` (any integer time unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First admissible start time.
    pub first: i64,
    /// Last admissible start time (inclusive).
    pub last: i64,
}

impl Window {
    /// A window `first..=last`.
    pub fn new(first: i64, last: i64) -> Self {
        Window { first, last }
    }

    /// A window holding one start time (a fixed stagger position).
    pub fn at(time: i64) -> Self {
        Window {
            first: time,
            last: time,
        }
    }

    /// Number of admissible start times (0 when `last < first`).
    pub fn len(&self) -> u64 {
        if self.last < self.first {
            0
        } else {
            self.last.abs_diff(self.first).saturating_add(1)
        }
    }

    /// Whether the window admits no start time.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `t` is an admissible start.
    pub fn contains(&self, t: i64) -> bool {
        self.first <= t && t <= self.last
    }
}

/// The randomisation scheme of a multiple-baseline design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scheme {
    /// Each unit's start drawn independently within its own window.
    MarascuiloBusk,
    /// Units assigned to fixed stagger positions: all `N!` permutations.
    WampoldWorsham,
    /// Units permuted over positions and each position's start drawn within its window.
    KoehlerLevin,
}

/// A multiple-baseline design: its scheme and windows. Build one with
/// [`Design::marascuilo_busk`], [`Design::wampold_worsham`] or [`Design::koehler_levin`].
///
/// ```
/// use raa_impact::randomisation::{Design, Window};
/// let d = Design::koehler_levin(vec![Window::new(4, 5), Window::new(8, 9), Window::new(12, 13)]).unwrap();
/// assert_eq!(d.n_assignments(), Some(6 * 8));
/// let mut starts = [0i64; 3];
/// d.assignment_into(0, &mut starts);
/// assert_eq!(starts, [4, 8, 12]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Design {
    scheme: Scheme,
    windows: Vec<Window>,
}

impl Design {
    /// Marascuilo–Busk: `windows[k]` is unit `k`'s window of admissible starts.
    pub fn marascuilo_busk(windows: Vec<Window>) -> Result<Self> {
        check_windows(&windows, "unit")?;
        Ok(Design {
            scheme: Scheme::MarascuiloBusk,
            windows,
        })
    }

    /// Wampold–Worsham: `n_units` units over the fixed stagger `positions` (one per unit).
    pub fn wampold_worsham(n_units: usize, positions: &[i64]) -> Result<Self> {
        if positions.len() != n_units {
            return Err(Error::argument(
                "positions",
                format!(
                    "has {} stagger positions for {n_units} units; Wampold–Worsham assigns each unit \
                     exactly one position, so the counts must be equal",
                    positions.len()
                ),
            ));
        }
        let windows: Vec<Window> = positions.iter().map(|&t| Window::at(t)).collect();
        check_windows(&windows, "position")?;
        Ok(Design {
            scheme: Scheme::WampoldWorsham,
            windows,
        })
    }

    /// Koehler–Levin: `windows[k]` is stagger position `k`'s window; units are permuted over positions.
    pub fn koehler_levin(windows: Vec<Window>) -> Result<Self> {
        check_windows(&windows, "position")?;
        Ok(Design {
            scheme: Scheme::KoehlerLevin,
            windows,
        })
    }

    /// A design of any scheme from windows (per unit for Marascuilo–Busk, per position otherwise;
    /// Wampold–Worsham positions are windows of one start time), for callers that choose the
    /// scheme at run time.
    ///
    /// ```
    /// use raa_impact::randomisation::{Design, Scheme, Window};
    /// let d = Design::new(Scheme::WampoldWorsham, vec![Window::at(3), Window::at(6)]).unwrap();
    /// assert_eq!(d.n_assignments(), Some(2));
    /// assert!(Design::new(Scheme::WampoldWorsham, vec![Window::new(3, 4)]).is_err());
    /// ```
    pub fn new(scheme: Scheme, windows: Vec<Window>) -> Result<Self> {
        match scheme {
            Scheme::MarascuiloBusk => Design::marascuilo_busk(windows),
            Scheme::KoehlerLevin => Design::koehler_levin(windows),
            Scheme::WampoldWorsham => {
                if let Some(k) = windows.iter().position(|w| w.first != w.last) {
                    return Err(Error::argument(
                        "windows",
                        format!(
                            "position {k} is {}..={}; Wampold–Worsham positions are single start times",
                            windows[k].first, windows[k].last
                        ),
                    ));
                }
                let positions: Vec<i64> = windows.iter().map(|w| w.first).collect();
                Design::wampold_worsham(positions.len(), &positions)
            }
        }
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The windows (per unit for Marascuilo–Busk, per position otherwise).
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.windows.len()
    }

    /// Whether units are permuted over positions.
    fn permutes(&self) -> bool {
        self.scheme != Scheme::MarascuiloBusk
    }

    /// Number of start vectors from the windows alone (`∏ |W_k|`), if it fits in a `u64`.
    fn n_window_choices(&self) -> Option<u64> {
        self.windows
            .iter()
            .try_fold(1u64, |acc, w| acc.checked_mul(w.len()))
    }

    /// Number of assignments, or `None` when it exceeds `u64::MAX`.
    pub fn n_assignments(&self) -> Option<u64> {
        let windows = self.n_window_choices()?;
        if self.permutes() {
            index::factorial(self.n_units())?.checked_mul(windows)
        } else {
            Some(windows)
        }
    }

    /// `log10` of the number of assignments (finite even when the count itself overflows).
    pub fn log10_n_assignments(&self) -> f64 {
        let windows: f64 = self.windows.iter().map(|w| (w.len() as f64).log10()).sum();
        let perms: f64 = if self.permutes() {
            (2..=self.n_units()).map(|k| (k as f64).log10()).sum()
        } else {
            0.0
        };
        windows + perms
    }

    /// Writes assignment number `index` (in `0..n_assignments()`) into `starts`, one start per unit.
    /// The order is fixed: the permutation's Lehmer rank is the most significant digit, then the
    /// windows in mixed radix (the last window varies fastest). Panics are impossible for
    /// `index < n_assignments()`; larger indices wrap within the permutation rank.
    pub fn assignment_into(&self, index: u64, starts: &mut [i64]) {
        let n = self.n_units();
        let radix = self.n_window_choices().unwrap_or(u64::MAX);
        let (perm_rank, mut window_rank) = (index / radix, index % radix);
        // The start of each window (position), least significant last.
        let mut position_start = vec![0i64; n];
        for k in (0..n).rev() {
            let len = self.windows[k].len();
            position_start[k] = self.windows[k].first + (window_rank % len) as i64;
            window_rank /= len;
        }
        if self.permutes() {
            let mut perm = vec![0usize; n];
            index::lehmer_decode(perm_rank, &mut perm);
            for (s, p) in starts.iter_mut().zip(&perm) {
                *s = position_start[*p];
            }
        } else {
            starts.copy_from_slice(&position_start);
        }
    }

    /// Checks that `observed` (one start per unit) is one of the design's assignments; the error
    /// names the unit whose start cannot be produced by the design.
    pub fn check_observed(&self, observed: &[i64]) -> Result<()> {
        if observed.len() != self.n_units() {
            return Err(Error::argument(
                "observed",
                format!(
                    "has {} start times, expected one per unit ({})",
                    observed.len(),
                    self.n_units()
                ),
            ));
        }
        if self.permutes() {
            return super::matching::check_matchable(&self.windows, observed);
        }
        match (0..observed.len()).find(|&i| !self.windows[i].contains(observed[i])) {
            Some(i) => Err(Error::argument(
                "observed",
                format!(
                    "unit {i} starts at {}, outside its window {}..={}",
                    observed[i], self.windows[i].first, self.windows[i].last
                ),
            )),
            None => Ok(()),
        }
    }

    /// Earliest and latest start the design can give unit `unit`.
    pub fn start_range(&self, unit: usize) -> (i64, i64) {
        if self.permutes() {
            let first = self.windows.iter().map(|w| w.first).min().unwrap_or(0);
            let last = self.windows.iter().map(|w| w.last).max().unwrap_or(0);
            (first, last)
        } else {
            (self.windows[unit].first, self.windows[unit].last)
        }
    }

    /// Error unless every start the design can give lies within `first..=last` (e.g. the panel's
    /// periods, when the statistic is a user closure that cannot check this itself).
    pub fn check_within(&self, first: i64, last: i64) -> Result<()> {
        match self
            .windows
            .iter()
            .position(|w| w.first < first || w.last > last)
        {
            Some(k) => Err(Error::argument(
                "windows",
                format!(
                    "{} {k}'s window {}..={} is not inside the series {first}..={last}",
                    self.window_owner(),
                    self.windows[k].first,
                    self.windows[k].last
                ),
            )),
            None => Ok(()),
        }
    }

    /// What a window belongs to, for messages.
    pub(crate) fn window_owner(&self) -> &'static str {
        if self.permutes() {
            "position"
        } else {
            "unit"
        }
    }
}

fn check_windows(windows: &[Window], owner: &str) -> Result<()> {
    if windows.is_empty() {
        return Err(Error::argument("windows", "no units: the design is empty"));
    }
    match windows.iter().position(|w| w.is_empty()) {
        Some(k) => Err(Error::argument(
            "windows",
            format!(
                "{owner} {k}'s window {}..={} is empty, expected first ≤ last",
                windows[k].first, windows[k].last
            ),
        )),
        None => Ok(()),
    }
}
