//! `run --report json,html` and `tradelab report`: the report folder, a
//! self-contained HTML file, and re-rendering from report.json.

mod common;
use common::*;

#[test]
fn run_writes_a_self_contained_report_folder() {
    let dir = tempdir();
    let out = dir.path().join("rep");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/sma_cross.toml",
        "--report",
        "json,html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        files_in(&out),
        vec!["equity.csv", "report.html", "report.json", "trades.csv"]
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Nothing fetched from a network, every chart inline.
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("<script") && !html.contains("<link"));
    assert_eq!(html.matches("<svg").count(), 7);
    for section in [
        "Contents",
        "Metrics",
        "Equity",
        "Drawdown",
        "Monthly returns",
        "Trade returns",
        "Price and trades",
        "Rolling Sharpe",
        "Trades (47)",
    ] {
        assert!(html.contains(section), "{section}");
    }
    // The metric table shows the run's numbers: Sharpe 1.0804, 47 trades.
    assert!(
        html.contains("<td>sharpe</td><td>1.0804</td>"),
        "sharpe row"
    );
    // report.json = run --json plus the equity curve.
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let single = tradelab(&["run", "strategies/sma_cross.toml", "--json"]).json();
    assert_eq!(j["metrics"], single["metrics"]);
    assert_eq!(j["trades"], single["trades"]);
    assert_eq!(j["equity"]["t"].as_array().unwrap().len(), 2148);
    assert_eq!(
        j["equity"]["equity"][2147],
        single["metrics"]["final_equity"]
    );
    let trades = std::fs::read_to_string(out.join("trades.csv")).unwrap();
    assert_eq!(trades.lines().count(), 48);
    assert!(trades
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("2004-12-06T00:00:00Z,2004-12-20T00:00:00Z,long,55.0,179.13,182.0,118.1257"));
    let equity = std::fs::read_to_string(out.join("equity.csv")).unwrap();
    assert_eq!(equity.lines().nth(1), Some("2004-08-19,10000.0,100.34"));
}

#[test]
fn report_re_renders_the_same_html_from_json() {
    let dir = tempdir();
    let a = dir.path().join("a");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/rsi_reversion.toml",
        "--report",
        "json,html",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = dir.path().join("b");
    let r = tradelab(&[
        "-q",
        "report",
        a.join("report.json").to_str().unwrap(),
        "--format",
        "html",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read(a.join("report.html")).unwrap(),
        std::fs::read(b.join("report.html")).unwrap()
    );
}

#[test]
fn batch_reports_get_one_folder_each_and_bad_formats_are_refused() {
    let dir = tempdir();
    let out = dir.path().join("many");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/sma_cross.toml",
        "strategies/ema_cross.toml",
        "--data",
        "datasets/BTCUSD.csv",
        "--report",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(files_in(&out), vec!["ema_cross_BTCUSD", "sma_cross_BTCUSD"]);
    let r = tradelab(&["run", "strategies/sma_cross.toml", "--report", "docx"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (
            2,
            "error: unknown report format 'docx': expected json and/or html"
        )
    );
    let r = tradelab(&["run", "strategies/sma_cross.toml", "--report", "pdf"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (2, "error: --report pdf is not available yet: use json,html")
    );
}
