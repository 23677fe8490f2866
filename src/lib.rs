//! tradelab: a backtesting and research toolkit. This library holds all the
//! work; the `tradelab` binary only parses arguments and prints.

pub mod alloc;
pub mod backtest;
pub mod check;
pub mod data;
pub mod engine;
pub mod error;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod format;
pub mod guard;
pub mod indicators;
pub mod lookahead;
pub mod metrics;
pub mod ml;
pub mod optimize;
pub mod pipeline;
pub mod portfolio;
pub mod report;
pub mod robust;
pub mod strategy;

pub use error::{Error, InputError, Location, Result};

/// Runs `work` on `jobs` threads (rayon), or on the global pool for None.
/// Results never depend on the thread count; only the speed does.
pub fn with_threads<T: Send>(
    jobs: Option<usize>,
    work: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    match jobs {
        Some(j) => rayon::ThreadPoolBuilder::new()
            .num_threads(j.max(1))
            .build()
            .map_err(|e| Error::Usage(format!("cannot start {j} threads: {e}")))?
            .install(work),
        None => work(),
    }
}
