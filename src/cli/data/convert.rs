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
    /// A universe (wide panel, long file): write a wide close panel (.csv)
    /// instead of a long file.
    #[arg(long)]
    pub wide: bool,
}

pub fn run(args: ConvertArgs, quiet: bool) -> anyhow::Result<Outcome> {
    write::OutFormat::from_path(&args.out)?;
    if data::universe_file::is_universe(&args.file) {
        let u = data::universe_file::load(std::slice::from_ref(&args.file))?;
        if args.wide {
            data::universe_info::write_panel(&args.out, &u)?;
        } else {
            data::long::write(&args.out, &u)?;
        }
        if !quiet {
            eprintln!(
                "{} symbols x {} bars written to {}",
                u.series.len(),
                u.len(),
                args.out.display()
            );
        }
        return Ok(Outcome::Ok);
    }
    if args.wide {
        anyhow::bail!(
            "--wide writes a universe; {} holds one instrument",
            args.file.display()
        );
    }
    let (candles, warnings) = data::load(&args.file)?;
    warn_findings(&args.file, &warnings, quiet);
    write::write_candles(&args.out, &candles)?;
    if !quiet {
        eprintln!("{} bars written to {}", candles.len(), args.out.display());
    }
    Ok(Outcome::Ok)
}
