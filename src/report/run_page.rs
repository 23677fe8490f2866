//! The backtest report's pages (setup, metrics, charts, trades) built from
//! the report JSON alone, so that `tradelab report report.json` can
//! re-render the HTML and PDF without re-running.

use serde_json::Value;

use super::charts;
use super::doc::{Block, Doc};
use super::ml_charts;
use crate::format::{metric_text, number_text, param_text};

fn metric(key: &str, v: &Value) -> String {
    metric_text(key, v.as_f64())
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

/// The document of one run.
pub fn document(report: &Value) -> Result<Doc, String> {
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
    // Entry orders that expired unfilled, at the bar they expired.
    let expired: Vec<usize> = report["entry_orders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["fate"] == "expired")
        .filter_map(|o| o["bar"].as_u64().map(|b| b as usize))
        .collect();
    let ann = report["metrics"]["periods_per_year"]
        .as_f64()
        .unwrap_or(252.0);
    let spacing = crate::data::median_spacing(&ts).max(1);
    let half_year = ((182.5 * 86_400_000.0) / spacing as f64).round().max(2.0) as usize;
    let bar_ann = (365.25 * 86_400_000.0 / spacing as f64).min(ann * 24.0 * 60.0);
    let bench = super::tearsheet::benchmark_curve(report, &close);
    let bench_name = super::tearsheet::benchmark_name(report);
    let s = &report["strategy"];
    let d = &report["data"];
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut doc = Doc::new(
        text(&s["name"]),
        format!(
            "{} · {} bars · {} to {} · tradelab {}",
            text(&d["file"]),
            d["bars"],
            text(&d["start"]),
            text(&d["end"]),
            text(&report["tool"]["version"])
        ),
    );
    if let Some(desc) = s["description"].as_str().filter(|d| !d.is_empty()) {
        doc.blocks.push(Block::Text(desc.to_string()));
    }
    doc.front = super::tearsheet::front(report, &ts, &equity, &bench)?;
    metrics_section(&mut doc, report, &bench_name);
    super::periods_page::drawdowns_section(&mut doc, report);
    super::periods_page::yearly_section(&mut doc, report)?;
    let rolling: Vec<(&str, &str, String)> = vec![
        (
            "sharpe",
            "Rolling Sharpe",
            charts::rolling_sharpe(&ts, &equity, half_year, bar_ann)?,
        ),
        (
            "volatility",
            "Rolling volatility",
            super::rolling_charts::rolling_volatility(
                &ts,
                &equity,
                &bench,
                &bench_name,
                half_year,
                bar_ann,
            )?,
        ),
        (
            "beta",
            "Rolling beta",
            super::rolling_charts::rolling_beta(&ts, &equity, &bench, &bench_name, half_year)?,
        ),
    ];
    for (id, title, svg) in rolling {
        doc.chart(id, title, svg);
    }
    super::distribution::section(&mut doc, &ts, &equity)?;
    doc.chart(
        "trades-hist",
        "Trade returns",
        charts::trade_histogram(&closed)?,
    );
    doc.chart(
        "equity-log",
        "Equity (log scale)",
        charts::equity(&ts, &equity, &bench, &bench_name, true)?,
    );
    doc.chart(
        "price",
        "Price and trades",
        charts::price_with_trades(&ts, &close, &marks, &expired, 500)?,
    );
    trades_section(&mut doc, &trades);
    if report["model"].is_object() {
        model_section(&mut doc, &report["model"], &ts)?;
    }
    if report["per_symbol"].is_array() {
        super::portfolio_page::section(&mut doc, report, &ts)?;
    }
    if report["monte_carlo"].is_object() {
        super::montecarlo_page::section(&mut doc, &report["monte_carlo"])?;
    }
    setup_section(&mut doc, report);
    Ok(doc)
}

/// The key metrics, grouped, strategy beside benchmark where the benchmark
/// has the metric, each group in two column triples.
fn metrics_section(doc: &mut Doc, report: &Value, bench_name: &str) {
    doc.heading("metrics", "Key metrics");
    let b = &report["benchmark_metrics"];
    for (group, names) in crate::metrics::groups::GROUPS {
        let m: Vec<(&str, &Value)> = names
            .iter()
            .filter_map(|k| report["metrics"].get(*k).map(|v| (*k, v)))
            .collect();
        if m.is_empty() {
            continue;
        }
        let cells = |(k, v): &(&str, &Value)| {
            [
                k.to_string(),
                metric(k, v),
                b.get(*k).map_or(String::new(), |x| metric(k, x)),
            ]
        };
        let half = m.len().div_ceil(2);
        let rows = (0..half)
            .map(|i| {
                let mut row = cells(&m[i]).to_vec();
                match m.get(i + half) {
                    Some(x) => row.extend(cells(x)),
                    None => row.extend([String::new(), String::new(), String::new()]),
                }
                row
            })
            .collect();
        doc.table(
            &[group, "strategy", bench_name, "", "strategy", bench_name],
            rows,
        );
    }
}

/// Files, hashes, parameters and execution settings.
fn setup_section(doc: &mut Doc, report: &Value) {
    let s = &report["strategy"];
    let d = &report["data"];
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    doc.heading("setup", "Setup");
    let mut setup = vec![
        vec!["strategy file".to_string(), text(&s["file"])],
        vec!["strategy sha256".to_string(), text(&s["sha256"])],
        vec!["data file".to_string(), text(&d["file"])],
        vec!["data sha256".to_string(), text(&d["sha256"])],
    ];
    let b = &report["benchmark"];
    if let Some(f) = b["file"].as_str() {
        setup.push(vec!["benchmark file".to_string(), f.to_string()]);
        setup.push(vec!["benchmark sha256".to_string(), text(&b["sha256"])]);
    } else {
        setup.push(vec!["benchmark".to_string(), text(&b["name"])]);
    }
    for (k, v) in report["params"].as_object().into_iter().flatten() {
        setup.push(vec![format!("param {k}"), param_text(v.as_f64())]);
    }
    for (k, v) in report["execution"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| !v.is_null())
    {
        let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
        setup.push(vec![k.clone(), v]);
    }
    if let Some(list) = report["execution_overrides"].as_array() {
        let list: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
        setup.push(vec!["overridden (--exec)".to_string(), list.join(" ")]);
    }
    doc.table(&[], setup);
}

/// Every trade (the PDF shows the first and last 20).
fn trades_section(doc: &mut Doc, trades: &[Value]) {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    doc.heading("trades", format!("Trades ({})", trades.len()));
    let day = |v: &Value| {
        v.as_str().map_or(String::new(), |s| {
            s.trim_end_matches('Z').replace("T00:00:00", "").to_string()
        })
    };
    let rows = trades
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                (i + 1).to_string(),
                text(&t["side"]),
                day(&t["entry_time"]),
                day(&t["exit_time"]),
                number_text(t["units"].as_f64()),
                t["entry_price"].to_string(),
                t["exit_price"].to_string(),
                format!("{:.2}", t["pnl"].as_f64().unwrap_or(f64::NAN)),
                format!("{:.2} %", t["return"].as_f64().unwrap_or(f64::NAN) * 100.0),
                text(&t["exit_reason"]),
            ]
        })
        .collect();
    doc.blocks.push(Block::Table {
        head: [
            "#",
            "side",
            "entry",
            "exit",
            "units",
            "entry price",
            "exit price",
            "PnL",
            "return",
            "exit",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        pdf_rows: Some(40),
    });
}

