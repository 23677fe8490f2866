//! A universe: several symbols on one shared timeline (the union of their
//! timestamps), one close column per symbol (NaN where it has no bar), and
//! OHLC columns where the source has them. Read from a wide close panel
//! (a date column plus one column per symbol) or from several single-symbol
//! candle files (the symbol is the file stem).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::time::parse_iso;
use super::{median_spacing, Candles, Format, RowOrigin, TIME_NAMES};
use crate::error::{Error, Location, Result};

/// One symbol's columns on the universe's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub symbol: String,
    /// NaN where the symbol has no bar.
    pub close: Vec<f64>,
    /// Open, high and low, when the source has them (NaN where no bar).
    pub ohlc: Option<[Vec<f64>; 3]>,
}

/// Symbols on a shared timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Universe {
    pub source: PathBuf,
    pub ts: Vec<i64>,
    pub series: Vec<Series>,
    pub spacing_ms: i64,
    /// What loading noticed without refusing (mixed bar spacings).
    pub warnings: Vec<String>,
}

impl Universe {
    pub fn len(&self) -> usize {
        self.ts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }

    pub fn symbols(&self) -> Vec<&str> {
        self.series.iter().map(|s| s.symbol.as_str()).collect()
    }

    /// Whether every symbol has open, high and low (not a close panel).
    pub fn has_ohlc(&self) -> bool {
        self.series.iter().all(|s| s.ohlc.is_some())
    }

    /// Symbol `i`'s own bars as candles, and the timeline position of each
    /// (a close panel's open, high and low are its close).
    pub fn candles(&self, i: usize) -> (Candles, Vec<usize>) {
        let s = &self.series[i];
        let at: Vec<usize> = (0..self.ts.len())
            .filter(|&t| s.close[t].is_finite())
            .collect();
        let pick = |col: &[f64]| at.iter().map(|&t| col[t]).collect::<Vec<f64>>();
        let close = pick(&s.close);
        let (open, high, low) = match &s.ohlc {
            Some([o, h, l]) => (pick(o), pick(h), pick(l)),
            None => (close.clone(), close.clone(), close.clone()),
        };
        let ts: Vec<i64> = at.iter().map(|&t| self.ts[t]).collect();
        let candles = Candles {
            source: self.source.clone(),
            format: Format::Csv,
            columns: vec![s.symbol.clone()],
            origin: RowOrigin::Row,
            spacing_ms: median_spacing(&ts),
            volume: vec![0.0; ts.len()],
            ts,
            open,
            high,
            low,
            close,
            has_volume: false,
        };
        (candles, at)
    }

    /// Bars `lo..hi` of every symbol.
    pub fn slice(&self, lo: usize, hi: usize) -> Universe {
        let cut = |c: &Vec<f64>| c[lo..hi].to_vec();
        Universe {
            source: self.source.clone(),
            ts: self.ts[lo..hi].to_vec(),
            series: self
                .series
                .iter()
                .map(|s| Series {
                    symbol: s.symbol.clone(),
                    close: cut(&s.close),
                    ohlc: s.ohlc.as_ref().map(|[o, h, l]| [cut(o), cut(h), cut(l)]),
                })
                .collect(),
            spacing_ms: self.spacing_ms,
            warnings: Vec::new(),
        }
    }

    /// Keeps `symbols`, in that order.
    pub fn select(&self, symbols: &[String]) -> Result<Universe> {
        let mut series = Vec::new();
        for name in symbols {
            let Some(s) = self.series.iter().find(|s| &s.symbol == name) else {
                return Err(Error::Usage(format!(
                    "{}: no symbol '{name}' (it has {})",
                    self.source.display(),
                    self.symbols().join(", ")
                )));
            };
            series.push(s.clone());
        }
        Ok(Universe {
            series,
            ..self.clone()
        })
    }
}

/// The first line of a text file split at commas, trimmed and lower-case
/// (only that line is read); None when it cannot be read.
pub(crate) fn csv_header(path: &Path) -> Option<Vec<String>> {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(std::fs::File::open(path).ok()?)
        .read_line(&mut line)
        .ok()?;
    Some(
        line.trim_start_matches('\u{feff}')
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect(),
    )
}

/// Whether a CSV header is a wide close panel: a time column first, then
/// columns none of which is an OHLCV name.
pub fn is_panel(path: &Path) -> bool {
    let Some(header) = csv_header(path) else {
        return false;
    };
    let ohlcv = [
        "open",
        "high",
        "low",
        "close",
        "volume",
        "adj close",
        "symbol",
        "ticker",
    ];
    header.len() >= 2
        && TIME_NAMES.contains(&header[0].as_str())
        && !header[1..].iter().any(|h| ohlcv.contains(&h.as_str()))
}

