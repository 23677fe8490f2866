//! Entry orders in portfolio strategies: a one-symbol portfolio with limit,
//! stop or stop-limit entries is the single-asset run bit for bit (which
//! matches backtesting.py, `tests/orders.rs`); a hand-worked universe shows
//! the shared cash, the places `max_positions` keeps for working orders,
//! expiry and cancellation per symbol; then the command line.

mod common;
use common::*;

use std::collections::BTreeMap;

use tradelab::data::universe_file;
use tradelab::engine::Fate;
use tradelab::portfolio;
use tradelab::strategy::ColumnCache;

/// The single-asset run and the one-symbol portfolio of the same strategy
/// on GOOG: the same equity at every bar, trades, and entry-order log.
fn one_symbol(orders: &str, execution: &str) {
    let dir = tempdir();
    let goog = dataset("GOOG.csv");
    let body = format!(
        "data = {:?}\n[params]\nfast = {{ default = 10, min = 5, max = 50, step = 5 }}\nslow = {{ default = 20, min = 10, max = 200, step = 10 }}\n\
         [signals]\nlong_entry = \"crosses_above(sma(close, fast), sma(close, slow))\"\nlong_exit = \"crosses_below(sma(close, fast), sma(close, slow))\"\n\
         [orders]\n{orders}\n\
         [execution]\ncash = 10000\ncommission = 0.002\nslippage_bps = 5\nfill = \"next_open\"\nclose_at_end = false\n{execution}\n",
        goog.to_str().unwrap()
    );
    let parse = |text: String, name: &str| {
        tradelab::pipeline::parse(&text, &dir.path().join(name)).unwrap()
    };
    let single = parse(format!("name = \"s\"\n{body}"), "s.toml");
    let port = parse(format!("name = \"p\"\n{body}[portfolio]\n"), "p.toml");
    let (c, _) = tradelab::data::load(&goog).unwrap();
    let a = tradelab::backtest::run(
        &single,
        &single.defaults(),
        &single.execution,
        &c,
        &ColumnCache::default(),
    )
    .unwrap();
    let u = universe_file::load(&[goog]).unwrap();
    let b = portfolio::run(&port, &port.defaults(), &u).unwrap();
    let what = format!("{orders} / {execution}");
    assert_eq!(a.backtest.equity.len(), b.run.equity.len());
    for (t, (x, y)) in a.backtest.equity.iter().zip(&b.run.equity).enumerate() {
        assert_eq!(x.to_bits(), y.to_bits(), "{what}: bar {t}: {x} vs {y}");
    }
    let (ta, tb) = (&a.backtest.trades, &b.run.trades);
    assert!(ta.len() > 5, "{what}: {} trades", ta.len());
    assert_eq!(ta.len(), tb.len(), "{what}");
    for (x, y) in ta.iter().zip(tb) {
        assert_eq!(
            (
                x.entry_bar,
                x.exit_bar,
                x.exit_reason,
                x.signal_bar,
                x.order
            ),
            (
                y.entry_bar,
                y.exit_bar,
                y.exit_reason,
                y.signal_bar,
                y.order
            ),
            "{what}"
        );
        assert!(x.signal_bar.is_some() && x.order.is_some());
        assert_eq!(
            (x.units, x.entry_price, x.exit_price),
            (y.units, y.entry_price, y.exit_price),
            "{what}"
        );
        assert!((x.pnl - y.pnl).abs() < 1e-9 * x.pnl.abs().max(1.0));
    }
    let stopped = ta
        .iter()
        .filter(|t| t.exit_reason != tradelab::engine::ExitReason::Signal && !t.is_open())
        .count();
    assert_eq!(stopped > 0, execution.contains("stop"), "{what}: {stopped}");
    // The same orders met the same fates on the same bars.
    assert_eq!(a.backtest.orders, b.run.orders, "{what}");
    assert!(b.run.order_symbols.iter().all(|&s| s == 0));
    assert!(b.run.orders.count(Fate::Filled) > 5, "{what}");
}

#[test]
fn a_one_symbol_portfolio_with_entry_orders_is_the_single_asset_run() {
    let limit = "entry = \"limit\"\nlimit = \"close * 0.99\"\nexpire_bars = 3";
    let stop = "entry = \"stop\"\nstop = \"high * 1.002\"\nexpire_bars = 5";
    let stop_limit =
        "entry = \"stop_limit\"\nstop = \"close * 1.003\"\nlimit = \"close * 1.004\"\nexpire_bars = 4";
    for orders in [limit, stop, stop_limit] {
        // backtesting.py's whole units, fractional units, a cash size, and
        // stops from the fill.
        for execution in [
            "whole_units = true",
            "",
            "size_cash = 4000",
            "stop_loss = 0.05\ntake_profit = 0.08",
            "trailing_stop = 0.03",
        ] {
            one_symbol(orders, execution);
        }
    }
    // Good until cancelled: no expiry.
    one_symbol("entry = \"limit\"\nlimit = \"close * 0.97\"", "");
}

