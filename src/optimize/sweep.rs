//! Running a sweep: trials in parallel on one shared indicator cache, each a
//! full backtest; ranking by an objective; metric constraints.

use std::collections::BTreeMap;

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::market::Market;
use super::overfit::{block_stats, BlockStats};
use super::space::{Point, Shard, Space};
use crate::backtest;
use crate::data::Candles;
use crate::error::{Error, Result};
use crate::metrics::Metrics;
use crate::strategy::{ColumnCache, Strategy};

/// Set (by a Ctrl-C handler) to stop a sweep: trials not yet started are
/// skipped and the finished ones are kept.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Whether the last sweep was cut short by `STOP`.
pub fn stopped() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// What is optimized.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Objective {
    pub metric: String,
    pub maximize: bool,
}

/// A bound on a metric, e.g. `trades >= 20`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricConstraint {
    pub metric: String,
    pub op: String,
    pub value: f64,
    pub text: String,
}

impl MetricConstraint {
    pub fn parse(s: &str) -> Result<MetricConstraint> {
        let bad = |why: &str| Error::Usage(format!("invalid constraint '{s}': {why}"));
        let ops = [">=", "<=", "==", "!=", ">", "<"];
        let (i, op) = ops
            .iter()
            .filter_map(|op| s.find(op).map(|i| (i, *op)))
            .min_by_key(|(i, op)| (*i, std::cmp::Reverse(op.len())))
            .ok_or_else(|| bad("expected METRIC OP NUMBER, e.g. 'trades >= 20'"))?;
        let metric = s[..i].trim().to_string();
        let value: f64 = s[i + op.len()..]
            .trim()
            .parse()
            .map_err(|_| bad("the right side must be a number"))?;
        if metric.is_empty() {
            return Err(bad("no metric name"));
        }
        Ok(MetricConstraint {
            metric,
            op: op.to_string(),
            value,
            text: s.trim().to_string(),
        })
    }

    /// False when the metric is missing (undefined) or breaks the bound.
    pub fn holds(&self, m: &Metrics) -> bool {
        let Some(Some(v)) = m.get(self.metric.as_str()) else {
            return false;
        };
        match self.op.as_str() {
            ">=" => *v >= self.value,
            "<=" => *v <= self.value,
            ">" => *v > self.value,
            "<" => *v < self.value,
            "==" => *v == self.value,
            _ => *v != self.value,
        }
    }
}

/// One evaluated point.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// Position in the whole sweep (the same in every shard).
    pub index: usize,
    pub params: Point,
    pub metrics: Metrics,
    /// All metric constraints hold and the objective is defined.
    pub feasible: bool,
    pub blocks: BlockStats,
}

/// Where a search delivers its trials, in sweep order, as they finish; and
/// what an earlier, interrupted run of the same sweep already finished.
pub trait Sink: Send + Sync {
    /// How many of this shard's points (in sweep order) already finished:
    /// a grid or random search starts after them.
    fn done(&self) -> usize {
        0
    }
    /// Whether a trial's block returns are kept (for PBO).
    fn keeps_blocks(&self, index: usize) -> bool;
    /// The next finished trials, in sweep order; `complete` is false for a
    /// stretch cut short by `STOP` (it may have gaps).
    fn take(&mut self, trials: Vec<Trial>, complete: bool) -> Result<()>;
    /// The points a genetic search evaluated before an interruption.
    fn evaluated(&mut self) -> Vec<Trial> {
        Vec::new()
    }
    /// A genetic search's checkpoint after a generation: the trials it
    /// evaluated since the last one.
    fn generation(&mut self, _new: &[Trial]) -> Result<()> {
        Ok(())
    }
}

/// A sink that holds every trial in memory (walk-forward windows, tests).
#[derive(Debug, Clone, Default)]
pub struct Collect {
    pub trials: Vec<Trial>,
    /// Keep every trial's block returns.
    pub blocks: bool,
}

impl Sink for Collect {
    fn keeps_blocks(&self, _: usize) -> bool {
        self.blocks
    }
    fn take(&mut self, trials: Vec<Trial>, _: bool) -> Result<()> {
        self.trials.extend(trials);
        Ok(())
    }
}

/// The settings of a sweep (the method is chosen apart: `method::Method`).
#[derive(Debug, Clone)]
pub struct Config {
    /// The first objective: what ranks trials and picks the best.
    pub objective: Objective,
    /// Every objective, the first included, when there are several (a
    /// Pareto front is reported); empty for one.
    pub pareto: Vec<Objective>,
    pub constraints: Vec<MetricConstraint>,
    pub shard: Option<Shard>,
    /// Threads; None = every core.
    pub jobs: Option<usize>,
    /// The largest grid accepted.
    pub max_points: u128,
    /// Compute the overfitting statistics (DSR, PBO) and keep each trial's
    /// block returns for them; false skips both.
    pub overfit: bool,
}

