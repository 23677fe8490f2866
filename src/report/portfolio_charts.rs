//! The portfolio section's charts: the weights held over time as a
//! stacked area, and each symbol's contribution to the return as bars.

use plotters::prelude::*;

use super::charts::{draw_svg, err, frame, Res, GAIN, H, LOSS};
use crate::data::time::format_ms;

/// A colour per symbol: `k` hues spread around the wheel, so that every
/// symbol of the universe has its own.
fn color(i: usize, k: usize) -> HSLColor {
    HSLColor(i as f64 / k.max(1) as f64, 0.65, 0.5)
}

/// Weights (0..1 per symbol, one row per bar) stacked, the cash on top.
pub fn weights(ts: &[i64], symbols: &[String], rows: &[Vec<f64>]) -> Res {
    let n = rows.len();
    let k = (n / 1000).max(1);
    draw_svg(H + 40, |root| {
        // The chart on the left, one legend line per held symbol on the right.
        let (w, h) = root.dim_in_pixel();
        let (area, key) = root.split_horizontally(w as i32 - 80);
        let mut chart = frame(
            &area,
            "Weights held (share of the portfolio value; the rest is cash)",
            28,
            50,
        )
        .build_cartesian_2d(0f64..(n.max(2) - 1) as f64, 0f64..1f64)
        .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|x| {
                ts.get(*x as usize)
                    .map_or(String::new(), |&t| format_ms(t, true))
            })
            .y_label_formatter(&|y| format!("{:.0} %", y * 100.0))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let mut below = vec![0.0; n];
        let mut drawn = Vec::new();
        for (s, name) in symbols.iter().enumerate() {
            let top: Vec<f64> = (0..n).map(|t| below[t] + rows[t][s].max(0.0)).collect();
            if top.iter().zip(&below).all(|(a, b)| a == b) {
                continue;
            }
            let mut pts: Vec<(f64, f64)> = (0..n)
                .step_by(k)
                .map(|t| (t as f64, top[t].min(1.0)))
                .collect();
            pts.extend(
                (0..n)
                    .step_by(k)
                    .rev()
                    .map(|t| (t as f64, below[t].min(1.0))),
            );
            let c = color(s, symbols.len());
            chart
                .draw_series(std::iter::once(Polygon::new(pts, c.mix(0.85).filled())))
                .map_err(err)?;
            drawn.push((name, c));
            below = top;
        }
        // Top to bottom in stacking order, reversed so the legend reads as the stack.
        let line = ((h as i32 - 50) / drawn.len().max(1) as i32).clamp(8, 14);
        for (j, (name, c)) in drawn.iter().rev().enumerate() {
            let y = 30 + j as i32 * line;
            key.draw(&Rectangle::new([(4, y), (14, y + line - 3)], c.filled()))
                .map_err(err)?;
            key.draw(&Text::new(
                name.to_string(),
                (18, y),
                ("sans-serif", (line - 2).min(11)).into_font().color(&BLACK),
            ))
            .map_err(err)?;
        }
        Ok(())
    })
}

/// Each symbol's PnL over the starting cash, in percent, as bars.
pub fn contributions(symbols: &[String], pct: &[f64]) -> Res {
    let lo = pct.iter().copied().fold(0.0, f64::min);
    let hi = pct.iter().copied().fold(0.0, f64::max);
    let pad = ((hi - lo) * 0.05).max(1e-9);
    let n = symbols.len();
    draw_svg(H, |root| {
        let mut chart = frame(root, "Contribution to the return per symbol (%)", 40, 70)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), (lo - pad)..(hi + pad))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(n.min(30))
            .y_labels(6)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    symbols.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(pct.iter().enumerate().map(|(i, &v)| {
                let c = if v >= 0.0 { GAIN } else { LOSS };
                Rectangle::new([(i as f64 - 0.35, 0.0), (i as f64 + 0.35, v)], c.filled())
            }))
            .map_err(err)?;
        Ok(())
    })
}
