//! The report model: the JSON object of one backtest (what `run --json`
//! prints and `report.json` holds). Keys are sorted and floats print
//! round-trip exact, so identical inputs give identical bytes.

use serde_json::{json, Map, Value};

use crate::backtest::Outcome;
use crate::data::time::format_utc;
use crate::data::Candles;
use crate::strategy::file::Execution;
use crate::strategy::Strategy;

/// Version of the JSON layout; bumped when a key changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// Where the inputs came from, with their hashes.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    pub strategy: &'a Strategy,
    pub strategy_sha256: &'a str,
    pub candles: &'a Candles,
    pub data_sha256: &'a str,
    pub execution: &'a Execution,
}

fn num(v: Option<f64>) -> Value {
    match v {
        Some(x) if x.is_finite() => json!(x),
        _ => Value::Null,
    }
}

/// The run as a JSON value.
pub fn run_json(i: &Inputs, out: &Outcome) -> Value {
    let c = i.candles;
    let time = |bar: usize| c.ts.get(bar).map(|&t| format_utc(t));
    let trades: Vec<Value> = out
        .backtest
        .trades
        .iter()
        .map(|t| {
            json!({
                "entry_bar": t.entry_bar,
                "exit_bar": t.exit_bar,
                "entry_time": time(t.entry_bar),
                "exit_time": time(t.exit_bar),
                "side": if t.side > 0 { "long" } else { "short" },
                "units": t.units,
                "entry_price": t.entry_price,
                "exit_price": t.exit_price,
                "pnl": num(Some(t.pnl)),
                "return": num(Some(t.ret)),
                "commission": t.commission,
                "open": t.is_open(),
                "exit_reason": t.exit_reason,
            })
        })
        .collect();
    let metrics: Map<String, Value> = out
        .metrics
        .iter()
        .map(|(k, v)| (k.to_string(), num(*v)))
        .collect();
    let params: Map<String, Value> = out
        .params
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": "tradelab", "version": env!("CARGO_PKG_VERSION") },
        "strategy": {
            "name": i.strategy.name,
            "file": i.strategy.path.display().to_string(),
            "sha256": i.strategy_sha256,
        },
        "data": {
            "file": c.source.display().to_string(),
            "sha256": i.data_sha256,
            "bars": c.len(),
            "start": c.ts.first().map(|&t| format_utc(t)),
            "end": c.ts.last().map(|&t| format_utc(t)),
        },
        "params": params,
        "execution": serde_json::to_value(i.execution).unwrap_or(Value::Null),
        "metrics": metrics,
        "trades": trades,
    })
}
