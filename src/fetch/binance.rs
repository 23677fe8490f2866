//! Binance's public klines endpoint (`GET /api/v3/klines`), paginated by
//! start time, 1,000 candles a page. Only closed candles are kept: one whose
//! close time is after the range's end or after now is left out.

use serde_json::Value;

use super::{Bar, Progress};
use crate::error::{Error, Result};

/// The intervals Binance serves with a fixed length, and that length in ms.
pub const INTERVALS: [(&str, i64); 14] = [
    ("1m", 60_000),
    ("3m", 180_000),
    ("5m", 300_000),
    ("15m", 900_000),
    ("30m", 1_800_000),
    ("1h", 3_600_000),
    ("2h", 7_200_000),
    ("4h", 14_400_000),
    ("6h", 21_600_000),
    ("8h", 28_800_000),
    ("12h", 43_200_000),
    ("1d", 86_400_000),
    ("3d", 259_200_000),
    ("1w", 604_800_000),
];

/// Candles a page asks for (Binance's maximum).
pub const LIMIT: usize = 1000;

/// The length of interval `name` in ms.
pub fn interval_ms(name: &str) -> Result<i64> {
    INTERVALS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, ms)| *ms)
        .ok_or_else(|| {
            let list: Vec<&str> = INTERVALS.iter().map(|(n, _)| *n).collect();
            Error::Usage(format!(
                "unknown Binance interval '{name}': expected one of {}",
                list.join(", ")
            ))
        })
}

/// What to fetch.
#[derive(Debug, Clone)]
pub struct Klines<'a> {
    pub base: &'a str,
    pub symbol: &'a str,
    pub interval: &'a str,
    pub interval_ms: i64,
    /// The first candle's open time, UTC ms.
    pub from: i64,
    /// The last close time allowed (the range's end, or now if earlier).
    pub bound: i64,
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// One page's klines as bars with their close times.
fn parse(url: &str, body: &str) -> Result<Vec<(Bar, i64)>> {
    let request = format!("GET {url}");
    let v: Value = serde_json::from_str(body)
        .map_err(|e| Error::fetch(&request, format!("the answer is not JSON: {e}")))?;
    let rows = match v {
        Value::Array(rows) => rows,
        Value::Object(o) => {
            let msg = o.get("msg").and_then(Value::as_str).unwrap_or("no message");
            let code = o.get("code").map_or(String::new(), |c| format!(" {c}"));
            return Err(Error::fetch(
                &request,
                format!("an error object instead of klines: code{code}: {msg}"),
            ));
        }
        _ => return Err(Error::fetch(&request, "expected an array of klines")),
    };
    rows.iter()
        .enumerate()
        .map(|(i, k)| {
            let bad = |what: &str| Error::fetch(&request, format!("kline {i}: {what}"));
            let f = k
                .as_array()
                .filter(|f| f.len() >= 7)
                .ok_or_else(|| bad("not an array of 12 fields"))?;
            let time = |j: usize| {
                f[j].as_i64()
                    .ok_or_else(|| bad("a time that is not a number"))
            };
            let price = |j: usize| number(&f[j]).ok_or_else(|| bad("a price that is not a number"));
            Ok((
                Bar {
                    ts: time(0)?,
                    open: price(1)?,
                    high: price(2)?,
                    low: price(3)?,
                    close: price(4)?,
                    volume: price(5)?,
                },
                time(6)?,
            ))
        })
        .collect()
}

/// Every closed candle of `k`, page by page.
pub fn fetch(
    agent: &ureq::Agent,
    k: &Klines,
    get: &dyn Fn(&ureq::Agent, &str) -> Result<String>,
    progress: &dyn Progress,
) -> Result<Vec<Bar>> {
    let expected = ((k.bound - k.from + 1).max(0) / k.interval_ms) as u64;
    progress.start(expected);
    let mut out: Vec<Bar> = Vec::new();
    let mut start = k.from;
    while start <= k.bound {
        let url = format!(
            "{}/api/v3/klines?symbol={}&interval={}&startTime={start}&endTime={}&limit={LIMIT}",
            k.base.trim_end_matches('/'),
            k.symbol,
            k.interval,
            k.bound
        );
        let page = parse(&url, &get(agent, &url)?)?;
        let Some(&(last, _)) = page.last() else {
            break;
        };
        for (i, (b, _)) in page.iter().enumerate() {
            let prev = if i == 0 {
                out.last().map(|p| p.ts)
            } else {
                Some(page[i - 1].0.ts)
            };
            if b.ts < start || prev.is_some_and(|p| b.ts <= p) {
                return Err(Error::fetch(
                    format!("GET {url}"),
                    format!("kline {i}: open time {} is out of order", b.ts),
                ));
            }
        }
        let closed = page.iter().filter(|(_, close)| *close <= k.bound);
        out.extend(closed.map(|(b, _)| *b));
        progress.advance(out.len() as u64);
        let next = last.ts + k.interval_ms;
        // Binance fills a page unless the data ends: a short page with a whole
        // closed candle still due before the end means the server cut it off.
        if page.len() < LIMIT {
            if next + k.interval_ms - 1 <= k.bound {
                return Err(Error::fetch(
                    format!("GET {url}"),
                    format!(
                        "a short page ({} of {LIMIT} klines) ends at {} with the range going on to {}: the server's history stops early or the page was cut (give an earlier --to)",
                        page.len(),
                        crate::data::time::format_utc(last.ts),
                        crate::data::time::format_utc(k.bound)
                    ),
                ));
            }
            break;
        }
        start = next;
    }
    Ok(out)
}
