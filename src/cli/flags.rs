//! Flags several commands share, declared once and flattened into each
//! (`#[command(flatten)]`), with the one place that turns each into the
//! library's plain settings and adds the flag's name to its errors.

use std::path::PathBuf;

use anyhow::{anyhow, bail};
use clap::{Args, ValueEnum};

use tradelab::metrics::table::{self, Better};
use tradelab::optimize::genetic::GeneticConfig;
use tradelab::optimize::method::Method;
use tradelab::optimize::random::Random;
use tradelab::optimize::sweep::{MetricConstraint, Objective};
use tradelab::report::Formats;
use tradelab::strategy::compile::nearest;
use tradelab::strategy::Strategy;

/// `--data FILE`: one candle file.
#[derive(Debug, Args)]
pub struct DataFlag {
    /// The candle file (default: the strategy's own data).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

/// `--benchmark FILE`: what the benchmark-relative metrics and the
/// report's benchmark column measure against.
#[derive(Debug, Default, Args)]
pub struct BenchmarkFlag {
    /// The benchmark: a candle file or a one-symbol close panel such as
    /// datasets/sp500_index.csv (default: buy and hold of the traded data,
    /// or of a portfolio's universe, equal-weight).
    #[arg(long, value_name = "FILE")]
    pub benchmark: Option<PathBuf>,
}

impl BenchmarkFlag {
    pub fn load(&self) -> anyhow::Result<Option<tradelab::data::benchmark::Benchmark>> {
        Ok(self
            .benchmark
            .as_deref()
            .map(tradelab::data::benchmark::Benchmark::load)
            .transpose()?)
    }
}

/// `--set NAME=VALUE`, repeatable.
#[derive(Debug, Default, Args)]
pub struct SetFlags {
    /// PARAM=VALUE overrides, checked against the strategy's ranges (repeatable).
    #[arg(long = "set", value_name = "PARAM=VALUE")]
    pub sets: Vec<String>,
}

impl SetFlags {
    /// The strategy's defaults with the overrides applied.
    pub fn params(
        &self,
        strategy: &Strategy,
    ) -> anyhow::Result<std::collections::BTreeMap<String, f64>> {
        strategy
            .with_overrides(&self.sets)
            .map_err(|e| anyhow!("--set {e}"))
    }
}

/// `--exec KEY=VALUE`, repeatable.
#[derive(Debug, Args)]
pub struct ExecFlags {
    /// Override an [execution] setting, checked like the file's (repeatable),
    /// e.g. --exec commission=0.00002 --exec fill=close --exec cash=100000.
    #[arg(long = "exec", value_name = "KEY=VALUE")]
    pub exec: Vec<String>,
}

impl ExecFlags {
    /// Applies the overrides to `strategy`.
    pub fn apply(&self, strategy: &mut Strategy) -> anyhow::Result<()> {
        strategy
            .override_execution(&self.exec)
            .map_err(|e| anyhow!("--exec {e}"))
    }
}

/// `--jobs N`.
#[derive(Debug, Args)]
pub struct JobsFlag {
    /// Threads (default: every core). Results are identical for any value.
    #[arg(long)]
    pub jobs: Option<usize>,
}

impl JobsFlag {
    pub fn get(&self) -> anyhow::Result<Option<usize>> {
        if self.jobs == Some(0) {
            bail!("--jobs must be at least 1");
        }
        Ok(self.jobs)
    }
}

/// `--report json,html,pdf,xlsx` and `--out DIR`.
#[derive(Debug, Args)]
pub struct ReportFlags {
    /// Write reports: json, html, pdf and/or xlsx.
    #[arg(long, value_name = "json,html,pdf,xlsx")]
    pub report: Option<String>,
    /// The output folder (default: one under reports/ named after the run).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

impl ReportFlags {
    pub fn formats(&self) -> anyhow::Result<Option<Formats>> {
        self.report
            .as_deref()
            .map(|r| Formats::parse(r).map_err(|e| anyhow!("--report: {e}")))
            .transpose()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Every point of the grid.
    Grid,
    /// --trials points drawn with --seed.
    Random,
    /// A seeded genetic search (genevo) over the grid's points.
    Genetic,
}

/// How a parameter space is searched and what is optimized: shared by
/// `optimize` and `walkforward` (which searches each training window).
#[derive(Debug, Args)]
pub struct SearchFlags {
    #[arg(long, value_enum, default_value = "grid")]
    pub method: MethodArg,
    /// The metric to optimize; several (repeat it) add a Pareto front over
    /// all of them, the first still ranking the trials.
    #[arg(long, default_value = "sharpe")]
    pub objective: Vec<String>,
    /// Maximize an objective (the default where higher is better): alone it
    /// names the first, or give its name (repeatable).
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "")]
    pub maximize: Vec<String>,
    /// Minimize an objective (the default for volatility, drawdown length,
    /// ...): alone it names the first, or give its name (repeatable).
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "")]
    pub minimize: Vec<String>,
    /// A bound on a metric that makes a trial feasible, e.g. "trades >= 20" (repeatable).
    #[arg(long = "constraint", value_name = "METRIC OP VALUE")]
    pub constraints: Vec<String>,
    /// Points to draw (random).
    #[arg(long, default_value_t = 100)]
    pub trials: usize,
    /// Seed of the random and genetic searches.
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
}

