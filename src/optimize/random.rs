//! The random search: `trials` points drawn from the parameter space with a
//! seed (the same seed, the same points), then run like a grid.

use super::grid::{non_empty, sweep_points};
use super::market::Market;
use super::search::{Found, Search, Sink};
use super::space::Space;
use super::sweep::Config;
use crate::error::{Error, Result};
use crate::strategy::Strategy;

/// `trials` seeded draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Random {
    pub trials: usize,
    pub seed: u64,
}

impl Random {
    /// The grid numbers of the sweep's points, in draw order.
    pub fn indices(&self, strategy: &Strategy) -> Result<Vec<u64>> {
        if self.trials == 0 {
            return Err(Error::Usage(
                "a random search needs at least 1 trial".into(),
            ));
        }
        let points = Space::of(strategy)?.random_indices(strategy, self.trials, self.seed)?;
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

    fn points(&self, _: &Strategy, _: &Config) -> Result<usize> {
        Ok(self.trials)
    }

    fn search(
        &self,
        strategy: &Strategy,
        market: &Market,
        cfg: &Config,
        tick: &(dyn Fn() + Sync),
        sink: &mut dyn Sink,
    ) -> Result<Found> {
        sweep_points(strategy, market, cfg, tick, sink, &self.indices(strategy)?)
    }
}
