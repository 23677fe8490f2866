//! A model's quality over time: the classification metrics of each
//! out-of-sample window (one per refit, or every N scored bars), each
//! feature's drift as the population stability index of the window against
//! the rows its model was trained on, a trend per window, and thresholds
//! that fail a CI job when the latest windows fall below them.

use serde::Serialize;

use super::metrics::Classification;
use super::ModelRun;
use crate::metrics::risk::{percentile, sorted};

/// One scored window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// Scored bars `from..=to` (the first and last scored bar).
    pub from: usize,
    pub to: usize,
    /// The refit whose model made the window's first prediction.
    pub fit: usize,
    pub classification: Option<Classification>,
    /// Per feature, PSI of the window against that refit's training rows.
    pub psi: Vec<Option<f64>>,
}

/// How a metric moved against its recent past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Up,
    Down,
    Flat,
}

impl Trend {
    pub fn arrow(self) -> &'static str {
        match self {
            Trend::Up => "↑",
            Trend::Down => "↓",
            Trend::Flat => "→",
        }
    }
}

/// The metrics a window has, by name (higher is better but for log loss).
pub const METRICS: [&str; 7] = [
    "accuracy",
    "precision",
    "recall",
    "f1",
    "roc_auc",
    "log_loss",
    "base_rate",
];

/// A window's metric by name.
pub fn metric(w: &Window, name: &str) -> Option<f64> {
    let c = w.classification.as_ref()?;
    match name {
        "accuracy" => Some(c.accuracy),
        "precision" => c.precision,
        "recall" => c.recall,
        "f1" => c.f1,
        "roc_auc" => c.roc_auc,
        "log_loss" => Some(c.log_loss),
        "base_rate" => Some(c.base_rate),
        "rows" => Some(c.rows as f64),
        _ => None,
    }
}

/// The population stability index of `actual` against `expected`: ten
/// bins at the deciles of `expected` (numpy's linear percentiles), each
/// share floored at 10⁻⁴, Σ (a − e)·ln(a / e). None when either is empty.
pub fn psi(expected: &[f64], actual: &[f64]) -> Option<f64> {
    let e: Vec<f64> = expected.iter().copied().filter(|x| x.is_finite()).collect();
    let a: Vec<f64> = actual.iter().copied().filter(|x| x.is_finite()).collect();
    if e.is_empty() || a.is_empty() {
        return None;
    }
    let s = sorted(&e);
    let edges: Vec<f64> = (1..10)
        .filter_map(|k| percentile(&s, f64::from(k) * 10.0))
        .collect();
    let shares = |v: &[f64]| {
        let mut c = [0usize; 10];
        for x in v {
            c[edges.partition_point(|q| q < x)] += 1;
        }
        c.map(|k| (k as f64 / v.len() as f64).max(1e-4))
    };
    let (se, sa) = (shares(&e), shares(&a));
    Some(
        se.iter()
            .zip(&sa)
            .map(|(e, a)| (a - e) * (a / e).ln())
            .sum(),
    )
}

/// The windows of `run`: one per refit, or with `every` a window of that
/// many scored bars at a time.
pub fn windows(run: &ModelRun, every: Option<usize>) -> Vec<Window> {
    let scored = run.scored_bars();
    let groups: Vec<&[usize]> = match every {
        Some(k) => scored.chunks(k.max(1)).collect(),
        None => {
            let mut out = Vec::new();
            let mut start = 0;
            for i in 1..=scored.len() {
                let fit = |t: usize| run.retrains.partition_point(|&r| r <= t);
                if i == scored.len() || fit(scored[i]) != fit(scored[start]) {
                    out.push(&scored[start..i]);
                    start = i;
                }
            }
            out
        }
    };
    groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|bars| {
            let first = bars[0];
            let k = run.retrains.partition_point(|&r| r <= first).max(1) - 1;
            let fit = run.retrains[k];
            let valid = |i: usize| run.features.iter().all(|f| f[i].is_finite());
            let train: Vec<usize> = run.schedule.window(fit).filter(|&i| valid(i)).collect();
            let psi = run
                .features
                .iter()
                .map(|f| {
                    let e: Vec<f64> = train.iter().map(|&i| f[i]).collect();
                    let a: Vec<f64> = bars.iter().map(|&i| f[i]).collect();
                    psi(&e, &a)
                })
                .collect();
            Window {
                from: first,
                to: bars[bars.len() - 1],
                fit,
                classification: run.classification_on(bars),
                psi,
            }
        })
        .collect()
}

