//! A summary of a candle file: size, period, spacing, columns, price range
//! and the counts behind the validation warnings.

use serde::Serialize;

use super::time::{all_midnight, format_duration_ms, format_ms, format_utc};
use super::validate::{gaps, weekday_only};
use super::Candles;

/// What `tradelab data info` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Info {
    pub file: String,
    pub format: &'static str,
    pub bars: usize,
    /// First and last bar, ISO-8601 UTC.
    pub start: String,
    pub end: String,
    pub median_spacing_seconds: f64,
    /// The median spacing as text, e.g. `1d`, `1h`.
    pub median_spacing: String,
    pub weekday_only: bool,
    pub columns: Vec<String>,
    pub has_volume: bool,
    pub price_min: f64,
    pub price_max: f64,
    pub first_close: f64,
    pub last_close: f64,
    /// Bars after a gap longer than 1.5x the median spacing.
    pub gaps: usize,
    pub zero_volume_bars: usize,
}

impl Info {
    pub fn of(c: &Candles) -> Info {
        let n = c.len();
        let min = c.low.iter().copied().fold(f64::INFINITY, f64::min);
        let max = c.high.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Info {
            file: c.source.display().to_string(),
            format: c.format.name(),
            bars: n,
            start: c.ts.first().map(|&t| format_utc(t)).unwrap_or_default(),
            end: c.ts.last().map(|&t| format_utc(t)).unwrap_or_default(),
            median_spacing_seconds: c.spacing_ms as f64 / 1000.0,
            median_spacing: format_duration_ms(c.spacing_ms),
            weekday_only: weekday_only(&c.ts),
            columns: c.columns.clone(),
            has_volume: c.has_volume,
            price_min: min,
            price_max: max,
            first_close: c.close.first().copied().unwrap_or(f64::NAN),
            last_close: c.close.last().copied().unwrap_or(f64::NAN),
            gaps: gaps(c).map_or(0, |f| f.count),
            zero_volume_bars: if c.has_volume {
                c.volume.iter().filter(|&&v| v == 0.0).count()
            } else {
                0
            },
        }
    }

    /// The period as it reads best: dates for daily data, date-times otherwise.
    pub fn period(c: &Candles) -> (String, String) {
        let d = all_midnight(&c.ts);
        let f = |t: Option<&i64>| t.map(|&t| format_ms(t, d)).unwrap_or_default();
        (f(c.ts.first()), f(c.ts.last()))
    }
}
