//! The walk-forward report: the windows (train and test periods, chosen
//! parameters, in-sample objective, test results), the stitched
//! out-of-sample equity against buy and hold, its drawdown and metrics.

use serde_json::Value;

use super::charts;
use super::doc::Doc;
use crate::format::{metric_text, number_text, param_text};

fn num(v: &Value) -> String {
    number_text(v.as_f64())
}

/// The document, from the `walkforward --json` object plus the stitched curve.
pub fn document(wf: &Value, ts: &[i64], equity: &[f64], close: &[f64]) -> Result<Doc, String> {
    let name = wf["strategy"].as_str().unwrap_or("");
    let windows = wf["windows"].as_array().cloned().unwrap_or_default();
    let mut doc = Doc::new(
        format!("Walk-forward of {name}"),
        format!(
            "{} · objective {} · {} windows{} · walk-forward efficiency {}",
            wf["data"].as_str().unwrap_or(""),
            wf["objective"].as_str().unwrap_or(""),
            windows.len(),
            if wf["anchored"] == true {
                " (anchored)"
            } else {
                ""
            },
            num(&wf["efficiency"])
        ),
    );
    doc.heading("windows", "Windows");
    let day = |v: &Value| {
        v.as_str()
            .map_or(String::new(), |s| s.get(..10).unwrap_or(s).to_string())
    };
    let objective = wf["objective"].as_str().unwrap_or("");
    let metric = |w: &Value, k: &str| metric_text(k, w["test_metrics"][k].as_f64());
    let rows = windows
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let params: Vec<String> = w["params"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k}={}", param_text(v.as_f64())))
                .collect();
            vec![
                (i + 1).to_string(),
                format!(
                    "{} – {}",
                    day(&w["train"]["start"]),
                    day(&w["train"]["end"])
                ),
                format!("{} – {}", day(&w["test"]["start"]), day(&w["test"]["end"])),
                params.join(" "),
                metric_text(objective, w["in_sample_objective"].as_f64()),
                metric(w, "total_return"),
                metric(w, "sharpe"),
                metric(w, "trades"),
            ]
        })
        .collect();
    doc.table(
        &[
            "#",
            "train",
            "test",
            "params",
            "in-sample objective",
            "test return",
            "test sharpe",
            "test trades",
        ],
        rows,
    );
    doc.chart(
        "equity",
        "Out-of-sample equity",
        charts::equity(
            ts,
            equity,
            close,
            wf["benchmark"]["name"].as_str().unwrap_or("buy and hold"),
            false,
        )?,
    );
    doc.chart(
        "drawdown",
        "Out-of-sample drawdown",
        charts::drawdown(ts, equity)?,
    );
    doc.heading("metrics", "Out-of-sample metrics");
    doc.table(
        &[],
        wf["out_of_sample"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| vec![k.clone(), metric_text(k, v.as_f64())])
            .collect(),
    );
    Ok(doc)
}
