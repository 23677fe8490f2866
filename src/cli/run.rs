//! `tradelab run STRATEGY.toml... [--data FILE...]`: backtests and their metrics.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use rayon::prelude::*;

use crate::cli::flags::{BenchmarkFlag, ExecFlags, ReportFlags, SetFlags};
use crate::cli::output::{emit, load_universe, table, warn_findings};
use crate::cli::Outcome;
use tradelab::backtest;
use tradelab::data::benchmark::Benchmark;
use tradelab::data::{self, time, Candles};
use tradelab::format::metric_text;
use tradelab::metrics::Metrics;
use tradelab::report::{report_json, run_json, write_folder, Inputs};
use tradelab::robust::montecarlo::{self, Config, History};
use tradelab::robust::paths::Method;
use tradelab::strategy::{ColumnCache, Strategy};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Strategy files; several run as a batch.
    #[arg(required = true)]
    pub strategies: Vec<PathBuf>,
    /// Candle files (default: each strategy's own data). Every strategy runs on every file.
    #[arg(long, num_args = 1..)]
    pub data: Vec<PathBuf>,
    #[command(flatten)]
    pub set: SetFlags,
    #[command(flatten)]
    pub exec: ExecFlags,
    #[command(flatten)]
    pub benchmark: BenchmarkFlag,
    /// First date to include (ISO date or date-time, UTC).
    #[arg(long)]
    pub from: Option<String>,
    /// Last date to include (a date includes that whole day).
    #[arg(long)]
    pub to: Option<String>,
    /// Print JSON (an object for one run, an array for several).
    #[arg(long)]
    pub json: bool,
    /// A report folder per run (plus trades.csv, equity.csv); with several
    /// runs --out is the parent of one folder per run
    /// (default: reports/<strategy>_<dataset>).
    #[command(flatten)]
    pub report: ReportFlags,
    /// Add a Monte Carlo section to the report: this many shuffled paths
    /// of the closed trades (as `tradelab montecarlo`).
    #[arg(long = "monte-carlo", value_name = "PATHS")]
    pub monte_carlo: Option<usize>,
    /// The seed of --monte-carlo's paths.
    #[arg(long = "monte-carlo-seed", default_value_t = 0)]
    pub monte_carlo_seed: u64,
    /// How many of the worst drawdowns the report lists (default 5).
    #[arg(long, value_name = "N")]
    pub drawdowns: Option<usize>,
}

impl RunArgs {
    /// The run's Monte Carlo section for its report, with --monte-carlo N.
    fn monte_carlo(&self, h: &History) -> Option<serde_json::Value> {
        let paths = self.monte_carlo?;
        let cfg = Config {
            method: Method::Shuffle,
            paths,
            seed: self.monte_carlo_seed,
            dd_limits: vec![0.2, 0.3],
        };
        Some(tradelab::report::montecarlo::report_json(
            &montecarlo::run(h, &cfg),
            h.ts,
        ))
    }
}

/// `report` with `mc` as its `monte_carlo` member, and how many drawdowns
/// it lists (`--drawdowns`).
fn with_mc(
    mut report: serde_json::Value,
    mc: Option<serde_json::Value>,
    drawdowns: Option<usize>,
) -> serde_json::Value {
    if let serde_json::Value::Object(o) = &mut report {
        if let Some(mc) = mc {
            o.insert("monte_carlo".into(), mc);
        }
        if let Some(n) = drawdowns {
            o.insert("drawdowns_shown".into(), n.into());
        }
    }
    report
}

pub(crate) fn parse_date(s: &str, end: bool, flag: &str) -> anyhow::Result<i64> {
    let Some((ms, fmt)) = time::parse_iso(s) else {
        bail!("invalid {flag} '{s}': expected an ISO date such as 2010-01-01");
    };
    Ok(if end && fmt == time::TimeFormat::Date {
        ms + time::DAY_MS - 1
    } else {
        ms
    })
}

struct Job {
    strategy: usize,
    data: PathBuf,
}

