//! The single-output oscillators TA-Lib 0.8 added: Awesome/accelerator
//! oscillators, Coppock, DPO, efficiency ratio, forecast oscillator, IMI,
//! QStick, TSI, VHF, Williams A/D; and the helpers `modern_bands` and
//! `modern_pairs` share.

use super::ma::{chain_start, ema_chain_of, window_total, wma};
use super::matype::on_valid;
use super::rolling::range;
use super::stats::{linreg, Fit};
use super::window::{window_sums, WindowSum};
use super::{first_valid, nan_fill, nan_warmup, near_zero, next_slot};

/// `a / b`, 0 where `b` is 0 up to rounding.
pub(super) fn div0(a: f64, b: f64) -> f64 {
    if near_zero(b, 0.0, 0.0) {
        0.0
    } else {
        a / b
    }
}

/// An SMA of `f(i)` over bars, as `ma::sma` computes it over the column of
/// `f` (the same running total, the same bits) without the column: `f` is
/// evaluated twice a bar, entering and leaving the window.
fn sma_of(len: usize, n: usize, f: impl Fn(usize) -> f64, out: &mut [f64]) {
    if n == 0 || len < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let mut total: f64 = (0..n - 1).map(&f).sum();
    for i in n - 1..len {
        total += f(i);
        out[i] = total / n as f64;
        total -= f(i + 1 - n);
    }
}

/// Awesome oscillator: SMA(median, fast) − SMA(median, slow), both running
/// totals in one pass (each from its own first window, as `ma::sma` keeps
/// it, so the bits are those of the two SMAs' columns subtracted).
pub fn ao(h: &[f64], l: &[f64], fast: usize, slow: usize, out: &mut [f64]) {
    let len = out.len();
    let (lo, hi) = (fast.min(slow), fast.max(slow));
    if lo == 0 || len < hi {
        nan_fill(out);
        return;
    }
    nan_warmup(out, hi - 1);
    let m = |i: usize| (h[i] + l[i]) / 2.0;
    // The shorter window's total runs alone until the longer one's first.
    let mut short: f64 = (0..lo - 1).map(m).sum();
    for i in lo - 1..hi - 1 {
        short += m(i);
        short -= m(i + 1 - lo);
    }
    let mut long: f64 = (0..hi - 1).map(m).sum();
    for i in hi - 1..len {
        let x = m(i);
        short += x;
        long += x;
        let (s, g) = (short / lo as f64, long / hi as f64);
        out[i] = if fast <= slow { s - g } else { g - s };
        short -= m(i + 1 - lo);
        long -= m(i + 1 - hi);
    }
}

/// Accelerator oscillator: AO − SMA(AO, signal), the SMA from AO's first
/// value (as `on_valid` would start it) kept in the same pass over AO's
/// column: the window's AO values in a ring of `signal`, the running total
/// as `ma::sma` keeps it.
pub fn ac(h: &[f64], l: &[f64], fast: usize, slow: usize, signal: usize, out: &mut [f64]) {
    ao(h, l, fast, slow, out);
    let (len, s) = (out.len(), first_valid(out));
    if signal == 0 || len < s + signal {
        nan_fill(out);
        return;
    }
    let mut ring = out[s..s + signal].to_vec();
    let mut total: f64 = ring[..signal - 1].iter().sum();
    nan_fill(&mut out[s..s + signal - 1]);
    // `at` is the ring's slot of bar i, `old` that of bar i + 1 − signal.
    let (mut at, mut old) = (signal - 1, 0);
    for o in &mut out[s + signal - 1..] {
        let a = *o;
        ring[at] = a;
        total += a;
        *o = a - total / signal as f64;
        total -= ring[old];
        at = next_slot(at, signal);
        old = next_slot(old, signal);
    }
}

/// QStick: SMA(close − open, n).
pub fn qstick(o: &[f64], c: &[f64], n: usize, out: &mut [f64]) {
    sma_of(out.len(), n, |i| c[i] - o[i], out);
}

/// Average daily range: SMA(high − low, n).
pub fn adr(h: &[f64], l: &[f64], n: usize, out: &mut [f64]) {
    sma_of(out.len(), n, |i| h[i] - l[i], out);
}

/// Coppock curve: WMA(ROC(r1) + ROC(r2), w).
pub fn coppock(x: &[f64], w: usize, r1: usize, r2: usize, out: &mut [f64]) {
    let r = r1.max(r2);
    let roc = |i: usize, n: usize| div0(x[i] - x[i - n], x[i - n]) * 100.0;
    let s: Vec<f64> = (0..x.len())
        .map(|i| {
            if i < r {
                f64::NAN
            } else {
                roc(i, r1) + roc(i, r2)
            }
        })
        .collect();
    on_valid(&s, out, |a, o| wma(a, w, o));
}