/// Reads a wide close panel: `date,SYM1,SYM2,...`, one row per timestamp,
/// empty cells where a symbol has no bar.
pub fn read_panel(path: &Path) -> Result<Universe> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    let bad = |line: usize, msg: String| Error::input(path, Location::Line(line), msg);
    let mut seen = BTreeSet::new();
    for h in &header[1..] {
        if h.is_empty() {
            return Err(bad(1, "an empty symbol name in the header".into()));
        }
        if !seen.insert(*h) {
            return Err(bad(1, format!("symbol '{h}' appears twice")));
        }
    }
    let n = header.len() - 1;
    let mut ts = Vec::new();
    let mut close: Vec<Vec<f64>> = vec![Vec::new(); n];
    for (i, line) in lines.enumerate() {
        let ln = i + 2;
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != header.len() {
            return Err(bad(
                ln,
                format!("{} fields, expected {}", f.len(), header.len()),
            ));
        }
        let (t, _) =
            parse_iso(f[0]).ok_or_else(|| bad(ln, format!("'{}' is not an ISO date", f[0])))?;
        if let Some(&prev) = ts.last() {
            if t <= prev {
                let what = if t == prev {
                    "a duplicate"
                } else {
                    "an unsorted"
                };
                return Err(bad(ln, format!("{what} timestamp {}", f[0])));
            }
        }
        ts.push(t);
        for (k, cell) in f[1..].iter().enumerate() {
            let v = if cell.is_empty() {
                f64::NAN
            } else {
                let v: f64 = cell
                    .parse()
                    .map_err(|_| bad(ln, format!("{}: '{cell}' is not a number", header[k + 1])))?;
                if !(v.is_finite() && v > 0.0) {
                    return Err(bad(
                        ln,
                        format!("{}: close {cell} is not a positive price", header[k + 1]),
                    ));
                }
                v
            };
            close[k].push(v);
        }
    }
    if ts.is_empty() {
        return Err(Error::unreadable(path, Location::File, "no rows"));
    }
    let series = header[1..]
        .iter()
        .zip(close)
        .map(|(s, c)| Series {
            symbol: s.to_string(),
            close: c,
            ohlc: None,
        })
        .collect();
    finish(path, ts, series)
}

/// Several single-symbol candle files on the union of their timestamps.
pub fn from_files(paths: &[PathBuf]) -> Result<Universe> {
    let mut loaded = Vec::new();
    for p in paths {
        let (c, _) = super::load(p)?;
        let symbol = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if loaded.iter().any(|(s, _): &(String, Candles)| *s == symbol) {
            return Err(Error::Usage(format!(
                "{}: symbol '{symbol}' is given twice",
                p.display()
            )));
        }
        loaded.push((symbol, c));
    }
    let ts: Vec<i64> = loaded
        .iter()
        .flat_map(|(_, c)| c.ts.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let series = loaded
        .into_iter()
        .map(|(symbol, c)| {
            let mut cols = [
                vec![f64::NAN; ts.len()],
                vec![f64::NAN; ts.len()],
                vec![f64::NAN; ts.len()],
                vec![f64::NAN; ts.len()],
            ];
            let mut j = 0;
            for (t, &time) in ts.iter().enumerate() {
                if j < c.len() && c.ts[j] == time {
                    for (col, src) in cols.iter_mut().zip([&c.open, &c.high, &c.low, &c.close]) {
                        col[t] = src[j];
                    }
                    j += 1;
                }
            }
            let [o, h, l, close] = cols;
            Series {
                symbol,
                close,
                ohlc: Some([o, h, l]),
            }
        })
        .collect();
    let source = paths.first().cloned().unwrap_or_default();
    finish(&source, ts, series)
}

/// Refuses a universe whose symbols never trade at the same time.
pub(crate) fn finish(path: &Path, ts: Vec<i64>, series: Vec<Series>) -> Result<Universe> {
    if series.is_empty() {
        return Err(Error::unreadable(path, Location::File, "no symbols"));
    }
    let shared = (0..ts.len()).any(|t| series.iter().all(|s| s.close[t].is_finite()));
    if series.len() > 1 && !shared {
        return Err(Error::unreadable(
            path,
            Location::File,
            "the symbols share no timestamp",
        ));
    }
    // Symbols whose own bars are spaced differently (daily beside hourly).
    let spacings: Vec<(String, i64)> = series
        .iter()
        .map(|s| {
            let own: Vec<i64> = (0..ts.len())
                .filter(|&t| s.close[t].is_finite())
                .map(|t| ts[t])
                .collect();
            (s.symbol.clone(), median_spacing(&own))
        })
        .collect();
    let mut warnings = Vec::new();
    if let Some((first, sp)) = spacings.first() {
        if let Some((other, osp)) = spacings.iter().find(|(_, x)| x != sp) {
            warnings.push(format!(
                "{}: mixed bar spacings: {first} every {} s, {other} every {} s",
                path.display(),
                sp / 1000,
                osp / 1000
            ));
        }
    }
    Ok(Universe {
        source: path.to_path_buf(),
        spacing_ms: median_spacing(&ts),
        ts,
        series,
        warnings,
    })
}
