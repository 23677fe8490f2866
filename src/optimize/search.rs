//! The interface every search method implements: given a strategy, its market (candles or a universe)
//! and the sweep settings, yield the evaluated trials (and a convergence
//! curve where the method has one). `method::Method` picks one; `run` runs
//! it on the requested threads.

use serde_json::Value;

use super::market::Market;
use super::sweep::Config;
pub use super::sweep::{Collect, Sink};
use crate::error::Result;
use crate::strategy::Strategy;

/// What a search produced besides its trials (which went to its `Sink`).
#[derive(Debug, Clone)]
pub struct Found {
    /// Points in the whole sweep (every shard); for a genetic search, the
    /// distinct points it evaluated.
    pub points: usize,
    /// The best objective after each generation, for searches that have generations.
    pub convergence: Option<Vec<Option<f64>>>,
    /// Method-specific figures for the summary (e.g. the size of the space).
    pub extra: Value,
}

/// A search method.
pub trait Search: Sync {
    /// The method's name in outputs: `grid`, `random`, `genetic`.
    fn name(&self) -> &'static str;
    /// The seed that makes it reproducible, if it draws at random.
    fn seed(&self) -> Option<u64>;
    /// Whether `--shard k/n` may slice it.
    fn shardable(&self) -> bool;
    /// How many trials this process will evaluate at most (a progress bar's length).
    fn planned(&self, strategy: &Strategy, cfg: &Config) -> Result<usize> {
        Ok(super::sweep::owned(cfg, self.points(strategy, cfg)?))
    }
    /// The points of the whole sweep (every shard); a genetic search's
    /// most (population × generations).
    fn points(&self, strategy: &Strategy, cfg: &Config) -> Result<usize>;
    /// Evaluates the trials into `sink`; `tick` is called once per finished
    /// trial. Stops early, keeping what finished, when `sweep::STOP` is set.
    fn search(
        &self,
        strategy: &Strategy,
        market: &Market,
        cfg: &Config,
        tick: &(dyn Fn() + Sync),
        sink: &mut dyn Sink,
    ) -> Result<Found>;
}
