//! The Portfolio section of a portfolio run's report: the weights held over
//! time, each symbol's contribution, the per-symbol table and the turnover.

use serde_json::Value;

use super::doc::{Block, Doc};
use super::portfolio_charts;

/// Appends the section for `report` (a portfolio report JSON) to `doc`.
pub fn section(doc: &mut Doc, report: &Value, ts: &[i64]) -> Result<(), String> {
    let per: Vec<&Value> = report["per_symbol"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let symbols: Vec<String> = per
        .iter()
        .map(|p| p["symbol"].as_str().unwrap_or("").to_string())
        .collect();
    doc.heading(
        "portfolio",
        format!("Portfolio ({} symbols)", symbols.len()),
    );
    let turnover = report["turnover"]
        .as_f64()
        .map_or("–".to_string(), |t| format!("{:.2}", t));
    let rebalances = report["weights"].as_array().map_or(0, Vec::len);
    doc.blocks.push(Block::Text(format!(
        "{} orders, {rebalances} rebalances; annual turnover {turnover} (half the traded value over the mean portfolio value, per year).",
        report["orders"].as_array().map_or(0, Vec::len)
    )));
    let h = &report["holdings"];
    let bars: Vec<usize> = h["bar"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b.as_u64().map(|b| b as usize))
        .collect();
    let rows: Vec<Vec<f64>> = h["weights"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            r.as_array()
                .into_iter()
                .flatten()
                .map(|w| w.as_f64().unwrap_or(0.0))
                .collect()
        })
        .collect();
    if !rows.is_empty() && rows.iter().all(|r| r.len() == symbols.len()) {
        let times: Vec<i64> = bars.iter().filter_map(|&b| ts.get(b).copied()).collect();
        doc.chart(
            "weights",
            "Weights over time",
            portfolio_charts::weights(&times, &symbols, &rows)?,
        );
    }
    let pct: Vec<f64> = per
        .iter()
        .map(|p| p["contribution"].as_f64().unwrap_or(0.0) * 100.0)
        .collect();
    doc.chart(
        "contribution",
        "Contribution per symbol",
        portfolio_charts::contributions(&symbols, &pct)?,
    );
    let cell = |v: &Value, pct: bool| match v.as_f64() {
        Some(x) if pct => format!("{:.2} %", x * 100.0),
        Some(x) => format!("{x:.2}"),
        None => "–".into(),
    };
    let table = per
        .iter()
        .map(|p| {
            vec![
                p["symbol"].as_str().unwrap_or("").to_string(),
                p["trades"].to_string(),
                cell(&p["pnl"], false),
                cell(&p["contribution"], true),
                cell(&p["exposure"], true),
                cell(&p["fees"], false),
                cell(&p["last_weight"], true),
            ]
        })
        .collect();
    doc.table(
        &[
            "symbol",
            "trades",
            "pnl",
            "contribution",
            "exposure",
            "fees",
            "last weight",
        ],
        table,
    );
    Ok(())
}
