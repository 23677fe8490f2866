//! Entry orders: limit, stop and stop-limit entries with an expiry, placed
//! at a signal bar's close and filled on a later bar's range, as
//! backtesting.py fills them (`shared/oracle/README.md`, orders/). Exits
//! stay market orders at the next open; the account, sizing, costs and
//! stops are the single-asset engine's own.

use super::{Account, ExitReason, Prices, Side, Signals, SlippageModel};

/// How an entry is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// At the next open (or the close), as without an `[orders]` table.
    #[default]
    Market,
    Limit,
    Stop,
    StopLimit,
}

/// The entry orders of a strategy: their kind, the price columns read at
/// the signal bar, and how many bars an order stays eligible.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryOrders<'a> {
    pub kind: EntryKind,
    pub limit: Option<&'a [f64]>,
    pub stop: Option<&'a [f64]>,
    /// None: good until cancelled (by an exit signal or a newer entry).
    pub expire_bars: Option<usize>,
}

/// What became of an entry order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    Filled,
    /// Unfilled after its last eligible bar.
    Expired,
    /// An exit signal while flat.
    Cancelled,
    /// A newer entry signal.
    Replaced,
    /// Filled at a size of zero units (no cash for one).
    NoSize,
    /// Still working at the end of the data.
    Working,
}

/// One placed entry order and its fate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct OrderRecord {
    /// The bar whose close placed it.
    pub placed: usize,
    /// +1 buy, −1 sell.
    pub side: i8,
    pub limit: Option<f64>,
    pub stop: Option<f64>,
    pub fate: Fate,
    /// The bar where it filled, expired, or was cancelled or replaced.
    pub bar: usize,
}

/// Every entry order of a run, and the ones a NaN or non-positive price
/// kept from being placed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderLog {
    pub orders: Vec<OrderRecord>,
    pub unplaced: usize,
}

impl OrderLog {
    /// How many orders met each fate.
    pub fn count(&self, fate: Fate) -> usize {
        self.orders.iter().filter(|o| o.fate == fate).count()
    }
}

/// A working order.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    pub side: i8,
    pub placed: usize,
    pub limit: f64,
    pub stop: f64,
    /// A stop-limit's stop has triggered: from now on a plain limit.
    pub triggered: bool,
}

impl Pending {
    /// An order placed at bar `placed`'s close; None when a price the kind
    /// uses is NaN or not positive (no order is placed).
    pub fn new(kind: EntryKind, side: i8, placed: usize, limit: f64, stop: f64) -> Option<Pending> {
        let ok = |v: f64, used: bool| !used || (v.is_finite() && v > 0.0);
        (ok(limit, kind.uses_limit()) && ok(stop, kind.uses_stop())).then_some(Pending {
            side,
            placed,
            limit,
            stop,
            triggered: false,
        })
    }

    /// Its record, with the prices its kind uses.
    pub fn record(&self, kind: EntryKind, fate: Fate, bar: usize) -> OrderRecord {
        OrderRecord {
            placed: self.placed,
            side: self.side,
            limit: kind.uses_limit().then_some(self.limit),
            stop: kind.uses_stop().then_some(self.stop),
            fate,
            bar,
        }
    }

    /// Whether it is still eligible after bar `t`'s fill check.
    pub fn expired(&self, expire_bars: Option<usize>, t: usize) -> bool {
        expire_bars.is_some_and(|e| t >= self.placed + e)
    }

    /// The price it fills at on a bar (open, high, low), slipped (a limit
    /// fill only up to its limit); None when it does not fill there.
    pub fn fill_price(
        &mut self,
        kind: EntryKind,
        (open, high, low): (f64, f64, f64),
        slippage: &SlippageModel,
    ) -> Option<f64> {
        let limit_fill = kind == EntryKind::Limit || self.triggered;
        let raw = fill(self, kind, open, high, low)?;
        let side = if self.side > 0 { Side::Buy } else { Side::Sell };
        let price = slippage.price(raw, side);
        Some(match (limit_fill, self.side > 0) {
            (false, _) => price,
            (true, true) => price.min(self.limit),
            (true, false) => price.max(self.limit),
        })
    }
}

impl EntryKind {
    pub fn uses_limit(self) -> bool {
        matches!(self, EntryKind::Limit | EntryKind::StopLimit)
    }

    pub fn uses_stop(self) -> bool {
        matches!(self, EntryKind::Stop | EntryKind::StopLimit)
    }

    /// Its name in strategy files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Market => "market",
            EntryKind::Limit => "limit",
            EntryKind::Stop => "stop",
            EntryKind::StopLimit => "stop_limit",
        }
    }
}

