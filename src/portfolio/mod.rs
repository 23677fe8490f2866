//! A portfolio strategy end to end: a universe, per-symbol columns through
//! the one pipeline (signals, scores, weights), the orders of each bar
//! (rebalance targets or signal entries/exits) run through the portfolio
//! engine with one cash account, and the metric table on its equity.

pub mod allocate;
pub mod eval;
pub mod legs;
pub mod lookahead;
pub mod schedule;
mod signals;

use std::collections::BTreeMap;

use crate::data::benchmark::Benchmark;
use crate::data::universe::Universe;
use crate::engine::portfolio::Fill;
use crate::engine::portfolio::{self as engine, Order, OrderKind, PortfolioRun};
use crate::engine::Backtest;
use crate::error::{Error, Result};
use crate::metrics::{self, Metrics};
use crate::pipeline;
use crate::strategy::portfolio::{compile_number, Allocation, Weights};
use crate::strategy::{Plan, Strategy};
use allocate::Columns;
use legs::scatter;

/// A finished portfolio backtest.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub params: BTreeMap<String, f64>,
    pub symbols: Vec<String>,
    pub run: PortfolioRun,
    pub metrics: Metrics,
    /// The period returns behind the risk metrics.
    pub returns: Vec<f64>,
    /// The target weights at each rebalance: (bar, one per symbol; NaN = no bar, kept).
    pub weights: Vec<(usize, Vec<f64>)>,
}

/// The universe a strategy trades: its `symbols`, or all.
pub fn universe_of(strategy: &Strategy, universe: &Universe) -> Result<Universe> {
    if universe.series.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no symbols",
            universe.source.display()
        )));
    }
    match strategy.portfolio.as_ref().and_then(|p| p.symbols.as_ref()) {
        Some(list) => universe.select(list),
        None => Ok(universe.clone()),
    }
}

/// One column per symbol on the timeline.
type PerSymbol = Vec<Vec<f64>>;

/// Per-symbol score and weight-input columns of an allocation.
fn allocation_columns(
    strategy: &Strategy,
    a: &Allocation,
    params: &BTreeMap<String, f64>,
    u: &Universe,
) -> Result<(Option<PerSymbol>, Option<PerSymbol>)> {
    let mut plan = Plan::default();
    let score_id = a
        .score
        .as_ref()
        .map(|(e, et)| compile_number(e, et, &strategy.source, params, &mut plan))
        .transpose()?;
    let weight_id = match &a.weights {
        Weights::Expr(e, et) => Some(compile_number(e, et, &strategy.source, params, &mut plan)?),
        _ => None,
    };
    let n = u.len();
    let legs = legs::legs(u);
    let ids: Vec<usize> = score_id.iter().chain(&weight_id).copied().collect();
    let cols = legs::evaluate(&plan, &ids, &legs, &[], n);
    let (mut scores, mut weights) = (Vec::new(), Vec::new());
    for (leg, c) in legs.iter().zip(cols) {
        let mut it = c.iter().map(|v| scatter(v, &leg.at, n));
        if score_id.is_some() {
            scores.push(it.next().expect("score column"));
        }
        match &a.weights {
            Weights::Expr(..) => weights.push(it.next().expect("weight column")),
            Weights::InverseVolatility(count) => {
                let sigma = schedule::return_std(&leg.candles.close, count.get(params));
                weights.push(scatter(&sigma, &leg.at, n));
            }
            _ => {}
        }
    }
    Ok((
        score_id.map(|_| scores),
        (!weights.is_empty()).then_some(weights),
    ))
}

/// Runs a portfolio strategy with `params` over `universe`.
pub fn run(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    universe: &Universe,
) -> Result<Outcome> {
    run_from(strategy, params, universe, 0)
}

