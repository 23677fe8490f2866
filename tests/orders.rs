//! Entry orders (`[orders]`: limit, stop, stop-limit with an expiry)
//! against backtesting.py 0.6.6 (`tests/fixtures/orders/`, copied from the
//! shared oracle): trade for trade and equity at every bar; then refused
//! tables.

mod common;
use common::*;

fn rel(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        a.abs()
    } else {
        ((a - b) / b).abs()
    }
}

/// sma 10/20 with the oracle's settings and this `[orders]` table.
fn strategy(dir: &std::path::Path, orders: &str) -> String {
    let text = format!(
        "name = \"ord\"\ndata = {:?}\n[params]\nfast = {{ default = 10, min = 5, max = 50, step = 5 }}\nslow = {{ default = 20, min = 10, max = 200, step = 10 }}\n\
         [signals]\nlong_entry = \"crosses_above(sma(close, fast), sma(close, slow))\"\nlong_exit = \"crosses_below(sma(close, fast), sma(close, slow))\"\n\
         [orders]\n{orders}\n[execution]\ncash = 10000\ncommission = 0.002\nwhole_units = true\nsize = 1.0\nfill = \"next_open\"\nclose_at_end = false\n",
        dataset("GOOG.csv").to_str().unwrap()
    );
    write(dir, "ord.toml", text)
}

fn oracle(case: &str, orders: &str) {
    let dir = tempdir();
    let s = strategy(dir.path(), orders);
    let r = tradelab_in(
        dir.path(),
        &["run", &s, "--json", "--report", "json", "--out", "r"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let trades: Vec<&serde_json::Value> = j["trades"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["open"] == false)
        .collect();
    // Size,EntryBar,ExitBar,EntryPrice,ExitPrice,PnL,ReturnPct,EntryTime,ExitTime,Commission,Tag
    let text =
        std::fs::read_to_string(fixture(&format!("orders/ord_GOOG_{case}_trades.csv"))).unwrap();
    let want: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(trades.len(), want.len(), "{case}: closed trades");
    for (t, w) in trades.iter().zip(&want) {
        let f = |i: usize| w[i].parse::<f64>().unwrap();
        assert_eq!(t["units"].as_f64(), Some(f(0)), "{case}: {w:?}");
        assert_eq!(
            (t["entry_bar"].as_f64(), t["exit_bar"].as_f64()),
            (Some(f(1)), Some(f(2))),
            "{case}: {w:?}"
        );
        assert!(
            rel(t["entry_price"].as_f64().unwrap(), f(3)) <= 1e-12,
            "{case}: entry {} vs {w:?}",
            t["entry_price"]
        );
        assert!(
            rel(t["exit_price"].as_f64().unwrap(), f(4)) <= 1e-12,
            "{case}: {w:?}"
        );
        assert!(
            (t["pnl"].as_f64().unwrap() - f(5)).abs() <= 1e-6,
            "{case}: pnl {} vs {w:?}",
            t["pnl"]
        );
        assert!(
            rel(t["commission"].as_f64().unwrap(), f(9)) <= 1e-9,
            "{case}: {w:?}"
        );
    }
    let eq =
        std::fs::read_to_string(fixture(&format!("orders/ord_GOOG_{case}_equity.csv"))).unwrap();
    let want_eq: Vec<f64> = eq
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let stats: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("orders/ord_GOOG_{case}_stats.json"))).unwrap(),
    )
    .unwrap();
    assert!(
        rel(
            j["metrics"]["final_equity"].as_f64().unwrap(),
            stats["Equity Final [$]"].as_f64().unwrap()
        ) <= 1e-9
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r/report.json")).unwrap())
            .unwrap();
    let got: Vec<f64> = report["equity"]["equity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(got.len(), want_eq.len());
    for (t, (g, w)) in got.iter().zip(&want_eq).enumerate() {
        assert!(rel(*g, *w) <= 1e-9, "{case}: equity at bar {t}: {g} vs {w}");
    }
}

#[test]
fn limit_entries_equal_backtesting_py() {
    // A limit buy at close × (1 − 0.015), valid for 5 bars: 23 closed trades.
    oracle(
        "limit_10_20_0.015_5",
        "entry = \"limit\"\nlimit = \"close * (1 - 0.015)\"\nexpire_bars = 5",
    );
}

#[test]
fn stop_limit_entries_equal_backtesting_py() {
    // Stop S = high × 1.003, limit S × 1.004, valid for 4 bars: 27 closed trades.
    oracle(
        "stop_limit_10_20_0.003_4_0.004",
        "entry = \"stop_limit\"\nstop = \"high * (1 + 0.003)\"\nlimit = \"high * (1 + 0.003) * (1 + 0.004)\"\nexpire_bars = 4",
    );
}

#[test]
fn bad_orders_tables_are_refused_at_their_place() {
    let dir = tempdir();
    for (orders, want) in [
        (
            "entry = \"limit\"",
            "ord.toml:10:9: this entry needs a limit price: add limit = \"...\"",
        ),
        (
            "entry = \"limit\"\nlimit = \"close\"\nstop = \"high\"",
            "ord.toml:12:8: a stop price applies to stop and stop_limit entries only",
        ),
        (
            "entry = \"stop\"\nstop = \"high\"\nexpire_bars = 0",
            "ord.toml:12:15: expire_bars = 0 is out of range: at least 1",
        ),
        (
            "entry = \"limit\"\nlimit = \"close > open\"",
            "limit_price must be a price (a number), but it is a condition",
        ),
        (
            "entry = \"iceberg\"",
            "ord.toml:10:9: unknown entry 'iceberg': expected market, limit, stop or stop_limit",
        ),
    ] {
        let s = strategy(dir.path(), orders);
        let r = tradelab_in(dir.path(), &["run", &s]);
        assert_eq!(r.code, 2, "{orders}");
        assert!(r.stderr.contains(want), "{orders}: {}", r.stderr);
    }
}

/// A limit price that is NaN (warm-up) or ≤ 0 places no order; the run
/// counts such orders in `unplaced_orders`.
#[test]
fn orders_with_no_price_are_counted() {
    let dir = tempdir();
    // The limit is undefined until sma(close, 300) has 300 bars: entries
    // before bar 299 place nothing.
    let s = strategy(dir.path(), "entry = \"limit\"\nlimit = \"sma(close, 300)\"");
    let r = tradelab_in(dir.path(), &["run", &s, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let n = r.json()["unplaced_orders"].as_u64().unwrap();
    assert!(n > 0, "{n}");
}
