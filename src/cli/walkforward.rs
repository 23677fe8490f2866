//! `tradelab walkforward`: optimize on each training window, trade the next
//! test window, stitch the out-of-sample equity.

use std::path::PathBuf;

use clap::Args;

use crate::cli::flags::{BenchmarkFlag, DataFlag, ExecFlags, JobsFlag, ReportFlags, SearchFlags};
use crate::cli::optimize::{load_market, progress};
use crate::cli::output::{emit, table};
use crate::cli::Outcome;
use tradelab::data::time::format_utc;
use tradelab::format::{metric_text, number_text};
use tradelab::metrics::Metrics;
use tradelab::optimize::sweep::Config;
use tradelab::optimize::walk_report;
use tradelab::optimize::walkforward::{self, windows, Span, WalkConfig};
use tradelab::strategy::Strategy;

#[derive(Debug, Args)]
pub struct WalkforwardArgs {
    /// The strategy file; its [params] ranges are searched in each window.
    pub strategy: PathBuf,
    #[command(flatten)]
    pub data: DataFlag,
    /// Training window: bars (500) or a span (90d, 12w, 6m, 2y).
    #[arg(long)]
    pub train: String,
    /// Test window: bars or a span; windows move on by this much.
    #[arg(long)]
    pub test: String,
    /// Every training window starts at the first bar (and grows).
    #[arg(long)]
    pub anchored: bool,
    /// How each training window is searched (grid, random or genetic) and for what.
    #[command(flatten)]
    pub search: SearchFlags,
    #[command(flatten)]
    pub exec: ExecFlags,
    #[command(flatten)]
    pub jobs: JobsFlag,
    #[command(flatten)]
    pub benchmark: BenchmarkFlag,
    #[arg(long)]
    pub json: bool,
    /// report.json is the --json object (default folder: reports/<strategy>_walkforward).
    #[command(flatten)]
    pub report: ReportFlags,
}

pub fn run(args: WalkforwardArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let mut strategy = tradelab::pipeline::load(&args.strategy)?;
    args.exec.apply(&mut strategy)?;
    let cfg = WalkConfig {
        train: Span::parse(&args.train, "--train")?,
        test: Span::parse(&args.test, "--test")?,
        anchored: args.anchored,
        method: args.search.method()?,
        sweep: Config {
            objective: {
                if args.search.objective.len() > 1 {
                    anyhow::bail!("walkforward optimizes one --objective (a Pareto front has no single best to trade)");
                }
                args.search.objective()?
            },
            pareto: Vec::new(),
            constraints: args.search.constraints()?,
            shard: None,
            jobs: args.jobs.get()?,
            max_points: 1_000_000,
            overfit: true,
        },
        benchmark: args.benchmark.load()?,
    };
    let formats = args.report.formats()?;
    let (data_path, market) = load_market(args.data.data.as_deref(), &strategy, quiet)?;
    let per_window = cfg.method.search().planned(&strategy, &cfg.sweep)?;
    let spans = windows(market.ts(), &cfg).len();
    if spans == 0 {
        anyhow::bail!(
            "no walk-forward window fits in {} bars: shorten --train or --test",
            market.len()
        );
    }
    let bar = progress(per_window * spans, "trials", quiet);
    let wf = walkforward::run(&strategy, &market, &cfg, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let objective = cfg.sweep.objective.metric.as_str();
    let out = walk_report::json(
        &wf,
        &strategy.name,
        &data_path,
        market.ts(),
        objective,
        args.anchored,
        cfg.benchmark.as_ref(),
    );
    if let Some(f) = formats {
        let dir = args.report.out.clone().unwrap_or_else(|| {
            PathBuf::from("reports").join(format!("{}_walkforward", strategy.name))
        });
        let bench = match &cfg.benchmark {
            Some(b) => b.as_of(market.ts()),
            None => market.bench(&strategy)?,
        };
        walk_report::write(&dir, &out, &wf, &bench, f)?;
    }
    if args.json {
        emit(serde_json::to_string_pretty(&out)?)?;
        return Ok(Outcome::Ok);
    }
    let ts = market.ts();
    let t = |bar: usize| format_utc(ts[bar.min(ts.len() - 1)]);
    let mut tab = table();
    tab.set_header(vec![
        "window",
        "train",
        "test",
        "params",
        "in-sample objective",
        "test return",
        "test trades",
    ]);
    let metric = |m: &Metrics, k: &str| metric_text(k, m.get(k).copied().flatten());
    for (i, w) in wf.windows.iter().enumerate() {
        tab.add_row(vec![
            (i + 1).to_string(),
            format!("{} – {}", &t(w.train.0)[..10], &t(w.train.1 - 1)[..10]),
            format!("{} – {}", &t(w.test.0)[..10], &t(w.test.1 - 1)[..10]),
            Strategy::describe_params(&w.params),
            w.in_sample
                .as_ref()
                .map_or("–".to_string(), |m| metric(m, objective)),
            metric(&w.test_outcome.metrics, "total_return"),
            metric(&w.test_outcome.metrics, "trades"),
        ]);
    }
    emit(&tab)?;
    let g = |k: &str| metric(&wf.out_of_sample, k);
    emit(format!(
        "out of sample ({} bars): total return {}, annual return {}, sharpe {}, max drawdown {}; walk-forward efficiency {}",
        wf.equity.len(),
        g("total_return"),
        g("annual_return"),
        g("sharpe"),
        g("max_drawdown"),
        number_text(wf.efficiency)
    ))?;
    Ok(Outcome::Ok)
}
