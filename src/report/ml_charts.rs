//! The model section's charts: calibration (observed frequency of the label
//! against the mean predicted probability, per tenth) and the prediction
//! over time.

use plotters::prelude::*;

use super::charts::{draw_svg, err, frame, legend, lines, Res, BENCH, H, STRATEGY};

/// Calibration: one point per non-empty bin (mean prediction, observed
/// rate), sized by nothing, joined by a line; the diagonal is perfect.
pub fn calibration(points: &[(f64, f64, usize)]) -> Res {
    draw_svg(H, |root| {
        let mut chart = frame(
            root,
            "Calibration: observed rate of the label by predicted probability",
            40,
            70,
        )
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
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })
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

/// Permutation importance: one bar per feature (the mean drop in ROC AUC)
/// with a whisker of ± one standard deviation, most important first.
pub fn importance(names: &[String], mean: &[f64], std: &[f64]) -> Res {
    let n = names.len().max(1);
    let (lo, hi) = super::charts::bounds(
        mean.iter()
            .zip(std)
            .flat_map(|(m, s)| [m - s, m + s, 0.0])
            .filter(|v| v.is_finite()),
    );
    draw_svg(H, |root| {
        let mut chart = frame(
            root,
            "Permutation importance: drop in ROC AUC when shuffled",
            40,
            60,
        )
        .build_cartesian_2d(-0.5f64..n as f64 - 0.5, lo..hi)
        .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(n)
            .y_labels(6)
            .x_label_formatter(&|x| super::charts::label_at(*x, names))
            .y_label_formatter(&|y| format!("{y:.3}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(mean.iter().enumerate().map(|(i, &m)| {
                let x = i as f64;
                Rectangle::new([(x - 0.35, 0.0), (x + 0.35, m)], STRATEGY.mix(0.8).filled())
            }))
            .map_err(err)?;
        chart
            .draw_series(mean.iter().zip(std).enumerate().map(|(i, (&m, &s))| {
                let x = i as f64;
                PathElement::new(vec![(x, m - s), (x, m + s)], BLACK.stroke_width(2))
            }))
            .map_err(err)?;
        let _ = BENCH;
        Ok(())
    })
}
