//! The TA-Lib 0.8 functions with several outputs: Elder ray, fractals,
//! KDJ, SMI, Vortex and SuperTrend. Each computes its lines in one pass
//! (`*_all`, for the catalogue's families), a single output taking its
//! line from the same pass, so the two give the same bits.

use super::fma::{ema_step, with_fma};
use super::ma::{ema_chain_of, Online};
use super::matype::{by_type, lookback, on_valid, MaType};
use super::modern::div0;
use super::momentum::ratio;
use super::rolling::range;
use super::volatility::{atr, tr_at};
use super::{nan_fill, nan_warmup, next_slot, Every};

/// Elder ray: bull power `high − EMA(close, n)` or bear power `low − EMA`.
pub fn eri(h: &[f64], l: &[f64], c: &[f64], n: usize, bull: bool, out: &mut [f64]) {
    let p = if bull { h } else { l };
    if n == 0 || c.len() < n {
        return nan_fill(out);
    }
    nan_warmup(out, n - 1);
    ema_each(c, n, |i, e| out[i] = p[i] - e);
}

/// Bull and bear power at once (`o`: bull, bear), from one EMA.
pub fn eri_all(h: &[f64], l: &[f64], c: &[f64], n: usize, o: [&mut [f64]; 2]) {
    let [bull, bear] = o;
    if n == 0 || c.len() < n {
        nan_fill(bull);
        return nan_fill(bear);
    }
    nan_warmup(bull, n - 1);
    nan_warmup(bear, n - 1);
    ema_each(c, n, |i, e| (bull[i], bear[i]) = (h[i] - e, l[i] - e));
}

/// Hands `put(i, e)` for `ema(x, n)`'s every value `e` (from bar `n − 1`,
/// `1 ≤ n ≤ x.len()`): its seed and its steps, the same bits, no column.
fn ema_each(x: &[f64], n: usize, mut put: impl FnMut(usize, f64)) {
    let seed = x[..n].iter().sum::<f64>() / n as f64;
    put(n - 1, seed);
    let k = 2.0 / (n as f64 + 1.0);
    with_fma(
        #[inline(always)]
        move || {
            let mut prev = seed;
            for (i, &v) in x.iter().enumerate().skip(n) {
                prev = ema_step(prev, v, k);
                put(i, prev);
            }
        },
    );
}

/// Williams fractal: 100 at bar t when bar t − right is the (strict)
/// highest high (`high`, on `h`) or lowest low (on `l`) of the
/// `left + right + 1` bars ending at t, 0 otherwise.
pub fn fractal(h: &[f64], l: &[f64], left: usize, right: usize, high: bool, out: &mut [f64]) {
    if high {
        marks(h, left, right, |a, b| a > b, out);
    } else {
        marks(l, left, right, |a, b| a < b, out);
    }
}

/// `fractal` over blocks of centres: for each other bar of the window, one
/// pass over the block comparing every centre with the bar at that offset,
/// without a branch (the compiler vectorises it). A loop over each
/// centre's window that stops at the first bar beating it branches on a
/// coin flip, and mispredicts about once a bar.
fn marks(x: &[f64], left: usize, right: usize, beats: impl Fn(f64, f64) -> bool, out: &mut [f64]) {
    const BLOCK: usize = 256;
    let len = out.len();
    let span = left + right;
    out[..span.min(len)].fill(0.0);
    let mut wins = [true; BLOCK];
    // Centres c in left..len − right, marked at t = c + right.
    let mut start = left;
    while start + right < len {
        let m = BLOCK.min(len - right - start);
        let wins = &mut wins[..m];
        wins.fill(true);
        let centre = &x[start..start + m];
        for k in (0..=span).filter(|&k| k != left) {
            let other = &x[start + k - left..start + k - left + m];
            for ((w, &a), &b) in wins.iter_mut().zip(centre).zip(other) {
                *w &= beats(a, b);
            }
        }
        for (o, &w) in out[start + right..start + right + m].iter_mut().zip(&*wins) {
            *o = if w { 100.0 } else { 0.0 };
        }
        start += m;
    }
}

