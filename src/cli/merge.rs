//! `tradelab merge DIR... --out DIR`: joins the shards of one sweep into the
//! result one unsharded run gives.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use crate::cli::optimize::{load_market, write};
use crate::cli::Outcome;
use tradelab::data;
use tradelab::optimize::finish;
use tradelab::optimize::read::check_dir;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output folders of `tradelab optimize --shard k/n`, one per shard.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The merged output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// How many of the best trials to show and keep in the summary.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: MergeArgs, quiet: bool) -> anyhow::Result<Outcome> {
    // Every shard is read through and checked first (a row at a time), so
    // that a bad one leaves no output; then they are streamed together.
    let mut parts = Vec::new();
    for d in &args.dirs {
        parts.push(check_dir(d)?);
    }
    let (first, _) = &parts[0];
    let Some([_, n]) = first.shard else {
        bail!(
            "{}: not a shard (it was not run with --shard)",
            args.dirs[0].display()
        );
    };
    let mut seen = vec![false; n];
    let mut by_shard = vec![PathBuf::new(); n];
    let mut held = 0;
    for ((meta, count), dir) in parts.iter().zip(&args.dirs) {
        let Some([k, nk]) = meta.shard else {
            bail!(
                "{}: not a shard (it was not run with --shard)",
                dir.display()
            );
        };
        let same = |m: &tradelab::optimize::output::Meta| {
            let mut m = m.clone();
            m.shard = None;
            m
        };
        if nk != n || same(meta) != same(first) {
            bail!(
                "{}: a shard of a different sweep (strategy, data, method, objective or --no-overfit differ)",
                dir.display()
            );
        }
        if std::mem::replace(&mut seen[k - 1], true) {
            bail!("{}: shard {k}/{n} given twice", dir.display());
        }
        by_shard[k - 1] = dir.clone();
        held += count;
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| !seen[k - 1])
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        bail!("missing shards: {}", missing.join(", "));
    }
    if held != first.points {
        bail!(
            "the shards hold {} trials, the sweep has {}",
            held,
            first.points
        );
    }
    let mut meta = first.clone();
    meta.shard = None;
    // The best trial is re-run in full: the inputs must be the ones the shards used.
    let mut strategy = tradelab::pipeline::load(std::path::Path::new(&meta.strategy_file))?;
    strategy.override_execution(&meta.exec)?;
    let data_path = PathBuf::from(&meta.data_file);
    if data::sha256_file(&strategy.path)? != meta.strategy_sha256
        || data::sha256_file(&data_path)? != meta.data_sha256
    {
        bail!(
            "the strategy or data file changed since the shards ran ({} / {})",
            meta.strategy_file,
            meta.data_file
        );
    }
    let (_, market) = load_market(Some(&data_path), &strategy, quiet)?;
    let sweep = finish::merged(
        meta, &by_shard, &args.out, args.top, &strategy, &market, &data_path,
    )?;
    write(&sweep, &args.out, args.top, args.json, None, quiet)
}