/// The model section: settings, out-of-sample classification metrics, the
/// confusion matrix, calibration and the prediction over time.
fn model_section(doc: &mut Doc, m: &Value, ts: &[i64]) -> Result<(), String> {
    let c = &m["classification"];
    let n = |v: &Value| number_text(v.as_f64());
    doc.heading("model", "Model");
    doc.table(
        &[],
        [
            ("kind", m["kind"].as_str().unwrap_or("").to_string()),
            ("horizon (bars the label looks ahead)", n(&m["horizon"])),
            ("training window (bars)", n(&m["train_bars"])),
            ("retrained every (bars)", n(&m["retrain_every"])),
            ("fits", n(&m["fits"])),
            ("first prediction at bar", n(&m["first_prediction_bar"])),
            ("rows scored out of sample", n(&c["rows"])),
            ("base rate (label true)", n(&c["base_rate"])),
            ("accuracy", n(&c["accuracy"])),
            ("precision", n(&c["precision"])),
            ("recall", n(&c["recall"])),
            ("F1", n(&c["f1"])),
            ("ROC AUC", n(&c["roc_auc"])),
            ("log loss", n(&c["log_loss"])),
        ]
        .into_iter()
        .map(|(k, v)| vec![k.to_string(), v])
        .collect(),
    );
    doc.table(
        &["confusion matrix", "predicted true", "predicted false"],
        vec![
            vec![
                "label true".into(),
                n(&c["true_positives"]),
                n(&c["false_negatives"]),
            ],
            vec![
                "label false".into(),
                n(&c["false_positives"]),
                n(&c["true_negatives"]),
            ],
        ],
    );
    let points: Vec<(f64, f64, usize)> = m["calibration"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            Some((
                b["mean_prediction"].as_f64()?,
                b["observed_rate"].as_f64()?,
                b["rows"].as_u64()? as usize,
            ))
        })
        .collect();
    doc.chart(
        "calibration",
        "Calibration",
        ml_charts::calibration(&points)?,
    );
    let prob: Vec<f64> = m["prediction"]
        .as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default();
    if prob.len() == ts.len() {
        doc.chart(
            "prediction",
            "Prediction over time",
            ml_charts::prediction(ts, &prob)?,
        );
    }
    Ok(())
}
