//! The portfolio's working entry orders: at most one limit, stop or
//! stop-limit buy per symbol, placed at a close, filled from the next bar on
//! the symbol's own range by the single-asset rules, and the log of what
//! became of each.

use crate::engine::entry::Pending;
use crate::engine::{EntryKind, Fate, OrderLog, SlippageModel};

pub(super) struct Working {
    pub kind: EntryKind,
    expire_bars: Option<usize>,
    pending: Vec<Option<Pending>>,
    pub log: OrderLog,
    /// The symbol of each record of `log`.
    pub symbols: Vec<usize>,
}

impl Working {
    pub fn new(kind: EntryKind, expire_bars: Option<usize>, k: usize) -> Working {
        Working {
            kind,
            expire_bars,
            pending: vec![None; k],
            log: OrderLog::default(),
            symbols: Vec::new(),
        }
    }

    pub fn is_working(&self, s: usize) -> bool {
        self.pending[s].is_some()
    }

    fn record(&mut self, s: usize, p: &Pending, fate: Fate, bar: usize) {
        self.log.orders.push(p.record(self.kind, fate, bar));
        self.symbols.push(s);
    }

    /// An entry signal at bar `t`'s close: a buy order at these prices
    /// replaces symbol `s`'s working one; a NaN or non-positive price
    /// places none (and is counted).
    pub fn place(&mut self, s: usize, t: usize, limit: f64, stop: f64) {
        if let Some(old) = self.pending[s].take() {
            self.record(s, &old, Fate::Replaced, t);
        }
        self.pending[s] = Pending::new(self.kind, 1, t, limit, stop);
        self.log.unplaced += usize::from(self.pending[s].is_none());
    }

    /// An exit signal while flat cancels the working order.
    pub fn cancel(&mut self, s: usize, t: usize) {
        if let Some(old) = self.pending[s].take() {
            self.record(s, &old, Fate::Cancelled, t);
        }
    }

    /// The price symbol `s`'s order fills at on bar `t`'s (open, high,
    /// low), with the bar that placed it; None when it has none, it was
    /// placed at this bar, or it does not fill here (an order past its last
    /// eligible bar is then expired).
    pub fn check(
        &mut self,
        s: usize,
        t: usize,
        bar: (f64, f64, f64),
        slippage: &SlippageModel,
    ) -> Option<(f64, usize)> {
        let kind = self.kind;
        let p = self.pending[s].as_mut().filter(|p| p.placed < t)?;
        let fill = if bar.0.is_finite() && bar.1.is_finite() && bar.2.is_finite() {
            p.fill_price(kind, bar, slippage)
        } else {
            None
        };
        if let Some(price) = fill {
            return Some((price, p.placed));
        }
        if p.expired(self.expire_bars, t) {
            let old = *p;
            self.pending[s] = None;
            self.record(s, &old, Fate::Expired, t);
        }
        None
    }

    /// Symbol `s`'s order filled at bar `t` (`sized`: for more than zero units).
    pub fn filled(&mut self, s: usize, t: usize, sized: bool) {
        if let Some(p) = self.pending[s].take() {
            let fate = if sized { Fate::Filled } else { Fate::NoSize };
            self.record(s, &p, fate, t);
        }
    }

    /// The log, with the orders still working at the last bar.
    pub fn finish(mut self, last: usize) -> (OrderLog, Vec<usize>) {
        for s in 0..self.pending.len() {
            if let Some(p) = self.pending[s].take() {
                self.record(s, &p, Fate::Working, last);
            }
        }
        (self.log, self.symbols)
    }
}