pub fn run(args: RunArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let formats = args.report.formats()?;
    match args.monte_carlo {
        Some(0) => bail!("--monte-carlo must be at least 1 path"),
        Some(_) if formats.is_none() => {
            bail!("--monte-carlo adds a section to the report: give --report html (or json, pdf)")
        }
        _ => {}
    }
    let benchmark = args.benchmark.load()?;
    let mut strategies = Vec::new();
    for p in &args.strategies {
        let mut s = tradelab::pipeline::load(p)?;
        args.exec.apply(&mut s)?;
        strategies.push(s);
    }
    if strategies.len() == 1 && strategies[0].portfolio.is_some() {
        return portfolio(&strategies[0], &args, benchmark.as_ref(), quiet);
    }
    // In a batch a portfolio strategy runs on each --data file as a
    // one-file universe (or on its own universe); single-asset ones as usual.
    let portfolio_rows = batch_portfolios(&strategies, &args, benchmark.as_ref(), quiet)?;
    let from = args
        .from
        .as_deref()
        .map(|s| parse_date(s, false, "--from"))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|s| parse_date(s, true, "--to"))
        .transpose()?;
    let mut jobs = Vec::new();
    for (i, s) in strategies.iter().enumerate() {
        if s.portfolio.is_some() {
            continue;
        }
        if args.data.is_empty() {
            let Some(d) = &s.data else {
                bail!(
                    "{}: the strategy names no data file: give --data FILE",
                    s.path.display()
                );
            };
            jobs.push(Job {
                strategy: i,
                data: d.clone(),
            });
        } else {
            jobs.extend(args.data.iter().map(|d| Job {
                strategy: i,
                data: d.clone(),
            }));
        }
    }
    // Each dataset is loaded, validated and hashed once.
    let mut datasets: HashMap<PathBuf, (Candles, String)> = HashMap::new();
    for job in &jobs {
        if datasets.contains_key(&job.data) {
            continue;
        }
        let (c, warnings) = data::load(&job.data)?;
        warn_findings(&job.data, &warnings, quiet);
        let c = c.between(from, to);
        if c.len() < 2 {
            bail!(
                "{}: fewer than 2 bars between --from and --to",
                job.data.display()
            );
        }
        let sha = data::sha256_file(&job.data)?;
        datasets.insert(job.data.clone(), (c, sha));
    }
    let hashes: Vec<String> = strategies
        .iter()
        .map(|s| data::sha256_file(&s.path))
        .collect::<Result<_, _>>()?;
    let caches: HashMap<&PathBuf, ColumnCache> = datasets
        .keys()
        .map(|k| (k, ColumnCache::default()))
        .collect();
    let results: Vec<anyhow::Result<(backtest::Outcome, serde_json::Value)>> = jobs
        .par_iter()
        .map(|job| {
            let s = &strategies[job.strategy];
            let params = args.set.params(s)?;
            let (candles, sha) = &datasets[&job.data];
            let mut out = backtest::run(s, &params, &s.execution, candles, &caches[&job.data])
                .with_context(|| format!("{} on {}", s.name, job.data.display()))?;
            if let Some(b) = &benchmark {
                out.measure_against(candles, s.execution.cash, b);
            }
            if let Some(why) = out.model.as_ref().and_then(|m| m.never_fitted()) {
                if !quiet {
                    eprintln!("warning: {} on {}: {why}", s.name, job.data.display());
                }
            }
            let inputs = Inputs {
                strategy: s,
                strategy_sha256: &hashes[job.strategy],
                candles,
                data_sha256: sha,
                execution: &s.execution,
                benchmark: benchmark.as_ref(),
            };
            let j = run_json(&inputs, &out);
            if let Some(f) = formats {
                let name = format!(
                    "{}_{}",
                    s.name,
                    job.data
                        .file_stem()
                        .map_or("data".into(), |x| x.to_string_lossy().into_owned())
                );
                let dir = match &args.report.out {
                    Some(o) if jobs.len() == 1 => o.clone(),
                    Some(o) => o.join(name),
                    None => PathBuf::from("reports").join(name),
                };
                let mc = args.monte_carlo(&History {
                    backtest: &out.backtest,
                    ts: &candles.ts,
                    bench: &candles.close,
                    spacing_ms: candles.spacing_ms,
                    cash: s.execution.cash,
                });
                write_folder(
                    &dir,
                    &with_mc(report_json(&inputs, &out), mc, args.drawdowns),
                    f,
                )?;
            }
            Ok((out, j))
        })
        .collect();
    let results: Vec<(backtest::Outcome, serde_json::Value)> =
        results.into_iter().collect::<anyhow::Result<_>>()?;
    let rows: Vec<(&Metrics, &serde_json::Value)> = results
        .iter()
        .map(|(o, j)| (&o.metrics, j))
        .chain(portfolio_rows.iter().map(|(m, j)| (m, j)))
        .collect();
    if args.json {
        let v = if rows.len() == 1 {
            rows[0].1.clone()
        } else {
            serde_json::Value::Array(rows.iter().map(|r| r.1.clone()).collect())
        };
        emit(serde_json::to_string_pretty(&v)?)?;
    } else if rows.len() == 1 && results.len() == 1 {
        let (out, j) = &results[0];
        emit(format!(
            "{} on {} ({} bars, {} to {}), {}",
            j["strategy"]["name"].as_str().unwrap_or(""),
            j["data"]["file"].as_str().unwrap_or(""),
            j["data"]["bars"],
            j["data"]["start"].as_str().unwrap_or(""),
            j["data"]["end"].as_str().unwrap_or(""),
            Strategy::describe_params(&out.params)
        ))?;
        emit(metric_table(&out.metrics))?;
        if let Some(line) = order_line(&out.backtest.orders) {
            emit(line)?;
        }
    } else {
        let mut t = table();
        t.set_header(vec![
            "strategy",
            "data",
            "trades",
            "total return",
            "annual return",
            "sharpe",
            "max drawdown",
            "win rate",
            "final equity",
        ]);
        for (m, j) in &rows {
            t.add_row(vec![
                j["strategy"]["name"].as_str().unwrap_or("").to_string(),
                j["data"]["file"].as_str().unwrap_or("").to_string(),
                fmt("trades", m["trades"]),
                fmt("total_return", m["total_return"]),
                fmt("annual_return", m["annual_return"]),
                fmt("sharpe", m["sharpe"]),
                fmt("max_drawdown", m["max_drawdown"]),
                fmt("win_rate", m["win_rate"]),
                fmt("final_equity", m["final_equity"]),
            ]);
        }
        emit(t)?;
    }
    Ok(Outcome::Ok)
}

