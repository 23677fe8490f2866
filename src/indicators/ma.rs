//! Moving averages: SMA, EMA, WMA, DEMA, TEMA, KAMA, VWMA and rolling sums,
//! following TA-Lib's seeding and warm-up (NaN until the lookback).

use super::fma::{ema_step, with_fma, Lanes};
use super::{nan_fill, nan_warmup};

/// Simple moving average; first value at `n - 1`.
pub fn sma(x: &[f64], n: usize, out: &mut [f64]) {
    window_total(x, n, out, |_, total| total / n as f64);
}

/// Rolling sum over `n` bars; first value at `n - 1`: TA-Lib's SUM, the
/// running total itself (not the SMA times n, which can differ in the
/// last bit).
pub fn sum(x: &[f64], n: usize, out: &mut [f64]) {
    window_total(x, n, out, |_, total| total);
}

/// `f(i, total)` of the running total over each `n`-bar window ending at
/// `i`, in TA-Lib's order: the new value added, the output taken, the
/// oldest value removed.
#[inline(always)]
pub(super) fn window_total(x: &[f64], n: usize, out: &mut [f64], f: impl Fn(usize, f64) -> f64) {
    if n == 0 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let mut total: f64 = x[..n - 1].iter().sum();
    for i in n - 1..x.len() {
        total += x[i];
        out[i] = f(i, total);
        total -= x[i + 1 - n];
    }
}

/// Exponential moving average, `k = 2 / (n + 1)`, seeded with the SMA of the
/// first `n` values at index `n - 1` (TA-Lib's default).
pub fn ema(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let seed = x[..n].iter().sum::<f64>() / n as f64;
    ema_from(x, n, n - 1, seed, out);
}

/// An EMA a value at a time, as `ema` computes it over the values pushed:
/// nothing for the first `n − 1`, then their mean with the `n`-th (summed
/// from −0, as `iter().sum()` adds), then fused steps (`fma::ema_step`).
pub struct Online {
    n: usize,
    k: f64,
    seen: usize,
    value: f64,
}

impl Online {
    pub fn new(n: usize) -> Online {
        Online {
            n,
            k: 2.0 / (n as f64 + 1.0),
            seen: 0,
            value: -0.0,
        }
    }

    /// The EMA after `x`, once there is one.
    #[inline(always)]
    pub fn push(&mut self, x: f64) -> Option<f64> {
        self.seen += 1;
        if self.seen < self.n {
            self.value += x;
            None
        } else {
            self.value = if self.seen == self.n {
                (self.value + x) / self.n as f64
            } else {
                ema_step(self.value, x, self.k)
            };
            Some(self.value)
        }
    }
}

/// Continues an EMA of period `n` from `seed` placed at index `at`.
pub(super) fn ema_from(x: &[f64], n: usize, at: usize, seed: f64, out: &mut [f64]) {
    ema_from_k(x, 2.0 / (n as f64 + 1.0), at, seed, out);
}

/// Continues an EMA of factor `k` from `seed` placed at index `at`.
/// Each step is TA-Lib 0.8's `fma(x − prev, k, prev)` (`fma::ema_step`).
pub(super) fn ema_from_k(x: &[f64], k: f64, at: usize, seed: f64, out: &mut [f64]) {
    out[at] = seed;
    let (x, out) = (&x[at + 1..], &mut out[at + 1..]);
    with_fma(
        #[inline(always)]
        || {
            let mut prev = seed;
            for (o, &v) in out.iter_mut().zip(x) {
                prev = ema_step(prev, v, k);
                *o = prev;
            }
        },
    );
}

/// Weighted moving average (weights 1..n, newest heaviest); first value at `n - 1`.
pub fn wma(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let divider = (n * (n + 1)) as f64 / 2.0;
    let (mut period_sum, mut period_sub) = (0.0, 0.0);
    for (i, &v) in x[..n - 1].iter().enumerate() {
        period_sub += v;
        period_sum += v * (i + 1) as f64;
    }
    let mut trailing = 0.0;
    for i in n - 1..x.len() {
        let v = x[i];
        period_sub += v;
        period_sub -= trailing;
        period_sum += v * n as f64;
        trailing = x[i + 1 - n];
        out[i] = period_sum / divider;
        period_sum -= period_sub;
    }
}

/// EMAs of EMAs in one pass, stage j of period `periods[j]` on stage
/// j − 1 (stage 0 on `x`), each seeded, as `ema` seeds it, with the mean
/// of its input's first n values; `emit(t, stages)` sees every bar where
/// the last stage has a value. The chains overlap, and no intermediate
/// column is stored.
pub fn ema_chain<const S: usize>(
    x: &[f64],
    periods: [usize; S],
    emit: impl FnMut(usize, &[f64; S]),
) {
    ema_chain_of(x.len(), |t| x[t], periods, emit);
}

/// The first bar `ema_chain` emits for these periods (every bar after it
/// too); `usize::MAX`, none, when a period is 0.
pub fn chain_start(periods: &[usize]) -> usize {
    if periods.contains(&0) {
        return usize::MAX;
    }
    periods.iter().map(|n| n - 1).sum()
}