/// KDJ: K = MA(RSV, slowk), D = MA(K, slowd), J = 3K − 2D; `line` 0, 1, 2.
pub fn kdj(
    b: (&[f64], &[f64], &[f64]),
    fastk: usize,
    k: (usize, MaType),
    d: (usize, MaType),
    line: u8,
    out: &mut [f64],
) {
    let (kl, dl, start) = kd_lines(b, fastk, k, d);
    nan_warmup(out, start);
    for i in start.min(kl.len())..kl.len() {
        out[i] = match line {
            0 => kl[i],
            1 => dl[i],
            _ => 3.0 * kl[i] - 2.0 * dl[i],
        };
    }
}

/// K, D and J at once (`o`: k, d, j), from one pass of each average.
pub fn kdj_all(
    b: (&[f64], &[f64], &[f64]),
    fastk: usize,
    k: (usize, MaType),
    d: (usize, MaType),
    o: [&mut [f64]; 3],
) {
    let (kl, dl, start) = kd_lines(b, fastk, k, d);
    let [ko, dout, jo] = o;
    for out in [&mut *ko, &mut *dout, &mut *jo] {
        nan_warmup(out, start);
    }
    for i in start.min(kl.len())..kl.len() {
        ko[i] = kl[i];
        dout[i] = dl[i];
        jo[i] = 3.0 * kl[i] - 2.0 * dl[i];
    }
}

/// KDJ's K and D columns and the first bar of its output.
fn kd_lines(
    b: (&[f64], &[f64], &[f64]),
    fastk: usize,
    k: (usize, MaType),
    d: (usize, MaType),
) -> (Vec<f64>, Vec<f64>, usize) {
    let (h, l, c) = b;
    let len = c.len();
    let mut rsv = vec![f64::NAN; len];
    range(h, l, fastk, |i, hh, ll| {
        if !hh.is_nan() {
            rsv[i] = ratio(c[i] - ll, hh, ll);
        }
    });
    let mut kl = vec![f64::NAN; len];
    on_valid(&rsv, &mut kl, |a, o| by_type(a, k.0, k.1, o));
    let mut dl = vec![f64::NAN; len];
    on_valid(&kl, &mut dl, |a, o| by_type(a, d.0, d.1, o));
    let start = fastk.saturating_sub(1) + lookback(k.0, k.1) + lookback(d.0, d.1);
    (kl, dl, start)
}

/// SMI's periods: the range window, the two EMAs, the signal EMA.
#[derive(Clone, Copy)]
pub struct SmiPeriods {
    pub n: usize,
    pub fast: usize,
    pub slow: usize,
    pub signal: usize,
}

/// Stochastic momentum index (`want_signal` false) or its EMA signal.
pub fn smi(b: (&[f64], &[f64], &[f64]), p: SmiPeriods, want_signal: bool, out: &mut [f64]) {
    nan_fill(out);
    smi_lines(b, p, |i, v| {
        out[i] = match v {
            None => f64::NAN,
            Some((line, _)) if !want_signal => line,
            Some((_, g)) => g,
        }
    });
}

/// The SMI and its signal at once (`o`: smi, signal).
pub fn smi_all(b: (&[f64], &[f64], &[f64]), p: SmiPeriods, o: [&mut [f64]; 2]) {
    let [lo, so] = o;
    nan_fill(lo);
    nan_fill(so);
    smi_lines(b, p, |i, v| {
        (lo[i], so[i]) = v.unwrap_or((f64::NAN, f64::NAN));
    });
}

/// Hands `put(i, Some((smi, signal)))` every bar from the signal's first
/// value on (`None` at the bars before it that the chain reaches).
fn smi_lines(
    b: (&[f64], &[f64], &[f64]),
    p: SmiPeriods,
    mut put: impl FnMut(usize, Option<(f64, f64)>),
) {
    let (h, l, c) = b;
    let len = c.len();
    let SmiPeriods {
        n,
        fast,
        slow,
        signal,
    } = p;
    if n == 0 || len < n || signal == 0 {
        return;
    }
    let (mut hh, mut ll) = (vec![f64::NAN; len], vec![f64::NAN; len]);
    range(h, l, n, |i, a, b| (hh[i], ll[i]) = (a, b));
    // From the first full window on: the range's and the relative close's
    // double EMAs in lanes of one loop, the line from both and the
    // signal, an EMA of the line seeded with its first `signal` values'
    // mean. Nothing is output before the signal's first value, for either
    // line.
    let f = n - 1;
    let mut sig = Online::new(signal);
    let lanes = |t: usize| {
        let (a, b) = (hh[f + t], ll[f + t]);
        [a - b, c[f + t] - (a + b) / 2.0]
    };
    ema_chain_of(len - f, lanes, [slow, fast], move |t, e| {
        let line = 100.0 * div0(e[1][1], 0.5 * e[1][0]);
        put(f + t, sig.push(line).map(|g| (line, g)));
    });
}