/// Four symbols, limit entries at 98 % of the signal bar's close, valid 2
/// bars, 600 cash each of 1,000, at most 3 places, no fees. Entry: a bar
/// that closes above its open; exit: a close more than 10 % below the open.
#[test]
fn limit_entries_share_one_account_by_hand() {
    let dir = tempdir();
    let rows = [
        // A: entry at bar 0 (limit 100.5 · 0.98 = 98.49); bar 1's low 98
        // fills it at min(open 100, 98.49) = 98.49; bar 3 closes 89 < 90:
        // exit at bar 4's open, 90; bar 4 closes up again: a new order.
        (
            "A",
            [
                (100.0, 101.0, 99.0, 100.5),
                (100.0, 100.0, 98.0, 99.0),
                (99.0, 99.5, 98.0, 99.0),
                (100.0, 100.0, 88.0, 89.0),
                (90.0, 91.0, 89.0, 90.5),
            ],
        ),
        // B: entry at bar 0 (limit 50.5 · 0.98 = 49.49); bar 1's low 51
        // misses; bar 2 (= t + N) reaches it at min(50, 49.49).
        (
            "B",
            [
                (50.0, 51.0, 49.0, 50.5),
                (52.0, 53.0, 51.0, 52.0),
                (50.0, 50.0, 49.0, 49.5),
                (49.5, 50.0, 49.0, 49.8),
                (49.8, 50.0, 49.5, 49.9),
            ],
        ),
        // C: entry at bar 0 (limit 20.09); bar 1 misses it (low 20.5) and
        // closes 20.6 < 23 · 0.9 = 20.7: an exit signal while flat cancels it.
        (
            "C",
            [
                (20.0, 21.0, 19.9, 20.5),
                (23.0, 23.0, 20.5, 20.6),
                (20.6, 21.0, 20.5, 20.6),
                (20.6, 21.0, 20.5, 20.6),
                (20.6, 21.0, 20.5, 20.6),
            ],
        ),
        // D: its entry at bar 0 finds A, B and C working (3 places taken):
        // no order. Its entry at bar 2 is placed (A and B held, C gone):
        // limit 10.4 · 0.98 = 10.192; bars 3 and 4 miss it: expired at bar 4.
        (
            "D",
            [
                (10.0, 10.5, 9.9, 10.4),
                (10.4, 10.5, 10.3, 10.4),
                (10.0, 10.5, 9.9, 10.4),
                (10.5, 10.6, 10.3, 10.5),
                (10.4, 10.5, 10.25, 10.3),
            ],
        ),
    ];
    let mut csv = String::from("timestamp,symbol,open,high,low,close\n");
    for day in 0..5 {
        for (sym, bars) in &rows {
            let (o, h, l, c) = bars[day];
            csv.push_str(&format!("2020-01-0{},{sym},{o},{h},{l},{c}\n", day + 1));
        }
    }
    let data = write(dir.path(), "u.csv", csv);
    let text = format!(
        "name = \"hand\"\ndata = {data:?}\n[portfolio]\n[signals]\nlong_entry = \"close > open\"\nlong_exit = \"close < open * 0.9\"\n\
         [orders]\nentry = \"limit\"\nlimit = \"close * 0.98\"\nexpire_bars = 2\n\
         [execution]\ncash = 1000\nfill = \"next_open\"\nsize_cash = 600\nmax_positions = 3\n"
    );
    let s = tradelab::pipeline::parse(&text, &dir.path().join("hand.toml")).unwrap();
    let u = universe_file::load(&[dir.path().join("u.csv")]).unwrap();
    let out = portfolio::run(&s, &BTreeMap::new(), &u).unwrap();
    let (la, lb) = (100.5 * 0.98, 50.5 * 0.98);
    // A: 600 cash worth at 98.49 (the value, 1,000, allows it).
    let ua = 600.0 / la;
    let cash1 = 1000.0 - ua * la;
    // B at bar 2: 600 worth is wanted but 400 is left: all the cash buys
    // 400 / 49.49 units.
    let ub = cash1 / lb;
    let cash2 = cash1 - ub * lb;
    let f = &out.run.fills;
    let fill = |i: usize| (f[i].bar, f[i].symbol, f[i].side, f[i].reason);
    assert_eq!(f.len(), 3);
    assert_eq!(fill(0), (1, 0, "buy", "entry"));
    assert_eq!((f[0].units, f[0].price), (ua, la));
    assert_eq!(fill(1), (2, 1, "buy", "entry"));
    assert_eq!((f[1].units, f[1].price), (ub, lb));
    // A's exit at bar 4's open, 90.
    assert_eq!(fill(2), (4, 0, "sell", "exit"));
    assert_eq!((f[2].units, f[2].price), (ua, 90.0));
    // Equity: bar 2 = cash + A at 99 + B at 49.5; bar 4 = cash + B at 49.9.
    assert_eq!(out.run.equity[2], cash2 + ua * 99.0 + ub * 49.5);
    let cash4 = cash2 + ua * 90.0;
    assert_eq!(out.run.equity[4], cash4 + ub * 49.9);
    // The orders, in the order their fates were decided.
    let log: Vec<_> = out
        .run
        .orders
        .orders
        .iter()
        .zip(&out.run.order_symbols)
        .map(|(r, &s)| (out.symbols[s].as_str(), r.placed, r.fate, r.bar))
        .collect();
    assert_eq!(
        log,
        vec![
            ("A", 0, Fate::Filled, 1),
            ("C", 0, Fate::Cancelled, 1),
            ("B", 0, Fate::Filled, 2),
            ("D", 2, Fate::Expired, 4),
            ("A", 4, Fate::Working, 4),
        ]
    );
    assert_eq!(out.run.orders.unplaced, 0);
    // Trades carry the order's kind and the bar that placed it.
    let a = &out.run.trades[0];
    assert_eq!((a.entry_bar, a.exit_bar, a.signal_bar), (1, 4, Some(0)));
    assert_eq!(a.order, Some(tradelab::engine::EntryKind::Limit));
}

