//! The event-driven engine of sweeps. Between two signal bars a position is
//! constant, so equity is `cash + units · close`: this engine does the order
//! logic only on signal bars and hands the rest of the curve to a `Curve` in
//! pieces, skipping blocks of 64 bars that cannot make a new peak. Bit for
//! bit the same trades, equity values and counts as `engine::run`, the dense
//! reference (`tests/fast_path.rs`); settings it does not cover (stops,
//! entry orders, a possible bankruptcy) return None and the caller runs the
//! reference.

use super::{trade, Account, Execution, ExitReason, Fill, Flags, Prices, Trade};

/// Bars of a block.
const B: usize = 64;

/// The bars where at least one signal fires, in order, and which fire.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Events {
    pub bars: Vec<u32>,
    pub flags: Vec<Flags>,
}

impl Events {
    /// Joins sorted lists of bars, each with its signal's bit (a linear
    /// merge: a sort of a fast pair's 100,000 crossings would cost more
    /// than finding them).
    pub fn merge(lists: &[(&[u32], u8)]) -> Events {
        let mut out = Events::default();
        for &(bars, bit) in lists {
            out = out.join(bars, bit);
        }
        out
    }

    fn join(self, bars: &[u32], bit: u8) -> Events {
        let mut out = Events {
            bars: Vec::with_capacity(self.bars.len() + bars.len()),
            flags: Vec::with_capacity(self.bars.len() + bars.len()),
        };
        let (mut i, mut j) = (0, 0);
        while i < self.bars.len() || j < bars.len() {
            let (a, b) = (self.bars.get(i), bars.get(j));
            match (a, b) {
                (Some(&x), Some(&y)) if x == y => {
                    out.bars.push(x);
                    out.flags.push(Flags(self.flags[i].0 | bit));
                    (i, j) = (i + 1, j + 1);
                }
                (Some(&x), Some(&y)) if x < y => {
                    out.bars.push(x);
                    out.flags.push(self.flags[i]);
                    i += 1;
                }
                (Some(&x), None) => {
                    out.bars.push(x);
                    out.flags.push(self.flags[i]);
                    i += 1;
                }
                (_, Some(&y)) => {
                    out.bars.push(y);
                    out.flags.push(Flags(bit));
                    j += 1;
                }
                (None, None) => unreachable!("the loop runs while one has bars"),
            }
        }
        out
    }
}

/// The lowest and highest close of each aligned block of 64 bars, built
/// once per dataset and shared by every trial.
#[derive(Debug, Clone, Default)]
pub struct Blocks {
    lo: Vec<f64>,
    hi: Vec<f64>,
}

impl Blocks {
    pub fn new(close: &[f64]) -> Blocks {
        let (lo, hi) = close.chunks(B).map(extremes).unzip();
        Blocks { lo, hi }
    }
}

/// The lowest and highest of `x` (no NaN: the data is validated), in four
/// lanes so that the compiler vectorizes it.
fn extremes(x: &[f64]) -> (f64, f64) {
    let (mut lo, mut hi) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4]);
    let mut chunks = x.chunks_exact(4);
    for c in &mut chunks {
        for k in 0..4 {
            lo[k] = if c[k] < lo[k] { c[k] } else { lo[k] };
            hi[k] = if c[k] > hi[k] { c[k] } else { hi[k] };
        }
    }
    for &v in chunks.remainder() {
        lo[0] = if v < lo[0] { v } else { lo[0] };
        hi[0] = if v > hi[0] { v } else { hi[0] };
    }
    let pick = |a: [f64; 4], f: fn(f64, f64) -> f64| f(f(a[0], a[1]), f(a[2], a[3]));
    (pick(lo, f64::min), pick(hi, f64::max))
}

