//! `tradelab indicators`: the catalogue as a table and as JSON.

mod common;
use common::*;

#[test]
fn catalogue_json_lists_every_function() {
    let r = tradelab(&["indicators", "--json"]);
    assert_eq!(r.code, 0);
    let j = r.json();
    let list = j.as_array().unwrap();
    assert!(list.len() >= 25, "{}", list.len());
    let names: Vec<&str> = list.iter().map(|e| e["name"].as_str().unwrap()).collect();
    for required in [
        "sma",
        "ema",
        "wma",
        "rsi",
        "macd",
        "macd_signal",
        "macd_hist",
        "bb_upper",
        "bb_middle",
        "bb_lower",
        "atr",
        "stoch_k",
        "stoch_d",
        "adx",
        "cci",
        "obv",
        "mfi",
        "willr",
        "roc",
        "stddev",
        "highest",
        "lowest",
        "crosses_above",
        "crosses_below",
        "shift",
        "abs",
        "min",
        "max",
        "log",
        "pct_change",
        "zscore",
        "donchian_upper",
        "donchian_lower",
        "keltner_upper",
        "keltner_lower",
        "vwma",
        "tema",
        "dema",
        "kama",
    ] {
        assert!(names.contains(&required), "{required} missing");
    }
    let macd = list.iter().find(|e| e["name"] == "macd").unwrap();
    assert_eq!(macd["signature"], "macd(x, fast, slow, signal)");
    assert_eq!(macd["warmup"], "slow+signal-2");
    assert_eq!(macd["returns"], "number");
    assert_eq!(
        macd["args"][1],
        serde_json::json!({"name": "fast", "kind": "window"})
    );
    let cross = list.iter().find(|e| e["name"] == "crosses_above").unwrap();
    assert_eq!(cross["returns"], "bool");
}

#[test]
fn catalogue_table() {
    let r = tradelab(&["indicators"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("sma(x, n)"));
    assert!(r.stdout.contains("stoch_k(n, k_smooth, d_smooth)"));
    assert!(
        // 47 indicators and helpers, and the two label functions.
        r.stdout.contains("49 functions."),
        "{}",
        r.stdout.lines().last().unwrap()
    );
}
