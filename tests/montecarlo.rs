//! `tradelab montecarlo`: the properties each method must have (a shuffle
//! keeps a compounding run's final equity, changes its drawdown, and lists
//! every order's drawdown on a hand-made case; the bootstrap's mean log
//! return converges; a block as long as the history is the history), seeds
//! and threads, the reports, and `run --monte-carlo`.

mod common;
use common::*;

use tradelab::engine::{Backtest, ExitReason, Trade};
use tradelab::robust::montecarlo::{self, Config, History};
use tradelab::robust::paths::Method;
use tradelab::strategy::ColumnCache;

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// sma_cross 10/20 on GOOG with `execution` lines, run by the library.
fn goog(execution: &str) -> (tradelab::backtest::Outcome, tradelab::data::Candles) {
    let dir = tempdir();
    let text = format!(
        "name = \"s\"\n[params]\nfast = {{ default = 10, min = 5, max = 50, step = 5 }}\nslow = {{ default = 20, min = 10, max = 200, step = 10 }}\n\
         [signals]\nlong_entry = \"crosses_above(sma(close, fast), sma(close, slow))\"\nlong_exit = \"crosses_below(sma(close, fast), sma(close, slow))\"\n\
         [execution]\ncash = 10000\n{execution}\n"
    );
    let s = tradelab::pipeline::parse(&text, &dir.path().join("s.toml")).unwrap();
    let (c, _) = tradelab::data::load(&dataset("GOOG.csv")).unwrap();
    let out = tradelab::backtest::run(&s, &s.defaults(), &s.execution, &c, &ColumnCache::default())
        .unwrap();
    (out, c)
}

fn mc(
    bt: &Backtest,
    c: &tradelab::data::Candles,
    method: Method,
    paths: usize,
) -> montecarlo::MonteCarlo {
    let h = History {
        backtest: bt,
        ts: &c.ts,
        bench: &c.close,
        spacing_ms: c.spacing_ms,
        cash: 10000.0,
    };
    montecarlo::run(
        &h,
        &Config {
            method,
            paths,
            seed: 11,
            dd_limits: vec![0.2],
        },
    )
}

fn values(m: &montecarlo::MonteCarlo, key: &str) -> Vec<f64> {
    m.paths.iter().map(|p| p[key].unwrap()).collect()
}

#[test]
fn a_shuffle_keeps_a_compounding_runs_final_equity_and_moves_its_drawdown() {
    // Fractional units, all of the equity, no fees: each trade multiplies
    // the account by (1 + r), so every order ends at the same product.
    let (out, c) = goog("commission = 0");
    let closed = out.backtest.trades.iter().filter(|t| !t.is_open()).count();
    assert_eq!(closed, 47);
    let m = mc(&out.backtest, &c, Method::Shuffle, 500);
    let fin = out.metrics["final_equity"].unwrap();
    for (i, f) in values(&m, "final_equity").iter().enumerate() {
        // The same 47 factors in another order: equal up to rounding.
        assert!(rel(*f, fin) < 1e-12, "path {i}: {f} vs {fin}");
    }
    let f = m.summary.figure("final_equity").unwrap();
    assert!(rel(f.historical.unwrap(), fin) < 1e-12);
    // Every path ties with history: the mid-rank is one half.
    assert_eq!(f.historical_rank, Some(0.5));
    assert_eq!(m.summary.prob_loss, 0.0);
    // The drawdown is a property of the order.
    let dd = m.summary.figure("max_drawdown").unwrap();
    assert!(
        dd.percentiles["p5"].unwrap() < dd.percentiles["p95"].unwrap() - 0.01,
        "{dd:?}"
    );
}

/// A three-trade history: +20 %, −10 %, −25 % of a 1,000 account, exiting
/// at bars 2, 4 and 6 (entered at 1, 3, 5).
fn three_trades() -> (Backtest, Vec<i64>, Vec<f64>) {
    let equity = vec![1000.0, 1000.0, 1200.0, 1200.0, 1080.0, 1080.0, 810.0];
    let trade = |entry: usize, pnl: f64| Trade {
        entry_bar: entry,
        exit_bar: entry + 1,
        side: 1,
        units: 1.0,
        entry_price: 1.0,
        exit_price: 1.0,
        pnl,
        ret: pnl / equity[entry - 1],
        commission: 0.0,
        exit_reason: ExitReason::Signal,
        signal_bar: None,
        order: None,
    };
    let bt = Backtest {
        // 200 / 1000 = +20 %, −120 / 1200 = −10 %, −270 / 1080 = −25 %.
        trades: vec![trade(1, 200.0), trade(3, -120.0), trade(5, -270.0)],
        equity,
        bars_in_market: 3,
        commissions: 0.0,
        orders: Default::default(),
    };
    let day = 86_400_000;
    let ts = (0..7).map(|i| 1_577_836_800_000 + i * day).collect();
    (bt, ts, vec![1.0; 7])
}

