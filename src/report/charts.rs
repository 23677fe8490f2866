//! Report charts drawn with plotters into SVG strings: equity against buy
//! and hold, drawdown, monthly returns, histograms, price with trades and
//! rolling Sharpe, and the canvas and legend every chart shares. Text uses the bundled DejaVu Sans, so no system font is
//! needed.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;

use super::ticks::log_ticks;
use crate::data::time::{civil_from_days, format_ms, DAY_MS};

static FONT: Once = Once::new();

fn register_font() {
    FONT.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // The bundled file is a valid font; a failure here is a build defect.
            if plotters::style::register_font("sans-serif", style, bytes).is_err() {
                panic!("the bundled DejaVu Sans font does not parse");
            }
        }
    });
}

const W: u32 = 720;
pub(super) const H: u32 = 270;
pub(super) const STRATEGY: RGBColor = RGBColor(31, 119, 180);
pub(super) const BENCH: RGBColor = RGBColor(160, 160, 160);
pub(super) const LOSS: RGBColor = RGBColor(214, 39, 40);
pub(super) const GAIN: RGBColor = RGBColor(44, 160, 44);

pub(super) type Res = Result<String, String>;

/// Draws one chart of height `h` (width `W`) on a white SVG canvas.
pub(super) fn draw_svg(
    h: u32,
    f: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Res {
    register_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        f(&root)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A chart's frame: its title and the room for the axis labels.
pub(super) fn frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    title: impl AsRef<str>,
    x_labels: u32,
    y_labels: u32,
) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut b = ChartBuilder::on(root);
    b.caption(title, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(x_labels)
        .y_label_area_size(y_labels);
    b
}

/// The legend of a chart's labelled series, boxed, at `position`.
pub(super) fn legend<'a, 'b: 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(err)
}

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

pub(super) fn bounds(v: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = v
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-9);
    (lo - pad, hi + pad)
}

/// Every k-th point so that a chart never holds more than ~2000 of them.
fn step(n: usize) -> usize {
    (n / 2000).max(1)
}

/// A line chart of one or two series over bar indices, dates on the x axis.
pub(super) fn lines(
    title: &str,
    ts: &[i64],
    series: &[(&str, &[f64], RGBColor)],
    log: bool,
) -> Res {
    lines_h(title, ts, series, log, H)
}

