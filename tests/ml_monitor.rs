//! `tradelab ml monitor`: a model's metrics window by window, drift (PSI),
//! trends, charts, and thresholds that fail CI.

mod common;
use common::*;

fn monitor(extra: &[&str]) -> Run {
    let mut args = vec!["ml", "monitor", "strategies/ml_logistic.toml"];
    args.extend(extra);
    tradelab(&args)
}

#[test]
fn one_window_per_refit_adds_up_to_the_whole() {
    let r = monitor(&["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let ws = j["windows"].as_array().unwrap();
    let all = tradelab(&["ml", "evaluate", "strategies/ml_logistic.toml", "--json"]).json();
    let c = &all["model"]["classification"];
    // A window per refit (every 50 bars), the same bars as evaluate scores:
    // their rows sum to its rows and their accuracies, weighted by rows, to
    // its accuracy (Σ correct_w / Σ rows_w).
    assert_eq!(ws.len() as u64, all["model"]["fits"].as_u64().unwrap());
    let rows: f64 = ws.iter().map(|w| w["rows"].as_f64().unwrap()).sum();
    assert_eq!(rows, c["rows"].as_f64().unwrap());
    let correct: f64 = ws
        .iter()
        .map(|w| w["rows"].as_f64().unwrap() * w["accuracy"].as_f64().unwrap())
        .sum();
    assert!((correct / rows - c["accuracy"].as_f64().unwrap()).abs() < 1e-12);
    // Every window but the last spans one refit's 50 bars; its model is that refit's.
    for w in &ws[..ws.len() - 1] {
        assert_eq!(w["rows"], 50.0);
        assert_eq!(w["fit_bar"], w["from_bar"]);
    }
    // PSI for each of the three features, and trends from the second window on.
    assert_eq!(j["features"].as_array().unwrap().len(), 3);
    assert!(ws[0]["psi"]["rsi(close, 14)"].as_f64().unwrap() >= 0.0);
    assert!(ws[0]["trend"]["accuracy"].is_null());
    assert!(["up", "down", "flat"].contains(&ws[1]["trend"]["accuracy"].as_str().unwrap()));
    assert_eq!(j["window"], "refit");
}

#[test]
fn windows_of_n_scored_bars() {
    let j = monitor(&["--json", "--window", "200"]).json();
    let ws = j["windows"].as_array().unwrap();
    assert!(ws[..ws.len() - 1].iter().all(|w| w["rows"] == 200.0));
    assert_eq!(j["window"], 200);
    // The terminal table has a trend column.
    let r = monitor(&["--window", "200"]);
    assert!(
        r.stdout.contains("trend") && r.stdout.contains("max PSI"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains('↑') || r.stdout.contains('↓') || r.stdout.contains('→'));
}

#[test]
fn thresholds_fail_ci_with_the_window_and_metric() {
    // Accuracy never reaches 0.99: the last window fails.
    let j = monitor(&["--json"]).json();
    let n = j["windows"].as_array().unwrap().len();
    let r = monitor(&["--fail-below", "accuracy=0.99"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("threshold: window {n}: accuracy ")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("is below 0.99"), "{}", r.stderr);
    // The mean of the last 3, and an upper bound on log loss.
    let r = monitor(&[
        "--fail-below",
        "accuracy=0.99",
        "--last",
        "3",
        "--fail-above",
        "log_loss=0.1",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(&format!("the mean of windows {}–{n}: accuracy", n - 2)),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("log_loss") && r.stderr.contains("is above 0.1"),
        "{}",
        r.stderr
    );
    // Thresholds that hold: exit 0.
    assert_eq!(
        monitor(&[
            "--fail-below",
            "accuracy=0.01",
            "--fail-above",
            "log_loss=50"
        ])
        .code,
        0
    );
    // Bad thresholds and arguments: exit 2.
    for bad in [
        vec!["--fail-below", "sharpe=1"],
        vec!["--fail-below", "accuracy"],
        vec!["--window", "0"],
    ] {
        assert_eq!(monitor(&bad).code, 2, "{bad:?}");
    }
    let r = tradelab(&["ml", "monitor", "strategies/sma_cross.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no [model] table"));
}

#[test]
fn the_report_charts_every_metric_and_the_drift() {
    let dir = tempdir();
    let out = dir.path().join("m");
    let r = monitor(&["--report", "html,pdf", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Seven metrics and the PSI chart.
    assert_eq!(assert_svgs_parse(&html), 8);
    assert!(html.contains("accuracy per window, and its rolling mean of 5"));
    assert!(html.contains("PSI of each feature against its window"));
    let (text, _) = pdf_text(&out.join("report.pdf"));
    assert!(text.contains("Model monitor: ml_logistic"));
}
