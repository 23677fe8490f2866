//! `tradelab data fetch binance|coingecko ...`: candles from a public
//! market-data API into a CSV or Parquet file, appended to when it exists.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use indicatif::ProgressBar;

use crate::cli::output::emit;
use crate::cli::Outcome;
use tradelab::data::time::format_utc;
use tradelab::fetch::{self, http::Policy, Progress, Request, Source};

#[derive(Debug, Args)]
pub struct FetchArgs {
    #[command(subcommand)]
    pub source: FetchSource,
}

#[derive(Debug, Subcommand)]
pub enum FetchSource {
    /// Binance klines (GET /api/v3/klines), closed candles only.
    Binance(BinanceArgs),
    /// CoinGecko OHLC (GET /api/v3/coins/{id}/ohlc); it has no volume.
    Coingecko(CoinGeckoArgs),
}

#[derive(Debug, Args)]
pub struct BinanceArgs {
    /// The symbol, e.g. BTCUSDT.
    pub symbol: String,
    /// 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d or 1w.
    #[arg(long)]
    pub interval: String,
    /// The first candle's open time (ISO date or date-time, UTC).
    #[arg(long)]
    pub from: String,
    /// The last day (a date includes the whole day; default: now).
    #[arg(long)]
    pub to: Option<String>,
    #[command(flatten)]
    pub common: FetchFlags,
}

#[derive(Debug, Args)]
pub struct CoinGeckoArgs {
    /// The coin's CoinGecko id, e.g. bitcoin.
    pub coin: String,
    /// The quote currency.
    #[arg(long, default_value = "usd")]
    pub vs: String,
    /// How many days back (1–2: 30-minute candles, 3–30: 4-hour, more: 4-day).
    #[arg(long)]
    pub days: u32,
    #[command(flatten)]
    pub common: FetchFlags,
}

/// What every source shares.
#[derive(Debug, Args)]
pub struct FetchFlags {
    /// The file to write (.csv or .parquet); when it exists, bars after its
    /// last are appended.
    #[arg(long)]
    pub out: PathBuf,
    /// Another server (default: the TRADELAB_BINANCE_URL or
    /// TRADELAB_COINGECKO_URL environment variable, else the public API).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Retries of a request answered 429 or 5xx, or dropped.
    #[arg(long, default_value_t = 5)]
    pub retries: u32,
    /// Seconds each request may take.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Milliseconds before the first retry without Retry-After (doubling).
    #[arg(long, default_value_t = 1000)]
    pub backoff: u64,
    /// Rewrite the file from the whole range, even if its last bar changed.
    #[arg(long)]
    pub force: bool,
}

/// The progress bar: bars fetched out of bars expected.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, expected: u64) {
        self.0.set_length(expected);
    }
    fn advance(&self, done: u64) {
        self.0.set_position(done);
    }
    fn note(&self, message: &str) {
        if self.0.is_hidden() {
            eprintln!("{message}");
        } else {
            self.0.println(message);
        }
    }
}

fn base(flag: &Option<String>, var: &str, default: &str) -> String {
    flag.clone()
        .or_else(|| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| default.to_string())
}

pub fn run(args: FetchArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let (source, common, base) = match args.source {
        FetchSource::Binance(a) => {
            fetch::binance::interval_ms(&a.interval)?;
            let from = crate::cli::run::parse_date(&a.from, false, "--from")?;
            let to =
                a.to.as_deref()
                    .map(|t| crate::cli::run::parse_date(t, true, "--to"))
                    .transpose()?;
            let url = base(
                &a.common.base_url,
                "TRADELAB_BINANCE_URL",
                "https://api.binance.com",
            );
            let s = Source::Binance {
                symbol: a.symbol,
                interval: a.interval,
                from,
                to,
            };
            (s, a.common, url)
        }
        FetchSource::Coingecko(a) => {
            if a.days == 0 {
                anyhow::bail!("--days must be at least 1");
            }
            let url = base(
                &a.common.base_url,
                "TRADELAB_COINGECKO_URL",
                "https://api.coingecko.com",
            );
            let s = Source::CoinGecko {
                id: a.coin,
                vs: a.vs,
                days: a.days,
            };
            (s, a.common, url)
        }
    };
    tradelab::data::write::OutFormat::from_path(&common.out)?;
    let req = Request {
        source,
        base,
        out: common.out.clone(),
        force: common.force,
        policy: Policy {
            retries: common.retries,
            timeout: Duration::from_secs(common.timeout.max(1)),
            backoff: Duration::from_millis(common.backoff),
        },
        now: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64),
    };
    let bar = Bar(crate::cli::optimize::progress(0, "bars", quiet));
    let report = fetch::run(&req, &bar);
    bar.0.finish_and_clear();
    let report = report?;
    let path = common.out.display();
    let last = report.last.map_or(String::new(), format_utc);
    if report.up_to_date {
        emit(format!(
            "{path} is up to date: nothing after its last bar ({last}); {} bars",
            report.total
        ))?;
    } else {
        emit(format!(
            "{path}: {} new bars written, {} in all, up to {last}",
            report.added, report.total
        ))?;
    }
    if !report.has_volume && !quiet {
        eprintln!("note: CoinGecko's OHLC endpoint has no volume: {path} has no volume column");
    }
    Ok(Outcome::Ok)
}
