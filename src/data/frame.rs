//! Conversion of `Candles` into a polars `DataFrame` for writing.

use polars::prelude::*;

use super::time::{all_midnight, format_ms};
use super::Candles;

/// How the time column is represented in the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeColumn {
    /// ISO text: `YYYY-MM-DD` for daily-or-coarser data, else `YYYY-MM-DDTHH:MM:SS`.
    IsoText,
    /// A polars `Datetime(ms)` column (UTC), for Parquet.
    Datetime,
}

/// The candles as a frame with columns timestamp, open, high, low, close and,
/// when the source had one, volume.
pub fn to_dataframe(c: &Candles, time: TimeColumn) -> PolarsResult<DataFrame> {
    let ts: Column = match time {
        TimeColumn::IsoText => {
            let date_only = all_midnight(&c.ts);
            let text: Vec<String> = c.ts.iter().map(|&t| format_ms(t, date_only)).collect();
            Column::new("timestamp".into(), text)
        }
        TimeColumn::Datetime => Column::new("timestamp".into(), &c.ts)
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?,
    };
    let mut cols = vec![
        ts,
        Column::new("open".into(), &c.open),
        Column::new("high".into(), &c.high),
        Column::new("low".into(), &c.low),
        Column::new("close".into(), &c.close),
    ];
    if c.has_volume {
        // Share and contract counts are integers: keep them so (no "1413.0").
        let integral = c
            .volume
            .iter()
            .all(|v| v.fract() == 0.0 && v.abs() < 9.0e15);
        cols.push(if integral {
            let ints: Vec<i64> = c.volume.iter().map(|&v| v as i64).collect();
            Column::new("volume".into(), ints)
        } else {
            Column::new("volume".into(), &c.volume)
        });
    }
    DataFrame::new(c.len(), cols)
}
