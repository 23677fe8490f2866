//! The portfolio's account: cash, units per symbol, each symbol's stops and
//! its holding episode, and the one routine that books a fill (fee, cash,
//! units, stops, the fill record, the trade when a position closes).

use super::{Fill, Order, OrderKind};
use crate::engine::stops::Stops;
use crate::engine::{EntryKind, Execution, ExitReason, FeeModel, Side, SlippageModel, Trade};

/// A holding episode being built.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Episode {
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
    /// The entry order that opened it: its kind and the bar that placed it.
    signal: Option<(EntryKind, usize)>,
}

pub(super) struct Book<'a> {
    pub exec: &'a Execution,
    pub fees: FeeModel,
    pub slippage: SlippageModel,
    pub cash: f64,
    pub units: Vec<f64>,
    pub open: Vec<Option<Episode>>,
    /// Each symbol's stop, target and trailing levels (the single-asset
    /// engine's, from the first fill of the position).
    pub stops: Vec<Stops>,
    pub fills: Vec<Fill>,
    pub trades: Vec<Trade>,
    pub trade_symbols: Vec<usize>,
    pub commissions: f64,
}

impl<'a> Book<'a> {
    pub fn new(exec: &'a Execution, k: usize) -> Book<'a> {
        Book {
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
        }
    }

    /// Cash plus every holding at its last close.
    pub fn value(&self, last: &[f64]) -> f64 {
        self.cash
            + self
                .units
                .iter()
                .zip(last)
                .map(|(u, c)| if *u != 0.0 { u * c } else { 0.0 })
                .sum::<f64>()
    }

    /// Executes one order at `close` (the symbol's bar close).
    pub fn execute(&mut self, t: usize, o: Order, close: f64) {
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
            // Placed and cancelled entry orders are the working book's.
            OrderKind::Place { .. } | OrderKind::Cancel => return,
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
        let why = match o.kind {
            OrderKind::Exit { reason } => reason,
            _ => ExitReason::Rebalance,
        };
        self.apply(t, o.symbol, side, units, price, reason, why);
    }

    /// Books an entry order's fill of `units` at `price` (slippage applied)
    /// for a flat symbol `s`.
    pub fn fill_entry(
        &mut self,
        t: usize,
        s: usize,
        units: f64,
        price: f64,
        signal: (EntryKind, usize),
    ) {
        self.apply(
            t,
            s,
            Side::Buy,
            units,
            price,
            "entry",
            ExitReason::Rebalance,
        );
        if let Some(ep) = self.open[s].as_mut() {
            ep.signal = Some(signal);
        }
    }

    /// Books one fill; a sell that empties the position closes its episode
    /// with `why`.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        t: usize,
        s: usize,
        side: Side,
        units: f64,
        price: f64,
        reason: &'static str,
        why: ExitReason,
    ) {
        let held = self.units[s];
        let fee = self.fees.fee(units, price);
        let signed = if side == Side::Buy { units } else { -units };
        self.cash -= signed * price + fee;
        self.units[s] = if side == Side::Sell && units >= held {
            0.0
        } else {
            held + signed
        };
        self.commissions += fee;
        if held == 0.0 && side == Side::Buy {
            self.stops[s] = Stops::new(self.exec, 1, price);
        }
        let ep = self.open[s].get_or_insert(Episode {
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
            symbol: s,
            side: if side == Side::Buy { "buy" } else { "sell" },
            units,
            price,
            fee,
            reason,
        });
        if self.units[s] == 0.0 {
            self.close_episode(s, t, why, 0.0);
        }
    }

    /// Records symbol `s`'s episode as a trade; `mark` values what is still held.
    pub fn close_episode(&mut self, s: usize, t: usize, reason: ExitReason, mark: f64) {
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
            signal_bar: ep.signal.map(|s| s.1),
            order: ep.signal.map(|s| s.0),
        });
        self.trade_symbols.push(s);
    }
}
