//! Report charts drawn with plotters into SVG strings: equity against buy
//! and hold, drawdown, monthly returns, trade returns, price with trades and
//! rolling Sharpe. Text uses the bundled DejaVu Sans, so no system font is
//! needed.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::text_anchor;

use crate::data::time::{civil_from_days, format_ms, DAY_MS};

static FONT: Once = Once::new();

pub(super) fn register_font() {
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

pub(super) const W: u32 = 720;
pub(super) const H: u32 = 270;
pub(super) const STRATEGY: RGBColor = RGBColor(31, 119, 180);
pub(super) const BENCH: RGBColor = RGBColor(160, 160, 160);
const LOSS: RGBColor = RGBColor(214, 39, 40);
const GAIN: RGBColor = RGBColor(44, 160, 44);

pub(super) type Res = Result<String, String>;

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

fn bounds(v: impl Iterator<Item = f64>) -> (f64, f64) {
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

/// A round step (1, 2 or 5 × 10^k) giving about `target` ticks over `span`.
fn nice_step(span: f64, target: f64) -> f64 {
    let raw = (span / target).max(1e-12);
    let mag = 10f64.powf(raw.log10().floor());
    let m = match raw / mag {
        r if r < 1.5 => 1.0,
        r if r < 3.5 => 2.0,
        r if r < 7.5 => 5.0,
        _ => 10.0,
    };
    m * mag
}

/// Round tick values between `lo` and `hi`.
fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let step = nice_step(hi - lo, 5.0);
    let (a, b) = ((lo / step).ceil() as i64, (hi / step).floor() as i64);
    (a..=b).map(|i| i as f64 * step).collect()
}

/// Ticks of a log axis (given in ln units) at round values: 1, 2 and 5 ×
/// 10^k (with 3 × 10^k when that gives too few), thinned to powers of ten on
/// a wide range, and plain round steps on a narrow one.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    // exp(ln v) may land a hair inside or outside v: allow 1e-9.
    let (a, b) = (lo.exp() * (1.0 - 1e-9), hi.exp() * (1.0 + 1e-9));
    let within = |ms: &[f64]| -> Vec<f64> {
        let (k0, k1) = (a.log10().floor() as i32, b.log10().ceil() as i32);
        (k0..=k1)
            .flat_map(|k| ms.iter().map(move |m| m * 10f64.powi(k)))
            .filter(|v| (a..=b).contains(v))
            .map(f64::ln)
            .collect()
    };
    let ticks = within(&[1.0, 2.0, 5.0]);
    if ticks.len() > 8 {
        return within(&[1.0]);
    }
    if ticks.len() >= 4 {
        return ticks;
    }
    let denser = within(&[1.0, 2.0, 3.0, 5.0]);
    if denser.len() >= 3 {
        return denser;
    }
    linear_ticks(a, b)
        .into_iter()
        .filter(|v| *v > 0.0)
        .map(f64::ln)
        .collect()
}

