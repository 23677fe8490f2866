//! The random search: `trials` points drawn from the parameter space with a
//! seed (the same seed, the same points), then run like a grid.

use super::grid::{non_empty, sweep_points};
use super::market::Market;
use super::search::{Found, Search};
use super::space::{Point, Space};
use super::sweep::{self, Config};
use crate::error::{Error, Result};
use crate::strategy::Strategy;

/// `trials` seeded draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Random {
    pub trials: usize,
    pub seed: u64,
}

impl Random {
    pub fn points(&self, strategy: &Strategy) -> Result<Vec<Point>> {
        if self.trials == 0 {
            return Err(Error::Usage(
                "a random search needs at least 1 trial".into(),
            ));
        }
        let points = Space::of(strategy)?.random(strategy, self.trials, self.seed)?;
        non_empty(strategy, points)
    }
}

impl Search for Random {
    fn name(&self) -> &'static str {
        "random"
    }

    fn seed(&self) -> Option<u64> {
        Some(self.seed)
    }

    fn shardable(&self) -> bool {
        true
    }

    fn planned(&self, strategy: &Strategy, cfg: &Config) -> Result<usize> {
        Ok(sweep::owned(cfg, self.points(strategy)?.len()))
    }

    fn search(
        &self,
        strategy: &Strategy,
        market: &Market,
        cfg: &Config,
        tick: &(dyn Fn() + Sync),
    ) -> Result<Found> {
        sweep_points(strategy, market, cfg, &self.points(strategy)?, tick)
    }
}
