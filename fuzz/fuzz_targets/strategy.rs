//! Fuzzes the strategy file parser: any bytes as a strategy TOML are parsed
//! and, when accepted, compiled with their default parameters.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(strategy) = tradelab::pipeline::parse(text, Path::new("fuzz.toml")) {
        let _ = strategy.compile(&strategy.defaults());
    }
});
