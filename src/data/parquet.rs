//! Parquet candle files: the same columns as CSV (any case), with the time
//! column stored as a datetime, a date, an integer epoch or ISO text.

use std::path::Path;

use polars::prelude::*;

use super::time::{EpochUnit, DAY_MS};
use super::{Candles, Format, RowOrigin, TIME_NAMES};
use crate::error::{Error, Location, Result};

pub(super) fn read(path: &Path) -> Result<Candles> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let unreadable = |msg: String| {
        let first = msg.lines().next().unwrap_or("").to_string();
        Error::unreadable(
            path,
            Location::File,
            format!("not a readable Parquet file: {first}"),
        )
    };
    // A corrupt file may make the reader panic: caught, it is an error.
    let df = crate::guard::catch(|| ParquetReader::new(file).finish())
        .map_err(unreadable)?
        .map_err(|e| unreadable(e.to_string()))?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let missing = |what: &str| {
        Error::unreadable(
            path,
            Location::File,
            format!(
                "missing required column '{what}' (columns: {})",
                names.join(", ")
            ),
        )
    };
    let find = |cands: &[&str]| {
        names
            .iter()
            .find(|n| cands.iter().any(|c| n.eq_ignore_ascii_case(c)))
            .cloned()
    };
    if df.height() == 0 {
        return Err(Error::unreadable(path, Location::File, "no data rows"));
    }
    let time_name = find(&TIME_NAMES).ok_or_else(|| missing("timestamp"))?;
    let ts = times(path, df.column(&time_name).expect("listed column"))?;
    let value = |name: &str| -> Result<Option<Vec<f64>>> {
        let Some(col_name) = find(&[name]) else {
            return Ok(None);
        };
        let col = df.column(&col_name).expect("listed column");
        let cast = col.cast(&DataType::Float64).map_err(|_| {
            let msg = format!(
                "column '{col_name}' has type {}, expected numbers",
                col.dtype()
            );
            Error::unreadable(path, Location::File, msg)
        })?;
        let ca = cast.f64().expect("cast to f64");
        if ca.null_count() > 0 {
            let row = ca.iter().position(|v| v.is_none()).unwrap_or(0);
            let msg = format!("missing value in column '{col_name}'");
            return Err(Error::input(path, Location::Row(row + 1), msg));
        }
        Ok(Some(match ca.cont_slice() {
            Ok(s) => s.to_vec(),
            Err(_) => ca.into_no_null_iter().collect(),
        }))
    };
    let price = |name: &str| value(name)?.ok_or_else(|| missing(name));
    let (open, high, low, close) = (
        price("open")?,
        price("high")?,
        price("low")?,
        price("close")?,
    );
    let volume = value("volume")?;
    Ok(Candles {
        source: path.to_path_buf(),
        format: Format::Parquet,
        columns: names.clone(),
        origin: RowOrigin::Row,
        has_volume: volume.is_some(),
        volume: volume.unwrap_or_else(|| vec![0.0; ts.len()]),
        ts,
        open,
        high,
        low,
        close,
        spacing_ms: 0,
    })
}

/// The time column as UTC milliseconds, whatever its Parquet type.
fn times(path: &Path, col: &Column) -> Result<Vec<i64>> {
    let name = col.name().to_string();
    if col.null_count() > 0 {
        let row = col
            .is_null()
            .iter()
            .position(|v| v == Some(true))
            .unwrap_or(0);
        return Err(Error::input(
            path,
            Location::Row(row + 1),
            "missing timestamp",
        ));
    }
    // The column as i64 (no nulls), each value mapped by `f`, in one pass.
    let ints = |c: &Column, f: &dyn Fn(i64) -> i64| -> Vec<i64> {
        let c = c.cast(&DataType::Int64).expect("integer physical type");
        let ca = c.i64().expect("i64");
        match ca.cont_slice() {
            Ok(s) => s.iter().map(|&t| f(t)).collect(),
            Err(_) => ca.into_no_null_iter().map(f).collect(),
        }
    };
    let v = match col.dtype() {
        DataType::Datetime(unit, _) => {
            let div = match unit {
                TimeUnit::Milliseconds => 1,
                TimeUnit::Microseconds => 1000,
                TimeUnit::Nanoseconds => 1_000_000,
            };
            ints(&col.to_physical_repr(), &|t| t.div_euclid(div))
        }
        DataType::Date => ints(&col.to_physical_repr(), &|d| d * DAY_MS),
        DataType::Int64 | DataType::Int32 | DataType::UInt32 | DataType::UInt64 => {
            let raw = ints(col, &|t| t);
            let unit = EpochUnit::detect(raw[0]);
            let mut out = Vec::with_capacity(raw.len());
            for (row, &t) in raw.iter().enumerate() {
                let ms = unit.to_ms(t).filter(|_| EpochUnit::detect(t) == unit);
                out.push(ms.ok_or_else(|| {
                    let msg = format!("timestamp {t} is not {} like the first row", unit.name());
                    Error::input(path, Location::Row(row + 1), msg)
                })?);
            }
            out
        }
        DataType::String => {
            let ca = col.str().expect("string column");
            super::csv::parse_times(path, RowOrigin::Row, ca)?
        }
        other => {
            let msg = format!("time column '{name}' has type {other}, expected a datetime, date, integer epoch or ISO text");
            return Err(Error::unreadable(path, Location::File, msg));
        }
    };
    Ok(v)
}