/// Where the equity curve goes, bar by bar or a run of bars at a time.
pub trait Curve {
    /// The highest value so far (−∞ before the first bar).
    fn peak(&self) -> f64;
    /// The lowest value since the peak, +∞ where no bar has been below it.
    fn low(&self) -> f64;
    /// One bar's value.
    fn bar(&mut self, v: f64);
    /// `len` bars, every one below `peak()`, the lowest of them `low`; or
    /// any `low` at or below their lowest that is at or above `low()`
    /// (the lowest since the peak stays what it was either way).
    fn under(&mut self, low: f64, len: usize);
    /// `len` bars of value `v`.
    fn level(&mut self, v: f64, len: usize);
    /// A bar for each of `close`, valued `cash + units · close`; false (and
    /// the curve left part-way) at a value at or below zero.
    fn held(&mut self, close: &[f64], cash: f64, units: f64) -> bool;
    /// The value at the next period end.
    fn period_end(&mut self, v: f64);
}

/// What the run produces besides the curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    pub trades: Vec<Trade>,
    pub commissions: f64,
    pub bars_in_market: usize,
}

/// Whether `run` covers these settings: market entries without stops (the
/// caller checks that the strategy places no entry orders).
pub fn applies(cfg: &Execution) -> bool {
    cfg.stop_loss.is_none() && cfg.take_profit.is_none() && cfg.trailing_stop.is_none()
}

struct Run<'a, 'c, C: Curve> {
    acc: Account<'a>,
    prices: Prices<'a>,
    blocks: &'a Blocks,
    ends: &'a [usize],
    /// The next period end not yet passed.
    next_end: usize,
    curve: &'c mut C,
    held_units: f64,
    in_market: usize,
}

/// Runs the backtest over `events` (the signal bars), feeding the equity of
/// every bar to `curve` and the values at `ends` (period ends, in order) to
/// its `period_end`. None: these settings need the dense engine.
/// `trades` is a buffer to reuse (cleared first; the trades come back in
/// the `Book`).
pub fn run<C: Curve>(
    prices: Prices,
    events: &Events,
    cfg: &Execution,
    ends: &[usize],
    blocks: &Blocks,
    curve: &mut C,
    mut trades: Vec<Trade>,
) -> Option<Book> {
    let n = prices.close.len();
    if n == 0 || !applies(cfg) {
        return None;
    }
    trades.clear();
    trades.reserve(events.bars.len() + 1);
    let mut acc = Account::new(cfg);
    acc.trades = trades;
    let mut r = Run {
        acc,
        prices,
        blocks,
        ends,
        next_end: 0,
        curve,
        held_units: 0.0,
        in_market: 0,
    };
    // A signal on bar s acts on bar s (fill at the close) or s + 1 (at the
    // next open); the last bar is an event either way.
    let shift = usize::from(cfg.fill == Fill::NextOpen);
    let acts = events
        .bars
        .partition_point(|&b| (b as usize) + shift < n - 1);
    // The prices of the event bars first, in a loop of independent loads:
    // read one by one between the order logic, each would wait on memory.
    let fills = match cfg.fill {
        Fill::NextOpen => &prices.open,
        Fill::Close => &prices.close,
    };
    let at: Vec<(f64, f64)> = events.bars[..acts]
        .iter()
        .map(|&b| {
            let e = b as usize + shift;
            (fills[e], prices.close[e])
        })
        .collect();
    let mut from = 0;
    for ((&bar, &flags), &(fill, close)) in events.bars.iter().zip(&events.flags).zip(&at) {
        let e = bar as usize + shift;
        r.hold(from, e)?;
        r.event(e, Some((flags, fill)), close)?;
        from = e + 1;
    }
    let last = events.bars[acts..]
        .first()
        .filter(|&&b| b as usize + shift == n - 1)
        .map(|_| (events.flags[acts], fills[n - 1]));
    r.hold(from, n - 1)?;
    r.event(n - 1, last, prices.close[n - 1])?;
    let mut acc = r.acc;
    if let Some(p) = acc.pos.take() {
        acc.trades
            .push(trade(&p, prices.close[n - 1], n - 1, 0.0, ExitReason::Open));
    }
    Some(Book {
        trades: acc.trades,
        commissions: acc.commissions,
        bars_in_market: r.in_market,
    })
}

