//! TA-Lib's other oscillators: MOM and the ROC family, Aroon, BOP, APO/PPO,
//! MACDEXT, TRIX, the ultimate oscillator, STOCH/STOCHF/STOCHRSI with any
//! MA type, NATR, MIDPOINT and MIDPRICE.

use super::ma::{chain_start, ema_chain};
use super::matype::{by_type, by_type_from, lookback, on_valid, MaType};
use super::momentum::{ratio, rsi, write_line, MacdLine};
use super::rolling::range;
use super::volatility::atr_each;
use super::{c_max, c_min, nan_fill, nan_warmup, near_zero, next_slot};

/// The ROC family: `x − x[t−n]` (MOM), `(x − p)/p` (ROCP), `x/p` (ROCR),
/// `100·x/p` (ROCR100); 0 where `p` is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Mom,
    Rocp,
    Rocr,
    Rocr100,
}

pub fn change(x: &[f64], n: usize, kind: Change, out: &mut [f64]) {
    nan_warmup(out, n);
    for i in n..x.len() {
        let p = x[i - n];
        out[i] = match kind {
            Change::Mom => x[i] - p,
            _ if p == 0.0 => 0.0,
            Change::Rocp => (x[i] - p) / p,
            Change::Rocr => x[i] / p,
            Change::Rocr100 => (x[i] / p) * 100.0,
        };
    }
}

/// Aroon down (`up == false`) or up over `n + 1` bars: `100/n·(n − bars since
/// the extreme)`, the latest extreme winning ties; first value at `n`.
pub fn aroon(h: &[f64], l: &[f64], n: usize, up: bool, out: &mut [f64]) {
    if n == 0 || h.len() <= n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n);
    let factor = 100.0 / n as f64;
    let better = |a: usize, b: usize| if up { h[a] >= h[b] } else { l[a] <= l[b] };
    // TA-Lib's loop: the extreme's index is kept and the window rescanned
    // only when it falls out; the latest of equal extremes wins either way.
    let mut at = 0;
    for i in n..h.len() {
        if i == n || at < i - n {
            at = i - n;
            for j in i - n + 1..=i {
                if better(j, at) {
                    at = j;
                }
            }
        } else if better(i, at) {
            at = i;
        }
        out[i] = factor * (n - (i - at)) as f64;
    }
}

/// Aroon up − Aroon down.
pub fn aroonosc(h: &[f64], l: &[f64], n: usize, out: &mut [f64]) {
    let mut down = vec![f64::NAN; out.len()];
    aroon(h, l, n, true, out);
    aroon(h, l, n, false, &mut down);
    for (o, d) in out.iter_mut().zip(&down) {
        *o -= d;
    }
}

/// Balance of power `(c − o)/(h − l)`, 0 on a flat bar.
pub fn bop(o: &[f64], h: &[f64], l: &[f64], c: &[f64], out: &mut [f64]) {
    for i in 0..out.len() {
        let r = h[i] - l[i];
        out[i] = if near_zero(r, h[i], l[i]) {
            0.0
        } else {
            (c[i] - o[i]) / r
        };
    }
}

/// APO (`percent == false`: fast − slow) or PPO (`100·(fast − slow)/slow`)
/// of two moving averages of one type, each seeded at its own lookback.
pub fn price_osc(x: &[f64], fast: usize, slow: usize, t: MaType, percent: bool, out: &mut [f64]) {
    let (fast, slow) = if slow < fast {
        (slow, fast)
    } else {
        (fast, slow)
    };
    let start = lookback(slow, t);
    if x.len() <= start {
        nan_fill(out);
        return;
    }
    nan_warmup(out, start);
    let mut f = vec![f64::NAN; x.len()];
    let mut s = vec![f64::NAN; x.len()];
    by_type(x, fast, t, &mut f);
    by_type(x, slow, t, &mut s);
    for i in start..x.len() {
        out[i] = if !percent {
            f[i] - s[i]
        } else if near_zero(s[i], 0.0, 0.0) {
            0.0
        } else {
            ((f[i] - s[i]) / s[i]) * 100.0
        };
    }
}

