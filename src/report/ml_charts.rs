//! The model section's charts: calibration (observed frequency of the label
//! against the mean predicted probability, per tenth) and the prediction
//! over time.

use plotters::prelude::*;

use super::charts::{err, lines, register_font, Res, BENCH, H, STRATEGY, W};

/// Calibration: one point per non-empty bin (mean prediction, observed
/// rate), sized by nothing, joined by a line; the diagonal is perfect.
pub fn calibration(points: &[(f64, f64, usize)]) -> Res {
    register_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Calibration: observed rate of the label by predicted probability",
                ("sans-serif", 16),
            )
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..1f64, 0f64..1f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(11)
            .y_labels(6)
            .x_desc("predicted probability")
            .y_desc("observed rate")
            .x_label_formatter(&|x| format!("{x:.1}"))
            .y_label_formatter(&|y| format!("{y:.1}"))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (1.0, 1.0)],
                BENCH.stroke_width(1),
            ))
            .map_err(err)?
            .label("perfect")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BENCH.stroke_width(1)));
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|&(p, o, _)| (p, o)),
                STRATEGY.stroke_width(2),
            ))
            .map_err(err)?
            .label("model")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], STRATEGY.stroke_width(2)));
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&(p, o, _)| Circle::new((p, o), 4, STRATEGY.filled())),
            )
            .map_err(err)?;
        chart
            .draw_series(points.iter().map(|&(p, o, n)| {
                Text::new(
                    format!("{n}"),
                    (p, (o + 0.04).min(0.97)),
                    ("sans-serif", 11).into_font().color(&BLACK.mix(0.7)),
                )
            }))
            .map_err(err)?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 12))
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The model's probability at every bar (NaN before the first fit).
pub fn prediction(ts: &[i64], prob: &[f64]) -> Res {
    lines(
        "Out-of-sample prediction: probability of the label",
        ts,
        &[("model", prob, STRATEGY)],
        false,
    )
}
