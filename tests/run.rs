//! `tradelab run`: the JSON report, the tables, batches, date ranges,
//! determinism and errors.

mod common;
use common::*;

/// sma_cross set up as the oracle run: positions still open at the end stay open.
fn oracle_strategy(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(root().join("strategies/sma_cross.toml")).unwrap();
    let goog = dataset("GOOG.csv");
    let text = text
        .replace(
            "data = \"../datasets/GOOG.csv\"",
            &format!("data = {:?}", goog.to_str().unwrap()),
        )
        .replace(
            "whole_units = true",
            "whole_units = true\nclose_at_end = false",
        );
    write(dir, "sma_oracle.toml", text)
}

#[test]
fn json_report_matches_the_backtesting_py_oracle() {
    let dir = tempdir();
    let s = oracle_strategy(dir.path());
    let r = tradelab(&["run", &s, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["schema_version"], 2);
    assert_eq!(j["tool"]["name"], "tradelab");
    assert_eq!(j["strategy"]["name"], "sma_cross");
    assert_eq!(j["strategy"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(j["data"]["bars"], 2148);
    assert_eq!(j["data"]["start"], "2004-08-19T00:00:00Z");
    assert_eq!(j["params"], serde_json::json!({"fast": 10.0, "slow": 20.0}));
    let m = &j["metrics"];
    for key in [
        "total_return",
        "annual_return",
        "annual_volatility",
        "sharpe",
        "sortino",
        "calmar",
        "max_drawdown",
        "max_drawdown_duration_bars",
        "trades",
        "win_rate",
        "profit_factor",
        "expectancy",
        "exposure",
        "final_equity",
        "commissions",
        "buy_hold_return",
    ] {
        assert!(m.get(key).is_some(), "{key} missing");
    }
    // backtesting.py: 46 closed trades, Equity Final 63341.19136, Return 533.4119136 %.
    assert_eq!(m["trades"], 46.0);
    assert!((m["final_equity"].as_f64().unwrap() - 63341.19136).abs() < 1e-6);
    assert!((m["total_return"].as_f64().unwrap() - 5.334119136).abs() < 1e-9);
    assert!((m["max_drawdown"].as_f64().unwrap() + 0.2001734114371036).abs() < 1e-12);
    // Buy and hold from the first close 100.34 to the last 806.19.
    assert!((m["buy_hold_return"].as_f64().unwrap() - (806.19 / 100.34 - 1.0)).abs() < 1e-12);
    let trades = j["trades"].as_array().unwrap();
    assert_eq!(trades.len(), 47);
    let first = &trades[0];
    // 55,75,85,179.13,182,118.1257,0.0119898397812,2004-12-06,2004-12-20,39.7243
    assert_eq!(first["units"], 55.0);
    assert_eq!(
        (first["entry_bar"].as_u64(), first["exit_bar"].as_u64()),
        (Some(75), Some(85))
    );
    assert_eq!(first["entry_time"], "2004-12-06T00:00:00Z");
    assert_eq!(first["side"], "long");
    assert!((first["pnl"].as_f64().unwrap() - 118.1257).abs() < 1e-6);
    assert_eq!(first["open"], false);
    assert_eq!(trades[46]["open"], true);
    // Keys come out sorted.
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
}

#[test]
fn close_at_end_counts_the_last_trade() {
    let r = tradelab(&["run", "strategies/sma_cross.toml", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let trades = j["trades"].as_array().unwrap();
    assert_eq!(j["metrics"]["trades"], 47.0);
    assert_eq!(trades.last().unwrap()["exit_reason"], "end_of_data");
    assert_eq!(trades.last().unwrap()["exit_bar"], 2147);
}

#[test]
fn identical_bytes_across_threads_and_processes() {
    let run = |threads: usize| {
        tradelab_with_threads(
            threads,
            &[
                "run",
                "strategies/sma_cross.toml",
                "strategies/rsi_reversion.toml",
                "--data",
                "datasets/GOOG.csv",
                "datasets/EURUSD.csv",
                "--json",
            ],
        )
        .stdout
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(2));
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    // Every strategy on every dataset, strategies outer.
    let pairs: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["strategy"]["name"].as_str().unwrap().into(),
                r["data"]["file"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("sma_cross", "datasets/GOOG.csv"),
            ("sma_cross", "datasets/EURUSD.csv"),
            ("rsi_reversion", "datasets/GOOG.csv"),
            ("rsi_reversion", "datasets/EURUSD.csv")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[test]
fn tables_for_one_and_many() {
    let r = tradelab(&["run", "strategies/sma_cross.toml"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .starts_with("sma_cross on datasets/GOOG.csv (2148 bars"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("sharpe") && r.stdout.contains("max_drawdown"));
    let r = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "strategies/ema_cross.toml",
        "--data",
        "datasets/BTCUSD.csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("sma_cross")
            && r.stdout.contains("ema_cross")
            && r.stdout.contains("BTCUSD")
    );
}

#[test]
fn date_range() {
    let r = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "--from",
        "2010-01-01",
        "--to",
        "2010-12-31",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    // 2010 had 252 trading days.
    assert_eq!(j["data"]["bars"], 252);
    assert_eq!(j["data"]["start"], "2010-01-04T00:00:00Z");
    assert_eq!(j["data"]["end"], "2010-12-31T00:00:00Z");
}

#[test]
fn errors() {
    let cases: [(&[&str], &str); 4] = [
        (&["run", "strategies/sma_cross.toml", "--set", "fast=3"], "error: --set fast=3: fast = 3 is outside its range 5..50"),
        (&["run", "strategies/sma_cross.toml", "--set", "fast=30", "--set", "slow=20"], "error: sma_cross on datasets/GOOG.csv: the parameters break the constraint of 'sma_cross' (fast=30 slow=20)"),
        (&["run", "strategies/sma_cross.toml", "--from", "last week"], "error: invalid --from 'last week': expected an ISO date such as 2010-01-01"),
        (&["run", "strategies/sma_cross.toml", "--from", "2030-01-01"], "error: datasets/GOOG.csv: fewer than 2 bars between --from and --to"),
    ];
    for (args, msg) in cases {
        let r = tradelab(args);
        assert_eq!((r.code, r.stderr.trim_end()), (2, msg), "{args:?}");
    }
    let dir = tempdir();
    write(
        dir.path(),
        "s.toml",
        "name = \"s\"\n[signals]\nlong_entry = \"close > open\"\n",
    );
    let r = tradelab_in(dir.path(), &["run", "s.toml"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (
            2,
            "error: s.toml: the strategy names no data file: give --data FILE"
        )
    );
}

/// The metric table is the one list of metrics: its names are exactly the
/// keys of a run's `metrics` object, in the same (sorted) order.
#[test]
fn metric_table_names_are_the_run_json_keys() {
    let r = tradelab(&["run", "strategies/sma_cross.toml", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let keys: Vec<&str> = v["metrics"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let table: Vec<&str> = tradelab::metrics::table::names().collect();
    assert_eq!(keys, table);
}

/// `--exec KEY=VALUE` changes [execution] for one run, checked exactly like
/// the file's table, and the JSON records what was changed.
#[test]
fn exec_overrides_change_and_record_the_execution_settings() {
    let base = tradelab(&["run", "strategies/sma_cross.toml", "--json"]).json();
    let r = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "--exec",
        "commission=0",
        "--exec",
        "cash=100000",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["execution"]["commission"], 0.0);
    assert_eq!(j["execution"]["cash"], 100_000.0);
    assert_eq!(
        j["execution_overrides"],
        serde_json::json!(["commission=0", "cash=100000"])
    );
    assert!(base.get("execution_overrides").is_none());
    // Same trades, no fees: the first trade's commission is 0 instead of 0.2 % per side.
    assert_eq!(j["trades"][0]["commission"], 0.0);
    assert!(base["trades"][0]["commission"].as_f64().unwrap() > 0.0);
    assert_eq!(j["metrics"]["commissions"], 0.0);
    for (args, want) in [
        (
            "commission=0.7",
            "error: --exec 'commission=0.7': commission = 0.7 is out of range: a fraction in [0, 0.5)",
        ),
        ("comission=0.1", "error: --exec 'comission=0.1': unknown field `comission`"),
        ("fill=tomorrow", "error: --exec 'fill=tomorrow': unknown variant `tomorrow`"),
        ("commission", "error: --exec 'commission': expected KEY=VALUE, got 'commission'"),
    ] {
        let r = tradelab(&["run", "strategies/sma_cross.toml", "--exec", args]);
        assert_eq!(r.code, 2, "{args}");
        assert!(r.stderr.starts_with(want), "{args}: {}", r.stderr);
    }
}
