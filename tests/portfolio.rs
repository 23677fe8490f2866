//! Portfolios against vectorbt 1.2.0 (`tests/fixtures/portfolio/`, copied
//! from the shared oracle): the portfolio value at every bar within 1e-9
//! relative and every order, in execution order, for an equal-weight
//! monthly rebalance of 20 stocks and SMA signals on 5 stocks with one
//! account; then hand-worked small universes and the `run` command.

mod common;
use common::*;

use std::collections::BTreeMap;

use tradelab::data::universe_file;
use tradelab::portfolio;

fn rel(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        a.abs()
    } else {
        ((a - b) / b).abs()
    }
}

fn oracle(case: &str, strategy: &str) {
    let s = tradelab::pipeline::load(&root().join("strategies").join(strategy)).unwrap();
    let u = universe_file::load(&[dataset("sp500_20.csv")]).unwrap();
    let out = portfolio::run(&s, &s.defaults(), &u).unwrap();
    let text =
        std::fs::read_to_string(fixture(&format!("portfolio/port_{case}_equity.csv"))).unwrap();
    let want: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(out.run.equity.len(), want.len());
    for (t, (g, w)) in out.run.equity.iter().zip(&want).enumerate() {
        assert!(rel(*g, *w) <= 1e-9, "{case}: value at bar {t}: {g} vs {w}");
    }
    // bar,symbol,side,units,price,fees in execution order.
    let text =
        std::fs::read_to_string(fixture(&format!("portfolio/port_{case}_orders.csv"))).unwrap();
    let orders: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(out.run.fills.len(), orders.len(), "{case}: order count");
    for (f, o) in out.run.fills.iter().zip(&orders) {
        let num = |i: usize| o[i].parse::<f64>().unwrap();
        assert_eq!(f.bar, o[0].parse::<usize>().unwrap(), "{case}: {o:?}");
        assert_eq!(out.symbols[f.symbol], o[1], "{case}: {o:?}");
        assert_eq!(f.side, o[2], "{case}: {o:?}");
        assert!(
            rel(f.units, num(3)) <= 1e-9,
            "{case}: units {} vs {o:?}",
            f.units
        );
        assert_eq!(f.price, num(4), "{case}: {o:?}");
        assert!(rel(f.fee, num(5)) <= 1e-9, "{case}: fee {} vs {o:?}", f.fee);
    }
    let stats: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("portfolio/port_{case}_stats.json"))).unwrap(),
    )
    .unwrap();
    let m = &out.metrics;
    assert!(
        rel(
            m["final_equity"].unwrap(),
            stats["final_value"].as_f64().unwrap()
        ) <= 1e-9
    );
    assert!(
        rel(
            m["total_return"].unwrap(),
            stats["total_return"].as_f64().unwrap()
        ) <= 1e-9
    );
    assert!(
        rel(
            m["commissions"].unwrap(),
            stats["total_fees"].as_f64().unwrap()
        ) <= 1e-9
    );
    // vectorbt's max drawdown is the bar-level one.
    assert!(
        rel(
            m["equity_max_drawdown"].unwrap(),
            stats["max_drawdown"].as_f64().unwrap()
        ) <= 1e-9,
        "{:?} vs {}",
        m["equity_max_drawdown"],
        stats["max_drawdown"]
    );
}

#[test]
fn equal_weight_monthly_equals_vectorbt() {
    oracle("equal_monthly", "portfolio_equal_weight.toml");
}

#[test]
fn sma_signals_on_five_stocks_equal_vectorbt() {
    oracle("sma_signals_5", "portfolio_sma_signals.toml");
}

/// A small universe written as a close panel, with a strategy over it.
fn tiny(
    dir: &std::path::Path,
    panel: &str,
    portfolio: &str,
    execution: &str,
) -> portfolio::Outcome {
    let data = write(dir, "panel.csv", panel);
    let text = format!(
        "name = \"tiny\"\ndata = {data:?}\n{portfolio}\n[execution]\ncash = 1000\nfill = \"close\"\n{execution}\n"
    );
    let s = tradelab::pipeline::parse(&text, &dir.join("tiny.toml")).unwrap();
    let u = universe_file::load(&[dir.join("panel.csv")]).unwrap();
    portfolio::run(&s, &BTreeMap::new(), &u).unwrap()
}