/// MACD with a moving-average type for each line (MACDEXT).
#[allow(clippy::too_many_arguments)]
pub fn macdext(
    x: &[f64],
    (fast, ft): (usize, MaType),
    (slow, st): (usize, MaType),
    (signal, sgt): (usize, MaType),
    outs: &mut [(MacdLine, &mut [f64])],
) {
    for (_, o) in outs.iter_mut() {
        nan_fill(o);
    }
    let ((fast, ft), (slow, st)) = if slow < fast {
        ((slow, st), (fast, ft))
    } else {
        ((fast, ft), (slow, st))
    };
    let largest = lookback(fast, ft).max(lookback(slow, st));
    let total = largest + lookback(signal, sgt);
    if x.len() <= total {
        return;
    }
    let mut f = vec![f64::NAN; x.len()];
    let mut s = vec![f64::NAN; x.len()];
    by_type_from(x, fast, ft, largest, &mut f);
    by_type_from(x, slow, st, largest, &mut s);
    let m: Vec<f64> = f.iter().zip(&s).map(|(a, b)| a - b).collect();
    let mut sig = vec![f64::NAN; x.len()];
    by_type(&m[largest..], signal, sgt, &mut sig[largest..]);
    for (line, o) in outs.iter_mut() {
        write_line(&m, &sig, total, *line, o);
    }
}

/// TRIX: the one-bar rate of change, in percent, of a triple EMA; first
/// value at `3(n − 1) + 1`.
pub fn trix(x: &[f64], n: usize, out: &mut [f64]) {
    // Each bar after the chain's first has a previous value to change from.
    nan_warmup(out, chain_start(&[n; 3]).saturating_add(1));
    let mut prev = f64::NAN;
    ema_chain(x, [n; 3], |t, e| {
        out[t] = if prev.is_nan() {
            f64::NAN
        } else if prev != 0.0 {
            (e[2] / prev - 1.0) * 100.0
        } else {
            0.0
        };
        prev = e[2];
    });
}

/// Ultimate oscillator over three periods (sorted, shortest weighted 4,
/// then 2, then 1); first value at the longest.
pub fn ultosc(h: &[f64], l: &[f64], c: &[f64], periods: [usize; 3], out: &mut [f64]) {
    let mut p = periods;
    p.sort_unstable();
    let start = p[2];
    if p[0] == 0 || c.len() <= start {
        nan_fill(out);
        return;
    }
    nan_warmup(out, start);
    let len = c.len();
    let (h, l, c) = (&h[..len], &l[..len], &c[..len]);
    // TA-Lib's CALC_TERMS: the close above the true low, and the true range.
    let terms = |d: usize| {
        let prev = c[d - 1];
        let true_low = c_min(l[d], prev);
        let tr = c_max((prev - h[d]).abs(), h[d] - l[d]);
        (c[d] - true_low, c_max((prev - l[d]).abs(), tr))
    };
    // The terms of the last `n` bars, bar d in slot (d − 1) mod n: each
    // bar's computed once, where TA-Lib computes them again for each of
    // the three windows it leaves.
    let n = start;
    let mut ring = vec![(0.0, 0.0); n];
    for d in 1..start {
        ring[d - 1] = terms(d);
    }
    let mut a = [0.0; 3];
    let mut b = [0.0; 3];
    for k in 0..3 {
        for d in start + 1 - p[k]..start {
            a[k] += ring[d - 1].0;
            b[k] += ring[d - 1].1;
        }
    }
    // Slots of today and of the bar each window drops after today.
    let mut s = n - 1;
    let mut drop = p.map(|pk| (n - pk) % n);
    for today in start..len {
        let (x, y) = terms(today);
        ring[s] = (x, y);
        let mut v = 0.0;
        for k in 0..3 {
            a[k] += x;
            b[k] += y;
        }
        for (k, w) in [4.0, 2.0, 1.0].iter().enumerate() {
            if !near_zero(b[k], 0.0, 0.0) {
                v += w * (a[k] / b[k]);
            }
        }
        out[today] = 100.0 * (v / 7.0);
        for k in 0..3 {
            let (x, y) = ring[drop[k]];
            a[k] -= x;
            b[k] -= y;
            drop[k] = next_slot(drop[k], n);
        }
        s = next_slot(s, n);
    }
}

