//! The bands, statistics, volatility and volume indicators TA-Lib 0.8
//! added: Keltner (KC), acceleration bands, PERCENTILE,
//! PERCENTRANK, RVI, mass index, Chaikin volatility, CMF, EFI, NVI/PVI/PVT,
//! RVOL and the market facilitation index.

use super::ma::{chain_start, ema, ema_chain_of, sma, window_total};
use super::matype::MaType;
use super::modern::div0;
use super::volatility::stddev;
use super::{nan_fill, nan_warmup, next_slot, Every};

/// Keltner channel (TA-Lib KC): EMA(typical price, n) ± nbdev·Wilder average of the true
/// range over atr, that average seeded at the middle's first bar; `side`
/// 1, 0, −1.
pub fn kc(b: (&[f64], &[f64], &[f64]), n: usize, atr_n: usize, k: f64, side: i8, out: &mut [f64]) {
    let first = kc_each(b, n, atr_n, |i, mid, w| {
        out[i] = match side {
            0 => mid,
            1 => mid + k * w,
            _ => mid - k * w,
        }
    });
    nan_warmup(out, first);
}

/// The three Keltner lines (upper, middle, lower) from one pass.
pub fn kc_all(b: (&[f64], &[f64], &[f64]), n: usize, atr_n: usize, k: f64, out: [&mut [f64]; 3]) {
    let [up, mid, low] = out;
    let first = kc_each(b, n, atr_n, |i, m, w| {
        (up[i], mid[i], low[i]) = (m + k * w, m, m - k * w);
    });
    for o in [up, mid, low] {
        nan_warmup(o, first);
    }
}

/// Each bar's middle line and true-range average, from the first bar both
/// have a value, which it returns (the length when there is none): the
/// caller writes NaN before it.
fn kc_each(
    b: (&[f64], &[f64], &[f64]),
    n: usize,
    atr_n: usize,
    mut emit: impl FnMut(usize, f64, f64),
) -> usize {
    let (h, l, c) = b;
    let len = c.len();
    let start = n.saturating_sub(1).max(atr_n);
    if n == 0 || atr_n == 0 || len <= start {
        return len;
    }
    let tp: Vec<f64> = (0..len).map(|i| (h[i] + l[i] + c[i]) / 3.0).collect();
    let mut mid = vec![f64::NAN; len];
    ema(&tp, n, &mut mid);
    let mut tr = vec![f64::NAN; len];
    super::volatility::true_range(h, l, c, &mut tr);
    let mut w = vec![f64::NAN; len];
    super::matype::by_type_from(&tr, atr_n, MaType::Rma, start, &mut w);
    for i in start..len {
        emit(i, mid[i], w[i]);
    }
    start
}

/// Acceleration bands: SMA of `h·(1 + 4(h−l)/(h+l))`, of the close, of `l·(1 − …)`.
pub fn accbands(b: (&[f64], &[f64], &[f64]), n: usize, side: i8, out: &mut [f64]) {
    let (h, l, c) = b;
    let w = |i: usize| 4.0 * div0(h[i] - l[i], h[i] + l[i]);
    match side {
        0 => sma(c, n, out),
        // The band's values as a column first: `sma_of` would divide twice
        // a bar.
        _ => {
            let up = side == 1;
            let band: Vec<f64> = (0..out.len())
                .map(|i| {
                    if up {
                        h[i] * (1.0 + w(i))
                    } else {
                        l[i] * (1.0 - w(i))
                    }
                })
                .collect();
            sma(&band, n, out)
        }
    }
}

/// The `p`-th percentile of the last `n` values (the lower of the two
/// nearest ranks).
pub fn percentile(x: &[f64], n: usize, p: f64, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
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
    // Its window's direct count costs what the tree does at about 500.
    super::window_rank::counts(x, n, 0, n, 512, |i, below, _| {
        out[i] = 100.0 * below as f64 / n as f64;
    });
}