#[test]
fn a_cash_limited_buy_is_reduced() {
    let dir = tempdir();
    // Two symbols at 10 and 20, weight 1/2 each of 1000, commission 1 %:
    // A buys 500/10 = 50 units for 500 + 5 fee, leaving 495; B needs 500 + 5
    // but only 495 is left: 495 / (20 · 1.01) = 24.5049... units, fee 4.9009...
    let out = tiny(
        dir.path(),
        "date,A,B\n2020-01-02,10,20\n",
        "[portfolio]\nrebalance = \"daily\"",
        "commission = 0.01",
    );
    let f = &out.run.fills;
    assert_eq!((f[0].symbol, f[0].units, f[0].fee), (0, 50.0, 5.0));
    let units = 495.0 / (20.0 * 1.01);
    assert!((f[1].units - units).abs() < 1e-12);
    assert!((f[1].fee - 0.01 * units * 20.0).abs() < 1e-12);
    // Value = 0 cash + 50·10 + 24.50·20 = 990.099...
    assert!((out.run.equity[0] - (500.0 + units * 20.0)).abs() < 1e-9);
}

#[test]
fn late_start_missing_bar_and_end_while_held() {
    let dir = tempdir();
    // A trades every day; B starts on day 2, has no bar on day 3 and ends on
    // day 4 while held; daily rebalance to 1/2 each, no fees.
    let panel = "date,A,B\n\
                 2020-01-01,10,\n\
                 2020-01-02,10,5\n\
                 2020-01-03,10,\n\
                 2020-01-06,10,8\n\
                 2020-01-07,10,\n";
    let out = tiny(dir.path(), panel, "[portfolio]\nrebalance = \"daily\"", "");
    let f = &out.run.fills;
    // Day 0: only A qualifies: 1000 at 10 = 100 units.
    assert_eq!((f[0].bar, f[0].symbol, f[0].units), (0, 0, 100.0));
    // Day 1: value 1000; A sells to 500 (50 units), then B buys 500 / 5 = 100.
    assert_eq!(
        (f[1].bar, f[1].symbol, f[1].side, f[1].units),
        (1, 0, "sell", 50.0)
    );
    assert_eq!(
        (f[2].bar, f[2].symbol, f[2].side, f[2].units),
        (1, 1, "buy", 100.0)
    );
    // Day 2: B has no bar: it keeps its 100 units, valued at its last close 5.
    // Only A qualifies, so its target is all of 1000, but no cash is left:
    // the buy is skipped and is not an order.
    assert!(f.iter().all(|x| x.bar != 2));
    assert_eq!(out.run.equity[2], 1000.0);
    // Day 3: B is at 8: value 500 + 800 = 1300, targets 650 each. It is B's
    // last bar and B is held, so B is sold whole there (100 at 8, reason
    // end) instead of to its target; A buys 650/10 − 50 = 15 units.
    let day3: Vec<_> = f.iter().filter(|x| x.bar == 3).collect();
    assert_eq!(day3.len(), 2);
    assert_eq!(
        (day3[0].symbol, day3[0].side, day3[0].units, day3[0].reason),
        (1, "sell", 100.0, "end")
    );
    assert_eq!(
        (day3[1].symbol, day3[1].side, day3[1].units),
        (0, "buy", 15.0)
    );
    // Cash 800 − 150 = 650, A 65 × 10: the value is still 1300.
    assert_eq!(out.run.equity[3], 1300.0);
}

