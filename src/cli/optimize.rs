//! `tradelab optimize`: a parameter sweep with ranking, overfitting
//! statistics and an output folder; `--shard k/n` runs one slice.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::bail;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::output::{emit, load_data, table};
use crate::cli::Outcome;
use tradelab::data::{self, Candles};
use tradelab::format::{metric_text, param_text};
use tradelab::optimize::genetic::{self, GeneticConfig};
use tradelab::optimize::output::{self, Meta};
use tradelab::optimize::space::{Shard, Space};
use tradelab::optimize::sweep::{self, Config, Method, MetricConstraint, Objective, Trial};
use tradelab::report::{
    optimize_page, report_json, run_json, write_doc, write_folder, Formats, Inputs,
};
use tradelab::strategy::compile::nearest;
use tradelab::strategy::{ColumnCache, Strategy};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Every point of the grid.
    Grid,
    /// --trials points drawn with --seed.
    Random,
    /// A seeded genetic search (genevo) over the grid's points.
    Genetic,
}

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// The strategy file; its [params] ranges are the space.
    pub strategy: PathBuf,
    /// The candle file (default: the strategy's own data).
    #[arg(long)]
    pub data: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "grid")]
    pub method: MethodArg,
    /// The metric to optimize.
    #[arg(long, default_value = "sharpe")]
    pub objective: String,
    /// Maximize the objective (the default).
    #[arg(long, conflicts_with = "minimize")]
    pub maximize: bool,
    /// Minimize the objective.
    #[arg(long)]
    pub minimize: bool,
    /// A bound on a metric that makes a trial feasible, e.g. "trades >= 20" (repeatable).
    #[arg(long = "constraint", value_name = "METRIC OP VALUE")]
    pub constraints: Vec<String>,
    /// Points to draw (random).
    #[arg(long, default_value_t = 100)]
    pub trials: usize,
    /// Seed for random sampling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Genetic: individuals per generation.
    #[arg(long, default_value_t = 20)]
    pub population: usize,
    /// Genetic: the most generations.
    #[arg(long, default_value_t = 20)]
    pub generations: u64,
    /// Genetic: probability that a gene mutates.
    #[arg(long, default_value_t = 0.2)]
    pub mutation: f64,
    /// Genetic: share of the population chosen as parents each generation.
    #[arg(long, default_value_t = 0.7)]
    pub crossover: f64,
    /// Genetic: stop when the best has not improved for this many generations.
    #[arg(long, default_value_t = 5)]
    pub patience: u64,
    /// Threads (default: every core). Results are identical for any value.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// How many of the best trials to show and keep in the summary.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Run only the k-th of n deterministic slices; join them with `tradelab merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// The output folder (default: reports/<strategy>_<method>[_shard_k_of_n]).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also render reports: html writes report.html (top trials, heatmap,
    /// distribution, convergence) and best/ (the best trial's backtest report).
    #[arg(long, value_name = "json,html,pdf")]
    pub report: Option<String>,
}

/// `--constraint` values, each naming a known metric.
pub fn parse_constraints(list: &[String]) -> anyhow::Result<Vec<MetricConstraint>> {
    let parsed: Vec<MetricConstraint> = list
        .iter()
        .map(|c| MetricConstraint::parse(c))
        .collect::<Result<_, _>>()?;
    for c in &parsed {
        check_metric(&c.metric, "--constraint")?;
    }
    Ok(parsed)
}

/// Rejects an unknown metric name with a suggestion.
pub fn check_metric(name: &str, what: &str) -> anyhow::Result<()> {
    if tradelab::metrics::known_name(name).is_some() {
        return Ok(());
    }
    let names = tradelab::metrics::table::names;
    match nearest(name, names()) {
        Some(s) => bail!("unknown metric '{name}' in {what}; did you mean '{s}'?"),
        None => bail!(
            "unknown metric '{name}' in {what} (metrics: {})",
            names().collect::<Vec<_>>().join(", ")
        ),
    }
}

