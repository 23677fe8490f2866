//! The backtest engine: one sequential pass over the bars turning entry and
//! exit signals into fills, trades and an equity curve. Signals are decided
//! on a bar's close and, by default, filled at the next bar's open.

pub mod costs;
pub mod entry;
pub mod portfolio;
pub mod settings;
pub mod sparse;
mod stops;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use costs::{FeeModel, Side, Sizing, SlippageModel};
pub use entry::{EntryKind, EntryOrders, Fate, OrderLog, OrderRecord};
pub use settings::{Execution, Fill};
use stops::Stops;

/// Signal columns (1 = true; 0 and NaN = false); absent ones never fire.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals<'a> {
    pub long_entry: Option<&'a [f64]>,
    pub long_exit: Option<&'a [f64]>,
    pub short_entry: Option<&'a [f64]>,
    pub short_exit: Option<&'a [f64]>,
    /// Limit, stop or stop-limit entries (None: market entries).
    pub orders: Option<EntryOrders<'a>>,
}

impl<'a> Signals<'a> {
    /// The four signals looked up by name (`long_entry`, …); a strategy
    /// without one gets None.
    pub fn by_name(find: impl Fn(&str) -> Option<&'a [f64]>) -> Signals<'a> {
        let [le, lx, se, sx] = Flags::BY_NAME.map(|(name, _)| find(name));
        Signals {
            long_entry: le,
            long_exit: lx,
            short_entry: se,
            short_exit: sx,
            orders: None,
        }
    }

    fn at(col: Option<&[f64]>, t: usize) -> bool {
        col.is_some_and(|c| c[t] > 0.5)
    }

    /// Whether any signal fires on bar `t` (most bars: none).
    #[inline]
    fn any(&self, t: usize) -> bool {
        Self::at(self.long_entry, t)
            || Self::at(self.long_exit, t)
            || Self::at(self.short_entry, t)
            || Self::at(self.short_exit, t)
    }
}

/// Which of the four signals fire on one bar, a bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags(pub u8);

impl Flags {
    pub const LONG_ENTRY: u8 = 1;
    pub const LONG_EXIT: u8 = 2;
    pub const SHORT_ENTRY: u8 = 4;
    pub const SHORT_EXIT: u8 = 8;
    /// The bits in `Signals::by_name`'s order: long entry, long exit,
    /// short entry, short exit.
    pub const BY_NAME: [(&'static str, u8); 4] = [
        ("long_entry", Self::LONG_ENTRY),
        ("long_exit", Self::LONG_EXIT),
        ("short_entry", Self::SHORT_ENTRY),
        ("short_exit", Self::SHORT_EXIT),
    ];

    fn of(s: &Signals, t: usize) -> Flags {
        let bit = |col: Option<&[f64]>, b: u8| if Signals::at(col, t) { b } else { 0 };
        Flags(
            bit(s.long_entry, Self::LONG_ENTRY)
                | bit(s.long_exit, Self::LONG_EXIT)
                | bit(s.short_entry, Self::SHORT_ENTRY)
                | bit(s.short_exit, Self::SHORT_EXIT),
        )
    }

    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

/// The candle columns the engine reads.
#[derive(Debug, Clone, Copy)]
pub struct Prices<'a> {
    pub open: &'a [f64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    pub close: &'a [f64],
}

impl<'a> Prices<'a> {
    /// The candles' columns from bar `from` on.
    pub fn of(c: &'a crate::data::Candles, from: usize) -> Prices<'a> {
        Prices {
            open: &c.open[from..],
            high: &c.high[from..],
            low: &c.low[from..],
            close: &c.close[from..],
        }
    }
}

/// Why a position was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    Signal,
    Reverse,
    StopLoss,
    TakeProfit,
    TrailingStop,
    EndOfData,
    Bankrupt,
    /// A portfolio rebalance took the position to zero.
    Rebalance,
    /// Still open at the end (`close_at_end = false`).
    Open,
}

/// One round trip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trade {
    pub entry_bar: usize,
    pub exit_bar: usize,
    /// +1 long, −1 short.
    pub side: i8,
    pub units: f64,
    pub entry_price: f64,
    pub exit_price: f64,
    pub pnl: f64,
    /// `(exit/entry − 1)·side − commissions/(units·entry)`.
    pub ret: f64,
    /// Entry plus exit commission.
    pub commission: f64,
    pub exit_reason: ExitReason,
    /// The bar whose close placed the entry order (order entries only).
    pub signal_bar: Option<usize>,
    /// The entry order's kind (order entries only).
    pub order: Option<EntryKind>,
}

impl Trade {
    pub fn is_open(&self) -> bool {
        self.exit_reason == ExitReason::Open
    }
}

/// What a backtest produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// Every trade; an open one (marked to the last close) comes last.
    pub trades: Vec<Trade>,
    /// Account value at each bar's close.
    pub equity: Vec<f64>,
    /// Bars with a position held at the close.
    pub bars_in_market: usize,
    pub commissions: f64,
    /// The entry orders and their fates (order entries only).
    pub orders: OrderLog,
}