/// Detrended price oscillator: `x[t − (n/2 + 1)] − SMA(x, n)`.
pub fn dpo(x: &[f64], n: usize, out: &mut [f64]) {
    // `sma`'s running total, the SMA taken from the price `n/2 + 1` back
    // in the same pass.
    let back = n / 2 + 1;
    window_total(x, n, out, |i, total| {
        if i >= back {
            x[i - back] - total / n as f64
        } else {
            f64::NAN
        }
    });
}

/// Kaufman's efficiency ratio `|x − x[t−n]| / Σ|Δx|` over n changes.
pub fn er(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() <= n {
        return nan_fill(out);
    }
    nan_warmup(out, n);
    let mut path = WindowSum::new(|k: usize| (x[k] - x[k - 1]).abs(), n);
    for i in n..x.len() {
        out[i] = div0((x[i] - x[i - n]).abs(), path.at(i));
    }
}

/// Vertical horizontal filter: (HH − LL of x)/Σ|Δx| over n.
pub fn vhf(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() <= n {
        return nan_fill(out);
    }
    nan_warmup(out, n);
    let mut path = WindowSum::new(|k: usize| (x[k] - x[k - 1]).abs(), n);
    range(x, x, n, |i, hh, ll| {
        if i >= n {
            out[i] = div0(hh - ll, path.at(i));
        }
    });
}

/// Intraday momentum index: `100·Σ up bodies / Σ all bodies` over n bars.
pub fn imi(o: &[f64], c: &[f64], n: usize, out: &mut [f64]) {
    nan_warmup(out, n.saturating_sub(1));
    let len = c.len();
    let up: Vec<f64> = (0..len)
        .map(|k| if c[k] > o[k] { c[k] - o[k] } else { 0.0 })
        .collect();
    let down: Vec<f64> = (0..len)
        .map(|k| if c[k] > o[k] { 0.0 } else { o[k] - c[k] })
        .collect();
    let (su, sd) = (window_sums(&up, n, 0), window_sums(&down, n, 0));
    for i in n.saturating_sub(1)..len {
        out[i] = 100.0 * div0(su[i], su[i] + sd[i]);
    }
}

/// CMO with plain sums over n changes (CMOU).
pub fn cmou(x: &[f64], n: usize, out: &mut [f64]) {
    nan_warmup(out, n);
    let len = x.len();
    let d = |k: usize| if k == 0 { 0.0 } else { x[k] - x[k - 1] };
    let up: Vec<f64> = (0..len).map(|k| d(k).max(0.0)).collect();
    let down: Vec<f64> = (0..len).map(|k| (-d(k)).max(0.0)).collect();
    let (su, sd) = (window_sums(&up, n, 1), window_sums(&down, n, 1));
    for i in n..len {
        out[i] = 100.0 * div0(su[i] - sd[i], su[i] + sd[i]);
    }
}

/// Forecast oscillator: `100·(x − TSF[t−1])/x`.
pub fn fosc(x: &[f64], n: usize, out: &mut [f64]) {
    let mut t = vec![f64::NAN; x.len()];
    linreg(x, n, Fit::Forecast, &mut t);
    nan_warmup(out, 1);
    for i in 1..x.len() {
        out[i] = if t[i - 1].is_nan() {
            f64::NAN
        } else {
            100.0 * div0(x[i] - t[i - 1], x[i])
        };
    }
}

/// True strength index: `100·EMA(EMA(Δx, r), s)/EMA(EMA(|Δx|, r), s)`.
pub fn tsi(x: &[f64], r: usize, s: usize, out: &mut [f64]) {
    if x.len() < 2 {
        return nan_fill(out);
    }
    nan_warmup(out, chain_start(&[r, s]).saturating_add(1));
    // The momentum's and the absolute momentum's double EMAs in lanes of
    // one loop, the momentum computed as it is read: no column of either.
    let m = |t: usize| {
        let d = x[t + 1] - x[t];
        [d, d.abs()]
    };
    ema_chain_of(x.len() - 1, m, [r, s], |t, e| {
        out[t + 1] = 100.0 * div0(e[1][0], e[1][1]);
    });
}

/// Williams accumulation/distribution, cumulative from 0 at bar 0.
pub fn wad(h: &[f64], l: &[f64], c: &[f64], out: &mut [f64]) {
    let mut acc = 0.0;
    for i in 0..out.len() {
        if i > 0 {
            let p = c[i - 1];
            if c[i] > p {
                acc += c[i] - l[i].min(p);
            } else if c[i] < p {
                acc += c[i] - h[i].max(p);
            }
        }
        out[i] = acc;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    /// n = 4 on 1, 2, 4, 8, 16, 32: the SMA is 15/4 = 3.75 at bar 3, then
    /// 7.5, 15; each from the price n/2 + 1 = 3 bars back: 1 − 3.75,
    /// 2 − 7.5, 4 − 15.
    #[test]
    fn dpo_by_hand() {
        let x = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0];
        let n = f64::NAN;
        assert_close(&run1(|o| dpo(&x, 4, o), 6), &[n, n, n, -2.75, -5.5, -11.0]);
    }
}
