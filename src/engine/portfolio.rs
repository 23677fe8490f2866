//! The portfolio engine: many symbols, one cash account. Each bar's orders
//! (rebalance targets, signal entries and exits, end-of-data closes) are
//! data, sorted by approximate order value (every sell before every buy)
//! and executed by one routine with the account's fee and slippage models.
//! The conventions are vectorbt's (`shared/oracle/README.md`, portfolio/).

use serde::Serialize;

use super::stops::Stops;
use super::{Execution, ExitReason, FeeModel, Side, SlippageModel, Trade};

/// What a bar asks of one symbol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OrderKind {
    /// Hold `target_value / close` units (buy or sell the difference).
    Target { value: f64 },
    /// Buy this much cash worth (an entry signal).
    Entry { value: f64 },
    /// Sell everything held.
    Exit { reason: ExitReason },
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
}

/// The account as the strategy sees it before a bar's orders.
#[derive(Debug, Clone)]
pub struct State<'a> {
    pub cash: f64,
    /// Units held per symbol.
    pub units: &'a [f64],
    /// Portfolio value at this bar's close: cash + Σ units × last close.
    pub value: f64,
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
}

/// A holding episode being built.
#[derive(Debug, Clone, Copy, Default)]
struct Episode {
    entry_bar: usize,
    /// Fills each way, and the price of the last one (the price itself
    /// when there was one fill, not value / units).
    buys: usize,
    sells: usize,
    buy_price: f64,
    sell_price: f64,
    bought_units: f64,
    bought_value: f64,
    sold_units: f64,
    sold_value: f64,
    fees: f64,
}

struct Book<'a> {
    exec: &'a Execution,
    fees: FeeModel,
    slippage: SlippageModel,
    cash: f64,
    units: Vec<f64>,
    open: Vec<Option<Episode>>,
    /// Each symbol's stop, target and trailing levels (the single-asset
    /// engine's, from the first fill of the position).
    stops: Vec<Stops>,
    fills: Vec<Fill>,
    trades: Vec<Trade>,
    trade_symbols: Vec<usize>,
    commissions: f64,
}

