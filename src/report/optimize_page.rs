//! The optimization report: summary, overfitting statistics, the top trials,
//! the objective over a 2-parameter grid, its distribution and, for a
//! genetic search, the convergence curve.

use std::collections::BTreeMap;

use serde_json::Value;

use super::doc::{Block, Doc};
use super::{charts, sweep_charts};
use crate::format::{metric_text, number_text, param_text};
use crate::metrics::Metrics;

/// What the sweep report reads of one trial (the optimizer's trials, seen
/// without the report depending on the optimizer).
#[derive(Debug, Clone, Copy)]
pub struct Trial<'a> {
    pub params: &'a BTreeMap<String, f64>,
    pub metrics: &'a Metrics,
    pub feasible: bool,
}

fn num(v: &Value) -> String {
    number_text(v.as_f64())
}

/// The constraints as the user wrote them, `none` without any.
fn constraints_text(v: &Value) -> String {
    let list: Vec<&str> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    }
}

/// The document of a sweep, from its summary (best.json) and trials.
pub fn document(summary: &Value, trials: &[Trial], params: &[String]) -> Result<Doc, String> {
    let objective = summary["objective"].as_str().unwrap_or("sharpe");
    let maximize = summary["direction"] != "minimize";
    let value = |t: &Trial| {
        t.metrics
            .get(objective)
            .copied()
            .flatten()
            .filter(|_| t.feasible)
    };
    let mut charts_html = Vec::new();
    if params.len() == 2 {
        let axis = |name: &str| {
            let mut v: Vec<f64> = trials
                .iter()
                .filter_map(|t| t.params.get(name).copied())
                .collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        let (xs, ys) = (axis(&params[0]), axis(&params[1]));
        let cells: Vec<(f64, f64, f64)> = trials
            .iter()
            .filter_map(|t| Some((t.params[&params[0]], t.params[&params[1]], value(t)?)))
            .collect();
        let title = format!("{objective} by {} (x) and {} (y)", params[0], params[1]);
        charts_html.push((
            "heatmap",
            "Heatmap",
            sweep_charts::param_heatmap(&title, &xs, &ys, &cells, maximize)?,
        ));
    }
    let values: Vec<f64> = trials.iter().filter_map(value).collect();
    charts_html.push((
        "distribution",
        "Objective distribution",
        charts::histogram(
            &format!("{objective} over {} feasible trials", values.len()),
            &values,
            false,
        )?,
    ));
    if let Some(c) = summary["convergence"].as_array() {
        let v: Vec<f64> = c.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect();
        charts_html.push(("convergence", "Convergence", sweep_charts::convergence(&v)?));
    }
    let name = summary["strategy"]["name"].as_str().unwrap_or("");
    let mut doc = Doc::new(
        format!("Optimization of {name}"),
        format!(
            "{} · method {} · objective {} ({}) · {} trials, {} feasible",
            summary["data"]["file"].as_str().unwrap_or(""),
            summary["method"].as_str().unwrap_or(""),
            objective,
            summary["direction"].as_str().unwrap_or(""),
            summary["trials"],
            summary["feasible"]
        ),
    );
    doc.heading("summary", "Summary");
    doc.table(
        &[],
        [
            (
                "deflated Sharpe ratio of the best",
                num(&summary["deflated_sharpe"]),
            ),
            (
                "probability of backtest overfitting (CSCV, 16 blocks)",
                num(&summary["pbo"]),
            ),
            ("CSCV splits", num(&summary["pbo_splits"])),
            ("constraints", constraints_text(&summary["constraints"])),
        ]
        .into_iter()
        .map(|(k, v)| vec![k.to_string(), v])
        .collect(),
    );
    doc.heading("top", "Top trials");
    let cols = [
        objective,
        "total_return",
        "annual_return",
        "max_drawdown",
        "trades",
    ];
    let mut head = vec!["rank", "trial"];
    head.extend(params.iter().map(String::as_str));
    head.extend(cols);
    let rows = summary["top"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, t)| {
            let mut row = vec![(i + 1).to_string(), t["trial"].to_string()];
            row.extend(params.iter().map(|p| param_text(t["params"][p].as_f64())));
            row.extend(
                cols.iter()
                    .map(|c| metric_text(c, t["metrics"][c].as_f64())),
            );
            row
        })
        .collect();
    doc.table(&head, rows);
    for (id, title, svg) in charts_html {
        doc.chart(id, title, svg);
    }
    doc.blocks.push(Block::Link {
        href: "best/report.html".into(),
        text: "The best trial's backtest report (best/)".into(),
    });
    Ok(doc)
}
