//! The hikkake and modified hikkake: an inside-bar setup, then a false
//! breakout (±100), confirmed within three bars by a close beyond the
//! setup bar's range (±200). They carry state from bar to bar, so they
//! have their own loop, reading the shared Near average.

use super::Setting::Near;
use super::C;
use crate::indicators::Bars;

/// CDLHIKKAKE; first value at 5.
pub fn hikkake(b: &Bars, out: &mut [f64]) {
    scan(b, 5, false, out);
}

/// CDLHIKKAKEMOD (the second candle closes near its extreme); first value at 10.
pub fn hikkake_mod(b: &Bars, out: &mut [f64]) {
    scan(b, Near.period().max(1) + 5, true, out);
}

fn scan(b: &Bars, start: usize, modified: bool, out: &mut [f64]) {
    out.fill(0.0);
    let c = C::of(b);
    let len = out.len();
    if len <= start {
        return;
    }
    let (h, l) = (c.h, c.l);
    let period = Near.period();
    let first = start - 3;
    // Near's total for candle i − 2 over the `period` candles before it.
    let mut near: f64 = if modified {
        (first - period..first).map(|j| c.hl(j - 2)).sum()
    } else {
        0.0
    };
    let (mut at, mut result) = (0usize, 0.0f64);
    for i in first..len {
        let avg = 0.2 * near / period as f64;
        let setup = if modified {
            h[i - 2] < h[i - 3]
                && l[i - 2] > l[i - 3]
                && h[i - 1] < h[i - 2]
                && l[i - 1] > l[i - 2]
                && ((h[i] < h[i - 1] && l[i] < l[i - 1] && c.c[i - 2] <= l[i - 2] + avg)
                    || (h[i] > h[i - 1] && l[i] > l[i - 1] && c.c[i - 2] >= h[i - 2] - avg))
        } else {
            h[i - 1] < h[i - 2]
                && l[i - 1] > l[i - 2]
                && ((h[i] < h[i - 1] && l[i] < l[i - 1]) || (h[i] > h[i - 1] && l[i] > l[i - 1]))
        };
        let mut v = 0.0;
        if setup {
            result = if h[i] < h[i - 1] { 100.0 } else { -100.0 };
            at = i;
            v = result;
        } else if i <= at + 3
            && ((result > 0.0 && c.c[i] > h[at - 1]) || (result < 0.0 && c.c[i] < l[at - 1]))
        {
            v = result + if result > 0.0 { 100.0 } else { -100.0 };
            at = 0;
        }
        if i >= start {
            out[i] = v;
        }
        if modified {
            near += c.hl(i - 2) - c.hl(i - 2 - period);
        }
    }
}
