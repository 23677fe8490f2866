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
    assert_eq!(macd["signature"], "macd(x, fast=12, slow=26, signal=9)");
    assert_eq!(macd["group"], "momentum");
    assert_eq!(macd["warmup"], "slow+signal-2");
    assert_eq!(macd["returns"], "number");
    assert_eq!(
        macd["args"][1],
        serde_json::json!({"name": "fast", "kind": "window", "default": 12.0})
    );
    let cross = list.iter().find(|e| e["name"] == "crosses_above").unwrap();
    assert_eq!(cross["returns"], "bool");
}

#[test]
fn catalogue_table() {
    let r = tradelab(&["indicators"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("sma(x, n=30)"));
    assert!(r.stdout.contains("stoch_k(n, k_smooth, d_smooth)"));
    // Every function of the JSON listing is counted, grouped as TA-Lib
    // groups them, overlap studies first.
    let n = tradelab(&["indicators", "--json"])
        .json()
        .as_array()
        .unwrap()
        .len();
    assert!(
        r.stdout.contains(&format!("{n} functions.")),
        "{}",
        r.stdout
    );
    let at = |h: &str| {
        r.stdout
            .find(&format!("\n{h} ("))
            .unwrap_or_else(|| panic!("{h}"))
    };
    assert!(at("overlap studies") < at("momentum indicators"));
    assert!(at("momentum indicators") < at("cycle indicators"));
    assert!(at("statistic functions") < at("math transform"));
    // --filter keeps the groups or names that contain the text.
    let f = tradelab(&["indicators", "--filter", "cycle"]);
    assert!(f.stdout.contains("ht_sine_leadsine(x)"), "{}", f.stdout);
    assert!(!f.stdout.contains("sma("));
}
