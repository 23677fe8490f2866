//! `tradelab lookahead STRATEGY.toml`: proves no signal looks into the future.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args;

use crate::cli::flags::{DataFlag, ExecFlags, SetFlags};
use crate::cli::output::{emit, load_data, load_universe};
use crate::cli::Outcome;
use tradelab::data::time::format_utc;
use tradelab::lookahead::{check, cut_points};

#[derive(Debug, Args)]
pub struct LookaheadArgs {
    pub strategy: PathBuf,
    #[command(flatten)]
    pub data: DataFlag,
    /// How many cut points, spread over the series.
    #[arg(long, default_value_t = 20)]
    pub cuts: usize,
    #[command(flatten)]
    pub set: SetFlags,
    #[command(flatten)]
    pub exec: ExecFlags,
}

pub fn run(args: LookaheadArgs, quiet: bool) -> anyhow::Result<Outcome> {
    if args.cuts == 0 {
        anyhow::bail!("--cuts must be at least 1");
    }
    let mut strategy = tradelab::pipeline::load(&args.strategy)?;
    args.exec.apply(&mut strategy)?;
    let params = args.set.params(&strategy)?;
    let (path, ts, found) = if strategy.portfolio.is_some() {
        // A portfolio: the whole universe is cut.
        let data: Vec<PathBuf> = args.data.data.iter().cloned().collect();
        let (path, u) = load_universe(&data, &strategy, quiet)?;
        let found = tradelab::portfolio::lookahead::check(&strategy, &params, &u, args.cuts)?;
        (path, u.ts, found)
    } else {
        let (path, candles) = load_data(args.data.data.as_deref(), &strategy, quiet)?;
        let found = check(&strategy, &params, &candles, args.cuts, &|_| HashMap::new())?;
        (path, candles.ts, found)
    };
    match found {
        None => {
            let n = cut_points(ts.len(), args.cuts).len();
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
                format_utc(ts[f.bar]),
                f.cut - 1,
                format_utc(ts[f.cut - 1])
            ))?;
            Ok(Outcome::CheckFailed)
        }
    }
}
