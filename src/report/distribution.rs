//! The Distribution section of a run report: the period returns (daily for
//! daily and intraday bars) and the monthly returns as histograms, each
//! with the normal density of the same mean and sample std drawn over it and
//! the historical 95 % value at risk marked.

use plotters::prelude::*;

use super::charts::{bounds, draw_svg, err, frame, legend, Res, H, LOSS, STRATEGY};
use super::doc::Doc;
use crate::metrics::returns::{period_returns, periods};
use crate::metrics::risk::{percentile, sorted, Welford};

/// A histogram of `r` (fractions) in percent, the normal fit over it and
/// the 95 % VaR (the 5th percentile) as a vertical line.
fn histogram_normal(title: &str, r: &[f64]) -> Res {
    let pct: Vec<f64> = r
        .iter()
        .filter(|x| x.is_finite())
        .map(|x| x * 100.0)
        .collect();
    let mut w = Welford::default();
    pct.iter().for_each(|x| w.push(*x));
    let var = percentile(&sorted(&pct), 5.0);
    let (lo, hi) = bounds(pct.iter().copied());
    let bins = 40usize;
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for x in &pct {
        counts[(((x - lo) / width) as usize).min(bins - 1)] += 1;
    }
    // The normal density scaled to counts: n · width · φ((x − μ)/σ)/σ.
    let normal: Vec<(f64, f64)> = match (w.mean(), w.std()) {
        (Some(mu), Some(sd)) if sd > 0.0 => (0..=200)
            .map(|i| {
                let x = lo + (hi - lo) * i as f64 / 200.0;
                let z = (x - mu) / sd;
                let y = pct.len() as f64 * width * (-0.5 * z * z).exp()
                    / (sd * (2.0 * std::f64::consts::PI).sqrt());
                (x, y)
            })
            .collect(),
        _ => Vec::new(),
    };
    let top = counts
        .iter()
        .map(|&c| f64::from(c))
        .chain(normal.iter().map(|p| p.1))
        .fold(1.0f64, f64::max)
        * 1.1;
    draw_svg(H, |root| {
        let mut chart = frame(root, title, 28, 50)
            .build_cartesian_2d(lo..hi, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(5)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &c)| {
                let x0 = lo + i as f64 * width;
                Rectangle::new(
                    [(x0, 0.0), (x0 + width * 0.92, f64::from(c))],
                    STRATEGY.mix(0.55).filled(),
                )
            }))
            .map_err(err)?
            .label(format!("{} returns", pct.len()))
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 14, y + 5)], STRATEGY.mix(0.55).filled())
            });
        if !normal.is_empty() {
            chart
                .draw_series(LineSeries::new(normal, BLACK.stroke_width(2)))
                .map_err(err)?
                .label("normal fit")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(2))
                });
        }
        if let Some(v) = var {
            chart
                .draw_series(LineSeries::new([(v, 0.0), (v, top)], LOSS.stroke_width(2)))
                .map_err(err)?
                .label(format!("VaR 95 %: {v:.2} %"))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], LOSS.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// The section: the period returns' histogram and, when the period is
/// shorter than a month, the monthly returns' too.
pub fn section(doc: &mut Doc, ts: &[i64], equity: &[f64]) -> Result<(), String> {
    let spacing = crate::data::median_spacing(ts);
    let p = periods(ts, spacing);
    let name = match p.rule {
        'D' => "Daily",
        'W' => "Weekly",
        'M' => "Monthly",
        _ => "Yearly",
    };
    doc.heading("distribution", "Distribution of returns");
    let r = period_returns(ts, equity, p.rule);
    doc.blocks.push(super::doc::Block::Chart(histogram_normal(
        &format!("Distribution of {} returns (%)", name.to_lowercase()),
        &r,
    )?));
    if matches!(p.rule, 'D' | 'W') {
        let m = period_returns(ts, equity, 'M');
        doc.blocks.push(super::doc::Block::Chart(histogram_normal(
            "Distribution of monthly returns (%)",
            &m,
        )?));
    }
    Ok(())
}
