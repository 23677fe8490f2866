//! The functions TA-Lib 0.8 added: Awesome/accelerator oscillators,
//! Coppock, DPO, efficiency ratio, Elder ray, forecast oscillator, fractals,
//! IMI, KDJ, QStick, SMI, TSI, VHF, Vortex, Williams A/D, Keltner,
//! acceleration bands, SuperTrend, percentiles, and the volume family
//! (CMF, EFI, Market facilitation, NVI/PVI, PVT, RVOL, VWAP).

use super::ma::{ema, sma, wma};
use super::matype::{by_type, lookback, on_valid, MaType};
use super::momentum::ratio;
use super::rolling::{highest, lowest};
use super::stats::{linreg, Fit};
use super::volatility::{atr, stddev};
use super::{nan_fill, near_zero};

/// `a / b`, 0 where `b` is 0 up to rounding.
fn div0(a: f64, b: f64) -> f64 {
    if near_zero(b, 0.0, 0.0) {
        0.0
    } else {
        a / b
    }
}

/// Sums of `t[k]` over each window `[i + 1 − n, i]` for `i ≥ from + n − 1`
/// (earlier entries NaN): a running sum, summed afresh every `n` bars so
/// rounding cannot build up.
fn window_sums(t: &[f64], n: usize, from: usize) -> Vec<f64> {
    let len = t.len();
    let mut out = vec![f64::NAN; len];
    if n == 0 || len < from + n {
        return out;
    }
    let mut acc = 0.0;
    for i in from + n - 1..len {
        if (i + 1 - n - from) % n == 0 {
            acc = t[i + 1 - n..=i].iter().sum();
        } else {
            acc += t[i] - t[i - n];
        }
        out[i] = acc;
    }
    out
}

/// An SMA of `f(i)` over bars.
fn sma_of(len: usize, n: usize, f: impl Fn(usize) -> f64, out: &mut [f64]) {
    let x: Vec<f64> = (0..len).map(f).collect();
    sma(&x, n, out);
}

/// Awesome oscillator: SMA(median, fast) − SMA(median, slow).
pub fn ao(h: &[f64], l: &[f64], fast: usize, slow: usize, out: &mut [f64]) {
    let len = out.len();
    let mut s = vec![f64::NAN; len];
    sma_of(len, fast, |i| (h[i] + l[i]) / 2.0, out);
    sma_of(len, slow, |i| (h[i] + l[i]) / 2.0, &mut s);
    for (o, s) in out.iter_mut().zip(&s) {
        *o -= s;
    }
}

