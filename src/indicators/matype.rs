//! TA-Lib's moving-average types (`MAType` 0..=13) and the averages only
//! they name: TRIMA, T3, HMA, ZLEMA and Wilder's RMA; `by_type` dispatches.

use super::ma::{chain_start, dema, ema, ema_chain, ema_chain_of, kama, sma, tema, wma};
use super::{first_valid, nan_fill, nan_warmup, next_slot};

/// TA-Lib's `MAType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaType {
    Sma,
    Ema,
    Wma,
    Dema,
    Tema,
    Trima,
    Kama,
    Mama,
    T3,
    Hma,
    Identity,
    Default,
    Zlema,
    Rma,
}

impl MaType {
    /// TA-Lib's integer (the compiler has checked 0..=13).
    pub fn of(v: f64) -> MaType {
        use MaType::*;
        [
            Sma, Ema, Wma, Dema, Tema, Trima, Kama, Mama, T3, Hma, Identity, Default, Zlema, Rma,
        ][(v as usize).min(13)]
    }

    /// The function's own default (type 11) made concrete.
    fn resolve(self, own: MaType) -> MaType {
        if self == MaType::Default {
            own
        } else {
            self
        }
    }
}

/// Bars before the first value of `by_type(n, t)`.
pub fn lookback(n: usize, t: MaType) -> usize {
    if n <= 1 {
        return 0;
    }
    match t.resolve(MaType::Sma) {
        MaType::Sma | MaType::Ema | MaType::Wma | MaType::Trima | MaType::Rma => n - 1,
        MaType::Dema => 2 * (n - 1),
        MaType::Tema => 3 * (n - 1),
        MaType::T3 => 6 * (n - 1),
        MaType::Kama => n,
        MaType::Mama => 32,
        MaType::Hma => n + isqrt(n).max(1) - 2,
        MaType::Zlema => (n - 1) / 2 + n - 1,
        MaType::Identity | MaType::Default => 0,
    }
}

fn isqrt(n: usize) -> usize {
    (n as f64).sqrt() as usize
}

/// The moving average of type `t` (TA-Lib's `TA_MA`): period 1 and the
/// identity copy the input; MAMA takes its default limits 0.5 and 0.05, T3
/// its volume factor 0.7.
pub fn by_type(x: &[f64], n: usize, t: MaType, out: &mut [f64]) {
    if n <= 1 || t == MaType::Identity {
        out.copy_from_slice(x);
        return;
    }
    match t.resolve(MaType::Sma) {
        MaType::Sma => sma(x, n, out),
        MaType::Ema => ema(x, n, out),
        MaType::Wma => wma(x, n, out),
        MaType::Dema => dema(x, n, out),
        MaType::Tema => tema(x, n, out),
        MaType::Trima => trima(x, n, out),
        MaType::Kama => kama(x, n, out),
        MaType::Mama => super::hilbert::mama(x, 0.5, 0.05, true, out),
        MaType::T3 => t3(x, n, 0.7, out),
        MaType::Hma => hma(x, n, out),
        MaType::Zlema => zlema(x, n, out),
        MaType::Rma => rma(x, n, out),
        MaType::Identity | MaType::Default => unreachable!("resolved above"),
    }
}

/// `by_type` as TA-Lib computes it inside a function whose output starts at
/// `start`: the average is started `lookback` bars before, so that
/// recursive averages are seeded there (MACD's and APO's fast EMA).
pub fn by_type_from(x: &[f64], n: usize, t: MaType, start: usize, out: &mut [f64]) {
    let from = start.saturating_sub(lookback(n, t));
    nan_warmup(out, from);
    if from < x.len() {
        by_type(&x[from..], n, t, &mut out[from..]);
    }
}

/// Runs `f` on the valid part of `x` (from its first non-NaN value).
pub fn on_valid(x: &[f64], out: &mut [f64], f: impl FnOnce(&[f64], &mut [f64])) {
    let s = first_valid(x);
    nan_warmup(out, s);
    if s < x.len() {
        f(&x[s..], &mut out[s..]);
    }
}

