//! The CI regression gate: re-run every case of a suite, compare its
//! metrics with the stored baseline within tolerances, write JUnit XML, and
//! rewrite baselines on request.

pub mod junit;
pub mod suite;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::backtest;
use crate::data;
use crate::engine::Execution;
use crate::error::{Error, Location, Result};
use crate::strategy::execution;
use crate::strategy::{ColumnCache, Strategy};
pub use suite::{Case, Suite, Tolerance};

/// What a baseline file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub case: String,
    pub tool_version: String,
    pub strategy_sha256: String,
    pub data_sha256: String,
    pub params: BTreeMap<String, f64>,
    pub metrics: BTreeMap<String, Option<f64>>,
}

/// One compared metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricCheck {
    pub metric: String,
    pub baseline: Option<f64>,
    pub now: Option<f64>,
    pub difference: Option<f64>,
    pub ok: bool,
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseResult {
    pub name: String,
    pub passed: bool,
    /// Why it failed before any metric: missing baseline, changed data.
    pub problems: Vec<String>,
    pub metrics: Vec<MetricCheck>,
    #[serde(skip)]
    pub current: Baseline,
}

/// The baseline file of a case.
pub fn baseline_path(suite: &Suite, case: &Case) -> PathBuf {
    suite.baselines.join(format!("{}.json", case.name))
}

fn execution_with(strategy: &Strategy, case: &Case, suite: &Path) -> Result<Execution> {
    if case.execution.is_empty() {
        return Ok(strategy.execution.clone());
    }
    let overrides: Vec<(String, toml::Value)> = case
        .execution
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let e = execution::with_overrides(&strategy.execution, &overrides).map_err(|(key, msg)| {
        let at = key.map_or("execution".to_string(), |k| format!("execution.{k}"));
        Error::input(
            suite,
            Location::File,
            format!("case '{}': {at}: {msg}", case.name),
        )
    })?;
    Ok(e)
}

/// Where a model strategy's latest windows break `[case.model]`'s
/// thresholds (as `ml monitor --fail-below/--fail-above` would say).
fn model_problems(
    g: &suite::ModelGate,
    run: Option<&crate::ml::ModelRun>,
    name: &str,
) -> Vec<String> {
    use crate::ml::monitor::{windows, Threshold};
    let Some(run) = run else {
        return vec![format!(
            "case '{name}' has [case.model] thresholds, but its strategy has no [model]"
        )];
    };
    let ws = windows(run, g.window);
    let thresholds = g
        .fail_below
        .iter()
        .map(|(m, v)| (m, *v, false))
        .chain(g.fail_above.iter().map(|(m, v)| (m, *v, true)));
    thresholds
        .filter_map(|(m, value, above)| {
            Threshold {
                metric: m.clone(),
                value,
                above,
            }
            .breach(&ws, g.last.unwrap_or(1))
        })
        .map(|b| format!("model: {b}"))
        .collect()
}

/// Runs one case and compares it with its baseline.
pub fn run_case(suite: &Suite, case: &Case) -> Result<CaseResult> {
    let strategy = crate::pipeline::load(&case.strategy)?;
    let mut params = strategy.defaults();
    for (k, v) in &case.params {
        let Some(def) = strategy.params.iter().find(|p| &p.name == k) else {
            return Err(Error::input(
                &suite.path,
                Location::File,
                format!(
                    "case '{}': strategy '{}' has no parameter '{k}'",
                    case.name, strategy.name
                ),
            ));
        };
        if let Some(why) = def.reject(*v) {
            return Err(Error::input(
                &suite.path,
                Location::File,
                format!("case '{}': {why}", case.name),
            ));
        }
        params.insert(k.clone(), *v);
    }
    let execution = execution_with(&strategy, case, &suite.path)?;
    let mut model_run = None;
    let metrics = if strategy.portfolio.is_some() {
        let u = data::universe_file::load(std::slice::from_ref(&case.data))?;
        let mut s = strategy.clone();
        s.execution = execution;
        crate::portfolio::run(&s, &params, &u)?.metrics
    } else {
        let (candles, _) = data::load(&case.data)?;
        let out = backtest::run(
            &strategy,
            &params,
            &execution,
            &candles,
            &ColumnCache::default(),
        )?;
        model_run = out.model;
        out.metrics
    };
    let current = Baseline {
        case: case.name.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        strategy_sha256: data::sha256_file(&case.strategy)?,
        data_sha256: data::sha256_file(&case.data)?,
        params,
        metrics: metrics.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    };
    let path = baseline_path(suite, case);
    let mut problems = Vec::new();
    let base: Option<Baseline> = match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).map_err(|e| {
            Error::input(
                &path,
                Location::LineCol(e.line(), e.column()),
                format!("not a baseline: {e}"),
            )
        })?),
        Err(_) => {
            problems.push(format!(
                "no baseline at {}: run 'tradelab check {} --update' to create it",
                path.display(),
                suite.path.display()
            ));
            None
        }
    };
    if let Some(b) = &base {
        if b.data_sha256 != current.data_sha256 {
            problems.push(format!(
                "the data file changed: {} has sha256 {}…, the baseline was made with {}…",
                case.data.display(),
                &current.data_sha256[..12],
                &b.data_sha256.get(..12).unwrap_or("")
            ));
        }
    }
    if let Some(g) = &case.model {
        problems.extend(model_problems(g, model_run.as_deref(), &case.name));
    }
    let metrics: Vec<MetricCheck> = case
        .metrics
        .iter()
        .map(|m| {
            let now = current.metrics.get(m).copied().flatten();
            let baseline = base
                .as_ref()
                .and_then(|b| b.metrics.get(m).copied().flatten());
            let ok = base.is_some()
                && match (baseline, now) {
                    (None, None) => true,
                    (Some(b), Some(n)) => case.tolerance(m).allows(b, n),
                    _ => false,
                };
            let difference = baseline.zip(now).map(|(b, n)| n - b);
            MetricCheck {
                metric: m.clone(),
                baseline,
                now,
                difference,
                ok,
            }
        })
        .collect();
    let passed = problems.is_empty() && metrics.iter().all(|m| m.ok);
    Ok(CaseResult {
        name: case.name.clone(),
        passed,
        problems,
        metrics,
        current,
    })
}

/// Runs the selected cases (all when `only` is empty) in parallel, in suite order.
pub fn run(suite: &Suite, only: &[String], jobs: Option<usize>) -> Result<Vec<CaseResult>> {
    for name in only {
        if !suite.cases.iter().any(|c| &c.name == name) {
            return Err(Error::Usage(format!(
                "no case named '{name}' in {}",
                suite.path.display()
            )));
        }
    }
    let cases: Vec<&Case> = suite
        .cases
        .iter()
        .filter(|c| only.is_empty() || only.contains(&c.name))
        .collect();
    let work = || {
        cases
            .par_iter()
            .map(|c| run_case(suite, c))
            .collect::<Result<Vec<_>>>()
    };
    crate::with_threads(jobs, work)
}

/// Writes a case's current result as its baseline (atomically).
pub fn write_baseline(suite: &Suite, case: &CaseResult) -> Result<()> {
    let path = suite.baselines.join(format!("{}.json", case.name));
    let body =
        serde_json::to_string_pretty(&case.current).map_err(|e| Error::output(&path, e))? + "\n";
    data::write::write_atomic(&path, |w| {
        std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
    })
}
