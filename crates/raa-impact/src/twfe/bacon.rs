//! The Goodman-Bacon (2021) decomposition: in a balanced panel, the TWFE coefficient is a weighted
//! average of every 2×2 difference-in-differences between timing groups, with weights that grow
//! with each pair's size and with the variance of treatment within the pair. Comparisons that
//! use already-treated units as controls ("forbidden" comparisons) show why TWFE misleads when
//! effects change over time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::panel::Panel;
use super::within::double_demean;
use crate::{Error, Result};

/// The kind of a 2×2 comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ComparisonKind {
    /// An earlier-treated group against a later-treated group not yet treated.
    EarlierVsLaterTreated,
    /// A later-treated group against an earlier-treated group already treated (forbidden).
    LaterVsEarlierTreated,
    /// A treated group against never-treated units.
    TreatedVsNeverTreated,
    /// A treated group against units treated from the first period (forbidden).
    LaterVsAlwaysTreated,
}

/// One 2×2 comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaconComparison {
    /// The kind of comparison.
    pub kind: ComparisonKind,
    /// First treated period (time label) of the group whose treatment change is used.
    pub treated: i64,
    /// First treated period of the control group; `None` for never-treated controls.
    pub control: Option<i64>,
    /// The 2×2 difference-in-differences.
    pub estimate: f64,
    /// Its weight in the TWFE coefficient.
    pub weight: f64,
}

/// Total weight and weighted mean estimate of one kind of comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaconKindSummary {
    /// The kind.
    pub kind: ComparisonKind,
    /// Sum of the weights of this kind.
    pub weight: f64,
    /// Weighted mean of the estimates of this kind.
    pub estimate: f64,
}

/// The decomposition: weights sum to one and `Σ weight · estimate` equals the TWFE coefficient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaconDecomposition {
    /// The TWFE coefficient, `Σ weight · estimate`.
    pub twfe: f64,
    /// Every 2×2 comparison with a positive weight.
    pub comparisons: Vec<BaconComparison>,
    /// Summary by kind.
    pub by_kind: Vec<BaconKindSummary>,
}

/// A timing group: units first treated at the same period (`None`: never treated).
struct Group {
    first: Option<usize>,
    share: f64,
    /// Mean outcome of the group's units at each time.
    mean: Vec<f64>,
}

impl Group {
    fn window_mean(&self, from: usize, to: usize) -> f64 {
        self.mean[from..to].iter().sum::<f64>() / (to - from) as f64
    }
}