/// Triangular moving average, weights 1, 2, …, ⌈n/2⌉, …, 2, 1 (an SMA of an
/// SMA of periods ⌈(n+1)/2⌉ and ⌊(n+1)/2⌋); first value at `n − 1`. In
/// TA-Lib's arithmetic, bit for bit: the weighted sum `num` is kept by
/// three running sums, `num` itself, `rise` (the values on the rising
/// side, up to the middle) and `fall` (past the middle); each bar `num`
/// loses `rise` and gains `fall` and the new value, and the total is
/// times 1/Σweights. One pass, no intermediate column.
pub fn trima(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let h = n / 2;
    let odd = n % 2 == 1;
    // Σweights: (h + 1)² for odd n (1 + … + h + 1 + h + … + 1), h·(h + 1)
    // for even n; an integer, then its reciprocal.
    let scale = 1.0 / if odd { (h + 1) * (h + 1) } else { h * (h + 1) } as f64;
    // The rising side is x[t..=mid] for the window [t, t + n − 1]; summed
    // from the middle back, each partial sum added to num.
    let mid = if odd { h } else { h - 1 };
    let (mut num, mut rise, mut fall) = (0.0f64, 0.0f64, 0.0f64);
    for i in (0..=mid).rev() {
        rise += x[i];
        num += rise;
    }
    for i in mid + 1..n {
        fall += x[i];
        num += fall;
    }
    out[n - 1] = num * scale;
    for end in n..x.len() {
        let (gone, centre, new) = (x[end - n], x[end - n + mid + 1], x[end]);
        num -= rise;
        rise -= gone;
        rise += centre;
        // The odd and even windows differ only in whether num takes the
        // falling side before or after the centre value leaves it.
        if odd {
            num += fall;
            fall -= centre;
        } else {
            fall -= centre;
            num += fall;
        }
        fall += new;
        num += new;
        out[end] = num * scale;
    }
}

/// Tillson's T3: six chained EMAs combined with the volume factor `v`;
/// first value at `6(n − 1)`.
pub fn t3(x: &[f64], n: usize, v: f64, out: &mut [f64]) {
    nan_warmup(out, super::ma::chain_start(&[n; 6]));
    let (v2, v3) = (v * v, v * v * v);
    let c1 = -v3;
    let c2 = 3.0 * (v2 + v3);
    let c3 = -3.0 * (2.0 * v2 + v + v3);
    let c4 = 1.0 + 3.0 * v + v3 + 3.0 * v2;
    ema_chain(x, [n; 6], |t, e| {
        out[t] = c1 * e[5] + c2 * e[4] + c3 * e[3] + c4 * e[2];
    });
}

/// Hull: `WMA(2·WMA(x, n/2) − WMA(x, n), ⌊√n⌋)`; first value at
/// `n − 1 + ⌊√n⌋ − 1`. The three WMAs in one pass (`Wma`), no column of
/// either inner one or of their difference.
pub fn hma(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 {
        return nan_fill(out);
    }
    let s = isqrt(n).max(1);
    nan_warmup(out, n - 1 + s - 1);
    let (mut half, mut full, mut hull) = (Wma::new((n / 2).max(1)), Wma::new(n), Wma::new(s));
    for (t, &v) in x.iter().enumerate() {
        let (h, f) = (half.push(v), full.push(v));
        if let (Some(h), Some(f)) = (h, f) {
            if let Some(v) = hull.push(2.0 * h - f) {
                out[t] = v;
            }
        }
    }
}

/// `ma::wma` a value at a time, with its running sums in its order (the
/// same bits), the last `n` values in a ring for the one leaving.
struct Wma {
    n: usize,
    divider: f64,
    sum: f64,
    sub: f64,
    trailing: f64,
    ring: Vec<f64>,
    slot: usize,
    seen: usize,
}

impl Wma {
    fn new(n: usize) -> Wma {
        Wma {
            n,
            divider: (n * (n + 1)) as f64 / 2.0,
            sum: 0.0,
            sub: 0.0,
            trailing: 0.0,
            ring: vec![0.0; n],
            slot: 0,
            seen: 0,
        }
    }