#[test]
fn the_shipped_portfolio_limit_strategy_runs_prints_and_lists_its_orders() {
    let r = tradelab(&["run", "strategies/portfolio_pullback_limit.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stdout.lines().last().unwrap();
    assert!(line.starts_with("entry orders: "), "{line}");
    let j = tradelab(&["run", "strategies/portfolio_pullback_limit.toml", "--json"]).json();
    let orders = j["entry_orders"].as_array().unwrap();
    let placed: usize = line[14..].split(' ').next().unwrap().parse().unwrap();
    assert_eq!(orders.len(), placed);
    // Every filled order is a trade's entry: same symbol, the fill bar, the
    // placing bar, and the limit price read at that close.
    let trades = j["trades"].as_array().unwrap();
    let filled: Vec<_> = orders.iter().filter(|o| o["fate"] == "filled").collect();
    assert_eq!(filled.len(), trades.len());
    for o in &filled {
        let t = trades
            .iter()
            .find(|t| t["symbol"] == o["symbol"] && t["entry_bar"] == o["bar"])
            .unwrap_or_else(|| panic!("no trade for {o}"));
        assert_eq!(t["signal_bar"], o["placed_bar"]);
        assert_eq!(t["order"], "limit");
        assert!(t["entry_price"].as_f64().unwrap() <= o["limit"].as_f64().unwrap());
    }
    assert!(orders.iter().any(|o| o["fate"] == "expired"));
    assert!(orders
        .iter()
        .all(|o| o["symbol"].as_str().unwrap().starts_with('S')));
    // No held position beyond max_positions = 4 at any close (replaying the fills).
    let mut held = std::collections::BTreeMap::<String, f64>::new();
    let mut fills = j["orders"].as_array().unwrap().iter().peekable();
    for bar in 0..j["data"]["bars"].as_u64().unwrap() {
        while let Some(f) = fills.next_if(|f| f["bar"] == bar) {
            let u = f["units"].as_f64().unwrap();
            let e = held
                .entry(f["symbol"].as_str().unwrap().into())
                .or_default();
            *e += if f["side"] == "buy" { u } else { -u };
        }
        assert!(
            held.values().filter(|u| **u > 1e-9).count() <= 4,
            "bar {bar}"
        );
    }
    // The report folder's trades.csv names each trade's symbol and order.
    let dir = tempdir();
    let out = dir.path().join("r");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/portfolio_pullback_limit.toml",
        "--report",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(out.join("trades.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "symbol,entry_time,exit_time,side,units,entry_price,exit_price,pnl,return,commission,open,exit_reason,order,signal_time"
    );
    let first = lines.next().unwrap();
    assert!(
        first.starts_with('S') && first.contains(",limit,"),
        "{first}"
    );
    assert_eq!(lines.count() + 1, trades.len());
    let look = tradelab(&["lookahead", "strategies/portfolio_pullback_limit.toml"]);
    assert_eq!(look.code, 0, "{}", look.stdout);
}

#[test]
fn an_allocating_portfolio_refuses_entry_orders_at_their_place() {
    let dir = tempdir();
    let text = "name = \"x\"\ndata = \"../datasets/sp500_20.csv\"\n[portfolio]\nrebalance = \"monthly\"\n\n[orders]\nentry = \"limit\"\nlimit = \"close * 0.99\"\n[execution]\nfill = \"next_open\"\n";
    let path = write(dir.path(), "x.toml", text);
    let r = tradelab(&["run", &path]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("x.toml:6:1"), "{}", r.stderr);
    assert!(r.stderr.contains("target weights"), "{}", r.stderr);
}
