//! Fuzzes the expression language end to end: any text as a strategy's
//! entry signal is parsed, compiled and backtested over 64 synthetic bars.
//! It may be rejected with an error; it must never panic or hang.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tradelab::data::synth::{synth, SynthConfig};
use tradelab::data::Candles;
use tradelab::strategy::eval::ColumnCache;

fn candles() -> &'static Candles {
    static C: OnceLock<Candles> = OnceLock::new();
    C.get_or_init(|| {
        synth(&SynthConfig {
            bars: 64,
            seed: 7,
            ..SynthConfig::default()
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    let _ = tradelab::strategy::parser::parse(expr);
    // A TOML basic string: escape what would end it.
    let quoted: String = expr
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect();
    let text = format!(
        "name = \"fuzz\"\n[params]\nn = {{ default = 5, min = 1, max = 50 }}\n\
         [signals]\nlong_entry = \"{quoted}\"\nlong_exit = \"close < sma(close, n)\"\n"
    );
    let Ok(strategy) = tradelab::pipeline::parse(&text, Path::new("fuzz.toml")) else {
        return;
    };
    let params = strategy.defaults();
    let cache = ColumnCache::default();
    let _ = tradelab::backtest::run(&strategy, &params, &strategy.execution, candles(), &cache);
});
