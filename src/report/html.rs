//! The HTML report: one self-contained file (inline CSS and SVG charts,
//! nothing fetched from a network), rendered from the report JSON alone so
//! that `tradelab report report.json` can re-render it.

use serde_json::Value;

use super::charts;
use super::format::{esc, metric_text};

fn metric(key: &str, v: &Value) -> String {
    metric_text(key, v.as_f64())
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

pub(crate) const CSS: &str = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:960px;margin:2em auto;color:#222;line-height:1.4}\
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}\
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.muted{color:#777}\
nav ul{columns:2}svg{max-width:100%;height:auto}@media print{h2{page-break-before:always}nav{display:none}}";

/// Renders the report of one run.
pub fn render(report: &Value) -> Result<String, String> {
    let eq = &report["equity"];
    let ts: Vec<i64> = eq["t"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let equity = floats(&eq["equity"]);
    let close = floats(&eq["close"]);
    if ts.is_empty() || ts.len() != equity.len() || ts.len() != close.len() {
        return Err(
            "the report has no equity curve (timestamps, equity and close of the same length)"
                .into(),
        );
    }
    let trades = report["trades"].as_array().cloned().unwrap_or_default();
    let closed: Vec<f64> = trades
        .iter()
        .filter(|t| t["open"] == false)
        .filter_map(|t| t["return"].as_f64())
        .collect();
    let marks: Vec<(usize, usize, bool)> = trades
        .iter()
        .filter_map(|t| {
            Some((
                t["entry_bar"].as_u64()? as usize,
                t["exit_bar"].as_u64()? as usize,
                t["side"] == "long",
            ))
        })
        .collect();
    let ann = report["metrics"]["periods_per_year"]
        .as_f64()
        .unwrap_or(252.0);
    let spacing = crate::data::median_spacing(&ts).max(1);
    let half_year = ((182.5 * 86_400_000.0) / spacing as f64).round().max(2.0) as usize;
    let bar_ann = (365.25 * 86_400_000.0 / spacing as f64).min(ann * 24.0 * 60.0);
    let charts: Vec<(&str, &str, String)> = vec![
        (
            "equity",
            "Equity",
            charts::equity(&ts, &equity, &close, false)?,
        ),
        (
            "equity-log",
            "Equity (log scale)",
            charts::equity(&ts, &equity, &close, true)?,
        ),
        ("drawdown", "Drawdown", charts::drawdown(&ts, &equity)?),
        (
            "monthly",
            "Monthly returns",
            charts::monthly_heatmap(&ts, &equity)?,
        ),
        (
            "trades-hist",
            "Trade returns",
            charts::trade_histogram(&closed)?,
        ),
        (
            "price",
            "Price and trades",
            charts::price_with_trades(&ts, &close, &marks, 500)?,
        ),
        (
            "sharpe",
            "Rolling Sharpe",
            charts::rolling_sharpe(&ts, &equity, half_year, bar_ann)?,
        ),
    ];
    let s = &report["strategy"];
    let d = &report["data"];
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str(&format!(
        "<title>{} on {}</title><style>{CSS}</style></head><body>\n",
        esc(s["name"].as_str().unwrap_or("")),
        esc(d["file"].as_str().unwrap_or(""))
    ));
    h.push_str(&format!(
        "<h1>{}</h1>\n",
        esc(s["name"].as_str().unwrap_or(""))
    ));
    h.push_str(&format!(
        "<p class=\"muted\">{} · {} bars · {} to {} · tradelab {}</p>\n",
        esc(d["file"].as_str().unwrap_or("")),
        d["bars"],
        esc(d["start"].as_str().unwrap_or("")),
        esc(d["end"].as_str().unwrap_or("")),
        esc(report["tool"]["version"].as_str().unwrap_or(""))
    ));
    h.push_str("<nav><h2>Contents</h2><ul><li><a href=\"#setup\">Setup</a></li><li><a href=\"#metrics\">Metrics</a></li>");
    for (id, title, _) in &charts {
        h.push_str(&format!("<li><a href=\"#{id}\">{title}</a></li>"));
    }
    h.push_str("<li><a href=\"#trades\">Trades</a></li></ul></nav>\n");
    h.push_str("<h2 id=\"setup\">Setup</h2><table>");
    h.push_str(&format!(
        "<tr><td>strategy file</td><td>{} <span class=\"muted\">sha256 {}</span></td></tr>",
        esc(s["file"].as_str().unwrap_or("")),
        esc(s["sha256"].as_str().unwrap_or(""))
    ));
    h.push_str(&format!(
        "<tr><td>data file</td><td>{} <span class=\"muted\">sha256 {}</span></td></tr>",
        esc(d["file"].as_str().unwrap_or("")),
        esc(d["sha256"].as_str().unwrap_or(""))
    ));
    for (k, v) in report["params"].as_object().into_iter().flatten() {
        h.push_str(&format!("<tr><td>param {}</td><td>{v}</td></tr>", esc(k)));
    }
    for (k, v) in report["execution"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| !v.is_null())
    {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(k),
            esc(&v.to_string())
        ));
    }
    h.push_str("</table>\n<h2 id=\"metrics\">Metrics</h2><table><tr><th>metric</th><th>value</th><th>metric</th><th>value</th></tr>");
    let m: Vec<(&String, &Value)> = report["metrics"]
        .as_object()
        .map(|o| o.iter().collect())
        .unwrap_or_default();
    let half = m.len().div_ceil(2);
    for i in 0..half {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td>",
            m[i].0,
            metric(m[i].0, m[i].1)
        ));
        match m.get(i + half) {
            Some((k, v)) => h.push_str(&format!("<td>{k}</td><td>{}</td></tr>", metric(k, v))),
            None => h.push_str("<td></td><td></td></tr>"),
        }
    }
    h.push_str("</table>\n");
    for (id, title, svg) in &charts {
        // Inline SVG needs no namespace declaration in HTML; dropping it keeps
        // the file free of any http:// address.
        let svg = svg.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
        h.push_str(&format!("<h2 id=\"{id}\">{title}</h2>\n{svg}\n"));
    }
    h.push_str(&format!("<h2 id=\"trades\">Trades ({})</h2><table><tr><th>#</th><th>side</th><th>entry</th><th>exit</th><th>units</th><th>entry price</th><th>exit price</th><th>PnL</th><th>return</th><th>exit</th></tr>", trades.len()));
    let day = |v: &Value| {
        v.as_str().map_or(String::new(), |s| {
            s.trim_end_matches('Z').replace("T00:00:00", "").to_string()
        })
    };
    for (i, t) in trades.iter().enumerate() {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2} %</td><td>{}</td></tr>",
            i + 1,
            t["side"].as_str().unwrap_or(""),
            day(&t["entry_time"]),
            day(&t["exit_time"]),
            t["units"],
            t["entry_price"],
            t["exit_price"],
            t["pnl"].as_f64().unwrap_or(f64::NAN),
            t["return"].as_f64().unwrap_or(f64::NAN) * 100.0,
            t["exit_reason"].as_str().unwrap_or(""),
        ));
    }
    h.push_str("</table>\n</body></html>\n");
    Ok(h)
}