#[test]
fn run_prints_the_portfolio_and_its_json() {
    let r = tradelab(&["run", "strategies/portfolio_momentum.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with(
        "portfolio_momentum on datasets/sp500_20.csv (20 symbols, 8313 bars, 1990-01-02T00:00:00Z to 2022-12-28T00:00:00Z), lookback=126 n=5"
    ));
    assert!(r.stdout.contains("│ symbol ┆ trades ┆ pnl"), "{}", r.stdout);
    let r = tradelab(&["run", "strategies/portfolio_equal_weight.toml", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["symbols"].as_array().unwrap().len(), 20);
    // 396 monthly rebalances × 20 symbols, as vectorbt counts them.
    assert_eq!(j["orders"].as_array().unwrap().len(), 7920);
    assert_eq!(j["orders"][0]["reason"], "rebalance");
    assert_eq!(j["weights"].as_array().unwrap().len(), 396);
    assert_eq!(j["weights"][0]["weights"]["AAPL"], 0.05);
    // Every trade carries its symbol, and the symbols' PnL adds up to the
    // portfolio's: final value − starting cash.
    assert!(j["trades"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["symbol"].is_string()));
    let pnl: f64 = j["per_symbol"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pnl"].as_f64().unwrap())
        .sum();
    let gain = j["metrics"]["final_equity"].as_f64().unwrap() - 100_000.0;
    assert!(rel(pnl, gain) < 1e-9, "{pnl} vs {gain}");
}

#[test]
fn portfolio_inputs_are_checked() {
    let dir = tempdir();
    let panel = |name: &str, text: &str| write(dir.path(), name, text);
    let run = |strategy: &str, data: &str| {
        let s = write(dir.path(), "p.toml", strategy);
        tradelab_in(dir.path(), &["run", &s, "--data", data])
    };
    let alloc =
        "name = \"p\"\n[portfolio]\nrebalance = \"monthly\"\n[execution]\nfill = \"close\"\n";
    for (name, text, want) in [
        (
            "dup.csv",
            "date,A,A\n2020-01-01,1,2\n",
            "error: dup.csv:1: symbol 'A' appears twice",
        ),
        (
            "nan.csv",
            "date,A,B\n2020-01-01,1,x\n",
            "error: nan.csv:2: B: 'x' is not a number",
        ),
        (
            "order.csv",
            "date,A,B\n2020-01-02,1,2\n2020-01-01,1,2\n",
            "error: order.csv:3: an unsorted timestamp 2020-01-01",
        ),
        (
            "neg.csv",
            "date,A,B\n2020-01-01,1,-2\n",
            "error: neg.csv:2: B: close -2 is not a positive price",
        ),
        (
            "apart.csv",
            "date,A,B\n2020-01-01,1,\n2020-01-02,,2\n",
            "error: apart.csv: the symbols share no timestamp",
        ),
    ] {
        panel(name, text);
        let r = run(alloc, name);
        assert_eq!((r.code, r.stderr.trim_end()), (2, want), "{name}");
    }
    panel("ok.csv", "date,A,B\n2020-01-01,1,2\n");
    for (strategy, want) in [
        (
            "name = \"p\"\n[portfolio]\nrebalance = \"monthly\"\n[signals]\nlong_entry = \"close > 1\"\n",
            "an allocation (rebalance) and [signals] in one strategy are not supported yet",
        ),
        (
            "name = \"p\"\n[portfolio]\n[signals]\nlong_entry = \"close > 1\"\nshort_entry = \"close < 1\"\n",
            "portfolio strategies trade long only for now: short_entry is not supported",
        ),
        (
            "name = \"p\"\n[portfolio]\nrebalance = \"monthly\"\nselect = \"best(3)\"\nscore = \"close\"\n",
            "p.toml:4:10: unknown select 'best(3)': expected all, top(N) or bottom(N)",
        ),
        (
            "name = \"p\"\n[portfolio]\nsymbols = []\n[signals]\nlong_entry = \"close > 1\"\n",
            "p.toml:3:1: symbols = [] selects nothing",
        ),
        (
            "name = \"p\"\n[portfolio]\nrebalance = \"fortnightly\"\n",
            "p.toml:3:13: unknown rebalance 'fortnightly'",
        ),
        (
            "name = \"p\"\n[portfolio]\nrebalance = \"monthly\"\nselect = \"top(5)\"\n",
            "top(N), bottom(N) and score weights need a score expression",
        ),
        (
            "name = \"p\"\n[portfolio]\nrebalance = \"monthly\"\n[execution]\nfill = \"next_open\"\n",
            "ok.csv: a close panel has no opens: fill = \"next_open\" needs OHLC data",
        ),
    ] {
        let r = run(strategy, "ok.csv");
        assert_eq!(r.code, 2, "{strategy}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{strategy}: {}", r.stderr);
    }
    // What does not take portfolios yet says so.
    let r = tradelab(&[
        "run",
        "strategies/portfolio_momentum.toml",
        "--from",
        "2000-01-01",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--from and --to do not apply to portfolio strategies yet"),
        "{}",
        r.stderr
    );
}

/// `run strategies/*.toml --data FILE`: each portfolio strategy runs on the
/// file as a one-symbol universe; one that names symbols the file lacks is
/// skipped with a warning, and the batch goes on.
#[test]
fn a_batch_mixes_portfolio_and_single_asset_strategies() {
    let r = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "strategies/portfolio_equal_weight.toml",
        "strategies/portfolio_sma_signals.toml",
        "--data",
        "datasets/GOOG.csv",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.trim_end(),
        "warning: portfolio_sma_signals skipped on datasets/GOOG.csv: it has no HD, CVX, AMD, UNH, JPM"
    );
    let j = r.json();
    let runs = j.as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1]["strategy"]["name"], "portfolio_equal_weight");
    assert_eq!(runs[1]["symbols"], serde_json::json!(["GOOG"]));
}

