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
    let kind = if case.starts_with("stop_limit") {
        "stop_limit"
    } else {
        "limit"
    };
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
        // Tag: the bar whose close placed the order (backtesting.py's
        // `buy(tag=len(self.data) - 1)` in the oracle's strategy).
        assert_eq!(t["signal_bar"].as_f64(), Some(f(10)), "{case}: {w:?}");
        assert_eq!(t["order"], kind, "{case}");
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

/// The engine on small hand-made bars: one limit buy order's life.
mod by_hand {
    use tradelab::engine::{run, EntryKind, EntryOrders, Execution, Fate, Fill, Prices, Signals};

    /// Bars as (open, high, low, close); entry and exit signals per bar; a
    /// limit price column; fractional units, no fees.
    fn go(
        bars: &[(f64, f64, f64, f64)],
        entry: &[f64],
        exit: &[f64],
        limit: &[f64],
        expire: Option<usize>,
    ) -> tradelab::engine::Backtest {
        let col = |k: usize| {
            bars.iter()
                .map(|b| [b.0, b.1, b.2, b.3][k])
                .collect::<Vec<f64>>()
        };
        let (o, h, l, c) = (col(0), col(1), col(2), col(3));
        let signals = Signals {
            long_entry: Some(entry),
            long_exit: Some(exit),
            orders: Some(EntryOrders {
                kind: EntryKind::Limit,
                limit: Some(limit),
                stop: None,
                expire_bars: expire,
            }),
            ..Signals::default()
        };
        let cfg = Execution {
            cash: 1000.0,
            size: Some(1.0),
            fill: Fill::NextOpen,
            close_at_end: false,
            ..Execution::default()
        };
        run(
            Prices {
                open: &o,
                high: &h,
                low: &l,
                close: &c,
            },
            &signals,
            &cfg,
        )
    }

    const FLAT: (f64, f64, f64, f64) = (100.0, 101.0, 99.0, 100.0);

    #[test]
    fn a_touch_on_the_signal_bar_does_not_fill_and_a_gap_fills_at_the_open() {
        // The order (limit 99) is placed at bar 0's close; bar 0's own low 99
        // touches it but cannot fill it. Bar 1 opens at 97, below the limit:
        // it fills at the open, 97 (min(open, L)), 1000 / 97 units.
        let b = go(
            &[FLAT, (97.0, 98.0, 96.0, 97.5), FLAT],
            &[1.0, 0.0, 0.0],
            &[0.0; 3],
            &[99.0; 3],
            None,
        );
        let t = &b.trades[0];
        assert_eq!(
            (t.entry_bar, t.entry_price, t.signal_bar),
            (1, 97.0, Some(0))
        );
        assert_eq!(t.units, 1000.0 / 97.0);
    }

    #[test]
    fn it_fills_on_bar_t_plus_n_and_not_after() {
        // expire_bars = 2: eligible on bars 1 and 2. Limit 95; bar 2's low 95
        // fills it at 95.
        let bars = [FLAT, FLAT, (100.0, 101.0, 95.0, 96.0), FLAT];
        let b = go(&bars, &[1.0, 0.0, 0.0, 0.0], &[0.0; 4], &[95.0; 4], Some(2));
        assert_eq!((b.trades[0].entry_bar, b.trades[0].entry_price), (2, 95.0));
        // The same dip one bar later, on bar 3 = t + 3: expired after bar 2.
        let bars = [FLAT, FLAT, FLAT, (100.0, 101.0, 95.0, 96.0)];
        let b = go(&bars, &[1.0, 0.0, 0.0, 0.0], &[0.0; 4], &[95.0; 4], Some(2));
        assert!(b.trades.is_empty());
        assert_eq!(
            (b.orders.orders[0].fate, b.orders.orders[0].bar),
            (Fate::Expired, 2)
        );
    }

    #[test]
    fn a_newer_entry_replaces_and_an_exit_cancels() {
        // Bar 0 places a limit at 95; bar 1's entry replaces it with 98;
        // bar 2 (low 97) fills the new one at 98, not at 95.
        let bars = [FLAT, FLAT, (99.0, 100.0, 97.0, 98.0)];
        let b = go(
            &bars,
            &[1.0, 1.0, 0.0],
            &[0.0; 3],
            &[95.0, 98.0, 98.0],
            None,
        );
        assert_eq!(b.orders.orders[0].fate, Fate::Replaced);
        assert_eq!(
            (
                b.trades[0].entry_bar,
                b.trades[0].entry_price,
                b.trades[0].signal_bar
            ),
            (2, 98.0, Some(1))
        );
        // An exit signal at bar 1 while flat cancels the order of bar 0: the
        // dip on bar 2 fills nothing.
        let b = go(&bars, &[1.0, 0.0, 0.0], &[0.0, 1.0, 0.0], &[98.0; 3], None);
        assert!(b.trades.is_empty());
        assert_eq!(
            (b.orders.orders[0].fate, b.orders.orders[0].bar),
            (Fate::Cancelled, 1)
        );
    }
}

/// The price chart marks the bars where an entry order expired unfilled
/// (hollow circles) apart from fills (triangles) and exits (crosses).
#[test]
fn the_report_marks_expired_orders() {
    let dir = tempdir();
    let s = root().join("strategies/pullback_limit.toml");
    let r = tradelab_in(
        dir.path(),
        &[
            "run",
            s.to_str().unwrap(),
            "--json",
            "--report",
            "html",
            "--out",
            "r",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let n = j["trades"].as_array().unwrap().len();
    let expired: Vec<u64> = j["entry_orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["fate"] == "expired")
        .map(|o| o["bar"].as_u64().unwrap())
        .collect();
    assert!(!expired.is_empty());
    // The chart shows the last 500 bars: those of the expiries in it.
    let shown = expired.iter().filter(|&&b| b >= 2148 - 500).count();
    let html = std::fs::read_to_string(dir.path().join("r/report.html")).unwrap();
    assert_eq!(html.matches("<circle").count(), shown, "{n} trades");
}
