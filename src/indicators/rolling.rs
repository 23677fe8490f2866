//! Rolling extremes (highest, lowest, and both at once): van Herk /
//! Gil-Werman, O(1) per bar, in one pass with buffers of one window.

use super::{c_max, c_min, nan_fill, nan_warmup};

/// What `blocks` folds over a window: one extreme of one series, or the
/// highest of one and the lowest of another together (a bar's range).
trait Fold: Copy {
    type V: Copy + Default;
    /// Bar `i`'s own value.
    fn at(self, i: usize) -> Self::V;
    /// The extreme of two partial windows, in this order.
    fn join(self, a: Self::V, b: Self::V) -> Self::V;
}

/// One extreme of one series: the highest when `MAX`, else the lowest.
/// `CLEAN`: the series has no NaN, so the extremes are C's comparisons
/// (`c_max`, one `maxsd`) rather than `f64::max`, which skips a NaN at the
/// cost of a compare and blends on each of the three folds a bar.
#[derive(Clone, Copy)]
struct One<'a, const MAX: bool, const CLEAN: bool>(&'a [f64]);
#[derive(Clone, Copy)]
struct Range<'a, const CLEAN: bool>(&'a [f64], &'a [f64]);

/// The larger, or the smaller, of two values, as `One` and `Range` fold
/// them: without NaN both ways give the same value.
#[inline(always)]
fn pick<const MAX: bool, const CLEAN: bool>(a: f64, b: f64) -> f64 {
    match (MAX, CLEAN) {
        (true, true) => c_max(a, b),
        (false, true) => c_min(a, b),
        (true, false) => a.max(b),
        (false, false) => a.min(b),
    }
}

/// Whether a column has a NaN: one pass, branch-free in chunks so it
/// vectorises, far cheaper than the NaN-skipping folds it lets us avoid.
fn has_nan(x: &[f64]) -> bool {
    x.chunks(256)
        .any(|c| c.iter().fold(false, |any, v| any | v.is_nan()))
}

impl<const MAX: bool, const CLEAN: bool> Fold for One<'_, MAX, CLEAN> {
    type V = f64;
    #[inline(always)]
    fn at(self, i: usize) -> f64 {
        self.0[i]
    }
    #[inline(always)]
    fn join(self, a: f64, b: f64) -> f64 {
        pick::<MAX, CLEAN>(a, b)
    }
}

impl<const CLEAN: bool> Fold for Range<'_, CLEAN> {
    type V = (f64, f64);
    #[inline(always)]
    fn at(self, i: usize) -> (f64, f64) {
        (self.0[i], self.1[i])
    }
    #[inline(always)]
    fn join(self, a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
        (
            pick::<true, CLEAN>(a.0, b.0),
            pick::<false, CLEAN>(a.1, b.1),
        )
    }
}

/// The extreme of every `n`-bar window of `len` bars, passed to
/// `emit(i, v)` for the window ending at `i`, `i` from `n − 1` on. Van
/// Herk and Gil-Werman: in blocks of `n` bars, the running extreme forward
/// from the block's start (the prefix) and backward from its end (the
/// suffix); a window is the tail of one block and the head of the next.
/// Three comparisons a bar whatever the data, exact (an extreme is one of
/// the values), no branch on the data; TA-Lib's rescan when the extreme
/// leaves was 3× slower on a random walk. A NaN inside a window is
/// skipped. Only the previous block's suffix is kept (two buffers of `n`,
/// in cache), so a caller turns the extremes into its value as they come,
/// without a column for each.
#[inline(always)]
fn blocks<F: Fold>(f: F, len: usize, n: usize, mut emit: impl FnMut(usize, F::V)) {
    if n == 0 || len < n {
        return;
    }
    let (mut before, mut this) = (vec![F::V::default(); n], vec![F::V::default(); n]);
    for start in (0..len).step_by(n) {
        let end = (start + n).min(len);
        let mut acc = f.at(end - 1);
        for i in (start..end).rev() {
            acc = f.join(acc, f.at(i));
            this[i - start] = acc;
        }
        let mut acc = f.at(start);
        for i in start..end {
            acc = f.join(acc, f.at(i));
            let k = i - start;
            if k + 1 < n {
                // Window [i + 1 − n, i]: the previous block from offset
                // k + 1, this one up to k (none before the first block).
                if start > 0 {
                    emit(i, f.join(before[k + 1], acc));
                }
            } else if start == 0 {
                emit(i, acc);
            } else {
                emit(i, f.join(this[0], acc));
            }
        }
        std::mem::swap(&mut before, &mut this);
    }
}