/// Like `run`, but trades only from bar `from`: scores and signals use
/// every bar before it (warm-up). Bars of the result count from `from`.
pub fn run_from(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    universe: &Universe,
    from: usize,
) -> Result<Outcome> {
    let Some(spec) = &strategy.portfolio else {
        return Err(Error::Usage(format!(
            "'{}' has no [portfolio] table",
            strategy.name
        )));
    };
    let exec = &strategy.execution;
    let u = universe_of(strategy, universe)?;
    let next_open = exec.fill == crate::engine::Fill::NextOpen;
    if next_open && !u.has_ohlc() {
        return Err(Error::Usage(format!(
            "{}: a close panel has no opens: fill = \"next_open\" needs OHLC data (single files or a long file), or set fill = \"close\"",
            u.source.display()
        )));
    }
    pipeline::check_constraint(strategy, params)?;
    let n = u.len();
    let from = from.min(n);
    let close: Vec<&[f64]> = u.series.iter().map(|s| &s.close[from..]).collect();
    let opens: Vec<&[f64]> = u
        .series
        .iter()
        .filter_map(|s| s.ohlc.as_ref().map(|[o, ..]| &o[from..]))
        .collect();
    let window = |cols: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        cols.into_iter().map(|c| c[from..].to_vec()).collect()
    };
    let open = next_open.then_some(opens.as_slice());
    let side = |k: usize| -> Vec<&[f64]> {
        u.series
            .iter()
            .filter_map(|s| s.ohlc.as_ref().map(|c| &c[k][from..]))
            .collect()
    };
    let (highs, lows) = (side(1), side(2));
    let range = u
        .has_ohlc()
        .then_some([opens.as_slice(), highs.as_slice(), lows.as_slice()]);
    let mut targets = Vec::new();
    let run = match &spec.allocation {
        Some(a) => {
            let (score, weight) = allocation_columns(strategy, a, params, &u)?;
            let (score, weight) = (score.map(window), weight.map(window));
            let cols = Columns {
                close: &close,
                score: score.as_deref(),
                weight: weight.as_deref(),
            };
            let due = schedule::rebalance_bars(&u.ts[from..], a.schedule);
            let mut orders =
                |t: usize, st: &engine::State, out: &mut Vec<Order>| {
                    if !due[t] {
                        return;
                    }
                    let Some(w) = allocate::weights(a, params, &cols, t) else {
                        return;
                    };
                    out.extend(w.iter().enumerate().filter(|(_, w)| w.is_finite()).map(
                        |(s, w)| Order {
                            symbol: s,
                            kind: OrderKind::Target {
                                value: w * st.value,
                            },
                        },
                    ));
                    targets.push((t, w));
                };
            engine::run(
                engine::Inputs {
                    close: &close,
                    open,
                    range,
                    orders: &mut orders,
                    entry_orders: None,
                },
                exec,
            )
        }
        None => signals::run(strategy, params, &u, from, &close, open, range)?,
    };
    let sliced;
    let measured = if from == 0 {
        &u
    } else {
        sliced = u.slice(from, n);
        &sliced
    };
    let (metrics, returns) = portfolio_metrics(&run, measured, exec.cash, None);
    Ok(Outcome {
        params: params.clone(),
        symbols: u.series.iter().map(|s| s.symbol.clone()).collect(),
        run,
        metrics,
        returns,
        weights: targets,
    })
}

/// An equal-weight buy and hold of the universe (each symbol from its
/// first close, carried over missing bars): the benchmark of
/// `buy_hold_return`, alpha and beta.
pub fn equal_weight_index(u: &Universe) -> Vec<f64> {
    let k = u.series.len();
    let mut first = vec![f64::NAN; k];
    let mut last = vec![f64::NAN; k];
    (0..u.len())
        .map(|t| {
            let (mut sum, mut m) = (0.0, 0usize);
            for (s, series) in u.series.iter().enumerate() {
                let c = series.close[t];
                if c.is_finite() {
                    if first[s].is_nan() {
                        first[s] = c;
                    }
                    last[s] = c;
                }
                if last[s].is_finite() {
                    sum += last[s] / first[s];
                    m += 1;
                }
            }
            if m > 0 {
                sum / m as f64
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// The metric table on the portfolio's equity, trade metrics over every
/// symbol's trades.
fn portfolio_metrics(
    run: &PortfolioRun,
    u: &Universe,
    cash: f64,
    benchmark: Option<&Benchmark>,
) -> (Metrics, Vec<f64>) {
    let bt = Backtest {
        trades: run.trades.clone(),
        equity: run.equity.clone(),
        bars_in_market: run.bars_in_market,
        commissions: run.commissions,
        orders: Default::default(),
    };
    let bench = equal_weight_index(u);
    let cx = metrics::Context {
        ts: &u.ts,
        close: &bench,
        spacing_ms: u.spacing_ms,
        cash,
        benchmark,
    };
    metrics::compute_with_returns(&bt, &cx)
}

/// One symbol's summary line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SymbolSummary {
    pub symbol: String,
    pub trades: usize,
    pub pnl: f64,
    /// PnL over the starting cash.
    pub contribution: f64,
    /// Bars held over all bars.
    pub exposure: f64,
    pub last_weight: f64,
    pub fees: f64,
}

impl Outcome {
    /// Measures the run again against `benchmark` instead of the
    /// equal-weight buy and hold (only the benchmark-relative metrics
    /// change). `universe` is the one the run was given.
    pub fn measure_against(
        &mut self,
        strategy: &Strategy,
        universe: &Universe,
        benchmark: &Benchmark,
    ) -> Result<()> {
        let measured = universe_of(strategy, universe)?;
        (self.metrics, self.returns) = portfolio_metrics(
            &self.run,
            &measured,
            strategy.execution.cash,
            Some(benchmark),
        );
        Ok(())
    }

    pub fn per_symbol(&self, cash: f64) -> Vec<SymbolSummary> {
        let n = self.run.equity.len().max(1) as f64;
        self.symbols
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let mine = || {
                    self.run
                        .trades
                        .iter()
                        .zip(&self.run.trade_symbols)
                        .filter(move |(_, &x)| x == s)
                        .map(|(t, _)| t)
                };
                let pnl: f64 = mine().map(|t| t.pnl).sum();
                SymbolSummary {
                    symbol: name.clone(),
                    trades: mine().count(),
                    pnl,
                    contribution: pnl / cash,
                    exposure: self.run.bars_held[s] as f64 / n,
                    last_weight: self.run.last_weights[s],
                    fees: self
                        .run
                        .fills
                        .iter()
                        .filter(|f| f.symbol == s)
                        .map(|f| f.fee)
                        .sum(),
                }
            })
            .collect()
    }

    /// The executed orders.
    pub fn fills(&self) -> &[Fill] {
        &self.run.fills
    }
}