impl<C: Curve> Run<'_, '_, C> {
    /// The period ends among bars `lo..hi`, valued with the held position.
    fn ends_in(&mut self, hi: usize) {
        let (c, u) = (self.acc.cash, self.held_units);
        while self.next_end < self.ends.len() && self.ends[self.next_end] < hi {
            let v = c + u * self.prices.close[self.ends[self.next_end]];
            self.curve.period_end(v);
            self.next_end += 1;
        }
    }

    /// Bars `lo..hi`, none with an event: the position is the same on each.
    fn hold(&mut self, lo: usize, hi: usize) -> Option<()> {
        if lo >= hi {
            return Some(());
        }
        self.ends_in(hi);
        let (c, u) = (self.acc.cash, self.held_units);
        let value = |x: f64| c + u * x;
        let close = self.prices.close;
        if self.acc.pos.is_none() {
            // Flat: the same value on every bar.
            // cash + 0 · close is the cash, for any finite close.
            self.curve.level(c, hi - lo);
            return Some(());
        }
        self.in_market += hi - lo;
        // The lowest and highest equity of a piece whose closes lie between
        // `lo_close` and `hi_close`.
        let span = |lo_close: f64, hi_close: f64| {
            let (at_lo, at_hi) = (value(lo_close), value(hi_close));
            if u > 0.0 {
                (at_lo, at_hi)
            } else {
                (at_hi, at_lo)
            }
        };
        let mut t = lo;
        while t < hi {
            let end = ((t / B + 1) * B).min(hi);
            // Equity is monotone in the close, so a piece's extremes are at
            // its extreme closes. Its block's (computed once per dataset)
            // are exact for a whole block and bound a part block's; where
            // even the bounds put every bar of a part above zero, under the
            // peak and at or above the low since the peak (which then stays
            // what it is), they stand in, and the part's closes (a cache
            // miss each) stay unread. Otherwise the part is scanned
            // (branch-free, far cheaper than the bar-by-bar path).
            let k = t / B;
            let (mut worst, mut best) = span(self.blocks.lo[k], self.blocks.hi[k]);
            let settled = worst > 0.0 && best < self.curve.peak() && worst >= self.curve.low();
            if end - t < B && !settled {
                let (lo_close, hi_close) = extremes(&close[t..end]);
                (worst, best) = span(lo_close, hi_close);
            }
            if worst <= 0.0 {
                return None;
            }
            if best < self.curve.peak() {
                self.curve.under(worst, end - t);
                t = end;
                continue;
            }
            if !self.curve.held(&close[t..end], c, u) {
                return None;
            }
            t = end;
        }
        Some(())
    }

    /// Bar `t` with its signals and their fill price (if any), its close
    /// `close`, as `engine::run` does it.
    fn event(&mut self, t: usize, signals: Option<(Flags, f64)>, close: f64) -> Option<()> {
        let (p, cfg) = (self.prices, self.acc.cfg);
        if let Some((f, price)) = signals {
            self.acc.on_flags(f, price, t);
        }
        if t + 1 == p.close.len() && cfg.close_at_end {
            self.acc.close(close, t, ExitReason::EndOfData, false);
        }
        let value = self.acc.equity(close);
        if value <= 0.0 && self.acc.pos.is_some() {
            return None;
        }
        self.in_market += usize::from(self.acc.pos.is_some());
        self.curve.bar(value);
        if self.ends.get(self.next_end) == Some(&t) {
            self.curve.period_end(value);
            self.next_end += 1;
        }
        self.held_units = self.acc.pos.map_or(0.0, |p| f64::from(p.side) * p.units);
        Some(())
    }
}
