//! Long universe files: one row per (time, symbol) with OHLC(V) columns, as
//! CSV or Parquet. Read into a `Universe` on the union timeline; written
//! from one (sorted by time, then universe order), e.g. by `data synth
//! --symbols N`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use polars::prelude::*;

use super::time::{format_ms, parse_iso};
use super::universe::{Series, Universe};
use super::write::{write_frame, OutFormat};
use super::TIME_NAMES;
use crate::error::{Error, Location, Result};

/// The accepted names of the symbol column.
const SYMBOL_NAMES: [&str; 2] = ["symbol", "ticker"];
const PRICES: [&str; 4] = ["open", "high", "low", "close"];

/// Whether a CSV header names a symbol column.
pub fn is_long_csv(header: &str) -> bool {
    header
        .split(',')
        .any(|h| SYMBOL_NAMES.contains(&h.trim().to_ascii_lowercase().as_str()))
}

/// Rows grouped by symbol (in order of first appearance): (time, o, h, l, c).
type Rows = Vec<(String, Vec<(i64, [f64; 4])>)>;

fn assemble(path: &Path, rows: Rows) -> Result<Universe> {
    let ts: Vec<i64> = rows
        .iter()
        .flat_map(|(_, r)| r.iter().map(|x| x.0))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index: HashMap<i64, usize> = ts.iter().enumerate().map(|(i, &t)| (t, i)).collect();
    let series = rows
        .into_iter()
        .map(|(symbol, r)| {
            let mut cols = [(); 4].map(|_| vec![f64::NAN; ts.len()]);
            for (t, v) in r {
                for (col, x) in cols.iter_mut().zip(v) {
                    col[index[&t]] = x;
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
    super::universe::finish(path, ts, series)
}

/// Adds a row to its symbol, refusing a timestamp at or before the symbol's last.
fn push(
    rows: &mut Rows,
    index: &mut HashMap<String, usize>,
    symbol: &str,
    t: i64,
    v: [f64; 4],
    at: impl Fn(String) -> Error,
) -> Result<()> {
    let i = match index.get(symbol) {
        Some(&i) => i,
        None => {
            rows.push((symbol.to_string(), Vec::new()));
            index.insert(symbol.to_string(), rows.len() - 1);
            rows.len() - 1
        }
    };
    if let Some(&(prev, _)) = rows[i].1.last() {
        if t <= prev {
            let what = if t == prev {
                "a duplicate"
            } else {
                "an unsorted"
            };
            return Err(at(format!("{symbol}: {what} timestamp")));
        }
    }
    if v.iter().any(|x| !(x.is_finite() && *x > 0.0)) || v[1] < v[2] {
        return Err(at(format!(
            "{symbol}: prices must be positive with high >= low"
        )));
    }
    rows[i].1.push((t, v));
    Ok(())
}

/// Reads a long CSV file.
pub fn read_csv(path: &Path) -> Result<Universe> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let missing = |what: &str| {
        Error::unreadable(
            path,
            Location::Line(1),
            format!("missing required column '{what}'"),
        )
    };
    let time = find(&TIME_NAMES).ok_or_else(|| missing("timestamp"))?;
    let sym = find(&SYMBOL_NAMES).ok_or_else(|| missing("symbol"))?;
    let price: Vec<usize> = PRICES
        .iter()
        .map(|p| find(&[p]).ok_or_else(|| missing(p)))
        .collect::<Result<_>>()?;
    let mut rows: Rows = Vec::new();
    let mut index = HashMap::new();
    for (i, line) in lines.enumerate() {
        let ln = i + 2;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |m: String| Error::input(path, Location::Line(ln), m);
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != header.len() {
            return Err(bad(format!(
                "{} fields, expected {}",
                f.len(),
                header.len()
            )));
        }
        if f[sym].is_empty() {
            return Err(bad("an empty symbol".into()));
        }
        let (t, _) =
            parse_iso(f[time]).ok_or_else(|| bad(format!("'{}' is not an ISO date", f[time])))?;
        let mut v = [0.0; 4];
        for (x, &k) in v.iter_mut().zip(&price) {
            *x = f[k]
                .parse()
                .map_err(|_| bad(format!("{}: '{}' is not a number", f[sym], f[k])))?;
        }
        push(&mut rows, &mut index, f[sym], t, v, bad)?;
    }
    assemble(path, rows)
}

/// Reads a long Parquet file (a time column as datetime, integer ms or
/// ISO text; a symbol column of strings; open, high, low, close).
pub fn read_parquet(path: &Path) -> Result<Universe> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let bad = |m: String| Error::unreadable(path, Location::File, m);
    let df = ParquetReader::new(file)
        .finish()
        .map_err(|e| bad(e.to_string()))?;
    let col = |names: &[&str]| {
        df.columns()
            .iter()
            .find(|c| names.contains(&c.name().to_ascii_lowercase().as_str()))
            .cloned()
            .ok_or_else(|| bad(format!("missing required column '{}'", names[0])))
    };
    let time = col(&TIME_NAMES)?;
    let time: Vec<Option<i64>> = match time.dtype() {
        DataType::String => time
            .str()
            .map_err(|e| bad(e.to_string()))?
            .iter()
            .map(|s| s.and_then(parse_iso).map(|x| x.0))
            .collect(),
        _ => time
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .and_then(|c| c.cast(&DataType::Int64))
            .map_err(|e| bad(e.to_string()))?
            .i64()
            .map_err(|e| bad(e.to_string()))?
            .iter()
            .collect(),
    };
    let sym = col(&SYMBOL_NAMES)?;
    let sym = sym
        .str()
        .map_err(|e| bad(format!("the symbol column: {e}")))?;
    let prices: Vec<Vec<Option<f64>>> = PRICES
        .iter()
        .map(|p| {
            let c = col(&[p])?
                .cast(&DataType::Float64)
                .map_err(|e| bad(e.to_string()))?;
            Ok(c.f64().map_err(|e| bad(e.to_string()))?.iter().collect())
        })
        .collect::<Result<_>>()?;
    let mut rows: Rows = Vec::new();
    let mut index = HashMap::new();
    for (r, (t, s)) in time.iter().zip(sym.iter()).enumerate() {
        let at = |m: String| Error::input(path, Location::Row(r + 1), m);
        let s = s
            .filter(|s| !s.is_empty())
            .ok_or_else(|| at("an empty symbol".into()))?;
        let t = t.ok_or_else(|| at(format!("{s}: no timestamp")))?;
        let mut v = [0.0; 4];
        for (x, p) in v.iter_mut().zip(&prices) {
            *x = p[r].unwrap_or(f64::NAN);
        }
        push(&mut rows, &mut index, s, t, v, at)?;
    }
    assemble(path, rows)
}

/// Writes `u` as a long file (CSV or Parquet by extension), sorted by time
/// then universe order; a close panel's open, high and low are its close.
pub fn write(path: &Path, u: &Universe) -> Result<()> {
    let format = OutFormat::from_path(path)?;
    let date_only = super::time::all_midnight(&u.ts);
    let (mut ts, mut sym) = (Vec::new(), Vec::new());
    let mut px: [Vec<f64>; 4] = Default::default();
    for (t, &time) in u.ts.iter().enumerate() {
        for s in &u.series {
            if !s.close[t].is_finite() {
                continue;
            }
            ts.push(time);
            sym.push(s.symbol.clone());
            let (o, h, l) = match &s.ohlc {
                Some([o, h, l]) => (o[t], h[t], l[t]),
                None => (s.close[t], s.close[t], s.close[t]),
            };
            for (col, v) in px.iter_mut().zip([o, h, l, s.close[t]]) {
                col.push(v);
            }
        }
    }
    let n = ts.len();
    let time = match format {
        OutFormat::Csv => {
            let text: Vec<String> = ts.iter().map(|&t| format_ms(t, date_only)).collect();
            Column::new("timestamp".into(), text)
        }
        OutFormat::Parquet => Column::new("timestamp".into(), ts)
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .map_err(|e| Error::output(path, e))?,
    };
    let mut cols = vec![time, Column::new("symbol".into(), sym)];
    for (name, c) in PRICES.iter().zip(px) {
        cols.push(Column::new((*name).into(), c));
    }
    let mut df = DataFrame::new(n, cols).map_err(|e| Error::output(path, e))?;
    write_frame(path, &mut df, format)
}
