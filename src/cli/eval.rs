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
    if let Some(s) = strategy.as_ref().filter(|s| s.portfolio.is_some()) {
        anyhow::bail!(
            "{}: '{}' is a portfolio strategy; eval does not take portfolio strategies yet",
            s.path.display(),
            s.name
        );
    }
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
    let requests: Vec<Request> = args
        .exprs
        .iter()
        .map(|e| {
            let mut r = Request::parse(e);
            r.label = format!("-e {}", r.name);
            r
        })
        .collect();
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
    match &args.out {
        Some(path) => {
            table.write_file(path)?;
            if !quiet {
                eprintln!(
                    "{} columns x {} bars written to {}",
                    outputs.len(),
                    candles.len(),
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
