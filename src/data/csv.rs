//! Text candle files: sniffing the layout (delimiter, header, column roles,
//! Binance kline dumps), reading plain files directly (`plain_csv.rs`) and
//! any other with polars, and pinpointing the offending line with the csv
//! crate when polars rejects a file.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::time::{TimeFormat, TimestampParser};
use super::{Candles, Format, RowOrigin, TIME_NAMES};
use crate::error::{Error, Location, Result};

const PRICE_NAMES: [&str; 4] = ["open", "high", "low", "close"];
/// Columns of a Binance kline dump, which has no header.
const BINANCE_COLUMNS: [&str; 12] = [
    "open_time",
    "open",
    "high",
    "low",
    "close",
    "volume",
    "close_time",
    "quote_volume",
    "trades",
    "taker_base",
    "taker_quote",
    "ignore",
];

/// What sniffing the first line of a text file found.
struct Layout {
    sep: u8,
    header: bool,
    format: Format,
    names: Vec<String>,
    /// Column indices of time, open, high, low, close.
    roles: [usize; 5],
    volume: Option<usize>,
}

pub(super) fn read(path: &Path) -> Result<Candles> {
    let layout = sniff(path)?;
    #[cfg(unix)]
    if let Some(plain) = plain(path, &layout) {
        return Ok(candles(path, &layout, plain.ts, plain.values));
    }
    // polars 0.55 panics on some malformed quoting (a lone quote as the last
    // field): under the guard that panic is an error, and the csv crate's
    // walk then names the bad line.
    let df = match crate::guard::catch(|| read_polars(path, &layout)) {
        Ok(Ok(df)) => df,
        Ok(Err(e)) => return Err(diagnose(path, &layout).unwrap_or_else(|| polars_error(path, &e))),
        Err(panic) => {
            return Err(diagnose(path, &layout).unwrap_or_else(|| {
                Error::unreadable(path, Location::File, format!("cannot read CSV: {panic}"))
            }))
        }
    };
    let first_line = if layout.header { 2 } else { 1 };
    let origin = RowOrigin::Line(first_line);
    if df.height() == 0 {
        return Err(Error::unreadable(path, Location::File, "no data rows"));
    }
    let col = |i: usize| df.column(&format!("c{i}")).expect("projected column");
    // A short line reads as nulls: name its line and field count before
    // anything tries to parse what is left of it.
    let short = layout
        .roles
        .iter()
        .copied()
        .chain(layout.volume)
        .any(|i| col(i).null_count() > 0);
    if short {
        if let Some(e) = diagnose(path, &layout) {
            return Err(e);
        }
    }
    let ts = parse_times(
        path,
        origin,
        col(layout.roles[0]).str().expect("string column"),
    )?;
    let mut prices = Vec::with_capacity(5);
    let value_cols = layout.roles[1..].iter().copied().chain(layout.volume);
    for idx in value_cols {
        let ca = col(idx).f64().expect("f64 column");
        if ca.null_count() > 0 {
            let row = ca.iter().position(|v| v.is_none()).unwrap_or(0);
            // A short line also reads as nulls: let the line walk name it.
            if let Some(e) = diagnose(path, &layout) {
                return Err(e);
            }
            return Err(Error::input(
                path,
                origin.locate(row),
                format!("missing value in column '{}'", layout.names[idx]),
            ));
        }
        prices.push(match ca.cont_slice() {
            Ok(s) => s.to_vec(),
            Err(_) => ca.into_no_null_iter().collect(),
        });
    }
    Ok(candles(path, &layout, ts, prices))
}

/// The file's columns by the fast path, if it is a plain file.
#[cfg(unix)]
fn plain(path: &Path, layout: &Layout) -> Option<super::plain_csv::Plain> {
    let wanted: Vec<usize> = layout.roles[1..]
        .iter()
        .copied()
        .chain(layout.volume)
        .collect();
    let shape = super::plain_csv::Shape {
        fields: layout.names.len(),
        sep: layout.sep,
        time: layout.roles[0],
        values: &wanted,
        header: layout.header,
    };
    super::plain_csv::read(path, &shape)
}

