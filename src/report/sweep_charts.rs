//! Optimization charts: the objective over a 2-parameter grid and the
//! genetic convergence curve.

use plotters::prelude::*;

use super::charts::{bounds, draw_svg, err, frame, label_at, Res, GAIN, H, LOSS, STRATEGY};

/// A cell of a heatmap outlined in a colour (the best trial, the robust
/// best; the caller's title says which is which).
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub color: RGBColor,
}

/// The objective over a 2-parameter grid: x values × y values, cells coloured
/// from worst to best with the value printed; missing points stay blank;
/// `marks` outline their cells.
pub fn param_heatmap(
    title: &str,
    xs: &[f64],
    ys: &[f64],
    cells: &[(f64, f64, f64)],
    higher_better: bool,
    marks: &[Mark],
) -> Res {
    let (lo, hi) = cells
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| {
            (a.min(c.2), b.max(c.2))
        });
    let h = (80 + 22 * ys.len() as u32).clamp(160, 900);
    draw_svg(h, |root| {
        let mut chart = frame(root, title, 28, 50)
            .build_cartesian_2d(
                -0.5f64..xs.len() as f64 - 0.5,
                -0.5f64..ys.len() as f64 - 0.5,
            )
            .map_err(err)?;
        let xl: Vec<String> = xs.iter().map(|v| v.to_string()).collect();
        let yl: Vec<String> = ys.iter().map(|v| v.to_string()).collect();
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(xs.len().min(40))
            .y_labels(ys.len().min(40))
            .x_label_formatter(&|x| label_at(*x, &xl))
            .y_label_formatter(&|y| label_at(*y, &yl))
            .draw()
            .map_err(err)?;
        for &(x, y, v) in cells {
            let (Some(i), Some(j)) = (
                xs.iter().position(|a| *a == x),
                ys.iter().position(|a| *a == y),
            ) else {
                continue;
            };
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
            let t = if higher_better { t } else { 1.0 - t };
            let color = if t >= 0.5 {
                GAIN.mix(0.15 + 0.85 * (t - 0.5) * 2.0)
            } else {
                LOSS.mix(0.15 + 0.85 * (0.5 - t) * 2.0)
            };
            let (cx, cy) = (i as f64, j as f64);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(cx - 0.5, cy - 0.5), (cx + 0.5, cy + 0.5)],
                    color.filled(),
                )))
                .map_err(err)?;
            if xs.len() <= 20 {
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("{v:.2}"),
                        (cx - 0.35, cy + 0.2),
                        ("sans-serif", 10),
                    )))
                    .map_err(err)?;
            }
        }
        // Each mark a little inside the one before, so a cell that is both
        // shows both.
        for (k, m) in marks.iter().enumerate() {
            let (Some(i), Some(j)) = (
                xs.iter().position(|a| *a == m.x),
                ys.iter().position(|a| *a == m.y),
            ) else {
                continue;
            };
            let (cx, cy) = (i as f64, j as f64);
            let (color, r) = (m.color, 0.45 - 0.1 * k as f64);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(cx - r, cy - r), (cx + r, cy + r)],
                    color.stroke_width(4),
                )))
                .map_err(err)?;
        }
        Ok(())
    })
}

/// The best objective after each generation of a genetic search.
pub fn convergence(values: &[f64]) -> Res {
    let ts: Vec<i64> = (0..values.len() as i64).collect();
    lines_plain("Convergence: best objective by generation", &ts, values)
}

fn lines_plain(title: &str, xs: &[i64], ys: &[f64]) -> Res {
    let (lo, hi) = bounds(ys.iter().copied());
    draw_svg(H, |root| {
        let mut chart = frame(root, title, 28, 70)
            .build_cartesian_2d(0f64..(xs.len().max(2) - 1) as f64, lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(6)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                xs.iter().zip(ys).map(|(x, y)| (*x as f64, *y)),
                STRATEGY.stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series(
                xs.iter()
                    .zip(ys)
                    .map(|(x, y)| Circle::new((*x as f64, *y), 3, STRATEGY.filled())),
            )
            .map_err(err)?;
        Ok(())
    })
}

/// Every feasible trial by its first two objectives (grey), the Pareto
/// front over them highlighted and joined in order of the first.
pub fn pareto_scatter(
    title: &str,
    (x_name, y_name): (&str, &str),
    all: &[(f64, f64)],
    front: &[(f64, f64)],
) -> Res {
    let (x0, x1) = bounds(all.iter().chain(front).map(|p| p.0));
    let (y0, y1) = bounds(all.iter().chain(front).map(|p| p.1));
    let mut line: Vec<(f64, f64)> = front.to_vec();
    line.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    draw_svg(360, |root| {
        let mut chart = frame(root, title, 40, 70)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(6)
            .x_desc(x_name)
            .y_desc(y_name)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(
                all.iter()
                    .map(|p| Circle::new(*p, 3, RGBColor(150, 150, 150).mix(0.6).filled())),
            )
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(line.iter().copied(), LOSS.stroke_width(2)))
            .map_err(err)?;
        chart
            .draw_series(line.iter().map(|p| Circle::new(*p, 4, LOSS.filled())))
            .map_err(err)?;
        Ok(())
    })
}
