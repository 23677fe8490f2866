//! `tradelab eval`: named expressions over a dataset, as CSV or Parquet.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::cli::flags::{DataFlag, ExecFlags};
use crate::cli::output::warn_findings;
use crate::cli::Outcome;
use tradelab::data::{self, write::ColumnTable};
use tradelab::pipeline::eval::evaluate;
use tradelab::strategy::request::Request;
use tradelab::strategy::ColumnCache;

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub data: DataFlag,
    /// A strategy file: its parameters are in scope; without -e its signals are written.
    #[arg(long)]
    pub strategy: Option<PathBuf>,
    /// NAME=EXPR, repeatable: one output column per expression.
    #[arg(short = 'e', long = "expr", value_name = "NAME=EXPR")]
    pub exprs: Vec<String>,
    /// PARAM=VALUE: a strategy parameter override, or (without --strategy) a name for expressions.
    #[arg(long = "set", value_name = "PARAM=VALUE")]
    pub sets: Vec<String>,
    #[command(flatten)]
    pub exec: ExecFlags,
    /// The symbol to evaluate in a universe (a panel, a long file) or of a
    /// portfolio strategy; without -e, its signals.
    #[arg(long)]
    pub symbol: Option<String>,
    /// Write to this .csv or .parquet file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: EvalArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let mut strategy = args
        .strategy
        .as_deref()
        .map(tradelab::pipeline::load)
        .transpose()?;
    match strategy.as_mut() {
        Some(s) => args.exec.apply(s)?,
        None if !args.exec.exec.is_empty() => {
            anyhow::bail!("--exec changes a strategy's [execution]: give --strategy FILE")
        }
        None => {}
    }
    let params = match &strategy {
        Some(s) => s
            .with_overrides(&args.sets)
            .map_err(|e| anyhow::anyhow!("--set {e}"))?,
        None => free_params(&args.sets)?,
    };
    let portfolio = strategy.as_ref().is_some_and(|s| s.portfolio.is_some());
    if portfolio || args.symbol.is_some() {
        return symbol(&args, strategy.as_ref(), &params, quiet);
    }
    let data_path = match (
        &args.data.data,
        strategy.as_ref().and_then(|s| s.data.clone()),
    ) {
        (Some(d), _) => d.clone(),
        (None, Some(d)) => d,
        (None, None) => {
            anyhow::bail!("no data: give --data FILE (or a --strategy with a data file)")
        }
    };
    if let Some(out) = &args.out {
        data::write::OutFormat::from_path(out)?;
    }
    let (candles, warnings) = data::load(&data_path)?;
    warn_findings(&data_path, &warnings, quiet);
    let requests = requests_of(&args);
    if requests.is_empty() && strategy.is_none() {
        anyhow::bail!("nothing to evaluate: give -e NAME=EXPR or --strategy FILE");
    }
    let cache = ColumnCache::default();
    let outputs = evaluate(&candles, strategy.as_ref(), &params, &requests, &cache)?;
    let table = ColumnTable {
        ts: &candles.ts,
        names: outputs.iter().map(|o| o.name.clone()).collect(),
        columns: outputs.iter().map(|o| o.values.as_slice()).collect(),
    };
    write_table(&table, args.out.as_deref(), quiet)
}

/// Writes the columns to `out` (CSV or Parquet) or as CSV to stdout.
fn write_table(
    table: &ColumnTable,
    out: Option<&std::path::Path>,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    match out {
        Some(path) => {
            table.write_file(path)?;
            if !quiet {
                eprintln!(
                    "{} columns x {} bars written to {}",
                    table.names.len(),
                    table.ts.len(),
                    path.display()
                );
            }
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match table
                .write_csv(&mut out)
                .and_then(|_| std::io::Write::flush(&mut out))
            {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("writing to stdout")?,
            }
        }
    }
    Ok(Outcome::Ok)
}

/// `--set n=14` without a strategy: free names for the expressions.
fn free_params(sets: &[String]) -> anyhow::Result<std::collections::BTreeMap<String, f64>> {
    let mut out = std::collections::BTreeMap::new();
    for s in sets {
        let (k, v) = s
            .split_once('=')
            .with_context(|| format!("--set expects NAME=VALUE, got '{s}'"))?;
        let v: f64 = v
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("--set {s}: '{}' is not a number", v.trim()))?;
        out.insert(k.trim().to_string(), v);
    }
    Ok(out)
}

/// The -e expressions, labelled as the command line gave them.
fn requests_of(args: &EvalArgs) -> Vec<Request> {
    args.exprs
        .iter()
        .map(|e| {
            let mut r = Request::parse(e);
            r.label = format!("-e {}", r.name);
            r
        })
        .collect()
}

/// One symbol of a universe: the -e expressions on its bars, or a
/// portfolio strategy's signals for it (cross-sectional functions see
/// every symbol).
fn symbol(
    args: &EvalArgs,
    strategy: Option<&tradelab::strategy::Strategy>,
    params: &std::collections::BTreeMap<String, f64>,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    let files: Vec<PathBuf> = args.data.data.iter().cloned().collect();
    let u = match strategy {
        Some(s) => {
            let u = crate::cli::output::load_universe(&files, s, quiet)?.1;
            tradelab::portfolio::universe_of(s, &u)?
        }
        None if files.is_empty() => anyhow::bail!("no data: give --data FILE"),
        None => data::universe_file::load(&files)?,
    };
    let Some(name) = args.symbol.as_deref() else {
        anyhow::bail!(
            "a portfolio strategy trades several symbols: give --symbol S (one of {})",
            u.symbols().join(", ")
        );
    };
    let requests = requests_of(args);
    let (candles, outputs): (_, tradelab::portfolio::eval::Named) = match strategy {
        Some(s) if requests.is_empty() && s.portfolio.is_some() => {
            tradelab::portfolio::eval::signals(s, params, &u, name)?
        }
        _ => {
            let Some(i) = u.series.iter().position(|x| x.symbol == name) else {
                anyhow::bail!(
                    "no symbol '{name}' in the universe ({})",
                    u.symbols().join(", ")
                );
            };
            if requests.is_empty() {
                anyhow::bail!("nothing to evaluate: give -e NAME=EXPR or --strategy FILE");
            }
            let (candles, _) = u.candles(i);
            let cache = ColumnCache::default();
            let out = evaluate(&candles, strategy, params, &requests, &cache)?;
            (
                candles,
                out.into_iter().map(|o| (o.name, o.values)).collect(),
            )
        }
    };
    let table = ColumnTable {
        ts: &candles.ts,
        names: outputs.iter().map(|o| o.0.clone()).collect(),
        columns: outputs.iter().map(|o| o.1.as_slice()).collect(),
    };
    write_table(&table, args.out.as_deref(), quiet)
}
