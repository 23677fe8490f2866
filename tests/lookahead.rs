//! `tradelab lookahead`: every shipped strategy passes on every dataset.

mod common;
use common::*;

#[test]
fn shipped_strategies_never_look_ahead() {
    for s in files_in(&root().join("strategies")) {
        // Portfolio strategies trade the 20-stock close panel (one names
        // five of its symbols), or with entry orders (which need OHLC) the
        // 8-symbol OHLC universe; the others every single-instrument dataset.
        let text = std::fs::read_to_string(root().join("strategies").join(&s)).unwrap();
        let data: &[&str] = if s.starts_with("portfolio_") && text.contains("[orders]") {
            &["synth_8"]
        } else if s.starts_with("portfolio_") {
            &["sp500_20"]
        } else if text.contains("random_forest") {
            // Slow to train in a debug build: one dataset.
            &["GOOG"]
        } else if text.contains("on('1d'") {
            // A daily timeframe inside: BTCUSD's monthly bars are coarser,
            // which is refused (tests/timeframe.rs).
            &["GOOG", "EURUSD"]
        } else {
            &["GOOG", "EURUSD", "BTCUSD"]
        };
        for d in data {
            let r = tradelab(&[
                "lookahead",
                &format!("strategies/{s}"),
                "--data",
                &format!("datasets/{d}.csv"),
                "--cuts",
                "10",
            ]);
            assert_eq!(r.code, 0, "{s} on {d}: {}{}", r.stdout, r.stderr);
            assert!(r.stdout.contains(": no look-ahead; every expression and trade decision is the same with the data cut at 10 points"), "{}", r.stdout);
        }
    }
}

#[test]
fn bad_arguments() {
    let r = tradelab(&["lookahead", "strategies/sma_cross.toml", "--cuts", "0"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (2, "error: --cuts must be at least 1")
    );
}
