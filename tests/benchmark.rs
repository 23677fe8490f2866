//! `--benchmark FILE` on run, walkforward and report: which series the
//! benchmark-relative metrics, the yearly table and the benchmark metrics
//! measure against (the numbers themselves are in oracle_quantstats.rs).

mod common;
use common::*;

const SP500: &str = "datasets/sp500_index.csv";

/// `report --benchmark` re-measures a written report from its equity curve,
/// giving the bytes `run --benchmark` writes.
#[test]
fn report_rebenchmarks_to_the_runs_bytes() {
    let dir = tempdir();
    let d = |x: &str| dir.path().join(x).display().to_string();
    let run = |extra: &[&str], out: &str| {
        let mut args = vec![
            "-q",
            "run",
            "strategies/sma_cross.toml",
            "--report",
            "json",
            "--out",
        ];
        args.push(out);
        args.extend(extra);
        assert_eq!(tradelab(&args).code, 0);
    };
    run(&[], &d("plain"));
    run(&["--benchmark", SP500], &d("sp"));
    let r = tradelab(&[
        "-q",
        "report",
        &d("plain/report.json"),
        "--benchmark",
        SP500,
        "--format",
        "json",
        "--out",
        &d("again"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let a = std::fs::read(d("sp/report.json")).unwrap();
    let b = std::fs::read(d("again/report.json")).unwrap();
    assert!(a == b, "report --benchmark differs from run --benchmark");
    // And it changed something: beta against GOOG is 0.4270, against the index 0.3274.
    let plain: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d("plain/report.json")).unwrap()).unwrap();
    let sp: serde_json::Value = serde_json::from_slice(&a).unwrap();
    assert!((plain["metrics"]["beta"].as_f64().unwrap() - 0.42698).abs() < 1e-4);
    assert!((sp["metrics"]["beta"].as_f64().unwrap() - 0.32737).abs() < 1e-4);
    assert_eq!(plain["benchmark"]["name"], "buy and hold");
    // The curve the charts draw: the index's close on GOOG's first day,
    // 2004-08-19 (datasets/sp500_index.csv line 3692: 1091.23).
    assert_eq!(sp["equity"]["benchmark"][0].as_f64(), Some(1091.23));
    assert!(plain["equity"].get("benchmark").is_none());
}

/// Only the relative metrics move; every other metric is bit-identical.
#[test]
fn a_benchmark_changes_only_the_relative_metrics() {
    let a = tradelab(&["run", "strategies/sma_cross.toml", "--json"]).json();
    let b = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "--json",
        "--benchmark",
        SP500,
    ])
    .json();
    let relative = [
        "alpha",
        "beta",
        "information_ratio",
        "tracking_error",
        "correlation",
        "r_squared",
        "up_capture",
        "down_capture",
    ];
    for (k, v) in a["metrics"].as_object().unwrap() {
        if relative.contains(&k.as_str()) {
            assert_ne!(v, &b["metrics"][k], "{k}");
        } else {
            assert_eq!(v, &b["metrics"][k], "{k}");
        }
    }
    assert_eq!(a["trades"], b["trades"]);
    assert_eq!(a["drawdowns"], b["drawdowns"]);
}

/// A portfolio measures against its equal-weight universe by default, and
/// against the index with --benchmark; walkforward's out-of-sample run too.
#[test]
fn portfolios_and_walkforward_take_a_benchmark() {
    let p = |extra: &[&str]| {
        let mut args = vec!["run", "strategies/portfolio_momentum.toml", "--json"];
        args.extend(extra);
        tradelab(&args).json()
    };
    let (own, sp) = (p(&[]), p(&["--benchmark", SP500]));
    assert_eq!(own["benchmark"]["name"], "buy and hold");
    assert_eq!(sp["benchmark"]["name"], "SP500");
    assert_ne!(own["metrics"]["beta"], sp["metrics"]["beta"]);
    assert_eq!(own["metrics"]["sharpe"], sp["metrics"]["sharpe"]);
    assert!(sp["yearly"].as_array().unwrap().len() > 20);
    let w = |extra: &[&str]| {
        let mut args = vec![
            "walkforward",
            "strategies/sma_cross.toml",
            "--train",
            "500",
            "--test",
            "250",
            "--json",
            "--jobs",
            "1",
        ];
        args.extend(extra);
        let r = tradelab(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    };
    let (own, sp) = (w(&[]), w(&["--benchmark", SP500]));
    assert_eq!(sp["benchmark"]["name"], "SP500");
    assert_eq!(own["windows"], sp["windows"]);
    assert_ne!(own["out_of_sample"]["beta"], sp["out_of_sample"]["beta"]);
}

/// Bad benchmarks: one clear line, exit 2.
#[test]
fn bad_benchmarks_are_one_line_errors() {
    let r = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "--benchmark",
        "datasets/sp500_20.csv",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with(
            "error: datasets/sp500_20.csv:1: a benchmark is one symbol; this file holds 20"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1);
    let dir = tempdir();
    let bad = write(
        dir.path(),
        "b.csv",
        "date,close\n2010-01-04,1\n2010-01-05,x\n",
    );
    let r = tradelab(&["run", "strategies/sma_cross.toml", "--benchmark", &bad]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("b.csv:3"), "{}", r.stderr);
    // No period in common (BTCUSD starts 2012, GOOG ends 2013-03-01; this
    // one ends 2003): the relative metrics are null, not a panic.
    let early = write(
        dir.path(),
        "early.csv",
        "date,close\n2003-01-02,1\n2003-01-03,1.1\n2003-01-06,1.2\n",
    );
    let j = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "--json",
        "--benchmark",
        &early,
    ])
    .json();
    assert_eq!(j["benchmark"]["periods"], 0);
    assert_eq!(j["benchmark"]["name"], "early");
    assert!(j["metrics"]["beta"].is_null());
    assert!(j["benchmark_metrics"]["sharpe"].is_null());
    let r = tradelab(&["report", "nope.json", "--benchmark", SP500]);
    assert_eq!(r.code, 2);
}
