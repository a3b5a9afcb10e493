//! Heap bytes held by the 1M × 10M match, over its input arrays, phase by phase: a counting
//! allocator (this bench binary only; the library forbids unsafe code) records the peak of live
//! bytes. The RSS that `benches/bench_psm.py` reports is higher by what the allocator keeps.
//!
//!     cargo bench -p raa-impact --bench psm_memory
//!
//! Phases: the whole `match_units` call; then its parts, each with what the previous ones left
//! alive: the kernel (sorted groups kept), the eCDF of the distance before matching with the
//! sorted copy thinned to the matched units (and freed), the weights, the eCDF after matching,
//! and the distance materialised again.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use raa_impact::balance::ecdf::{EcdfWeights, SortedColumn};
use raa_impact::psm::kernel::{match_nearest_sorted, DistanceScale, KernelInput, KernelOptions};
use raa_impact::psm::score::logit;
use raa_impact::psm::weights::{from_matches, matched_rows};
use raa_impact::psm::{match_units, MatchInput, MatchOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            let now = if new_size >= layout.size() {
                LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size()
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed)
                    - (layout.size() - new_size)
            };
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const MIB: f64 = 1024.0 * 1024.0;

/// Runs `f`, printing its peak and what it left alive, both over the live bytes before it.
fn phase<T>(label: &str, input_bytes: usize, f: impl FnOnce() -> T) -> T {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = f();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let left = LIVE.load(Ordering::Relaxed) as f64 - before as f64;
    println!(
        "{label:<58} peak +{:7.1} MiB ({:.2}x the input), leaves {:+7.1} MiB",
        peak as f64 / MIB,
        peak as f64 / input_bytes as f64,
        left / MIB
    );
    out
}

fn main() {
    let (n1, n0) = (1_000_000, 10_000_000);
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut normal = || {
        // Box-Muller: enough for a workload shaped like bench_psm.py's.
        let (u, v): (f64, f64) = (rng.random(), rng.random());
        (-2.0 * (1.0 - u).ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let treated: Vec<bool> = (0..n1 + n0).map(|i| i < n1).collect();
    let score: Vec<f64> = (0..n1 + n0)
        .map(|i| {
            let z = normal() + if i < n1 { 0.5 } else { -0.5 };
            1.0 / (1.0 + (-z).exp())
        })
        .collect();
    let input_bytes = score.len() * 8 + treated.len();
    println!(
        "{n1} treated x {n0} controls; input arrays {:.1} MiB",
        input_bytes as f64 / MIB
    );
    let input = MatchInput {
        treated: &treated,
        score: Some(&score),
        ..Default::default()
    };
    for replace in [false, true] {
        let options = MatchOptions {
            caliper: Some(0.2),
            replace,
            ..Default::default()
        };
        let m = phase(
            &format!("match_units, replace = {replace}"),
            input_bytes,
            || match_units(&input, &options).expect("match"),
        );
        drop(m);
    }
    // The parts, as match_units runs them for a supplied score (caliper from a previous run).
    let width = {
        let options = MatchOptions {
            caliper: Some(0.2),
            ..Default::default()
        };
        match_units(&input, &options).expect("match").caliper_width
    };
    let kernel_input = KernelInput {
        distance: &score,
        scale: DistanceScale::LogitOfProbability,
        treated: &treated,
        ..Default::default()
    };
    let kernel_options = KernelOptions {
        caliper: width,
        ..Default::default()
    };
    let (matches, sorted) = phase("  kernel (sorted groups kept)", input_bytes, || {
        match_nearest_sorted(&kernel_input, &kernel_options, true).expect("kernel")
    });
    let (before, thin) = phase(
        "  eCDF before matching, sorted copy thinned and freed",
        input_bytes,
        || {
            let s = sorted.expect("sorted groups");
            let keep = matched_rows(&[&matches], treated.len());
            SortedColumn::from_sorted_groups(s.others, s.focal)
                .differences_and_thin(&[EcdfWeights::Unit], &keep)
        },
    );
    let weights = phase("  weights", input_bytes, || {
        from_matches(&matches, treated.len())
    });
    let after = phase(
        "  eCDF after matching, from the thinned copy",
        input_bytes,
        || {
            thin.differences(weights.rows(), weights.values())
                .expect("kept rows")
        },
    );
    let differences = (before[0], after);
    let distance = phase("  distance materialised again", input_bytes, || {
        logit(&score)
    });
    println!(
        "(eCDF differences {:?}; distance of row 0 {})",
        differences, distance[0]
    );
}