/// A metric for people: percentages, money, counts, ratios.
/// What became of a run's entry orders, when it placed any.
fn order_line(log: &tradelab::engine::OrderLog) -> Option<String> {
    use tradelab::engine::Fate;
    (!log.orders.is_empty() || log.unplaced > 0).then(|| {
        let mut line = format!(
            "entry orders: {} placed, {} filled, {} expired, {} cancelled by an exit, {} replaced, {} not placed (no valid price)",
            log.orders.len(),
            log.count(Fate::Filled),
            log.count(Fate::Expired),
            log.count(Fate::Cancelled),
            log.count(Fate::Replaced),
            log.unplaced
        );
        // The rarer fates, when they happened.
        for (fate, what) in [
            (Fate::NoSize, "unfilled for lack of cash"),
            (Fate::Working, "still working at the end"),
        ] {
            let n = log.count(fate);
            if n > 0 {
                line.push_str(&format!(", {n} {what}"));
            }
        }
        line
    })
}

fn fmt(key: &str, v: Option<f64>) -> String {
    metric_text(key, v)
}

fn metric_table(m: &Metrics) -> comfy_table::Table {
    let mut t = table();
    t.set_header(vec!["metric", "value", "metric", "value"]);
    let rows: Vec<(&str, String)> = m.iter().map(|(k, v)| (*k, fmt(k, *v))).collect();
    let half = rows.len().div_ceil(2);
    for i in 0..half {
        let mut row = vec![rows[i].0.to_string(), rows[i].1.clone()];
        if let Some((k, v)) = rows.get(i + half) {
            row.extend([k.to_string(), v.clone()]);
        }
        t.add_row(row);
    }
    t
}

