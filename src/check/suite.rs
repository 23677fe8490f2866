//! The regression suite file: `[[case]]` tables naming a strategy, a
//! dataset, parameter and execution overrides, the metrics to compare and
//! their tolerances. Paths are relative to the suite file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::strategy::source::Source;

/// A tolerance: a difference passes when it is within `abs` or within
/// `rel`·|baseline|.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    #[serde(default)]
    pub abs: f64,
    #[serde(default)]
    pub rel: f64,
}

impl Tolerance {
    /// Counts are exact; everything else 1e-9 relative (and 1e-12 absolute
    /// for values at zero).
    pub fn default_for(metric: &str) -> Tolerance {
        match metric {
            "trades"
            | "open_trades"
            | "bars"
            | "return_periods"
            | "max_drawdown_duration_bars"
            | "max_trade_bars" => Tolerance { abs: 0.0, rel: 0.0 },
            _ => Tolerance {
                abs: 1e-12,
                rel: 1e-9,
            },
        }
    }

    pub fn allows(&self, baseline: f64, now: f64) -> bool {
        (now - baseline).abs() <= self.abs.max(self.rel * baseline.abs())
    }
}

/// Metrics compared when a case names none.
pub const DEFAULT_METRICS: [&str; 9] = [
    "total_return",
    "annual_return",
    "sharpe",
    "sortino",
    "max_drawdown",
    "trades",
    "win_rate",
    "profit_factor",
    "final_equity",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuite {
    baselines: Option<String>,
    #[serde(rename = "case", default)]
    cases: Vec<RawCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    strategy: String,
    data: String,
    #[serde(default)]
    params: BTreeMap<String, f64>,
    #[serde(default)]
    execution: toml::Table,
    metrics: Option<Vec<String>>,
    #[serde(default)]
    tolerance: BTreeMap<String, Tolerance>,
    model: Option<ModelGate>,
}

/// A `[case.model]` table: thresholds on the latest windows of a model
/// strategy's out-of-sample metrics (`tradelab ml monitor`'s).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelGate {
    /// Fail when a metric is below its value (`{ accuracy = 0.52 }`).
    #[serde(default)]
    pub fail_below: BTreeMap<String, f64>,
    /// Fail when a metric is above its value (`{ log_loss = 0.7 }`).
    #[serde(default)]
    pub fail_above: BTreeMap<String, f64>,
    /// How many of the latest windows are averaged (default 1).
    pub last: Option<usize>,
    /// Windows of this many scored bars (default: one per refit).
    pub window: Option<usize>,
}

/// One regression case.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub strategy: PathBuf,
    pub data: PathBuf,
    pub params: BTreeMap<String, f64>,
    /// `[execution]` keys that replace the strategy's.
    pub execution: toml::Table,
    pub metrics: Vec<String>,
    pub tolerance: BTreeMap<String, Tolerance>,
    /// Model quality thresholds, for a `[model]` strategy.
    pub model: Option<ModelGate>,
}

impl Case {
    pub fn tolerance(&self, metric: &str) -> Tolerance {
        self.tolerance
            .get(metric)
            .copied()
            .unwrap_or_else(|| Tolerance::default_for(metric))
    }
}

/// A parsed suite.
#[derive(Debug, Clone)]
pub struct Suite {
    pub path: PathBuf,
    pub baselines: PathBuf,
    pub cases: Vec<Case>,
}

impl Suite {
    pub fn load(path: &Path) -> Result<Suite> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        let source = Source {
            name: path.display().to_string(),
            text: text.clone(),
        };
        let raw: RawSuite = toml::from_str(&text)
            .map_err(|e| source.error(e.span().unwrap_or(0..0), e.message().trim()))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let at = |needle: &str| {
            let i = text.find(needle).unwrap_or(0);
            source.error(i..i + needle.len(), "")
        };
        if raw.cases.is_empty() {
            return Err(Error::input(
                path,
                crate::Location::File,
                "no [[case]] in the suite",
            ));
        }
        let mut cases = Vec::new();
        let mut names = std::collections::HashSet::new();
        for c in raw.cases {
            let needle = format!("\"{}\"", c.name);
            let fail = |msg: String| match at(&needle) {
                Error::Input(mut e) => {
                    e.message = msg;
                    Error::Input(e)
                }
                other => other,
            };
            if !names.insert(c.name.clone()) {
                return Err(fail(format!("two cases are named '{}'", c.name)));
            }
            if c.name.is_empty() || c.name.contains(['/', '\\']) {
                return Err(fail(format!(
                    "case name '{}' must be non-empty and without slashes",
                    c.name
                )));
            }
            let metrics = c
                .metrics
                .unwrap_or_else(|| DEFAULT_METRICS.iter().map(|s| s.to_string()).collect());
            for m in metrics.iter().chain(c.tolerance.keys()) {
                if crate::metrics::known_name(m).is_none() {
                    return Err(fail(format!("case '{}': unknown metric '{m}'", c.name)));
                }
            }
            if let Some(g) = &c.model {
                for m in g.fail_below.keys().chain(g.fail_above.keys()) {
                    if !crate::ml::monitor::METRICS.contains(&m.as_str()) {
                        return Err(fail(format!(
                            "case '{}': [case.model] '{m}' is not a window metric (expected one of {})",
                            c.name,
                            crate::ml::monitor::METRICS.join(", ")
                        )));
                    }
                }
                if g.last == Some(0) || g.window == Some(0) {
                    return Err(fail(format!(
                        "case '{}': [case.model] last and window must be at least 1",
                        c.name
                    )));
                }
            }
            cases.push(Case {
                name: c.name,
                strategy: dir.join(c.strategy),
                data: dir.join(c.data),
                params: c.params,
                execution: c.execution,
                metrics,
                tolerance: c.tolerance,
                model: c.model,
            });
        }
        Ok(Suite {
            path: path.to_path_buf(),
            baselines: dir.join(raw.baselines.unwrap_or_else(|| "baselines".into())),
            cases,
        })
    }
}
