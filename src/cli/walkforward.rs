//! `tradelab walkforward`: optimize on each training window, trade the next
//! test window, stitch the out-of-sample equity.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;
use serde_json::{json, Value};

use crate::cli::optimize::{check_metric, parse_constraints, MethodArg};
use crate::cli::output::{emit, load_data, table};
use crate::cli::Outcome;
use tradelab::data::time::format_utc;
use tradelab::format::{metric_text, metrics_json, number_text};
use tradelab::optimize::sweep::{Config, Method, Objective};
use tradelab::optimize::walkforward::{self, Span, WalkConfig};
use tradelab::report::{walkforward_page, write_doc, Formats};
use tradelab::strategy::Strategy;

#[derive(Debug, Args)]
pub struct WalkforwardArgs {
    /// The strategy file; its [params] ranges are searched in each window.
    pub strategy: PathBuf,
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Training window: bars (500) or a span (90d, 12w, 6m, 2y).
    #[arg(long)]
    pub train: String,
    /// Test window: bars or a span; windows move on by this much.
    #[arg(long)]
    pub test: String,
    /// Every training window starts at the first bar (and grows).
    #[arg(long)]
    pub anchored: bool,
    /// grid or random (genetic searches are not nested in walk-forward yet).
    #[arg(long, value_enum, default_value = "grid")]
    pub method: MethodArg,
    #[arg(long, default_value_t = 100)]
    pub trials: usize,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[arg(long, default_value = "sharpe")]
    pub objective: String,
    #[arg(long)]
    pub minimize: bool,
    #[arg(long = "constraint", value_name = "METRIC OP VALUE")]
    pub constraints: Vec<String>,
    #[arg(long)]
    pub jobs: Option<usize>,
    #[arg(long)]
    pub json: bool,
    /// Write report.json (the --json object), report.html and/or report.pdf.
    #[arg(long, value_name = "json,html,pdf")]
    pub report: Option<String>,
    /// The report folder (default: reports/<strategy>_walkforward).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: WalkforwardArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let strategy = tradelab::pipeline::load(&args.strategy)?;
    check_metric(&args.objective, "--objective")?;
    let constraints = parse_constraints(&args.constraints)?;
    let method = match args.method {
        MethodArg::Grid => Method::Grid,
        MethodArg::Random => Method::Random {
            trials: args.trials,
            seed: args.seed,
        },
        MethodArg::Genetic => bail!("walkforward searches each window by grid or random"),
    };
    if args.jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }
    let cfg = WalkConfig {
        train: Span::parse(&args.train, "--train")?,
        test: Span::parse(&args.test, "--test")?,
        anchored: args.anchored,
        sweep: Config {
            method,
            objective: Objective {
                metric: args.objective.clone(),
                maximize: !args.minimize,
            },
            constraints,
            shard: None,
            jobs: args.jobs,
            max_points: 1_000_000,
        },
    };
    let (data_path, candles) = load_data(args.data.as_deref(), &strategy, quiet)?;
    let wf = walkforward::run(&strategy, &candles, &cfg, &|| {})?;
    let t = |bar: usize| format_utc(candles.ts[bar.min(candles.len() - 1)]);
    let windows: Vec<Value> = wf
        .windows
        .iter()
        .map(|w| {
            json!({
                "train": { "start_bar": w.train.0, "end_bar": w.train.1 - 1, "start": t(w.train.0), "end": t(w.train.1 - 1) },
                "test": { "start_bar": w.test.0, "end_bar": w.test.1 - 1, "start": t(w.test.0), "end": t(w.test.1 - 1) },
                "params": w.params,
                "in_sample_objective": w.in_sample.as_ref().and_then(|m| m.get(args.objective.as_str()).copied().flatten()),
                "test_metrics": metrics_json(&w.test_outcome.metrics),
            })
        })
        .collect();
    let out = json!({
        "strategy": strategy.name,
        "data": data_path.display().to_string(),
        "objective": args.objective,
        "anchored": args.anchored,
        "windows": windows,
        "out_of_sample": metrics_json(&wf.out_of_sample),
        "efficiency": wf.efficiency.filter(|x| x.is_finite()),
    });
    if let Some(f) = args.report.as_deref().map(Formats::parse).transpose()? {
        let dir = args.out.clone().unwrap_or_else(|| {
            PathBuf::from("reports").join(format!("{}_walkforward", strategy.name))
        });
        let write = |name: &str, body: String| {
            tradelab::data::write::write_atomic(&dir.join(name), |w| {
                std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
            })
        };
        if f.json {
            write("report.json", serde_json::to_string_pretty(&out)? + "\n")?;
        }
        if f.html || f.pdf {
            let close: Vec<f64> = wf
                .windows
                .iter()
                .flat_map(|w| candles.close[w.test.0..w.test.1].iter().copied())
                .collect();
            let doc = walkforward_page::document(&out, &wf.ts, &wf.equity, &close)
                .map_err(|e| anyhow::anyhow!(e))?;
            write_doc(&dir, &doc, f)?;
        }
    }
    if args.json {
        emit(serde_json::to_string_pretty(&out)?)?;
        return Ok(Outcome::Ok);
    }
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
    let objective = args.objective.as_str();
    let metric =
        |m: &tradelab::metrics::Metrics, k: &str| metric_text(k, m.get(k).copied().flatten());
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
    let m = &wf.out_of_sample;
    let g = |k: &str| metric(m, k);
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
