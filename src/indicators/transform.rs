//! Price transforms (AVGPRICE, MEDPRICE, TYPPRICE, WCLPRICE, Heikin-Ashi)
//! and TA-Lib's math transforms, elementwise.

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
    heikin_each(b, out.len(), |i, [ho, hh, hl, hc]| {
        out[i] = match col {
            Heikin::Open => ho,
            Heikin::High => hh,
            Heikin::Low => hl,
            Heikin::Close => hc,
        }
    });
}

/// All four Heikin-Ashi columns in one pass (open, high, low, close).
pub fn heikin_ashi_all(b: &super::Bars, out: [&mut [f64]; 4]) {
    let len = out[0].len();
    let [o, h, l, c] = out.map(|o| &mut o[..len]);
    heikin_each(b, len, |i, [ho, hh, hl, hc]| {
        (o[i], h[i], l[i], c[i]) = (ho, hh, hl, hc);
    });
}

/// Each of the first `len` bars' Heikin-Ashi open, high, low and close.
/// Bar 0's open is its own `(o + c)/2`, each later one the previous bar's
/// `(open + close)/2`; the columns are cut to `len` so that no index is
/// checked in the loop.
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
    let (mut hc, first) = bar(0, (op[0] + cl[0]) / 2.0);
    let mut ho = first[0];
    emit(0, first);
    for i in 1..len {
        let (c, v) = bar(i, (ho + hc) / 2.0);
        (ho, hc) = (v[0], c);
        emit(i, v);
    }
}
