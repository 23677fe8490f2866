//! The Monte Carlo section of a report (a `montecarlo` report, or a run's
//! with `--monte-carlo N`), built from its JSON alone: the summary table,
//! the probabilities, the equity fan with the historical path, and the
//! histograms of max drawdown and total return with history marked.

use plotters::prelude::*;
use serde_json::Value;

use super::charts::{self, bounds, draw_svg, err, frame, legend, H, STRATEGY};
use super::doc::{Block, Doc};
use crate::data::time::format_ms;
use crate::format::{metric_text, param_text};
use crate::robust::summary::{formatted_as, HEADER};

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

/// The labels of the summary table's rows, by figure.
const LABELS: [(&str, &str); 7] = [
    ("final_equity", "final equity"),
    ("total_return", "total return"),
    ("cagr", "CAGR"),
    ("max_drawdown", "max drawdown"),
    ("longest_drawdown_bars", "longest drawdown (bars)"),
    ("sharpe", "Sharpe"),
    ("worst_streak", "worst losing streak"),
];

/// The equity fan: p5–p95 and p25–p75 bands, the median and history.
fn fan_chart(fan: &Value, what: &str) -> Result<String, String> {
    let ts: Vec<i64> = fan["t"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let band = |k: &str| floats(&fan[k]);
    let (p5, p25, p50, p75, p95, hist) = (
        band("p5"),
        band("p25"),
        band("p50"),
        band("p75"),
        band("p95"),
        band("historical"),
    );
    let n = ts.len();
    if n < 2
        || [&p5, &p25, &p50, &p75, &p95, &hist]
            .iter()
            .any(|b| b.len() != n)
    {
        return Err("the Monte Carlo fan has no series of the timeline's length".into());
    }
    let (lo, hi) = bounds(p5.iter().chain(&p95).chain(&hist).copied());
    draw_svg(H, |root| {
        let mut chart = frame(
            root,
            format!("Equity of {what}: bands across paths"),
            28,
            70,
        )
        .build_cartesian_2d(0f64..(n - 1) as f64, lo..hi)
        .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|x| {
                ts.get(*x as usize)
                    .map_or(String::new(), |&t| format_ms(t, true))
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for ((a, b), alpha, name) in [
            ((&p5, &p95), 0.18, "p5–p95"),
            ((&p25, &p75), 0.35, "p25–p75"),
        ] {
            let mut pts: Vec<(f64, f64)> = (0..n).map(|i| (i as f64, a[i])).collect();
            pts.extend((0..n).rev().map(|i| (i as f64, b[i])));
            let color = STRATEGY.mix(alpha);
            chart
                .draw_series(std::iter::once(Polygon::new(pts, color.filled())))
                .map_err(err)?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], color.filled())
                });
        }
        let line = |v: &[f64]| -> Vec<(f64, f64)> { (0..n).map(|i| (i as f64, v[i])).collect() };
        chart
            .draw_series(LineSeries::new(line(&p50), STRATEGY.stroke_width(1)))
            .map_err(err)?
            .label("median")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], STRATEGY.stroke_width(1)));
        chart
            .draw_series(LineSeries::new(line(&hist), BLACK.stroke_width(2)))
            .map_err(err)?
            .label("historical")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Appends the Monte Carlo section for `mc` (`report::montecarlo::report_json`).
pub fn section(doc: &mut Doc, mc: &Value) -> Result<(), String> {
    let method = mc["method"].as_str().unwrap_or("");
    let paths = mc["paths"].as_u64().unwrap_or(0);
    let from = match mc["block"].as_u64() {
        Some(b) => format!("mean block {b} bars, from the bar returns"),
        None => format!("from {} closed trades", mc["trades"]),
    };
    doc.heading(
        "monte-carlo",
        format!("Monte Carlo ({paths} {method} paths)"),
    );
    let s = &mc["summary"];
    doc.blocks.push(Block::Text(format!(
        "{paths} paths, method {method}, seed {}, {from}. Probability of a loss: {}.{}",
        mc["seed"],
        metric_text("exposure", s["prob_loss"].as_f64()),
        s["prob_drawdown_beyond"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(l, p)| format!(
                " Probability of a drawdown beyond {}: {}.",
                metric_text("exposure", l.parse().ok()),
                metric_text("exposure", p.as_f64())
            ))
            .collect::<String>()
    )));
    let rows = LABELS
        .iter()
        .map(|(key, label)| {
            let metric = formatted_as(key);
            let f = &s[*key];
            let mut row = vec![label.to_string()];
            for p in ["p1", "p5", "p25", "p50", "p75", "p95", "p99", "historical"] {
                row.push(metric_text(metric, f[p].as_f64()));
            }
            row.push(metric_text("exposure", f["historical_rank"].as_f64()));
            row
        })
        .collect();
    doc.table(&HEADER, rows);
    doc.blocks.push(Block::Text(
        "rank: the share of paths below the historical value.".into(),
    ));
    doc.blocks.push(Block::Chart(fan_chart(
        &mc["fan"],
        &format!("{paths} paths"),
    )?));
    let d = &mc["distributions"];
    let pct = |v: Vec<f64>| -> Vec<f64> { v.into_iter().map(|x| x * 100.0).collect() };
    let hist = |k: &str| s[k]["historical"].as_f64().map(|h| h * 100.0);
    doc.blocks.push(Block::Chart(charts::histogram_marked(
        "Max drawdown (%) across paths",
        &pct(floats(&d["max_drawdown"])),
        false,
        hist("max_drawdown"),
    )?));
    doc.blocks.push(Block::Chart(charts::histogram_marked(
        "Total return (%) across paths",
        &pct(floats(&d["total_return"])),
        true,
        hist("total_return"),
    )?));
    Ok(())
}

/// The document of a `montecarlo` report: its setup and the section.
pub fn document(report: &Value) -> Result<Doc, String> {
    let name = report["strategy"]["name"].as_str().unwrap_or("");
    let data = report["data"]["file"].as_str().unwrap_or("");
    let mut doc = Doc::new(
        format!("Monte Carlo: {name}"),
        format!(
            "{} on {data}, {} bars; tradelab {}",
            name,
            report["data"]["bars"],
            report["tool"]["version"].as_str().unwrap_or("")
        ),
    );
    doc.heading("setup", "Setup");
    let mut setup = vec![
        vec![
            "strategy file".to_string(),
            report["strategy"]["file"].as_str().unwrap_or("").into(),
        ],
        vec!["data file".to_string(), data.into()],
    ];
    for (k, v) in report["params"].as_object().into_iter().flatten() {
        setup.push(vec![format!("param {k}"), param_text(v.as_f64())]);
    }
    doc.table(&[], setup);
    section(&mut doc, &report["monte_carlo"])?;
    Ok(doc)
}
