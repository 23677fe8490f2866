//! `tradelab data info`: the three shipped datasets and each input format.

mod common;
use common::*;

#[test]
fn goog_daily() {
    let r = tradelab(&["data", "info", "datasets/GOOG.csv", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    // 2,148 trading days, 2004-08-19 .. 2013-03-01 (datasets/README.md).
    assert_eq!(j["bars"], 2148);
    assert_eq!(j["start"], "2004-08-19T00:00:00Z");
    assert_eq!(j["end"], "2013-03-01T00:00:00Z");
    assert_eq!(j["median_spacing_seconds"], 86400.0);
    assert_eq!(j["weekday_only"], true);
    assert_eq!(
        j["columns"],
        serde_json::json!(["timestamp", "open", "high", "low", "close", "volume"])
    );
    // min(low) and max(high), as pandas gives them.
    assert_eq!(j["price_min"], 95.96);
    assert_eq!(j["price_max"], 808.97);
    // Weekends and holidays: 463 steps longer than 1.5 days (pandas: (diff > 1.5*median).sum()).
    assert_eq!(j["gaps"], 463);
    assert_eq!(j["first_close"], 100.34);
    assert_eq!(j["last_close"], 806.19);
}

#[test]
fn eurusd_hourly() {
    let j = tradelab(&["data", "info", "datasets/EURUSD.csv", "--json"]).json();
    assert_eq!(j["bars"], 5000);
    assert_eq!(j["start"], "2017-04-19T09:00:00Z");
    assert_eq!(j["end"], "2018-02-07T15:00:00Z");
    assert_eq!(j["median_spacing_seconds"], 3600.0);
    // 42 weekend closes (Friday 21:00 -> Sunday 21:00 and similar).
    assert_eq!(j["gaps"], 42);
    assert_eq!(j["price_min"], 1.06824);
    assert_eq!(j["price_max"], 1.25374);
}

#[test]
fn btcusd_monthly() {
    let j = tradelab(&["data", "info", "datasets/BTCUSD.csv", "--json"]).json();
    assert_eq!(j["bars"], 156);
    assert_eq!(j["start"], "2012-01-31T00:00:00Z");
    assert_eq!(j["end"], "2024-12-31T00:00:00Z");
    // Month ends: the median step is 31 days = 2,678,400 s; no step exceeds 46.5 days.
    assert_eq!(j["median_spacing_seconds"], 2_678_400.0);
    assert_eq!(j["median_spacing"], "31d");
    assert_eq!(j["gaps"], 0);
    assert_eq!(j["price_max"], 108364.0);
}

#[test]
fn table_output_names_the_facts() {
    let r = tradelab(&["data", "info", "datasets/GOOG.csv"]);
    assert_eq!(r.code, 0);
    for needle in [
        "2148",
        "2004-08-19",
        "2013-03-01",
        "1d (weekdays only)",
        "95.96 – 808.97",
        "463",
    ] {
        assert!(
            r.stdout.contains(needle),
            "missing {needle:?} in\n{}",
            r.stdout
        );
    }
}

#[test]
fn binance_kline_dump() {
    let r = tradelab(&[
        "data",
        "info",
        "tests/fixtures/BTCUSDT-1h-binance.csv",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["format"], "binance");
    assert_eq!(j["bars"], 24);
    // open_time 1704067200000 ms = 2024-01-01T00:00:00Z.
    assert_eq!(j["start"], "2024-01-01T00:00:00Z");
    assert_eq!(j["end"], "2024-01-01T23:00:00Z");
    assert_eq!(j["median_spacing_seconds"], 3600.0);
}

#[test]
fn binance_microsecond_dump() {
    // Binance spot dumps from 2025 on carry microsecond epochs.
    let r = tradelab(&[
        "data",
        "info",
        "tests/fixtures/BTCUSDT-1h-binance-us.csv",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["start"], "2025-01-01T00:00:00Z");
    assert_eq!(j["bars"], 24);
}

#[test]
fn missing_file_is_exit_2() {
    let r = tradelab(&["data", "info", "datasets/NOPE.csv"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim(),
        "error: datasets/NOPE.csv: cannot read: no such file"
    );
}
