//! The grid search: every point of the parameter space that satisfies the
//! strategy's constraint, in a fixed order, so that shards slice it.

use super::market::Market;
use super::search::{Found, Search, Sink};
use super::space::Space;
use super::sweep::{self, Config};
use crate::error::{Error, Result};
use crate::strategy::Strategy;

/// Every point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid;

/// The points of a grid or random sweep, refusing an empty one.
pub(crate) fn non_empty(strategy: &Strategy, points: Vec<u64>) -> Result<Vec<u64>> {
    if points.is_empty() {
        return Err(Error::Usage(format!(
            "no parameter set satisfies the constraint of '{}'",
            strategy.name
        )));
    }
    Ok(points)
}

/// Runs a fixed list of points as a sweep.
pub(crate) fn sweep_points(
    strategy: &Strategy,
    market: &Market,
    cfg: &Config,
    tick: &(dyn Fn() + Sync),
    sink: &mut dyn Sink,
    points: &[u64],
) -> Result<Found> {
    let space = Space::of(strategy)?;
    sweep::run(strategy, market, cfg, &space, points, tick, sink)?;
    Ok(Found {
        points: points.len(),
        convergence: None,
        extra: serde_json::json!({}),
    })
}

impl Grid {
    /// The grid numbers of the sweep's points, in order.
    pub fn indices(&self, strategy: &Strategy, cfg: &Config) -> Result<Vec<u64>> {
        let points = Space::of(strategy)?.grid_indices(strategy, cfg.max_points)?;
        non_empty(strategy, points)
    }
}

impl Search for Grid {
    fn name(&self) -> &'static str {
        "grid"
    }

    fn seed(&self) -> Option<u64> {
        None
    }

    fn shardable(&self) -> bool {
        true
    }

    fn points(&self, strategy: &Strategy, cfg: &Config) -> Result<usize> {
        Ok(self.indices(strategy, cfg)?.len())
    }

    fn search(
        &self,
        strategy: &Strategy,
        market: &Market,
        cfg: &Config,
        tick: &(dyn Fn() + Sync),
        sink: &mut dyn Sink,
    ) -> Result<Found> {
        sweep_points(
            strategy,
            market,
            cfg,
            tick,
            sink,
            &self.indices(strategy, cfg)?,
        )
    }
}
