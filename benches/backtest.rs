//! Backtest benchmark: sma_cross on 1,000,000 synthetic bars, after loading.
//!
//! cargo bench --bench backtest [-- --bars N --repeat R]

mod common;
use common::{best, flag};

use tradelab::backtest;
use tradelab::data::synth::{synth, SynthConfig};
use tradelab::engine::{self, Prices, Signals};
use tradelab::metrics;
use tradelab::strategy::ColumnCache;

fn main() {
    let bars = flag("bars", 1_000_000);
    let repeat = flag("repeat", 10);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = tradelab::pipeline::load(&root.join("strategies/sma_cross.toml")).expect("strategy");
    let candles = synth(&SynthConfig {
        bars,
        seed: 1,
        ..Default::default()
    });
    let params = s.defaults();
    let cfg = s.execution.clone();
    // Signals once, for the engine-only and metrics-only rows.
    let warm = ColumnCache::default();
    let out = backtest::run(&s, &params, &s.execution, &candles, &warm).expect("run");
    let sig = tradelab::pipeline::eval::evaluate(&candles, Some(&s), &params, &[], &warm)
        .expect("signals");
    let signals = Signals {
        long_entry: Some(sig[0].values.as_slice()),
        long_exit: Some(sig[1].values.as_slice()),
        ..Default::default()
    };
    let prices = Prices::of(&candles, 0);
    let cx = metrics::Context {
        ts: &candles.ts,
        close: &candles.close,
        spacing_ms: candles.spacing_ms,
        cash: cfg.cash,
        benchmark: None,
    };
    let full = best(repeat, || {
        backtest::run(&s, &params, &s.execution, &candles, &ColumnCache::default()).expect("run")
    });
    let cached = best(repeat, || {
        backtest::run(&s, &params, &s.execution, &candles, &warm).expect("run")
    });
    let engine_only = best(repeat, || engine::run(prices, &signals, &cfg));
    // The sweep's path: the event-driven engine on the signal bars.
    let trial = best(repeat, || {
        backtest::trial(&s, &params, &candles, &warm).expect("trial")
    });
    let prepared = tradelab::pipeline::prepare(&s, &params, &candles, &warm, Default::default())
        .expect("prepare");
    let events_only = best(repeat, || prepared.signal_events(&candles, &warm));
    // Every trial of the canonical grid (benches/sweep_sma.toml), one thread,
    // indicators cached: the mean trial.
    let grid = tradelab::pipeline::load(&root.join("benches/sweep_sma.toml")).expect("grid");
    let points = tradelab::optimize::space::Space::of(&grid)
        .expect("space")
        .grid(&grid, 1_000_000)
        .expect("points");
    let grid_cache = ColumnCache::default();
    let run_grid = || {
        for p in &points {
            std::hint::black_box(backtest::trial(&grid, p, &candles, &grid_cache).expect("trial"));
        }
    };
    run_grid();
    let grid_time = best(3.min(repeat), run_grid);
    let metrics_only = best(repeat, || metrics::compute(&out.backtest, &cx));
    println!(
        "sma_cross (10/20) on {bars} synthetic 1-minute bars, {} trades; best of {repeat}\n",
        out.backtest.trades.len()
    );
    println!("| what | ms |\n|---|---|");
    println!(
        "| signals + engine + metrics, empty indicator cache | {:.1} |",
        full.as_secs_f64() * 1e3
    );
    println!(
        "| signals + engine + metrics, indicators cached | {:.1} |",
        cached.as_secs_f64() * 1e3
    );
    println!(
        "| engine pass alone | {:.1} |",
        engine_only.as_secs_f64() * 1e3
    );
    println!(
        "| metrics alone | {:.1} |",
        metrics_only.as_secs_f64() * 1e3
    );
    println!(
        "| sweep trial (event-driven engine + metrics), indicators cached | {:.2} |",
        trial.as_secs_f64() * 1e3
    );
    println!(
        "| its signal bars alone (one pass over the two SMAs) | {:.2} |",
        events_only.as_secs_f64() * 1e3
    );
    println!(
        "| mean trial of the canonical grid ({} trials, one thread, cached) | {:.2} |",
        points.len(),
        grid_time.as_secs_f64() * 1e3 / points.len() as f64
    );
}
