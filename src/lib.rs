//! tradelab: a backtesting and research toolkit. This library holds all the
//! work; the `tradelab` binary only parses arguments and prints.

pub mod backtest;
pub mod check;
pub mod data;
pub mod engine;
pub mod error;
pub mod indicators;
pub mod metrics;
pub mod optimize;
pub mod report;
pub mod strategy;

pub use error::{Error, InputError, Location, Result};
