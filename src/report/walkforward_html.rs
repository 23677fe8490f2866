//! The walk-forward report: the windows (train and test periods, chosen
//! parameters, in-sample objective, test results), the stitched
//! out-of-sample equity against buy and hold, its drawdown and metrics.

use serde_json::Value;

use super::charts;
use super::format::{esc, number_text};

fn num(v: &Value) -> String {
    number_text(v.as_f64())
}

/// Renders from the `walkforward --json` object plus the stitched curve.
pub fn render(wf: &Value, ts: &[i64], equity: &[f64], close: &[f64]) -> Result<String, String> {
    let name = wf["strategy"].as_str().unwrap_or("");
    let mut h = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str(&format!(
        "<title>Walk-forward of {}</title><style>{}</style></head><body>\n",
        esc(name),
        super::html::CSS
    ));
    h.push_str(&format!("<h1>Walk-forward of {}</h1>\n", esc(name)));
    h.push_str(&format!(
        "<p class=\"muted\">{} · objective {} · {} windows{} · walk-forward efficiency {}</p>\n",
        esc(wf["data"].as_str().unwrap_or("")),
        esc(wf["objective"].as_str().unwrap_or("")),
        wf["windows"].as_array().map_or(0, Vec::len),
        if wf["anchored"] == true {
            " (anchored)"
        } else {
            ""
        },
        num(&wf["efficiency"])
    ));
    h.push_str("<h2>Windows</h2><table><tr><th>#</th><th>train</th><th>test</th><th>params</th><th>in-sample objective</th><th>test return</th><th>test sharpe</th><th>test trades</th></tr>");
    for (i, w) in wf["windows"].as_array().into_iter().flatten().enumerate() {
        let day = |v: &Value| {
            v.as_str()
                .map_or(String::new(), |s| s.get(..10).unwrap_or(s).to_string())
        };
        let params: Vec<String> = w["params"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        h.push_str(&format!(
            "<tr><td>{}</td><td>{} – {}</td><td>{} – {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            day(&w["train"]["start"]),
            day(&w["train"]["end"]),
            day(&w["test"]["start"]),
            day(&w["test"]["end"]),
            esc(&params.join(" ")),
            num(&w["in_sample_objective"]),
            num(&w["test_metrics"]["total_return"]),
            num(&w["test_metrics"]["sharpe"]),
            num(&w["test_metrics"]["trades"]),
        ));
    }
    h.push_str("</table>\n");
    for (title, svg) in [
        (
            "Out-of-sample equity",
            charts::equity(ts, equity, close, false)?,
        ),
        ("Out-of-sample drawdown", charts::drawdown(ts, equity)?),
    ] {
        let svg = svg.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
        h.push_str(&format!("<h2>{title}</h2>\n{svg}\n"));
    }
    h.push_str("<h2>Out-of-sample metrics</h2><table>");
    for (k, v) in wf["out_of_sample"].as_object().into_iter().flatten() {
        h.push_str(&format!("<tr><td>{}</td><td>{}</td></tr>", esc(k), num(v)));
    }
    h.push_str("</table>\n</body></html>\n");
    Ok(h)
}
