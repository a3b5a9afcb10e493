//! Nearest neighbours with all ties kept (Matching's rule): the matches of a focal unit are every
//! candidate whose squared distance is at most the M-th smallest squared distance plus a tolerance.
//!
//! One covariate: candidates sorted once, then a two-pointer walk and two binary searches per focal
//! unit (O(n log n) in all). Several covariates: brute force over the candidates. Both compute the
//! squared distance the same way, `(cⱼ − cᵢ)²` summed over dimensions, so they select the same sets.

use rayon::prelude::*;

/// Candidates that focal units may be matched to.
pub(crate) struct Pool<'a> {
    coords: &'a [Vec<f64>],
    members: Vec<usize>,
    /// One-dimensional case only: (coordinate, row) sorted by coordinate then row.
    sorted: Option<Vec<(f64, usize)>>,
}

impl<'a> Pool<'a> {
    /// Pool of `members` (rows) in the space `coords`; `fast` enables the sorted 1-D path.
    pub(crate) fn new(coords: &'a [Vec<f64>], members: Vec<usize>, fast: bool) -> Self {
        let sorted = (fast && coords.len() == 1).then(|| {
            let mut s: Vec<(f64, usize)> = members.iter().map(|&j| (coords[0][j], j)).collect();
            s.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            s
        });
        Pool {
            coords,
            members,
            sorted,
        }
    }

    /// Matches of every focal row, in the order of `focal`; each set in row order.
    /// `m` must not exceed the number of members other than the focal row itself.
    pub(crate) fn match_all(&self, focal: &[usize], m: usize, tol: f64) -> Vec<Vec<usize>> {
        focal
            .par_iter()
            .map(|&i| self.matches_of(i, m, tol))
            .collect()
    }

    /// Matches of focal row `i` (never `i` itself).
    pub(crate) fn matches_of(&self, i: usize, m: usize, tol: f64) -> Vec<usize> {
        match &self.sorted {
            Some(s) => sorted_matches(s, self.coords[0][i], i, m, tol),
            None => brute_matches(self.coords, &self.members, i, m, tol),
        }
    }
}

fn sq_dist(coords: &[Vec<f64>], i: usize, j: usize) -> f64 {
    coords
        .iter()
        .map(|c| {
            let d = c[j] - c[i];
            d * d
        })
        .sum()
}

fn brute_matches(
    coords: &[Vec<f64>],
    members: &[usize],
    i: usize,
    m: usize,
    tol: f64,
) -> Vec<usize> {
    let dist: Vec<(f64, usize)> = members
        .iter()
        .filter(|&&j| j != i)
        .map(|&j| (sq_dist(coords, i, j), j))
        .collect();
    if m == 0 || dist.len() < m {
        return Vec::new();
    }
    let mut d: Vec<f64> = dist.iter().map(|e| e.0).collect();
    let (_, kth, _) = d.select_nth_unstable_by(m - 1, f64::total_cmp);
    let limit = *kth + tol;
    let mut out: Vec<usize> = dist.iter().filter(|e| e.0 <= limit).map(|e| e.1).collect();
    out.sort_unstable();
    out
}

fn sorted_matches(s: &[(f64, usize)], v: f64, i: usize, m: usize, tol: f64) -> Vec<usize> {
    let d = |e: &(f64, usize)| {
        let t = e.0 - v;
        t * t
    };
    let p = s.partition_point(|e| e.0 < v);
    // Two-pointer walk outwards from v: the k-th pick is the k-th smallest distance.
    let (mut lo, mut hi, mut picked, mut kth) = (p, p, 0usize, f64::NAN);
    while picked < m {
        let left = (lo > 0).then(|| &s[lo - 1]);
        let right = s.get(hi);
        let take_left = match (left, right) {
            (Some(l), Some(r)) => d(l) <= d(r),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return Vec::new(),
        };
        let e = if take_left {
            lo -= 1;
            &s[lo]
        } else {
            hi += 1;
            &s[hi - 1]
        };
        if e.1 != i {
            picked += 1;
            kth = d(e);
        }
    }
    let limit = kth + tol;
    // Below v the distance falls as the position rises, above v it rises: each side is one run.
    let first = s[..p].partition_point(|e| d(e) > limit);
    let last = p + s[p..].partition_point(|e| d(e) <= limit);
    let mut out: Vec<usize> = s[first..last]
        .iter()
        .map(|e| e.1)
        .filter(|&j| j != i)
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The sorted 1-D path selects exactly the brute-force sets, ties and self-exclusion included.
        #[test]
        fn sorted_equals_brute(
            vals in prop::collection::vec(0u8..12, 2..60),
            in_pool in prop::collection::vec(any::<bool>(), 60),
            m in 1usize..4,
            tol in prop::sample::select(vec![0.0, 1e-5, 0.3, 2.0]),
        ) {
            let n = vals.len();
            let coords = vec![vals.iter().map(|&v| f64::from(v) * 0.5).collect::<Vec<f64>>()];
            let members: Vec<usize> = (0..n).filter(|&j| in_pool[j]).collect();
            let fast = Pool::new(&coords, members.clone(), true);
            let slow = Pool::new(&coords, members.clone(), false);
            for i in 0..n {
                let others = members.iter().filter(|&&j| j != i).count();
                let mm = m.min(others);
                if mm == 0 { continue; }
                prop_assert_eq!(fast.matches_of(i, mm, tol), slow.matches_of(i, mm, tol));
            }
        }
    }
}
