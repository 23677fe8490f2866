//! The engine and metrics against the shared oracles (copied into
//! tests/fixtures): backtesting.py 0.6.6 trade for trade and bar for bar,
//! empyrical metric for metric, vectorbt's close-fill run.

mod common;
use common::*;

use std::collections::BTreeMap;
use tradelab::backtest;
use tradelab::strategy::file::Fill;
use tradelab::strategy::ColumnCache;

fn rel(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        a.abs()
    } else {
        ((a - b) / b).abs()
    }
}

/// Runs a shipped strategy on GOOG with the oracle's settings.
fn run(name: &str, fill: Fill, whole: bool) -> backtest::Outcome {
    let s = tradelab::pipeline::load(&root().join(format!("strategies/{name}.toml"))).unwrap();
    let (c, _) = tradelab::data::load(&dataset("GOOG.csv")).unwrap();
    let mut e = s.execution.clone();
    e.cash = 10_000.0;
    e.commission = 0.002;
    e.size = Some(1.0);
    e.whole_units = whole;
    e.fill = fill;
    e.close_at_end = false;
    let params: BTreeMap<String, f64> = [("fast".into(), 10.0), ("slow".into(), 20.0)].into();
    backtest::run(&s, &params, &e, &c, &ColumnCache::default()).unwrap()
}

