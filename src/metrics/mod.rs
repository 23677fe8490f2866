//! Metrics of a backtest, one file per family: period returns and
//! annualization (`returns`), empyrical's ratios (`risk`), bar-level
//! drawdowns (`drawdown`) and trade statistics (`trades`). Everything is a
//! fraction (0.05 = 5 %); an undefined value is `None` (JSON null).

pub mod drawdown;
pub mod episodes;
pub mod groups;
pub mod period;
pub mod returns;
pub mod risk;
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
    let cal = returns::Calendar::new(cx.ts, cx.close, cx.spacing_ms);
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
        alpha_beta: alpha_beta(&r, &cal.bench, ann),
        final_equity: bt.equity.last().copied().unwrap_or(cx.cash),
    };
    let m = table::TABLE
        .iter()
        .map(|d| (d.name, (d.compute)(&inputs)))
        .collect();
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
