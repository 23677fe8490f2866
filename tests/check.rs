//! `tradelab check`: the regression gate end to end in a temp folder.

mod common;
use common::*;

use std::path::Path;

/// A suite of two cases over copies of sma_cross and GOOG/BTCUSD, with baselines made.
fn setup(dir: &Path) {
    std::fs::create_dir_all(dir.join("s")).unwrap();
    std::fs::create_dir_all(dir.join("d")).unwrap();
    let text = std::fs::read_to_string(root().join("strategies/sma_cross.toml")).unwrap();
    write(&dir.join("s"), "sma.toml", text);
    std::fs::copy(dataset("GOOG.csv"), dir.join("d/GOOG.csv")).unwrap();
    std::fs::copy(dataset("BTCUSD.csv"), dir.join("d/BTCUSD.csv")).unwrap();
    write(
        dir,
        "suite.toml",
        "[[case]]\nname = \"goog\"\nstrategy = \"s/sma.toml\"\ndata = \"d/GOOG.csv\"\n\n\
         [[case]]\nname = \"btc\"\nstrategy = \"s/sma.toml\"\ndata = \"d/BTCUSD.csv\"\nparams = { fast = 5, slow = 10 }\n\
         metrics = [\"total_return\", \"trades\"]\n",
    );
}

