//! Fuzzes the candle loader: any bytes written as a .csv file are sniffed,
//! read, parsed and validated. Rejection is fine; a panic is a bug.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn path() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| std::env::temp_dir().join(format!("tradelab-fuzz-{}.csv", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    if std::fs::write(path(), data).is_ok() {
        let _ = tradelab::data::load(path());
    }
});
