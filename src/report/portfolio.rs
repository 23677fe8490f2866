//! The JSON object of a portfolio run (what `run --json` prints for a
//! portfolio strategy): the single-asset run's keys plus the symbols, every
//! order, a per-symbol summary, each trade's symbol and the target weights
//! at each rebalance.

use serde_json::{json, Map, Value};

use super::SCHEMA_VERSION;
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
) -> Value {
    let time = |bar: usize| u.ts.get(bar).map(|&t| format_utc(t));
    let sym = |s: usize| out.symbols[s].as_str();
    let trades: Vec<Value> = out
        .run
        .trades
        .iter()
        .zip(&out.run.trade_symbols)
        .map(|(t, &s)| {
            json!({
                "symbol": sym(s),
                "entry_bar": t.entry_bar,
                "exit_bar": t.exit_bar,
                "entry_time": time(t.entry_bar),
                "exit_time": time(t.exit_bar),
                "side": "long",
                "units": t.units,
                "entry_price": t.entry_price,
                "exit_price": num(Some(t.exit_price)),
                "pnl": num(Some(t.pnl)),
                "return": num(Some(t.ret)),
                "commission": t.commission,
                "open": t.is_open(),
                "exit_reason": t.exit_reason,
            })
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
    let params: Map<String, Value> = out
        .params
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut v = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": "tradelab", "version": env!("CARGO_PKG_VERSION") },
        "strategy": {
            "name": strategy.name,
            "description": strategy.description,
            "file": strategy.path.display().to_string(),
            "sha256": strategy_sha256,
        },
        "data": {
            "file": u.source.display().to_string(),
            "sha256": data_sha256,
            "bars": u.len(),
            "start": u.ts.first().map(|&t| format_utc(t)),
            "end": u.ts.last().map(|&t| format_utc(t)),
        },
        "symbols": out.symbols,
        "params": params,
        "execution": serde_json::to_value(&strategy.execution).unwrap_or(Value::Null),
        "metrics": metrics_json(&out.metrics),
        "per_symbol": serde_json::to_value(out.per_symbol(strategy.execution.cash)).unwrap_or(Value::Null),
        "orders": orders,
        "weights": weights,
        "trades": trades,
    });
    if let (false, Value::Object(o)) = (strategy.exec_overrides.is_empty(), &mut v) {
        o.insert("execution_overrides".into(), json!(strategy.exec_overrides));
    }
    v
}
