//! Robustness analysis: how much of a backtest's result is luck. Monte
//! Carlo paths of its trades or bar returns (`paths`, `montecarlo`) and
//! their distribution (`summary`).

pub mod montecarlo;
pub mod paths;
pub mod summary;