impl Book<'_> {
    /// Cash plus every holding at its last close.
    fn value(&self, last: &[f64]) -> f64 {
        self.cash
            + self
                .units
                .iter()
                .zip(last)
                .map(|(u, c)| if *u != 0.0 { u * c } else { 0.0 })
                .sum::<f64>()
    }

    /// Executes one order at `close` (the symbol's bar close).
    fn execute(&mut self, t: usize, o: Order, close: f64) {
        let held = self.units[o.symbol];
        let (delta, reason) = match o.kind {
            OrderKind::Target { value } => (value / close - held, "rebalance"),
            OrderKind::Entry { value } if held == 0.0 => (value / close, "entry"),
            OrderKind::Entry { .. } => return,
            OrderKind::Exit { .. } if held == 0.0 => return,
            OrderKind::Exit { reason } => (
                -held,
                match reason {
                    ExitReason::EndOfData => "end",
                    ExitReason::StopLoss | ExitReason::TakeProfit | ExitReason::TrailingStop => {
                        "stop"
                    }
                    _ => "exit",
                },
            ),
        };
        if delta == 0.0 || !delta.is_finite() {
            return;
        }
        let side = if delta > 0.0 { Side::Buy } else { Side::Sell };
        // Stops and the end of data fill at their level, unslipped, as in
        // a single-asset run.
        let slipped = !matches!(
            o.kind,
            OrderKind::Exit {
                reason: ExitReason::EndOfData
                    | ExitReason::StopLoss
                    | ExitReason::TakeProfit
                    | ExitReason::TrailingStop
            }
        );
        let price = if slipped {
            self.slippage.price(close, side)
        } else {
            close
        };
        let mut units = delta.abs();
        if side == Side::Buy {
            // A buy the cash cannot pay for (value plus fees) is reduced to what it can.
            let cost = units * price + self.fees.fee(units, price);
            if cost > self.cash {
                units =
                    ((self.cash - self.fees.fixed) / (price * (1.0 + self.fees.fraction))).max(0.0);
                if self.exec.whole_units {
                    units = units.floor();
                }
            }
            if units <= 0.0 {
                return;
            }
        } else {
            units = units.min(held);
        }
        let fee = self.fees.fee(units, price);
        let signed = if side == Side::Buy { units } else { -units };
        self.cash -= signed * price + fee;
        self.units[o.symbol] = if side == Side::Sell && units >= held {
            0.0
        } else {
            held + signed
        };
        self.commissions += fee;
        if held == 0.0 && side == Side::Buy {
            self.stops[o.symbol] = Stops::new(self.exec, 1, price);
        }
        let ep = self.open[o.symbol].get_or_insert(Episode {
            entry_bar: t,
            ..Episode::default()
        });
        ep.fees += fee;
        if side == Side::Buy {
            ep.bought_units += units;
            ep.bought_value += units * price;
            ep.buys += 1;
            ep.buy_price = price;
        } else {
            ep.sold_units += units;
            ep.sold_value += units * price;
            ep.sells += 1;
            ep.sell_price = price;
        }
        self.fills.push(Fill {
            bar: t,
            symbol: o.symbol,
            side: if side == Side::Buy { "buy" } else { "sell" },
            units,
            price,
            fee,
            reason,
        });
        if self.units[o.symbol] == 0.0 {
            let why = match o.kind {
                OrderKind::Exit { reason } => reason,
                _ => ExitReason::Rebalance,
            };
            self.close_episode(o.symbol, t, why, 0.0);
        }
    }

    /// Records symbol `s`'s episode as a trade; `mark` values what is still held.
    fn close_episode(&mut self, s: usize, t: usize, reason: ExitReason, mark: f64) {
        let Some(ep) = self.open[s].take() else {
            return;
        };
        let still = self.units[s];
        let exit_value = ep.sold_value + still * mark;
        let exit_units = ep.sold_units + still;
        let pnl = exit_value - ep.bought_value - ep.fees;
        self.trades.push(Trade {
            entry_bar: ep.entry_bar,
            exit_bar: t,
            side: 1,
            units: ep.bought_units,
            entry_price: if ep.buys == 1 {
                ep.buy_price
            } else {
                ep.bought_value / ep.bought_units
            },
            exit_price: match (ep.sells, still > 0.0) {
                (1, false) => ep.sell_price,
                (0, true) => mark,
                _ if exit_units > 0.0 => exit_value / exit_units,
                _ => f64::NAN,
            },
            pnl,
            ret: pnl / ep.bought_value,
            commission: ep.fees,
            exit_reason: reason,
            signal_bar: None,
        });
        self.trade_symbols.push(s);
    }
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
    let mut book = Book {
        exec,
        fees: exec.fees(),
        slippage: exec.slippage(),
        cash: exec.cash,
        units: vec![0.0; k],
        open: vec![None; k],
        stops: vec![Stops::default(); k],
        fills: Vec::new(),
        trades: Vec::new(),
        trade_symbols: Vec::new(),
        commissions: 0.0,
    };
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
    for t in 0..n {
        carry(&mut last, close, t);
        if let Some(open) = inputs.open {
            execute_sorted(&mut book, t, &pending, open, &mut keyed);
            pending.clear();
        }
        if has_stops {
            check_stops(&mut book, t, close, inputs.range);
        }
        let value = book.value(&last);
        let state = State {
            cash: book.cash,
            units: &book.units,
            value,
        };
        orders.clear();
        (inputs.orders)(t, &state, &mut orders);
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
    PortfolioRun {
        equity,
        fills: book.fills,
        trades: book.trades,
        trade_symbols: book.trade_symbols,
        bars_in_market: in_market,
        bars_held,
        commissions: book.commissions,
        last_weights,
    }
}
