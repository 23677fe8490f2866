//! The optimization report: summary, overfitting statistics, the top trials,
//! the objective over a 2-parameter grid, its distribution and, for a
//! genetic search, the convergence curve. One self-contained HTML file.

use serde_json::Value;

use super::charts;
use super::format::{esc, number_text};
use crate::optimize::sweep::Trial;

fn num(v: &Value) -> String {
    number_text(v.as_f64())
}

/// Renders the report of a sweep from its summary (best.json) and trials.
pub fn render(summary: &Value, trials: &[Trial], params: &[String]) -> Result<String, String> {
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
            charts::param_heatmap(&title, &xs, &ys, &cells, maximize)?,
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
        charts_html.push(("convergence", "Convergence", charts::convergence(&v)?));
    }
    let mut h = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    let name = summary["strategy"]["name"].as_str().unwrap_or("");
    h.push_str(&format!(
        "<title>Optimization of {}</title><style>{}</style></head><body>\n",
        esc(name),
        super::html::CSS
    ));
    h.push_str(&format!("<h1>Optimization of {}</h1>\n", esc(name)));
    h.push_str(&format!(
        "<p class=\"muted\">{} · method {} · objective {} ({}) · {} trials, {} feasible</p>\n",
        esc(summary["data"]["file"].as_str().unwrap_or("")),
        esc(summary["method"].as_str().unwrap_or("")),
        esc(objective),
        esc(summary["direction"].as_str().unwrap_or("")),
        summary["trials"],
        summary["feasible"]
    ));
    h.push_str("<nav><h2>Contents</h2><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#top\">Top trials</a></li>");
    for (id, title, _) in &charts_html {
        h.push_str(&format!("<li><a href=\"#{id}\">{title}</a></li>"));
    }
    h.push_str(
        "<li><a href=\"best/report.html\">The best trial's backtest report</a></li></ul></nav>\n",
    );
    h.push_str("<h2 id=\"summary\">Summary</h2><table>");
    for (k, v) in [
        (
            "deflated Sharpe ratio of the best",
            num(&summary["deflated_sharpe"]),
        ),
        (
            "probability of backtest overfitting (CSCV, 16 blocks)",
            num(&summary["pbo"]),
        ),
        ("CSCV splits", num(&summary["pbo_splits"])),
        ("constraints", esc(&summary["constraints"].to_string())),
    ] {
        h.push_str(&format!("<tr><td>{k}</td><td>{v}</td></tr>"));
    }
    h.push_str("</table>\n<h2 id=\"top\">Top trials</h2><table><tr><th>rank</th><th>trial</th>");
    for p in params {
        h.push_str(&format!("<th>{}</th>", esc(p)));
    }
    let cols = [
        objective,
        "total_return",
        "annual_return",
        "max_drawdown",
        "trades",
    ];
    for c in cols {
        h.push_str(&format!("<th>{}</th>", esc(c)));
    }
    h.push_str("</tr>");
    for (i, t) in summary["top"].as_array().into_iter().flatten().enumerate() {
        h.push_str(&format!("<tr><td>{}</td><td>{}</td>", i + 1, t["trial"]));
        for p in params {
            h.push_str(&format!("<td>{}</td>", num(&t["params"][p])));
        }
        for c in cols {
            h.push_str(&format!("<td>{}</td>", num(&t["metrics"][c])));
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>\n");
    for (id, title, svg) in &charts_html {
        let svg = svg.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
        h.push_str(&format!("<h2 id=\"{id}\">{title}</h2>\n{svg}\n"));
    }
    h.push_str("</body></html>\n");
    Ok(h)
}
