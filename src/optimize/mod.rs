//! Parameter optimization: the space, parallel trials sharing one indicator
//! cache, ranking by an objective with metric constraints, overfitting
//! statistics, shards and their merge.

pub mod bits;
pub mod checkpoint;
pub mod evolve;
pub mod files;
pub mod finish;
pub mod genetic;
pub mod grid;
pub mod keep;
pub mod market;
pub mod method;
pub mod nsga;
pub mod output;
pub mod overfit;
pub mod pareto;
pub mod random;
pub mod read;
pub mod rows;
pub mod search;
pub mod space;
pub mod stability;
pub mod store;
pub mod sweep;
pub mod table;
pub mod walk_report;
pub mod walkforward;
