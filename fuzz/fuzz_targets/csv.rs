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

/// libFuzzer's panic hook aborts on every panic, even one the loader's
/// guard catches and reports as an error (as polars' CSV parser does on a
/// lone quote); keep its abort for panics outside a guard only.
fn quiet_inside_guards() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !tradelab::guard::active() {
                fuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    quiet_inside_guards();
    if std::fs::write(path(), data).is_ok() {
        let _ = tradelab::data::load(path());
    }
});
