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

use crate::engine::Backtest;

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

/// The metrics, with the dataset's calendar computed once beforehand.
pub fn compute_on(bt: &Backtest, cx: &Context, cal: &returns::Calendar) -> (Metrics, Vec<f64>) {
    let ann = f64::from(cal.periods.per_year);
    let r = returns::returns_at(&bt.equity, &cal.ends);
    let sorted = risk::sorted(&r);
    let inputs = table::Inputs {
        bt,
        cx,
        r: &r,
        sorted: &sorted,
        period: period::Stats::new(&r),
        ann,
        dd: drawdown::drawdowns(&bt.equity),
        trades: trades::trade_stats(&bt.trades),
        relative: {
            let (rr, bb) = cal.paired(&r);
            relative::Relative::new(&rr, bb, ann)
        },
        final_equity: bt.equity.last().copied().unwrap_or(cx.cash),
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
    let inputs = table::Inputs {
        bt: &bt,
        cx: &cx,
        r: b,
        sorted: &sorted,
        period: period::Stats::new(b),
        ann,
        dd: drawdown::drawdowns(&bt.equity),
        trades: trades::trade_stats(&bt.trades),
        relative: relative::Relative::default(),
        final_equity: bt.equity[b.len()],
    };
    table::OF_RETURNS
        .iter()
        .filter_map(|n| table::lookup(n))
        .map(|d| (d.name, (d.compute)(&inputs)))
        .collect()
}