/// Vortex: Σ|h − l₋₁| (plus) or Σ|l − h₋₁| (minus) over Σ true range, n bars.
pub fn vortex(h: &[f64], l: &[f64], c: &[f64], n: usize, plus: bool, out: &mut [f64]) {
    if n == 0 || c.len() <= n {
        return nan_fill(out);
    }
    nan_warmup(out, n);
    vortex_lines(h, l, c, n, |i, p, m| out[i] = if plus { p } else { m });
}

/// +VI and −VI at once (`o`: plus, minus).
pub fn vortex_all(h: &[f64], l: &[f64], c: &[f64], n: usize, o: [&mut [f64]; 2]) {
    let [po, mo] = o;
    if n == 0 || c.len() <= n {
        nan_fill(po);
        return nan_fill(mo);
    }
    nan_warmup(po, n);
    nan_warmup(mo, n);
    vortex_lines(h, l, c, n, |i, p, m| (po[i], mo[i]) = (p, m));
}

/// Hands `put(i, +VI, −VI)` for every bar from `n` on (`n ≥ 1`, more
/// bars than `n`). Each bar's three terms are computed once and kept in a
/// ring for when they leave the window; the sums are running ones, summed
/// afresh every `n` bars from the first (as `window::WindowSum`, in the
/// same order, so the same bits).
fn vortex_lines(h: &[f64], l: &[f64], c: &[f64], n: usize, mut put: impl FnMut(usize, f64, f64)) {
    let len = c.len();
    let (h, l) = (&h[..len], &l[..len]);
    let term = |k: usize| vortex_terms(h, l, c, k);
    let mut ring = vec![[0.0; 3]; n];
    for (slot, k) in ring.iter_mut().zip(1..n) {
        *slot = term(k);
    }
    let mut slot = n - 1;
    let mut fresh = Every::new(n, 0, 0);
    let mut acc = [0.0; 3];
    for i in n..len {
        let t = term(i);
        if fresh.tick() {
            ring[slot] = t;
            let (newer, older) = ring.split_at(slot + 1);
            for (j, a) in acc.iter_mut().enumerate() {
                *a = older.iter().chain(newer).map(|r| r[j]).sum();
            }
        } else {
            let old = ring[slot];
            ring[slot] = t;
            for j in 0..3 {
                acc[j] += t[j] - old[j];
            }
        }
        slot = next_slot(slot, n);
        put(i, div0(acc[0], acc[2]), div0(acc[1], acc[2]));
    }
}

/// Bar k's +VM, −VM and true range (`k ≥ 1`). A closure holding this was
/// not inlined, and handed its three values back through memory.
#[inline(always)]
fn vortex_terms(h: &[f64], l: &[f64], c: &[f64], k: usize) -> [f64; 3] {
    [
        (h[k] - l[k - 1]).abs(),
        (l[k] - h[k - 1]).abs(),
        tr_at(h, l, c, k),
    ]
}

/// SuperTrend over ATR(n) bands `hl2 ± k·ATR`: the trailing band (value)
/// or the direction, 1 up and −1 down (0 during the lookback).
pub fn supertrend(b: (&[f64], &[f64], &[f64]), n: usize, k: f64, direction: bool, out: &mut [f64]) {
    out.fill(if direction { 0.0 } else { f64::NAN });
    supertrend_lines(b, n, k, |i, line, dir| {
        out[i] = if direction { dir } else { line }
    });
}

/// The SuperTrend line and direction at once (`o`: line, direction).
pub fn supertrend_all(b: (&[f64], &[f64], &[f64]), n: usize, k: f64, o: [&mut [f64]; 2]) {
    let [lo, dout] = o;
    lo.fill(f64::NAN);
    dout.fill(0.0);
    supertrend_lines(b, n, k, |i, line, dir| (lo[i], dout[i]) = (line, dir));
}