pub fn run(args: OptimizeArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let strategy = tradelab::pipeline::load(&args.strategy)?;
    check_metric(&args.objective, "--objective")?;
    let constraints = parse_constraints(&args.constraints)?;
    let shard = args.shard.as_deref().map(Shard::parse).transpose()?;
    let formats = args.report.as_deref().map(Formats::parse).transpose()?;
    if args.jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }
    if args.method == MethodArg::Genetic && shard.is_some() {
        bail!("--shard slices grid and random sweeps; a genetic search runs whole");
    }
    let method = match args.method {
        MethodArg::Grid | MethodArg::Genetic => Method::Grid,
        MethodArg::Random if args.trials == 0 => bail!("--trials must be at least 1"),
        MethodArg::Random => Method::Random {
            trials: args.trials,
            seed: args.seed,
        },
    };
    // Ctrl-C: stop starting trials, keep the finished ones, write them.
    let _ = ctrlc::set_handler(|| sweep::STOP.store(true, std::sync::atomic::Ordering::Relaxed));
    let (data_path, candles) = load_data(args.data.as_deref(), &strategy, quiet)?;
    let cfg = Config {
        method,
        objective: Objective {
            metric: args.objective.clone(),
            maximize: !args.minimize,
        },
        constraints,
        shard,
        jobs: args.jobs,
        max_points: 10_000_000,
    };
    let genetic = (args.method == MethodArg::Genetic).then_some(GeneticConfig {
        population: args.population,
        generations: args.generations,
        mutation: args.mutation,
        crossover: args.crossover,
        patience: args.patience,
        seed: args.seed,
    });
    let points = match genetic {
        Some(_) => Vec::new(),
        None => sweep::points(&strategy, &cfg)?,
    };
    if points.is_empty() && genetic.is_none() {
        bail!(
            "no parameter set satisfies the constraint of '{}'",
            strategy.name
        );
    }
    let mine = match genetic {
        Some(g) => g.population * g.generations as usize,
        None => points
            .iter()
            .enumerate()
            .filter(|(i, _)| shard.is_none_or(|s| s.owns(*i)))
            .count(),
    };
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(mine as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} trials  {per_sec}  ETA {eta}")
                .expect("valid template"),
        );
        b
    };
    let (trials, extra) = match &genetic {
        Some(g) => {
            let space_points = Space::of(&strategy)?
                .grid(&strategy, cfg.max_points)
                .map(|p| p.len())
                .ok();
            let search = || genetic::run(&strategy, &candles, &cfg, g, &|| bar.inc(1));
            let (trials, convergence) = match args.jobs {
                Some(j) => rayon::ThreadPoolBuilder::new()
                    .num_threads(j)
                    .build()?
                    .install(search)?,
                None => search()?,
            };
            let extra = serde_json::json!({
                "convergence": convergence,
                "generations": convergence.len(),
                "space_points": space_points,
            });
            (trials, extra)
        }
        None => (
            sweep::run(&strategy, &candles, &cfg, &points, &|| bar.inc(1))?,
            serde_json::json!({}),
        ),
    };
    bar.finish_and_clear();
    if sweep::stopped() {
        if trials.is_empty() {
            bail!("interrupted before any trial finished; nothing written");
        }
        eprintln!(
            "interrupted: writing the {} trials that finished",
            trials.len()
        );
    }
    let meta = Meta {
        strategy_name: strategy.name.clone(),
        strategy_file: strategy.path.display().to_string(),
        strategy_sha256: data::sha256_file(&strategy.path)?,
        data_file: data_path.display().to_string(),
        data_sha256: data::sha256_file(&data_path)?,
        method: if genetic.is_some() {
            "genetic".into()
        } else {
            method.name().to_string()
        },
        seed: (genetic.is_some() || matches!(method, Method::Random { .. })).then_some(args.seed),
        objective: args.objective.clone(),
        maximize: !args.minimize,
        constraints: cfg.constraints.iter().map(|c| c.text.clone()).collect(),
        points: if genetic.is_some() {
            trials.len()
        } else {
            points.len()
        },
        params: strategy.params.iter().map(|p| p.name.clone()).collect(),
        shard: shard.map(|s| [s.k, s.n]),
    };
    let out_dir = args.out.clone().unwrap_or_else(|| {
        let mut name = format!("{}_{}", strategy.name, meta.method);
        if let Some(s) = shard {
            name.push_str(&format!("_shard_{}_of_{}", s.k, s.n));
        }
        PathBuf::from("reports").join(name)
    });
    let outcome = finish(
        &meta, &trials, &strategy, &candles, &data_path, &out_dir, args.top, args.json, extra,
        formats, quiet,
    )?;
    Ok(if sweep::stopped() {
        Outcome::Interrupted
    } else {
        outcome
    })
}