fn check_backtesting_py(strategy: &str, oracle: &str) {
    let out = run(strategy, Fill::NextOpen, true);
    let bt = &out.backtest;
    // Trades: Size,EntryBar,ExitBar,EntryPrice,ExitPrice,PnL,ReturnPct,EntryTime,ExitTime,Commission
    let text = std::fs::read_to_string(fixture(&format!("bt_GOOG_{oracle}_trades.csv"))).unwrap();
    let want: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let closed: Vec<_> = bt.trades.iter().filter(|t| !t.is_open()).collect();
    assert_eq!(closed.len(), want.len(), "{oracle}: closed trades");
    for (t, w) in closed.iter().zip(&want) {
        let f = |i: usize| w[i].parse::<f64>().unwrap();
        assert_eq!(t.units * f64::from(t.side), f(0), "{oracle}: size {w:?}");
        assert_eq!(
            (t.entry_bar, t.exit_bar),
            (f(1) as usize, f(2) as usize),
            "{oracle}: bars {w:?}"
        );
        assert_eq!(
            (t.entry_price, t.exit_price),
            (f(3), f(4)),
            "{oracle}: prices {w:?}"
        );
        assert!(
            (t.pnl - f(5)).abs() <= 1e-6,
            "{oracle}: pnl {} vs {w:?}",
            t.pnl
        );
        assert!(
            rel(t.ret, f(6)) <= 1e-9,
            "{oracle}: return {} vs {w:?}",
            t.ret
        );
        assert!(
            rel(t.commission, f(9)) <= 1e-9,
            "{oracle}: commission {} vs {w:?}",
            t.commission
        );
    }
    // One position is still open at the end, in the equity but not the trades.
    assert_eq!(bt.trades.iter().filter(|t| t.is_open()).count(), 1);
    // Equity at every bar's close.
    let eq = std::fs::read_to_string(fixture(&format!("bt_GOOG_{oracle}_equity.csv"))).unwrap();
    let want_eq: Vec<f64> = eq
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(bt.equity.len(), want_eq.len());
    for (i, (g, w)) in bt.equity.iter().zip(&want_eq).enumerate() {
        assert!(rel(*g, *w) <= 1e-9, "{oracle}: equity bar {i}: {g} vs {w}");
    }
    // empyrical's metrics on that equity.
    let m: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("metrics_GOOG_{oracle}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(out.metrics["periods_per_year"], Some(252.0));
    for key in [
        "total_return",
        "annual_return",
        "annual_volatility",
        "sharpe",
        "sortino",
        "max_drawdown",
        "calmar",
        "omega",
        "tail_ratio",
        "value_at_risk_95",
        "conditional_value_at_risk_95",
        "stability",
        "skew",
        "kurtosis",
    ] {
        let w = m[key].as_f64().unwrap();
        let g = out.metrics[key].unwrap_or_else(|| panic!("{key} missing"));
        assert!(rel(g, w) <= 1e-9, "{oracle}: {key}: {g} vs empyrical {w}");
    }
    // backtesting.py's own trade statistics.
    let stats: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("bt_GOOG_{oracle}_stats.json"))).unwrap(),
    )
    .unwrap();
    let pct = |k: &str| stats[k].as_f64().unwrap() / 100.0;
    assert_eq!(out.metrics["trades"], stats["# Trades"].as_f64());
    assert!(rel(out.metrics["win_rate"].unwrap(), pct("Win Rate [%]")) <= 1e-12);
    assert!(rel(out.metrics["best_trade"].unwrap(), pct("Best Trade [%]")) <= 1e-9);
    assert!(rel(out.metrics["worst_trade"].unwrap(), pct("Worst Trade [%]")) <= 1e-9);
    assert!(rel(out.metrics["avg_trade"].unwrap(), pct("Avg. Trade [%]")) <= 1e-9);
    // Profit factor is in money (gross profit / gross loss of the oracle's PnL
    // column); backtesting.py's own "Profit Factor" divides summed returns.
    let pnl: Vec<f64> = want.iter().map(|w| w[5].parse::<f64>().unwrap()).collect();
    let pf = pnl.iter().filter(|p| **p > 0.0).sum::<f64>()
        / -pnl.iter().filter(|p| **p < 0.0).sum::<f64>();
    assert!(rel(out.metrics["profit_factor"].unwrap(), pf) <= 1e-9);
    assert!(rel(out.metrics["expectancy"].unwrap(), pct("Expectancy [%]")) <= 1e-9);
    // equity_max_drawdown is backtesting.py's "Max. Drawdown [%]" / 100: the
    // deepest fall of the bar-level equity, min_t equity[t] / max(equity[..=t]) - 1
    // (long 10/20: -20.0173 %, long/short: -33.9316 %). empyrical's
    // max_drawdown on daily returns is the same figure here only because GOOG
    // is daily; on intraday bars the two part.
    assert!(
        rel(
            out.metrics["equity_max_drawdown"].unwrap(),
            pct("Max. Drawdown [%]")
        ) <= 1e-9,
        "{oracle}: equity_max_drawdown {:?} vs {}",
        out.metrics["equity_max_drawdown"],
        pct("Max. Drawdown [%]")
    );
    assert!(rel(out.metrics["sqn"].unwrap(), stats["SQN"].as_f64().unwrap()) <= 1e-9);
    assert!(
        rel(
            out.metrics["kelly"].unwrap(),
            stats["Kelly Criterion"].as_f64().unwrap()
        ) <= 1e-9
    );
    assert!(
        rel(
            out.metrics["final_equity"].unwrap(),
            stats["Equity Final [$]"].as_f64().unwrap()
        ) <= 1e-9
    );
    // backtesting.py counts the commissions of closed trades; tradelab counts
    // every commission paid, so also the open position's entry fee.
    let open = bt.trades.iter().find(|t| t.is_open()).unwrap();
    let open_fee = 0.002 * open.units * open.entry_price;
    let paid = stats["Commissions [$]"].as_f64().unwrap() + open_fee;
    assert!(rel(out.metrics["commissions"].unwrap(), paid) <= 1e-9);
}

#[test]
fn long_only_sma_cross_equals_backtesting_py() {
    check_backtesting_py("sma_cross", "sma_long_10_20");
}

#[test]
fn long_short_reversal_equals_backtesting_py() {
    check_backtesting_py("long_short_sma", "sma_ls_10_20");
}