/// Goodman-Bacon decomposition of the TWFE coefficient of a balanced panel.
///
/// ```
/// use raa_impact::twfe::{bacon_decomposition, twfe, Panel};
/// use raa_impact::inference::ClusterAdjust;
/// let unit = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3];
/// let time = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4];
/// let d = [0., 1., 1., 1., 0., 0., 0., 1., 0., 0., 0., 0.];
/// let y = [1., 3., 4., 5., 2., 2., 3., 5., 0., 1., 1., 2.];
/// let p = Panel::new(&unit, &time, &d, &y).unwrap();
/// let b = bacon_decomposition(&p).unwrap();
/// let total: f64 = b.comparisons.iter().map(|c| c.weight).sum();
/// assert!((total - 1.0).abs() < 1e-12);
/// assert!((b.twfe - twfe(&p, ClusterAdjust::None).unwrap().coefficient).abs() < 1e-12);
/// ```
pub fn bacon_decomposition(panel: &Panel) -> Result<BaconDecomposition> {
    let (nu, nt) = (panel.n_units(), panel.n_times());
    let d: Vec<f64> = panel
        .treated
        .iter()
        .map(|&b| f64::from(u8::from(b)))
        .collect();
    let vd = double_demean(&d, nu, nt).iter().map(|v| v * v).sum::<f64>() / (nu * nt) as f64;
    if vd <= 1e-12 {
        return Err(Error::argument(
            "treated",
            "has no variation left after unit and time effects: nothing to decompose",
        ));
    }
    let groups = timing_groups(panel);
    let tf = nt as f64;
    // Share of periods treated, D̄_k.
    let dbar = |g: &Group| g.first.map_or(0.0, |f| (nt - f) as f64 / tf);
    let mut out = Vec::new();
    for (a, k) in groups.iter().enumerate() {
        for l in &groups[a + 1..] {
            let n_pair = k.share / (k.share + l.share);
            let pair = (k.share + l.share).powi(2) * n_pair * (1.0 - n_pair) / vd;
            let (dk, dl) = (dbar(k), dbar(l));
            match (k.first, l.first) {
                (Some(fk), None) if fk > 0 => out.push(BaconComparison {
                    kind: ComparisonKind::TreatedVsNeverTreated,
                    treated: panel.times[fk],
                    control: None,
                    estimate: did(k, l, (0, fk), (fk, nt)),
                    weight: pair * dk * (1.0 - dk),
                }),
                (Some(fk), Some(fl)) => {
                    // Groups are sorted by first treated period, so k is the earlier one.
                    if fk > 0 {
                        out.push(BaconComparison {
                            kind: ComparisonKind::EarlierVsLaterTreated,
                            treated: panel.times[fk],
                            control: Some(panel.times[fl]),
                            estimate: did(k, l, (0, fk), (fk, fl)),
                            weight: pair
                                * (1.0 - dl).powi(2)
                                * ((dk - dl) / (1.0 - dl))
                                * ((1.0 - dk) / (1.0 - dl)),
                        });
                    }
                    out.push(BaconComparison {
                        kind: if fk == 0 {
                            ComparisonKind::LaterVsAlwaysTreated
                        } else {
                            ComparisonKind::LaterVsEarlierTreated
                        },
                        treated: panel.times[fl],
                        control: Some(panel.times[fk]),
                        estimate: did(l, k, (fk, fl), (fl, nt)),
                        weight: pair * dk.powi(2) * (dl / dk) * ((dk - dl) / dk),
                    });
                }
                _ => {}
            }
        }
    }
    out.retain(|c| c.weight > 0.0);
    let twfe = out.iter().map(|c| c.weight * c.estimate).sum();
    let by_kind = summarise(&out);
    Ok(BaconDecomposition {
        twfe,
        comparisons: out,
        by_kind,
    })
}

/// `(ȳ_treated^post − ȳ_treated^pre) − (ȳ_control^post − ȳ_control^pre)` over windows `[from, to)`.
fn did(treated: &Group, control: &Group, pre: (usize, usize), post: (usize, usize)) -> f64 {
    (treated.window_mean(post.0, post.1) - treated.window_mean(pre.0, pre.1))
        - (control.window_mean(post.0, post.1) - control.window_mean(pre.0, pre.1))
}

/// Timing groups ordered by first treated period, never-treated last.
fn timing_groups(panel: &Panel) -> Vec<Group> {
    let (nu, nt) = (panel.n_units(), panel.n_times());
    let mut members: BTreeMap<(bool, usize), Vec<usize>> = BTreeMap::new();
    for (i, f) in panel.first_treated.iter().enumerate() {
        let key = match f {
            Some(f) => (false, *f),
            None => (true, 0),
        };
        members.entry(key).or_default().push(i);
    }
    members
        .into_iter()
        .map(|((never, f), units)| {
            let mean = (0..nt)
                .map(|t| units.iter().map(|&i| panel.y_at(i, t)).sum::<f64>() / units.len() as f64)
                .collect();
            Group {
                first: (!never).then_some(f),
                share: units.len() as f64 / nu as f64,
                mean,
            }
        })
        .collect()
}

fn summarise(comparisons: &[BaconComparison]) -> Vec<BaconKindSummary> {
    let mut acc: BTreeMap<ComparisonKind, (f64, f64)> = BTreeMap::new();
    for c in comparisons {
        let e = acc.entry(c.kind).or_insert((0.0, 0.0));
        e.0 += c.weight;
        e.1 += c.weight * c.estimate;
    }
    acc.into_iter()
        .map(|(kind, (w, we))| BaconKindSummary {
            kind,
            weight: w,
            estimate: we / w,
        })
        .collect()
}
