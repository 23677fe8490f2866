//! `tradelab data ...`: the candle-file commands.

mod convert;
#[cfg(feature = "fetch")]
mod fetch;
mod info;
mod quality;
mod resample;
mod synth;
mod validate;

use clap::{Args, Subcommand};

use super::Outcome;

#[derive(Debug, Args)]
pub struct DataArgs {
    #[command(subcommand)]
    pub command: DataCommand,
}

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Bars, period, spacing, columns, price range and gaps of a candle file.
    Info(info::InfoArgs),
    /// Check a candle file; exit 0 when clean, 1 on errors, 2 when unreadable.
    Validate(validate::ValidateArgs),
    /// Suspicious data: gaps, stale closes, outliers, volume spikes and
    /// zero-volume runs, bars outside the session; --strict exits 1 on any.
    Quality(quality::QualityArgs),
    /// Aggregate to coarser bars (first, max, min, last, sum), bins from midnight UTC.
    Resample(resample::ResampleArgs),
    /// Convert between CSV, Parquet and Binance kline dumps (output: .csv or .parquet).
    Convert(convert::ConvertArgs),
    /// Deterministic geometric-Brownian-motion candles for scale tests.
    Synth(synth::SynthArgs),
    /// Candles from Binance or CoinGecko into a file, appended when it exists.
    #[cfg(feature = "fetch")]
    Fetch(fetch::FetchArgs),
}

pub fn run(args: DataArgs, quiet: bool) -> anyhow::Result<Outcome> {
    match args.command {
        DataCommand::Info(a) => info::run(a),
        DataCommand::Validate(a) => validate::run(a),
        DataCommand::Quality(a) => quality::run(a),
        DataCommand::Resample(a) => resample::run(a, quiet),
        DataCommand::Convert(a) => convert::run(a, quiet),
        DataCommand::Synth(a) => synth::run(a, quiet),
        #[cfg(feature = "fetch")]
        DataCommand::Fetch(a) => fetch::run(a, quiet),
    }
}