/// Accelerator oscillator: AO − SMA(AO, signal).
pub fn ac(h: &[f64], l: &[f64], fast: usize, slow: usize, signal: usize, out: &mut [f64]) {
    let mut a = vec![f64::NAN; out.len()];
    ao(h, l, fast, slow, &mut a);
    on_valid(&a, out, |x, o| sma(x, signal, o));
    for (o, a) in out.iter_mut().zip(&a) {
        *o = a - *o;
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
    sma(x, n, out);
    let back = n / 2 + 1;
    for i in 0..x.len() {
        out[i] = if i >= back {
            x[i - back] - out[i]
        } else {
            f64::NAN
        };
    }
}

/// Kaufman's efficiency ratio `|x − x[t−n]| / Σ|Δx|` over n changes.
pub fn er(x: &[f64], n: usize, out: &mut [f64]) {
    nan_fill(out);
    let steps: Vec<f64> = (0..x.len())
        .map(|k| if k == 0 { 0.0 } else { (x[k] - x[k - 1]).abs() })
        .collect();
    let path = window_sums(&steps, n, 1);
    for i in n..x.len() {
        out[i] = div0((x[i] - x[i - n]).abs(), path[i]);
    }
}

/// Vertical horizontal filter: (HH − LL of x)/Σ|Δx| over n.
pub fn vhf(x: &[f64], n: usize, out: &mut [f64]) {
    nan_fill(out);
    let len = x.len();
    let steps: Vec<f64> = (0..len)
        .map(|k| if k == 0 { 0.0 } else { (x[k] - x[k - 1]).abs() })
        .collect();
    let path = window_sums(&steps, n, 1);
    let (mut hh, mut ll) = (vec![f64::NAN; len], vec![f64::NAN; len]);
    highest(x, n, &mut hh);
    lowest(x, n, &mut ll);
    for i in n..len {
        out[i] = div0(hh[i] - ll[i], path[i]);
    }
}

/// Intraday momentum index: `100·Σ up bodies / Σ all bodies` over n bars.
pub fn imi(o: &[f64], c: &[f64], n: usize, out: &mut [f64]) {
    nan_fill(out);
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
    nan_fill(out);
    let len = x.len();
    let d = |k: usize| if k == 0 { 0.0 } else { x[k] - x[k - 1] };
    let up: Vec<f64> = (0..len).map(|k| d(k).max(0.0)).collect();
    let down: Vec<f64> = (0..len).map(|k| (-d(k)).max(0.0)).collect();
    let (su, sd) = (window_sums(&up, n, 1), window_sums(&down, n, 1));
    for i in n..len {
        out[i] = 100.0 * div0(su[i] - sd[i], su[i] + sd[i]);
    }
}

/// Elder ray: bull power `high − EMA(close, n)` or bear power `low − EMA`.
pub fn eri(h: &[f64], l: &[f64], c: &[f64], n: usize, bull: bool, out: &mut [f64]) {
    ema(c, n, out);
    let p = if bull { h } else { l };
    for (o, p) in out.iter_mut().zip(p) {
        *o = p - *o;
    }
}

/// Forecast oscillator: `100·(x − TSF[t−1])/x`.
pub fn fosc(x: &[f64], n: usize, out: &mut [f64]) {
    let mut t = vec![f64::NAN; x.len()];
    linreg(x, n, Fit::Forecast, &mut t);
    nan_fill(out);
    for i in 1..x.len() {
        if !t[i - 1].is_nan() {
            out[i] = 100.0 * div0(x[i] - t[i - 1], x[i]);
        }
    }
}

/// Williams fractal: 100 at bar t when bar t − right is the (strict)
/// highest high (or lowest low) of the `left + right + 1` bars ending at t.
pub fn fractal(h: &[f64], l: &[f64], left: usize, right: usize, high: bool, out: &mut [f64]) {
    out.fill(0.0);
    let span = left + right;
    for t in span..out.len() {
        let c = t - right;
        let wins =
            (t - span..=t).filter(|&k| k != c).all(
                |k| {
                    if high {
                        h[c] > h[k]
                    } else {
                        l[c] < l[k]
                    }
                },
            );
        if wins {
            out[t] = 100.0;
        }
    }
}

/// KDJ: K = MA(RSV, slowk), D = MA(K, slowd), J = 3K − 2D.
pub fn kdj(
    b: (&[f64], &[f64], &[f64]),
    fastk: usize,
    k: (usize, MaType),
    d: (usize, MaType),
    line: u8,
    out: &mut [f64],
) {
    let (h, l, c) = b;
    let len = c.len();
    let (mut hh, mut ll) = (vec![f64::NAN; len], vec![f64::NAN; len]);
    highest(h, fastk, &mut hh);
    lowest(l, fastk, &mut ll);
    let rsv: Vec<f64> = (0..len)
        .map(|i| {
            if hh[i].is_nan() {
                f64::NAN
            } else {
                ratio(c[i] - ll[i], hh[i], ll[i])
            }
        })
        .collect();
    let mut kl = vec![f64::NAN; len];
    on_valid(&rsv, &mut kl, |a, o| by_type(a, k.0, k.1, o));
    let mut dl = vec![f64::NAN; len];
    on_valid(&kl, &mut dl, |a, o| by_type(a, d.0, d.1, o));
    let start = fastk.saturating_sub(1) + lookback(k.0, k.1) + lookback(d.0, d.1);
    nan_fill(out);
    for i in start.min(len)..len {
        out[i] = match line {
            0 => kl[i],
            1 => dl[i],
            _ => 3.0 * kl[i] - 2.0 * dl[i],
        };
    }
}

/// True strength index: `100·EMA(EMA(Δx, r), s)/EMA(EMA(|Δx|, r), s)`.
pub fn tsi(x: &[f64], r: usize, s: usize, out: &mut [f64]) {
    let len = x.len();
    let m: Vec<f64> = (0..len)
        .map(|i| if i == 0 { f64::NAN } else { x[i] - x[i - 1] })
        .collect();
    let a: Vec<f64> = m.iter().map(|v| v.abs()).collect();
    let double = |v: &[f64]| {
        let (mut e1, mut e2) = (vec![f64::NAN; len], vec![f64::NAN; len]);
        on_valid(v, &mut e1, |a, o| ema(a, r, o));
        on_valid(&e1, &mut e2, |a, o| ema(a, s, o));
        e2
    };
    let (num, den) = (double(&m), double(&a));
    for i in 0..len {
        out[i] = if num[i].is_nan() {
            f64::NAN
        } else {
            100.0 * div0(num[i], den[i])
        };
    }
}

/// Stochastic momentum index and its EMA signal.
pub fn smi(
    b: (&[f64], &[f64], &[f64]),
    n: usize,
    fast: usize,
    slow: usize,
    signal: usize,
    want_signal: bool,
    out: &mut [f64],
) {
    let (h, l, c) = b;
    let len = c.len();
    let (mut hh, mut ll) = (vec![f64::NAN; len], vec![f64::NAN; len]);
    highest(h, n, &mut hh);
    lowest(l, n, &mut ll);
    let rel: Vec<f64> = (0..len).map(|i| c[i] - (hh[i] + ll[i]) / 2.0).collect();
    let rng: Vec<f64> = (0..len).map(|i| hh[i] - ll[i]).collect();
    let double = |v: &[f64]| {
        let (mut e1, mut e2) = (vec![f64::NAN; len], vec![f64::NAN; len]);
        on_valid(v, &mut e1, |a, o| ema(a, slow, o));
        on_valid(&e1, &mut e2, |a, o| ema(a, fast, o));
        e2
    };
    let (num, den) = (double(&rel), double(&rng));
    let s: Vec<f64> = (0..len)
        .map(|i| {
            if num[i].is_nan() {
                f64::NAN
            } else {
                100.0 * div0(num[i], 0.5 * den[i])
            }
        })
        .collect();
    let mut sig = vec![f64::NAN; len];
    on_valid(&s, &mut sig, |a, o| ema(a, signal, o));
    let start = crate::indicators::first_valid(&sig);
    nan_fill(out);
    for i in start..len {
        out[i] = if want_signal { sig[i] } else { s[i] };
    }
}

/// Vortex: Σ|h − l₋₁| (plus) or Σ|l − h₋₁| (minus) over Σ true range, n bars.
pub fn vortex(h: &[f64], l: &[f64], c: &[f64], n: usize, plus: bool, out: &mut [f64]) {
    nan_fill(out);
    let len = c.len();
    let term = |k: usize, f: &dyn Fn(usize) -> f64| if k == 0 { 0.0 } else { f(k) };
    let vm: Vec<f64> = (0..len)
        .map(|k| {
            term(k, &|k| {
                if plus {
                    (h[k] - l[k - 1]).abs()
                } else {
                    (l[k] - h[k - 1]).abs()
                }
            })
        })
        .collect();
    let tr: Vec<f64> = (0..len)
        .map(|k| {
            term(k, &|k| {
                (h[k] - l[k])
                    .max((h[k] - c[k - 1]).abs())
                    .max((l[k] - c[k - 1]).abs())
            })
        })
        .collect();
    let (sv, st) = (window_sums(&vm, n, 1), window_sums(&tr, n, 1));
    for i in n.max(1)..len {
        out[i] = div0(sv[i], st[i]);
    }
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

/// Keltner channel (TA-Lib KC): EMA(typical price, n) ± nbdev·Wilder average of the true
/// range over atr, that average seeded at the middle's first bar; `side`
/// 1, 0, −1.
pub fn kc(b: (&[f64], &[f64], &[f64]), n: usize, atr_n: usize, k: f64, side: i8, out: &mut [f64]) {
    let (h, l, c) = b;
    let len = c.len();
    let tp: Vec<f64> = (0..len).map(|i| (h[i] + l[i] + c[i]) / 3.0).collect();
    nan_fill(out);
    let start = n.saturating_sub(1).max(atr_n);
    if n == 0 || atr_n == 0 || len <= start {
        return;
    }
    let mut mid = vec![f64::NAN; len];
    ema(&tp, n, &mut mid);
    let mut tr = vec![f64::NAN; len];
    super::volatility::true_range(h, l, c, &mut tr);
    let mut w = vec![f64::NAN; len];
    super::matype::by_type_from(&tr, atr_n, MaType::Rma, start, &mut w);
    for i in start..len {
        out[i] = match side {
            0 => mid[i],
            1 => mid[i] + k * w[i],
            _ => mid[i] - k * w[i],
        };
    }
}

/// Acceleration bands: SMA of `h·(1 + 4(h−l)/(h+l))`, of the close, of `l·(1 − …)`.
pub fn accbands(b: (&[f64], &[f64], &[f64]), n: usize, side: i8, out: &mut [f64]) {
    let (h, l, c) = b;
    let w = |i: usize| 4.0 * div0(h[i] - l[i], h[i] + l[i]);
    match side {
        1 => sma_of(out.len(), n, |i| h[i] * (1.0 + w(i)), out),
        0 => sma(c, n, out),
        _ => sma_of(out.len(), n, |i| l[i] * (1.0 - w(i)), out),
    }
}

/// SuperTrend over ATR(n) bands `hl2 ± k·ATR`: the trailing band (value)
/// or the direction, 1 up and −1 down (0 during the lookback).
pub fn supertrend(b: (&[f64], &[f64], &[f64]), n: usize, k: f64, direction: bool, out: &mut [f64]) {
    let (h, l, c) = b;
    let len = c.len();
    out.fill(if direction { 0.0 } else { f64::NAN });
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
        out[i] = if direction {
            dir
        } else if dir > 0.0 {
            dn
        } else {
            up
        };
    }
}

/// The `p`-th percentile of the last `n` values (the lower of the two
/// nearest ranks).
pub fn percentile(x: &[f64], n: usize, p: f64, out: &mut [f64]) {
    nan_fill(out);
    if n == 0 || x.len() < n {
        return;
    }
    let rank = ((((n - 1) as f64) * p / 100.0).floor() as usize).min(n - 1);
    // The window kept sorted: each bar removes the oldest value and inserts
    // the newest by binary search, O(n) moves per bar instead of a sort.
    let mut w: Vec<f64> = x[..n].to_vec();
    w.sort_by(f64::total_cmp);
    out[n - 1] = w[rank];
    for i in n..x.len() {
        let old = w.partition_point(|v| v.total_cmp(&x[i - n]).is_lt());
        w.remove(old);
        let at = w.partition_point(|v| v.total_cmp(&x[i]).is_lt());
        w.insert(at, x[i]);
        out[i] = w[rank];
    }
}

/// Percent of the previous `n` values below the current one.
pub fn percentrank(x: &[f64], n: usize, out: &mut [f64]) {
    nan_fill(out);
    for i in n..x.len() {
        let below = x[i - n..i].iter().filter(|v| **v < x[i]).count();
        out[i] = 100.0 * below as f64 / n as f64;
    }
}

/// Relative volatility index: Wilder averages of stddev(x, sd) on up and
/// down bars, `100·U/(U + D)`.
pub fn rvi(x: &[f64], n: usize, sd: usize, out: &mut [f64]) {
    let len = x.len();
    let mut s = vec![f64::NAN; len];
    stddev(x, sd, &mut s);
    nan_fill(out);
    let start = sd.saturating_sub(1).max(1);
    if n == 0 || len < start + n {
        return;
    }
    let split = |i: usize| {
        let d = x[i] - x[i - 1];
        if d > 0.0 {
            (s[i], 0.0)
        } else if d < 0.0 {
            (0.0, s[i])
        } else {
            (0.0, 0.0)
        }
    };
    let (mut u, mut dn) = (0.0, 0.0);
    for i in start..start + n {
        let (a, b) = split(i);
        u += a;
        dn += b;
    }
    let nf = n as f64;
    u /= nf;
    dn /= nf;
    out[start + n - 1] = 100.0 * div0(u, u + dn);
    for i in start + n..len {
        let (a, b) = split(i);
        u = (u * (nf - 1.0) + a) / nf;
        dn = (dn * (nf - 1.0) + b) / nf;
        out[i] = 100.0 * div0(u, u + dn);
    }
}

/// Chaikin money flow: Σ(money-flow multiplier·v)/Σv over n bars.
pub fn cmf(b: (&[f64], &[f64], &[f64], &[f64]), n: usize, out: &mut [f64]) {
    let (h, l, c, v) = b;
    nan_fill(out);
    let len = c.len();
    let mf: Vec<f64> = (0..len)
        .map(|k| div0((c[k] - l[k]) - (h[k] - c[k]), h[k] - l[k]) * v[k])
        .collect();
    let (sm, sv) = (window_sums(&mf, n, 0), window_sums(v, n, 0));
    for i in n.saturating_sub(1)..len {
        out[i] = div0(sm[i], sv[i]);
    }
}

/// Elder's force index: EMA((c − c₋₁)·v, n).
pub fn efi(c: &[f64], v: &[f64], n: usize, out: &mut [f64]) {
    nan_fill(out);
    if c.len() < 2 {
        return;
    }
    let f: Vec<f64> = (1..c.len()).map(|i| (c[i] - c[i - 1]) * v[i]).collect();
    ema(&f, n, &mut out[1..]);
}

/// Cumulative series from bar 0: NVI and PVI from 1000, PVT from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Nvi,
    Pvi,
    Pvt,
}

