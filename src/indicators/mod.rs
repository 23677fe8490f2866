//! The indicator library: pure functions over `&[f64]` columns writing into
//! an output buffer of the same length, NaN during warm-up, TA-Lib's
//! conventions; and the catalogue that names them for the expression language.

// Indicator loops read several columns at offsets of one index (x[i], x[i - n]);
// iterator chains would hide the TA-Lib formulas they transcribe.
#![allow(clippy::needless_range_loop)]

pub mod beyond;
pub mod candles;
mod catalog;
pub mod elementwise;
pub mod fma;
pub mod hilbert;
pub mod labels;
pub mod ma;
pub mod matype;
pub mod modern;
pub mod modern_bands;
pub mod modern_pairs;
pub mod momentum;
pub mod oscillators;
pub mod rolling;
pub mod sar;
pub mod stats;
pub mod stream;
pub mod transform;
pub mod trend;
pub mod volatility;
pub mod volume;
pub mod wilder;
mod window;
pub mod window_rank;

pub use catalog::{
    catalog, family_of, lookup, overloads, Bars, Family, Group, Inputs, Output, Param, Spec,
};

/// Sets every value of `out` to NaN.
pub fn nan_fill(out: &mut [f64]) {
    out.fill(f64::NAN);
}

/// Sets the warm-up, the first `first` values of `out` (all of it when it
/// is shorter), to NaN; the caller writes every value after it. Filling
/// only these, not the whole output before the loop writes it again, saves
/// a pass over memory (`catalog/writes.rs` checks every value is written).
pub fn nan_warmup(out: &mut [f64], first: usize) {
    let first = first.min(out.len());
    out[..first].fill(f64::NAN);
}

/// C's `a > b ? a : b`, as TA-Lib writes a maximum: one `maxsd`, where
/// `f64::max`'s rule for NaN costs a compare and two blends more on every
/// call. With a NaN operand it gives `b`, as TA-Lib's C does.
#[inline(always)]
pub fn c_max(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

/// C's `a < b ? a : b`, `c_max`'s minimum.
#[inline(always)]
pub fn c_min(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

/// The slot after `slot` in a ring of `n`: back to 0 past the end (a
/// compare, not a `%`, whose integer divide would cost more than the rest
/// of a ring's step).
#[inline(always)]
pub(crate) fn next_slot(slot: usize, n: usize) -> usize {
    if slot + 1 == n {
        0
    } else {
        slot + 1
    }
}

/// TA-Lib 0.8's guard: a difference `d = a − b` counts as zero when
/// `|d| <= 1e-14·(|a| + |b|)`.
pub fn near_zero(d: f64, a: f64, b: f64) -> bool {
    d.abs() <= 1e-14 * (a.abs() + b.abs())
}

/// Index of the first non-NaN value (the length when all are NaN).
pub fn first_valid(x: &[f64]) -> usize {
    x.iter().position(|v| !v.is_nan()).unwrap_or(x.len())
}

/// The bars where a running sum is summed afresh: those where
/// `(i + offset) % period == 0`, counted down rather than divided for on
/// every bar (an integer divide is some 30 cycles, more than the rest of a
/// running sum's step).
pub(crate) struct Every {
    left: usize,
    period: usize,
}

impl Every {
    /// For a loop whose first bar is `start`.
    pub fn new(period: usize, start: usize, offset: usize) -> Every {
        Every {
            left: (period - (start + offset) % period) % period,
            period,
        }
    }

    /// Whether this bar is one; then on to the next bar.
    #[inline(always)]
    pub fn tick(&mut self) -> bool {
        if self.left == 0 {
            self.left = self.period - 1;
            true
        } else {
            self.left -= 1;
            false
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    /// `Every` fires exactly where the modulo does, for every period,
    /// start and offset up to 40.
    #[test]
    fn every_counts_as_the_modulo_does() {
        for period in 1..40 {
            for start in 0..40 {
                for offset in 0..40 {
                    let mut e = super::Every::new(period, start, offset);
                    for i in start..start + 200 {
                        assert_eq!(
                            e.tick(),
                            (i + offset) % period == 0,
                            "{period} {start} {offset} {i}"
                        );
                    }
                }
            }
        }
    }

    /// Runs an indicator into a fresh buffer of length `n`.
    pub fn run1(f: impl FnOnce(&mut [f64]), n: usize) -> Vec<f64> {
        let mut out = vec![f64::NAN; n];
        f(&mut out);
        out
    }

    /// Same NaN positions and values within 1e-12 (absolute or relative).
    pub fn assert_close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len(), "length: {got:?} vs {want:?}");
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            if w.is_nan() {
                assert!(g.is_nan(), "index {i}: {g} where NaN expected; {got:?}");
            } else {
                let tol = 1e-12 * w.abs().max(1.0);
                assert!((g - w).abs() <= tol, "index {i}: {g} vs {w}; {got:?}");
            }
        }
    }
}
