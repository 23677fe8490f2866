//! `tradelab lookahead STRATEGY.toml`: proves no signal looks into the future.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args;

use crate::cli::output::{emit, load_data};
use crate::cli::Outcome;
use tradelab::data::time::format_utc;
use tradelab::lookahead::{check, cut_points};

#[derive(Debug, Args)]
pub struct LookaheadArgs {
    pub strategy: PathBuf,
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// How many cut points, spread over the series.
    #[arg(long, default_value_t = 20)]
    pub cuts: usize,
    #[arg(long = "set", value_name = "PARAM=VALUE")]
    pub sets: Vec<String>,
}

pub fn run(args: LookaheadArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let strategy = tradelab::pipeline::load(&args.strategy)?;
    let params = strategy.with_overrides(&args.sets)?;
    let (path, candles) = load_data(args.data.as_deref(), &strategy, quiet)?;
    let found = check(&strategy, &params, &candles, args.cuts, &|_| HashMap::new())?;
    match found {
        None => {
            let n = cut_points(candles.len(), args.cuts).len();
            emit(format!(
                "{} on {}: no look-ahead; every expression and trade decision is the same with the data cut at {n} points",
                strategy.name,
                path.display()
            ))?;
            Ok(Outcome::Ok)
        }
        Some(f) => {
            emit(format!(
                "{} on {}: LOOK-AHEAD: '{}' differs at bar {} ({}) when the data ends after bar {} ({})",
                strategy.name,
                path.display(),
                f.what,
                f.bar,
                format_utc(candles.ts[f.bar]),
                f.cut - 1,
                format_utc(candles.ts[f.cut - 1])
            ))?;
            Ok(Outcome::CheckFailed)
        }
    }
}
