//! Candle data: the `Candles` columns, loading (CSV, Parquet, Binance klines),
//! validation, resampling, conversion and synthetic series.

pub mod benchmark;
mod csv;
#[cfg(unix)]
mod decimal;
mod frame;
pub mod info;
pub mod long;
mod parquet;
#[cfg(unix)]
mod plain_csv;
pub mod quality;
pub mod resample;
pub mod synth;
pub mod time;
pub mod universe;
pub mod universe_file;
pub mod universe_info;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
pub use frame::to_dataframe;
pub use validate::{Finding, Severity};

/// Accepted names (any case) for the time column of CSV and Parquet files.
pub(crate) const TIME_NAMES: [&str; 6] =
    ["timestamp", "date", "time", "datetime", "open_time", "ts"];

/// The file format a candle file was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Parquet,
    Binance,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Binance => "binance",
        }
    }
}

/// How a data row index maps to a place in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOrigin {
    /// Text file: data row 0 is on this 1-based line.
    Line(usize),
    /// Binary file: rows are numbered from 1.
    Row,
}

impl RowOrigin {
    pub fn locate(self, row: usize) -> Location {
        match self {
            RowOrigin::Line(first) => Location::Line(first + row),
            RowOrigin::Row => Location::Row(row + 1),
        }
    }
}

/// Validated OHLCV candles: UTC millisecond timestamps and contiguous `f64`
/// columns of equal length, strictly increasing in time.
#[derive(Debug, Clone, PartialEq)]
pub struct Candles {
    pub source: PathBuf,
    pub format: Format,
    /// The column names as the file spells them.
    pub columns: Vec<String>,
    pub origin: RowOrigin,
    pub ts: Vec<i64>,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub volume: Vec<f64>,
    /// False when the file has no volume column (then volume is all zero).
    pub has_volume: bool,
    /// The median spacing between consecutive bars, in milliseconds.
    pub spacing_ms: i64,
}

impl Candles {
    pub fn len(&self) -> usize {
        self.ts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }

    /// The place in the source file of data row `row` (0-based).
    pub fn locate(&self, row: usize) -> Location {
        self.origin.locate(row)
    }

    /// An empty copy with this one's source, format and column names.
    pub fn clone_meta(&self) -> Candles {
        Candles {
            source: self.source.clone(),
            format: self.format,
            columns: self.columns.clone(),
            origin: self.origin,
            ts: Vec::new(),
            open: Vec::new(),
            high: Vec::new(),
            low: Vec::new(),
            close: Vec::new(),
            volume: Vec::new(),
            has_volume: self.has_volume,
            spacing_ms: 0,
        }
    }

    /// The bars with `from_ms <= t <= to_ms`, keeping the source's row
    /// numbering for error messages.
    pub fn between(&self, from_ms: Option<i64>, to_ms: Option<i64>) -> Candles {
        let lo = from_ms.map_or(0, |f| self.ts.partition_point(|&t| t < f));
        let hi = to_ms.map_or(self.len(), |e| self.ts.partition_point(|&t| t <= e));
        self.slice(lo, hi)
    }

    /// Bars `lo..hi` (clamped), keeping the source's row numbering.
    pub fn slice(&self, lo: usize, hi: usize) -> Candles {
        let hi = hi.min(self.len());
        let lo = lo.min(hi);
        let mut out = self.clone_meta();
        out.ts = self.ts[lo..hi].to_vec();
        out.open = self.open[lo..hi].to_vec();
        out.high = self.high[lo..hi].to_vec();
        out.low = self.low[lo..hi].to_vec();
        out.close = self.close[lo..hi].to_vec();
        out.volume = self.volume[lo..hi].to_vec();
        out.origin = match self.origin {
            RowOrigin::Line(first) => RowOrigin::Line(first + lo),
            RowOrigin::Row => RowOrigin::Row,
        };
        out.spacing_ms = self.spacing_ms;
        out
    }

    /// Recomputes `spacing_ms` as the median of consecutive differences.
    pub(crate) fn detect_spacing(&mut self) {
        self.spacing_ms = median_spacing(&self.ts);
    }
}

/// The median of consecutive timestamp differences (0 for fewer than 2 bars).
pub fn median_spacing(ts: &[i64]) -> i64 {
    if ts.len() < 2 {
        return 0;
    }
    let mut d: Vec<i64> = ts.windows(2).map(|w| w[1] - w[0]).collect();
    let mid = d.len() / 2;
    let (_, m, _) = d.select_nth_unstable(mid);
    let upper = *m;
    if d.len() % 2 == 1 {
        upper
    } else {
        let lower = *d[..mid].iter().max().expect("mid > 0");
        lower + (upper - lower) / 2
    }
}

/// The SHA-256 of a file's bytes, as lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    // Streamed through one buffer: a whole-file read of a 60 MB CSV costs
    // more in page faults than the hash itself.
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io(path, &e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Reads a candle file without judging its content: the columns as parsed,
/// and errors only for what makes the file unreadable or unparseable.
pub fn read(path: &Path) -> Result<Candles> {
    let mut head = [0u8; 4];
    let n = {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
        if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(Error::unreadable(path, Location::File, "is a directory"));
        }
        f.read(&mut head).map_err(|e| Error::io(path, &e))?
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut candles = if &head[..n] == b"PAR1" || ext == "parquet" || ext == "pq" {
        parquet::read(path)?
    } else {
        csv::read(path)?
    };
    candles.detect_spacing();
    Ok(candles)
}

/// Reads and validates a candle file: the first validation error is returned
/// as an error naming the file and row; warnings are returned beside the data.
pub fn load(path: &Path) -> Result<(Candles, Vec<Finding>)> {
    let candles = read(path)?;
    let findings = validate::validate(&candles);
    if let Some(first) = findings.iter().find(|f| f.severity == Severity::Error) {
        return Err(Error::input(path, first.at, first.message.clone()));
    }
    Ok((candles, findings))
}
