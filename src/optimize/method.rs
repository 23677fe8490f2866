//! The search methods by name: one enum variant per method, each backed by
//! its own file implementing `Search`, and the one entry that runs any of
//! them on the requested threads.

use super::genetic::GeneticConfig;
use super::grid::Grid;
use super::market::Market;
use super::random::Random;
use super::search::{Collect, Found, Search, Sink};
use super::sweep::Config;
use crate::error::{Error, Result};
use crate::strategy::Strategy;

/// How points are chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    Grid,
    Random(Random),
    Genetic(GeneticConfig),
}

impl Method {
    /// The method's implementation.
    pub fn search(&self) -> &dyn Search {
        match self {
            Method::Grid => &Grid,
            Method::Random(r) => r,
            Method::Genetic(g) => g,
        }
    }

    pub fn name(&self) -> &'static str {
        self.search().name()
    }
}

/// Runs `method` on `cfg.jobs` threads (every core for None).
pub fn run(
    method: &Method,
    strategy: &Strategy,
    market: &Market,
    cfg: &Config,
    tick: &(dyn Fn() + Sync),
    sink: &mut dyn Sink,
) -> Result<Found> {
    let search = method.search();
    if cfg.shard.is_some() && !search.shardable() {
        return Err(Error::Usage(format!(
            "a {} search runs whole; only grid and random sweeps are sliced into shards",
            search.name()
        )));
    }
    crate::with_threads(cfg.jobs, || {
        search.search(strategy, market, cfg, tick, sink)
    })
}

/// `run` with every trial held in memory, in sweep order.
pub fn collect(
    method: &Method,
    strategy: &Strategy,
    market: &Market,
    cfg: &Config,
    tick: &(dyn Fn() + Sync),
) -> Result<(Found, Vec<crate::optimize::sweep::Trial>)> {
    let mut sink = Collect {
        trials: Vec::new(),
        blocks: cfg.overfit,
    };
    let found = run(method, strategy, market, cfg, tick, &mut sink)?;
    Ok((found, sink.trials))
}