/// Relative volatility index: Wilder averages of stddev(x, sd) on up and
/// down bars, `100·U/(U + D)`.
pub fn rvi(x: &[f64], n: usize, sd: usize, out: &mut [f64]) {
    let len = x.len();
    let start = sd.saturating_sub(1).max(1);
    if n == 0 || len < start + n {
        return nan_fill(out);
    }
    // The deviation into the output as scratch, each bar's read before its
    // value replaces it; the warm-up's NaN written last.
    stddev(x, sd, out);
    // Bar i's deviation as (up, down) by the close's move, by selects (the
    // direction is a coin flip); no move, or NaN, counts as neither.
    let split = |i: usize, s: f64| {
        let d = x[i] - x[i - 1];
        (if d > 0.0 { s } else { 0.0 }, if d < 0.0 { s } else { 0.0 })
    };
    let (mut u, mut dn) = (0.0, 0.0);
    for i in start..start + n {
        let (a, b) = split(i, out[i]);
        u += a;
        dn += b;
    }
    let nf = n as f64;
    u /= nf;
    dn /= nf;
    out[start + n - 1] = 100.0 * div0(u, u + dn);
    for i in start + n..len {
        let (a, b) = split(i, out[i]);
        u = (u * (nf - 1.0) + a) / nf;
        dn = (dn * (nf - 1.0) + b) / nf;
        out[i] = 100.0 * div0(u, u + dn);
    }
    nan_warmup(out, start + n - 1);
}

/// Chaikin money flow: Σ(money-flow multiplier·v)/Σv over n bars.
pub fn cmf(b: (&[f64], &[f64], &[f64], &[f64]), n: usize, out: &mut [f64]) {
    let (h, l, c, v) = b;
    let len = c.len();
    if n == 0 || len < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let mf = |k: usize| div0((c[k] - l[k]) - (h[k] - c[k]), h[k] - l[k]) * v[k];
    // `WindowSum`'s two sums, on its schedule (afresh at the first window
    // and every n bars after), each flow, a division, computed once and
    // kept in a ring of n for when it leaves: the same terms in the same
    // order, so the same sums. Written out here: the same ring behind a
    // struct was slower (6.2 against 3.9 ms on 1M bars).
    let mut ring = vec![0.0; n];
    for (k, r) in ring[..n - 1].iter_mut().enumerate() {
        *r = mf(k);
    }
    let (mut slot, mut fresh) = (n - 1, Every::new(n, 0, 0));
    let (mut sm, mut sv) = (0.0, 0.0);
    for i in n - 1..len {
        let t = mf(i);
        let old = std::mem::replace(&mut ring[slot], t);
        slot = next_slot(slot, n);
        if fresh.tick() {
            // Oldest (the next slot) to newest.
            sm = ring[slot..].iter().chain(&ring[..slot]).sum();
            sv = v[i + 1 - n..=i].iter().sum();
        } else {
            sm += t - old;
            sv += v[i] - v[i - n];
        }
        out[i] = div0(sm, sv);
    }
}

/// Elder's force index: EMA((c − c₋₁)·v, n).
pub fn efi(c: &[f64], v: &[f64], n: usize, out: &mut [f64]) {
    if c.len() < 2 {
        nan_fill(out);
        return;
    }
    // `ema` of the forces from bar 1, each computed as the EMA reads it.
    nan_warmup(out, chain_start(&[n]).saturating_add(1));
    let force = |t: usize| (c[t + 1] - c[t]) * v[t + 1];
    ema_chain_of(c.len() - 1, force, [n], |t, e| out[t + 1] = e[0]);
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
    let len = v.len();
    if n == 0 || len <= n {
        return nan_fill(out);
    }
    // SUM's running total (TA-Lib's order: its RVOL bit for bit) of the n
    // bars before each, ending a bar before the output it divides.
    nan_warmup(out, 1);
    let nf = n as f64;
    window_total(&v[..len - 1], n, &mut out[1..], |i, total| {
        div0(v[i + 1], total / nf)
    });
}

/// Market facilitation index `(h − l)/v`.
pub fn marketfi(h: &[f64], l: &[f64], v: &[f64], out: &mut [f64]) {
    for i in 0..out.len() {
        out[i] = div0(h[i] - l[i], v[i]);
    }
}

/// Mass index: Σ over `slow` of EMA(h − l, fast)/EMA(EMA(h − l, fast), fast),
/// both EMAs in one pass (`ma::ema_chain`).
pub fn massi(h: &[f64], l: &[f64], fast: usize, slow: usize, out: &mut [f64]) {
    let len = h.len();
    let first = chain_start(&[fast, fast]);
    if slow == 0 || first == usize::MAX {
        return nan_fill(out);
    }
    nan_warmup(out, first.saturating_add(slow - 1));
    // `ma::sum`'s running total (from −0, its order) over the ratios as
    // they come, the last `slow` of them in a ring: no column of them.
    // The state is moved into the closure, so that it stays in registers
    // (captured by reference, it is reloaded and stored on every bar).
    let mut ring = vec![0.0; slow];
    let (mut total, mut slot, mut seen) = (-0.0, 0, 0);
    ema_chain_of(
        len,
        |i| h[i] - l[i],
        [fast, fast],
        move |t, e| {
            let q = div0(e[0], e[1]);
            ring[slot] = q;
            total += q;
            seen += 1;
            // The slot after this one holds the ratio `slow − 1` back.
            slot = next_slot(slot, slow);
            if seen >= slow {
                out[t] = total;
                total -= ring[slot];
            }
        },
    );
}