/// The candles of a text file: its times and the value columns (open,
/// high, low, close, then volume if the file has one).
fn candles(path: &Path, layout: &Layout, ts: Vec<i64>, mut values: Vec<Vec<f64>>) -> Candles {
    let volume = if layout.volume.is_some() {
        values.pop().expect("volume column")
    } else {
        vec![0.0; ts.len()]
    };
    let mut it = values.into_iter();
    let mut next = || it.next().expect("four price columns");
    Candles {
        source: path.to_path_buf(),
        format: layout.format,
        columns: layout.names.clone(),
        origin: RowOrigin::Line(if layout.header { 2 } else { 1 }),
        ts,
        open: next(),
        high: next(),
        low: next(),
        close: next(),
        volume,
        has_volume: layout.volume.is_some(),
        spacing_ms: 0,
    }
}

/// Reads the first line and decides the delimiter, header and column roles.
fn sniff(path: &Path) -> Result<Layout> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let mut buf = Vec::with_capacity(1 << 16);
    f.by_ref()
        .take(1 << 16)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, &e))?;
    let body = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::unreadable(path, Location::File, "file is empty"));
    }
    let end = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
    let line = std::str::from_utf8(&body[..end])
        .map_err(|_| Error::unreadable(path, Location::Line(1), "not valid UTF-8 text"))?
        .trim_end_matches('\r');
    if line.trim().is_empty() {
        return Err(Error::unreadable(
            path,
            Location::Line(1),
            "empty first line: expected a header",
        ));
    }
    let sep = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|&s| line.bytes().filter(|&b| b == s).count())
        .filter(|&s| line.as_bytes().contains(&s))
        .ok_or_else(|| {
            Error::unreadable(
                path,
                Location::Line(1),
                "only one column: expected comma-, semicolon- or tab-separated columns \
                 timestamp,open,high,low,close[,volume]",
            )
        })?;
    let fields: Vec<String> = line
        .split(sep as char)
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect();
    let first = fields[0].as_str();
    if !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) {
        return binance_layout(path, sep, fields.len());
    }
    let find = |names: &[&str], role: &str| -> Result<Option<usize>> {
        let hits: Vec<usize> = (0..fields.len())
            .filter(|&i| names.iter().any(|n| fields[i].eq_ignore_ascii_case(n)))
            .collect();
        match hits.as_slice() {
            [] => Ok(None),
            [i] => Ok(Some(*i)),
            [a, b, ..] => Err(Error::unreadable(
                path,
                Location::Line(1),
                format!("two {role} columns: '{}' and '{}'", fields[*a], fields[*b]),
            )),
        }
    };
    let missing = |what: &str| {
        Error::unreadable(
            path,
            Location::Line(1),
            format!(
                "missing required column '{what}' (header has: {})",
                fields.join(", ")
            ),
        )
    };
    let time = find(&TIME_NAMES, "time")?
        .ok_or_else(|| missing("timestamp (or date, time, datetime, open_time)"))?;
    let mut roles = [time, 0, 0, 0, 0];
    for (k, name) in PRICE_NAMES.iter().enumerate() {
        roles[k + 1] = find(&[name], name)?.ok_or_else(|| missing(name))?;
    }
    Ok(Layout {
        sep,
        header: true,
        format: Format::Csv,
        volume: find(&["volume"], "volume")?,
        names: fields,
        roles,
    })
}

fn binance_layout(path: &Path, sep: u8, n: usize) -> Result<Layout> {
    if n != 12 || sep != b',' {
        return Err(Error::unreadable(
            path,
            Location::Line(1),
            format!(
                "no header row, and {n} columns is not a Binance kline dump (12): \
                 add a header naming timestamp, open, high, low, close[, volume]"
            ),
        ));
    }
    Ok(Layout {
        sep,
        header: false,
        format: Format::Binance,
        names: BINANCE_COLUMNS.iter().map(|s| s.to_string()).collect(),
        roles: [0, 1, 2, 3, 4],
        volume: Some(5),
    })
}

