//! `tradelab data convert FILE --out FILE.(csv|parquet)`.

use std::path::PathBuf;

use clap::Args;

use crate::cli::output::warn_findings;
use crate::cli::Outcome;
use tradelab::data::{self, write};

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The candle file to read (CSV, Parquet or Binance kline dump).
    pub file: PathBuf,
    /// The output file: .csv or .parquet.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: ConvertArgs, quiet: bool) -> anyhow::Result<Outcome> {
    write::OutFormat::from_path(&args.out)?;
    let (candles, warnings) = data::load(&args.file)?;
    warn_findings(&args.file, &warnings, quiet);
    write::write_candles(&args.out, &candles)?;
    if !quiet {
        eprintln!("{} bars written to {}", candles.len(), args.out.display());
    }
    Ok(Outcome::Ok)
}
