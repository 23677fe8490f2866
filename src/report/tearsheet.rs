//! Page 1 of a run report, the tearsheet: a header line (strategy, data,
//! period, parameters as written, benchmark), the headline figures of the
//! strategy beside the benchmark's, and three charts sized to share one A4
//! page: cumulative return against the benchmark, the underwater curve and
//! the monthly returns heatmap.

use plotters::prelude::*;
use serde_json::Value;

use super::charts::{
    bounds, draw_svg, err, frame, legend, lines_h, monthly_heatmap_within, Res, BENCH, LOSS,
    STRATEGY,
};
use super::doc::Block;
use crate::data::time::format_ms;
use crate::format::{metric_text, param_text};

/// The headline figures: (metric, label), in reading order.
pub const HEADLINE: [(&str, &str); 9] = [
    ("total_return", "total return"),
    ("annual_return", "CAGR"),
    ("sharpe", "Sharpe"),
    ("sortino", "Sortino"),
    ("max_drawdown", "max drawdown"),
    ("annual_volatility", "volatility"),
    ("trades", "trades"),
    ("win_rate", "win rate"),
    ("exposure", "exposure"),
];

/// The benchmark's name as the report says it ("buy and hold" by default).
pub fn benchmark_name(report: &Value) -> String {
    report["benchmark"]["name"]
        .as_str()
        .unwrap_or("buy and hold")
        .to_string()
}

/// The benchmark's curve on the run's timeline: `equity.benchmark` when
/// the run has another benchmark, else the close (buy and hold).
pub fn benchmark_curve(report: &Value, close: &[f64]) -> Vec<f64> {
    match report["equity"]["benchmark"].as_array() {
        Some(b) if b.len() == close.len() => {
            b.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
        }
        _ => close.to_vec(),
    }
}

/// The one-line header: strategy on data, period, parameters, benchmark.
pub(crate) fn header(report: &Value, ts: &[i64]) -> String {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let params: Vec<String> = report["params"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", param_text(v.as_f64())))
        .collect();
    let day = |t: Option<&i64>| t.map_or(String::new(), |&t| format_ms(t, true));
    let mut line = format!(
        "{} on {} · {} to {} ({} bars)",
        text(&report["strategy"]["name"]),
        text(&report["data"]["file"]),
        day(ts.first()),
        day(ts.last()),
        ts.len()
    );
    if !params.is_empty() {
        line.push_str(&format!(" · {}", params.join(" ")));
    }
    line.push_str(&format!(" · benchmark: {}", benchmark_name(report)));
    line
}

/// The headline table: a strategy row and a benchmark row.
fn headline(report: &Value) -> Block {
    let (m, b) = (&report["metrics"], &report["benchmark_metrics"]);
    let strategy: Vec<String> = std::iter::once("strategy".to_string())
        .chain(HEADLINE.iter().map(|(k, _)| metric_text(k, m[*k].as_f64())))
        .collect();
    let bench: Vec<String> = std::iter::once(benchmark_name(report))
        .chain(HEADLINE.iter().map(|(k, _)| match *k {
            // Holding the benchmark: always in the market, no trades.
            "exposure" => metric_text(k, Some(1.0)),
            "trades" | "win_rate" => "–".to_string(),
            _ => metric_text(k, b[*k].as_f64()),
        }))
        .collect();
    Block::Table {
        head: std::iter::once(String::new())
            .chain(HEADLINE.iter().map(|(_, l)| l.to_string()))
            .collect(),
        rows: vec![strategy, bench],
        pdf_rows: None,
    }
}

/// Cumulative return (%) of the strategy and of the benchmark, each from
/// its value at the first bar (the benchmark's first known one).
fn cumulative(ts: &[i64], equity: &[f64], bench: &[f64], name: &str) -> Res {
    let first = |v: &[f64]| v.iter().copied().find(|x| x.is_finite()).unwrap_or(1.0);
    let (e0, b0) = (first(equity), first(bench));
    let s: Vec<f64> = equity.iter().map(|e| (e / e0 - 1.0) * 100.0).collect();
    let b: Vec<f64> = bench.iter().map(|x| (x / b0 - 1.0) * 100.0).collect();
    lines_h(
        "Cumulative return (%)",
        ts,
        &[("strategy", &s, STRATEGY), (name, &b, BENCH)],
        false,
        250,
    )
}

/// The fall from the running peak (%), as a filled area.
fn underwater(ts: &[i64], equity: &[f64]) -> Res {
    let mut peak = f64::NEG_INFINITY;
    let dd: Vec<f64> = equity
        .iter()
        .map(|&e| {
            peak = peak.max(e);
            (e / peak - 1.0) * 100.0
        })
        .collect();
    let n = ts.len();
    let step = (n / 2000).max(1);
    let (lo, _) = bounds(dd.iter().copied().chain([0.0]));
    draw_svg(170, |root| {
        let mut chart = frame(root, "Underwater: fall from the peak (%)", 28, 70)
            .build_cartesian_2d(0f64..(n.max(2) - 1) as f64, lo..0.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(4)
            .x_label_formatter(&|x| {
                ts.get(*x as usize)
                    .map_or(String::new(), |&t| format_ms(t, true))
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        // Every step-th bar, plus the deepest bar of each step so that
        // decimation never hides the worst fall.
        let pts = (0..n).step_by(step).map(|i| {
            let j = (i..(i + step).min(n))
                .min_by(|&a, &b| dd[a].total_cmp(&dd[b]))
                .unwrap_or(i);
            (i as f64, dd[j])
        });
        chart
            .draw_series(AreaSeries::new(pts, 0.0, LOSS.mix(0.35)).border_style(LOSS))
            .map_err(err)?
            .label("drawdown")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 14, y + 5)], LOSS.mix(0.35).filled())
            });
        legend(&mut chart, SeriesLabelPosition::LowerLeft)
    })
}

/// The tearsheet's blocks, shown before the contents (page 1 of the PDF).
pub fn front(
    report: &Value,
    ts: &[i64],
    equity: &[f64],
    bench: &[f64],
) -> Result<Vec<Block>, String> {
    Ok(vec![
        Block::Text(header(report, ts)),
        headline(report),
        Block::Chart(cumulative(ts, equity, bench, &benchmark_name(report))?),
        Block::Chart(underwater(ts, equity)?),
        Block::Chart(monthly_heatmap_within(ts, equity, 380)?),
    ])
}
