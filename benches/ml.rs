//! ML benchmark: training and predicting walk-forward on GOOG (2,148 bars,
//! a 500-bar window refitted every 50 bars: 32 fits), per model kind, with
//! the feature columns computed first (an empty column cache each time).
//!
//! cargo bench --bench ml [-- --repeat R]

use std::time::{Duration, Instant};

use tradelab::strategy::{ColumnCache, Strategy};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn best<T>(repeat: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..repeat)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let mut repeat = 5;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--repeat" {
            repeat = args.next().and_then(|v| v.parse().ok()).unwrap_or(repeat);
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (candles, _) = tradelab::data::load(&root.join("datasets/GOOG.csv")).expect("GOOG");
    println!(
        "walk-forward model on GOOG ({} bars), best of {repeat}:",
        candles.len()
    );
    for file in ["ml_logistic.toml", "ml_tree.toml"] {
        let s = Strategy::load(&root.join("strategies").join(file)).expect("strategy");
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