/// Chaikin volatility: rate of change over `roc` bars of EMA(h − l, n), percent.
/// One pass: the EMA's last `roc` values in a ring, the change read from
/// it as each new value comes.
pub fn cvi(h: &[f64], l: &[f64], n: usize, roc: usize, out: &mut [f64]) {
    let first = chain_start(&[n]);
    if first == usize::MAX {
        return nan_fill(out);
    }
    nan_warmup(out, first.saturating_add(roc));
    // The last `roc` EMAs in a ring, moved into the loop with its slot.
    let mut ring = vec![0.0; roc];
    let (mut slot, mut seen) = (0, 0);
    ema_chain_of(
        h.len(),
        |i| h[i] - l[i],
        [n],
        move |t, e| {
            let now = e[0];
            let then = if roc == 0 {
                now
            } else {
                let then = std::mem::replace(&mut ring[slot], now);
                slot = next_slot(slot, roc);
                seen += 1;
                if seen <= roc {
                    return;
                }
                then
            };
            out[t] = 100.0 * div0(now - then, then);
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    /// h − l = 2, 4, 6, 8, 10 and n = 2 (k = 2/3): the EMA is seeded at
    /// bar 1 with (2 + 4)/2 = 3, then 3 + (6 − 3)·2/3 = 5, 7, 9. Over one
    /// bar: 100·(5 − 3)/3, 100·(7 − 5)/5 = 40, 100·(9 − 7)/7; over none,
    /// 0 wherever the EMA is.
    /// h = 2, l = 0, c = 2, 1, 0, v = 1, 2, 4: the multipliers (c − l −
    /// (h − c))/(h − l) are 1, 0, −1, the flows 1, 0, −4. Over 2 bars:
    /// (1 + 0)/(1 + 2) = 1/3, (0 − 4)/(2 + 4) = −2/3; over 1, each bar's
    /// multiplier (its ring of one slot summed afresh every bar).
    #[test]
    fn cmf_by_hand() {
        let (h, l, c, v) = ([2.0; 3], [0.0; 3], [2.0, 1.0, 0.0], [1.0, 2.0, 4.0]);
        let b = (&h[..], &l[..], &c[..], &v[..]);
        let n = f64::NAN;
        assert_close(&run1(|o| cmf(b, 2, o), 3), &[n, 1.0 / 3.0, -2.0 / 3.0]);
        assert_close(&run1(|o| cmf(b, 1, o), 3), &[1.0, 0.0, -1.0]);
    }

    /// x = 1, 2, 1, 2, 3, deviation over 2 bars: 0.5 from bar 1 on (each
    /// pair differs by 1). n = 2 from bar 1: up 0.5 (bar 1), down 0.5
    /// (bar 2), so u = d = 0.25 and 50 at bar 2; then u = (0.25 + 0.5)/2 =
    /// 0.375, d = 0.125: 75; u = 0.4375, d = 0.0625: 87.5.
    #[test]
    fn rvi_by_hand() {
        let x = [1.0, 2.0, 1.0, 2.0, 3.0];
        let n = f64::NAN;
        assert_close(&run1(|o| rvi(&x, 2, 2, o), 5), &[n, n, 50.0, 75.0, 87.5]);
        assert_close(&run1(|o| rvi(&x, 9, 2, o), 5), &[n; 5]);
    }

    #[test]
    fn cvi_by_hand() {
        let h = [2.0, 4.0, 6.0, 8.0, 10.0];
        let l = [0.0; 5];
        let n = f64::NAN;
        assert_close(
            &run1(|o| cvi(&h, &l, 2, 1, o), 5),
            &[n, n, 200.0 / 3.0, 40.0, 200.0 / 7.0],
        );
        assert_close(&run1(|o| cvi(&h, &l, 2, 0, o), 5), &[n, 0.0, 0.0, 0.0, 0.0]);
        assert_close(&run1(|o| cvi(&h, &l, 2, 4, o), 5), &[n; 5]);
    }
}