pub fn flow(c: &[f64], v: &[f64], kind: Flow, out: &mut [f64]) {
    let mut acc = if kind == Flow::Pvt { 0.0 } else { 1000.0 };
    for i in 0..out.len() {
        if i > 0 {
            let r = div0(c[i] - c[i - 1], c[i - 1]);
            match kind {
                Flow::Nvi if v[i] < v[i - 1] => acc += acc * r,
                Flow::Pvi if v[i] > v[i - 1] => acc += acc * r,
                Flow::Pvt => acc += r * v[i],
                _ => {}
            }
        }
        out[i] = acc;
    }
}

/// Relative volume: `v / mean(v over the previous n bars)`.
pub fn rvol(v: &[f64], n: usize, out: &mut [f64]) {
    nan_fill(out);
    for i in n..v.len() {
        let mean = v[i - n..i].iter().sum::<f64>() / n as f64;
        out[i] = div0(v[i], mean);
    }
}

/// VWAP from bar 0: Σ(typical·v)/Σv.
pub fn vwap(b: (&[f64], &[f64], &[f64], &[f64]), out: &mut [f64]) {
    let (h, l, c, v) = b;
    let (mut pv, mut vol) = (0.0, 0.0);
    for i in 0..out.len() {
        pv += (h[i] + l[i] + c[i]) / 3.0 * v[i];
        vol += v[i];
        out[i] = if vol != 0.0 { pv / vol } else { f64::NAN };
    }
}