/// Hands `put(i, line, direction)` for every bar where ATR(n) is defined.
fn supertrend_lines(
    b: (&[f64], &[f64], &[f64]),
    n: usize,
    k: f64,
    mut put: impl FnMut(usize, f64, f64),
) {
    let (h, l, c) = b;
    let len = c.len();
    let mut a = vec![f64::NAN; len];
    atr(h, l, c, n, &mut a);
    let (mut up, mut dn, mut dir) = (0.0, 0.0, 1.0);
    for i in n.max(1)..len {
        if a[i].is_nan() {
            continue;
        }
        let mid = (h[i] + l[i]) / 2.0;
        let (bu, bd) = (mid + k * a[i], mid - k * a[i]);
        if i == n {
            up = bu;
            dn = bd;
            // TA-Lib starts every SuperTrend in an uptrend.
            dir = 1.0;
        } else {
            up = if bu < up || c[i - 1] > up { bu } else { up };
            dn = if bd > dn || c[i - 1] < dn { bd } else { dn };
            if dir < 0.0 && c[i] > up {
                dir = 1.0;
            } else if dir > 0.0 && c[i] < dn {
                dir = -1.0;
            }
        }
        put(i, if dir > 0.0 { dn } else { up }, dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    /// Fractals (1, 1) by hand on highs 1, 3, 2, 5, 4, 4: bar 1 (3 > 1, 2)
    /// and bar 3 (5 > 2, 4) are swing highs, marked one bar later at 2 and
    /// 4. On the same values as lows: bar 2 (2 < 3, 5) is marked at 3, and
    /// bar 4 (4 < 5 but ties bar 5's 4) not at 5 (strict). The first
    /// `left + right` bars are 0.
    #[test]
    fn fractals_by_hand() {
        let x = [1.0, 3.0, 2.0, 5.0, 4.0, 4.0];
        let hi = run1(|o| fractal(&x, &x, 1, 1, true, o), 6);
        assert_close(&hi, &[0.0, 0.0, 100.0, 0.0, 100.0, 0.0]);
        let lo = run1(|o| fractal(&x, &x, 1, 1, false, o), 6);
        assert_close(&lo, &[0.0, 0.0, 0.0, 100.0, 0.0, 0.0]);
    }

    /// Against the window loop it replaced, on 1,000 bars that cross the
    /// 256-bar blocks, for spans up to 5 on each side.
    #[test]
    fn fractal_blocks_equal_the_window_loop() {
        let x: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 101) as f64).collect();
        for left in 0..=5 {
            for right in 0..=5 {
                for high in [true, false] {
                    let got = run1(|o| fractal(&x, &x, left, right, high, o), x.len());
                    for (t, &g) in got.iter().enumerate() {
                        let want = t >= left + right && {
                            let c = t - right;
                            (t - left - right..=t).filter(|&k| k != c).all(|k| {
                                if high {
                                    x[c] > x[k]
                                } else {
                                    x[c] < x[k]
                                }
                            })
                        };
                        assert_eq!(g, if want { 100.0 } else { 0.0 }, "{left} {right} {t}");
                    }
                }
            }
        }
    }

    /// Vortex n = 2 by hand on h 3, 4, 6, 5; l 1, 2, 3, 2; c 2, 3, 5, 3:
    /// bar 1: +VM |4 − 1| = 3, −VM |2 − 3| = 1, TR max(2, |2 − 4|, |2 − 2|)
    /// = 2; bar 2: |6 − 2| = 4, |3 − 4| = 1, max(3, |3 − 6|, 0) = 3; bar 3:
    /// |5 − 3| = 2, |2 − 6| = 4, max(3, 0, |5 − 2|) = 3. At 2: +VI
    /// (3 + 4)/(2 + 3) = 1.4, −VI 2/5; at 3: (4 + 2)/6 = 1, (1 + 4)/6.
    #[test]
    fn vortex_by_hand() {
        let (h, l, c) = (
            [3.0, 4.0, 6.0, 5.0],
            [1.0, 2.0, 3.0, 2.0],
            [2.0, 3.0, 5.0, 3.0],
        );
        let n = f64::NAN;
        let plus = run1(|o| vortex(&h, &l, &c, 2, true, o), 4);
        assert_close(&plus, &[n, n, 1.4, 1.0]);
        let minus = run1(|o| vortex(&h, &l, &c, 2, false, o), 4);
        assert_close(&minus, &[n, n, 0.4, 5.0 / 6.0]);
    }
}
