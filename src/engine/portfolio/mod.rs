//! The portfolio engine: many symbols, one cash account. Each bar's orders
//! (rebalance targets, signal entries and exits, end-of-data closes) are
//! data, sorted by approximate order value (every sell before every buy)
//! and executed by one routine with the account's fee and slippage models.
//! The conventions are vectorbt's (`shared/oracle/README.md`, portfolio/).
//! Limit, stop and stop-limit entries work beside them (`working`).

mod book;
mod working;

use serde::Serialize;

use super::{EntryKind, Execution, ExitReason, OrderLog, Sizing, Trade};
use book::Book;
use working::Working;

/// What a bar asks of one symbol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OrderKind {
    /// Hold `target_value / close` units (buy or sell the difference).
    Target { value: f64 },
    /// Buy this much cash worth (an entry signal).
    Entry { value: f64 },
    /// Sell everything held.
    Exit { reason: ExitReason },
    /// Place a buy entry order at these prices (those its kind uses), to
    /// fill from the next bar; it replaces the symbol's working order.
    Place { limit: f64, stop: f64 },
    /// Cancel the symbol's working entry order.
    Cancel,
}

/// One order of a bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Order {
    pub symbol: usize,
    pub kind: OrderKind,
}

/// What the engine needs of the universe and the strategy.
pub struct Inputs<'a> {
    /// Close per symbol on the shared timeline (NaN where it has no bar).
    pub close: &'a [&'a [f64]],
    /// Open per symbol: orders decided at a close fill at the next open.
    /// None: they fill at that close.
    pub open: Option<&'a [&'a [f64]]>,
    /// Open, high and low per symbol, for stops (None: stops see the close only).
    pub range: Option<[&'a [&'a [f64]]; 3]>,
    /// Pushes the orders of bar t (called once per bar, in bar order).
    pub orders: &'a mut dyn FnMut(usize, &State, &mut Vec<Order>),
    /// The kind and expiry of `Place` orders (None: there are none).
    pub entry_orders: Option<(EntryKind, Option<usize>)>,
}

/// The account as the strategy sees it before a bar's orders.
#[derive(Debug, Clone)]
pub struct State<'a> {
    pub cash: f64,
    /// Units held per symbol.
    pub units: &'a [f64],
    /// Portfolio value at this bar's close: cash + Σ units × last close.
    pub value: f64,
    /// Whether each symbol has a working entry order.
    pub working: &'a [bool],
}

/// An executed order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fill {
    pub bar: usize,
    pub symbol: usize,
    /// "buy" or "sell".
    pub side: &'static str,
    pub units: f64,
    pub price: f64,
    pub fee: f64,
    /// rebalance, entry, exit, end.
    pub reason: &'static str,
}

/// A portfolio backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioRun {
    /// Portfolio value at every bar's close, after that bar's orders.
    pub equity: Vec<f64>,
    pub fills: Vec<Fill>,
    /// Closed and open holding episodes (0 → units → 0) per symbol.
    pub trades: Vec<Trade>,
    /// The symbol of each trade.
    pub trade_symbols: Vec<usize>,
    /// Bars with any position held at the close.
    pub bars_in_market: usize,
    /// Bars each symbol was held at the close.
    pub bars_held: Vec<usize>,
    pub commissions: f64,
    /// Units held per symbol at each bar's close × that close, over the value
    /// (the weights the account actually had), at the last bar.
    pub last_weights: Vec<f64>,
    /// The entry orders and their fates (with `entry_orders`).
    pub orders: OrderLog,
    /// The symbol of each entry order.
    pub order_symbols: Vec<usize>,
}

/// The last finite value of `col` at or before `t` (carried forward).
fn carry(last: &mut [f64], close: &[&[f64]], t: usize) {
    for (l, c) in last.iter_mut().zip(close) {
        if c[t].is_finite() {
            *l = c[t];
        }
    }
}

/// Checks every held symbol's stop, target and trailing stop against bar
/// `t`'s range (a gap through a level fills at the open), and moves the
/// trailing reference of those still held: the single-asset rules.
fn check_stops(book: &mut Book, t: usize, close: &[&[f64]], range: Option<[&[&[f64]]; 3]>) {
    for s in 0..close.len() {
        let c = close[s][t];
        if book.units[s] <= 0.0 || !c.is_finite() {
            continue;
        }
        let (o, h, l) = range.map_or((c, c, c), |[o, h, l]| (o[s][t], h[s][t], l[s][t]));
        if let Some((price, reason)) = book.stops[s].check(1, o, h, l) {
            book.execute(
                t,
                Order {
                    symbol: s,
                    kind: OrderKind::Exit { reason },
                },
                price,
            );
        } else {
            book.stops[s].update(1, h, l);
        }
    }
}

/// Fills the working entry orders that bar `t`'s range reaches, in universe
/// order. Each is sized at its fill price as a single-asset entry is (the
/// sizing applied to `value`, the account's value at the previous close),
/// and never beyond the cash: units = min(sizing, all the cash).
fn fill_working(book: &mut Book, w: &mut Working, t: usize, range: [&[&[f64]]; 3], value: f64) {
    let [open, high, low] = range;
    let (sizing, whole) = (book.exec.sizing(), book.exec.whole_units);
    for s in 0..book.units.len() {
        if book.units[s] != 0.0 {
            continue;
        }
        let bar = (open[s][t], high[s][t], low[s][t]);
        let Some((price, placed)) = w.check(s, t, bar, &book.slippage) else {
            continue;
        };
        let want = sizing.units(value, price, &book.fees, whole);
        let units = want.min(Sizing::Fraction(1.0).units(book.cash, price, &book.fees, whole));
        let sized = units > 0.0 && units.is_finite();
        if sized {
            book.fill_entry(t, s, units, price, (w.kind, placed));
        }
        w.filled(s, t, sized);
    }
}

