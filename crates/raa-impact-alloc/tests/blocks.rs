//! The allocator as a program's global allocator: blocks on both sides of the threshold keep
//! their contents through growth, shrinking and moves across it, zeroed blocks are zero, large
//! alignments are met, and threads may free each other's blocks.

use raa_impact_alloc::{Allocator, LARGE};

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

fn pattern(n: usize) -> Vec<u32> {
    (0..n as u32)
        .map(|i| i.wrapping_mul(2_654_435_761))
        .collect()
}

#[test]
fn contents_survive_growth_and_shrinking_across_the_threshold() {
    let mut v: Vec<u32> = Vec::new();
    // Pushes grow the block from bytes through the threshold to 64 MiB (remapped, it may move).
    let n = 16 << 20;
    for i in 0..n as u32 {
        v.push(i.wrapping_mul(2_654_435_761));
    }
    assert_eq!(v, pattern(n));
    // Shrink within mapped sizes, then below the threshold (copied back to the system allocator).
    v.truncate(3 * LARGE / 4);
    v.shrink_to_fit();
    assert_eq!(v, pattern(3 * LARGE / 4));
    v.truncate(1000);
    v.shrink_to_fit();
    assert_eq!(v, pattern(1000));
}

#[test]
fn zeroed_blocks_are_zero_even_where_memory_was_used_before() {
    for _ in 0..20 {
        let mut a = vec![7u8; 3 * LARGE + 5];
        a[LARGE] = 1;
        drop(a);
        let b = vec![0u64; (3 * LARGE + 5) / 8];
        assert!(b.iter().all(|x| *x == 0));
    }
}

#[test]
fn large_alignments_are_met() {
    #[repr(align(8192))]
    struct Wide([u8; 8192]);
    // 3.2 MiB, aligned 8 KiB: large, but an alignment beyond a page goes to the system allocator.
    let v: Vec<Wide> = (0..400).map(|_| Wide([3; 8192])).collect();
    assert_eq!(v.as_ptr() as usize % 8192, 0);
    assert!(v.iter().all(|w| w.0.iter().all(|b| *b == 3)));
    let big: Vec<u64> = pattern(LARGE).into_iter().map(u64::from).collect();
    assert_eq!(big.as_ptr() as usize % 4096, 0);
}

#[test]
fn blocks_freed_by_other_threads() {
    let blocks: Vec<Vec<u32>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4).map(|_| s.spawn(|| pattern(LARGE))).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    std::thread::scope(|s| {
        for b in blocks {
            s.spawn(move || assert_eq!(b, pattern(LARGE)));
        }
    });
}
