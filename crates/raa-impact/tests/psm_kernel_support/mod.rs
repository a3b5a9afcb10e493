//! A deliberately simple O(n_t · n_c) reference of the greedy kernel's documented rules, used to
//! check the fast kernel on small inputs.
#![allow(dead_code)]

use raa_impact::psm::kernel::{
    KernelInput, KernelOptions, Matches, Order, Ties, Unmatched, UnmatchedReason,
};
use rand::seq::SliceRandom;
use rand::SeedableRng;

pub fn key(inp: &KernelInput, r: usize) -> u64 {
    inp.key.map_or(r as u64, |k| k[r])
}

fn elig(inp: &KernelInput, r: usize) -> bool {
    inp.eligible.is_none_or(|e| e[r])
}

fn valid(inp: &KernelInput, o: &KernelOptions, t: usize, c: usize) -> Option<f64> {
    if let Some(s) = inp.stratum {
        if s[t] != s[c] {
            return None;
        }
    }
    let d = (inp.distance[t] - inp.distance[c]).abs();
    if o.caliper.is_some_and(|cal| d > cal) {
        return None;
    }
    if !inp
        .covariate_calipers
        .iter()
        .all(|(x, w)| (x[t] - x[c]).abs() <= *w)
    {
        return None;
    }
    Some(d)
}

/// (best distance, candidates): `v[0]` is MatchIt's choice (nearest valid control on each side of
/// the focal unit in (distance, key) order, the lower side when equally far within `tolerance`);
/// the rest are the other controls tied with the best by R Matching's rule `d² ≤ best² + tol`.
fn cands(
    inp: &KernelInput,
    o: &KernelOptions,
    t: usize,
    ok: &dyn Fn(usize) -> bool,
) -> Option<(f64, Vec<usize>)> {
    let n = inp.treated.len();
    let ds: Vec<(usize, f64)> = (0..n)
        .filter(|&c| !inp.treated[c] && elig(inp, c) && ok(c))
        .filter_map(|c| valid(inp, o, t, c).map(|d| (c, d)))
        .collect();
    if ds.is_empty() {
        return None;
    }
    let best = ds.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
    // -0.0 and 0.0 are the same distance.
    let place = |i: usize| (inp.distance[i] + 0.0, key(inp, i), i);
    let before = |a: (f64, u64, usize), b: (f64, u64, usize)| {
        a.0.total_cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .is_lt()
    };
    let own = place(t);
    let left = ds
        .iter()
        .filter(|x| before(place(x.0), own))
        .max_by(|a, b| {
            if before(place(a.0), place(b.0)) {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            }
        });
    let right = ds
        .iter()
        .filter(|x| before(own, place(x.0)))
        .min_by(|a, b| {
            if before(place(a.0), place(b.0)) {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            }
        });
    let pick = match (left, right) {
        (Some(a), Some(b)) if a.1 <= b.1 + o.tolerance => a.0,
        (Some(a), None) => a.0,
        (_, Some(b)) => b.0,
        (None, None) => return None,
    };
    let limit = (best * best + o.tolerance).sqrt();
    let mut rest: Vec<usize> = ds
        .iter()
        .filter(|x| x.0 != pick && x.1 <= limit)
        .map(|x| x.0)
        .collect();
    rest.sort_by_key(|&c| (key(inp, c), c));
    let mut v = vec![pick];
    v.extend(rest);
    Some((best, v))
}

fn reason(inp: &KernelInput, o: &KernelOptions, t: usize) -> UnmatchedReason {
    let n = inp.treated.len();
    let has_stratum_control =
        (0..n).any(|c| !inp.treated[c] && elig(inp, c) && inp.stratum.is_none_or(|s| s[c] == s[t]));
    if !has_stratum_control {
        UnmatchedReason::EmptyStratum
    } else if cands(inp, o, t, &|_| true).is_some() {
        UnmatchedReason::ControlsExhausted
    } else {
        UnmatchedReason::NoControlInCaliper
    }
}

pub fn order(inp: &KernelInput, o: &KernelOptions) -> Vec<usize> {
    let n = inp.treated.len();
    let mut t: Vec<usize> = (0..n).filter(|&i| inp.treated[i] && elig(inp, i)).collect();
    let k = |i: usize| (key(inp, i), i);
    // -0.0 and 0.0 are the same distance.
    let d = |i: usize| inp.distance[i] + 0.0;
    match o.order {
        Order::Largest => t.sort_by(|a, b| d(*b).total_cmp(&d(*a)).then(k(*a).cmp(&k(*b)))),
        Order::Smallest | Order::Closest => {
            t.sort_by(|a, b| d(*a).total_cmp(&d(*b)).then(k(*a).cmp(&k(*b))))
        }
        Order::Data => t.sort_by_key(|&i| k(i)),
        Order::Random { seed } => {
            t.sort_by_key(|&i| k(i));
            t.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
        }
    }
    t
}