/// The batch rows of the portfolio strategies: (metrics, JSON) per
/// strategy and data file; a pair whose data lacks the strategy's symbols is
/// skipped with a warning.
fn batch_portfolios(
    strategies: &[Strategy],
    args: &RunArgs,
    benchmark: Option<&Benchmark>,
    quiet: bool,
) -> anyhow::Result<Vec<(Metrics, serde_json::Value)>> {
    let mut rows = Vec::new();
    for s in strategies.iter().filter(|s| s.portfolio.is_some()) {
        let universes: Vec<Vec<PathBuf>> = if args.data.is_empty() {
            vec![s.data_files.clone()]
        } else {
            args.data.iter().map(|d| vec![d.clone()]).collect()
        };
        for files in universes {
            let (path, u) = load_universe(&files, s, quiet)?;
            let wanted = s.portfolio.as_ref().and_then(|p| p.symbols.as_ref());
            if let Some(missing) = wanted.map(|w| {
                w.iter()
                    .filter(|x| !u.series.iter().any(|y| &y.symbol == *x))
                    .cloned()
                    .collect::<Vec<_>>()
            }) {
                if !missing.is_empty() {
                    if !quiet {
                        eprintln!(
                            "warning: {} skipped on {}: it has no {}",
                            s.name,
                            path.display(),
                            missing.join(", ")
                        );
                    }
                    continue;
                }
            }
            let params = args.set.params(s)?;
            let mut out = tradelab::portfolio::run(s, &params, &u)
                .with_context(|| format!("{} on {}", s.name, path.display()))?;
            if let Some(b) = benchmark {
                out.measure_against(s, &u, b)?;
            }
            let j = tradelab::report::portfolio::portfolio_json(
                s,
                &data::sha256_file(&s.path)?,
                &u,
                &data::sha256_file(&path)?,
                &out,
                benchmark,
            );
            rows.push((out.metrics, j));
        }
    }
    Ok(rows)
}

/// A portfolio strategy over its universe (the --data files, or its own).
fn portfolio(
    s: &Strategy,
    args: &RunArgs,
    benchmark: Option<&Benchmark>,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    if args.from.is_some() || args.to.is_some() {
        bail!("--from and --to do not apply to portfolio strategies yet");
    }
    let formats = args.report.formats()?;
    let (path, u) = load_universe(&args.data, s, quiet)?;
    let params = args.set.params(s)?;
    let mut out = tradelab::portfolio::run(s, &params, &u)?;
    if let Some(b) = benchmark {
        out.measure_against(s, &u, b)?;
    }
    if let Some(f) = formats {
        let stem = path
            .file_stem()
            .map_or("data".into(), |x| x.to_string_lossy().into_owned());
        let dir = args
            .report
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("reports").join(format!("{}_{stem}", s.name)));
        let report = tradelab::report::portfolio::portfolio_report_json(
            s,
            &data::sha256_file(&s.path)?,
            &u,
            &data::sha256_file(&path)?,
            &out,
            benchmark,
        );
        let bt = tradelab::engine::Backtest {
            trades: out.run.trades.clone(),
            equity: out.run.equity.clone(),
            bars_in_market: out.run.bars_in_market,
            commissions: out.run.commissions,
            orders: Default::default(),
        };
        let bench =
            tradelab::portfolio::equal_weight_index(&tradelab::portfolio::universe_of(s, &u)?);
        let mc = args.monte_carlo(&History {
            backtest: &bt,
            ts: &u.ts,
            bench: &bench,
            spacing_ms: u.spacing_ms,
            cash: s.execution.cash,
        });
        write_folder(&dir, &with_mc(report, mc, args.drawdowns), f)?;
    }
    if args.json {
        let j = tradelab::report::portfolio::portfolio_json(
            s,
            &data::sha256_file(&s.path)?,
            &u,
            &data::sha256_file(&path)?,
            &out,
            benchmark,
        );
        emit(serde_json::to_string_pretty(&j)?)?;
        return Ok(Outcome::Ok);
    }
    let _ = quiet;
    emit(format!(
        "{} on {} ({} symbols, {} bars, {} to {}), {}",
        s.name,
        path.display(),
        out.symbols.len(),
        u.len(),
        time::format_utc(u.ts[0]),
        time::format_utc(u.ts[u.len() - 1]),
        Strategy::describe_params(&out.params)
    ))?;
    emit(metric_table(&out.metrics))?;
    let mut t = table();
    t.set_header(vec![
        "symbol",
        "trades",
        "pnl",
        "contribution",
        "exposure",
        "fees",
        "last weight",
    ]);
    for p in out.per_symbol(s.execution.cash) {
        t.add_row(vec![
            p.symbol,
            p.trades.to_string(),
            format!("{:.2}", p.pnl),
            format!("{:.2} %", p.contribution * 100.0),
            format!("{:.2} %", p.exposure * 100.0),
            format!("{:.2}", p.fees),
            format!("{:.2} %", p.last_weight * 100.0),
        ]);
    }
    emit(t)?;
    if let Some(line) = order_line(&out.run.orders) {
        emit(line)?;
    }
    Ok(Outcome::Ok)
}