/// Window `i`'s `metric` against the mean of the (up to) `k` windows
/// before it: up or down by more than `tolerance`, or flat.
pub fn trend(windows: &[Window], i: usize, name: &str, k: usize, tolerance: f64) -> Option<Trend> {
    let now = metric(&windows[i], name)?;
    let past: Vec<f64> = windows[i.saturating_sub(k)..i]
        .iter()
        .filter_map(|w| metric(w, name))
        .collect();
    if past.is_empty() {
        return None;
    }
    let mean = past.iter().sum::<f64>() / past.len() as f64;
    Some(if now > mean + tolerance {
        Trend::Up
    } else if now < mean - tolerance {
        Trend::Down
    } else {
        Trend::Flat
    })
}

/// A threshold: fail when `metric` of the last window (or the mean of the
/// last `last`) is below (or, for `above`, over) `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub metric: String,
    pub value: f64,
    pub above: bool,
}

impl Threshold {
    /// `accuracy=0.52`; `above` for `--fail-above log_loss=0.7`.
    pub fn parse(s: &str, above: bool) -> Result<Threshold, String> {
        let (m, v) = s
            .split_once('=')
            .ok_or(format!("'{s}': expected METRIC=VALUE, e.g. accuracy=0.52"))?;
        let m = m.trim();
        if !METRICS.contains(&m) {
            return Err(format!(
                "'{m}' is not a window metric: expected one of {}",
                METRICS.join(", ")
            ));
        }
        let value: f64 = v
            .trim()
            .parse()
            .map_err(|_| format!("'{v}' is not a number"))?;
        Ok(Threshold {
            metric: m.to_string(),
            value,
            above,
        })
    }

    /// Why the windows fail this threshold, or None.
    pub fn breach(&self, windows: &[Window], last: usize) -> Option<String> {
        let tail = &windows[windows.len().saturating_sub(last.max(1))..];
        let values: Vec<f64> = tail
            .iter()
            .filter_map(|w| metric(w, &self.metric))
            .collect();
        if values.is_empty() {
            return None;
        }
        let v = values.iter().sum::<f64>() / values.len() as f64;
        let bad = if self.above {
            v > self.value
        } else {
            v < self.value
        };
        let first = windows.len() - tail.len() + 1;
        let which = if tail.len() == 1 {
            format!("window {first}")
        } else {
            format!("the mean of windows {first}–{}", windows.len())
        };
        bad.then(|| {
            format!(
                "{which}: {} {v:.4} is {} {}",
                self.metric,
                if self.above { "above" } else { "below" },
                self.value
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psi_by_hand() {
        // The same distribution: 0.
        let e: Vec<f64> = (0..100).map(f64::from).collect();
        assert!(psi(&e, &e).unwrap().abs() < 1e-12);
        // Deciles of 0..99 at 9.9, 19.8, …; an actual all in the top bin:
        // shares a = (1e-4 × 9, 1), e = 0.1 each:
        // 9 × (1e-4 − 0.1)·ln(1e-4/0.1) + (1 − 0.1)·ln(1/0.1).
        let a = vec![99.0; 20];
        let want = 9.0 * (1e-4 - 0.1) * (1e-4f64 / 0.1).ln() + 0.9 * 10f64.ln();
        assert!((psi(&e, &a).unwrap() - want).abs() < 1e-12);
        assert_eq!(psi(&[], &a), None);
    }

    #[test]
    fn thresholds() {
        let t = Threshold::parse("accuracy=0.52", false).unwrap();
        assert_eq!((t.metric.as_str(), t.value), ("accuracy", 0.52));
        assert!(Threshold::parse("sharpe=1", false)
            .unwrap_err()
            .contains("not a window metric"));
        assert!(Threshold::parse("accuracy", false).is_err());
    }
}
