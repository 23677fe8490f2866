//! The portfolio section's charts: the weights held over time as a
//! stacked area, and each symbol's contribution to the return as bars.

use plotters::prelude::*;

use super::charts::{draw_svg, err, frame, Res, GAIN, H, LOSS};
use crate::data::time::format_ms;

/// A colour per symbol, cycling through ten.
fn color(i: usize) -> RGBColor {
    const P: [RGBColor; 10] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
        RGBColor(188, 189, 34),
        RGBColor(23, 190, 207),
    ];
    P[i % P.len()]
}

/// Weights (0..1 per symbol, one row per bar) stacked, the cash on top.
pub fn weights(ts: &[i64], symbols: &[String], rows: &[Vec<f64>]) -> Res {
    let n = rows.len();
    let k = (n / 1000).max(1);
    draw_svg(H + 40, |root| {
        let mut chart = frame(
            root,
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
            let c = color(s);
            chart
                .draw_series(std::iter::once(Polygon::new(pts, c.mix(0.8).filled())))
                .map_err(err)?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
            below = top;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 10))
            .draw()
            .map_err(err)
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
