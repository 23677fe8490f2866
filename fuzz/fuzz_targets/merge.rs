//! Fuzzes what `tradelab merge` reads back from a shard folder: the bytes
//! are split at 0xFF into meta.json, trials.csv and blocks.csv, written to a
//! folder and read. Rejection is fine; a panic is a bug.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("tradelab-fuzz-merge-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("fuzz folder");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0xFF);
    for name in ["meta.json", "trials.csv", "blocks.csv"] {
        let bytes = parts.next().unwrap_or(&[]);
        std::fs::write(dir().join(name), bytes).expect("write");
    }
    let _ = tradelab::optimize::read::read_dir(dir());
});
