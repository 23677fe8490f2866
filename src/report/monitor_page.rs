//! The `ml monitor` report: each window metric over time with its rolling
//! mean, and every feature's PSI per window, with the table of windows.

use plotters::style::RGBColor;

use super::charts::{lines, BENCH, GAIN, LOSS, STRATEGY};
use super::doc::Doc;
use crate::format::number_text;
use crate::ml::monitor::{metric, Window, METRICS};

/// Windows in the rolling mean of the charts.
const ROLLING: usize = 5;

/// Colours of the PSI lines, repeated past the fourth feature.
const COLOURS: [RGBColor; 6] = [
    STRATEGY,
    LOSS,
    GAIN,
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    BENCH,
];

/// The trailing mean of up to `k` defined values ending at each index.
fn rolling(v: &[f64], k: usize) -> Vec<f64> {
    (0..v.len())
        .map(|i| {
            let w: Vec<f64> = v[i.saturating_sub(k - 1)..=i]
                .iter()
                .copied()
                .filter(|x| x.is_finite())
                .collect();
            if w.is_empty() {
                f64::NAN
            } else {
                w.iter().sum::<f64>() / w.len() as f64
            }
        })
        .collect()
}

/// The document; `ts` is each window's last bar time.
pub fn monitor_document(
    name: &str,
    data: &str,
    ts: &[i64],
    windows: &[Window],
    features: &[String],
) -> Result<Doc, String> {
    let mut doc = Doc::new(
        format!("Model monitor: {name}"),
        format!("{data} · {} windows", windows.len()),
    );
    for m in METRICS {
        let v: Vec<f64> = windows
            .iter()
            .map(|w| metric(w, m).unwrap_or(f64::NAN))
            .collect();
        let r = rolling(&v, ROLLING);
        let svg = lines(
            &format!("{m} per window, and its rolling mean of {ROLLING}"),
            ts,
            &[(m, &v, STRATEGY), ("rolling mean", &r, BENCH)],
            false,
        )?;
        doc.chart(m, m, svg);
    }
    let psi: Vec<Vec<f64>> = (0..features.len())
        .map(|k| {
            windows
                .iter()
                .map(|w| w.psi[k].unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let series: Vec<(&str, &[f64], RGBColor)> = features
        .iter()
        .zip(&psi)
        .enumerate()
        .map(|(i, (n, v))| (n.as_str(), v.as_slice(), COLOURS[i % COLOURS.len()]))
        .collect();
    doc.chart(
        "psi",
        "Feature drift",
        lines(
            "PSI of each feature against its window's training rows (0.1: a shift, 0.25: a large one)",
            ts,
            &series,
            false,
        )?,
    );
    doc.heading("windows", format!("Windows ({})", windows.len()));
    let mut head = vec!["#", "rows"];
    head.extend(METRICS);
    let rows = windows
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut r = vec![(i + 1).to_string(), number_text(metric(w, "rows"))];
            r.extend(METRICS.iter().map(|k| number_text(metric(w, k))));
            r
        })
        .collect();
    doc.table(&head, rows);
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_mean_by_hand() {
        let r = rolling(&[1.0, 3.0, f64::NAN, 5.0], 2);
        assert_eq!(r[..2], [1.0, 2.0]);
        assert_eq!(r[2], 3.0);
        assert_eq!(r[3], 5.0);
    }
}
