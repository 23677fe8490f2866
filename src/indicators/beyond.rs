//! Indicators popular in pandas-ta, TradingView and freqtrade strategies
//! that TA-Lib lacks: VWAP anchored to calendar periods, the Ichimoku lines
//! aligned so that no value reads a later bar, the Hurst exponent by
//! rescaled range, and the rolling percentile rank.

use super::rolling::range;
use super::{nan_fill, nan_warmup};
use crate::data::resample::Rule;

/// VWAP of the typical price, summed afresh at each anchor period's start:
/// `anchor` is a rule's code (`anchor_code`), 0 for no anchor at all.
pub fn vwap(h: &[f64], l: &[f64], c: &[f64], v: &[f64], ts: &[i64], anchor: f64, out: &mut [f64]) {
    let rule = anchor_rule(anchor);
    let first = ts.first().copied().unwrap_or(0);
    let (mut pv, mut vol, mut bin) = (0.0, 0.0, i64::MIN);
    for i in 0..out.len() {
        if let Some(r) = rule {
            let b = r.bin(ts[i], first);
            if b != bin {
                (pv, vol, bin) = (0.0, 0.0, b);
            }
        }
        pv += (h[i] + l[i] + c[i]) / 3.0 * v[i];
        vol += v[i];
        out[i] = if vol != 0.0 { pv / vol } else { f64::NAN };
    }
}

/// A timeframe as one number for the catalogue: a fixed width in
/// milliseconds, or −k for k calendar weeks; 0 for none.
pub fn anchor_code(rule: Option<Rule>) -> f64 {
    match rule {
        None => 0.0,
        Some(Rule::Fixed(ms)) => ms as f64,
        Some(Rule::Weeks(k)) => -(k as f64),
    }
}

fn anchor_rule(code: f64) -> Option<Rule> {
    if code > 0.0 {
        Some(Rule::Fixed(code as i64))
    } else if code < 0.0 {
        Some(Rule::Weeks(-code as i64))
    } else {
        None
    }
}

/// `(highest high + lowest low)/2` over `n` bars, shown `shift` bars later
/// (Ichimoku's tenkan and kijun with no shift, senkou B with one).
pub fn ichimoku_mid(h: &[f64], l: &[f64], n: usize, shift: usize, out: &mut [f64]) {
    let len = out.len();
    nan_warmup(out, if n == 0 { usize::MAX } else { n - 1 + shift });
    range(h, l, n, |i, hh, ll| {
        if i + shift < len {
            out[i + shift] = (hh + ll) / 2.0;
        }
    });
}

/// Senkou span A: `(tenkan + kijun)/2`, shown `shift` bars later, so the
/// value at bar t is the one computed at t − shift.
pub fn senkou_a(h: &[f64], l: &[f64], tenkan: usize, kijun: usize, shift: usize, out: &mut [f64]) {
    let len = out.len();
    let (mut t, mut k) = (vec![f64::NAN; len], vec![f64::NAN; len]);
    ichimoku_mid(h, l, tenkan, 0, &mut t);
    ichimoku_mid(h, l, kijun, 0, &mut k);
    nan_warmup(out, shift);
    for i in shift..len {
        out[i] = (t[i - shift] + k[i - shift]) / 2.0;
    }
}

/// The Hurst exponent of `x`'s one-bar changes over the last `n` bars by
/// rescaled range: for chunk sizes n−1, (n−1)/2, … down to 8, the mean R/S
/// of the chunks; H is the least-squares slope of ln(R/S) on ln(size).
/// First value at `n − 1`; needs n ≥ 17 (two sizes).
pub fn hurst(x: &[f64], n: usize, out: &mut [f64]) {
    if n < 17 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let mut sizes = Vec::new();
    let mut s = n - 1;
    while s >= 8 {
        sizes.push(s);
        s /= 2;
    }
    let mut d = vec![0.0; n - 1];
    for i in n - 1..x.len() {
        for (k, v) in d.iter_mut().enumerate() {
            let j = i + 1 - n + k;
            *v = x[j + 1] - x[j];
        }
        let pts: Vec<(f64, f64)> = sizes
            .iter()
            .filter_map(|&size| {
                let rs: Vec<f64> = d.chunks_exact(size).filter_map(rescaled_range).collect();
                (!rs.is_empty()).then(|| {
                    let mean = rs.iter().sum::<f64>() / rs.len() as f64;
                    ((size as f64).ln(), mean.ln())
                })
            })
            .collect();
        out[i] = slope(&pts);
    }
}

/// R/S of one chunk: the range of the mean-adjusted cumulative sum over the
/// population standard deviation; None for a flat chunk.
fn rescaled_range(c: &[f64]) -> Option<f64> {
    let m = c.iter().sum::<f64>() / c.len() as f64;
    let (mut acc, mut lo, mut hi, mut ss) = (0.0f64, 0.0f64, 0.0f64, 0.0);
    for v in c {
        acc += v - m;
        lo = lo.min(acc);
        hi = hi.max(acc);
        ss += (v - m) * (v - m);
    }
    let sd = (ss / c.len() as f64).sqrt();
    (sd > 0.0).then(|| (hi - lo) / sd)
}

fn slope(p: &[(f64, f64)]) -> f64 {
    if p.len() < 2 {
        return f64::NAN;
    }
    let n = p.len() as f64;
    let (mx, my) = (
        p.iter().map(|q| q.0).sum::<f64>() / n,
        p.iter().map(|q| q.1).sum::<f64>() / n,
    );
    let sxy: f64 = p.iter().map(|q| (q.0 - mx) * (q.1 - my)).sum();
    let sxx: f64 = p.iter().map(|q| (q.0 - mx) * (q.0 - mx)).sum();
    sxy / sxx
}

/// The percentile rank of `x[t]` among the last `n` values, ties averaged,
/// in (0, 1]: pandas' `rolling(n).rank(pct=True)`.
pub fn rolling_rank(x: &[f64], n: usize, out: &mut [f64]) {
    nan_fill(out);
    if n == 0 {
        return;
    }
    // Its window's direct count costs what the tree does at about 250.
    super::window_rank::counts(x, n, 1, n - 1, 256, |i, below, equal| {
        out[i] = (below as f64 + (equal as f64 + 1.0) / 2.0) / n as f64;
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn ichimoku_and_rank_by_hand() {
        let h = [3.0, 5.0, 4.0, 6.0];
        let l = [1.0, 2.0, 2.0, 3.0];
        let n = f64::NAN;
        // Tenkan(2): (max(3,5) + min(1,2))/2 = 3, then (5+2)/2, (6+2)/2.
        assert_close(
            &run1(|o| ichimoku_mid(&h, &l, 2, 0, o), 4),
            &[n, 3.0, 3.5, 4.0],
        );
        // The same shown one bar later: bar 2 shows what bar 1 knew.
        assert_close(
            &run1(|o| ichimoku_mid(&h, &l, 2, 1, o), 4),
            &[n, n, 3.0, 3.5],
        );
        // Rank among 3: 2 of [1, 3, 2] is 2nd → 2/3; ties [2, 2, 2] average to (0 + 4/2)/3.
        let x = [1.0, 3.0, 2.0, 2.0, 2.0];
        assert_close(
            &run1(|o| rolling_rank(&x, 3, o), 5),
            &[n, n, 2.0 / 3.0, 0.5, 2.0 / 3.0],
        );
    }
}
