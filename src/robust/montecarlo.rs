//! `tradelab montecarlo`: many paths of one backtest (`paths`), the full
//! metric table on each, and their distribution (`summary`): percentiles,
//! the probability of a loss and of deep drawdowns, where history ranks,
//! and the equity fan over time.

use rayon::prelude::*;

use super::paths::{rng_for, Method, Source};
use super::summary::{self, Summary};
use crate::engine::{Backtest, Trade};
use crate::metrics::returns::Calendar;
use crate::metrics::{self, Metrics};

/// A Monte Carlo run's settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub method: Method,
    pub paths: usize,
    pub seed: u64,
    /// Drawdown depths (fractions, e.g. 0.2) whose probability is reported.
    pub dd_limits: Vec<f64>,
}

/// The historical run the paths are drawn from.
pub struct History<'a> {
    pub backtest: &'a Backtest,
    pub ts: &'a [i64],
    /// What buy and hold is measured on (the close, or an equal-weight index).
    pub bench: &'a [f64],
    pub spacing_ms: i64,
    pub cash: f64,
}

/// How many bars the fan chart samples.
const FAN_POINTS: usize = 250;

/// The equity fan: percentiles across paths at sampled bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    pub bars: Vec<usize>,
    /// p5, p25, p50, p75, p95 at each sampled bar.
    pub bands: [Vec<f64>; 5],
    /// The historical path at the same bars.
    pub historical: Vec<f64>,
}

/// A finished Monte Carlo run.
#[derive(Debug, Clone)]
pub struct MonteCarlo {
    pub method: Method,
    pub seed: u64,
    /// The metric table of every path, in path order.
    pub paths: Vec<Metrics>,
    /// Each path's longest losing streak (trades, or bars for `block`).
    pub streaks: Vec<f64>,
    /// The historical path's metrics and streak: the closed trades in
    /// their own order for the trade methods, the equity curve for `block`.
    pub historical: Metrics,
    pub historical_streak: f64,
    pub summary: Summary,
    pub fan: Fan,
    /// Closed trades the paths are made of.
    pub trades: usize,
}

/// One path: its metrics, streak and equity at the fan's bars.
struct PathOut {
    metrics: Metrics,
    streak: f64,
    sampled: Vec<f64>,
}

/// The longest run of consecutive negative values.
fn longest_losing(values: impl Iterator<Item = f64>) -> f64 {
    let (mut best, mut run) = (0usize, 0usize);
    for v in values {
        run = if v < 0.0 { run + 1 } else { 0 };
        best = best.max(run);
    }
    best as f64
}

/// Per-thread buffers, allocated once.
#[derive(Default)]
struct Buffers {
    order: Vec<usize>,
    equity: Vec<f64>,
    trades: Vec<Trade>,
}

/// What every path reads.
struct Shared<'a> {
    src: Source,
    h: &'a History<'a>,
    cal: Calendar,
    method: Method,
    seed: u64,
    fan_bars: Vec<usize>,
}

/// Path `i` (None: the historical one).
fn path(sh: &Shared, i: Option<usize>, buf: &mut Buffers) -> PathOut {
    let Shared {
        src,
        h,
        cal,
        method,
        seed,
        fan_bars,
    } = sh;
    let (method, seed) = (*method, *seed);
    let mut rng = i.map(|i| rng_for(seed, i));
    let streak;
    let bt = match method {
        Method::Block { mean } => {
            src.block_equity(mean, rng.as_mut(), &mut buf.equity);
            streak = longest_losing(buf.equity.windows(2).map(|w| w[1] - w[0]));
            Backtest {
                trades: Vec::new(),
                equity: std::mem::take(&mut buf.equity),
                bars_in_market: h.backtest.bars_in_market,
                commissions: h.backtest.commissions,
                orders: Default::default(),
            }
        }
        _ => {
            src.draw_trades(method, rng.as_mut(), &mut buf.order);
            src.trade_equity(&buf.order, &mut buf.equity);
            src.path_trades(&buf.order, &buf.equity, &mut buf.trades);
            streak = longest_losing(buf.order.iter().map(|&k| src.returns[k]));
            Backtest {
                commissions: buf.trades.iter().map(|t| t.commission).sum(),
                trades: std::mem::take(&mut buf.trades),
                equity: std::mem::take(&mut buf.equity),
                bars_in_market: h.backtest.bars_in_market,
                orders: Default::default(),
            }
        }
    };
    let cx = metrics::Context {
        ts: h.ts,
        close: h.bench,
        spacing_ms: h.spacing_ms,
        cash: h.cash,
        benchmark: None,
    };
    let (metrics, _) = metrics::compute_on(&bt, &cx, cal);
    let sampled = fan_bars.iter().map(|&b| bt.equity[b]).collect();
    // The buffers go back for the next path.
    buf.equity = bt.equity;
    buf.trades = bt.trades;
    PathOut {
        metrics,
        streak,
        sampled,
    }
}

/// Runs `cfg.paths` paths of `h` (in parallel on the current thread pool;
/// the result does not depend on how many threads).
pub fn run(h: &History, cfg: &Config) -> MonteCarlo {
    let n = h.ts.len();
    let k = FAN_POINTS.min(n);
    let sh = Shared {
        src: Source::new(h.backtest, h.cash),
        h,
        cal: Calendar::new(h.ts, h.bench, h.spacing_ms),
        method: cfg.method,
        seed: cfg.seed,
        fan_bars: (0..k)
            .map(|i| if k < 2 { 0 } else { i * (n - 1) / (k - 1) })
            .collect(),
    };
    let one = |i: Option<usize>, buf: &mut Buffers| path(&sh, i, buf);
    let hist = one(None, &mut Buffers::default());
    let outs: Vec<PathOut> = (0..cfg.paths)
        .into_par_iter()
        .map_init(Buffers::default, |buf, i| one(Some(i), buf))
        .collect();
    // Each sampled bar's percentiles across paths, in parallel.
    let per_bar: Vec<[f64; 5]> = (0..sh.fan_bars.len())
        .into_par_iter()
        .map(|j| {
            let mut column: Vec<f64> = outs.iter().map(|o| o.sampled[j]).collect();
            column.sort_unstable_by(f64::total_cmp);
            [5.0, 25.0, 50.0, 75.0, 95.0].map(|p| summary::percentile_sorted(&column, p))
        })
        .collect();
    let bands: [Vec<f64>; 5] = std::array::from_fn(|b| per_bar.iter().map(|row| row[b]).collect());
    let (paths, streaks): (Vec<Metrics>, Vec<f64>) =
        outs.into_iter().map(|o| (o.metrics, o.streak)).unzip();
    let summary = Summary::new(
        &paths,
        &streaks,
        &hist.metrics,
        hist.streak,
        h.cash,
        &cfg.dd_limits,
    );
    MonteCarlo {
        method: cfg.method,
        seed: cfg.seed,
        paths,
        streaks,
        historical: hist.metrics,
        historical_streak: hist.streak,
        summary,
        trades: sh.src.trades.len(),
        fan: Fan {
            bars: sh.fan_bars,
            bands,
            historical: hist.sampled,
        },
    }
}
