//! One backtest end to end: a strategy's signals for a parameter set,
//! evaluated over candles (sharing a column cache), run through the engine
//! with the strategy's execution settings, then measured.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::data::benchmark::Benchmark;
use crate::data::Candles;
use crate::engine::{self, Backtest, Execution, Prices};
use crate::error::{Error, Result};
use crate::metrics::{self, Metrics};
use crate::pipeline;
use crate::strategy::{ColumnCache, Strategy};

/// A finished backtest and its metrics.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub params: BTreeMap<String, f64>,
    pub backtest: Backtest,
    pub metrics: Metrics,
    /// The period returns behind the risk metrics.
    pub returns: Vec<f64>,
    /// The model's predictions, for a strategy with a `[model]`.
    pub model: Option<Arc<crate::ml::ModelRun>>,
}

/// Runs `strategy` with `params` over `candles`.
pub fn run(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    execution: &Execution,
    candles: &Candles,
    cache: &ColumnCache,
) -> Result<Outcome> {
    run_from(strategy, params, execution, candles, 0, cache)
}

/// Like `run`, but trades only from bar `from` on: signals and indicators
/// use every bar before it (warm-up), never one after the data's end. Bars
/// of the result count from `from`.
pub fn run_from(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    execution: &Execution,
    candles: &Candles,
    from: usize,
    cache: &ColumnCache,
) -> Result<Outcome> {
    if strategy.portfolio.is_some() {
        return Err(Error::Usage(format!(
            "{}: '{}' is a portfolio strategy; this command does not take portfolio strategies yet (run and lookahead do)",
            strategy.path.display(),
            strategy.name
        )));
    }
    let (prepared, cols) = pipeline::signals(strategy, params, candles, cache)?;
    let signals = cols.signals(from);
    let prices = Prices::of(candles, from);
    let backtest = engine::run(prices, &signals, execution);
    let cx = metrics::Context {
        ts: &candles.ts[from..],
        close: &candles.close[from..],
        spacing_ms: candles.spacing_ms,
        cash: execution.cash,
        benchmark: None,
    };
    let (metrics, returns) = if from == 0 {
        let calendar = cache.calendar.get_or_init(|| {
            metrics::returns::Calendar::new(&candles.ts, &candles.close, candles.spacing_ms)
        });
        metrics::compute_on(&backtest, &cx, calendar)
    } else {
        metrics::compute_with_returns(&backtest, &cx)
    };
    Ok(Outcome {
        params: params.clone(),
        backtest,
        metrics,
        returns,
        model: prepared.model,
    })
}

impl Outcome {
    /// Measures the run again against `benchmark` instead of buy and hold
    /// (only the benchmark-relative metrics change).
    pub fn measure_against(&mut self, candles: &Candles, cash: f64, benchmark: &Benchmark) {
        let cx = metrics::Context {
            ts: &candles.ts,
            close: &candles.close,
            spacing_ms: candles.spacing_ms,
            cash,
            benchmark: Some(benchmark),
        };
        (self.metrics, self.returns) = metrics::compute_with_returns(&self.backtest, &cx);
    }
}
