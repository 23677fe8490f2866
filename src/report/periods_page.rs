//! The report sections read from a run's period tables: the worst
//! drawdowns (`drawdowns` of the run JSON) and the yearly returns against
//! the benchmark (`yearly`), with a bar chart of both.

use plotters::prelude::*;
use serde_json::Value;

use super::charts::{bounds, draw_svg, err, frame, label_at, legend, BENCH, H, STRATEGY};
use super::doc::{Block, Doc};
use crate::format::metric_text;

/// How many drawdowns the report lists unless the run says (`drawdowns_shown`).
pub const DEFAULT_DRAWDOWNS: usize = 5;

fn date(v: &Value) -> String {
    v.as_str().map_or("not recovered".to_string(), |s| {
        s.trim_end_matches("T00:00:00Z").to_string()
    })
}

/// The deepest drawdowns, one row each.
pub fn drawdowns_section(doc: &mut Doc, report: &Value) {
    let Some(all) = report["drawdowns"].as_array() else {
        return;
    };
    let n = report["drawdowns_shown"]
        .as_u64()
        .map_or(DEFAULT_DRAWDOWNS, |n| n as usize);
    doc.heading(
        "worst-drawdowns",
        format!("Worst drawdowns ({} of {})", n.min(all.len()), all.len()),
    );
    let rows = all
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, e)| {
            vec![
                (i + 1).to_string(),
                date(&e["start"]),
                date(&e["valley"]),
                date(&e["end"]),
                date(&e["recovered"]),
                e["days"].to_string(),
                e["periods"].to_string(),
                metric_text("max_drawdown", e["depth"].as_f64()),
            ]
        })
        .collect();
    doc.table(
        &[
            "#",
            "start",
            "valley",
            "last under water",
            "recovered",
            "days",
            "periods",
            "depth",
        ],
        rows,
    );
}

/// Strategy and benchmark return by calendar year, side by side.
fn yearly_chart(years: &[(i64, f64, f64)]) -> Result<String, String> {
    let n = years.len();
    let (lo, hi) = bounds(
        years
            .iter()
            .flat_map(|(_, s, b)| [*s * 100.0, *b * 100.0, 0.0])
            .filter(|v| v.is_finite()),
    );
    let labels: Vec<String> = years.iter().map(|y| y.0.to_string()).collect();
    draw_svg(H, |root| {
        let mut chart = frame(root, "Return by calendar year (%)", 28, 60)
            .build_cartesian_2d(-0.5f64..n as f64 - 0.5, lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(n.min(30))
            .y_labels(6)
            .x_label_formatter(&|x| label_at(*x, &labels))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (k, (name, color)) in [("strategy", STRATEGY), ("benchmark", BENCH)]
            .into_iter()
            .enumerate()
        {
            let x0 = -0.4 + 0.4 * k as f64;
            chart
                .draw_series(years.iter().enumerate().filter_map(|(i, y)| {
                    let v = if k == 0 { y.1 } else { y.2 } * 100.0;
                    v.is_finite().then(|| {
                        let x = i as f64 + x0;
                        Rectangle::new([(x, 0.0), (x + 0.38, v)], color.filled())
                    })
                }))
                .map_err(err)?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled())
                });
        }
        // The lower right is clear unless the last years lost heavily.
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })
}

/// The yearly table (strategy, benchmark, difference) and its chart.
pub fn yearly_section(doc: &mut Doc, report: &Value) -> Result<(), String> {
    let Some(list) = report["yearly"].as_array().filter(|l| !l.is_empty()) else {
        return Ok(());
    };
    let years: Vec<(i64, f64, f64)> = list
        .iter()
        .filter_map(|y| {
            let f = |k: &str| y[k].as_f64().unwrap_or(f64::NAN);
            Some((y["year"].as_i64()?, f("strategy"), f("benchmark")))
        })
        .collect();
    doc.heading("yearly", "Yearly returns");
    let pct = |v: f64| metric_text("total_return", v.is_finite().then_some(v));
    let rows = years
        .iter()
        .map(|(y, s, b)| vec![y.to_string(), pct(*s), pct(*b), pct(s - b)])
        .collect();
    doc.table(&["year", "strategy", "benchmark", "difference"], rows);
    doc.blocks.push(Block::Chart(yearly_chart(&years)?));
    Ok(())
}
