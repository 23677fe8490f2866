//! Writing candles to CSV or Parquet, always atomically: a temporary file in
//! the target's folder, renamed over the target only once complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::frame::{to_dataframe, TimeColumn};
use super::Candles;
use crate::error::{Error, Result};

/// An output format, chosen by the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Csv,
    Parquet,
}

impl OutFormat {
    /// `.csv` (or `.txt`) and `.parquet` (or `.pq`); anything else is a usage error.
    pub fn from_path(path: &Path) -> Result<OutFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Ok(OutFormat::Csv),
            "parquet" | "pq" => Ok(OutFormat::Parquet),
            _ => Err(Error::Usage(format!(
                "cannot tell the output format of '{}': use a .csv or .parquet file name",
                path.display()
            ))),
        }
    }
}

/// Writes `f`'s output to a temporary file beside `path`, then renames it to
/// `path`. On any error the temporary file is removed and `path` is untouched.
pub fn write_atomic<F>(path: &Path, f: F) -> Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> std::result::Result<(), String>,
{
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::output(path, e))?;
    let name = path
        .file_name()
        .ok_or_else(|| Error::output(path, "not a file name"))?
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| e.to_string())?;
        let mut w = BufWriter::new(file);
        f(&mut w)?;
        w.flush().map_err(|e| e.to_string())?;
        w.get_ref().sync_all().map_err(|e| e.to_string())?;
        drop(w);
        std::fs::rename(&tmp, path).map_err(|e| e.to_string())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::output(path, e));
    }
    Ok(())
}

/// Writes a frame as CSV or Parquet, atomically.
pub fn write_frame(path: &Path, df: &mut DataFrame, format: OutFormat) -> Result<()> {
    write_atomic(path, |w| match format {
        OutFormat::Csv => CsvWriter::new(w).finish(df).map_err(|e| e.to_string()),
        OutFormat::Parquet => ParquetWriter::new(w)
            .with_compression(ParquetCompression::Snappy)
            .finish(df)
            .map(|_| ())
            .map_err(|e| e.to_string()),
    })
}

/// Writes candles to `path` in the format its extension names.
pub fn write_candles(path: &Path, c: &Candles) -> Result<()> {
    let format = OutFormat::from_path(path)?;
    let time = match format {
        OutFormat::Csv => TimeColumn::IsoText,
        OutFormat::Parquet => TimeColumn::Datetime,
    };
    let mut df = to_dataframe(c, time).map_err(|e| Error::output(path, e))?;
    write_frame(path, &mut df, format)
}

/// A table of named f64 columns beside the candles' timestamps, as written
/// by `tradelab eval`: NaN is an empty cell (CSV) or null (Parquet).
pub struct ColumnTable<'a> {
    pub ts: &'a [i64],
    pub names: Vec<String>,
    pub columns: Vec<&'a [f64]>,
}

impl ColumnTable<'_> {
    /// CSV text into `w`: `timestamp,NAME...`, dates only for daily data.
    pub fn write_csv(&self, w: &mut impl Write) -> std::io::Result<()> {
        let date_only = super::time::all_midnight(self.ts);
        write!(w, "timestamp")?;
        for n in &self.names {
            write!(w, ",{}", csv_field(n))?;
        }
        writeln!(w)?;
        for (i, &t) in self.ts.iter().enumerate() {
            write!(w, "{}", super::time::format_ms(t, date_only))?;
            for c in &self.columns {
                let v = c[i];
                if v.is_nan() {
                    write!(w, ",")?;
                } else {
                    write!(w, ",{v}")?;
                }
            }
            writeln!(w)?;
        }
        Ok(())
    }

    /// Writes CSV or Parquet (by extension) atomically.
    pub fn write_file(&self, path: &Path) -> Result<()> {
        match OutFormat::from_path(path)? {
            OutFormat::Csv => write_atomic(path, |w| self.write_csv(w).map_err(|e| e.to_string())),
            OutFormat::Parquet => {
                let mut cols = vec![Column::new("timestamp".into(), self.ts)
                    .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                    .map_err(|e| Error::output(path, e))?];
                for (n, c) in self.names.iter().zip(&self.columns) {
                    let vals: Vec<Option<f64>> =
                        c.iter().map(|v| (!v.is_nan()).then_some(*v)).collect();
                    cols.push(Column::new(n.as_str().into(), vals));
                }
                let mut df =
                    DataFrame::new(self.ts.len(), cols).map_err(|e| Error::output(path, e))?;
                write_frame(path, &mut df, OutFormat::Parquet)
            }
        }
    }
}

/// Quotes a CSV header field when it needs it.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
