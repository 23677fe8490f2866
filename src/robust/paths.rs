//! Monte Carlo paths of a backtest: its closed trades' returns shuffled or
//! drawn with replacement into the historical exit slots, or its bar
//! returns resampled by the stationary block bootstrap (Politis and Romano,
//! 1994). Each path is written into a buffer the caller reuses.

use crate::data::synth::SplitMix64;
use crate::engine::{Backtest, Trade};

/// How paths are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The closed trades' returns in a random order.
    Shuffle,
    /// As many trades as there were, drawn with replacement.
    Bootstrap,
    /// Bar returns in blocks of random length with this mean (stationary bootstrap).
    Block { mean: usize },
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Shuffle => "shuffle",
            Method::Bootstrap => "bootstrap",
            Method::Block { .. } => "block",
        }
    }

    /// Whether paths are made of trades (else of bar returns).
    pub fn is_trades(self) -> bool {
        !matches!(self, Method::Block { .. })
    }
}

/// The default mean block length: the rounded cube root of the bar count.
pub fn default_block(bars: usize) -> usize {
    ((bars as f64).cbrt().round() as usize).max(1)
}

/// Path `i`'s generator: independent of every other path and of the thread
/// that draws it, so results never depend on `--jobs`.
pub fn rng_for(seed: u64, i: usize) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    SplitMix64::new(mix.next_u64())
}

/// What the paths are drawn from.
#[derive(Debug, Clone)]
pub struct Source {
    /// Closed trades, by exit bar (ties in the backtest's order).
    pub trades: Vec<Trade>,
    /// Each closed trade's return on the account: its PnL over the account
    /// value at the last close before it opened (the starting cash at bar 0).
    pub returns: Vec<f64>,
    /// Bar returns of the equity curve, equity[t] / equity[t − 1] − 1.
    pub bar_returns: Vec<f64>,
    pub first_equity: f64,
    pub cash: f64,
    pub bars: usize,
}

impl Source {
    pub fn new(bt: &Backtest, cash: f64) -> Source {
        let mut trades: Vec<Trade> = bt.trades.iter().filter(|t| !t.is_open()).cloned().collect();
        trades.sort_by_key(|t| t.exit_bar);
        let before = |t: &Trade| {
            if t.entry_bar == 0 {
                cash
            } else {
                bt.equity[t.entry_bar - 1]
            }
        };
        let returns = trades.iter().map(|t| t.pnl / before(t)).collect();
        let bar_returns = crate::metrics::returns::simple(&bt.equity);
        Source {
            trades,
            returns,
            bar_returns,
            first_equity: bt.equity.first().copied().unwrap_or(cash),
            cash,
            bars: bt.equity.len(),
        }
    }

    /// Fills `order` with the trade drawn into each exit slot: the identity
    /// for the historical path (`rng` None).
    pub fn draw_trades(
        &self,
        method: Method,
        rng: Option<&mut SplitMix64>,
        order: &mut Vec<usize>,
    ) {
        let m = self.returns.len();
        order.clear();
        order.extend(0..m);
        let Some(rng) = rng else {
            return;
        };
        match method {
            // Fisher–Yates.
            Method::Shuffle => {
                for i in (1..m).rev() {
                    order.swap(i, rng.below(i + 1));
                }
            }
            Method::Bootstrap => {
                for o in order.iter_mut() {
                    *o = rng.below(m);
                }
            }
            Method::Block { .. } => {}
        }
    }

    /// The equity at every bar of a trade path: the starting cash,
    /// compounded by the drawn trade's return at each slot's exit bar.
    pub fn trade_equity(&self, order: &[usize], equity: &mut Vec<f64>) {
        equity.clear();
        let mut e = self.cash;
        let mut slots = self.trades.iter().zip(order).peekable();
        for t in 0..self.bars {
            while let Some((_, &k)) = slots.next_if(|(slot, _)| slot.exit_bar == t) {
                e *= 1.0 + self.returns[k];
            }
            equity.push(e);
        }
    }

