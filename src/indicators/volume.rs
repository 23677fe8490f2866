//! Volume indicators: on-balance volume, the money flow index and
//! Chaikin's accumulation/distribution line and oscillator.

use super::{nan_fill, nan_warmup, near_zero, next_slot};

/// On-balance volume, starting at `volume[0]`; an unchanged close adds nothing.
pub fn obv(c: &[f64], v: &[f64], out: &mut [f64]) {
    if c.is_empty() {
        return;
    }
    let mut acc = v[0];
    out[0] = acc;
    for i in 1..c.len() {
        if c[i] > c[i - 1] {
            acc += v[i];
        } else if c[i] < c[i - 1] {
            acc -= v[i];
        }
        out[i] = acc;
    }
}

/// Money flow index over `n` bars; first value at `n`. Typical price ×
/// volume counts as positive flow when TP rose, negative when it fell, and as
/// no flow when the change is within 1e-14 of the two prices (TA-Lib 0.8).
/// 0 when the window's total flow is below 1, as TA-Lib does.
pub fn mfi(h: &[f64], l: &[f64], c: &[f64], v: &[f64], n: usize, out: &mut [f64]) {
    let len = c.len();
    if n == 0 || len <= n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n);
    // Each bar's typical price and flows once; the last n flows in a ring
    // for the one leaving the window (the values a fresh `flow(i − n)`
    // would give, so the same bits).
    let tp = |i: usize| (h[i] + l[i] + c[i]) / 3.0;
    let mut prev = tp(0);
    // Bar i's signed flow (positive, negative), by selects: the direction
    // is a coin flip, a branch on it mispredicts every other bar.
    let mut flow = |i: usize| {
        let (a, b) = (tp(i), prev);
        prev = a;
        let d = a - b;
        let mf = a * v[i];
        let none = near_zero(d, a, b);
        let p = if !none && d > 0.0 { mf } else { 0.0 };
        let q = if none || d > 0.0 { 0.0 } else { mf };
        (p, q)
    };
    let mut ring = vec![(0.0, 0.0); n];
    let (mut pos, mut neg) = (0.0, 0.0);
    for (i, slot) in ring.iter_mut().enumerate() {
        *slot = flow(i + 1);
        pos += slot.0;
        neg += slot.1;
    }
    let value = |p: f64, q: f64| {
        if p + q < 1.0 {
            0.0
        } else {
            100.0 * (p / (p + q))
        }
    };
    out[n] = value(pos, neg);
    let mut k = 0;
    for i in n + 1..len {
        let (p_old, q_old) = ring[k];
        let (p, q) = flow(i);
        ring[k] = (p, q);
        k = next_slot(k, n);
        pos += p - p_old;
        neg += q - q_old;
        out[i] = value(pos, neg);
    }
}

/// Chaikin accumulation/distribution line from bar 0:
/// `Σ ((c − l) − (h − c))/(h − l)·v`, a flat bar adding nothing.
pub fn ad(h: &[f64], l: &[f64], c: &[f64], v: &[f64], out: &mut [f64]) {
    let mut acc = 0.0;
    for i in 0..out.len() {
        acc = ad_next(acc, (h[i], l[i], c[i], v[i]));
        out[i] = acc;
    }
}

/// The A/D line after bar `(h, l, c, v)`: the close location value times
/// the volume added, nothing on a bar with no range.
#[inline(always)]
fn ad_next(acc: f64, (h, l, c, v): (f64, f64, f64, f64)) -> f64 {
    let r = h - l;
    if r > 0.0 {
        acc + (((c - l) - (h - c)) / r) * v
    } else {
        acc
    }
}

/// Chaikin A/D oscillator: EMA(fast) − EMA(slow) of the A/D line, both
/// seeded with its first value at bar 0 (TA-Lib); first value at `slow − 1`.
/// One pass: the line computed as the EMAs read it, no column of it.
pub fn adosc(
    h: &[f64],
    l: &[f64],
    c: &[f64],
    v: &[f64],
    fast: usize,
    slow: usize,
    out: &mut [f64],
) {
    let len = out.len();
    let start = fast.max(slow).saturating_sub(1);
    if fast == 0 || slow == 0 || len <= start {
        return nan_fill(out);
    }
    nan_warmup(out, start);
    let (h, l, c, v) = (&h[..len], &l[..len], &c[..len], &v[..len]);
    let (kf, ks) = (2.0 / (fast as f64 + 1.0), 2.0 / (slow as f64 + 1.0));
    let mut line = ad_next(0.0, (h[0], l[0], c[0], v[0]));
    let (mut ef, mut es) = (line, line);
    for i in 1..len {
        line = ad_next(line, (h[i], l[i], c[i], v[i]));
        ef = kf * line + (1.0 - kf) * ef;
        es = ks * line + (1.0 - ks) * es;
        if i >= start {
            out[i] = ef - es;
        }
    }
    if start == 0 {
        out[0] = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn obv_accumulates_signed_volume() {
        let c = [1.0, 2.0, 2.0, 1.5, 3.0];
        let v = [10.0, 5.0, 7.0, 3.0, 4.0];
        assert_close(
            &run1(|o| obv(&c, &v, o), 5),
            &[10.0, 15.0, 15.0, 12.0, 16.0],
        );
    }

    #[test]
    fn mfi_by_hand() {
        // h = l = c, so TP = c. Flows: bar1 +2·10 = 20, bar2 −1·10 = −10, bar3 +3·10 = 30.
        // n = 2: index 2: 100·20/30; index 3: 100·30/40.
        let c = [1.0, 2.0, 1.0, 3.0];
        let v = [10.0; 4];
        let n = f64::NAN;
        assert_close(
            &run1(|o| mfi(&c, &c, &c, &v, 2, o), 4),
            &[n, n, 200.0 / 3.0, 75.0],
        );
        // No flow at all: 0.
        assert_close(
            &run1(|o| mfi(&[1.0; 3], &[1.0; 3], &[1.0; 3], &[5.0; 3], 2, o), 3),
            &[n, n, 0.0],
        );
    }
}
