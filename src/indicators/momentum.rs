//! Momentum oscillators: RSI (Wilder), MACD (TA-Lib seeding), ROC, percent
//! change, stochastic %K/%D, Williams %R and CCI.

use super::fma::{ema_step, with_fma};
use super::ma::{sma, Online};
use super::rolling::range;
use super::wilder::Step;
use super::{nan_fill, nan_warmup, near_zero};

/// RSI with Wilder smoothing: averages seeded with the mean gain and loss of
/// changes 1..=n (first value at `n`), then TA-Lib 0.8's
/// `avg = (avg·(n−1) + x)·(1/n)` (`wilder::gain_loss`).
/// `100·g/(g+l)`, and 0 when there was no change at all.
pub fn rsi(x: &[f64], n: usize, out: &mut [f64]) {
    super::wilder::gain_loss(x, n, Step::Reciprocal, out, |g, l| {
        if g + l != 0.0 {
            100.0 * (g / (g + l))
        } else {
            0.0
        }
    });
}

/// Chande momentum oscillator with RSI's Wilder averages:
/// `100·(g − l)/(g + l)`, 0 when there was no change; first value at `n`.
pub fn cmo(x: &[f64], n: usize, out: &mut [f64]) {
    super::wilder::gain_loss(x, n, Step::Divide, out, |g, l| {
        if g + l != 0.0 {
            100.0 * ((g - l) / (g + l))
        } else {
            0.0
        }
    });
}

/// Which MACD line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacdLine {
    Macd,
    Signal,
    Hist,
}

/// MACD as TA-Lib computes it: both EMAs are seeded at the slow lookback
/// (`slow − 1`), the fast one with the SMA of the `fast` closes ending there;
/// the signal EMA is seeded with the SMA of the first `signal` MACD values.
/// Nothing is output before `slow + signal − 2` (33 for 12/26/9).
pub fn macd(x: &[f64], fast: usize, slow: usize, signal: usize, line: MacdLine, out: &mut [f64]) {
    macd_k(x, fast, slow, signal, None, line, out);
}

/// MACDFIX: MACD(12, 26) with TA-Lib's fixed factors 0.15 and 0.075 instead
/// of 2/(n+1), and the signal EMA of `signal`.
pub fn macdfix(x: &[f64], signal: usize, line: MacdLine, out: &mut [f64]) {
    macd_k(x, 12, 26, signal, Some((0.15, 0.075)), line, out);
}

fn macd_k(
    x: &[f64],
    fast: usize,
    slow: usize,
    signal: usize,
    k: Option<(f64, f64)>,
    line: MacdLine,
    out: &mut [f64],
) {
    let Some(start) = macd_start(x.len(), fast, slow, signal) else {
        return nan_fill(out);
    };
    nan_warmup(out, start);
    macd_core(x, fast, slow, signal, k, |t, m, sig| {
        out[t] = line_of(line, m, sig);
    });
}

/// All three MACD lines at once (`outs`: line, signal, histogram), the
/// same values as three single calls; MACDFIX's factors when `fixed`.
pub fn macd_all(
    x: &[f64],
    fast: usize,
    slow: usize,
    signal: usize,
    fixed: bool,
    outs: &mut [&mut [f64]],
) {
    let Some(start) = macd_start(x.len(), fast, slow, signal) else {
        return outs.iter_mut().for_each(|o| nan_fill(o));
    };
    outs.iter_mut().for_each(|o| nan_warmup(o, start));
    let [line, sig, hist] = outs else {
        unreachable!("three lines")
    };
    let k = fixed.then_some((0.15, 0.075));
    macd_core(x, fast, slow, signal, k, |t, m, s| {
        line[t] = m;
        sig[t] = s;
        hist[t] = line_of(MacdLine::Hist, m, s);
    });
}

/// One MACD line's value from the line and its signal.
#[inline(always)]
fn line_of(line: MacdLine, m: f64, sig: f64) -> f64 {
    match line {
        MacdLine::Macd => m,
        MacdLine::Signal => sig,
        MacdLine::Hist => m - sig,
    }
}

/// Writes one MACD line from the line and signal from `start` on.
pub(super) fn write_line(m: &[f64], sig: &[f64], start: usize, line: MacdLine, out: &mut [f64]) {
    for i in start..m.len() {
        out[i] = line_of(line, m[i], sig[i]);
    }
}

/// The first bar MACD outputs over `len` bars, `slow + signal − 2` with
/// the periods in order; none when there is no output.
fn macd_start(len: usize, fast: usize, slow: usize, signal: usize) -> Option<usize> {
    let (fast, slow) = (fast.min(slow), fast.max(slow));
    let start = (slow + signal).checked_sub(2)?;
    (fast > 0 && signal > 0 && len > start).then_some(start)
}

