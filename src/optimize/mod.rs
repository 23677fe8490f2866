//! Parameter optimization: the space, parallel trials sharing one indicator
//! cache, ranking by an objective with metric constraints, overfitting
//! statistics, shards and their merge.

pub mod genetic;
pub mod output;
pub mod overfit;
pub mod space;
pub mod sweep;
pub mod walkforward;
