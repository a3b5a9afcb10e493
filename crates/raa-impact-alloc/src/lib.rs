//! The Python extension's global allocator: on Linux with glibc, large blocks are mapped from the
//! kernel one by one and unmapped when freed; smaller ones, and every block elsewhere, come from
//! the system allocator.
//!
//! Why: glibc serves a block below its mmap threshold from a per-thread arena, and after it frees
//! a mapped block it raises that threshold (up to 32 MiB) and the arena's trim threshold (up to 64
//! MiB). The buffers that a large match builds in rayon's worker threads and then frees stay in
//! those arenas: at 1M × 10M units the resident peak was 52 MiB above the live heap (2.4× the
//! input arrays where the heap peaks at 1.85×; 1.9× with this allocator). Mapping large blocks
//! ourselves gives them back at once. Installed by the extension, it serves the extension's own
//! allocations only: the interpreter's allocator and its settings are left alone
//! (`MALLOC_MMAP_THRESHOLD_` would have changed them for the whole process).
//!
//! Blocks are mapped populated (`MAP_POPULATE`): the kernel supplies every page in the mapping
//! call instead of one page fault at a time on first touch. Page faults are dear on a virtual
//! machine; on the 1M × 10M match (2 cores) populating cut the CPU time by 3–5% (0.89 → 0.86 s
//! with replacement, 0.94 → 0.89 s without), wall time 1–2%, with the same resident peak: the
//! pages of a block are all written soon after it is allocated anyway. `ri.match` on an 11M-row
//! DataFrame and reading synthetic England's returns were not slower.
//!
//! Fresh mappings are zero, so zeroed blocks cost no clearing. They are not advised as
//! transparent huge pages: that made the 1M × 10M match about 7% faster but `ri.match` on an
//! 11M-row DataFrame about 10% slower (the kernel compacts memory to find huge pages when many
//! large blocks come and go).
//!
//! ```
//! #[global_allocator]
//! static ALLOCATOR: raa_impact_alloc::Allocator = raa_impact_alloc::Allocator;
//!
//! let v = vec![0u64; 1 << 20]; // 8 MiB: mapped, already zero
//! assert!(v.iter().all(|x| *x == 0));
//! ```

use std::alloc::{GlobalAlloc, Layout, System};

/// The allocator. See the crate docs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allocator;

/// Blocks at least this large are mapped one by one. Measured on the 1M × 10M match (resident
/// peak over the input arrays) and on reading synthetic England's returns: 1 MiB gave 1.8× but
/// slowed the reading of many mid-sized buffers, which glibc's heap reuses without faulting
/// fresh pages in; 4 MiB gave 2.0–2.1×; 2 MiB gave 1.9× and no slowdown.
pub const LARGE: usize = 2 << 20;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod mapped {
    pub const PAGE: usize = 4096;

    fn round(size: usize) -> usize {
        size.div_ceil(PAGE) * PAGE
    }

    /// A fresh zeroed mapping of at least `size` bytes, page-aligned and populated; null when
    /// refused.
    pub fn map(size: usize) -> *mut u8 {
        // SAFETY: an anonymous private mapping has no preconditions; failure is MAP_FAILED.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                round(size),
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_POPULATE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return std::ptr::null_mut();
        }
        p.cast()
    }

    /// Unmap a block mapped with `size`.
    ///
    /// # Safety
    /// `p` came from [`map`] or [`remap`] with this `size`.
    pub unsafe fn unmap(p: *mut u8, size: usize) {
        // SAFETY: the caller's promise.
        unsafe { libc::munmap(p.cast(), round(size)) };
    }

    /// Resize a mapped block, its contents kept (it may move); null when refused.
    ///
    /// # Safety
    /// `p` came from [`map`] or [`remap`] with `old`.
    pub unsafe fn remap(p: *mut u8, old: usize, new: usize) -> *mut u8 {
        if round(old) == round(new) {
            return p;
        }
        // SAFETY: the caller's promise; MREMAP_MAYMOVE keeps the contents.
        let q = unsafe { libc::mremap(p.cast(), round(old), round(new), libc::MREMAP_MAYMOVE) };
        if q == libc::MAP_FAILED {
            return std::ptr::null_mut();
        }
        q.cast()
    }
}

/// True when a block of this layout is mapped one by one.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn is_mapped(layout: &Layout) -> bool {
    layout.size() >= LARGE && layout.align() <= mapped::PAGE
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn is_mapped(_: &Layout) -> bool {
    false
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod mapped {
    pub fn map(_: usize) -> *mut u8 {
        unreachable!("nothing is mapped on this platform")
    }
    pub unsafe fn unmap(_: *mut u8, _: usize) {
        unreachable!("nothing is mapped on this platform")
    }
    pub unsafe fn remap(_: *mut u8, _: usize, _: usize) -> *mut u8 {
        unreachable!("nothing is mapped on this platform")
    }
}

// SAFETY: a mapped block is a page-aligned fresh mapping (any alignment up to a page is met),
// zero when new, resized with mremap (which keeps its contents) and unmapped with the size it
// was mapped with. Whether a block is mapped depends on its layout alone, which the caller hands
// back unchanged, so each block returns to the allocator that made it. Everything else is the
// system allocator's.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match is_mapped(&layout) {
            true => mapped::map(layout.size()),
            false => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match is_mapped(&layout) {
            // Fresh anonymous pages are zero: nothing to clear.
            true => mapped::map(layout.size()),
            false => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match is_mapped(&layout) {
            true => unsafe { mapped::unmap(ptr, layout.size()) },
            false => unsafe { System.dealloc(ptr, layout) },
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees that `new_size`, rounded up to the alignment, fits.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (is_mapped(&layout), is_mapped(&new)) {
            (false, false) => unsafe { System.realloc(ptr, layout, new_size) },
            (true, true) => unsafe { mapped::remap(ptr, layout.size(), new_size) },
            // Across the threshold: a new block, the contents copied, the old block freed.
            _ => unsafe {
                let p = self.alloc(new);
                if !p.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                p
            },
        }
    }
}