/// Reference matching: returns per-row control lists, unmatched reasons and the order.
pub fn reference(inp: &KernelInput, o: &KernelOptions) -> Matches {
    let n = inp.treated.len();
    let mut ctl: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut reasons: Vec<Option<UnmatchedReason>> = vec![None; n];
    let ord = order(inp, o);
    let mut match_order: Vec<u32> = Vec::new();
    if o.replace && o.reuse_max.is_none() {
        for &t in &ord {
            let mut last = 0.0;
            for _ in 0..o.ratio {
                let taken = ctl[t].clone();
                match cands(inp, o, t, &|c| !taken.contains(&(c as u32))) {
                    Some((d, v)) => {
                        ctl[t].push(v[0] as u32);
                        last = d;
                    }
                    None => break,
                }
            }
            if ctl[t].is_empty() {
                reasons[t] = Some(reason(inp, o, t));
            } else if o.ties == Ties::All {
                let taken = ctl[t].clone();
                if let Some((_, mut v)) = cands(inp, o, t, &|c| !taken.contains(&(c as u32))) {
                    // The extra ties follow the chosen controls in key order.
                    v.sort_by_key(|&c| (key(inp, c), c));
                    for c in v {
                        let d = (inp.distance[t] - inp.distance[c]).abs();
                        if d * d <= last * last + o.tolerance {
                            ctl[t].push(c as u32);
                        }
                    }
                }
            }
        }
        match_order = ord.iter().map(|&t| t as u32).collect();
    } else {
        let max = if o.replace {
            o.reuse_max.unwrap_or(usize::MAX)
        } else {
            1
        };
        let mut uses = vec![0usize; n];
        let mut active = vec![true; n];
        for round in 0..o.ratio {
            let mut pending: Vec<usize> = ord.iter().copied().filter(|&t| active[t]).collect();
            if o.order == Order::Closest {
                pending.sort_by_key(|&t| (key(inp, t), t));
            }
            let mut failed = Vec::new();
            while !pending.is_empty() {
                let pick = |t: usize, uses: &[usize], ctl: &[Vec<u32>]| {
                    cands(inp, o, t, &|c| {
                        uses[c] < max && !ctl[t].contains(&(c as u32))
                    })
                };
                let idx = if o.order == Order::Closest {
                    let mut best: Option<(usize, f64)> = None;
                    for (k, &t) in pending.iter().enumerate() {
                        if let Some((d, _)) = pick(t, &uses, &ctl) {
                            if best.is_none_or(|b| d < b.1) {
                                best = Some((k, d));
                            }
                        }
                    }
                    match best {
                        Some((k, _)) => k,
                        None => {
                            // Everyone left fails.
                            for t in pending.drain(..) {
                                failed.push(t);
                            }
                            break;
                        }
                    }
                } else {
                    0
                };
                let t = pending.remove(idx);
                match pick(t, &uses, &ctl) {
                    Some((_, v)) => {
                        uses[v[0]] += 1;
                        ctl[t].push(v[0] as u32);
                        if round == 0 && o.order == Order::Closest {
                            match_order.push(t as u32);
                        }
                    }
                    None => failed.push(t),
                }
            }
            if round == 0 {
                for &t in &failed {
                    active[t] = false;
                    reasons[t] = Some(reason(inp, o, t));
                }
                if o.order == Order::Closest {
                    failed.sort_by_key(|&t| (key(inp, t), t));
                    match_order.extend(failed.iter().map(|&t| t as u32));
                }
            }
        }
        if o.order != Order::Closest {
            match_order = ord.iter().map(|&t| t as u32).collect();
        }
    }
    let focal: Vec<u32> = (0..n as u32).filter(|&i| inp.treated[i as usize]).collect();
    let mut offsets = vec![0u32];
    let mut controls = Vec::new();
    let mut unmatched = Vec::new();
    for &f in &focal {
        let f = f as usize;
        controls.extend(&ctl[f]);
        offsets.push(controls.len() as u32);
        let r = if !elig(inp, f) {
            Some(UnmatchedReason::Discarded)
        } else {
            reasons[f]
        };
        if let Some(reason) = r {
            unmatched.push(Unmatched {
                row: f as u32,
                reason,
            });
        }
    }
    Matches {
        focal,
        offsets,
        controls,
        unmatched,
        match_order,
    }
}
