//! TA-Lib's candlestick machinery, shared by all the patterns: the candle
//! settings (which range, over how many bars, times what factor), the
//! rolling averages of those ranges, and the driver that runs a pattern
//! over the bars and writes TA-Lib's integers (±100, ±80, ±200).

mod hikkake;
mod long;
mod multi;
mod single;
mod three;

pub use hikkake::{hikkake, hikkake_mod};
pub use long::*;
pub use multi::*;
pub use single::*;
pub use three::*;

use super::{c_max, c_min, Bars};

/// What a setting measures on a candle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeType {
    RealBody,
    HighLow,
    Shadows,
}

/// TA-Lib's candle settings and their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    BodyLong,
    BodyVeryLong,
    BodyShort,
    BodyDoji,
    ShadowLong,
    ShadowVeryLong,
    ShadowShort,
    ShadowVeryShort,
    Near,
    Far,
    Equal,
}

impl Setting {
    /// (range, average period, factor), TA-Lib's defaults.
    fn def(self) -> (RangeType, usize, f64) {
        use RangeType::*;
        match self {
            Setting::BodyLong => (RealBody, 10, 1.0),
            Setting::BodyVeryLong => (RealBody, 10, 3.0),
            Setting::BodyShort => (RealBody, 10, 1.0),
            Setting::BodyDoji => (HighLow, 10, 0.1),
            Setting::ShadowLong => (RealBody, 0, 1.0),
            Setting::ShadowVeryLong => (RealBody, 0, 2.0),
            Setting::ShadowShort => (Shadows, 10, 1.0),
            Setting::ShadowVeryShort => (HighLow, 10, 0.1),
            Setting::Near => (HighLow, 5, 0.2),
            Setting::Far => (HighLow, 5, 0.6),
            Setting::Equal => (HighLow, 5, 0.05),
        }
    }

    pub fn period(self) -> usize {
        self.def().1
    }
}

/// `v` when the pattern holds, else 0.
fn yes(b: bool, v: f64) -> f64 {
    if b {
        v
    } else {
        0.0
    }
}

/// The candles with TA-Lib's candle measures.
pub struct C<'a> {
    pub o: &'a [f64],
    pub h: &'a [f64],
    pub l: &'a [f64],
    pub c: &'a [f64],
}

impl<'a> C<'a> {
    pub fn of(b: &Bars<'a>) -> C<'a> {
        C {
            o: b.open,
            h: b.high,
            l: b.low,
            c: b.close,
        }
    }

    pub fn body(&self, i: usize) -> f64 {
        (self.c[i] - self.o[i]).abs()
    }
    pub fn upper(&self, i: usize) -> f64 {
        self.h[i] - self.top(i)
    }
    pub fn lower(&self, i: usize) -> f64 {
        self.bottom(i) - self.l[i]
    }
    /// The shadow at the open's end of the body (lower for a white candle).
    pub fn open_shadow(&self, i: usize) -> f64 {
        if self.color(i) > 0.0 {
            self.lower(i)
        } else {
            self.upper(i)
        }
    }
    /// The shadow at the close's end of the body (upper for a white candle).
    pub fn close_shadow(&self, i: usize) -> f64 {
        if self.color(i) > 0.0 {
            self.upper(i)
        } else {
            self.lower(i)
        }
    }
    pub fn hl(&self, i: usize) -> f64 {
        self.h[i] - self.l[i]
    }
    /// 1 for a white (rising or flat) candle, −1 for a black one.
    pub fn color(&self, i: usize) -> f64 {
        if self.c[i] >= self.o[i] {
            1.0
        } else {
            -1.0
        }
    }
    /// The top of the body: TA-Lib's `c ≥ o ? c : o`, as `c_max` (one
    /// `maxsd`; `f64::max`'s NaN handling cost more, and a branch on the
    /// colour mispredicts on every other candle).
    pub fn top(&self, i: usize) -> f64 {
        c_max(self.c[i], self.o[i])
    }
    /// The bottom of the body, TA-Lib's `c ≥ o ? o : c`.
    pub fn bottom(&self, i: usize) -> f64 {
        c_min(self.c[i], self.o[i])
    }
    /// Candle i's real body is above candle j's.
    pub fn body_gap_up(&self, i: usize, j: usize) -> bool {
        self.bottom(i) > self.top(j)
    }
    pub fn body_gap_down(&self, i: usize, j: usize) -> bool {
        self.top(i) < self.bottom(j)
    }
    pub fn gap_up(&self, i: usize, j: usize) -> bool {
        self.l[i] > self.h[j]
    }
    pub fn gap_down(&self, i: usize, j: usize) -> bool {
        self.h[i] < self.l[j]
    }
    fn range(&self, t: RangeType, i: usize) -> f64 {
        match t {
            RangeType::RealBody => self.body(i),
            RangeType::HighLow => self.hl(i),
            RangeType::Shadows => self.upper(i) + self.lower(i),
        }
    }
}

/// The most averages a pattern reads (advance block: ten).
const MAX_USES: usize = 10;

/// The averages a pattern reads at bar `i`: `sums[j]` is the rolling total
/// of the range of `uses[j]`'s setting over the `period` candles before
/// candle `i − k` (settings of no period, none). A total per use, so that
/// with the pattern's static inlined each is a constant slot, kept in a
/// register; two settings of the same range and period (BodyLong and
/// BodyShort; Near, Far and Equal) keep equal totals, the same sums.
pub struct Avg<'a> {
    uses: &'static [(Setting, usize)],
    sums: &'a [f64; MAX_USES],
    c: &'a C<'a>,
    i: usize,
}