/// Ranks, writes the output folder (with the best trial re-run in full) and prints.
#[allow(clippy::too_many_arguments)]
pub fn finish(
    meta: &Meta,
    trials: &[Trial],
    strategy: &Strategy,
    candles: &Candles,
    data_path: &Path,
    out_dir: &Path,
    top: usize,
    json: bool,
    extra: serde_json::Value,
    formats: Option<Formats>,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    // The overfitting statistics read every trial once per CSCV split
    // (12,870): seconds for 100,000 trials, so a terminal gets a spinner.
    let spinner = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let s = ProgressBar::new_spinner();
        s.set_message(format!(
            "overfitting statistics over {} trials (12,870 CSCV splits), then the output files",
            trials.len()
        ));
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    };
    let summary = output::summary(meta, trials, top, extra);
    output::write_dir(out_dir, meta, trials, &summary)?;
    spinner.finish_and_clear();
    if let Some(best) = summary["best"]["trial"]
        .as_u64()
        .and_then(|i| trials.iter().find(|t| t.index as u64 == i))
    {
        let out = tradelab::backtest::run(
            strategy,
            &best.params,
            &strategy.execution,
            candles,
            &ColumnCache::default(),
        )?;
        let sha = data::sha256_file(data_path)?;
        let inputs = Inputs {
            strategy,
            strategy_sha256: &meta.strategy_sha256,
            candles,
            data_sha256: &sha,
            execution: &strategy.execution,
        };
        if let Some(f) = formats {
            write_folder(&out_dir.join("best"), &report_json(&inputs, &out), f)?;
            if f.html || f.pdf {
                let views: Vec<optimize_page::Trial> = trials
                    .iter()
                    .map(|t| optimize_page::Trial {
                        params: &t.params,
                        metrics: &t.metrics,
                        feasible: t.feasible,
                    })
                    .collect();
                let doc = optimize_page::document(&summary, &views, &meta.params)
                    .map_err(|e| anyhow::anyhow!("rendering the optimization report: {e}"))?;
                write_doc(out_dir, &doc, f)?;
            }
        }
        let body = serde_json::to_string_pretty(&run_json(&inputs, &out))? + "\n";
        data::write::write_atomic(&out_dir.join("best_run.json"), |w| {
            std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
        })?;
    }
    if json {
        emit(serde_json::to_string_pretty(&summary)?)?;
        return Ok(Outcome::Ok);
    }
    let mut t = table();
    let mut header: Vec<String> = vec!["rank".into(), "trial".into()];
    header.extend(meta.params.iter().cloned());
    header.extend([
        meta.objective.clone(),
        "total_return".into(),
        "max_drawdown".into(),
        "trades".into(),
    ]);
    t.set_header(header);
    for (r, row) in summary["top"].as_array().into_iter().flatten().enumerate() {
        let mut cells = vec![(r + 1).to_string(), row["trial"].to_string()];
        cells.extend(
            meta.params
                .iter()
                .map(|p| param_text(row["params"][p].as_f64())),
        );
        for k in [
            meta.objective.as_str(),
            "total_return",
            "max_drawdown",
            "trades",
        ] {
            cells.push(metric_text(k, row["metrics"][k].as_f64()));
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
    Ok(Outcome::Ok)
}
