//! The JSON object of a portfolio run (what `run --json` prints for a
//! portfolio strategy): the single-asset run's keys plus the symbols, every
//! order, a per-symbol summary, each trade's symbol and the target weights
//! at each rebalance.

use serde_json::{json, Map, Value};

use super::benchmark::period_tables;
use super::{insert_orders, trade_json, Header};
use crate::data::benchmark::Benchmark;
use crate::data::time::format_utc;
use crate::data::universe::Universe;
use crate::format::{metrics_json, num};
use crate::portfolio::Outcome;
use crate::strategy::Strategy;

/// The portfolio run as JSON.
pub fn portfolio_json(
    strategy: &Strategy,
    strategy_sha256: &str,
    u: &Universe,
    data_sha256: &str,
    out: &Outcome,
    benchmark: Option<&Benchmark>,
) -> Value {
    let time = |bar: usize| u.ts.get(bar).map(|&t| format_utc(t));
    let sym = |s: usize| out.symbols[s].as_str();
    let trades: Vec<Value> = out
        .run
        .trades
        .iter()
        .zip(&out.run.trade_symbols)
        .map(|(t, &s)| {
            let mut v = trade_json(t, &time);
            if let Value::Object(o) = &mut v {
                o.insert("symbol".into(), json!(sym(s)));
            }
            v
        })
        .collect();
    let orders: Vec<Value> = out
        .run
        .fills
        .iter()
        .map(|f| {
            json!({
                "bar": f.bar,
                "time": time(f.bar),
                "symbol": sym(f.symbol),
                "side": f.side,
                "units": f.units,
                "price": f.price,
                "fee": f.fee,
                "reason": f.reason,
            })
        })
        .collect();
    let weights: Vec<Value> = out
        .weights
        .iter()
        .map(|(bar, w)| {
            let by: Map<String, Value> = w
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(s, v)| (sym(s).to_string(), json!(v)))
                .collect();
            json!({ "bar": bar, "time": time(*bar), "weights": by })
        })
        .collect();
    let mut m = Header {
        strategy,
        strategy_sha256,
        source: &u.source,
        data_sha256,
        ts: &u.ts,
        params: &out.params,
        execution: &strategy.execution,
    }
    .json();
    let per_symbol =
        serde_json::to_value(out.per_symbol(strategy.execution.cash)).unwrap_or(Value::Null);
    for (k, x) in [
        ("symbols", json!(out.symbols)),
        ("metrics", metrics_json(&out.metrics)),
        ("per_symbol", per_symbol),
        ("orders", Value::Array(orders)),
        ("weights", Value::Array(weights)),
        ("trades", Value::Array(trades)),
    ] {
        m.insert(k.into(), x);
    }
    let su = crate::portfolio::universe_of(strategy, u).unwrap_or_else(|_| u.clone());
    let bench = crate::portfolio::equal_weight_index(&su);
    period_tables(&mut m, &u.ts, &bench, u.spacing_ms, &out.returns, benchmark);
    if strategy.orders.is_some() {
        let name = |i: usize| sym(out.run.order_symbols[i]).to_string();
        insert_orders(&mut m, &out.run.orders, &time, Some(&name));
    }
    Value::Object(m)
}

/// The portfolio run's report JSON: `portfolio_json` plus what re-rendering
/// needs: the equity curve beside the equal-weight benchmark, and the
/// weights held (at most ~500 sampled bars), for the Portfolio section.
pub fn portfolio_report_json(
    strategy: &Strategy,
    strategy_sha256: &str,
    u: &Universe,
    data_sha256: &str,
    out: &Outcome,
    benchmark: Option<&Benchmark>,
) -> Value {
    let mut v = portfolio_json(strategy, strategy_sha256, u, data_sha256, out, benchmark);
    let su = crate::portfolio::universe_of(strategy, u).unwrap_or_else(|_| u.clone());
    let bench = crate::portfolio::equal_weight_index(&su);
    let n = out.run.equity.len();
    // Replay the fills: units per symbol at each bar's close.
    let k = su.series.len();
    let step = (n / 500).max(1);
    let (mut units, mut last) = (vec![0.0; k], vec![f64::NAN; k]);
    let mut fills = out.run.fills.iter().peekable();
    let (mut bars, mut rows) = (Vec::new(), Vec::new());
    for t in 0..n {
        while let Some(f) = fills.next_if(|f| f.bar == t) {
            units[f.symbol] += if f.side == "buy" { f.units } else { -f.units };
        }
        for (l, s) in last.iter_mut().zip(&su.series) {
            if s.close[t].is_finite() {
                *l = s.close[t];
            }
        }
        if t % step == 0 || t + 1 == n {
            let value = out.run.equity[t];
            let w: Vec<Value> = units
                .iter()
                .zip(&last)
                .map(|(u, c)| num(Some(if *u > 0.0 { u * c / value } else { 0.0 })))
                .collect();
            bars.push(t);
            rows.push(Value::Array(w));
        }
    }
    let traded: f64 = out.run.fills.iter().map(|f| f.units * f.price).sum();
    let mean_equity = out.run.equity.iter().sum::<f64>() / n.max(1) as f64;
    let years = out.metrics["return_periods"].unwrap_or(0.0)
        / out.metrics["periods_per_year"].unwrap_or(f64::NAN);
    if let Value::Object(o) = &mut v {
        o.insert(
            "equity".into(),
            json!({ "t": su.ts, "equity": out.run.equity, "close": bench.iter().map(|b| num(Some(*b))).collect::<Vec<_>>() }),
        );
        if let Some(b) = benchmark {
            super::benchmark::insert_benchmark_curve(o, b, &su.ts);
        }
        o.insert("holdings".into(), json!({ "bar": bars, "weights": rows }));
        // Half the traded value (a round trip counts once) over the mean
        // value, per year.
        o.insert(
            "turnover".into(),
            num(Some(traded / 2.0 / mean_equity / years)),
        );
    }
    v
}