/// `ema_chain` of the `len` values `x(0)`, `x(1)`, …, computed as they are
/// read rather than from a column; `x` may give several series' values in
/// lanes (`[f64; L]`), each chained alike, in one loop.
#[inline(always)]
pub fn ema_chain_of<V: Lanes, const S: usize>(
    len: usize,
    x: impl Fn(usize) -> V,
    periods: [usize; S],
    emit: impl FnMut(usize, &[V; S]),
) {
    if periods.contains(&0) {
        return;
    }
    let k = periods.map(|n| 2.0 / (n as f64 + 1.0));
    let mut seed_at = [0usize; S];
    let mut from = 0;
    for j in 0..S {
        seed_at[j] = from + periods[j] - 1;
        from = seed_at[j];
    }
    with_fma(
        #[inline(always)]
        move || {
            // The stages' state as the closure's own locals, in registers;
            // `emit` moved in and into a local too, so that what it owns
            // (a running total, a ring's slot) is kept in registers rather
            // than stored through a pointer on every bar.
            let mut emit = emit;
            // Seed sums from −0, as `iter().sum()` adds in `ema`.
            let (mut e, mut sums) = ([V::NEG_ZERO; S], [V::NEG_ZERO; S]);
            // The warm-up, to the last stage's seed, with the seeding's
            // branches; then every stage steps on every bar, without them.
            let warm = (seed_at[S - 1] + 1).min(len);
            for t in 0..warm {
                let mut input = x(t);
                let mut all = true;
                for j in 0..S {
                    if t < seed_at[j] {
                        if t + periods[j] > seed_at[j] {
                            sums[j] = sums[j].add(input);
                        }
                        all = false;
                        break;
                    }
                    e[j] = if t == seed_at[j] {
                        sums[j].add(input).div(periods[j] as f64)
                    } else {
                        e[j].step(input, k[j])
                    };
                    input = e[j];
                }
                if all {
                    emit(t, &e);
                }
            }
            for t in warm..len {
                let mut input = x(t);
                for j in 0..S {
                    e[j] = e[j].step(input, k[j]);
                    input = e[j];
                }
                emit(t, &e);
            }
        },
    );
}

/// Double EMA, `2·e1 − e2`; first value at `2(n − 1)`. Both EMAs in one
/// pass (`ema_chain`).
pub fn dema(x: &[f64], n: usize, out: &mut [f64]) {
    nan_warmup(out, chain_start(&[n; 2]));
    ema_chain(x, [n; 2], |t, e| out[t] = 2.0 * e[0] - e[1]);
}

/// Triple EMA, `3·e1 − 3·e2 + e3`; first value at `3(n − 1)`, in one pass.
pub fn tema(x: &[f64], n: usize, out: &mut [f64]) {
    nan_warmup(out, chain_start(&[n; 3]));
    ema_chain(x, [n; 3], |t, e| out[t] = 3.0 * e[0] - 3.0 * e[1] + e[2]);
}

/// Kaufman adaptive moving average (TA-Lib: fast 2, slow 30); first value at `n`.
pub fn kama(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() <= n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n);
    let const_max = 2.0 / 31.0;
    let const_diff = 2.0 / 3.0 - const_max;
    let mut sum_roc: f64 = (0..n).map(|k| (x[k] - x[k + 1]).abs()).sum();
    let mut prev = x[n - 1];
    let mut trailing_value = x[0];
    for today in n..x.len() {
        let trailing = x[today - n];
        let period_roc = x[today] - trailing;
        if today > n {
            sum_roc -= (trailing_value - trailing).abs();
            sum_roc += (x[today] - x[today - 1]).abs();
        }
        trailing_value = trailing;
        let er = if sum_roc <= period_roc || sum_roc.abs() < 1e-14 {
            1.0
        } else {
            (period_roc / sum_roc).abs()
        };
        let sc = (er * const_diff + const_max).powi(2);
        prev += (x[today] - prev) * sc;
        out[today] = prev;
    }
}