/// Raw %K, `100·(c − LL)/(HH − LL)` over `n` bars; first value at `n − 1`.
fn fast_k(h: &[f64], l: &[f64], c: &[f64], n: usize) -> Vec<f64> {
    let mut k = vec![f64::NAN; c.len()];
    range(h, l, n, |i, hh, ll| {
        if !hh.is_nan() {
            k[i] = ratio(c[i] - ll, hh, ll);
        }
    });
    k
}

/// Which stochastic line: STOCH's slow %K/%D or STOCHF's fast %K/%D.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StochOut {
    First,
    Second,
}

/// STOCH: slow %K = MA(fast %K), slow %D = MA(slow %K), each of its type;
/// both lines start at the total lookback.
#[allow(clippy::too_many_arguments)]
pub fn stoch(
    h: &[f64],
    l: &[f64],
    c: &[f64],
    fastk: usize,
    (sk, skt): (usize, MaType),
    (sd, sdt): (usize, MaType),
    outs: &mut [(StochOut, &mut [f64])],
) {
    for (_, o) in outs.iter_mut() {
        nan_fill(o);
    }
    let total = fastk.saturating_sub(1) + lookback(sk, skt) + lookback(sd, sdt);
    if fastk == 0 || c.len() <= total {
        return;
    }
    let k = fast_k(h, l, c, fastk);
    let mut slow_k = vec![f64::NAN; c.len()];
    on_valid(&k, &mut slow_k, |a, o| by_type(a, sk, skt, o));
    let mut slow_d = vec![f64::NAN; c.len()];
    on_valid(&slow_k, &mut slow_d, |a, o| by_type(a, sd, sdt, o));
    for (line, o) in outs.iter_mut() {
        let src = if *line == StochOut::First {
            &slow_k
        } else {
            &slow_d
        };
        o[total..].copy_from_slice(&src[total..]);
    }
}

/// STOCHF: fast %K and %D = MA(fast %K); both start at the total lookback.
pub fn stochf(
    h: &[f64],
    l: &[f64],
    c: &[f64],
    fastk: usize,
    (fd, fdt): (usize, MaType),
    outs: &mut [(StochOut, &mut [f64])],
) {
    for (_, o) in outs.iter_mut() {
        nan_fill(o);
    }
    let total = fastk.saturating_sub(1) + lookback(fd, fdt);
    if fastk == 0 || c.len() <= total {
        return;
    }
    let k = fast_k(h, l, c, fastk);
    let d = outs.iter().any(|(l, _)| *l == StochOut::Second).then(|| {
        let mut d = vec![f64::NAN; c.len()];
        on_valid(&k, &mut d, |a, o| by_type(a, fd, fdt, o));
        d
    });
    for (line, o) in outs.iter_mut() {
        let src = match (line, &d) {
            (StochOut::Second, Some(d)) => d,
            _ => &k,
        };
        o[total..].copy_from_slice(&src[total..]);
    }
}

/// STOCHRSI: STOCHF of the RSI; first value at `n + fastk − 1 + lookback(fastd)`.
pub fn stochrsi(
    x: &[f64],
    n: usize,
    fastk: usize,
    fastd: (usize, MaType),
    outs: &mut [(StochOut, &mut [f64])],
) {
    let mut r = vec![f64::NAN; x.len()];
    rsi(x, n, &mut r);
    for (_, o) in outs.iter_mut() {
        nan_fill(o);
    }
    if n < x.len() {
        let mut tails: Vec<(StochOut, &mut [f64])> =
            outs.iter_mut().map(|(l, o)| (*l, &mut o[n..])).collect();
        stochf(&r[n..], &r[n..], &r[n..], fastk, fastd, &mut tails);
    }
}

