//! `tradelab check SUITE.toml`: the CI regression gate.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;
use serde_json::json;

use crate::cli::output::{emit, table};
use crate::cli::Outcome;
use tradelab::check::{self, junit::junit, Suite};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The suite file: [[case]] tables of strategy, data, params and metrics.
    pub suite: PathBuf,
    /// Rewrite the baselines from the current results.
    #[arg(long)]
    pub update: bool,
    /// Also write JUnit XML here.
    #[arg(long)]
    pub junit: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only these cases (repeatable).
    #[arg(long = "case", value_name = "NAME")]
    pub cases: Vec<String>,
    /// Threads (default: every core); results do not depend on it.
    #[arg(long)]
    pub jobs: Option<usize>,
}

fn show(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| x.to_string())
}

pub fn run(args: CheckArgs, quiet: bool) -> anyhow::Result<Outcome> {
    if args.jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }
    let suite = Suite::load(&args.suite)?;
    let results = check::run(&suite, &args.cases, args.jobs)?;
    if args.update {
        let mut t = table();
        t.set_header(vec!["case", "baseline"]);
        for r in &results {
            let changed: Vec<&str> = r
                .metrics
                .iter()
                .filter(|m| !m.ok)
                .map(|m| m.metric.as_str())
                .collect();
            let what = if r.problems.iter().any(|p| p.starts_with("no baseline")) {
                "created".to_string()
            } else if r.passed {
                "unchanged".to_string()
            } else if changed.is_empty() {
                "updated (data file changed)".to_string()
            } else {
                format!("updated: {}", changed.join(", "))
            };
            check::write_baseline(&suite, r)?;
            t.add_row(vec![r.name.clone(), what]);
        }
        if !quiet {
            emit(t)?;
            emit(format!(
                "{} baselines written to {}",
                results.len(),
                suite.baselines.display()
            ))?;
        }
        return Ok(Outcome::Ok);
    }
    let name = args.suite.display().to_string();
    if let Some(path) = &args.junit {
        let xml = junit(&name, &results);
        tradelab::data::write::write_atomic(path, |w| {
            std::io::Write::write_all(w, xml.as_bytes()).map_err(|e| e.to_string())
        })?;
    }
    let failed = results.iter().filter(|r| !r.passed).count();
    if args.json {
        emit(serde_json::to_string_pretty(&json!({
            "suite": name,
            "passed": failed == 0,
            "failed": failed,
            "cases": results,
        }))?)?;
    } else {
        let mut t = table();
        t.set_header(vec![
            "case",
            "metric",
            "baseline",
            "now",
            "difference",
            "status",
        ]);
        for r in &results {
            for p in &r.problems {
                t.add_row(vec![
                    r.name.clone(),
                    "–".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                    p.clone(),
                ]);
            }
            for m in &r.metrics {
                let status = if m.ok {
                    "ok"
                } else if m.baseline.is_none() && m.now.is_some() {
                    "no baseline"
                } else {
                    "MOVED"
                };
                t.add_row(vec![
                    r.name.clone(),
                    m.metric.clone(),
                    show(m.baseline),
                    show(m.now),
                    show(m.difference),
                    status.into(),
                ]);
            }
        }
        emit(t)?;
        emit(format!(
            "{} cases, {} passed, {} failed",
            results.len(),
            results.len() - failed,
            failed
        ))?;
    }
    Ok(if failed == 0 {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}