    /// The trades of a trade path: each slot's bars, the drawn trade's
    /// return, PnL on the account value when it opened.
    pub fn path_trades(&self, order: &[usize], equity: &[f64], out: &mut Vec<Trade>) {
        out.clear();
        for (slot, &k) in self.trades.iter().zip(order) {
            let drawn = &self.trades[k];
            let value = if slot.entry_bar == 0 {
                self.cash
            } else {
                equity[slot.entry_bar - 1]
            };
            out.push(Trade {
                entry_bar: slot.entry_bar,
                exit_bar: slot.exit_bar,
                pnl: value * self.returns[k],
                ret: drawn.ret,
                ..drawn.clone()
            });
        }
    }

    /// A block-bootstrap path's equity: `first_equity`, then the resampled
    /// bar returns. Each step starts a new block with probability 1/mean at
    /// a uniform bar, else takes the next bar (wrapping at the end). A mean
    /// of at least the number of returns is one block: the history itself.
    pub fn block_equity(&self, mean: usize, rng: Option<&mut SplitMix64>, equity: &mut Vec<f64>) {
        equity.clear();
        let m = self.bar_returns.len();
        let mut e = self.first_equity;
        equity.push(e);
        let rng = match rng {
            Some(r) if mean < m => r,
            _ => {
                for r in &self.bar_returns {
                    e *= 1.0 + r;
                    equity.push(e);
                }
                return;
            }
        };
        // Restart when a uniform draw falls below p = 1 / mean.
        let threshold = (u64::MAX as f64 / mean as f64) as u64;
        let mut at = rng.below(m);
        for step in 0..m {
            if step > 0 {
                at = if rng.next_u64() < threshold {
                    rng.below(m)
                } else if at + 1 == m {
                    0
                } else {
                    at + 1
                };
            }
            e *= 1.0 + self.bar_returns[at];
            equity.push(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_permutations_and_bootstraps_draw_in_range() {
        let src = Source {
            trades: Vec::new(),
            returns: vec![0.1, -0.2, 0.3, 0.05, -0.01],
            bar_returns: Vec::new(),
            first_equity: 1.0,
            cash: 1.0,
            bars: 0,
        };
        let mut order = Vec::new();
        let mut rng = rng_for(1, 0);
        src.draw_trades(Method::Shuffle, Some(&mut rng), &mut order);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
        src.draw_trades(Method::Bootstrap, Some(&mut rng), &mut order);
        assert_eq!(order.len(), 5);
        assert!(order.iter().all(|&k| k < 5));
        src.draw_trades(Method::Shuffle, None, &mut order);
        assert_eq!(order, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn blocks_have_the_mean_length_asked() {
        // 100,000 steps with mean 20: the restarts number about 100,000 / 20
        // = 5,000 (binomial, σ ≈ 69); 4,700..5,300 is over 4σ either way.
        let src = Source {
            trades: Vec::new(),
            returns: Vec::new(),
            bar_returns: (0..100_001).map(|i| i as f64).collect(),
            first_equity: 1.0,
            cash: 1.0,
            bars: 100_002,
        };
        let mut rng = rng_for(3, 0);
        let threshold = (u64::MAX as f64 / 20.0) as u64;
        let restarts = (0..100_000).filter(|_| rng.next_u64() < threshold).count();
        assert!((4_700..5_300).contains(&restarts), "{restarts}");
        // A mean as long as the history is the history.
        let mut eq = Vec::new();
        let hist = Source {
            bar_returns: vec![0.1, -0.5, 0.2],
            bars: 4,
            ..src
        };
        hist.block_equity(3, Some(&mut rng), &mut eq);
        // 1 → 1.1 → 0.55 → 0.66
        assert_eq!(eq, vec![1.0, 1.1, 1.1 * 0.5, 1.1 * 0.5 * 1.2]);
    }
}
