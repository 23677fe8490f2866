//! What a sweep runs its trials on: one instrument's candles or a universe
//! of symbols, and the one call that turns a parameter set into its metrics
//! and period returns on either.

use std::collections::BTreeMap;
use std::path::Path;

use crate::backtest;
use crate::data::universe::Universe;
use crate::data::Candles;
use crate::error::Result;
use crate::metrics::Metrics;
use crate::strategy::{ColumnCache, Strategy};

/// A trial's metrics and the period returns behind them.
#[derive(Debug, Clone)]
pub struct TrialOut {
    pub metrics: Metrics,
    pub returns: Vec<f64>,
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
                let out = backtest::run(strategy, params, &strategy.execution, c, cache)?;
                TrialOut {
                    metrics: out.metrics,
                    returns: out.returns,
                }
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