/// Rejects an unknown metric name with a suggestion.
pub fn check_metric(name: &str, what: &str) -> anyhow::Result<()> {
    if table::lookup(name).is_some() {
        return Ok(());
    }
    match nearest(name, table::names()) {
        Some(s) => bail!("unknown metric '{name}' in {what}; did you mean '{s}'?"),
        None => bail!(
            "unknown metric '{name}' in {what} (metrics: {})",
            table::names().collect::<Vec<_>>().join(", ")
        ),
    }
}

impl SearchFlags {
    /// The search method with its settings.
    pub fn method(&self) -> anyhow::Result<Method> {
        Ok(match self.method {
            MethodArg::Grid => Method::Grid,
            MethodArg::Random if self.trials == 0 => bail!("--trials must be at least 1"),
            MethodArg::Random => Method::Random(Random {
                trials: self.trials,
                seed: self.seed,
            }),
            MethodArg::Genetic => {
                let g = GeneticConfig {
                    population: self.population,
                    generations: self.generations,
                    mutation: self.mutation,
                    crossover: self.crossover,
                    patience: self.patience,
                    seed: self.seed,
                };
                if g.population < 6 {
                    bail!("--population must be at least 6 (genevo needs 6 to breed a generation)");
                }
                if !(0.0..=1.0).contains(&g.mutation) {
                    bail!("--mutation must be in [0, 1], got {}", g.mutation);
                }
                if !(g.crossover > 0.0 && g.crossover <= 1.0) {
                    bail!("--crossover must be in (0, 1], got {}", g.crossover);
                }
                g.check()?;
                Method::Genetic(g)
            }
        })
    }

    /// Every objective, each maximized or minimized as the metric table
    /// says unless `--maximize` or `--minimize` names it (alone, the first).
    pub fn objectives(&self) -> anyhow::Result<Vec<Objective>> {
        let names = &self.objective;
        for (i, n) in names.iter().enumerate() {
            check_metric(n, "--objective")?;
            if names[..i].contains(n) {
                bail!("--objective {n} is given twice");
            }
        }
        let named = |list: &[String], flag: &str| -> anyhow::Result<Vec<String>> {
            list.iter()
                .map(|n| {
                    let n = if n.is_empty() {
                        names[0].clone()
                    } else {
                        n.clone()
                    };
                    if !names.contains(&n) {
                        bail!(
                            "{flag} {n}: not an --objective (objectives: {})",
                            names.join(", ")
                        );
                    }
                    Ok(n)
                })
                .collect()
        };
        let (up, down) = (
            named(&self.maximize, "--maximize")?,
            named(&self.minimize, "--minimize")?,
        );
        if let Some(n) = up.iter().find(|n| down.contains(n)) {
            bail!("--maximize and --minimize both name {n}");
        }
        Ok(names
            .iter()
            .map(|n| {
                let higher = table::lookup(n).is_none_or(|d| d.better == Better::Higher);
                Objective {
                    metric: n.clone(),
                    maximize: up.contains(n) || (!down.contains(n) && higher),
                }
            })
            .collect())
    }

    /// The first objective: the one that ranks trials.
    pub fn objective(&self) -> anyhow::Result<Objective> {
        Ok(self.objectives()?.remove(0))
    }

    /// Every objective when there are several (a Pareto front); none for one.
    pub fn pareto(&self) -> anyhow::Result<Vec<Objective>> {
        let all = self.objectives()?;
        Ok(if all.len() > 1 { all } else { Vec::new() })
    }

    /// `--constraint` values, each naming a known metric.
    pub fn constraints(&self) -> anyhow::Result<Vec<MetricConstraint>> {
        let mut out = Vec::new();
        for c in &self.constraints {
            let parsed = MetricConstraint::parse(c).map_err(|e| anyhow!("--constraint: {e}"))?;
            check_metric(&parsed.metric, "--constraint")?;
            out.push(parsed);
        }
        Ok(out)
    }
}
