//! `tradelab montecarlo STRATEGY.toml`: Monte Carlo paths of one backtest
//! (its trades shuffled or bootstrapped, or its bar returns block
//! bootstrapped) and the distribution of their results.

use std::path::PathBuf;

use anyhow::bail;
use clap::{Args, ValueEnum};

use crate::cli::flags::{DataFlag, ExecFlags, JobsFlag, ReportFlags, SetFlags};
use crate::cli::output::{emit, load_data, load_universe, table};
use crate::cli::Outcome;
use tradelab::data;
use tradelab::format::metric_text;
use tradelab::optimize::market::Market;
use tradelab::report::montecarlo::{write_folder, McInputs};
use tradelab::robust::montecarlo::{self, Config, History};
use tradelab::robust::paths::{default_block, Method};
use tradelab::robust::summary::{formatted_as, HEADER, PERCENTILES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// The closed trades' returns in a random order.
    Shuffle,
    /// As many trades as there were, drawn with replacement.
    Bootstrap,
    /// A stationary block bootstrap of the bar returns (mean length --block).
    Block,
}

#[derive(Debug, Args)]
pub struct MontecarloArgs {
    pub strategy: PathBuf,
    #[command(flatten)]
    pub data: DataFlag,
    #[command(flatten)]
    pub set: SetFlags,
    #[command(flatten)]
    pub exec: ExecFlags,
    /// How many paths.
    #[arg(long, default_value_t = 1000)]
    pub paths: usize,
    /// Random seed: the same seed gives the same paths, whatever --jobs.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[arg(long, value_enum, default_value = "shuffle")]
    pub method: MethodArg,
    /// Mean block length in bars for --method block (default: the rounded
    /// cube root of the bar count).
    #[arg(long)]
    pub block: Option<usize>,
    /// Report the probability of a max drawdown deeper than this fraction
    /// (repeatable; default 0.2 and 0.3).
    #[arg(long = "dd-limit", value_name = "FRACTION")]
    pub dd_limit: Vec<f64>,
    #[command(flatten)]
    pub jobs: JobsFlag,
    /// Print JSON: method, paths, seed and summary.
    #[arg(long)]
    pub json: bool,
    /// A report folder: report.json, report.html, report.pdf and paths.csv
    /// (every path's metric table).
    #[command(flatten)]
    pub report: ReportFlags,
}

pub fn run(args: MontecarloArgs, quiet: bool) -> anyhow::Result<Outcome> {
    if args.paths == 0 {
        bail!("--paths must be at least 1");
    }
    if args.block == Some(0) {
        bail!("--block must be at least 1 bar");
    }
    if args.block.is_some() && args.method != MethodArg::Block {
        bail!("--block applies to --method block only");
    }
    if let Some(l) = args.dd_limit.iter().find(|l| !(**l > 0.0 && **l < 1.0)) {
        bail!("--dd-limit {l} is out of range: a drawdown depth between 0 and 1 (0.2 = 20 %)");
    }
    let jobs = args.jobs.get()?;
    let formats = args.report.formats()?;
    let mut strategy = tradelab::pipeline::load(&args.strategy)?;
    args.exec.apply(&mut strategy)?;
    let params = args.set.params(&strategy)?;
    let (path, market) = if strategy.portfolio.is_some() {
        let files: Vec<PathBuf> = args.data.data.iter().cloned().collect();
        let (p, u) = load_universe(&files, &strategy, quiet)?;
        (p, Market::Portfolio(u))
    } else {
        let (p, c) = load_data(args.data.data.as_deref(), &strategy, quiet)?;
        (p, Market::Single(c))
    };
    let method = match args.method {
        MethodArg::Shuffle => Method::Shuffle,
        MethodArg::Bootstrap => Method::Bootstrap,
        MethodArg::Block => Method::Block {
            mean: args.block.unwrap_or_else(|| default_block(market.len())),
        },
    };
    let dd_limits = if args.dd_limit.is_empty() {
        vec![0.2, 0.3]
    } else {
        args.dd_limit.clone()
    };
    let cfg = Config {
        method,
        paths: args.paths,
        seed: args.seed,
        dd_limits,
    };
    // The run, then its paths on --jobs threads.
    let run = market.test_run(&strategy, &params, 0, market.len())?;
    let bench = market.bench(&strategy)?;
    let h = History {
        backtest: &run.backtest,
        ts: market.ts(),
        bench: &bench,
        spacing_ms: market.spacing_ms(),
        cash: strategy.execution.cash,
    };
    let mc = tradelab::with_threads(jobs, || Ok(montecarlo::run(&h, &cfg)))?;
    if method.is_trades() && mc.trades == 0 {
        bail!(
            "{} on {}: no closed trades to draw paths from (try --method block)",
            strategy.name,
            path.display()
        );
    }
    let inputs = McInputs {
        strategy: &strategy,
        strategy_sha256: &data::sha256_file(&strategy.path)?,
        source: &path,
        data_sha256: &data::sha256_file(&path)?,
        ts: market.ts(),
        params: &params,
    };
    if let Some(f) = formats {
        let stem = path
            .file_stem()
            .map_or("data".into(), |x| x.to_string_lossy().into_owned());
        let dir = args.report.out.clone().unwrap_or_else(|| {
            PathBuf::from("reports").join(format!("{}_{stem}_montecarlo", strategy.name))
        });
        write_folder(&dir, &inputs.report(&mc), f, Some(&mc))?;
    }
    if args.json {
        emit(serde_json::to_string_pretty(&inputs.json(&mc))?)?;
        return Ok(Outcome::Ok);
    }
    let block = match method {
        Method::Block { mean } => format!(", mean block {mean} bars"),
        _ => format!(", {} closed trades", mc.trades),
    };
    emit(format!(
        "{} on {}: {} {} paths (seed {}{block})",
        strategy.name,
        path.display(),
        args.paths,
        method.name(),
        args.seed
    ))?;
    let mut t = table();
    t.set_header(HEADER.to_vec());
    for (key, f) in &mc.summary.figures {
        let m = formatted_as(key);
        let mut row = vec![key.to_string()];
        row.extend(
            PERCENTILES
                .iter()
                .map(|(p, _)| metric_text(m, f.percentiles[p])),
        );
        row.push(metric_text(m, f.historical));
        row.push(metric_text("exposure", f.historical_rank));
        t.add_row(row);
    }
    emit(t)?;
    let s = &mc.summary;
    let mut line = format!(
        "probability of a loss: {}",
        metric_text("exposure", Some(s.prob_loss))
    );
    for (l, p) in &s.prob_drawdown_beyond {
        line.push_str(&format!(
            "; of a drawdown beyond {}: {}",
            metric_text("exposure", Some(*l)),
            metric_text("exposure", Some(*p))
        ));
    }
    emit(line).map(|_| Outcome::Ok)
}
