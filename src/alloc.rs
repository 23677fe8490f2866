//! A global-allocator wrapper that staggers large blocks across cache sets.
//!
//! mimalloc places every block of a few hundred KiB or more at the start of
//! its own 64 KiB slice, so the columns of one run (open, high, low, close,
//! an indicator's output) all share the same low 16 address bits. A loop
//! that walks five or more of them in step then maps every one of its
//! streams onto the same L1 and L2 sets, and the streams evict each other:
//! CDLDOJI on 1M bars took 18–25 ms under mimalloc, 9 ms under glibc's
//! malloc, and 5–6 ms with its columns staggered (benches/RESULTS.md,
//! issue 21). `Staggered` shifts each large block by the next of 32 offsets
//! of 4 KiB + 64 bytes: successive columns differ both in the bits that
//! choose an L1 set (6–11) and in those that choose an L2 set (12–16).
//!
//! The shift lives inside the block: the block is allocated `shift` bytes
//! larger, the caller gets the address `shift` bytes in, and the shift is
//! kept in the eight bytes before that address to free the block again.
//! The padding is never written past its last eight bytes, so its pages are
//! not touched. Values never depend on addresses; only speed does.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Blocks from this size are staggered (32,768 `f64`s).
const LARGE: usize = 256 * 1024;
/// Successive shifts differ by a page plus a cache line.
const STEP: usize = 4096 + 64;
/// How many shifts before they repeat: 32 × 4,160 B spans a 128 KiB way of
/// a 2 MiB, 16-way L2.
const SHIFTS: usize = 32;
/// The alignment every shifted block keeps (the shifts are multiples of it).
const ALIGN: usize = 64;

/// `A` with its large blocks staggered across cache sets.
pub struct Staggered<A> {
    inner: A,
    next: AtomicUsize,
}

impl<A> Staggered<A> {
    pub const fn new(inner: A) -> Self {
        Staggered {
            inner,
            next: AtomicUsize::new(0),
        }
    }
}

/// Whether a block of this layout is staggered.
fn staggered(l: Layout) -> bool {
    l.size() >= LARGE && l.align() <= ALIGN
}

impl<A: GlobalAlloc> Staggered<A> {
    /// The inner layout and shift for the next large block of layout `l`.
    fn padded(&self, l: Layout) -> Option<(Layout, usize)> {
        let k = self.next.fetch_add(1, Ordering::Relaxed) % SHIFTS;
        let shift = ALIGN + k * STEP;
        let inner = Layout::from_size_align(l.size().checked_add(shift)?, ALIGN).ok()?;
        Some((inner, shift))
    }

    /// A block of layout `l` from `get` (the inner allocator's `alloc` or
    /// `alloc_zeroed`), shifted when it is large.
    ///
    /// # Safety
    /// As `GlobalAlloc::alloc`; `get` returns null or a block of the layout
    /// it is given.
    unsafe fn alloc_by(&self, l: Layout, get: impl FnOnce(&A, Layout) -> *mut u8) -> *mut u8 {
        if !staggered(l) {
            return get(&self.inner, l);
        }
        match self.padded(l) {
            Some((inner, shift)) => unsafe { Self::shifted(get(&self.inner, inner), shift) },
            None => std::ptr::null_mut(),
        }
    }

    /// Shifts the inner block `p` and records the shift before the result.
    ///
    /// # Safety
    /// `p` is null or a block of at least `shift + 8` bytes, `shift ≥ 8`.
    unsafe fn shifted(p: *mut u8, shift: usize) -> *mut u8 {
        if p.is_null() {
            return p;
        }
        // SAFETY: the block is `shift` bytes longer than the caller's, and
        // the eight bytes before `p + shift` lie inside it (shift ≥ 64).
        unsafe {
            let q = p.add(shift);
            q.cast::<usize>().sub(1).write(shift);
            q
        }
    }
}

