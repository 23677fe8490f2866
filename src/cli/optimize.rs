//! `tradelab optimize`: a parameter sweep with ranking, overfitting
//! statistics and an output folder; `--shard k/n` runs one slice.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::flags::{DataFlag, ExecFlags, JobsFlag, ReportFlags, SearchFlags};
use crate::cli::output::{emit, load_data, load_universe, table};
use crate::cli::Outcome;
use tradelab::format::{metric_text, param_text};
use tradelab::optimize::finish::{self, Sweep};
use tradelab::optimize::keep;
use tradelab::optimize::market::Market;
use tradelab::optimize::space::Shard;
use tradelab::optimize::sweep::{self, Config};
use tradelab::optimize::table::Trials;
use tradelab::report::Formats;

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// The strategy file; its [params] ranges are the space.
    pub strategy: PathBuf,
    #[command(flatten)]
    pub data: DataFlag,
    #[command(flatten)]
    pub search: SearchFlags,
    #[command(flatten)]
    pub exec: ExecFlags,
    #[command(flatten)]
    pub jobs: JobsFlag,
    /// How many of the best trials to show and keep in the summary.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Run only the k-th of n deterministic slices; join them with `tradelab merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Skip the overfitting statistics (deflated Sharpe, PBO): no block
    /// returns are kept per trial and no blocks.csv is written.
    #[arg(long)]
    pub no_overfit: bool,
    /// Compute PBO over N trials drawn with the sweep's seed (blocks.csv
    /// lists them) instead of all; needed above 100,000 trials.
    #[arg(long, value_name = "N")]
    pub pbo_sample: Option<usize>,
    /// Continue the interrupted sweep whose checkpoint is in the output
    /// folder; the result is the one an uninterrupted run writes.
    #[arg(long)]
    pub resume: bool,
    /// html writes report.html (top trials, heatmap, distribution,
    /// convergence) and best/ (the best trial's backtest report).
    #[command(flatten)]
    pub report: ReportFlags,
}

/// What a sweep runs on: the candles, or a portfolio strategy's universe.
pub fn load_market(
    data: Option<&Path>,
    strategy: &tradelab::strategy::Strategy,
    quiet: bool,
) -> anyhow::Result<(PathBuf, Market)> {
    if strategy.portfolio.is_some() {
        let files: Vec<PathBuf> = data.map(Path::to_path_buf).into_iter().collect();
        let (path, u) = load_universe(&files, strategy, quiet)?;
        return Ok((path, Market::Portfolio(u)));
    }
    let (path, candles) = load_data(data, strategy, quiet)?;
    Ok((path, Market::Single(candles)))
}

/// A progress bar on a terminal, hidden otherwise or when quiet.
pub fn progress(len: usize, what: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(len as u64);
    b.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:40}} {{pos}}/{{len}} {what}  {{per_sec}}  ETA {{eta}}"
        ))
        .expect("valid template"),
    );
    b
}