/// Highest value over the last `n` bars (TA-Lib MAX); first value at `n - 1`.
pub fn highest(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        return nan_fill(out);
    }
    nan_warmup(out, n - 1);
    let emit = |i, v| out[i] = v;
    if has_nan(x) {
        blocks(One::<true, false>(x), x.len(), n, emit);
    } else {
        blocks(One::<true, true>(x), x.len(), n, emit);
    }
}

/// Lowest value over the last `n` bars (TA-Lib MIN); first value at `n - 1`.
pub fn lowest(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        return nan_fill(out);
    }
    nan_warmup(out, n - 1);
    let emit = |i, v| out[i] = v;
    if has_nan(x) {
        blocks(One::<false, false>(x), x.len(), n, emit);
    } else {
        blocks(One::<false, true>(x), x.len(), n, emit);
    }
}

/// The highest of `hi` and the lowest of `lo` over each `n`-bar window,
/// as `highest` and `lowest` give them, passed to `emit(i, high, low)` for
/// `i` from `n − 1` on (nothing when fewer than `n` bars): one pass for
/// both, no column for either.
#[inline(always)]
pub fn range(hi: &[f64], lo: &[f64], n: usize, mut emit: impl FnMut(usize, f64, f64)) {
    let len = hi.len().min(lo.len());
    let (hi, lo) = (&hi[..len], &lo[..len]);
    let emit = |i, (h, l)| emit(i, h, l);
    if has_nan(hi) || (!std::ptr::eq(hi, lo) && has_nan(lo)) {
        blocks(Range::<false>(hi, lo), len, n, emit);
    } else {
        blocks(Range::<true>(hi, lo), len, n, emit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn window_extremes() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let n = f64::NAN;
        assert_close(
            &run1(|o| highest(&x, 3, o), 8),
            &[n, n, 4.0, 4.0, 5.0, 9.0, 9.0, 9.0],
        );
        assert_close(
            &run1(|o| lowest(&x, 3, o), 8),
            &[n, n, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0],
        );
        assert_close(&run1(|o| highest(&x, 1, o), 8), &x);
    }

    /// Against each window folded directly, for n from 1 to 40 on 1,000
    /// bars with a NaN every 37 (skipped inside a window) and partial last
    /// blocks of every length; and on the same bars without the NaN, where
    /// the folds are C's comparisons (`CLEAN`).
    #[test]
    fn blocks_agree_with_each_window_folded() {
        for gaps in [true, false] {
            agree_on(gaps);
        }
    }

    fn agree_on(gaps: bool) {
        let x: Vec<f64> = (0..1000)
            .map(|i| {
                if gaps && i % 37 == 5 {
                    f64::NAN
                } else {
                    ((i * 7919) % 1009) as f64 + 0.5
                }
            })
            .collect();
        assert_eq!(has_nan(&x), gaps);
        for n in 1..=40 {
            let (hi, lo) = (
                run1(|o| highest(&x, n, o), 1000),
                run1(|o| lowest(&x, n, o), 1000),
            );
            for i in n - 1..1000 {
                let w = &x[i + 1 - n..=i];
                let h = w.iter().fold(f64::NAN, |a, &b| a.max(b));
                let l = w.iter().fold(f64::NAN, |a, &b| a.min(b));
                assert_eq!(hi[i].to_bits(), h.to_bits(), "n {n} bar {i}");
                assert_eq!(lo[i].to_bits(), l.to_bits(), "n {n} bar {i}");
            }
            assert!(hi[..n - 1].iter().all(|v| v.is_nan()));
            // Both at once: the same bits, from bar n − 1 on, once each.
            let mut seen = n - 1;
            range(&x, &x, n, |i, h, l| {
                assert_eq!(i, seen, "n {n}");
                assert_eq!(h.to_bits(), hi[i].to_bits(), "n {n} bar {i}");
                assert_eq!(l.to_bits(), lo[i].to_bits(), "n {n} bar {i}");
                seen += 1;
            });
            assert_eq!(seen, 1000, "n {n}");
        }
    }
}
