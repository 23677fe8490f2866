//! Walk-forward analysis: optimize on each training window, trade the best
//! parameters on the following test window (indicators may warm up on
//! earlier bars, never later ones), stitch the out-of-sample equity, and
//! compare out-of-sample with in-sample returns.

use super::market::{Market, TestRun};
use super::method::{self, Method};
use super::space::Point;
use super::sweep::Config;
use super::table::rank;
use crate::engine::Backtest;
use crate::error::{Error, Result};
use crate::metrics::{self, Metrics};
use crate::strategy::Strategy;

/// A window length: a number of bars, or a span of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Bars(usize),
    Millis(i64),
}

impl Span {
    /// `500` (bars), or `90d`, `12w`, `6m` (30.4375 days), `2y` (365.25 days).
    pub fn parse(s: &str, flag: &str) -> Result<Span> {
        let s = s.trim();
        let bad = || {
            Error::Usage(format!(
                "invalid {flag} '{s}': a number of bars (500) or a span (90d, 12w, 6m, 2y)"
            ))
        };
        if let Ok(n) = s.parse::<usize>() {
            return if n > 0 { Ok(Span::Bars(n)) } else { Err(bad()) };
        }
        let (num, unit) = s.split_at(s.len().saturating_sub(1));
        let n: f64 = num.parse().map_err(|_| bad())?;
        let day = 86_400_000.0;
        let ms = match unit {
            "d" => n * day,
            "w" => n * 7.0 * day,
            "m" => n * 30.4375 * day,
            "y" => n * 365.25 * day,
            _ => return Err(bad()),
        };
        if ms <= 0.0 {
            return Err(bad());
        }
        Ok(Span::Millis(ms as i64))
    }

    /// The end (exclusive) of a window of this span starting at bar `lo`.
    fn end(self, ts: &[i64], lo: usize) -> usize {
        match self {
            Span::Bars(n) => lo + n,
            Span::Millis(ms) => {
                ts.partition_point(|&t| t < ts.get(lo).map_or(i64::MAX, |s| s + ms))
            }
        }
    }
}

/// Walk-forward settings.
#[derive(Debug, Clone)]
pub struct WalkConfig {
    pub train: Span,
    pub test: Span,
    /// Training windows all start at the first bar (and grow).
    pub anchored: bool,
    /// How each training window is searched.
    pub method: Method,
    pub sweep: Config,
    /// What the stitched out-of-sample run is measured against (`None`:
    /// buy and hold). Each window's trials are chosen on their own metrics,
    /// against buy and hold of the training window.
    pub benchmark: Option<crate::data::benchmark::Benchmark>,
}

/// One train/test step.
#[derive(Debug, Clone)]
pub struct Window {
    /// Bar ranges `[lo, hi)` of the whole dataset.
    pub train: (usize, usize),
    pub test: (usize, usize),
    pub params: Point,
    /// The chosen trial's in-sample metrics (None when no trial was feasible
    /// and the defaults were used).
    pub in_sample: Option<Metrics>,
    pub test_outcome: TestRun,
}

/// The whole analysis.
#[derive(Debug, Clone)]
pub struct WalkForward {
    pub windows: Vec<Window>,
    /// The stitched out-of-sample equity and its timestamps.
    pub equity: Vec<f64>,
    pub ts: Vec<i64>,
    pub out_of_sample: Metrics,
    /// Annualized out-of-sample return over the mean in-sample one.
    pub efficiency: Option<f64>,
}

/// The train and test bar ranges.
pub fn windows(ts: &[i64], cfg: &WalkConfig) -> Vec<((usize, usize), (usize, usize))> {
    let n = ts.len();
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let train_hi = cfg.train.end(ts, start);
        let test_hi = cfg.test.end(ts, train_hi).min(n);
        if train_hi >= n || test_hi <= train_hi {
            break;
        }
        let train_lo = if cfg.anchored { 0 } else { start };
        out.push(((train_lo, train_hi), (train_hi, test_hi)));
        // The next training window starts where this test window started, moved on by it.
        let next = test_hi - (train_hi - start);
        if next <= start {
            break;
        }
        start = next;
    }
    out
}