/// An open position.
#[derive(Debug, Clone, Copy)]
struct Position {
    side: i8,
    units: f64,
    entry_price: f64,
    entry_bar: usize,
    entry_fee: f64,
    /// The entry order's kind and the bar whose close placed it, for
    /// order entries.
    signal: Option<(EntryKind, usize)>,
}

struct Account<'a> {
    cfg: &'a Execution,
    fees: FeeModel,
    slippage: SlippageModel,
    sizing: Sizing,
    cash: f64,
    pos: Option<Position>,
    stops: Stops,
    trades: Vec<Trade>,
    commissions: f64,
    /// Set by an entry order just before it opens the position.
    signal: Option<(EntryKind, usize)>,
}

impl<'a> Account<'a> {
    fn new(cfg: &'a Execution) -> Account<'a> {
        Account {
            cfg,
            fees: cfg.fees(),
            slippage: cfg.slippage(),
            sizing: cfg.sizing(),
            cash: cfg.cash,
            pos: None,
            signal: None,
            stops: Stops::default(),
            trades: Vec::new(),
            commissions: 0.0,
        }
    }

    fn open(&mut self, side: i8, raw_price: f64, bar: usize) {
        let order = if side > 0 { Side::Buy } else { Side::Sell };
        let price = self.slippage.price(raw_price, order);
        self.open_at(side, price, bar);
    }

    /// Opens at `price` as it is (slippage already applied).
    fn open_at(&mut self, side: i8, price: f64, bar: usize) {
        let units = self
            .sizing
            .units(self.cash, price, &self.fees, self.cfg.whole_units);
        if units <= 0.0 || !units.is_finite() {
            return;
        }
        let fee = self.fees.fee(units, price);
        self.cash -= f64::from(side) * units * price + fee;
        self.commissions += fee;
        self.pos = Some(Position {
            side,
            units,
            entry_price: price,
            entry_bar: bar,
            entry_fee: fee,
            signal: self.signal.take(),
        });
        self.stops = Stops::new(self.cfg, side, price);
    }

    fn close(&mut self, raw_price: f64, bar: usize, reason: ExitReason, slip: bool) {
        let Some(p) = self.pos.take() else {
            return;
        };
        let order = if p.side > 0 { Side::Sell } else { Side::Buy };
        let price = if slip {
            self.slippage.price(raw_price, order)
        } else {
            raw_price
        };
        let fee = self.fees.fee(p.units, price);
        self.cash += f64::from(p.side) * p.units * price - fee;
        self.commissions += fee;
        self.trades.push(trade(&p, price, bar, fee, reason));
    }

    fn equity(&self, price: f64) -> f64 {
        match &self.pos {
            Some(p) => self.cash + f64::from(p.side) * p.units * price,
            None => self.cash,
        }
    }

    /// Acts on bar `t`'s signals at `price` (filled on bar `bar`).
    fn on_signals(&mut self, s: &Signals, t: usize, price: f64, bar: usize) {
        self.on_flags(Flags::of(s, t), price, bar);
    }

    /// Acts on one bar's signals at `price` (filled on bar `bar`).
    fn on_flags(&mut self, f: Flags, price: f64, bar: usize) {
        let (le, se) = (f.has(Flags::LONG_ENTRY), f.has(Flags::SHORT_ENTRY));
        let side = self.pos.map(|p| p.side);
        // Exits first: an exit signal, or an entry the other way (a reversal).
        let exit = match side {
            Some(1) if f.has(Flags::LONG_EXIT) && !le => Some(ExitReason::Signal),
            Some(1) if se => Some(ExitReason::Reverse),
            Some(-1) if f.has(Flags::SHORT_EXIT) && !se => Some(ExitReason::Signal),
            Some(-1) if le => Some(ExitReason::Reverse),
            _ => None,
        };
        if let Some(reason) = exit {
            self.close(price, bar, reason, true);
        }
        if self.pos.is_none() {
            if le && !se {
                self.open(1, price, bar);
            } else if se && !le {
                self.open(-1, price, bar);
            }
        }
    }
}

fn trade(p: &Position, exit_price: f64, bar: usize, exit_fee: f64, reason: ExitReason) -> Trade {
    let side = f64::from(p.side);
    let commission = p.entry_fee + exit_fee;
    Trade {
        entry_bar: p.entry_bar,
        exit_bar: bar,
        side: p.side,
        units: p.units,
        entry_price: p.entry_price,
        exit_price,
        pnl: p.units * (exit_price - p.entry_price) * side - commission,
        ret: (exit_price / p.entry_price - 1.0) * side - commission / (p.units * p.entry_price),
        commission,
        exit_reason: reason,
        signal_bar: p.signal.map(|s| s.1),
        order: p.signal.map(|s| s.0),
    }
}

/// Runs the backtest. `prices` and every present signal column have the same length.
pub fn run(prices: Prices, signals: &Signals, cfg: &Execution) -> Backtest {
    let n = prices.close.len();
    let mut acc = Account::new(cfg);
    let mut equity = Vec::with_capacity(n);
    if let Some(o) = signals.orders.filter(|o| o.kind != EntryKind::Market) {
        let (log, in_market) = entry::run(&mut acc, prices, signals, o, &mut equity);
        if let Some(p) = acc.pos.take() {
            let last = prices.close[n - 1];
            acc.trades
                .push(trade(&p, last, n - 1, 0.0, ExitReason::Open));
        }
        return Backtest {
            trades: acc.trades,
            equity,
            bars_in_market: in_market,
            commissions: acc.commissions,
            orders: log,
        };
    }
    let mut in_market = 0;
    let mut bankrupt = false;
    let has_stops =
        cfg.stop_loss.is_some() || cfg.take_profit.is_some() || cfg.trailing_stop.is_some();
    // Between events a bar only marks the position to market: that path is
    // kept free of the order logic.
    let (mut held_units, mut held) = (0.0, false);
    for t in 0..n {
        if bankrupt {
            equity.push(acc.cash);
            continue;
        }
        let event = (cfg.fill == Fill::NextOpen && t > 0 && signals.any(t - 1))
            || (cfg.fill == Fill::Close && signals.any(t))
            || (has_stops && held)
            || t + 1 == n;
        if !event {
            let value = acc.cash + held_units * prices.close[t];
            if !(held && value <= 0.0) {
                in_market += usize::from(held);
                equity.push(value);
                continue;
            }
        }
        if cfg.fill == Fill::NextOpen && t > 0 && signals.any(t - 1) {
            acc.on_signals(signals, t - 1, prices.open[t], t);
        }
        if let Some(p) = acc.pos.filter(|_| has_stops) {
            // A position filled at this bar's close is checked from the next bar.
            if !(cfg.fill == Fill::Close && p.entry_bar == t) {
                if let Some((price, reason)) =
                    acc.stops
                        .check(p.side, prices.open[t], prices.high[t], prices.low[t])
                {
                    acc.close(price, t, reason, false);
                }
            }
        }
        if let Some(p) = acc.pos.filter(|_| has_stops) {
            acc.stops.update(p.side, prices.high[t], prices.low[t]);
        }
        if cfg.fill == Fill::Close && signals.any(t) {
            acc.on_signals(signals, t, prices.close[t], t);
        }
        if t + 1 == n && cfg.close_at_end {
            acc.close(prices.close[t], t, ExitReason::EndOfData, false);
        }
        let value = acc.equity(prices.close[t]);
        if value <= 0.0 && acc.pos.is_some() {
            acc.close(prices.close[t], t, ExitReason::Bankrupt, false);
            bankrupt = true;
        }
        in_market += usize::from(acc.pos.is_some());
        equity.push(if bankrupt { acc.cash } else { value });
        held = acc.pos.is_some();
        held_units = acc.pos.map_or(0.0, |p| f64::from(p.side) * p.units);
    }
    if let Some(p) = acc.pos.take() {
        let last = prices.close[n - 1];
        acc.trades
            .push(trade(&p, last, n - 1, 0.0, ExitReason::Open));
    }
    Backtest {
        trades: acc.trades,
        equity,
        bars_in_market: in_market,
        commissions: acc.commissions,
        orders: OrderLog::default(),
    }
}
