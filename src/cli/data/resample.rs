//! `tradelab data resample FILE --to RULE --out FILE`.

use std::path::PathBuf;

use clap::Args;

use crate::cli::output::warn_findings;
use crate::cli::Outcome;
use tradelab::data::{self, resample::Rule, write};

#[derive(Debug, Args)]
pub struct ResampleArgs {
    /// The candle file to resample.
    pub file: PathBuf,
    /// The new bar: 15m, 1h, 4h, 1d, 1w (weeks start Monday), any N of s/m/h/d/w.
    #[arg(long)]
    pub to: String,
    /// The output file, .csv or .parquet.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: ResampleArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let rule = Rule::parse(&args.to)?;
    write::OutFormat::from_path(&args.out)?;
    let (candles, warnings) = data::load(&args.file)?;
    warn_findings(&args.file, &warnings, quiet);
    let out = data::resample::resample(&candles, rule);
    write::write_candles(&args.out, &out)?;
    if !quiet {
        eprintln!(
            "{} bars -> {} bars of {} written to {}",
            candles.len(),
            out.len(),
            args.to,
            args.out.display()
        );
    }
    Ok(Outcome::Ok)
}