/// Runs the analysis; `tick` is called once per finished trial.
pub fn run(
    strategy: &Strategy,
    market: &Market,
    cfg: &WalkConfig,
    tick: &(dyn Fn() + Sync),
) -> Result<WalkForward> {
    let spans = windows(market.ts(), cfg);
    if spans.is_empty() {
        return Err(Error::Usage(format!(
            "no walk-forward window fits in {} bars: shorten the training or test window",
            market.len()
        )));
    }
    let mut windows = Vec::new();
    for &((tl, th), (sl, sh)) in &spans {
        let train = market.slice(tl, th);
        let (_, trials) = method::collect(&cfg.method, strategy, &train, &cfg.sweep, tick)?;
        let best = rank(trials.as_slice(), &cfg.sweep.objective)
            .first()
            .map(|&i| &trials[i])
            .filter(|t| t.feasible);
        let params = best.map_or_else(|| strategy.defaults(), |t| t.params.clone());
        // Signals see every bar up to the test window's end, none after it.
        let test_outcome = market.test_run(strategy, &params, sl, sh)?;
        windows.push(Window {
            train: (tl, th),
            test: (sl, sh),
            params,
            in_sample: best.map(|t| t.metrics.clone()),
            test_outcome,
        });
    }
    // Stitch: each window's equity compounds on the previous window's end.
    let cash = strategy.execution.cash;
    let (mut equity, mut ts, mut close, mut trades) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut in_market, mut commissions, mut scale) = (0usize, 0.0, 1.0);
    let bench = market.bench(strategy)?;
    for w in &windows {
        let bt = &w.test_outcome.backtest;
        let offset = equity.len();
        equity.extend(bt.equity.iter().map(|e| e * scale));
        ts.extend_from_slice(&market.ts()[w.test.0..w.test.1]);
        close.extend_from_slice(&bench[w.test.0..w.test.1]);
        trades.extend(bt.trades.iter().map(|t| {
            let mut t = t.clone();
            t.entry_bar += offset;
            t.exit_bar += offset;
            t.units *= scale;
            t.pnl *= scale;
            t.commission *= scale;
            t
        }));
        in_market += bt.bars_in_market;
        commissions += bt.commissions * scale;
        scale = equity.last().copied().unwrap_or(cash) / cash;
    }
    let stitched = Backtest {
        trades,
        equity: equity.clone(),
        bars_in_market: in_market,
        commissions,
        orders: Default::default(),
    };
    let cx = metrics::Context {
        ts: &ts,
        close: &close,
        spacing_ms: market.spacing_ms(),
        cash,
        benchmark: cfg.benchmark.as_ref(),
    };
    let out_of_sample = metrics::compute(&stitched, &cx);
    let is: Vec<f64> = windows
        .iter()
        .filter_map(|w| {
            w.in_sample
                .as_ref()
                .and_then(|m| m.get("annual_return").copied().flatten())
        })
        .collect();
    let efficiency = match (
        out_of_sample.get("annual_return").copied().flatten(),
        is.is_empty(),
    ) {
        (Some(oos), false) => {
            let mean_is = is.iter().sum::<f64>() / is.len() as f64;
            (mean_is != 0.0).then(|| oos / mean_is)
        }
        _ => None,
    };
    Ok(WalkForward {
        windows,
        equity,
        ts,
        out_of_sample,
        efficiency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimize::sweep::Objective;

    fn cfg(train: Span, test: Span, anchored: bool) -> WalkConfig {
        WalkConfig {
            train,
            test,
            anchored,
            method: Method::Grid,
            sweep: Config {
                objective: Objective {
                    metric: "sharpe".into(),
                    maximize: true,
                },
                pareto: vec![],
                constraints: vec![],
                shard: None,
                jobs: None,
                max_points: 1000,
                overfit: true,
            },
            benchmark: None,
        }
    }

    #[test]
    fn rolling_and_anchored_windows() {
        let ts: Vec<i64> = (0..100).collect();
        let w = windows(&ts, &cfg(Span::Bars(40), Span::Bars(20), false));
        assert_eq!(
            w,
            vec![
                ((0, 40), (40, 60)),
                ((20, 60), (60, 80)),
                ((40, 80), (80, 100))
            ]
        );
        let a = windows(&ts, &cfg(Span::Bars(40), Span::Bars(20), true));
        assert_eq!(
            a,
            vec![
                ((0, 40), (40, 60)),
                ((0, 60), (60, 80)),
                ((0, 80), (80, 100))
            ]
        );
        // A last test window shorter than --test is kept.
        let w = windows(&ts, &cfg(Span::Bars(50), Span::Bars(30), false));
        assert_eq!(w, vec![((0, 50), (50, 80)), ((30, 80), (80, 100))]);
        assert!(windows(&ts, &cfg(Span::Bars(100), Span::Bars(10), false)).is_empty());
    }

    #[test]
    fn spans() {
        assert_eq!(Span::parse("500", "--train").unwrap(), Span::Bars(500));
        assert_eq!(
            Span::parse("2y", "--train").unwrap(),
            Span::Millis(2 * 31_557_600_000)
        );
        assert_eq!(
            Span::parse("90d", "--test").unwrap(),
            Span::Millis(90 * 86_400_000)
        );
        assert!(Span::parse("0", "--train").is_err() && Span::parse("abc", "--train").is_err());
        // 10 days of daily bars from day 0: bars 0..10.
        let ts: Vec<i64> = (0..30).map(|d| d * 86_400_000).collect();
        assert_eq!(Span::Millis(10 * 86_400_000).end(&ts, 0), 10);
    }
}
