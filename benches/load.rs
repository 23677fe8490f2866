//! In-process load benchmark: `data::read` (parse) and `data::load` (parse +
//! validate) of candle files, best of N, comparable to timing
//! `pandas.read_csv` or `polars.read_parquet` inside Python.
//!
//! cargo bench --bench load -- FILE... [--repeat N]

mod common;
use common::best;

use std::path::PathBuf;

fn main() {
    let mut files = Vec::new();
    let mut repeat = 5;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            "--bench" => {}
            _ => files.push(PathBuf::from(a)),
        }
    }
    if files.is_empty() {
        eprintln!("usage: cargo bench --bench load -- FILE... [--repeat N]");
        std::process::exit(2);
    }
    println!("| file | bars | read (s) | read + validate (s) |\n|---|---|---|---|");
    for f in files {
        let bars = match tradelab::data::load(&f) {
            Ok((c, _)) => c.len(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        let read = best(repeat, || tradelab::data::read(&f).expect("read"));
        let load = best(repeat, || tradelab::data::load(&f).expect("load"));
        println!(
            "| {} | {bars} | {:.4} | {:.4} |",
            f.display(),
            read.as_secs_f64(),
            load.as_secs_f64()
        );
    }
}
