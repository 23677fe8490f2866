//! `tradelab data synth --bars N --seed S --out FILE [--start DATE] [--spacing 1m]`.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use crate::cli::Outcome;
use tradelab::data::{long, synth, time, universe, write};

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Number of bars.
    #[arg(long)]
    pub bars: usize,
    /// Random seed: the same seed gives a byte-identical file.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The output file, .csv or .parquet.
    #[arg(long)]
    pub out: PathBuf,
    /// First bar's time (ISO date or date-time, UTC).
    #[arg(long, default_value = "2020-01-01")]
    pub start: String,
    /// Bar spacing: 1m, 5m, 1h, 1d, ...
    #[arg(long, default_value = "1m")]
    pub spacing: String,
    /// First open price.
    #[arg(long, default_value_t = 100.0)]
    pub price: f64,
    /// Annual drift of the log price.
    #[arg(long, default_value_t = 0.05)]
    pub drift: f64,
    /// Annual volatility of the log price.
    #[arg(long, default_value_t = 0.5)]
    pub volatility: f64,
    /// Write a universe of N symbols (S001, S002, ...; seeds S, S+1, ...) as
    /// a long file: timestamp, symbol, open, high, low, close.
    #[arg(long)]
    pub symbols: Option<usize>,
}

pub fn run(args: SynthArgs, quiet: bool) -> anyhow::Result<Outcome> {
    write::OutFormat::from_path(&args.out)?;
    let Some((start_ms, _)) = time::parse_iso(&args.start) else {
        bail!(
            "invalid --start '{}': expected an ISO date such as 2020-01-01",
            args.start
        );
    };
    let Some(spacing_ms) = time::parse_duration(&args.spacing) else {
        bail!(
            "invalid --spacing '{}': expected e.g. 1m, 5m, 1h, 1d",
            args.spacing
        );
    };
    if args.bars == 0 || args.bars > 1_000_000_000 {
        bail!(
            "--bars must be between 1 and 1,000,000,000, got {}",
            args.bars
        );
    }
    // The last bar must be a representable date (before year 10000).
    let last = (args.bars as i64 - 1)
        .checked_mul(spacing_ms)
        .and_then(|d| d.checked_add(start_ms));
    if last.is_none_or(|t| t >= 253_402_300_800_000) {
        bail!(
            "--bars {} of {} from {} would run past the year 9999",
            args.bars,
            args.spacing,
            args.start
        );
    }
    if !(args.price > 0.0 && args.price.is_finite()) {
        bail!("--price must be a positive number, got {}", args.price);
    }
    if !(args.volatility >= 0.0 && args.volatility.is_finite() && args.drift.is_finite()) {
        bail!("--volatility must be >= 0 and --drift finite");
    }
    let cfg = synth::SynthConfig {
        bars: args.bars,
        seed: args.seed,
        start_ms,
        spacing_ms,
        start_price: args.price,
        drift: args.drift,
        volatility: args.volatility,
    };
    if let Some(k) = args.symbols {
        if k == 0 || k > 100_000 {
            bail!("--symbols must be between 1 and 100,000, got {k}");
        }
        let width = k.to_string().len().max(3);
        let series: Vec<universe::Series> = (0..k)
            .map(|i| {
                let c = synth::synth(&synth::SynthConfig {
                    seed: args.seed.wrapping_add(i as u64),
                    ..cfg
                });
                universe::Series {
                    symbol: format!("S{:0width$}", i + 1),
                    close: c.close,
                    ohlc: Some([c.open, c.high, c.low]),
                }
            })
            .collect();
        let ts: Vec<i64> = (0..args.bars as i64)
            .map(|i| start_ms + i * spacing_ms)
            .collect();
        let u = universe::Universe {
            source: args.out.clone(),
            ts,
            series,
            spacing_ms,
            warnings: Vec::new(),
        };
        long::write(&args.out, &u)?;
        if !quiet {
            eprintln!(
                "{k} symbols x {} bars written to {}",
                args.bars,
                args.out.display()
            );
        }
        return Ok(Outcome::Ok);
    }
    let candles = synth::synth(&cfg);
    write::write_candles(&args.out, &candles)?;
    if !quiet {
        eprintln!("{} bars written to {}", candles.len(), args.out.display());
    }
    Ok(Outcome::Ok)
}