// SAFETY: every block handed out is either `inner`'s own (small or
// over-aligned layouts) or lies inside one of `inner`'s blocks that is
// `shift` bytes longer, aligned to 64 and freed with the layout it was
// allocated with; the shift read back is the one written at allocation.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Staggered<A> {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        unsafe { self.alloc_by(l, |a, l| a.alloc(l)) }
    }

    // The inner block is zeroed and only the shift's eight bytes, outside
    // the caller's block, are written.
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        unsafe { self.alloc_by(l, |a, l| a.alloc_zeroed(l)) }
    }

    unsafe fn dealloc(&self, q: *mut u8, l: Layout) {
        if !staggered(l) {
            return unsafe { self.inner.dealloc(q, l) };
        }
        unsafe {
            let shift = q.cast::<usize>().sub(1).read();
            let inner = Layout::from_size_align_unchecked(l.size() + shift, ALIGN);
            self.inner.dealloc(q.sub(shift), inner);
        }
    }

    unsafe fn realloc(&self, q: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { Layout::from_size_align_unchecked(new_size, l.align()) };
        match (staggered(l), staggered(new)) {
            (false, false) => unsafe { self.inner.realloc(q, l, new_size) },
            // Both large: the inner block grows or shrinks (in place where
            // the inner allocator can) with its shift and the shift's record,
            // which sit at its start, carried along.
            (true, true) => unsafe {
                let shift = q.cast::<usize>().sub(1).read();
                let inner = Layout::from_size_align_unchecked(l.size() + shift, ALIGN);
                let p = self.inner.realloc(q.sub(shift), inner, new_size + shift);
                if p.is_null() {
                    p
                } else {
                    p.add(shift)
                }
            },
            // Across the threshold: a new block, a copy, a free.
            _ => unsafe {
                let p = self.alloc(new);
                if !p.is_null() {
                    std::ptr::copy_nonoverlapping(q, p, l.size().min(new_size));
                    self.dealloc(q, l);
                }
                p
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    #[test]
    fn small_blocks_pass_through_and_large_ones_are_staggered() {
        let a = Staggered::new(System);
        let small = Layout::from_size_align(1000, 8).unwrap();
        let large = Layout::from_size_align(1_000_000, 8).unwrap();
        unsafe {
            let s = a.alloc(small);
            assert!(!s.is_null());
            a.dealloc(s, small);
            // 40 large blocks live at once; block k is shifted by
            // 64 + (k mod 32)·4160 bytes into its inner block, stays
            // 64-aligned and keeps what is written into it.
            let blocks: Vec<*mut u8> = (0..40).map(|_| a.alloc(large)).collect();
            for (k, &p) in blocks.iter().enumerate() {
                assert_eq!(p as usize % ALIGN, 0);
                // k = 33: 64 + 1·4160 = 4224.
                assert_eq!(p.cast::<usize>().sub(1).read(), 64 + (k % 32) * 4160);
                p.write_bytes(k as u8, large.size());
            }
            for (k, &p) in blocks.iter().enumerate() {
                assert_eq!(*p.add(large.size() - 1), k as u8);
                a.dealloc(p, large);
            }
        }
    }

    #[test]
    fn zeroed_and_realloc_keep_the_contents_across_the_threshold() {
        let a = Staggered::new(System);
        let l = Layout::from_size_align(LARGE, 64).unwrap();
        unsafe {
            let z = a.alloc_zeroed(l);
            assert!((0..LARGE).all(|i| *z.add(i) == 0));
            a.dealloc(z, l);
            // 1 KiB (inner) → 1 MiB (staggered, a copy) → 2 MiB (the inner
            // block reallocated with its shift) → 100 B (inner, a copy):
            // the first min(old, new) bytes survive each move.
            let small = Layout::from_size_align(1024, 8).unwrap();
            let p = a.alloc(small);
            for i in 0..1024 {
                *p.add(i) = (i % 251) as u8;
            }
            let p = a.realloc(p, small, 1 << 20);
            // This allocator's second staggered block (the zeroed one was
            // its first): k = 1, shift 64 + 1·4160 = 4224, kept through the
            // growth.
            assert_eq!(p.cast::<usize>().sub(1).read(), 4224);
            let mid = Layout::from_size_align(1 << 20, 8).unwrap();
            let p = a.realloc(p, mid, 2 << 20);
            assert_eq!(p.cast::<usize>().sub(1).read(), 4224);
            assert!((0..1024).all(|i| *p.add(i) == (i % 251) as u8));
            let big = Layout::from_size_align(2 << 20, 8).unwrap();
            let p = a.realloc(p, big, 100);
            assert!((0..100).all(|i| *p.add(i) == (i % 251) as u8));
            a.dealloc(p, Layout::from_size_align(100, 8).unwrap());
        }
    }

    #[test]
    fn over_aligned_blocks_are_the_inner_allocators() {
        let a = Staggered::new(System);
        let l = Layout::from_size_align(LARGE, 4096).unwrap();
        unsafe {
            let p = a.alloc(l);
            assert_eq!(p as usize % 4096, 0);
            a.dealloc(p, l);
        }
        // The counter moved only for staggered blocks: none here.
        assert_eq!(a.next.load(Ordering::Relaxed), 0);
    }
}