/// The fill price of `o` on a bar (open, high, low), updating a stop-limit's
/// trigger; None when it does not fill there.
fn fill(o: &mut Pending, kind: EntryKind, open: f64, high: f64, low: f64) -> Option<f64> {
    let long = o.side > 0;
    // A buy limit fills at or below L, a sell limit at or above it.
    let limit = |l: f64| {
        if long {
            (low <= l).then(|| open.min(l))
        } else {
            (high >= l).then(|| open.max(l))
        }
    };
    let stop_hit = |s: f64| if long { high >= s } else { low <= s };
    match kind {
        EntryKind::Market => Some(open),
        EntryKind::Limit => limit(o.limit),
        EntryKind::Stop => stop_hit(o.stop).then(|| {
            if long {
                open.max(o.stop)
            } else {
                open.min(o.stop)
            }
        }),
        EntryKind::StopLimit if o.triggered => limit(o.limit),
        EntryKind::StopLimit => {
            if !stop_hit(o.stop) {
                return None;
            }
            o.triggered = true;
            // On the trigger bar it fills at the stop when the limit is reachable.
            let reachable = if long {
                low <= o.limit
            } else {
                high >= o.limit
            };
            reachable.then_some(o.stop)
        }
    }
}

/// Runs the backtest with entry orders (next-open exits, orders filled from
/// the bar after their signal) into `acc` and `equity`; returns the order
/// log and the bars in the market.
pub(super) fn run(
    acc: &mut Account,
    prices: Prices,
    signals: &Signals,
    orders: EntryOrders,
    equity: &mut Vec<f64>,
) -> (OrderLog, usize) {
    let n = prices.close.len();
    let cfg = acc.cfg;
    let has_stops =
        cfg.stop_loss.is_some() || cfg.take_profit.is_some() || cfg.trailing_stop.is_some();
    let mut pending: Option<Pending> = None;
    let (mut log, mut in_market) = (OrderLog::default(), 0usize);
    let kind = orders.kind;
    let record = |p: &Pending, fate: Fate, bar: usize, log: &mut OrderLog| {
        log.orders.push(p.record(kind, fate, bar));
    };
    let at = |col: Option<&[f64]>, t: usize| col.is_some_and(|c| c[t] > 0.5);
    for t in 0..n {
        let (o, h, l) = (prices.open[t], prices.high[t], prices.low[t]);
        // 1. Orders placed at earlier bars fill, then the exit decided at the
        // previous close fills at this open.
        if let Some(mut p) = pending.filter(|p| p.placed < t && acc.pos.is_none()) {
            if let Some(price) = p.fill_price(kind, (o, h, l), &acc.slippage) {
                acc.signal = Some((kind, p.placed));
                acc.open_at(p.side, price, t);
                acc.signal = None;
                let fate = if acc.pos.is_some() {
                    Fate::Filled
                } else {
                    Fate::NoSize
                };
                record(&p, fate, t, &mut log);
                pending = None;
            } else if p.expired(orders.expire_bars, t) {
                record(&p, Fate::Expired, t, &mut log);
                pending = None;
            } else {
                pending = Some(p);
            }
        }
        if t > 0 {
            let exit = match acc.pos.map(|p| p.side) {
                Some(1) => at(signals.long_exit, t - 1) && !at(signals.long_entry, t - 1),
                Some(-1) => at(signals.short_exit, t - 1) && !at(signals.short_entry, t - 1),
                _ => false,
            };
            if exit {
                acc.close(o, t, ExitReason::Signal, true);
            }
        }
        // Stops apply from the fill: a position opened at this bar's open can
        // hit its stop in this same bar.
        if let Some(p) = acc.pos.filter(|_| has_stops) {
            if let Some((price, reason)) = acc.stops.check(p.side, o, h, l) {
                acc.close(price, t, reason, false);
            } else {
                acc.stops.update(p.side, h, l);
            }
        }
        if t + 1 == n && cfg.close_at_end {
            acc.close(prices.close[t], t, ExitReason::EndOfData, false);
        }
        // 2. The equity at the close, then 3. the decisions at the close.
        in_market += usize::from(acc.pos.is_some());
        equity.push(acc.equity(prices.close[t]));
        if acc.pos.is_none() {
            let side = if at(signals.long_entry, t) && !at(signals.short_entry, t) {
                1
            } else if at(signals.short_entry, t) && !at(signals.long_entry, t) {
                -1
            } else {
                0
            };
            let cancel = at(signals.long_exit, t) || at(signals.short_exit, t);
            if side != 0 {
                let price = |c: Option<&[f64]>| c.map_or(f64::NAN, |c| c[t]);
                if let Some(old) = pending.take() {
                    record(&old, Fate::Replaced, t, &mut log);
                }
                pending = Pending::new(kind, side, t, price(orders.limit), price(orders.stop));
                log.unplaced += usize::from(pending.is_none());
            } else if cancel {
                if let Some(old) = pending.take() {
                    record(&old, Fate::Cancelled, t, &mut log);
                }
            }
        }
    }
    if let Some(p) = pending {
        record(&p, Fate::Working, n.saturating_sub(1), &mut log);
    }
    (log, in_market)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(side: i8, limit: f64, stop: f64) -> Pending {
        Pending {
            side,
            placed: 0,
            limit,
            stop,
            triggered: false,
        }
    }

    #[test]
    fn limits_and_stops_both_ways() {
        // (open, high, low): a buy limit at 100 fills on low ≤ 100 at
        // min(open, 100); a bar that opens at 98 fills at the open.
        let l = EntryKind::Limit;
        assert_eq!(
            fill(&mut order(1, 100.0, 0.0), l, 103.0, 104.0, 99.0),
            Some(100.0)
        );
        assert_eq!(
            fill(&mut order(1, 100.0, 0.0), l, 98.0, 101.0, 97.0),
            Some(98.0)
        );
        assert_eq!(
            fill(&mut order(1, 100.0, 0.0), l, 103.0, 104.0, 100.5),
            None
        );
        // Mirror: a sell limit at 100 fills on high ≥ 100 at max(open, 100).
        assert_eq!(
            fill(&mut order(-1, 100.0, 0.0), l, 97.0, 101.0, 96.0),
            Some(100.0)
        );
        assert_eq!(
            fill(&mut order(-1, 100.0, 0.0), l, 102.0, 103.0, 99.0),
            Some(102.0)
        );
        assert_eq!(fill(&mut order(-1, 100.0, 0.0), l, 97.0, 99.5, 96.0), None);
        // A buy stop at 105 fills on high ≥ 105 at max(open, 105): a gap up
        // to 107 fills at 107.
        let s = EntryKind::Stop;
        assert_eq!(
            fill(&mut order(1, 0.0, 105.0), s, 103.0, 106.0, 102.0),
            Some(105.0)
        );
        assert_eq!(
            fill(&mut order(1, 0.0, 105.0), s, 107.0, 108.0, 106.0),
            Some(107.0)
        );
        // Mirror: a sell stop at 95 fills on low ≤ 95 at min(open, 95).
        assert_eq!(
            fill(&mut order(-1, 0.0, 95.0), s, 97.0, 98.0, 94.0),
            Some(95.0)
        );
        assert_eq!(
            fill(&mut order(-1, 0.0, 95.0), s, 93.0, 94.0, 92.0),
            Some(93.0)
        );
        assert_eq!(fill(&mut order(-1, 0.0, 95.0), s, 97.0, 98.0, 96.0), None);
    }

    #[test]
    fn stop_limits_trigger_then_limit() {
        let k = EntryKind::StopLimit;
        // Buy: stop 105, limit 106. The trigger bar (high 107 ≥ 105) also
        // reaches the limit (low 104 ≤ 106): filled at the stop, 105, even
        // though it opened at 106.5.
        let mut o = order(1, 106.0, 105.0);
        assert_eq!(fill(&mut o, k, 106.5, 107.0, 104.0), Some(105.0));
        // Trigger bar with low 106.5 > 106: nothing fills, but the stop has
        // triggered for good; the next bar is a plain limit at 106 and fills
        // at min(open 106.8, 106) = 106 on its low of 105.
        let mut o = order(1, 106.0, 105.0);
        assert_eq!(fill(&mut o, k, 106.6, 108.0, 106.5), None);
        assert!(o.triggered);
        assert_eq!(fill(&mut o, k, 106.8, 107.0, 105.0), Some(106.0));
        // Before the stop triggers the limit is ignored: a bar whose range
        // holds the limit but not the stop fills nothing.
        let mut o = order(1, 106.0, 105.0);
        assert_eq!(fill(&mut o, k, 100.0, 104.0, 99.0), None);
        assert!(!o.triggered);
        // Mirror: sell stop 95, limit 94; trigger (low 93 ≤ 95) with the
        // limit reachable (high 96 ≥ 94) fills at the stop 95.
        let mut o = order(-1, 94.0, 95.0);
        assert_eq!(fill(&mut o, k, 93.5, 96.0, 93.0), Some(95.0));
        let mut o = order(-1, 94.0, 95.0);
        assert_eq!(fill(&mut o, k, 93.0, 93.5, 92.0), None);
        assert_eq!(fill(&mut o, k, 93.0, 95.0, 92.0), Some(94.0));
    }
}
