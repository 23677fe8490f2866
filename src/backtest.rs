//! One backtest end to end: a strategy's signals for a parameter set,
//! evaluated over candles (sharing a column cache), run through the engine
//! with the strategy's execution settings, then measured.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::data::benchmark::Benchmark;
use crate::data::Candles;
use crate::engine::{self, sparse, Backtest, Execution, Prices};
use crate::error::{Error, Result};
use crate::metrics::drawdown::Marks;
use crate::metrics::{self, Metrics, Summary};
use crate::pipeline;
use crate::strategy::batch::Batch;
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
    refuse_portfolio(strategy)?;
    let (prepared, cols) = pipeline::signals(strategy, params, candles, cache)?;
    let (backtest, metrics, returns) = dense(&cols, execution, candles, from, cache);
    Ok(Outcome {
        params: params.clone(),
        backtest,
        metrics,
        returns,
        model: prepared.model,
    })
}

fn refuse_portfolio(strategy: &Strategy) -> Result<()> {
    if strategy.portfolio.is_some() {
        return Err(Error::Usage(format!(
            "{}: '{}' is a portfolio strategy; this command does not take portfolio strategies yet (run and lookahead do)",
            strategy.path.display(),
            strategy.name
        )));
    }
    Ok(())
}

/// One trial of a sweep: the metrics and period returns `run` gives (bit
/// for bit), by the event-driven engine where it applies.
pub fn trial(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    candles: &Candles,
    cache: &ColumnCache,
) -> Result<(Metrics, Vec<f64>)> {
    refuse_portfolio(strategy)?;
    let prepared = pipeline::prepare(strategy, params, candles, cache, HashMap::new())?;
    if let Some(out) = sparse_trial(strategy, &prepared, candles, cache) {
        return Ok(out);
    }
    let cols = prepared.signal_columns(candles, cache);
    let (_, metrics, returns) = dense(&cols, &strategy.execution, candles, 0, cache);
    Ok((metrics, returns))
}

/// Readies the crossings that the trials of `points` will look for, found
/// together in one pass over the bars (`strategy::batch`); a trial that
/// fails to compile is left to report its error itself.
pub fn prefetch(
    strategy: &Strategy,
    points: &[BTreeMap<String, f64>],
    candles: &Candles,
    cache: &ColumnCache,
) {
    if strategy.portfolio.is_some() {
        return;
    }
    let mut batch = Batch::default();
    for params in points {
        let Ok(prepared) = pipeline::prepare(strategy, params, candles, cache, HashMap::new())
        else {
            continue;
        };
        if sparse_applies(strategy, &prepared, candles) {
            prepared.batch_crossings(candles, cache, &mut batch);
        }
    }
    batch.run(cache, candles.len());
}

/// Whether the event-driven engine runs this trial: not with stops, entry
/// orders, or a run that may go bankrupt.
fn sparse_applies(strategy: &Strategy, prepared: &pipeline::Prepared, candles: &Candles) -> bool {
    let market = prepared
        .compiled
        .orders
        .is_none_or(|o| o.0 == engine::EntryKind::Market);
    market && sparse::applies(&strategy.execution) && !candles.is_empty()
}

/// The trial by the event-driven engine (`engine::sparse`), or None where
/// it does not apply (`sparse_applies`).
pub fn sparse_trial(
    strategy: &Strategy,
    prepared: &pipeline::Prepared,
    candles: &Candles,
    cache: &ColumnCache,
) -> Option<(Metrics, Vec<f64>)> {
    let exec = &strategy.execution;
    if !sparse_applies(strategy, prepared, candles) {
        return None;
    }
    let events = prepared.signal_events(candles, cache);
    let cal = calendar(candles, cache);
    let blocks = cache
        .blocks
        .get_or_init(|| sparse::Blocks::new(&candles.close));
    let mut marks = Marks::default();
    let prices = Prices::of(candles, 0);
    // Each thread keeps one trade buffer: a fresh one per trial would cost
    // more in page faults than the run.
    thread_local! {
        static TRADES: std::cell::RefCell<Vec<engine::Trade>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let buffer = TRADES.with(|b| b.take());
    let book = sparse::run(prices, &events, exec, &cal.ends, blocks, &mut marks, buffer)?;
    let out = summarize(&book, marks, exec, candles, cal);
    TRADES.with(|b| b.replace(book.trades));
    out
}

fn summarize(
    book: &sparse::Book,
    marks: Marks,
    exec: &Execution,
    candles: &Candles,
    cal: &metrics::returns::Calendar,
) -> Option<(Metrics, Vec<f64>)> {
    let m = marks.finish()?;
    let sum = Summary {
        trades: &book.trades,
        commissions: book.commissions,
        bars_in_market: book.bars_in_market,
        bars: m.bars,
        peak: m.peak,
        dd: m.dd,
        final_equity: m.last.unwrap_or(exec.cash),
        at_ends: m.at_ends,
    };
    Some(metrics::compute_summary(
        &sum,
        &context(candles, 0, exec),
        cal,
    ))
}

fn calendar<'c>(candles: &Candles, cache: &'c ColumnCache) -> &'c metrics::returns::Calendar {
    cache.calendar.get_or_init(|| {
        metrics::returns::Calendar::new(&candles.ts, &candles.close, candles.spacing_ms)
    })
}

fn context<'a>(candles: &'a Candles, from: usize, execution: &Execution) -> metrics::Context<'a> {
    metrics::Context {
        ts: &candles.ts[from..],
        close: &candles.close[from..],
        spacing_ms: candles.spacing_ms,
        cash: execution.cash,
        benchmark: None,
    }
}

/// The dense reference: the signal columns through `engine::run`, then the
/// metrics of the whole equity curve.
fn dense(
    cols: &pipeline::SignalColumns,
    execution: &Execution,
    candles: &Candles,
    from: usize,
    cache: &ColumnCache,
) -> (Backtest, Metrics, Vec<f64>) {
    let signals = cols.signals(from);
    let prices = Prices::of(candles, from);
    let backtest = engine::run(prices, &signals, execution);
    let cx = context(candles, from, execution);
    let (metrics, returns) = if from == 0 {
        metrics::compute_on(&backtest, &cx, calendar(candles, cache))
    } else {
        metrics::compute_with_returns(&backtest, &cx)
    };
    (backtest, metrics, returns)
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