pub fn run(args: OptimizeArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let mut strategy = tradelab::pipeline::load(&args.strategy)?;
    args.exec.apply(&mut strategy)?;
    let method = args.search.method()?;
    let shard = args
        .shard
        .as_deref()
        .map(|s| Shard::parse(s).map_err(|e| anyhow!("--shard: {e}")))
        .transpose()?;
    if shard.is_some() && !method.search().shardable() {
        bail!("--shard slices grid and random sweeps; a genetic search runs whole");
    }
    let cfg = Config {
        objective: args.search.objective()?,
        pareto: args.search.pareto()?,
        constraints: args.search.constraints()?,
        shard,
        jobs: args.jobs.get()?,
        max_points: 10_000_000,
        overfit: !args.no_overfit,
    };
    let formats = args.report.formats()?;
    // Ctrl-C: stop starting trials, keep the finished ones, write them.
    let _ = ctrlc::set_handler(|| sweep::STOP.store(true, std::sync::atomic::Ordering::Relaxed));
    let (data_path, market) = load_market(args.data.data.as_deref(), &strategy, quiet)?;
    if matches!(market, Market::Portfolio(_)) && formats.is_some() {
        bail!("--report does not apply to portfolio sweeps yet (best_run.json holds the best run)");
    }
    // The sweep's points, counted once (a grid's means checking the
    // constraint at every point).
    let points = method.search().points(&strategy, &cfg)?;
    if !args.no_overfit && args.pbo_sample.is_none() && keep::too_many(method.name(), points) {
        let max = keep::PBO_EXACT_MAX;
        bail!(
            "this sweep has {points} trials and PBO is exact over at most {max}: pass --pbo-sample N (N <= {max}) or --no-overfit"
        );
    }
    let out_dir = args
        .report
        .out
        .clone()
        .unwrap_or_else(|| finish::default_dir(&strategy, &method, &cfg));
    let checkpoint = tradelab::optimize::checkpoint::folder(&out_dir);
    if !args.resume && checkpoint.join("state.json").exists() && !quiet {
        eprintln!(
            "{} holds an unfinished sweep; starting over (--resume continues it)",
            out_dir.display()
        );
    }
    let plan = finish::Plan {
        out_dir: out_dir.clone(),
        top: args.top,
        resume: args.resume,
        pbo_sample: args.pbo_sample,
        points,
    };
    let bar = progress(sweep::owned(&cfg, points), "trials", quiet);
    if args.resume {
        // The bar starts where the checkpoint is (a grid or random sweep's).
        if let Ok(st) = tradelab::optimize::checkpoint::read_state(&checkpoint) {
            bar.set_position(st.done as u64);
        }
    }
    let result = finish::run(
        &strategy,
        &market,
        &data_path,
        &method,
        &cfg,
        &plan,
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    if sweep::stopped() {
        let n = result.stored.table.len();
        if n == 0 {
            bail!("interrupted before any trial finished; nothing written");
        }
        eprintln!(
            "interrupted: writing the {n} trials that finished (--resume continues the sweep)"
        );
    }
    let outcome = write(&result, &out_dir, args.top, args.json, formats, quiet)?;
    Ok(if sweep::stopped() {
        Outcome::Interrupted
    } else {
        outcome
    })
}

/// Writes the sweep's folder and prints its summary: a table of the best
/// trials, or the JSON summary.
pub fn write(
    sweep: &Sweep,
    out_dir: &Path,
    top: usize,
    json: bool,
    formats: Option<Formats>,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    // The overfitting statistics read every trial once per CSCV split
    // (12,870): seconds for 100,000 trials, so a terminal gets a spinner.
    let spinner = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let s = ProgressBar::new_spinner();
        s.set_message(if sweep.meta.overfit {
            format!(
                "overfitting statistics over {} trials (12,870 CSCV splits), then the output files",
                sweep.stored.table.len()
            )
        } else {
            "the output files".to_string()
        });
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    };
    let summary = sweep.write(out_dir, top, formats)?;
    spinner.finish_and_clear();
    if json {
        emit(serde_json::to_string_pretty(&summary)?)?;
        return Ok(Outcome::Ok);
    }
    let meta = &sweep.meta;
    let mut t = table();
    let mut header: Vec<String> = vec!["rank".into(), "trial".into()];
    header.extend(meta.params.iter().cloned());
    // The objectives first, then the usual columns they do not repeat.
    let mut metrics: Vec<&str> = vec![meta.objective.as_str()];
    metrics.extend(meta.pareto.iter().skip(1).map(|o| o.metric.as_str()));
    for m in ["total_return", "max_drawdown", "trades"] {
        if !metrics.contains(&m) {
            metrics.push(m);
        }
    }
    header.extend(metrics.iter().map(|m| m.to_string()));
    let front: Vec<u64> = summary["pareto"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["trial"].as_u64())
        .collect();
    let pareto = summary["pareto"].is_array();
    if pareto {
        header.push("front".into());
    }
    t.set_header(header);
    for (r, row) in summary["top"].as_array().into_iter().flatten().enumerate() {
        let mut cells = vec![(r + 1).to_string(), row["trial"].to_string()];
        cells.extend(
            meta.params
                .iter()
                .map(|p| param_text(row["params"][p].as_f64())),
        );
        cells.extend(
            metrics
                .iter()
                .map(|k| metric_text(k, row["metrics"][k].as_f64())),
        );
        if pareto {
            let on = row["trial"].as_u64().is_some_and(|i| front.contains(&i));
            cells.push(if on { "yes" } else { "" }.into());
        }
        t.add_row(cells);
    }
    emit(&t)?;
    let opt = |k: &str| {
        summary[k]
            .as_f64()
            .map_or("–".to_string(), |v| format!("{v:.4}"))
    };
    emit(format!(
        "{} of {} trials feasible ({} points in the sweep{}); deflated Sharpe {}, PBO {}; written to {}",
        summary["feasible"],
        summary["trials"],
        meta.points,
        meta.shard.map_or(String::new(), |[k, n]| format!(", shard {k}/{n}")),
        opt("deflated_sharpe"),
        opt("pbo"),
        out_dir.display()
    ))?;
    emit(stability_line(&summary))?;
    if pareto {
        let names: Vec<&str> = meta.pareto.iter().map(|o| o.metric.as_str()).collect();
        emit(format!(
            "Pareto front over {}: {} of {} feasible trials (best.json lists them)",
            names.join(", "),
            front.len(),
            summary["feasible"]
        ))?;
    }
    Ok(Outcome::Ok)
}

/// The robust best and the best's worst neighbour, or why there are none.
fn stability_line(summary: &serde_json::Value) -> String {
    let n = |v: &serde_json::Value| v.as_f64().map_or("–".to_string(), |v| format!("{v:.4}"));
    if let Some(note) = summary["neighbourhood_note"].as_str() {
        return format!("parameter stability: {note}");
    }
    let r = &summary["robust_best"];
    let params = |p: &serde_json::Value| {
        p.as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", tradelab::format::param_text(v.as_f64())))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut line = match r["trial"].as_u64() {
        Some(t) => format!(
            "robust best (best neighbourhood mean): trial {t}, {}, objective {}, neighbourhood mean {} and min {} over {} neighbours",
            params(&r["params"]),
            n(&r["objective"]),
            n(&r["neighbourhood_mean"]),
            n(&r["neighbourhood_min"]),
            r["neighbours"]
        ),
        None => "robust best: none (no feasible trial)".to_string(),
    };
    let b = &summary["best_neighbourhood"];
    if b.is_object() {
        line.push_str(&format!(
            "; the best ({}) falls to {} at its worst neighbour",
            n(&b["objective"]),
            n(&b["worst_neighbour"])
        ));
    }
    line
}