    /// The WMA once `n` values are in.
    #[inline(always)]
    fn push(&mut self, v: f64) -> Option<f64> {
        let i = self.seen;
        self.seen += 1;
        self.ring[self.slot] = v;
        // The next slot holds the value `n − 1` back, the window's oldest.
        self.slot = next_slot(self.slot, self.n);
        self.sub += v;
        if i + 1 < self.n {
            self.sum += v * (i + 1) as f64;
            return None;
        }
        self.sub -= self.trailing;
        self.sum += v * self.n as f64;
        self.trailing = self.ring[self.slot];
        let out = self.sum / self.divider;
        self.sum -= self.sub;
        Some(out)
    }
}

/// Zero-lag EMA: the EMA of `x + (x − x[t − (n−1)/2])`.
pub fn zlema(x: &[f64], n: usize, out: &mut [f64]) {
    let lag = n.saturating_sub(1) / 2;
    if x.len() <= lag {
        nan_fill(out);
        return;
    }
    // `ema` of the adjusted values from bar `lag`, each computed as read.
    nan_warmup(out, chain_start(&[n]).saturating_add(lag));
    let adjusted = |t: usize| x[t + lag] + (x[t + lag] - x[t]);
    ema_chain_of(x.len() - lag, adjusted, [n], |t, e| out[t + lag] = e[0]);
}

/// Wilder's smoothing (RMA, SMMA): `k = 1/n`, seeded with the SMA of the
/// first `n` values at `n − 1`.
pub fn rma(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    // TA-Lib 0.8's RMA is ATR's smoothing, `fma(k, prev, x·(1 − k))` with
    // `k = (n − 1)/n` (its values bit for bit: tests/talib.rs).
    let seed = x[..n].iter().sum::<f64>() / n as f64;
    super::wilder::smooth((n - 1, x.len()), seed, n, |i| x[i], |i, v| out[i] = v);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn trima_and_rma_by_hand() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let n = f64::NAN;
        // TRIMA(3) = SMA2(SMA2): SMA2 = 1.5, 2.5, 3.5, 4.5 → 2, 3, 4.
        assert_close(&run1(|o| trima(&x, 3, o), 5), &[n, n, 2.0, 3.0, 4.0]);
        // RMA(2): seed 1.5 at 1, then (1.5 + 3)/2 = 2.25, (2.25 + 4)/2 = 3.125.
        assert_close(&run1(|o| rma(&x, 2, o), 5), &[n, 1.5, 2.25, 3.125, 4.0625]);
        assert_eq!(lookback(20, MaType::Hma), 22);
        assert_eq!(lookback(30, MaType::Zlema), 43);
    }

    /// The one-pass HMA is the composed `WMA(2·WMA(x, n/2) − WMA(x, n),
    /// ⌊√n⌋)` bit for bit, for every period up to 40 and series shorter
    /// than the warm-up; a NaN at the start leaves every value NaN in both.
    #[test]
    fn hma_one_pass_equals_composed() {
        let composed = |x: &[f64], n: usize| {
            let len = x.len();
            let (mut half, mut full) = (vec![f64::NAN; len], vec![f64::NAN; len]);
            wma(x, (n / 2).max(1), &mut half);
            wma(x, n, &mut full);
            let diff: Vec<f64> = half.iter().zip(&full).map(|(h, f)| 2.0 * h - f).collect();
            let mut out = vec![f64::NAN; len];
            on_valid(&diff, &mut out, |d, o| wma(d, isqrt(n).max(1), o));
            out
        };
        // A deterministic walk: x(t+1) = x(t) + ((t·7919 mod 101) − 50)/37.
        let mut x = vec![100.0];
        for t in 0..299 {
            x.push(x[t] + ((t * 7919 % 101) as f64 - 50.0) / 37.0);
        }
        for n in 1..=40 {
            for len in [3, n + 2, 300] {
                let want = composed(&x[..len], n);
                let got = run1(|o| hma(&x[..len], n, o), len);
                let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&got), bits(&want), "n = {n}, len = {len}");
            }
        }
        let mut y = x.clone();
        y[0] = f64::NAN;
        assert!(run1(|o| hma(&y, 9, o), 300).iter().all(|v| v.is_nan()));
        assert!(composed(&y, 9).iter().all(|v| v.is_nan()));
    }
}
