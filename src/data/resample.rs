//! OHLCV resampling to a coarser bar: bins aligned to midnight UTC,
//! left-closed and labelled by their start, empty bins dropped — the rows of
//! pandas' `resample(rule, label="left", closed="left")` then `dropna()`.
//!
//! Candles are strictly increasing in time, so every bin is one contiguous
//! run of rows and one pass over the slices aggregates them (first open, max
//! high, min low, last close, summed volume).

use super::time::{parse_duration, DAY_MS};
use super::Candles;
use crate::error::{Error, Result};

/// A resampling rule: a fixed bin width, or calendar weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Bins of this many milliseconds, counted from midnight UTC of the first
    /// bar's day (pandas' default `origin="start_day"`).
    Fixed(i64),
    /// Weeks starting Monday 00:00 UTC (pandas' `W-MON` with left labels).
    Weeks(i64),
}

impl Rule {
    /// Parses `30m`, `1h`, `4h`, `1d`, `1w`, ...
    pub fn parse(s: &str) -> Result<Rule> {
        let ms = parse_duration(s).ok_or_else(|| {
            Error::Usage(format!(
                "invalid resample rule '{s}': expected a positive count and a unit, e.g. 15m, 1h, 4h, 1d, 1w"
            ))
        })?;
        if s.trim().ends_with('w') {
            Ok(Rule::Weeks(ms / (7 * DAY_MS)))
        } else if ms < 1000 {
            Err(Error::Usage(format!(
                "resample rule '{s}' is shorter than one second"
            )))
        } else {
            Ok(Rule::Fixed(ms))
        }
    }

    /// A bin's length in milliseconds.
    pub fn width(self) -> i64 {
        match self {
            Rule::Fixed(w) => w,
            Rule::Weeks(k) => 7 * DAY_MS * k,
        }
    }

    /// The start of the bin holding `t`, given the first bar's time.
    pub fn bin(self, t: i64, first: i64) -> i64 {
        match self {
            Rule::Fixed(w) => {
                let origin = first.div_euclid(DAY_MS) * DAY_MS;
                origin + (t - origin).div_euclid(w) * w
            }
            Rule::Weeks(k) => {
                // Day 4 since the epoch (1970-01-05) is a Monday.
                let w = 7 * DAY_MS * k;
                let monday = 4 * DAY_MS;
                let first_week = monday + (first - monday).div_euclid(7 * DAY_MS) * 7 * DAY_MS;
                first_week + (t - first_week).div_euclid(w) * w
            }
        }
    }
}

/// Aggregates candles into bins of `rule`. The result keeps the source path
/// and format and recomputes the bar spacing.
pub fn resample(c: &Candles, rule: Rule) -> Candles {
    let n = c.len();
    let mut out = c.clone_meta();
    let Some(&first) = c.ts.first() else {
        return out;
    };
    let mut i = 0;
    while i < n {
        let bin = rule.bin(c.ts[i], first);
        let (mut hi, mut lo, mut vol) = (c.high[i], c.low[i], c.volume[i]);
        let mut j = i + 1;
        while j < n && rule.bin(c.ts[j], first) == bin {
            hi = hi.max(c.high[j]);
            lo = lo.min(c.low[j]);
            vol += c.volume[j];
            j += 1;
        }
        out.ts.push(bin);
        out.open.push(c.open[i]);
        out.high.push(hi);
        out.low.push(lo);
        out.close.push(c.close[j - 1]);
        out.volume.push(vol);
        i = j;
    }
    out.detect_spacing();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Format, RowOrigin};

    fn hourly(hours: &[i64]) -> Candles {
        let n = hours.len();
        let px: Vec<f64> = (0..n).map(|i| 10.0 + i as f64).collect();
        Candles {
            source: "t.csv".into(),
            format: Format::Csv,
            columns: vec![],
            origin: RowOrigin::Line(2),
            ts: hours.iter().map(|h| h * 3_600_000).collect(),
            open: px.clone(),
            high: px.iter().map(|p| p + 0.5).collect(),
            low: px.iter().map(|p| p - 0.5).collect(),
            close: px,
            volume: vec![1.0; n],
            has_volume: true,
            spacing_ms: 3_600_000,
        }
    }

    #[test]
    fn four_hour_bins_from_midnight() {
        // Hours 1,2 fall in [0,4); 5 in [4,8); 9 and 11 in [8,12).
        let r = resample(&hourly(&[1, 2, 5, 9, 11]), Rule::parse("4h").unwrap());
        assert_eq!(r.ts, vec![0, 4 * 3_600_000, 8 * 3_600_000]);
        assert_eq!(r.open, vec![10.0, 12.0, 13.0]);
        assert_eq!(r.close, vec![11.0, 12.0, 14.0]);
        assert_eq!(r.high, vec![11.5, 12.5, 14.5]);
        assert_eq!(r.low, vec![9.5, 11.5, 12.5]);
        assert_eq!(r.volume, vec![2.0, 1.0, 2.0]);
    }

    #[test]
    fn weeks_start_monday() {
        // 1970-01-01 (Thu) and 1970-01-04 (Sun) are in the week of Mon 1969-12-29;
        // 1970-01-05 (Mon) starts the next week.
        let c = hourly(&[0, 72, 96]);
        let r = resample(&c, Rule::parse("1w").unwrap());
        assert_eq!(r.ts, vec![-3 * DAY_MS, 4 * DAY_MS]);
        assert_eq!(r.volume, vec![2.0, 1.0]);
    }

    #[test]
    fn bad_rules() {
        assert!(Rule::parse("0h").is_err());
        assert!(Rule::parse("1y").is_err());
        assert!(Rule::parse("500ms").is_err());
    }
}
