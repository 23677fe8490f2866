//! The command-line interface: the clap tree, one module per command. Each
//! command turns its flags into a library call and prints the result.

pub mod check;
pub mod completions;
pub mod data;
pub mod eval;
pub mod flags;
pub mod indicators;
pub mod lookahead;
pub mod merge;
pub mod ml;
mod ml_monitor;
pub mod montecarlo;
pub mod optimize;
mod output;
pub mod report;
pub mod run;
pub mod walkforward;

use clap::{Parser, Subcommand};

/// How a successful command ended: all good, or a check that found problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Ok,
    /// Exit code 1: the command ran, and what it checked failed.
    CheckFailed,
    /// Exit code 130: stopped by Ctrl-C after writing what had finished.
    Interrupted,
}

#[derive(Debug, Parser)]
#[command(
    name = "tradelab",
    version,
    about = "Backtesting and research toolkit: exact indicators, fast sweeps, reports, a CI regression gate",
    propagate_version = true
)]
pub struct Cli {
    /// No progress bars and no warnings on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect, validate, resample, convert and synthesize candle files.
    Data(data::DataArgs),
    /// Backtest strategies: metrics as a table or JSON.
    Run(run::RunArgs),
    /// Re-render a report (HTML) from its report.json.
    Report(report::ReportArgs),
    /// Sweep a strategy's parameters (grid or random), in parallel, with overfitting statistics.
    Optimize(optimize::OptimizeArgs),
    /// Walk-forward analysis: optimize on each training window, trade the next test window.
    Walkforward(walkforward::WalkforwardArgs),
    /// Join the shards of a sweep into one result.
    Merge(merge::MergeArgs),
    /// The CI regression gate: re-run a suite's cases and compare with baselines.
    Check(check::CheckArgs),
    /// Evaluate expressions over a dataset: one column per -e NAME=EXPR.
    Eval(eval::EvalArgs),
    /// Check that no expression or trade decision uses future bars.
    Lookahead(lookahead::LookaheadArgs),
    /// ML signals: evaluate a strategy's model, or compare two (A/B).
    Ml(ml::MlArgs),
    /// Monte Carlo paths of a backtest: how much of its result is luck.
    Montecarlo(montecarlo::MontecarloArgs),
    /// The catalogue of indicator and helper functions.
    Indicators(indicators::IndicatorsArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Data(args) => data::run(args, quiet),
        Command::Run(args) => run::run(args, quiet),
        Command::Report(args) => report::run(args, quiet),
        Command::Optimize(args) => optimize::run(args, quiet),
        Command::Merge(args) => merge::run(args, quiet),
        Command::Walkforward(args) => walkforward::run(args, quiet),
        Command::Check(args) => check::run(args, quiet),
        Command::Eval(args) => eval::run(args, quiet),
        Command::Indicators(args) => indicators::run(args),
        Command::Lookahead(args) => lookahead::run(args, quiet),
        Command::Ml(args) => ml::run(args, quiet),
        Command::Montecarlo(args) => montecarlo::run(args, quiet),
        Command::Completions(args) => completions::run(args),
    }
}