/// The MACD line and its signal, passed to `emit(t, line, signal)` for
/// every bar from `macd_start` on (which the caller has checked is some).
#[inline(always)]
fn macd_core(
    x: &[f64],
    fast: usize,
    slow: usize,
    signal: usize,
    k: Option<(f64, f64)>,
    emit: impl FnMut(usize, f64, f64),
) {
    let (fast, slow) = (fast.min(slow), fast.max(slow));
    let seed = |n: usize| x[slow - n..slow].iter().sum::<f64>() / n as f64;
    let (kf, ks) = k.unwrap_or((2.0 / (fast as f64 + 1.0), 2.0 / (slow as f64 + 1.0)));
    // One pass: both EMAs seeded at `slow − 1`, the line, and its signal,
    // an EMA of the lines from `slow − 1` (first value at `start`). The
    // state is the closure's own locals, so that it stays in registers;
    // no column of the line or the signal is stored.
    let (ef, es) = (seed(fast), seed(slow));
    with_fma(
        #[inline(always)]
        move || {
            // `emit` moved into a local, what it owns kept in registers.
            let mut emit = emit;
            let (mut ef, mut es, mut g) = (ef, es, Online::new(signal));
            for t in slow - 1..x.len() {
                if t >= slow {
                    ef = ema_step(ef, x[t], kf);
                    es = ema_step(es, x[t], ks);
                }
                let line = ef - es;
                if let Some(v) = g.push(line) {
                    emit(t, line, v);
                }
            }
        },
    );
}

/// Rate of change in percent, `100·(x/x[t−n] − 1)`; 0 when `x[t−n]` is 0.
pub fn roc(x: &[f64], n: usize, out: &mut [f64]) {
    nan_warmup(out, n);
    for i in n..x.len() {
        let prev = x[i - n];
        out[i] = if prev != 0.0 {
            (x[i] / prev - 1.0) * 100.0
        } else {
            0.0
        };
    }
}

/// Fractional change, `x/x[t−n] − 1` (NaN when `x[t−n]` is 0).
pub fn pct_change(x: &[f64], n: usize, out: &mut [f64]) {
    nan_warmup(out, n);
    for i in n..x.len() {
        let prev = x[i - n];
        out[i] = if prev != 0.0 {
            x[i] / prev - 1.0
        } else {
            f64::NAN
        };
    }
}

/// `100·num/den`, and 0 when `den` is a flat range (TA-Lib 0.8's guard).
pub(super) fn ratio(num: f64, hh: f64, ll: f64) -> f64 {
    let den = hh - ll;
    if near_zero(den, hh, ll) {
        0.0
    } else {
        100.0 * num / den
    }
}

/// Which stochastic line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StochLine {
    K,
    D,
}

/// Slow stochastic: fast %K over `n` bars, %K = SMA(k_smooth) of it, %D =
/// SMA(d_smooth) of %K. Both lines start at `n − 1 + k_smooth − 1 + d_smooth − 1`.
#[allow(clippy::too_many_arguments)]
pub fn stoch(
    h: &[f64],
    l: &[f64],
    c: &[f64],
    n: usize,
    k_smooth: usize,
    d_smooth: usize,
    line: StochLine,
    out: &mut [f64],
) {
    let len = c.len();
    if n == 0 || k_smooth == 0 || d_smooth == 0 || len < n + k_smooth + d_smooth - 2 {
        return nan_fill(out);
    }
    // %D's SMA writes its own warm-up after `n + k_smooth − 2`.
    nan_warmup(out, n + k_smooth + d_smooth - 3);
    let mut fast = vec![f64::NAN; len];
    range(h, l, n, |i, hh, ll| fast[i] = ratio(c[i] - ll, hh, ll));
    let mut k = vec![f64::NAN; len];
    sma(&fast[n - 1..], k_smooth, &mut k[n - 1..]);
    let start = n + k_smooth + d_smooth - 3;
    match line {
        StochLine::K => out[start..].copy_from_slice(&k[start..]),
        StochLine::D => {
            let from = n + k_smooth - 2;
            sma(&k[from..], d_smooth, &mut out[from..]);
        }
    }
}

/// Williams %R, `−100·(HH − c)/(HH − LL)` over `n` bars; 0 on a flat window.
pub fn willr(h: &[f64], l: &[f64], c: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || h.len().min(l.len()) < n {
        return nan_fill(out);
    }
    nan_warmup(out, n - 1);
    range(h, l, n, |i, hh, ll| {
        out[i] = if hh.is_nan() {
            f64::NAN
        } else {
            -ratio(hh - c[i], hh, ll)
        };
    });
}