#[test]
fn every_order_of_three_trades_has_its_drawdown() {
    let (bt, ts, bench) = three_trades();
    let h = History {
        backtest: &bt,
        ts: &ts,
        bench: &bench,
        spacing_ms: 86_400_000,
        cash: 1000.0,
    };
    let cfg = Config {
        method: Method::Shuffle,
        paths: 600,
        seed: 5,
        dd_limits: vec![0.3],
    };
    let m = montecarlo::run(&h, &cfg);
    // The six orders of ×1.2, ×0.9, ×0.75 from 1,000 (the peak counts the
    // starting cash), every one ending at 1000·1.2·0.9·0.75 = 810:
    //   1.2, 0.9, 0.75: 1200 → 1080 → 810, dd 810/1200 − 1 = −0.325
    //   1.2, 0.75, 0.9: 1200 → 900 → 810,  dd −0.325
    //   0.9, 1.2, 0.75: 900 → 1080 → 810,  dd 810/1080 − 1 = −0.25
    //   0.9, 0.75, 1.2: 900 → 675 → 810,   dd 675/1000 − 1 = −0.325
    //   0.75, 1.2, 0.9: 750 → 900 → 810,   dd 750/1000 − 1 = −0.25
    //   0.75, 0.9, 1.2: 750 → 675 → 810,   dd −0.325
    let dd = values(&m, "max_drawdown");
    let near = |x: f64, y: f64| (x - y).abs() < 1e-12;
    assert!(
        dd.iter().all(|d| near(*d, -0.325) || near(*d, -0.25)),
        "{dd:?}"
    );
    // Two orders in six give −0.25: 600 paths hold about 200 (binomial
    // σ = √(600·⅓·⅔) ≈ 11.5); 150..250 is over 4σ either way.
    let quarter = dd.iter().filter(|d| near(**d, -0.25)).count();
    assert!((150..250).contains(&quarter), "{quarter}");
    for f in values(&m, "final_equity") {
        assert!(near(f, 810.0), "{f}");
    }
    // History is the first order: −0.325, deeper than −0.3 on 4/6 of paths.
    let h = m.summary.figure("max_drawdown").unwrap();
    assert!(near(h.historical.unwrap(), -0.325));
    let beyond = m.summary.prob_drawdown_beyond[0].1;
    assert!((beyond - (600 - quarter) as f64 / 600.0).abs() < 1e-12);
    // Losing streaks: two in a row unless the gain sits between the losses.
    assert!(m.streaks.iter().all(|s| *s == 1.0 || *s == 2.0));
}