#[test]
fn close_fill_fractional_units_equals_vectorbt() {
    let out = run("sma_cross", Fill::Close, false);
    let bt = &out.backtest;
    // Exit Trade Id,Column,Size,Entry Timestamp,Avg Entry Price,Entry Fees,Exit Timestamp,Avg Exit Price,Exit Fees,PnL,Return,Direction,Status,Position Id
    let text = std::fs::read_to_string(fixture("vbt_GOOG_sma_long_10_20_trades.csv")).unwrap();
    let want: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    assert_eq!(bt.trades.len(), want.len());
    let (c, _) = tradelab::data::load(&dataset("GOOG.csv")).unwrap();
    let day = |bar: usize| tradelab::data::time::format_ms(c.ts[bar], true);
    for (t, w) in bt.trades.iter().zip(&want) {
        let f = |i: usize| w[i].parse::<f64>().unwrap();
        assert!(rel(t.units, f(2)) <= 1e-9, "size {} vs {w:?}", t.units);
        assert_eq!(day(t.entry_bar), w[3]);
        assert_eq!(t.entry_price, f(4));
        assert_eq!(t.is_open(), w[12] == "Open", "{w:?}");
        if !t.is_open() {
            assert_eq!(day(t.exit_bar), w[6]);
            assert_eq!(t.exit_price, f(7));
            assert!(rel(t.pnl, f(9)) <= 1e-9, "pnl {} vs {w:?}", t.pnl);
            assert!(rel(t.ret, f(10)) <= 1e-9, "return {} vs {w:?}", t.ret);
        }
    }
    let stats: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("vbt_GOOG_sma_long_10_20_stats.json")).unwrap(),
    )
    .unwrap();
    let end = stats["End Value"].as_f64().unwrap();
    assert!(
        rel(*bt.equity.last().unwrap(), end) <= 1e-9,
        "{} vs {end}",
        bt.equity.last().unwrap()
    );
    assert!(
        rel(
            out.metrics["commissions"].unwrap(),
            stats["Total Fees Paid"].as_f64().unwrap()
        ) <= 1e-9
    );
    // vectorbt reports the bar-level drawdown as a positive percentage:
    // equity_max_drawdown = -"Max Drawdown [%]" / 100 = -0.244293.
    let vbt_dd = -stats["Max Drawdown [%]"].as_f64().unwrap() / 100.0;
    assert!(
        rel(out.metrics["equity_max_drawdown"].unwrap(), vbt_dd) <= 1e-9,
        "{:?} vs {vbt_dd}",
        out.metrics["equity_max_drawdown"]
    );
}

/// The two drawdowns part on intraday data: an hourly curve that falls 10 %
/// and recovers within one day has no daily drawdown at all.
#[test]
fn equity_max_drawdown_sees_an_intraday_fall() {
    use tradelab::engine::Backtest;
    use tradelab::metrics::{compute, Context};
    const HOUR: i64 = 3_600_000;
    // 48 hourly bars over two days; equity 100, dips to 90 at hour 5, back to 100 by hour 10, then flat.
    let ts: Vec<i64> = (0..48).map(|h| h * HOUR).collect();
    let equity: Vec<f64> = (0..48)
        .map(|h| match h {
            5 => 90.0,
            4 | 6 => 95.0,
            _ => 100.0,
        })
        .collect();
    let close = vec![1.0; 48];
    let bt = Backtest {
        trades: Vec::new(),
        equity,
        bars_in_market: 0,
        commissions: 0.0,
        orders: Default::default(),
    };
    let cx = Context {
        ts: &ts,
        close: &close,
        spacing_ms: HOUR,
        cash: 100.0,
        benchmark: None,
    };
    let m = compute(&bt, &cx);
    // Bar level: 90 / 100 - 1 = -0.10.
    assert!((m["equity_max_drawdown"].unwrap() + 0.10).abs() < 1e-15);
    // Daily closes are 100 and 100: empyrical's figure on daily returns is 0.
    assert_eq!(m["max_drawdown"], Some(0.0));
}