/// `lines` at height `h`.
pub(super) fn lines_h(
    title: &str,
    ts: &[i64],
    series: &[(&str, &[f64], RGBColor)],
    log: bool,
    h: u32,
) -> Res {
    let n = ts.len();
    let k = step(n);
    let tf = |v: f64| if log { v.max(1e-12).ln() } else { v };
    let (lo, hi) = bounds(series.iter().flat_map(|(_, s, _)| s.iter().map(|v| tf(*v))));
    // Wide ranges print whole numbers (500, not 500.00).
    let digits = match hi - lo {
        r if r >= 50.0 => 0,
        r if r >= 5.0 => 1,
        _ => 2,
    };
    draw_svg(h, |root| {
        let mut chart = frame(root, title, 28, 70)
            .build_cartesian_2d(0f64..(n.max(2) - 1) as f64, lo..hi)
            .map_err(err)?;
        // A log axis gets its ticks at round values, drawn below; plotters'
        // own would sit at round logarithms (e^k).
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(if log { 0 } else { 6 })
            .x_label_formatter(&|x| {
                ts.get(*x as usize)
                    .map_or(String::new(), |&t| format_ms(t, true))
            })
            .y_label_formatter(&|y| format!("{y:.*}", digits, y = y))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        if log {
            let x_end = (n.max(2) - 1) as f64;
            for t in log_ticks(lo, hi) {
                chart
                    .draw_series(LineSeries::new(
                        [(0.0, t), (x_end, t)],
                        BLACK.mix(0.2).stroke_width(1),
                    ))
                    .map_err(err)?;
                let (px, py) = chart.backend_coord(&(0.0, t));
                let v = t.exp();
                // Round values print as such: 20000, 0.5, 1.25.
                let digits = (2 - v.log10().floor() as i32).max(0) as usize;
                let label = format!("{:.*}", digits, (v * 1e6).round() / 1e6);
                let style =
                    ("sans-serif", 12)
                        .into_font()
                        .color(&BLACK)
                        .pos(text_anchor::Pos::new(
                            text_anchor::HPos::Right,
                            text_anchor::VPos::Center,
                        ));
                root.draw(&Text::new(label, (px - 6, py), style))
                    .map_err(err)?;
            }
        }
        for (name, s, color) in series {
            let pts = (0..n)
                .step_by(k)
                .filter(|&i| s[i].is_finite())
                .map(|i| (i as f64, tf(s[i])));
            chart
                .draw_series(LineSeries::new(pts, color.stroke_width(2)))
                .map_err(err)?
                .label(*name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
        }
        if series.len() > 1 {
            legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        }
        Ok(())
    })
}

/// Equity against the benchmark `close` named `name` (both starting at the
/// initial cash; the benchmark from its first known value).
pub fn equity(ts: &[i64], equity: &[f64], close: &[f64], name: &str, log: bool) -> Res {
    let cash = equity.first().copied().unwrap_or(1.0);
    let first = close.iter().copied().find(|c| c.is_finite()).unwrap_or(1.0);
    let bench: Vec<f64> = close.iter().map(|c| c / first * cash).collect();
    let title = if log {
        format!("Equity against {name} (log scale)")
    } else {
        format!("Equity against {name}")
    };
    lines(
        &title,
        ts,
        &[("strategy", equity, STRATEGY), (name, &bench, BENCH)],
        log,
    )
}

/// The fall from the running peak (underwater curve), in percent.
pub fn drawdown(ts: &[i64], equity: &[f64]) -> Res {
    let mut peak = f64::NEG_INFINITY;
    let dd: Vec<f64> = equity
        .iter()
        .map(|&e| {
            peak = peak.max(e);
            (e / peak - 1.0) * 100.0
        })
        .collect();
    lines("Drawdown (%)", ts, &[("drawdown", &dd, LOSS)], false)
}

/// Rolling Sharpe ratio over `window` bars (annualized with `ann`).
pub fn rolling_sharpe(ts: &[i64], equity: &[f64], window: usize, ann: f64) -> Res {
    let n = equity.len();
    let r: Vec<f64> = (0..n)
        .map(|i| {
            if i == 0 {
                0.0
            } else {
                equity[i] / equity[i - 1] - 1.0
            }
        })
        .collect();
    let mut out = vec![f64::NAN; n];
    let (mut s, mut ss) = (0.0, 0.0);
    for i in 0..n {
        s += r[i];
        ss += r[i] * r[i];
        if i >= window {
            s -= r[i - window];
            ss -= r[i - window] * r[i - window];
        }
        if i + 1 >= window && window > 1 {
            let w = window as f64;
            let var = (ss - s * s / w) / (w - 1.0);
            out[i] = if var > 0.0 {
                s / w / var.sqrt() * ann.sqrt()
            } else {
                f64::NAN
            };
        }
    }
    lines(
        "Rolling 6-month Sharpe ratio",
        ts,
        &[("sharpe", &out, STRATEGY)],
        false,
    )
}

/// The label of a whole-number tick, or nothing between ticks.
pub(super) fn label_at(x: f64, labels: &[String]) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

/// Each calendar month's return (year, month 1–12, return): its last equity
/// over the previous month's last (the first over the first equity).
pub(crate) fn monthly_returns(ts: &[i64], equity: &[f64]) -> Vec<(i64, u32, f64)> {
    let mut months: Vec<((i64, u32), f64)> = Vec::new();
    for (&t, &e) in ts.iter().zip(equity) {
        let (y, m, _) = civil_from_days(t.div_euclid(DAY_MS));
        match months.last_mut() {
            Some((k, v)) if *k == (y, m) => *v = e,
            _ => months.push(((y, m), e)),
        }
    }
    let mut cells = Vec::new();
    let mut prev = equity.first().copied().unwrap_or(1.0);
    for &((y, m), e) in &months {
        cells.push((y, m, e / prev - 1.0));
        prev = e;
    }
    cells
}

/// Monthly returns as a years × months grid with the values printed.
pub fn monthly_heatmap(ts: &[i64], equity: &[f64]) -> Res {
    monthly_heatmap_within(ts, equity, u32::MAX)
}

/// `monthly_heatmap` at most `max_h` high: with many years the rows (and
/// their numbers) get thinner, down to 9 points a row.
pub fn monthly_heatmap_within(ts: &[i64], equity: &[f64], max_h: u32) -> Res {
    let cells = monthly_returns(ts, equity);
    let years: Vec<i64> = {
        let mut y: Vec<i64> = cells.iter().map(|c| c.0).collect();
        y.dedup();
        y
    };
    let rows = years.len().max(1) as u32;
    let row_h = (max_h.saturating_sub(60) / rows).clamp(9, 24);
    let h = (60 + row_h * rows).max(120);
    let font = (row_h as f64 * 0.46).clamp(7.0, 11.0);
    let max = cells
        .iter()
        .map(|c| c.2.abs())
        .fold(0.0f64, f64::max)
        .max(1e-9);
    draw_svg(h, |root| {
        let mut chart = frame(root, "Monthly returns (%)", 24, 50)
            .build_cartesian_2d(-0.5f64..11.5f64, -0.5f64..years.len() as f64 - 0.5)
            .map_err(err)?;
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(12)
            .y_labels(years.len())
            .y_label_style(("sans-serif", (font + 1.0).min(12.0)))
            .x_label_formatter(&|x| label_at(*x, &NAMES.map(String::from)))
            .y_label_formatter(&|y| {
                label_at(*y, &years.iter().map(|v| v.to_string()).collect::<Vec<_>>())
            })
            .draw()
            .map_err(err)?;
        for &(y, m, r) in &cells {
            // Cells are centred on whole numbers so the axis labels sit in their middle.
            let row = years.iter().position(|v| *v == y).unwrap_or(0) as f64 - 0.5;
            let col = f64::from(m - 1) - 0.5;
            let a = (r.abs() / max).min(1.0) * 0.85 + 0.1;
            let color = if r >= 0.0 { GAIN.mix(a) } else { LOSS.mix(a) };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(col, row), (col + 1.0, row + 1.0)],
                    color.filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{:.1}", r * 100.0),
                    (col + 0.3, row + 0.7),
                    ("sans-serif", font),
                )))
                .map_err(err)?;
        }
        Ok(())
    })
}

