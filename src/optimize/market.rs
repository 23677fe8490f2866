//! What a sweep runs its trials on: one instrument's candles or a universe
//! of symbols, and the one call that turns a parameter set into its metrics
//! and period returns on either.

use std::collections::BTreeMap;
use std::path::Path;

use crate::backtest;
use crate::data::universe::Universe;
use crate::data::Candles;
use crate::engine::Backtest;
use crate::error::Result;
use crate::metrics::Metrics;
use crate::strategy::{ColumnCache, Strategy};

/// A trial's metrics and the period returns behind them.
#[derive(Debug, Clone)]
pub struct TrialOut {
    pub metrics: Metrics,
    pub returns: Vec<f64>,
}

/// A test window's run: its backtest (bars from the window's start) and metrics.
#[derive(Debug, Clone)]
pub struct TestRun {
    pub backtest: Backtest,
    pub metrics: Metrics,
}

/// The data of a sweep.
#[derive(Debug, Clone)]
pub enum Market {
    Single(Candles),
    Portfolio(Universe),
}

impl Market {
    /// One trial.
    pub fn trial(
        &self,
        strategy: &Strategy,
        params: &BTreeMap<String, f64>,
        cache: &ColumnCache,
    ) -> Result<TrialOut> {
        Ok(match self {
            Market::Single(c) => {
                let (metrics, returns) = backtest::trial(strategy, params, c, cache)?;
                TrialOut { metrics, returns }
            }
            Market::Portfolio(u) => {
                let out = crate::portfolio::run(strategy, params, u)?;
                TrialOut {
                    metrics: out.metrics,
                    returns: out.returns,
                }
            }
        })
    }

    /// Readies what the trials of `points` share before they run (the
    /// crossings of a single instrument's trials, `backtest::prefetch`).
    pub fn prefetch(
        &self,
        strategy: &Strategy,
        points: &[BTreeMap<String, f64>],
        cache: &ColumnCache,
    ) {
        if let Market::Single(c) = self {
            backtest::prefetch(strategy, points, c, cache);
        }
    }

    /// The timestamps of the timeline.
    pub fn ts(&self) -> &[i64] {
        match self {
            Market::Single(c) => &c.ts,
            Market::Portfolio(u) => &u.ts,
        }
    }

    pub fn spacing_ms(&self) -> i64 {
        match self {
            Market::Single(c) => c.spacing_ms,
            Market::Portfolio(u) => u.spacing_ms,
        }
    }

    /// Bars `lo..hi`.
    pub fn slice(&self, lo: usize, hi: usize) -> Market {
        match self {
            Market::Single(c) => Market::Single(c.slice(lo, hi)),
            Market::Portfolio(u) => Market::Portfolio(u.slice(lo, hi)),
        }
    }

    /// What buy and hold is measured on: the close, or an equal-weight
    /// buy and hold of the strategy's symbols.
    pub fn bench(&self, strategy: &Strategy) -> Result<Vec<f64>> {
        match self {
            Market::Single(c) => Ok(c.close.clone()),
            Market::Portfolio(u) => Ok(crate::portfolio::equal_weight_index(
                &crate::portfolio::universe_of(strategy, u)?,
            )),
        }
    }

    /// A test window: trades bars `from..to`, its signals warmed up on every
    /// bar before `from` and none after `to`.
    pub fn test_run(
        &self,
        strategy: &Strategy,
        params: &BTreeMap<String, f64>,
        from: usize,
        to: usize,
    ) -> Result<TestRun> {
        Ok(match self {
            Market::Single(c) => {
                let prefix = c.slice(0, to);
                let out = backtest::run_from(
                    strategy,
                    params,
                    &strategy.execution,
                    &prefix,
                    from,
                    &ColumnCache::default(),
                )?;
                TestRun {
                    backtest: out.backtest,
                    metrics: out.metrics,
                }
            }
            Market::Portfolio(u) => {
                let out = crate::portfolio::run_from(strategy, params, &u.slice(0, to), from)?;
                TestRun {
                    backtest: Backtest {
                        trades: out.run.trades,
                        equity: out.run.equity,
                        bars_in_market: out.run.bars_in_market,
                        commissions: out.run.commissions,
                        orders: Default::default(),
                    },
                    metrics: out.metrics,
                }
            }
        })
    }

    /// The file the data came from.
    pub fn source(&self) -> &Path {
        match self {
            Market::Single(c) => &c.source,
            Market::Portfolio(u) => &u.source,
        }
    }

    /// Bars on the timeline.
    pub fn len(&self) -> usize {
        match self {
            Market::Single(c) => c.len(),
            Market::Portfolio(u) => u.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