/// Market facilitation index `(h − l)/v`.
pub fn marketfi(h: &[f64], l: &[f64], v: &[f64], out: &mut [f64]) {
    for i in 0..out.len() {
        out[i] = div0(h[i] - l[i], v[i]);
    }
}

/// Mass index: Σ over `slow` of EMA(h − l, fast)/EMA(EMA(h − l, fast), fast).
pub fn massi(h: &[f64], l: &[f64], fast: usize, slow: usize, out: &mut [f64]) {
    let len = h.len();
    let r: Vec<f64> = (0..len).map(|i| h[i] - l[i]).collect();
    let (mut e1, mut e2) = (vec![f64::NAN; len], vec![f64::NAN; len]);
    ema(&r, fast, &mut e1);
    on_valid(&e1, &mut e2, |a, o| ema(a, fast, o));
    let q: Vec<f64> = (0..len)
        .map(|i| {
            if e2[i].is_nan() {
                f64::NAN
            } else {
                div0(e1[i], e2[i])
            }
        })
        .collect();
    on_valid(&q, out, |a, o| super::ma::sum(a, slow, o));
}

/// Chaikin volatility: rate of change over `roc` bars of EMA(h − l, n), percent.
pub fn cvi(h: &[f64], l: &[f64], n: usize, roc: usize, out: &mut [f64]) {
    let len = h.len();
    let r: Vec<f64> = (0..len).map(|i| h[i] - l[i]).collect();
    let mut e = vec![f64::NAN; len];
    ema(&r, n, &mut e);
    nan_fill(out);
    for i in roc..len {
        if !e[i - roc].is_nan() {
            out[i] = 100.0 * div0(e[i] - e[i - roc], e[i - roc]);
        }
    }
}