impl Avg<'_> {
    /// The average of `s` for candle `i − k` (TA-Lib's TA_CANDLEAVERAGE).
    #[inline(always)]
    pub fn of(&self, s: Setting, k: usize) -> f64 {
        let (t, period, factor) = s.def();
        let at = self.i - k;
        let base = if period == 0 {
            self.c.range(t, at)
        } else {
            let j = self.uses.iter().position(|&u| u == (s, k));
            self.sums[j.expect("the pattern declares the averages it reads")] / period as f64
        };
        let half = if t == RangeType::Shadows { 2.0 } else { 1.0 };
        factor * base / half
    }
}

/// A candlestick pattern: the averages its rule reads and the candles
/// before the current one it looks at. The rule is a function beside it,
/// passed to `run` as a function item so that it inlines into the loop.
pub struct Pattern {
    pub uses: &'static [(Setting, usize)],
    pub back: usize,
}

impl Pattern {
    /// TA-Lib's lookback: the longest average plus the candles before.
    pub fn lookback(&self) -> usize {
        self.uses.iter().map(|(s, _)| s.period()).max().unwrap_or(0) + self.back
    }
}

/// Runs `p` with its `rule` over the bars with parameter `pen`
/// (penetration, where the pattern takes one); 0 during the lookback.
/// Inlined where `p` is a pattern's static, so that its settings are
/// constants: the totals, in an array on the stack, fold into registers
/// as TA-Lib's named totals are.
#[inline(always)]
pub fn run<R: Fn(&C, usize, &Avg, f64) -> f64>(
    p: &Pattern,
    rule: R,
    b: &Bars,
    pen: f64,
    out: &mut [f64],
) {
    let c = C::of(b);
    let start = p.lookback();
    let len = out.len();
    out[..start.min(len)].fill(0.0);
    if len <= start {
        return;
    }
    let uses = p.uses;
    let mut sums = [0.0; MAX_USES];
    for (j, &(setting, k)) in uses.iter().enumerate() {
        let (range, period, _) = setting.def();
        if period > 0 {
            sums[j] = (start - period..start).map(|q| c.range(range, q - k)).sum();
        }
    }
    for i in start..len {
        let avg = Avg {
            uses,
            sums: &sums,
            c: &c,
            i,
        };
        out[i] = rule(&c, i, &avg, pen);
        for (j, &(setting, k)) in uses.iter().enumerate() {
            let (range, period, _) = setting.def();
            if period > 0 {
                sums[j] += c.range(range, i - k) - c.range(range, i - period - k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kicking_by_hand() {
        // Eleven white candles of body 1 and range 2, then a black marubozu
        // (12 → 10) and a white one gapping above it (13 → 15). BodyLong's
        // average for the black candle is 1 (bodies of the 10 before it), for
        // the white one (9·1 + 2)/10 = 1.1; both bodies are 2. Shadows are 0,
        // below ShadowVeryShort's 0.1·2. Kicking takes the white candle's
        // colour: +100; by length the bodies tie, so the earlier one's: −100.
        let mut o = vec![10.0; 11];
        let mut c = vec![11.0; 11];
        let mut h = vec![11.5; 11];
        let mut l = vec![9.5; 11];
        o.extend([12.0, 13.0]);
        c.extend([10.0, 15.0]);
        h.extend([12.0, 15.0]);
        l.extend([10.0, 13.0]);
        let b = Bars {
            open: &o,
            high: &h,
            low: &l,
            close: &c,
            volume: &c,
        };
        let mut out = vec![0.0; 13];
        run(&KICKING, kicking, &b, 0.0, &mut out);
        assert_eq!(out[12], 100.0);
        assert!(out[..12].iter().all(|v| *v == 0.0));
        run(&KICKINGBYLENGTH, kicking_by_length, &b, 0.0, &mut out);
        assert_eq!(out[12], -100.0);
    }
}
