//! `tradelab report report.json --format html,pdf [--out DIR]`: re-render a
//! report from its JSON without re-running anything.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::cli::flags::BenchmarkFlag;
use crate::cli::Outcome;
use tradelab::report::{write_folder, Formats};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A report.json written by `run --report json`.
    pub report: PathBuf,
    /// Formats to write: html, pdf and/or xlsx (and json to copy it).
    #[arg(long, default_value = "html")]
    pub format: String,
    /// The output folder (default: the report's own folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Measure the run against this benchmark instead (a run report only).
    #[command(flatten)]
    pub benchmark: BenchmarkFlag,
}

pub fn run(args: ReportArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let formats = Formats::parse(&args.format).map_err(|e| anyhow::anyhow!("--format: {e}"))?;
    let text =
        std::fs::read_to_string(&args.report).map_err(|e| tradelab::Error::io(&args.report, &e))?;
    let mut report: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        tradelab::Error::input(
            &args.report,
            tradelab::Location::LineCol(e.line(), e.column()),
            format!("not JSON: {e}"),
        )
    })?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| args.report.parent().map(PathBuf::from).unwrap_or_default());
    if report.get("equity").is_none() && report["monte_carlo"].is_object() {
        if args.benchmark.benchmark.is_some() {
            anyhow::bail!(
                "{}: a Monte Carlo report has no benchmark to change",
                args.report.display()
            );
        }
        // A `montecarlo` report.
        tradelab::report::montecarlo::write_folder(&dir, &report, formats, None)
            .with_context(|| format!("rendering {}", args.report.display()))?;
        if !quiet {
            eprintln!("report written to {}", dir.display());
        }
        return Ok(Outcome::Ok);
    }
    if report.get("equity").is_none() {
        anyhow::bail!(
            "{}: not a tradelab report.json (no equity curve)",
            args.report.display()
        );
    }
    if let Some(b) = args.benchmark.load()? {
        tradelab::report::benchmark::rebenchmark(&mut report, &b)
            .map_err(|e| tradelab::Error::input(&args.report, tradelab::Location::File, e))?;
    }
    write_folder(&dir, &report, formats)
        .with_context(|| format!("rendering {}", args.report.display()))?;
    if !quiet {
        eprintln!("report written to {}", dir.display());
    }
    Ok(Outcome::Ok)
}