/// The polars read: only the needed columns, time as text, prices as f64.
fn read_polars(path: &Path, layout: &Layout) -> PolarsResult<DataFrame> {
    let n = layout.names.len();
    let wanted: Vec<usize> = layout.roles.iter().copied().chain(layout.volume).collect();
    let schema: Schema = (0..n)
        .map(|i| {
            let dtype = if i == layout.roles[0] || !wanted.contains(&i) {
                DataType::String
            } else {
                DataType::Float64
            };
            Field::new(format!("c{i}").into(), dtype)
        })
        .collect();
    let mut projection = wanted.clone();
    projection.sort_unstable();
    CsvReadOptions::default()
        .with_has_header(layout.header)
        .with_schema(Some(Arc::new(schema)))
        .with_projection(Some(Arc::new(projection)))
        .with_rechunk(true)
        .map_parse_options(|o| o.with_separator(layout.sep))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))?
        .finish()
}

/// Parses the time column, insisting on one timestamp shape for the file.
pub(super) fn parse_times(path: &Path, origin: RowOrigin, col: &StringChunked) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(col.len());
    let mut shape: Option<(TimeFormat, usize)> = None;
    let mut parser = TimestampParser::default();
    for (row, v) in col.iter().enumerate() {
        let at = origin.locate(row);
        let text = v.ok_or_else(|| Error::input(path, at, "missing timestamp"))?;
        let (ms, fmt) = parser.parse(text).ok_or_else(|| {
            Error::input(
                path,
                at,
                format!(
                    "cannot parse timestamp '{}': expected an ISO date, an ISO date-time \
                     or an integer epoch",
                    clip(text)
                ),
            )
        })?;
        match shape {
            None => shape = Some((fmt, row)),
            Some((first, first_row)) if first != fmt => {
                let first_at = match origin.locate(first_row) {
                    Location::Line(l) => format!("line {l}"),
                    other => format!("{other:?}").to_lowercase(),
                };
                return Err(Error::input(
                    path,
                    at,
                    format!(
                        "mixed timestamp formats: '{}' is {} but {first_at} is {}",
                        clip(text),
                        fmt.name(),
                        first.name()
                    ),
                ));
            }
            _ => {}
        }
        out.push(ms);
    }
    Ok(out)
}

/// Shortens a value for an error message.
/// A cell for an error message: control characters escaped (`\n`), so the
/// message stays on one line, and cut after 40 characters.
pub(crate) fn clip(s: &str) -> String {
    let one_line: String = s
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if one_line.chars().count() > 40 {
        format!("{}…", one_line.chars().take(40).collect::<String>())
    } else {
        one_line
    }
}

/// When polars rejects a file, walks it with the csv crate to name the first
/// offending line. Returns None if this walk finds nothing wrong.
fn diagnose(path: &Path, layout: &Layout) -> Option<Error> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(layout.sep)
        .has_headers(layout.header)
        .flexible(true)
        .from_path(path)
        .ok()?;
    let want = layout.names.len();
    let mut record = ::csv::ByteRecord::new();
    loop {
        let line = rdr.position().line() as usize;
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                return Some(Error::input(path, Location::Line(line), e.to_string()));
            }
        }
        let line = record.position().map_or(line, |p| p.line() as usize);
        let at = Location::Line(line);
        if record.len() == 1 && record[0].is_empty() {
            return Some(Error::input(path, at, "empty line"));
        }
        if record.len() != want {
            return Some(Error::input(
                path,
                at,
                format!("{} fields, expected {want} as in the header", record.len()),
            ));
        }
        for idx in layout.roles.iter().copied().chain(layout.volume) {
            let Ok(text) = std::str::from_utf8(&record[idx]) else {
                return Some(Error::input(path, at, "not valid UTF-8 text"));
            };
            if idx == layout.roles[0] {
                continue;
            }
            if text.trim().is_empty() {
                let msg = format!("missing value in column '{}'", layout.names[idx]);
                return Some(Error::input(path, at, msg));
            }
            if text.trim().parse::<f64>().is_err() {
                let msg = format!(
                    "cannot parse '{}' as a number in column '{}'",
                    clip(text),
                    layout.names[idx]
                );
                return Some(Error::input(path, at, msg));
            }
        }
    }
}

fn polars_error(path: &Path, e: &PolarsError) -> Error {
    let msg = e.to_string();
    let first = msg.lines().next().unwrap_or("unreadable CSV");
    Error::unreadable(path, Location::File, format!("cannot read CSV: {first}"))
}