/// PLUS_DM (`plus`) or MINUS_DM: the Wilder sum of directional movement,
/// seeded with bars 1..=n−1 at `n − 1`, then `S·(1 − 1/n) + dm` (TA-Lib's
/// `S − S/n + dm` with the divide off the chain); raw DM for n = 1.
pub fn dm(h: &[f64], l: &[f64], n: usize, plus: bool, out: &mut [f64]) {
    let len = h.len();
    if n == 0 || len < n.max(2) {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n.max(2) - 1);
    let step = |i: usize| {
        let (up, down) = (h[i] - h[i - 1], l[i - 1] - l[i]);
        if plus {
            if up > 0.0 && up > down {
                up
            } else {
                0.0
            }
        } else if down > 0.0 && up < down {
            down
        } else {
            0.0
        }
    };
    if n == 1 {
        for i in 1..len {
            out[i] = step(i);
        }
        return;
    }
    let mut s: f64 = (1..n).map(step).sum();
    out[n - 1] = s;
    let keep = 1.0 - 1.0 / n as f64;
    for i in n..len {
        s = s * keep + step(i);
        out[i] = s;
    }
}

/// NATR: `100·ATR/close`, 0 where the close is 0.
pub fn natr(h: &[f64], l: &[f64], c: &[f64], n: usize, out: &mut [f64]) {
    atr_each(h, l, c, n, out, |i, a| {
        if c[i] != 0.0 {
            (a / c[i]) * 100.0
        } else {
            0.0
        }
    });
}

/// `(highest(a, n) + lowest(b, n))/2`: MIDPOINT with `a = b = x`, MIDPRICE
/// with the highs and lows.
pub fn midpoint(a: &[f64], b: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || a.len().min(b.len()) < n {
        return nan_fill(out);
    }
    nan_warmup(out, n - 1);
    range(a, b, n, |i, h, l| out[i] = (h + l) / 2.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn aroon_and_changes_by_hand() {
        let h = [1.0, 3.0, 2.0, 2.0];
        let l = [0.0, 1.0, 0.5, 0.5];
        let n = f64::NAN;
        // n = 2 at bar 2: the high of bar 1 is 1 bar back: 100/2·(2 − 1) = 50;
        // the low of bar 0 is 2 back: 0. At bar 3 the lows tie; the latest (3) wins: 100.
        assert_close(&run1(|o| aroon(&h, &l, 2, true, o), 4), &[n, n, 50.0, 0.0]);
        assert_close(
            &run1(|o| aroon(&h, &l, 2, false, o), 4),
            &[n, n, 0.0, 100.0],
        );
        let x = [2.0, 4.0, 3.0];
        assert_close(&run1(|o| change(&x, 1, Change::Mom, o), 3), &[n, 2.0, -1.0]);
        assert_close(
            &run1(|o| change(&x, 1, Change::Rocp, o), 3),
            &[n, 1.0, -0.25],
        );
        assert_close(
            &run1(|o| change(&x, 1, Change::Rocr100, o), 3),
            &[n, 200.0, 75.0],
        );
    }

    /// ULTOSC's ring of terms against the definition summed afresh at
    /// every bar, for period sets with ties and with period 1 (where a
    /// window drops the bar it just added): the ring's slots are right.
    #[test]
    fn ultosc_ring_equals_fresh_window_sums() {
        let c: Vec<f64> = (0..40)
            .map(|i| 10.0 + ((i * 7) % 11) as f64 * 0.5)
            .collect();
        let h: Vec<f64> = c
            .iter()
            .enumerate()
            .map(|(i, v)| v + 0.3 + (i % 3) as f64)
            .collect();
        let l: Vec<f64> = c
            .iter()
            .enumerate()
            .map(|(i, v)| v - 0.2 - (i % 4) as f64)
            .collect();
        for periods in [[7, 14, 28], [1, 1, 1], [1, 2, 2], [3, 3, 5], [2, 5, 9]] {
            let longest = periods[2];
            let mut want = vec![f64::NAN; c.len()];
            for t in longest..c.len() {
                let mut v = 0.0;
                for (p, w) in periods.iter().zip([4.0, 2.0, 1.0]) {
                    let (mut a, mut b) = (0.0, 0.0);
                    for d in t + 1 - p..=t {
                        a += c[d] - l[d].min(c[d - 1]);
                        b += (h[d] - l[d])
                            .max((c[d - 1] - h[d]).abs())
                            .max((c[d - 1] - l[d]).abs());
                    }
                    v += w * a / b;
                }
                want[t] = 100.0 * v / 7.0;
            }
            let got = run1(|o| ultosc(&h, &l, &c, periods, o), c.len());
            assert_close(&got, &want);
        }
    }
}
