//! Metrics of a backtest, one file per family: period returns and
//! annualization (`returns`), empyrical's ratios (`risk`), bar-level
//! drawdowns (`drawdown`) and trade statistics (`trades`). Everything is a
//! fraction (0.05 = 5 %); an undefined value is `None` (JSON null).

pub mod drawdown;
pub mod returns;
pub mod risk;
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
}

/// Every metric name, sorted.
pub const NAMES: [&str; 38] = [
    "alpha",
    "annual_return",
    "annual_volatility",
    "avg_drawdown",
    "avg_trade",
    "avg_trade_bars",
    "bars",
    "best_trade",
    "beta",
    "buy_hold_return",
    "calmar",
    "commissions",
    "conditional_value_at_risk_95",
    "equity_peak",
    "expectancy",
    "exposure",
    "final_equity",
    "kelly",
    "kurtosis",
    "max_drawdown",
    "max_drawdown_duration_bars",
    "max_trade_bars",
    "omega",
    "open_trades",
    "periods_per_year",
    "profit_factor",
    "return_periods",
    "sharpe",
    "skew",
    "sortino",
    "sqn",
    "stability",
    "tail_ratio",
    "total_return",
    "trades",
    "value_at_risk_95",
    "win_rate",
    "worst_trade",
];

/// The static name of a metric, if it is one.
pub fn known_name(name: &str) -> Option<&'static str> {
    NAMES.iter().copied().find(|n| *n == name)
}

/// Every metric by name, sorted; `None` where undefined.
pub type Metrics = BTreeMap<&'static str, Option<f64>>;

/// Computes the full metric set.
pub fn compute(bt: &Backtest, cx: &Context) -> Metrics {
    compute_with_returns(bt, cx).0
}

/// The metrics and the period returns they were computed from.
pub fn compute_with_returns(bt: &Backtest, cx: &Context) -> (Metrics, Vec<f64>) {
    let cal = returns::Calendar::new(cx.ts, cx.close, cx.spacing_ms);
    compute_on(bt, cx, &cal)
}

/// The metrics, with the dataset's calendar computed once beforehand.
pub fn compute_on(bt: &Backtest, cx: &Context, cal: &returns::Calendar) -> (Metrics, Vec<f64>) {
    let n = bt.equity.len();
    let ann = f64::from(cal.periods.per_year);
    let r = returns::returns_at(&bt.equity, &cal.ends);
    let bench = &cal.bench;
    let dd = drawdown::drawdowns(&bt.equity);
    let final_equity = bt.equity.last().copied().unwrap_or(cx.cash);
    let ts = trades::trade_stats(&bt.trades);
    let (alpha, beta) = alpha_beta(&r, bench, ann);
    let count = |v: usize| Some(v as f64);
    let mut m = Metrics::new();
    m.insert("bars", count(n));
    m.insert("periods_per_year", Some(ann));
    m.insert("final_equity", Some(final_equity));
    m.insert("equity_peak", bt.equity.iter().copied().reduce(f64::max));
    m.insert("total_return", Some(final_equity / cx.cash - 1.0));
    m.insert(
        "buy_hold_return",
        match (cx.close.first(), cx.close.last()) {
            (Some(a), Some(b)) => Some(b / a - 1.0),
            _ => None,
        },
    );
    m.insert(
        "exposure",
        (n > 0).then(|| bt.bars_in_market as f64 / n as f64),
    );
    m.insert("commissions", Some(bt.commissions));
    m.insert("annual_return", risk::annual_return(&r, ann));
    m.insert("annual_volatility", risk::annual_volatility(&r, ann));
    m.insert("sharpe", risk::sharpe(&r, ann));
    m.insert("sortino", risk::sortino(&r, ann));
    m.insert("calmar", risk::calmar(&r, ann));
    m.insert(
        "max_drawdown",
        (!r.is_empty()).then(|| risk::max_drawdown(&r)),
    );
    m.insert("max_drawdown_duration_bars", count(dd.max_duration_bars));
    m.insert("avg_drawdown", dd.average);
    m.insert("omega", risk::omega(&r));
    m.insert("tail_ratio", risk::tail_ratio(&r));
    m.insert("value_at_risk_95", risk::value_at_risk(&r));
    m.insert(
        "conditional_value_at_risk_95",
        risk::conditional_value_at_risk(&r),
    );
    m.insert("stability", risk::stability(&r));
    m.insert("skew", risk::skew(&r));
    m.insert("kurtosis", risk::kurtosis(&r));
    m.insert("alpha", alpha);
    m.insert("beta", beta);
    m.insert("trades", count(ts.trades));
    m.insert(
        "open_trades",
        count(bt.trades.iter().filter(|t| t.is_open()).count()),
    );
    m.insert("win_rate", ts.win_rate);
    m.insert("best_trade", ts.best_trade);
    m.insert("worst_trade", ts.worst_trade);
    m.insert("avg_trade", ts.avg_trade);
    m.insert("avg_trade_bars", ts.avg_trade_bars);
    m.insert("max_trade_bars", ts.max_trade_bars.map(|b| b as f64));
    m.insert("profit_factor", ts.profit_factor);
    m.insert("expectancy", ts.expectancy);
    m.insert("sqn", ts.sqn);
    m.insert("kelly", ts.kelly);
    m.insert("return_periods", count(r.len()));
    (m, r)
}

/// empyrical's alpha (annualized) and beta of `r` against `bench`.
fn alpha_beta(r: &[f64], bench: &[f64], ann: f64) -> (Option<f64>, Option<f64>) {
    let n = r.len().min(bench.len());
    if n < 2 {
        return (None, None);
    }
    let (r, b) = (&r[..n], &bench[..n]);
    let (mr, mb) = (
        r.iter().sum::<f64>() / n as f64,
        b.iter().sum::<f64>() / n as f64,
    );
    let cov: f64 = r.iter().zip(b).map(|(x, y)| (x - mr) * (y - mb)).sum();
    let var: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if var == 0.0 {
        return (None, None);
    }
    let beta = cov / var;
    let excess = r.iter().zip(b).map(|(x, y)| x - beta * y).sum::<f64>() / n as f64;
    (Some((1.0 + excess).powf(ann) - 1.0), Some(beta))
}
