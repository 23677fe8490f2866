//! Monte Carlo benchmark: 10,000 shuffle paths of sma_cross on GOOG, and
//! 1,000 block-bootstrap paths over 1,000,000 synthetic bars, after the
//! backtest (every path with its full metric table).
//!
//! cargo bench --bench montecarlo [-- --paths N --block-paths N --bars N --repeat R]

mod common;
use common::{best, flag};

use tradelab::backtest;
use tradelab::data::synth::{synth, SynthConfig};
use tradelab::data::Candles;
use tradelab::robust::montecarlo::{self, Config, History};
use tradelab::robust::paths::{default_block, Method};
use tradelab::strategy::ColumnCache;

fn time(candles: &Candles, method: Method, paths: usize, repeat: usize) -> f64 {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = tradelab::pipeline::load(&root.join("strategies/sma_cross.toml")).expect("strategy");
    let out = backtest::run(
        &s,
        &s.defaults(),
        &s.execution,
        candles,
        &ColumnCache::default(),
    )
    .expect("run");
    let h = History {
        backtest: &out.backtest,
        ts: &candles.ts,
        bench: &candles.close,
        spacing_ms: candles.spacing_ms,
        cash: s.execution.cash,
    };
    let cfg = Config {
        method,
        paths,
        seed: 1,
        dd_limits: vec![0.2, 0.3],
    };
    best(repeat, || montecarlo::run(&h, &cfg)).as_secs_f64()
}

fn main() {
    let paths = flag("paths", 10_000);
    let block_paths = flag("block-paths", 1_000);
    let bars = flag("bars", 1_000_000);
    let repeat = flag("repeat", 3);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (goog, _) = tradelab::data::load(&root.join("datasets/GOOG.csv")).expect("GOOG");
    let big = synth(&SynthConfig {
        bars,
        seed: 1,
        ..Default::default()
    });
    println!(
        "Monte Carlo of sma_cross (10/20), every path with its metric table; {} threads; best of {repeat}\n",
        rayon::current_num_threads()
    );
    println!("| what | s |\n|---|---|");
    let t = time(&goog, Method::Shuffle, paths, repeat);
    println!("| {paths} shuffle paths, GOOG (2,148 bars, 47 trades) | {t:.3} |");
    let t = time(&goog, Method::Bootstrap, paths, repeat);
    println!("| {paths} bootstrap paths, GOOG | {t:.3} |");
    let mean = default_block(bars);
    let t = time(&big, Method::Block { mean }, block_paths, repeat);
    println!(
        "| {block_paths} block paths (mean {mean}), {bars} synthetic 1-minute bars | {t:.3} |"
    );
}