#[test]
fn missing_baselines_then_update_then_pass() {
    let dir = tempdir();
    setup(dir.path());
    let r = tradelab_in(dir.path(), &["check", "suite.toml"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("no baseline at baselines/goog.json: run 'tradelab check suite.toml --update' to create it"), "{}", r.stdout);
    assert!(r.stdout.contains("2 cases, 0 passed, 2 failed"));
    let r = tradelab_in(dir.path(), &["check", "suite.toml", "--update"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("created"));
    assert_eq!(
        files_in(&dir.path().join("baselines")),
        vec!["btc.json", "goog.json"]
    );
    let r = tradelab_in(dir.path(), &["check", "suite.toml", "--junit", "junit.xml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("2 cases, 2 passed, 0 failed"));
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert!(xml.contains(
        "<testsuite name=\"tradelab check suite.toml\" tests=\"2\" failures=\"0\" errors=\"0\">"
    ));
    assert!(xml.contains("<testcase classname=\"suite.toml\" name=\"goog\"/>"));
}

#[test]
fn a_changed_strategy_fails_with_the_moved_metrics_named() {
    let dir = tempdir();
    setup(dir.path());
    assert_eq!(
        tradelab_in(dir.path(), &["-q", "check", "suite.toml", "--update"]).code,
        0
    );
    // Change the default slow SMA from 20 to 30 in the strategy file.
    let p = dir.path().join("s/sma.toml");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("slow = { default = 20", "slow = { default = 30");
    std::fs::write(&p, text).unwrap();
    let r = tradelab_in(
        dir.path(),
        &["check", "suite.toml", "--junit", "junit.xml", "--json"],
    );
    assert_eq!(r.code, 1);
    let j = r.json();
    assert_eq!(j["passed"], false);
    assert_eq!(j["failed"], 1);
    let goog = &j["cases"][0];
    assert_eq!(goog["name"], "goog");
    assert_eq!(goog["passed"], false);
    let moved: Vec<&str> = goog["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["ok"] == false)
        .map(|m| m["metric"].as_str().unwrap())
        .collect();
    assert!(
        moved.contains(&"trades") && moved.contains(&"sharpe"),
        "{moved:?}"
    );
    // btc pins fast/slow in the suite, so it is unaffected.
    assert_eq!(j["cases"][1]["passed"], true);
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert!(xml.contains("failures=\"1\""));
    assert!(
        xml.contains("<failure message=\"")
            && xml.contains("metric(s) moved: total_return, annual_return, sharpe"),
        "{xml}"
    );
    assert!(xml.contains("trades: baseline 47 now "), "{xml}");
    // After a deliberate change, --update makes the suite pass again.
    let r = tradelab_in(dir.path(), &["check", "suite.toml", "--update"]);
    assert!(r.stdout.contains("updated: total_return"), "{}", r.stdout);
    assert!(r.stdout.contains("unchanged"));
    assert_eq!(
        tradelab_in(dir.path(), &["-q", "check", "suite.toml"]).code,
        0
    );
}

#[test]
fn a_changed_dataset_says_so_first() {
    let dir = tempdir();
    setup(dir.path());
    assert_eq!(
        tradelab_in(dir.path(), &["-q", "check", "suite.toml", "--update"]).code,
        0
    );
    // Drop the last bar of BTCUSD.
    let p = dir.path().join("d/BTCUSD.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&p, lines[..lines.len() - 1].join("\n") + "\n").unwrap();
    let r = tradelab_in(
        dir.path(),
        &["check", "suite.toml", "--case", "btc", "--json"],
    );
    assert_eq!(r.code, 1);
    let j = r.json();
    assert_eq!(j["cases"].as_array().unwrap().len(), 1);
    let problem = j["cases"][0]["problems"][0].as_str().unwrap();
    assert!(
        problem.starts_with("the data file changed: d/BTCUSD.csv has sha256 "),
        "{problem}"
    );
}

#[test]
fn identical_output_with_one_or_two_jobs() {
    let dir = tempdir();
    setup(dir.path());
    assert_eq!(
        tradelab_in(dir.path(), &["-q", "check", "suite.toml", "--update"]).code,
        0
    );
    let a = tradelab_in(
        dir.path(),
        &["check", "suite.toml", "--json", "--jobs", "1"],
    );
    let b = tradelab_in(
        dir.path(),
        &["check", "suite.toml", "--json", "--jobs", "2"],
    );
    assert_eq!(a.code, 0);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn bad_suites() {
    let dir = tempdir();
    setup(dir.path());
    let cases = [
        ("[[case]]\nname = \"x\"\nstrategy = \"s/sma.toml\"\ndata = \"d/GOOG.csv\"\nmetrics = [\"sharp\"]\n", "error: bad.toml:2:8: case 'x': unknown metric 'sharp'"),
        ("[[case]]\nname = \"x\"\nstrategy = \"s/sma.toml\"\ndata = \"d/GOOG.csv\"\nparams = { fast = 3 }\n", "error: bad.toml: case 'x': fast = 3 is outside its range 5..50"),
        ("[[case]]\nname = \"x\"\nstrategy = \"s/sma.toml\"\ndata = \"d/GOOG.csv\"\nexecution = { comission = 0.1 }\n", "error: bad.toml: case 'x': execution: unknown field `comission`, expected one of `cash`, `commission`, `commission_fixed`, `slippage_bps`, `fill`, `size`, `size_cash`, `size_units`, `whole_units`, `stop_loss`, `take_profit`, `trailing_stop`, `close_at_end`, `max_positions`"),
        ("[[case]]\nname = \"x\"\nstrategy = \"s/none.toml\"\ndata = \"d/GOOG.csv\"\n", "error: s/none.toml: cannot read: no such file"),
        ("[[case]]\nname = \"x\"\nstrategy = \"s/sma.toml\"\n", "error: bad.toml:1:1: missing field `data`"),
        ("title = \"x\"\n", "error: bad.toml:1:1: unknown field `title`, expected `baselines` or `case`"),
    ];
    for (text, msg) in cases {
        write(dir.path(), "bad.toml", text);
        let r = tradelab_in(dir.path(), &["check", "bad.toml"]);
        assert_eq!(
            (r.code, r.stderr.lines().next().unwrap_or("")),
            (2, msg),
            "{text}"
        );
    }
    let r = tradelab_in(dir.path(), &["check", "suite.toml", "--case", "nope"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (2, "error: no case named 'nope' in suite.toml")
    );
}

#[test]
fn the_shipped_regression_suite_passes() {
    let r = tradelab(&["check", "tests/regression.toml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // 17 cases before the two ML strategies, + 2 × (GOOG, EURUSD), + the
    // four portfolio strategies on the 20-stock panel, + the two entry-order
    // strategies on GOOG and EURUSD.
    assert!(r.stdout.contains("33 cases, 33 passed, 0 failed"));
}

/// `[case.model]`: thresholds on a model strategy's latest windows, as
/// `ml monitor --fail-below` has them; a breach fails the case, naming the
/// window and the metric.
#[test]
fn model_cases_gate_the_models_quality() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join("s")).unwrap();
    let text = std::fs::read_to_string(root().join("strategies/ml_logistic.toml"))
        .unwrap()
        .replace(
            "../datasets/GOOG.csv",
            dataset("GOOG.csv").to_str().unwrap(),
        );
    write(&d.join("s"), "ml.toml", text);
    let suite = |gate: &str| {
        write(
            d,
            "suite.toml",
            format!(
                "[[case]]\nname = \"ml\"\nstrategy = \"s/ml.toml\"\ndata = \"{}\"\n[case.model]\n{gate}\n",
                dataset("GOOG.csv").display()
            ),
        );
    };
    suite("fail_below = { accuracy = 0.01, roc_auc = 0.01 }\nfail_above = { log_loss = 50 }\nlast = 3");
    assert_eq!(
        tradelab_in(d, &["-q", "check", "suite.toml", "--update"]).code,
        0
    );
    let r = tradelab_in(d, &["check", "suite.toml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // A bar no model reaches: the case fails on the mean of the last 3 of
    // its 32 windows (GOOG: 32 refits).
    suite("fail_below = { accuracy = 0.99 }\nlast = 3");
    let r = tradelab_in(d, &["check", "suite.toml"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("model: the mean of windows 30–32: accuracy"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("is below 0.99"), "{}", r.stdout);
    // Unknown metrics are refused with the case named.
    suite("fail_below = { sharpe = 1 }");
    let r = tradelab_in(d, &["check", "suite.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("case 'ml': [case.model] 'sharpe' is not a window metric"),
        "{}",
        r.stderr
    );
}
