//! ML benchmark: training and predicting walk-forward on GOOG (2,148 bars,
//! a 500-bar window refitted every 50 bars: 32 fits), per model kind, with
//! the feature columns computed first (an empty column cache each time).
//!
//! cargo bench --bench ml [-- --repeat R]

mod common;
use common::{best, flag};

use tradelab::strategy::ColumnCache;

fn main() {
    let repeat = flag("repeat", 5);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (candles, _) = tradelab::data::load(&root.join("datasets/GOOG.csv")).expect("GOOG");
    println!(
        "walk-forward model on GOOG ({} bars), best of {repeat}:",
        candles.len()
    );
    for file in ["ml_logistic.toml", "ml_tree.toml"] {
        let s = tradelab::pipeline::load(&root.join("strategies").join(file)).expect("strategy");
        let params = s.defaults();
        let fits = tradelab::ml::run(&s, &params, &candles, &ColumnCache::default())
            .expect("model")
            .expect("a [model]")
            .retrains
            .len();
        let model = best(repeat, || {
            tradelab::ml::run(&s, &params, &candles, &ColumnCache::default()).expect("model")
        });
        let whole = best(repeat, || {
            tradelab::backtest::run(&s, &params, &s.execution, &candles, &ColumnCache::default())
                .expect("run")
        });
        println!(
            "  {file:<18} {fits} fits: model column {:>7.1} ms, whole backtest {:>7.1} ms",
            model.as_secs_f64() * 1e3,
            whole.as_secs_f64() * 1e3
        );
    }
}