/// Distribution of closed trades' returns (percent).
pub fn trade_histogram(returns: &[f64]) -> Res {
    let pct: Vec<f64> = returns
        .iter()
        .map(|r| r * 100.0)
        .filter(|r| r.is_finite())
        .collect();
    histogram(
        &format!("Trade returns (%), {} trades", pct.len()),
        &pct,
        true,
    )
}

/// A histogram of `values` in 30 bins; `signed` colours bins by sign.
pub fn histogram(title: &str, values: &[f64], signed: bool) -> Res {
    histogram_marked(title, values, signed, None)
}

/// `histogram` with a vertical line at `mark` (e.g. the historical value).
pub fn histogram_marked(title: &str, values: &[f64], signed: bool, mark: Option<f64>) -> Res {
    let vals: Vec<f64> = values.iter().copied().filter(|r| r.is_finite()).collect();
    let (lo, hi) = bounds(vals.iter().copied().chain(mark.filter(|m| m.is_finite())));
    let bins = 30usize;
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for r in &vals {
        counts[(((r - lo) / width) as usize).min(bins - 1)] += 1;
    }
    let top = f64::from(counts.iter().copied().max().unwrap_or(1).max(1)) * 1.1;
    draw_svg(H, |root| {
        let mut chart = frame(root, title, 28, 50)
            .build_cartesian_2d(lo..hi, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(5)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &c)| {
                let x0 = lo + i as f64 * width;
                let color = match (signed, x0 + width / 2.0 >= 0.0) {
                    (false, _) => STRATEGY,
                    (true, true) => GAIN,
                    (true, false) => LOSS,
                };
                Rectangle::new(
                    [(x0, 0.0), (x0 + width * 0.95, f64::from(c))],
                    color.mix(0.8).filled(),
                )
            }))
            .map_err(err)?;
        if let Some(m) = mark.filter(|m| m.is_finite()) {
            chart
                .draw_series(LineSeries::new([(m, 0.0), (m, top)], BLACK.stroke_width(2)))
                .map_err(err)?
                .label("historical")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(2))
                });
            legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        Ok(())
    })
}

/// Closing prices of the last `last` bars with entry (▲) and exit (▼) marks.
/// The last `last` closes with entries (triangles), exits (crosses) and,
/// for entry orders, the bars where an order expired unfilled (hollow circles).
pub fn price_with_trades(
    ts: &[i64],
    close: &[f64],
    trades: &[(usize, usize, bool)],
    expired: &[usize],
    last: usize,
) -> Res {
    let n = ts.len();
    let from = n.saturating_sub(last);
    let tsw = &ts[from..];
    let cw = &close[from..];
    let (lo, hi) = bounds(cw.iter().copied());
    draw_svg(H, |root| {
        let mut chart = frame(
            root,
            format!("Price and trades (last {} bars)", cw.len()),
            28,
            70,
        )
        .build_cartesian_2d(0f64..(cw.len().max(2) - 1) as f64, lo..hi)
        .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_label_formatter(&|x| {
                tsw.get(*x as usize)
                    .map_or(String::new(), |&t| format_ms(t, true))
            })
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let k = step(cw.len());
        chart
            .draw_series(LineSeries::new(
                (0..cw.len()).step_by(k).map(|i| (i as f64, cw[i])),
                BENCH.stroke_width(1),
            ))
            .map_err(err)?;
        for &(entry, exit, long) in trades {
            let color = if long { GAIN } else { LOSS };
            if entry >= from {
                let x = (entry - from) as f64;
                chart
                    .draw_series(std::iter::once(TriangleMarker::new(
                        (x, cw[entry - from]),
                        6,
                        color.filled(),
                    )))
                    .map_err(err)?;
            }
            if exit >= from && exit < n {
                let x = (exit - from) as f64;
                chart
                    .draw_series(std::iter::once(Cross::new(
                        (x, cw[exit - from]),
                        5,
                        BLACK.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
        }
        for &bar in expired.iter().filter(|&&b| b >= from && b < n) {
            chart
                .draw_series(std::iter::once(Circle::new(
                    ((bar - from) as f64, cw[bar - from]),
                    5,
                    LOSS.stroke_width(2),
                )))
                .map_err(err)?;
        }
        Ok(())
    })
}