/// A line chart of one or two series over bar indices, dates on the x axis.
pub(super) fn lines(
    title: &str,
    ts: &[i64],
    series: &[(&str, &[f64], RGBColor)],
    log: bool,
) -> Res {
    register_font();
    let n = ts.len();
    let k = step(n);
    let tf = |v: f64| if log { v.max(1e-12).ln() } else { v };
    let (lo, hi) = bounds(series.iter().flat_map(|(_, s, _)| s.iter().map(|v| tf(*v))));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(70)
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
            .y_label_formatter(&|y| format!("{y:.2}"))
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
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.3))
                .label_font(("sans-serif", 12))
                .draw()
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Equity against buy and hold (both starting at the initial cash).
pub fn equity(ts: &[i64], equity: &[f64], close: &[f64], log: bool) -> Res {
    let cash = equity.first().copied().unwrap_or(1.0);
    let first = close.first().copied().unwrap_or(1.0);
    let bench: Vec<f64> = close.iter().map(|c| c / first * cash).collect();
    let title = if log {
        "Equity against buy and hold (log scale)"
    } else {
        "Equity against buy and hold"
    };
    lines(
        title,
        ts,
        &[
            ("strategy", equity, STRATEGY),
            ("buy and hold", &bench, BENCH),
        ],
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
fn label_at(x: f64, labels: &[String]) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

/// Monthly returns as a years × months grid with the values printed.
pub fn monthly_heatmap(ts: &[i64], equity: &[f64]) -> Res {
    register_font();
    // Last equity of each month.
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
    let years: Vec<i64> = {
        let mut y: Vec<i64> = cells.iter().map(|c| c.0).collect();
        y.dedup();
        y
    };
    let h = (60 + 24 * years.len() as u32).max(120);
    let max = cells
        .iter()
        .map(|c| c.2.abs())
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Monthly returns (%)", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(50)
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
                    ("sans-serif", 11),
                )))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
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
    register_font();
    let vals: Vec<f64> = values.iter().copied().filter(|r| r.is_finite()).collect();
    let (lo, hi) = bounds(vals.iter().copied());
    let bins = 30usize;
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for r in &vals {
        counts[(((r - lo) / width) as usize).min(bins - 1)] += 1;
    }
    let top = f64::from(counts.iter().copied().max().unwrap_or(1).max(1)) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(50)
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
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The objective over a 2-parameter grid: x values × y values, cells coloured
/// from worst to best with the value printed; missing points stay blank.
pub fn param_heatmap(
    title: &str,
    xs: &[f64],
    ys: &[f64],
    cells: &[(f64, f64, f64)],
    higher_better: bool,
) -> Res {
    register_font();
    let (lo, hi) = cells
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| {
            (a.min(c.2), b.max(c.2))
        });
    let h = (80 + 22 * ys.len() as u32).clamp(160, 900);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(50)
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
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The best objective after each generation of a genetic search.
pub fn convergence(values: &[f64]) -> Res {
    let ts: Vec<i64> = (0..values.len() as i64).collect();
    lines_plain("Convergence: best objective by generation", &ts, values)
}

fn lines_plain(title: &str, xs: &[i64], ys: &[f64]) -> Res {
    register_font();
    let (lo, hi) = bounds(ys.iter().copied());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(70)
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
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Closing prices of the last `last` bars with entry (▲) and exit (▼) marks.
pub fn price_with_trades(
    ts: &[i64],
    close: &[f64],
    trades: &[(usize, usize, bool)],
    last: usize,
) -> Res {
    register_font();
    let n = ts.len();
    let from = n.saturating_sub(last);
    let tsw = &ts[from..];
    let cw = &close[from..];
    let mut svg = String::new();
    let (lo, hi) = bounds(cw.iter().copied());
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Price and trades (last {} bars)", cw.len()),
                ("sans-serif", 16),
            )
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(70)
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
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_sit_at_round_values() {
        let t: Vec<f64> = linear_ticks(-0.2, 0.93)
            .into_iter()
            .map(|x| (x * 1e9).round() / 1e9)
            .collect();
        assert_eq!(t, vec![-0.2, 0.0, 0.2, 0.4, 0.6, 0.8]);
        // GOOG's buy and hold: 8,000 to 80,000 → 10,000, 20,000, 30,000, 50,000.
        let t: Vec<f64> = log_ticks(8000f64.ln(), 80000f64.ln())
            .into_iter()
            .map(|x| x.exp().round())
            .collect();
        assert_eq!(t, vec![10000.0, 20000.0, 30000.0, 50000.0]);
        // A wide range keeps powers of ten only: 1, 10, …, 10^6.
        assert_eq!(log_ticks(1f64.ln(), 1e6f64.ln()).len(), 7);
        // A narrow one falls back to round steps: 100 to 130.
        let t: Vec<f64> = log_ticks(100f64.ln(), 130f64.ln())
            .into_iter()
            .map(|x| (x.exp() * 1e6).round() / 1e6)
            .collect();
        assert_eq!(t, vec![100.0, 105.0, 110.0, 115.0, 120.0, 125.0, 130.0]);
    }
}
