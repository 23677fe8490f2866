//! Metrics of a backtest, one file per family: period returns and
//! annualization (`returns`), empyrical's ratios (`risk`), bar-level
//! drawdowns (`drawdown`) and trade statistics (`trades`). Everything is a
//! fraction (0.05 = 5 %); an undefined value is `None` (JSON null).

pub mod drawdown;
pub mod episodes;
pub mod groups;
pub mod period;
pub mod relative;
pub mod returns;
pub mod risk;
pub mod special;
pub mod table;
pub mod trades;

use std::collections::BTreeMap;

use crate::engine::{Backtest, Trade};

/// Inputs besides the backtest itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub ts: &'a [i64],
    pub close: &'a [f64],
    pub spacing_ms: i64,
    pub cash: f64,
    /// The benchmark of the relative metrics; `None`: buy-and-hold of
    /// `close`.
    pub benchmark: Option<&'a crate::data::benchmark::Benchmark>,
}

/// The static name of a metric, if it is one.
pub fn known_name(name: &str) -> Option<&'static str> {
    table::lookup(name).map(|d| d.name)
}

/// Every metric by name, sorted; `None` where undefined.
pub type Metrics = BTreeMap<&'static str, Option<f64>>;

/// Computes the full metric set.
pub fn compute(bt: &Backtest, cx: &Context) -> Metrics {
    compute_with_returns(bt, cx).0
}

/// The metrics and the period returns they were computed from.
pub fn compute_with_returns(bt: &Backtest, cx: &Context) -> (Metrics, Vec<f64>) {
    let mut cal = returns::Calendar::new(cx.ts, cx.close, cx.spacing_ms);
    if let Some(b) = cx.benchmark {
        cal = cal.with_benchmark(cx.ts, b);
    }
    compute_on(bt, cx, &cal)
}

/// What the metrics read of a backtest: its trades and totals, and of its
/// bar-level equity curve only the length, the peak, the drawdowns, the last
/// value and the values at the calendar's period ends. The dense engine's
/// curve gives it through `Summary::of`; the event-driven engine's
/// (`engine::sparse`) through `drawdown::Marks`, without a curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary<'a> {
    pub trades: &'a [Trade],
    pub commissions: f64,
    pub bars_in_market: usize,
    /// Bars of the equity curve.
    pub bars: usize,
    /// The highest equity (None without bars).
    pub peak: Option<f64>,
    pub dd: drawdown::Drawdowns,
    /// The equity at the last bar (the starting cash without bars).
    pub final_equity: f64,
    /// The equity at each period end.
    pub at_ends: Vec<f64>,
}

impl<'a> Summary<'a> {
    /// The summary of a whole backtest, at the period ends `ends`.
    pub fn of(bt: &'a Backtest, ends: &[usize], cash: f64) -> Summary<'a> {
        Summary {
            trades: &bt.trades,
            commissions: bt.commissions,
            bars_in_market: bt.bars_in_market,
            bars: bt.equity.len(),
            peak: bt.equity.iter().copied().reduce(f64::max),
            dd: drawdown::drawdowns(&bt.equity),
            final_equity: bt.equity.last().copied().unwrap_or(cash),
            at_ends: ends.iter().map(|&e| bt.equity[e]).collect(),
        }
    }
}

/// The metrics, with the dataset's calendar computed once beforehand.
pub fn compute_on(bt: &Backtest, cx: &Context, cal: &returns::Calendar) -> (Metrics, Vec<f64>) {
    compute_summary(&Summary::of(bt, &cal.ends, cx.cash), cx, cal)
}

/// The metrics of a summary whose `at_ends` are at `cal`'s period ends,
/// and the period returns.
pub fn compute_summary(s: &Summary, cx: &Context, cal: &returns::Calendar) -> (Metrics, Vec<f64>) {
    let ann = f64::from(cal.periods.per_year);
    let r = returns::simple(&s.at_ends);
    let sorted = risk::sorted(&r);
    let inputs = table::Inputs {
        sum: s,
        cx,
        r: &r,
        sorted: &sorted,
        period: period::Stats::new(&r),
        ann,
        trades: trades::trade_stats(s.trades),
        relative: {
            let (rr, bb) = cal.paired(&r);
            relative::Relative::new(&rr, bb, ann)
        },
    };
    let m = table::TABLE
        .iter()
        .map(|d| (d.name, (d.compute)(&inputs)))
        .collect();
    (m, r)
}

/// The benchmark's own values of the metrics of period returns alone
/// (`table::OF_RETURNS`), over its period returns `b`, `ann` a year: the
/// metrics of holding it from 1.
pub fn of_returns(b: &[f64], ann: f64) -> Metrics {
    let mut equity = Vec::with_capacity(b.len() + 1);
    equity.push(1.0);
    for x in b {
        equity.push(equity[equity.len() - 1] * (1.0 + x));
    }
    let bt = Backtest {
        trades: Vec::new(),
        equity,
        bars_in_market: b.len(),
        commissions: 0.0,
        orders: Default::default(),
    };
    let cx = Context {
        ts: &[],
        close: &bt.equity,
        spacing_ms: 0,
        cash: 1.0,
        benchmark: None,
    };
    let sorted = risk::sorted(b);
    let sum = Summary::of(&bt, &[], 1.0);
    let inputs = table::Inputs {
        sum: &sum,
        cx: &cx,
        r: b,
        sorted: &sorted,
        period: period::Stats::new(b),
        ann,
        trades: trades::trade_stats(&bt.trades),
        relative: relative::Relative::default(),
    };
    table::OF_RETURNS
        .iter()
        .filter_map(|n| table::lookup(n))
        .map(|d| (d.name, (d.compute)(&inputs)))
        .collect()
}
