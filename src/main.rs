//! The `tradelab` binary: parse arguments, run the command, map the result to
//! an exit code (0 ok, 1 a check failed, 2 bad input or usage).

mod cli;

// polars allocates and frees large column buffers; glibc's malloc hands them
// back to the kernel and page-faults them in again, mimalloc keeps them:
// loading 1M bars of Parquet takes 34 ms instead of 62 ms (benches/RESULTS.md).
// Its large blocks are staggered across cache sets (tradelab::alloc).
#[global_allocator]
static GLOBAL: tradelab::alloc::Staggered<mimalloc::MiMalloc> =
    tradelab::alloc::Staggered::new(mimalloc::MiMalloc);

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A reader that panics on malformed input inside a guard is reported as
    // one error line; the default message would only add noise.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !tradelab::guard::active() {
            default_hook(info);
        }
    }));
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(cli::Outcome::Ok) => ExitCode::SUCCESS,
        Ok(cli::Outcome::CheckFailed) => ExitCode::from(1),
        Ok(cli::Outcome::Interrupted) => ExitCode::from(130),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
