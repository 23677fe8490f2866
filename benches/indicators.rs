//! Indicator benchmark: 10 indicators over 1,000,000 synthetic bars through
//! the expression evaluator, cold (empty cache) and again (from the cache).
//!
//! cargo bench --bench indicators [-- --bars N --repeat R]
//!
//! With `--calls FILE --data CSV` (benches/talib.sh passes them) it times
//! instead every call of a `key<TAB>expression` file alone on those
//! candles, best of 3 with only the candle columns cached, and prints
//! `key<TAB>ms`; with `--groups FILE --data CSV`, each line's expressions
//! (`name<TAB>expr<TAB>...`) in one request, printing `name<TAB>ms`.

mod common;
use common::flag;

use std::time::{Duration, Instant};

use tradelab::data::synth::{synth, SynthConfig};
use tradelab::pipeline::eval::evaluate;
use tradelab::strategy::request::Request;
use tradelab::strategy::ColumnCache;

const EXPRS: [&str; 10] = [
    "sma(close, 20)",
    "ema(close, 20)",
    "wma(close, 20)",
    "rsi(close, 14)",
    "macd(close, 12, 26, 9)",
    "bb_upper(close, 20, 2)",
    "atr(14)",
    "stoch_k(14, 3, 3)",
    "adx(14)",
    "cci(20)",
];

/// The text after `--name`, if given.
fn text_flag(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| *a == format!("--{name}"))?;
    args.get(at + 1).cloned()
}

/// Each line of a `name<TAB>expr[<TAB>expr...]` file (calls.tsv has one
/// expression a line; the groups file every output of one function) in
/// one request on one dataset, best of 3, printing `name<TAB>ms`. The
/// candle columns are in the cache already, as in any run after the first
/// expression: only the calls themselves are timed.
fn each_line(file: &str, data: &str) {
    let (candles, _) = tradelab::data::load(std::path::Path::new(data)).expect("data");
    let params = Default::default();
    let columns: Vec<Request> = ["open", "high", "low", "close", "volume"]
        .iter()
        .map(|c| Request::parse(&format!("{c}_={c}")))
        .collect();
    for line in std::fs::read_to_string(file).expect("calls").lines() {
        let mut fields = line.split('\t');
        let Some(name) = fields.next() else {
            continue;
        };
        let r: Vec<Request> = fields
            .enumerate()
            .map(|(k, e)| Request::parse(&format!("out{k}={e}")))
            .collect();
        let mut best = Duration::MAX;
        for _ in 0..3 {
            let cache = ColumnCache::default();
            evaluate(&candles, None, &params, &columns, &cache).expect("columns");
            let t = Instant::now();
            evaluate(&candles, None, &params, &r, &cache).expect("evaluate");
            best = best.min(t.elapsed());
        }
        println!("{name}\t{:.3}", best.as_secs_f64() * 1e3);
    }
}

fn main() {
    let lines = text_flag("calls").or_else(|| text_flag("groups"));
    if let (Some(file), Some(data)) = (lines, text_flag("data")) {
        each_line(&file, &data);
        return;
    }
    let bars = flag("bars", 1_000_000);
    let repeat = flag("repeat", 5);
    let candles = synth(&SynthConfig {
        bars,
        seed: 1,
        ..Default::default()
    });
    let requests: Vec<Request> = EXPRS.iter().map(|e| Request::parse(e)).collect();
    let params = Default::default();
    let mut cold = Duration::MAX;
    let mut warm = Duration::MAX;
    for _ in 0..repeat {
        let cache = ColumnCache::default();
        let t = Instant::now();
        let out = evaluate(&candles, None, &params, &requests, &cache).expect("evaluate");
        cold = cold.min(t.elapsed());
        assert_eq!(out.len(), 10);
        let misses = cache.misses();
        let t = Instant::now();
        evaluate(&candles, None, &params, &requests, &cache).expect("evaluate");
        warm = warm.min(t.elapsed());
        assert_eq!(
            cache.misses(),
            misses,
            "the second request computes nothing"
        );
        assert!(cache.hits() >= 10);
    }
    for e in EXPRS {
        let r = vec![Request::parse(e)];
        let mut best = Duration::MAX;
        for _ in 0..3 {
            let cache = ColumnCache::default();
            let t = Instant::now();
            evaluate(&candles, None, &params, &r, &cache).expect("evaluate");
            best = best.min(t.elapsed());
        }
        println!("| {e} | {:.1} |", best.as_secs_f64() * 1e3);
    }
    println!("| what | bars | best of {repeat} (ms) |\n|---|---|---|");
    println!(
        "| 10 indicators, empty cache | {bars} | {:.1} |",
        cold.as_secs_f64() * 1e3
    );
    println!(
        "| the same 10 again, from the cache | {bars} | {:.2} |",
        warm.as_secs_f64() * 1e3
    );
}