/// Volume-weighted moving average `Σ(x·v) / Σv` over `n` bars; NaN when Σv = 0.
pub fn vwma(x: &[f64], v: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let (mut pv, mut vol) = (0.0, 0.0);
    for i in 0..x.len() {
        pv += x[i] * v[i];
        vol += v[i];
        if i + 1 >= n {
            out[i] = if vol != 0.0 { pv / vol } else { f64::NAN };
            pv -= x[i + 1 - n] * v[i + 1 - n];
            vol -= v[i + 1 - n];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    const X: [f64; 6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];

    /// `Online` and `ema_chain` of one stage (also in lanes) give `ema`'s bits. By hand,
    /// n = 3 on 1..6: nothing, nothing, (1 + 2 + 3)/3 = 2, then k = 1/2:
    /// 2 + (4 − 2)/2 = 3, 4, 5.
    #[test]
    fn one_value_at_a_time_and_in_a_chain_is_ema() {
        let mut o = Online::new(3);
        let got: Vec<Option<f64>> = X.iter().map(|&v| o.push(v)).collect();
        assert_eq!(
            got,
            [None, None, Some(2.0), Some(3.0), Some(4.0), Some(5.0)]
        );
        let x: Vec<f64> = (0..3000)
            .map(|i| ((i * 7919) % 1009) as f64 / 7.0)
            .collect();
        for n in [1, 2, 9, 30] {
            let want = run1(|out| ema(&x, n, out), x.len());
            let mut o = Online::new(n);
            let mut chained = vec![f64::NAN; x.len()];
            ema_chain(&x, [n], |t, e| chained[t] = e[0]);
            // In lanes, beside the series reversed: each lane is its own EMA.
            let r: Vec<f64> = x.iter().rev().copied().collect();
            let want_r = run1(|out| ema(&r, n, out), x.len());
            let mut lanes = vec![[f64::NAN; 2]; x.len()];
            ema_chain_of(x.len(), |t| [x[t], r[t]], [n], |t, e| lanes[t] = e[0]);
            for (i, &v) in x.iter().enumerate() {
                let w = want[i];
                assert_eq!(lanes[i][0].to_bits(), w.to_bits(), "n {n} bar {i}");
                assert_eq!(lanes[i][1].to_bits(), want_r[i].to_bits(), "n {n} bar {i}");
                assert_eq!(
                    o.push(v).unwrap_or(f64::NAN).to_bits(),
                    w.to_bits(),
                    "n {n} bar {i}"
                );
                assert_eq!(chained[i].to_bits(), w.to_bits(), "n {n} bar {i}");
            }
        }
    }

    #[test]
    fn sma_and_sum() {
        assert_close(
            &run1(|o| sma(&X, 3, o), 6),
            &[f64::NAN, f64::NAN, 2.0, 3.0, 4.0, 5.0],
        );
        assert_close(
            &run1(|o| sum(&X, 2, o), 6),
            &[f64::NAN, 3.0, 5.0, 7.0, 9.0, 11.0],
        );
        assert!(run1(|o| sma(&X[..2], 3, o), 2).iter().all(|v| v.is_nan()));
        // The running total itself, as TA-Lib's SUM, not the SMA times n:
        // (−0 + 0.1 + 0.7) + 0.01 = 0.8099999999999999, which /3·3 would
        // round to 0.8099999999999998.
        let total = run1(|o| sum(&[0.1, 0.7, 0.01], 3, o), 3)[2];
        assert_eq!(total, 0.8099999999999999);
        assert_ne!(total / 3.0 * 3.0, total);
    }

    #[test]
    fn ema_seeded_with_sma() {
        // k = 0.5; seed mean(1,2,3) = 2 at index 2; then 2 + (4-2)/2 = 3, 4, 5.
        assert_close(
            &run1(|o| ema(&X, 3, o), 6),
            &[f64::NAN, f64::NAN, 2.0, 3.0, 4.0, 5.0],
        );
    }

    #[test]
    fn wma_weights_newest_most() {
        // (1·1 + 2·2 + 3·3)/6 = 14/6; (2 + 6 + 12)/6 = 20/6 ...
        let want = [
            f64::NAN,
            f64::NAN,
            14.0 / 6.0,
            20.0 / 6.0,
            26.0 / 6.0,
            32.0 / 6.0,
        ];
        assert_close(&run1(|o| wma(&X, 3, o), 6), &want);
    }

    #[test]
    fn dema_tema_of_a_line_are_the_line_lagged_less() {
        // On a straight line an EMA(3) lags by 1; DEMA and TEMA remove the lag.
        let x: Vec<f64> = (0..12).map(f64::from).collect();
        let d = run1(|o| dema(&x, 3, o), 12);
        assert!(d[..4].iter().all(|v| v.is_nan()));
        assert_close(&d[4..], &x[4..]);
        let t = run1(|o| tema(&x, 3, o), 12);
        assert!(t[..6].iter().all(|v| v.is_nan()));
        assert_close(&t[6..], &x[6..]);
    }

    #[test]
    fn kama_on_a_trend_moves_at_the_fast_rate() {
        // A straight line has efficiency 1: sc = (2/3)^2 = 4/9.
        // Index 3 (n = 3): prev = x[2] = 2, kama = 2 + (3 - 2)·4/9.
        let x: Vec<f64> = (0..6).map(f64::from).collect();
        let k = run1(|o| kama(&x, 3, o), 6);
        assert!(k[..3].iter().all(|v| v.is_nan()));
        assert!((k[3] - (2.0 + 4.0 / 9.0)).abs() < 1e-15);
        assert!((k[4] - (k[3] + (4.0 - k[3]) * 4.0 / 9.0)).abs() < 1e-15);
    }

    #[test]
    fn vwma_weights_by_volume() {
        let v = [1.0, 1.0, 2.0, 0.0, 0.0, 0.0];
        // (1 + 2 + 6)/4 = 2.25; (2 + 6 + 0)/3; (6)/2 = 3; then no volume: NaN.
        let want = [f64::NAN, f64::NAN, 2.25, 8.0 / 3.0, 3.0, f64::NAN];
        assert_close(&run1(|o| vwma(&X, &v, 3, o), 6), &want);
    }
}