/// Metric names a backtest produces (for checking objectives early).
pub fn metric_names(candles: &Candles, strategy: &Strategy) -> Result<Vec<&'static str>> {
    let params = strategy.defaults();
    let tiny = candles.between(None, candles.ts.get(1).copied());
    let out = backtest::run(
        strategy,
        &params,
        &strategy.execution,
        &tiny,
        &ColumnCache::default(),
    );
    Ok(out
        .map(|o| o.metrics.keys().copied().collect())
        .unwrap_or_default())
}

/// How many of a sweep's `points` this process runs (its shard's, or all).
pub fn owned(cfg: &Config, points: usize) -> usize {
    match cfg.shard {
        Some(s) => points.saturating_sub(s.k - 1).div_ceil(s.n),
        None => points,
    }
}

/// Runs this shard's trials (or all) in parallel, after the `sink.done()`
/// an earlier run finished, and hands them to `sink` in sweep order, a
/// stretch at a time; `tick` is called once per finished trial. The
/// stretches grow until one takes about a quarter of a second or holds
/// `STRETCH_MAX` trials (the output
/// does not depend on them; a checkpoint is taken after each).
/// The most trials a stretch holds whole (about 4 KB each: 16 MB).
pub const STRETCH_MAX: usize = 4096;

/// The most trials whose crossings are found together (`Market::prefetch`),
/// and so held at once: a pair's lists are about 4 bytes a crossing.
const BATCH: usize = 512;

pub fn run(
    strategy: &Strategy,
    market: &Market,
    cfg: &Config,
    space: &Space,
    points: &[u64],
    tick: &(dyn Fn() + Sync),
    sink: &mut dyn Sink,
) -> Result<()> {
    // This shard's points: positions first, first + step, ... (no list).
    let (first, step) = cfg.shard.map_or((0, 1), |s| (s.k - 1, s.n));
    let owned = owned(cfg, points.len());
    let cache = ColumnCache::default();
    let mut at = sink.done().min(owned);
    let mut stretch = 16usize;
    let point = |j: usize| space.point(points[first + j * step].into());
    let mut prefetched = at;
    while at < owned {
        let end = (at + stretch).min(owned);
        let started = std::time::Instant::now();
        let mut kept: Vec<Option<Trial>> = Vec::with_capacity(end - at);
        let mut lo = at;
        while lo < end {
            // The crossings of the next BATCH trials are found together,
            // across stretches (the first stretches are small).
            if lo >= prefetched {
                cache.clear_crossings();
                prefetched = (lo + BATCH).min(owned);
                let params: Vec<BTreeMap<String, f64>> = (lo..prefetched).map(&point).collect();
                market.prefetch(strategy, &params, &cache);
            }
            let hi = end.min(prefetched);
            let batch: Vec<(usize, BTreeMap<String, f64>)> =
                (lo..hi).map(|j| (first + j * step, point(j))).collect();
            lo = hi;
            let trials = batch
                .into_par_iter()
                .map(|(index, params)| {
                    if STOP.load(Ordering::Relaxed) {
                        return Ok(None);
                    }
                    let out = market.trial(strategy, &params, &cache)?;
                    let objective_defined = matches!(
                        out.metrics.get(cfg.objective.metric.as_str()),
                        Some(Some(_))
                    );
                    let feasible =
                        objective_defined && cfg.constraints.iter().all(|c| c.holds(&out.metrics));
                    tick();
                    Ok(Some(Trial {
                        index,
                        params,
                        blocks: if cfg.overfit && sink.keeps_blocks(index) {
                            block_stats(&out.returns)
                        } else {
                            BlockStats::default()
                        },
                        metrics: out.metrics,
                        feasible,
                    }))
                })
                .collect::<Result<Vec<_>>>();
            kept.extend(trials?);
        }
        let complete = kept.iter().all(Option::is_some);
        sink.take(kept.into_iter().flatten().collect(), complete)?;
        if !complete {
            break;
        }
        at = end;
        if started.elapsed() < std::time::Duration::from_millis(250) {
            stretch = (stretch * 2).min(STRETCH_MAX);
        }
    }
    Ok(())
}

/// The parameters of a trial as `fast=10 slow=20`.
pub fn describe(p: &BTreeMap<String, f64>) -> String {
    Strategy::describe_params(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_constraints() {
        let c = MetricConstraint::parse("trades >= 20").unwrap();
        assert_eq!(
            (c.metric.as_str(), c.op.as_str(), c.value),
            ("trades", ">=", 20.0)
        );
        let c = MetricConstraint::parse("max_drawdown > -0.3").unwrap();
        assert_eq!((c.op.as_str(), c.value), (">", -0.3));
        let mut m = Metrics::new();
        m.insert("max_drawdown", Some(-0.2));
        assert!(c.holds(&m));
        m.insert("max_drawdown", Some(-0.4));
        assert!(!c.holds(&m));
        m.insert("max_drawdown", None);
        assert!(!c.holds(&m));
        assert!(MetricConstraint::parse("trades twenty").is_err());
        assert!(MetricConstraint::parse("trades >= many").is_err());
    }
}
