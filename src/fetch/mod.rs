//! `tradelab data fetch`: candles from Binance's and CoinGecko's public
//! APIs into a CSV or Parquet file, incrementally (only bars after the
//! file's last are fetched, after checking that the server still has that
//! bar as written), validated, and written atomically, so a failed or
//! interrupted fetch leaves the previous file untouched.

pub mod binance;
pub mod coingecko;
pub mod http;

use std::path::PathBuf;

use crate::data::time::format_utc;
use crate::data::{Candles, Format, RowOrigin, Severity};
use crate::error::{Error, Location, Result};
use http::Policy;

/// One candle as a server sent it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub ts: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

/// What a long fetch tells its caller (a progress bar, or nothing).
pub trait Progress {
    /// About `expected` bars are due.
    fn start(&self, expected: u64);
    /// `done` bars so far.
    fn advance(&self, done: u64);
    /// A retry's wait, or another remark.
    fn note(&self, message: &str);
}

/// A progress that says nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn note(&self, _: &str) {}
}

/// Where the candles come from.
#[derive(Debug, Clone)]
pub enum Source {
    Binance {
        symbol: String,
        interval: String,
        /// The first open time, UTC ms.
        from: i64,
        /// The last close time allowed (default: now).
        to: Option<i64>,
    },
    CoinGecko {
        id: String,
        vs: String,
        days: u32,
    },
}

/// A fetch.
#[derive(Debug, Clone)]
pub struct Request {
    pub source: Source,
    /// The server: `https://api.binance.com`, `https://api.coingecko.com`,
    /// or a test's mock.
    pub base: String,
    pub out: PathBuf,
    /// Rewrite `out` from the whole range instead of appending to it.
    pub force: bool,
    pub policy: Policy,
    /// The clock, UTC ms: a candle that closes after it is not written.
    pub now: i64,
}

/// What a fetch did.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Closed candles the server sent (the re-fetched last bar included).
    pub fetched: usize,
    /// Bars appended to (or written into) the file.
    pub added: usize,
    /// Bars in the file now.
    pub total: usize,
    /// Nothing new: the file was left as it was.
    pub up_to_date: bool,
    pub has_volume: bool,
    pub last: Option<i64>,
}

fn same(a: &Bar, c: &Candles, i: usize, volume: bool) -> bool {
    a.ts == c.ts[i]
        && a.open == c.open[i]
        && a.high == c.high[i]
        && a.low == c.low[i]
        && a.close == c.close[i]
        && (!volume || a.volume == c.volume[i])
}

/// Runs `req`: fetch, check against the file, validate, write.
pub fn run(req: &Request, progress: &dyn Progress) -> Result<Report> {
    let agent = http::agent(&req.policy);
    let get = |a: &ureq::Agent, url: &str| {
        http::get(a, url, &req.policy, &|d| {
            let wait = if d < std::time::Duration::from_secs(1) {
                format!("{} ms", d.as_millis())
            } else {
                format!("{:.1} s", d.as_secs_f64())
            };
            progress.note(&format!("waiting {wait} before retrying {url}"))
        })
    };
    let existing = match (req.out.exists(), req.force) {
        (true, false) => Some(crate::data::load(&req.out)?.0),
        _ => None,
    };
    let last = existing.as_ref().and_then(|c| c.ts.last().copied());
    let (bars, has_volume, name) = match &req.source {
        Source::Binance {
            symbol,
            interval,
            from,
            to,
        } => {
            let ms = binance::interval_ms(interval)?;
            if let Some(c) = existing.as_ref().filter(|c| c.len() > 1) {
                if c.spacing_ms != ms {
                    return Err(Error::input(
                        &req.out,
                        Location::File,
                        format!(
                            "its bars are {} apart, not {interval}: fetch into another file, or --force to rewrite it",
                            crate::data::time::format_duration_ms(c.spacing_ms)
                        ),
                    ));
                }
            }
            let bound = to.unwrap_or(i64::MAX).min(req.now);
            let k = binance::Klines {
                base: &req.base,
                symbol,
                interval,
                interval_ms: ms,
                from: last.unwrap_or(*from),
                bound,
            };
            let bars = binance::fetch(&agent, &k, &get, progress)?;
            (bars, true, format!("binance {symbol} {interval}"))
        }
        Source::CoinGecko { id, vs, days } => {
            progress.start(0);
            let bars = coingecko::fetch(&agent, &req.base, id, vs, *days, req.now, &get)?;
            (bars, false, format!("coingecko {id}/{vs}"))
        }
    };
    let fetched = bars.len();
    let (mut candles, new) = match (&existing, last) {
        (Some(c), Some(last)) => {
            let at = bars.iter().position(|b| b.ts == last).ok_or_else(|| {
                Error::input(
                    &req.out,
                    Location::File,
                    format!(
                        "{name} did not send the file's last bar ({}) again, so the two cannot be joined: fetch a range that covers it, or --force to rewrite the file",
                        format_utc(last)
                    ),
                )
            })?;
            let i = c.len() - 1;
            if !same(&bars[at], c, i, has_volume && c.has_volume) {
                let b = &bars[at];
                return Err(Error::input(
                    &req.out,
                    c.locate(i),
                    format!(
                        "the last bar ({}: open {} high {} low {} close {} volume {}) differs from {name}'s ({} {} {} {} {}): the history changed; --force rewrites the file",
                        format_utc(last), c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i],
                        b.open, b.high, b.low, b.close, b.volume
                    ),
                ));
            }
            (c.clone(), &bars[at + 1..])
        }
        _ => (empty(req, has_volume), &bars[..]),
    };
    if new.is_empty() {
        if existing.is_some() {
            return Ok(Report {
                fetched,
                added: 0,
                total: candles.len(),
                up_to_date: true,
                has_volume: candles.has_volume,
                last,
            });
        }
        return Err(Error::fetch(
            name,
            "no closed candles in the range: nothing written",
        ));
    }
    for b in new {
        candles.ts.push(b.ts);
        candles.open.push(b.open);
        candles.high.push(b.high);
        candles.low.push(b.low);
        candles.close.push(b.close);
        candles.volume.push(b.volume);
    }
    candles.detect_spacing();
    if let Some(f) = crate::data::validate::validate(&candles)
        .into_iter()
        .find(|f| f.severity == Severity::Error)
    {
        return Err(Error::fetch(
            name,
            format!(
                "the fetched candles fail validation ({}: {}); {} left as it was",
                f.rule,
                f.message,
                req.out.display()
            ),
        ));
    }
    crate::data::write::write_candles(&req.out, &candles)?;
    Ok(Report {
        fetched,
        added: new.len(),
        total: candles.len(),
        up_to_date: false,
        has_volume: candles.has_volume,
        last: candles.ts.last().copied(),
    })
}

/// No candles yet, to be written to `req.out`.
fn empty(req: &Request, has_volume: bool) -> Candles {
    let parquet = req
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("pq"));
    let mut columns: Vec<String> = ["timestamp", "open", "high", "low", "close"]
        .map(String::from)
        .to_vec();
    if has_volume {
        columns.push("volume".into());
    }
    Candles {
        source: req.out.clone(),
        format: if parquet {
            Format::Parquet
        } else {
            Format::Csv
        },
        columns,
        origin: RowOrigin::Line(2),
        ts: Vec::new(),
        open: Vec::new(),
        high: Vec::new(),
        low: Vec::new(),
        close: Vec::new(),
        volume: Vec::new(),
        has_volume,
        spacing_ms: 0,
    }
}