/// Commodity channel index: `(TP − SMA(TP)) / (0.015 · mean deviation)` with
/// `TP = (h + l + c)/3`; 0 when the deviation or the distance to the mean is
/// within 1e-14·|mean| (TA-Lib 0.8). The mean deviation makes it O(n·w).
pub fn cci(h: &[f64], l: &[f64], c: &[f64], n: usize, out: &mut [f64]) {
    let len = c.len();
    if n == 0 || len < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let tp: Vec<f64> = (0..len).map(|i| (h[i] + l[i] + c[i]) / 3.0).collect();
    for i in n - 1..len {
        let w = &tp[i + 1 - n..=i];
        let mean = w.iter().sum::<f64>() / n as f64;
        let dev = w.iter().map(|v| (v - mean).abs()).sum::<f64>() / n as f64;
        let dist = tp[i] - mean;
        let eps = 1e-14 * mean.abs();
        out[i] = if dist.abs() <= eps || dev <= eps {
            0.0
        } else {
            dist / (0.015 * dev)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    const N: f64 = f64::NAN;

    #[test]
    fn rsi_wilder() {
        // Changes: +1, −1, +2, +1. n = 2: seed g = 0.5, l = 0.5 → 50 at index 2.
        // Index 3: g = (0.5 + 2)/2 = 1.25, l = 0.25 → 100·1.25/1.5; index 4: g = 1.125, l = 0.125.
        let x = [1.0, 2.0, 1.0, 3.0, 4.0];
        let want = [N, N, 50.0, 100.0 * 1.25 / 1.5, 100.0 * 1.125 / 1.25];
        assert_close(&run1(|o| rsi(&x, 2, o), 5), &want);
        assert_close(&run1(|o| rsi(&[5.0; 4], 2, o), 4), &[N, N, 0.0, 0.0]);
    }

    #[test]
    fn macd_seeding() {
        // fast 2, slow 3, signal 2 on 1..6: both EMAs seeded at index 2:
        // fast seed mean(2,3) = 2.5, slow seed mean(1,2,3) = 2; MACD[2] = 0.5.
        // Index 3: fast 2.5 + (4 − 2.5)·2/3 = 3.5, slow 2 + (4 − 2)/2 = 3 → 0.5 (a line keeps a constant gap).
        // Signal seed mean(MACD[2..=3]) = 0.5 at index 3; output from index 3.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert_close(
            &run1(|o| macd(&x, 2, 3, 2, MacdLine::Macd, o), 6),
            &[N, N, N, 0.5, 0.5, 0.5],
        );
        assert_close(
            &run1(|o| macd(&x, 2, 3, 2, MacdLine::Signal, o), 6),
            &[N, N, N, 0.5, 0.5, 0.5],
        );
        assert_close(
            &run1(|o| macd(&x, 3, 2, 2, MacdLine::Hist, o), 6),
            &[N, N, N, 0.0, 0.0, 0.0],
        );
    }

    #[test]
    fn roc_and_pct_change() {
        let x = [2.0, 4.0, 3.0, 0.0, 6.0];
        assert_close(&run1(|o| roc(&x, 1, o), 5), &[N, 100.0, -25.0, -100.0, 0.0]);
        assert_close(&run1(|o| pct_change(&x, 2, o), 5), &[N, N, 0.5, -1.0, 1.0]);
    }

    #[test]
    fn stochastic_and_willr() {
        let h = [3.0, 4.0, 5.0, 4.0, 6.0, 6.0];
        let l = [1.0, 2.0, 3.0, 2.0, 4.0, 4.0];
        let c = [2.0, 3.0, 5.0, 2.0, 6.0, 5.0];
        // n = 2: fast %K[1] = 100·(3−1)/(4−1) = 66.67, [2] = 100·(5−2)/(5−2) = 100,
        // [3] = 0, [4] = 100·(6−2)/(6−2) = 100, [5] = 100·(5−4)/(6−4) = 50.
        // %K = SMA2 from index 2: 83.33, 50, 50, 75; %D = SMA2 of %K from 3: 66.67, 50, 62.5.
        let k = run1(|o| stoch(&h, &l, &c, 2, 2, 2, StochLine::K, o), 6);
        let d = run1(|o| stoch(&h, &l, &c, 2, 2, 2, StochLine::D, o), 6);
        assert_close(&k, &[N, N, N, 50.0, 50.0, 75.0]);
        assert_close(&d, &[N, N, N, 200.0 / 3.0, 50.0, 62.5]);
        // %R = −100·(HH − c)/(HH − LL): [1] = −100·1/3, [2] = 0, [3] = −100, [4] = 0, [5] = −50.
        let w = run1(|o| willr(&h, &l, &c, 2, o), 6);
        assert_close(&w, &[N, -100.0 / 3.0, 0.0, -100.0, 0.0, -50.0]);
        // A flat window gives 0, not a division by zero.
        let flat = [1.0; 4];
        assert_close(
            &run1(|o| willr(&flat, &flat, &flat, 2, o), 4),
            &[N, 0.0, 0.0, 0.0],
        );
    }

    #[test]
    fn cci_by_hand() {
        // TP = 1, 2, 3, 4 (h = l = c). n = 3 at index 2: mean 2, mean dev 2/3,
        // (3 − 2)/(0.015·2/3) = 100; index 3 the same by symmetry.
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_close(&run1(|o| cci(&x, &x, &x, 3, o), 4), &[N, N, 100.0, 100.0]);
        assert_close(
            &run1(|o| cci(&[2.0; 3], &[2.0; 3], &[2.0; 3], 2, o), 3),
            &[N, 0.0, 0.0],
        );
    }
}