/// Executes `orders` at bar `t`'s `prices` in ascending order of
/// approximate value (every sell before every buy), ties in universe order;
/// a symbol without a price at `t` cannot trade.
fn execute_sorted(
    book: &mut Book,
    t: usize,
    orders: &[Order],
    prices: &[&[f64]],
    keyed: &mut Vec<(f64, usize, Order)>,
) {
    keyed.clear();
    for &o in orders {
        let p = prices[o.symbol][t];
        if !p.is_finite() {
            continue;
        }
        let held = book.units[o.symbol];
        let approx = match o.kind {
            OrderKind::Target { value } => value - held * p,
            OrderKind::Entry { value } => value,
            OrderKind::Exit { .. } => -held * p,
            OrderKind::Place { .. } | OrderKind::Cancel => continue,
        };
        keyed.push((approx, o.symbol, o));
    }
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for &(_, s, o) in keyed.iter() {
        book.execute(t, o, prices[s][t]);
    }
}

/// Runs the account over every bar. Orders fill at the bar's close, or with
/// `open` at the next bar's open.
pub fn run(inputs: Inputs, exec: &Execution) -> PortfolioRun {
    let close = inputs.close;
    let k = close.len();
    let n = close.first().map_or(0, |c| c.len());
    let mut book = Book::new(exec, k);
    // The last bar each symbol has: a position still held then is sold there.
    let last_bar: Vec<Option<usize>> = close
        .iter()
        .map(|c| c.iter().rposition(|v| v.is_finite()))
        .collect();
    let mut last = vec![f64::NAN; k];
    let mut equity = Vec::with_capacity(n);
    let mut in_market = 0;
    let mut bars_held = vec![0usize; k];
    let mut keyed: Vec<(f64, usize, Order)> = Vec::with_capacity(k);
    let mut orders: Vec<Order> = Vec::with_capacity(k);
    let mut pending: Vec<Order> = Vec::with_capacity(k);
    let has_stops =
        exec.stop_loss.is_some() || exec.take_profit.is_some() || exec.trailing_stop.is_some();
    let mut working = inputs
        .entry_orders
        .map(|(kind, expire)| Working::new(kind, expire, k));
    let mut flags = vec![false; k];
    for t in 0..n {
        carry(&mut last, close, t);
        if let Some(open) = inputs.open {
            execute_sorted(&mut book, t, &pending, open, &mut keyed);
            pending.clear();
        }
        if let (Some(w), Some(range)) = (working.as_mut(), inputs.range) {
            let value = equity.last().copied().unwrap_or(exec.cash);
            fill_working(&mut book, w, t, range, value);
        }
        if has_stops {
            check_stops(&mut book, t, close, inputs.range);
        }
        let value = book.value(&last);
        if let Some(w) = &working {
            for (f, s) in flags.iter_mut().zip(0..) {
                *f = w.is_working(s);
            }
        }
        let state = State {
            cash: book.cash,
            units: &book.units,
            value,
            working: &flags,
        };
        orders.clear();
        (inputs.orders)(t, &state, &mut orders);
        if let Some(w) = working.as_mut() {
            // Entry orders are placed and cancelled at this close.
            for o in &orders {
                match o.kind {
                    OrderKind::Place { limit, stop } => w.place(o.symbol, t, limit, stop),
                    OrderKind::Cancel => w.cancel(o.symbol, t),
                    _ => {}
                }
            }
        }
        if inputs.open.is_some() {
            // Decided at this close, filled at the next bar's open.
            std::mem::swap(&mut pending, &mut orders);
            orders.clear();
        }
        for (s, lb) in last_bar.iter().enumerate() {
            if *lb == Some(t) && t + 1 < n && book.units[s] != 0.0 {
                orders.retain(|o| o.symbol != s);
                pending.retain(|o| o.symbol != s);
                orders.push(Order {
                    symbol: s,
                    kind: OrderKind::Exit {
                        reason: ExitReason::EndOfData,
                    },
                });
            }
        }
        execute_sorted(&mut book, t, &orders, close, &mut keyed);
        let v = book.value(&last);
        let mut any = false;
        for (h, u) in bars_held.iter_mut().zip(&book.units) {
            if *u != 0.0 {
                *h += 1;
                any = true;
            }
        }
        in_market += usize::from(any);
        equity.push(v);
    }
    let final_value = equity.last().copied().unwrap_or(exec.cash);
    let last_weights = book
        .units
        .iter()
        .zip(&last)
        .map(|(u, c)| if *u != 0.0 { u * c / final_value } else { 0.0 })
        .collect();
    for (s, &mark) in last.iter().enumerate() {
        if book.open[s].is_some() {
            book.close_episode(s, n.saturating_sub(1), ExitReason::Open, mark);
        }
    }
    let (orders, order_symbols) = working
        .map(|w| w.finish(n.saturating_sub(1)))
        .unwrap_or_default();
    PortfolioRun {
        equity,
        fills: book.fills,
        trades: book.trades,
        trade_symbols: book.trade_symbols,
        bars_in_market: in_market,
        bars_held,
        commissions: book.commissions,
        last_weights,
        orders,
        order_symbols,
    }
}