#[test]
fn the_bootstrap_mean_log_return_converges_to_the_historical_mean() {
    let (out, c) = goog("commission = 0.002");
    let m = mc(&out.backtest, &c, Method::Bootstrap, 4000);
    // The trades' returns on the account, as the paths draw them.
    let eq = &out.backtest.equity;
    let logs: Vec<f64> = out
        .backtest
        .trades
        .iter()
        .filter(|t| !t.is_open())
        .map(|t| (1.0 + t.pnl / eq[t.entry_bar - 1]).ln())
        .collect();
    let k = logs.len() as f64;
    let mean = logs.iter().sum::<f64>() / k;
    let sd = (logs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
    // A path's mean log return is ln(final / cash) / k, the mean of k draws:
    // its σ is sd / √k, so the mean of 4,000 paths has σ = sd / √(4000·k).
    // Within 4σ of the historical mean fails by chance once in ~16,000.
    let paths: Vec<f64> = values(&m, "final_equity")
        .iter()
        .map(|f| (f / 10000.0).ln() / k)
        .collect();
    let got = paths.iter().sum::<f64>() / paths.len() as f64;
    let sigma = sd / (4000.0 * k).sqrt();
    assert!(
        (got - mean).abs() < 4.0 * sigma,
        "{got} vs {mean} (σ {sigma})"
    );
    // And the paths do differ from each other.
    assert!(
        m.summary.figure("final_equity").unwrap().percentiles["p5"]
            < m.summary.figure("final_equity").unwrap().percentiles["p95"]
    );
}

#[test]
fn a_block_as_long_as_the_history_is_the_history() {
    let (out, c) = goog("commission = 0.002");
    let n = c.len();
    let m = mc(&out.backtest, &c, Method::Block { mean: n }, 50);
    let fin = out.metrics["final_equity"].unwrap();
    for f in values(&m, "final_equity") {
        assert!(rel(f, fin) < 1e-9, "{f} vs {fin}");
    }
    for (b, band) in m.fan.bands.iter().enumerate() {
        assert_eq!(band, &m.fan.historical, "band {b}");
    }
    for (&bar, h) in m.fan.bars.iter().zip(&m.fan.historical) {
        assert!(rel(*h, out.backtest.equity[bar]) < 1e-9, "bar {bar}");
    }
    // The historical max drawdown is the run's own.
    let dd = m
        .summary
        .figure("max_drawdown")
        .unwrap()
        .historical
        .unwrap();
    assert!(rel(dd, out.metrics["max_drawdown"].unwrap()) < 1e-9);
    // A short block mean resamples: the paths spread.
    let short = mc(&out.backtest, &c, Method::Block { mean: 13 }, 200);
    let f = short.summary.figure("final_equity").unwrap();
    assert!(f.percentiles["p5"].unwrap() < 0.8 * f.percentiles["p95"].unwrap());
}

#[test]
fn seeds_reproduce_whatever_the_threads() {
    for method in ["shuffle", "bootstrap", "block"] {
        let args = [
            "montecarlo",
            "strategies/sma_cross.toml",
            "--paths",
            "300",
            "--seed",
            "9",
            "--method",
            method,
            "--json",
        ];
        let one = tradelab_with_threads(1, &args);
        let two = tradelab_with_threads(2, &args);
        assert_eq!(one.code, 0, "{}", one.stderr);
        assert_eq!(one.stdout, two.stdout, "{method}");
        let mut other = args.to_vec();
        other[5] = "10";
        let three = tradelab_with_threads(2, &other);
        assert_ne!(one.stdout, three.stdout, "{method}: another seed");
        let j = one.json();
        assert_eq!(
            (
                j["method"].as_str(),
                j["paths"].as_u64(),
                j["seed"].as_u64()
            ),
            (Some(method), Some(300), Some(9))
        );
        for key in [
            "final_equity",
            "total_return",
            "cagr",
            "max_drawdown",
            "sharpe",
        ] {
            let f = &j["summary"][key];
            for p in [
                "p1",
                "p5",
                "p25",
                "p50",
                "p75",
                "p95",
                "p99",
                "historical",
                "historical_rank",
            ] {
                assert!(f[p].is_number(), "{method} {key} {p}: {f}");
            }
            assert!(f["p1"].as_f64() <= f["p99"].as_f64());
        }
        assert!(j["summary"]["prob_loss"].is_number());
        assert!(j["summary"]["prob_drawdown_beyond"]["0.2"].is_number());
        assert!(j["summary"]["prob_drawdown_beyond"]["0.3"].is_number());
    }
}

#[test]
fn reports_and_run_monte_carlo() {
    let dir = tempdir();
    let out = dir.path().join("mc");
    let r = tradelab(&[
        "-q",
        "montecarlo",
        "strategies/sma_cross.toml",
        "--paths",
        "200",
        "--report",
        "json,html,pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        files_in(&out),
        ["paths.csv", "report.html", "report.json", "report.pdf"]
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Monte Carlo (200 shuffle paths)"));
    assert_eq!(assert_svgs_parse(&html), 3, "the fan and two histograms");
    // paths.csv: every path's metric table.
    let csv = std::fs::read_to_string(out.join("paths.csv")).unwrap();
    let (cols, rows) = numeric_columns(&csv);
    assert_eq!(rows[1].len(), 200);
    assert!(cols.contains(&"sharpe".to_string()) && cols.contains(&"worst_streak".to_string()));
    // `tradelab report` re-renders it byte for byte.
    let again = dir.path().join("again");
    let r = tradelab(&[
        "-q",
        "report",
        out.join("report.json").to_str().unwrap(),
        "--format",
        "html,pdf",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["report.html", "report.pdf"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
    // run --monte-carlo N adds the section to a run's report.
    let run = dir.path().join("run");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/sma_cross.toml",
        "--report",
        "html",
        "--monte-carlo",
        "100",
        "--out",
        run.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(html.contains("Monte Carlo (100 shuffle paths)"));
    // And for a portfolio.
    let r = tradelab(&[
        "montecarlo",
        "strategies/portfolio_momentum.toml",
        "--paths",
        "100",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("100 shuffle paths"), "{}", r.stdout);
}

#[test]
fn bad_arguments_are_refused() {
    for (args, msg) in [
        (vec!["--paths", "0"], "--paths must be at least 1"),
        (
            vec!["--block", "5"],
            "--block applies to --method block only",
        ),
        (
            vec!["--method", "block", "--block", "0"],
            "--block must be at least 1 bar",
        ),
        (vec!["--dd-limit", "1.5"], "--dd-limit 1.5 is out of range"),
    ] {
        let mut all = vec!["montecarlo", "strategies/sma_cross.toml"];
        all.extend(args);
        let r = tradelab(&all);
        assert_eq!(r.code, 2, "{all:?}");
        assert!(r.stderr.contains(msg), "{all:?}: {}", r.stderr);
    }
    let r = tradelab(&["run", "strategies/sma_cross.toml", "--monte-carlo", "10"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("give --report"), "{}", r.stderr);
}
