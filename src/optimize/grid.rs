//! The grid search: every point of the parameter space that satisfies the
//! strategy's constraint, in a fixed order, so that shards slice it.

use super::market::Market;
use super::search::{Found, Search};
use super::space::{Point, Space};
use super::sweep::{self, Config};
use crate::error::{Error, Result};
use crate::strategy::Strategy;

/// Every point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid;

/// The points of a grid or random sweep, refusing an empty one.
pub(crate) fn non_empty(strategy: &Strategy, points: Vec<Point>) -> Result<Vec<Point>> {
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
    points: &[Point],
    tick: &(dyn Fn() + Sync),
) -> Result<Found> {
    Ok(Found {
        trials: sweep::run(strategy, market, cfg, points, tick)?,
        points: points.len(),
        convergence: None,
        extra: serde_json::json!({}),
    })
}

impl Grid {
    pub fn points(&self, strategy: &Strategy, cfg: &Config) -> Result<Vec<Point>> {
        let points = Space::of(strategy)?.grid(strategy, cfg.max_points)?;
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

    fn planned(&self, strategy: &Strategy, cfg: &Config) -> Result<usize> {
        Ok(sweep::owned(cfg, self.points(strategy, cfg)?.len()))
    }

    fn search(
        &self,
        strategy: &Strategy,
        market: &Market,
        cfg: &Config,
        tick: &(dyn Fn() + Sync),
    ) -> Result<Found> {
        sweep_points(strategy, market, cfg, &self.points(strategy, cfg)?, tick)
    }
}
