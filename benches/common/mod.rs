//! What every benchmark shares: the binary's allocator (mimalloc, its large
//! blocks staggered), best-of-N timing, and `--name N` flags.

use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: tradelab::alloc::Staggered<mimalloc::MiMalloc> =
    tradelab::alloc::Staggered::new(mimalloc::MiMalloc);

/// The fastest of `repeat` runs of `f`.
#[allow(dead_code)]
pub fn best<T>(repeat: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..repeat)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// The value after `--name` on the command line, or `default`.
#[allow(dead_code)]
pub fn flag(name: &str, default: usize) -> usize {
    let key = format!("--{name}");
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| *a == key)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