/// A small space over the momentum strategy: lookback 63 or 126, n 3 or 5.
fn small_momentum(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(root().join("strategies/portfolio_momentum.toml"))
        .unwrap()
        .replace(
            "lookback = { default = 126, min = 21, max = 252, step = 21 }",
            "lookback = { default = 126, values = [63, 126] }",
        )
        .replace(
            "n = { default = 5, min = 1, max = 10 }",
            "n = { default = 5, values = [3, 5] }",
        )
        .replace(
            "../datasets/sp500_20.csv",
            dataset("sp500_20.csv").to_str().unwrap(),
        );
    assert!(text.contains("values = [3, 5]"));
    write(dir, "momentum.toml", text)
}

/// optimize takes portfolio strategies with every search method, each
/// trial equal to a single run, and shards merge into the whole sweep.
#[test]
fn optimize_a_portfolio_with_every_method_and_merge_its_shards() {
    let dir = tempdir();
    let s = small_momentum(dir.path());
    let sweep = |out: &str, extra: &[&str]| {
        let mut args = vec!["optimize", s.as_str(), "--out", out, "--json"];
        args.extend_from_slice(extra);
        let r = tradelab_in(dir.path(), &args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    };
    let grid = sweep("grid", &[]);
    assert_eq!(
        (grid["points"].as_u64(), grid["trials"].as_u64()),
        (Some(4), Some(4))
    );
    // The best trial is the run with its parameters.
    let best = &grid["best"];
    let lookback = best["params"]["lookback"].as_f64().unwrap().to_string();
    let n = best["params"]["n"].as_f64().unwrap().to_string();
    let run = tradelab_in(
        dir.path(),
        &[
            "run",
            &s,
            "--set",
            &format!("lookback={lookback}"),
            "--set",
            &format!("n={n}"),
            "--json",
        ],
    )
    .json();
    assert_eq!(best["metrics"], run["metrics"]);
    let best_run: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("grid/best_run.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(best_run["orders"], run["orders"]);
    let random = sweep(
        "random",
        &["--method", "random", "--trials", "3", "--seed", "2"],
    );
    assert_eq!(random["trials"], 3);
    let genetic = sweep(
        "genetic",
        &[
            "--method",
            "genetic",
            "--population",
            "6",
            "--generations",
            "2",
            "--seed",
            "1",
        ],
    );
    assert_eq!(genetic["method"], "genetic");
    assert!(
        genetic["best"]["metrics"]["sharpe"].as_f64().unwrap()
            <= grid["best"]["metrics"]["sharpe"].as_f64().unwrap()
    );
    for k in 1..=2 {
        sweep(&format!("part{k}"), &["--shard", &format!("{k}/2")]);
    }
    let r = tradelab_in(dir.path(), &["merge", "part1", "part2", "--out", "merged"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["trials.csv", "blocks.csv", "best.json", "best_run.json"] {
        let read = |d: &str| std::fs::read_to_string(dir.path().join(d).join(f)).unwrap();
        assert_eq!(read("grid"), read("merged"), "{f}");
    }
}

/// A one-symbol portfolio filled at the next open is the single-asset run,
/// bit for bit: the same equity at every bar and the same trades, with
/// commission, a fixed fee and slippage.
#[test]
fn a_one_symbol_portfolio_is_the_single_asset_run() {
    for (stops, closed) in [
        ("", 46),
        ("stop_loss = 0.05\ntake_profit = 0.10\n", 0),
        ("trailing_stop = 0.03\n", 0),
    ] {
        one_symbol_equivalence(stops, closed);
    }
}

/// The single-asset and the one-symbol portfolio run with these extra
/// execution lines; `closed` is the closed-trade count when known (0: any).
fn one_symbol_equivalence(extra: &str, closed_count: usize) {
    use tradelab::strategy::ColumnCache;
    let dir = tempdir();
    let goog = dataset("GOOG.csv");
    let body = format!(
        "data = {:?}\n[params]\nfast = {{ default = 10, min = 5, max = 50, step = 5 }}\nslow = {{ default = 20, min = 10, max = 200, step = 10 }}\n\
         [signals]\nlong_entry = \"crosses_above(sma(close, fast), sma(close, slow))\"\nlong_exit = \"crosses_below(sma(close, fast), sma(close, slow))\"\n\
         [execution]\ncash = 10000\ncommission = 0.002\ncommission_fixed = 1\nslippage_bps = 5\nfill = \"next_open\"\nclose_at_end = false\n{extra}",
        goog.to_str().unwrap()
    );
    let single =
        tradelab::pipeline::parse(&format!("name = \"s\"\n{body}"), &dir.path().join("s.toml"))
            .unwrap();
    let port = tradelab::pipeline::parse(
        &format!("name = \"p\"\n{body}[portfolio]\n"),
        &dir.path().join("p.toml"),
    )
    .unwrap();
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
    assert_eq!(a.backtest.equity.len(), b.run.equity.len());
    for (t, (x, y)) in a.backtest.equity.iter().zip(&b.run.equity).enumerate() {
        assert_eq!(x.to_bits(), y.to_bits(), "bar {t}: {x} vs {y}");
    }
    let closed = |t: &&tradelab::engine::Trade| !t.is_open();
    let (ta, tb): (Vec<_>, Vec<_>) = (
        a.backtest.trades.iter().filter(closed).collect(),
        b.run.trades.iter().filter(closed).collect(),
    );
    if closed_count > 0 {
        assert_eq!(
            ta.len(),
            closed_count,
            "sma 10/20 on GOOG: 46 closed trades, one open at the end"
        );
    }
    let stopped = ta
        .iter()
        .filter(|t| t.exit_reason != tradelab::engine::ExitReason::Signal)
        .count();
    assert_eq!(
        stopped > 0,
        !extra.is_empty(),
        "{extra}: {stopped} stop exits"
    );
    assert_eq!(ta.len(), tb.len());
    for (x, y) in ta.iter().zip(&tb) {
        assert_eq!(
            (x.entry_bar, x.exit_bar, x.exit_reason),
            (y.entry_bar, y.exit_bar, y.exit_reason),
            "{extra}"
        );
        assert_eq!(
            (x.units, x.entry_price, x.exit_price),
            (y.units, y.entry_price, y.exit_price)
        );
        assert!(
            (x.pnl - y.pnl).abs() < 1e-9 * x.pnl.abs().max(1.0),
            "{} vs {}",
            x.pnl,
            y.pnl
        );
    }
    assert_eq!(a.metrics["final_equity"], b.metrics["final_equity"]);
}

/// `rank`, `cs_mean` and `cs_zscore` compare symbols at each bar, in
/// signals and in scores; they exist only in portfolio strategies.
#[test]
fn cross_sectional_functions_by_hand() {
    let dir = tempdir();
    // Three symbols over three days. Day 0 closes 10, 30, 20: rank(close)
    // is 3, 1, 2; the entry `rank(close) == 1` fires for B only, which buys
    // 100 worth (size_cash) at 30. Day 1 closes 40, 30, 20: A is first and
    // buys at 40. Day 2: B's close 30 is below the mean (40 + 30 + 50) / 3 = 40,
    // so `close < cs_mean(close)` exits B at 30; C (50) is first and buys.
    let panel = "date,A,B,C\n2020-01-01,10,30,20\n2020-01-02,40,30,20\n2020-01-03,40,30,50\n";
    let out = tiny(
        dir.path(),
        panel,
        "[portfolio]\n[signals]\nlong_entry = \"rank(close) == 1\"\nlong_exit = \"close < cs_mean(close)\"",
        "size_cash = 100",
    );
    let f: Vec<(usize, usize, &str)> = out
        .run
        .fills
        .iter()
        .map(|f| (f.bar, f.symbol, f.side))
        .collect();
    assert_eq!(
        f,
        vec![(0, 1, "buy"), (1, 0, "buy"), (2, 1, "sell"), (2, 2, "buy")]
    );
    // A score from cs_zscore: top(1) by zscore of the close holds the highest close.
    let out = tiny(
        dir.path(),
        panel,
        "[portfolio]\nrebalance = \"daily\"\nscore = \"cs_zscore(close)\"\nselect = \"top(1)\"",
        "",
    );
    let held: Vec<(usize, usize)> = out
        .run
        .fills
        .iter()
        .filter(|f| f.side == "buy")
        .map(|f| (f.bar, f.symbol))
        .collect();
    // Day 0: B (30) highest; day 1: A (40); day 2: C (50).
    assert_eq!(held, vec![(0, 1), (1, 0), (2, 2)]);
    // Outside a portfolio strategy they are refused at their place.
    let r = tradelab(&["eval", "-e", "r=rank(close)", "--data", "datasets/GOOG.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("rank compares symbols: it needs a [portfolio] strategy"),
        "{}",
        r.stderr
    );
}

/// `data synth --symbols N` writes a long universe (CSV or Parquet) that a
/// portfolio strategy reads back: the same universe, the same run.
#[test]
fn long_universe_files_round_trip() {
    let dir = tempdir();
    for out in ["u.csv", "u.parquet"] {
        let r = tradelab_in(
            dir.path(),
            &[
                "data",
                "synth",
                "--bars",
                "200",
                "--spacing",
                "1d",
                "--symbols",
                "3",
                "--seed",
                "5",
                "--out",
                out,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let csv = std::fs::read_to_string(dir.path().join("u.csv")).unwrap();
    assert!(
        csv.starts_with("timestamp,symbol,open,high,low,close\n2020-01-01,S001,"),
        "{}",
        &csv[..80]
    );
    // 200 days × 3 symbols, one row each, and the header.
    assert_eq!(csv.lines().count(), 601);
    let a = universe_file::load(&[dir.path().join("u.csv")]).unwrap();
    let b = universe_file::load(&[dir.path().join("u.parquet")]).unwrap();
    assert_eq!(a.symbols(), vec!["S001", "S002", "S003"]);
    assert_eq!(
        (a.ts.clone(), a.series.clone()),
        (b.ts.clone(), b.series.clone())
    );
    assert!(a.has_ohlc());
    // Rows out of order within a symbol, and an empty symbol, are refused by line.
    let bad = write(
        dir.path(),
        "bad.csv",
        "timestamp,symbol,open,high,low,close\n2020-01-02,A,1,1,1,1\n2020-01-01,A,1,1,1,1\n",
    );
    let e = universe_file::load(&[bad.into()]).unwrap_err().to_string();
    assert!(e.ends_with("bad.csv:3: A: an unsorted timestamp"), "{e}");
    let bad = write(
        dir.path(),
        "empty.csv",
        "timestamp,symbol,open,high,low,close\n2020-01-02,,1,1,1,1\n",
    );
    let e = universe_file::load(&[bad.into()]).unwrap_err().to_string();
    assert!(e.ends_with("empty.csv:2: an empty symbol"), "{e}");
}

/// `eval --symbol S`: one symbol of a universe, by expression or as a
/// portfolio strategy's signals; every AMD buy of the vectorbt oracle is on
/// a bar where AMD's entry signal is true.
#[test]
fn eval_one_symbol_of_a_universe() {
    let r = tradelab(&[
        "eval",
        "--strategy",
        "strategies/portfolio_sma_signals.toml",
        "--symbol",
        "AMD",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "timestamp,long_entry,long_exit");
    assert_eq!(lines.len(), 8313 + 1);
    let orders =
        std::fs::read_to_string(fixture("portfolio/port_sma_signals_5_orders.csv")).unwrap();
    let buys: Vec<usize> = orders
        .lines()
        .skip(1)
        .filter(|l| l.contains(",AMD,buy,"))
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(!buys.is_empty());
    for b in buys {
        assert!(lines[b + 1].ends_with(",1,0"), "bar {b}: {}", lines[b + 1]);
    }
    let r = tradelab(&[
        "eval",
        "--strategy",
        "strategies/portfolio_sma_signals.toml",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("give --symbol S (one of HD, CVX, AMD, UNH, JPM)"),
        "{}",
        r.stderr
    );
    let r = tradelab(&[
        "eval",
        "--data",
        "datasets/sp500_20.csv",
        "--symbol",
        "MSFT",
        "-e",
        "c=close",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // MSFT's first close in the panel.
    assert_eq!(r.stdout.lines().nth(1), Some("1990-01-02,0.384"));
}

/// walkforward takes portfolio strategies: each training window is searched
/// on the universe cut to it, each test window trades with its signals
/// warmed up before it; cutting the panel after a test window changes
/// nothing before the cut.
#[test]
fn walkforward_a_portfolio_without_seeing_the_future() {
    let dir = tempdir();
    let s = small_momentum(dir.path());
    let wf = |data: &str| {
        let r = tradelab_in(
            dir.path(),
            &[
                "walkforward",
                &s,
                "--data",
                data,
                "--train",
                "2520",
                "--test",
                "1260",
                "--json",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    };
    let full = wf(dataset("sp500_20.csv").to_str().unwrap());
    // 8,313 bars: tests at 2520, 3780, 5040, 6300 and 7560 (the last one short).
    let w = full["windows"].as_array().unwrap();
    assert_eq!(w.len(), 5);
    assert_eq!(w[2]["test"]["end_bar"], 6299);
    let text = std::fs::read_to_string(dataset("sp500_20.csv")).unwrap();
    let cut: String = text.lines().take(6301).map(|l| format!("{l}\n")).collect();
    let part = wf(&write(dir.path(), "cut.csv", cut));
    let p = part["windows"].as_array().unwrap();
    assert_eq!(p.len(), 3);
    for k in 0..3 {
        assert_eq!(w[k]["params"], p[k]["params"], "window {k}");
        assert_eq!(w[k]["test_metrics"], p[k]["test_metrics"], "window {k}");
    }
}

/// `run --report` on a portfolio: the usual report plus a Portfolio section
/// (weights over time, contribution per symbol, the per-symbol table,
/// turnover), byte-identical across runs and when re-rendered from
/// report.json.
#[test]
fn a_portfolio_report() {
    let dir = tempdir();
    let run = |out: &str| {
        let r = tradelab_in(
            dir.path(),
            &[
                "run",
                root()
                    .join("strategies/portfolio_sma_signals.toml")
                    .to_str()
                    .unwrap(),
                "--report",
                "json,html,pdf",
                "--out",
                out,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    run("a");
    run("b");
    let read = |d: &str, f: &str| std::fs::read(dir.path().join(d).join(f)).unwrap();
    for f in [
        "report.json",
        "report.html",
        "report.pdf",
        "equity.csv",
        "trades.csv",
    ] {
        assert_eq!(read("a", f), read("b", f), "{f}");
    }
    let html = String::from_utf8(read("a", "report.html")).unwrap();
    assert!(html.contains("Portfolio (5 symbols)") && html.contains("Weights over time"));
    assert!(html.contains("<td>AMD</td>"), "the per-symbol table");
    assert!(assert_svgs_parse(&html) >= 8);
    let (text, pages) = pdf_text(&dir.path().join("a/report.pdf"));
    assert!(
        pages >= 2
            && text.contains("Portfolio (5 symbols)")
            && text.contains("Contribution per symbol")
    );
    let j: serde_json::Value = serde_json::from_slice(&read("a", "report.json")).unwrap();
    assert!(j["turnover"].as_f64().unwrap() > 0.0);
    // Held weights never sum past 1 (no leverage) at the sampled bars.
    for row in j["holdings"]["weights"].as_array().unwrap() {
        let sum: f64 = row
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_f64().unwrap())
            .sum();
        assert!(sum <= 1.0 + 1e-9, "{sum}");
    }
    let r = tradelab_in(
        dir.path(),
        &[
            "report",
            "a/report.json",
            "--format",
            "html,pdf",
            "--out",
            "c",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read("a", "report.html"), read("c", "report.html"));
}

/// `data info` on a universe lists each symbol's coverage and the common
/// range; `data convert` goes panel → long Parquet → panel without a change.
#[test]
fn data_info_and_convert_on_universes() {
    let dir = tempdir();
    let panel = write(
        dir.path(),
        "p.csv",
        "date,A,B\n2020-01-01,1,\n2020-01-02,2,5\n2020-01-03,,6\n2020-01-06,3,7\n2020-01-07,4,\n",
    );
    let r = tradelab_in(dir.path(), &["data", "info", &panel, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    // A: bars 0, 1, 3, 4 (missing bar 2); B: bars 1..=3, none missing.
    assert_eq!(j["symbols"][0]["bars"], 4);
    assert_eq!(j["symbols"][0]["missing"], 1);
    assert_eq!(j["symbols"][1]["first"], "2020-01-02T00:00:00Z");
    assert_eq!(j["symbols"][1]["missing"], 0);
    assert_eq!(
        j["common"],
        serde_json::json!(["2020-01-02T00:00:00Z", "2020-01-06T00:00:00Z"])
    );
    for (from, to, extra) in [
        ("p.csv", "l.parquet", None),
        ("l.parquet", "w.csv", Some("--wide")),
    ] {
        let mut args = vec!["data", "convert", from, "--out", to];
        args.extend(extra);
        let r = tradelab_in(dir.path(), &args);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let back = std::fs::read_to_string(dir.path().join("w.csv")).unwrap();
    assert_eq!(back, std::fs::read_to_string(&panel).unwrap());
    let r = tradelab(&[
        "data",
        "convert",
        "datasets/GOOG.csv",
        "--out",
        "x.csv",
        "--wide",
    ]);
    assert_eq!(r.code, 2);
}

/// `max_positions` caps how many symbols signals hold at once: entries
/// take the free places in universe order, after the bar's exits.
#[test]
fn max_positions_caps_the_holdings() {
    let dir = tempdir();
    // Every symbol signals an entry on day 0; with room for 2, A and B buy.
    // Day 1: A exits (close < 2) and C takes its place.
    let panel = "date,A,B,C\n2020-01-01,2,2,2\n2020-01-02,1,3,3\n";
    let out = tiny(
        dir.path(),
        panel,
        "[portfolio]\n[signals]\nlong_entry = \"close >= 2\"\nlong_exit = \"close < 2\"",
        "size_cash = 100\nmax_positions = 2",
    );
    let f: Vec<(usize, usize, &str)> = out
        .run
        .fills
        .iter()
        .map(|f| (f.bar, f.symbol, f.side))
        .collect();
    assert_eq!(
        f,
        vec![(0, 0, "buy"), (0, 1, "buy"), (1, 0, "sell"), (1, 2, "buy")]
    );
    let r = tradelab(&[
        "run",
        "strategies/portfolio_sma_signals.toml",
        "--exec",
        "max_positions=0",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("max_positions = 0 is out of range: at least 1"),
        "{}",
        r.stderr
    );
}

/// Several single-symbol files make one universe (the symbol is the file
/// stem); mixed bar spacings get a warning, which --quiet silences.
#[test]
fn several_files_make_a_universe_and_mixed_spacings_warn() {
    let args = [
        "run",
        "strategies/portfolio_equal_weight.toml",
        "--data",
        "datasets/GOOG.csv",
        "datasets/BTCUSD.csv",
        "--json",
    ];
    let r = tradelab(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["symbols"], serde_json::json!(["GOOG", "BTCUSD"]));
    assert_eq!(
        r.stderr.trim_end(),
        "warning: datasets/GOOG.csv: mixed bar spacings: GOOG every 86400 s, BTCUSD every 2678400 s"
    );
    let r = tradelab(&[&args[..], &["--quiet"]].concat());
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

/// `data = ["a.csv", "b.csv"]` in a portfolio strategy names its universe;
/// a single-asset strategy with several files is refused at `data`.
#[test]
fn a_strategy_names_its_universe_files() {
    let dir = tempdir();
    let (g, b) = (dataset("GOOG.csv"), dataset("BTCUSD.csv"));
    let text = format!(
        "name = \"two\"\ndata = [{:?}, {:?}]\n[portfolio]\nrebalance = \"monthly\"\n[execution]\nfill = \"close\"\n",
        g.to_str().unwrap(),
        b.to_str().unwrap()
    );
    let s = write(dir.path(), "two.toml", text);
    let r = tradelab_in(dir.path(), &["run", &s, "--json", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["symbols"], serde_json::json!(["GOOG", "BTCUSD"]));
    let text = format!(
        "name = \"one\"\ndata = [{:?}, {:?}]\n[signals]\nlong_entry = \"close > 1\"\n",
        g.to_str().unwrap(),
        b.to_str().unwrap()
    );
    let s = write(dir.path(), "one.toml", text);
    let r = tradelab_in(dir.path(), &["run", &s]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("one.toml:2:1: several data files make a universe: add a [portfolio] table"),
        "{}",
        r.stderr
    );
}
