//! `tradelab ml compare A B`: the A/B verdict, McNemar's and DeLong's tests
//! and the Sharpe difference's bootstrap interval (the statistics
//! themselves are checked against scipy/numpy in src/ml/abtest.rs).

mod common;
use common::*;

fn compare(a: &str, b: &str, extra: &[&str]) -> Run {
    let mut args = vec!["ml", "compare", a, b];
    args.extend(extra);
    tradelab(&args)
}

#[test]
fn a_model_against_itself_is_no_different() {
    let r = compare(
        "strategies/ml_logistic.toml",
        "strategies/ml_logistic.toml",
        &["--json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = &r.json()["tests"];
    assert_eq!(
        (t["mcnemar"]["b"].as_u64(), t["mcnemar"]["c"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(t["mcnemar"]["p_value"], 1.0);
    assert_eq!(t["delong"]["z"], 0.0);
    assert_eq!(t["delong"]["p_value"], 1.0);
    assert_eq!(t["sharpe"]["difference"], 0.0);
    assert_eq!(
        (t["sharpe"]["low"].as_f64(), t["sharpe"]["high"].as_f64()),
        (Some(0.0), Some(0.0))
    );
    let text = compare(
        "strategies/ml_logistic.toml",
        "strategies/ml_logistic.toml",
        &[],
    )
    .stdout;
    assert!(text.contains("At alpha = 0.05:"));
    assert!(text.contains("no significant difference in accuracy (p = 1.000; McNemar, 0 bars only A is right, 0 only B)"), "{text}");
    assert!(text.contains("no significant difference in ROC AUC"));
    assert!(text.contains("not significant"));
}

/// Same label, another feature set: McNemar's b − c is the difference of
/// the correct counts, i.e. rows × (accuracy A − accuracy B) on the common
/// bars; DeLong's AUCs are the compared ROC AUCs.
#[test]
fn mcnemar_counts_the_disagreements() {
    let dir = tempdir();
    let text = std::fs::read_to_string(root().join("strategies/ml_logistic.toml"))
        .unwrap()
        .replace("data = \"../datasets/GOOG.csv\"", &format!("data = \"{}\"", dataset("GOOG.csv").display()))
        .replace(
            "features = [\"rsi(close, 14)\", \"roc(close, 10)\", \"(close - sma(close, 50)) / atr(14)\"]",
            "features = [\"rsi(close, 7)\", \"roc(close, 20)\"]",
        );
    let b = write(dir.path(), "b.toml", text);
    let r = compare(
        "strategies/ml_logistic.toml",
        &b,
        &["--json", "--alpha", "0.1", "--seed", "3"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let t = &j["tests"];
    let row = |m: &str| {
        j["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["metric"] == m)
            .unwrap()
            .clone()
    };
    let rows = row("rows")["a"].as_f64().unwrap();
    assert_eq!(t["rows"].as_f64(), Some(rows));
    let (acc_a, acc_b) = (
        row("accuracy")["a"].as_f64().unwrap(),
        row("accuracy")["b"].as_f64().unwrap(),
    );
    let (bb, cc) = (
        t["mcnemar"]["b"].as_f64().unwrap(),
        t["mcnemar"]["c"].as_f64().unwrap(),
    );
    // classify counts p > 0.5 as true, McNemar p ≥ 0.5: no probability is exactly 0.5 here.
    assert!(
        ((acc_a - acc_b) * rows - (bb - cc)).abs() < 1e-6,
        "{acc_a} {acc_b} {rows} {bb} {cc}"
    );
    assert!(
        (t["delong"]["auc_a"].as_f64().unwrap() - row("roc_auc")["a"].as_f64().unwrap()).abs()
            < 1e-12
    );
    assert!(
        (t["delong"]["auc_b"].as_f64().unwrap() - row("roc_auc")["b"].as_f64().unwrap()).abs()
            < 1e-12
    );
    assert_eq!(t["alpha"], 0.1);
    assert_eq!(t["sharpe"]["confidence"], 0.9);
    assert_eq!(t["sharpe"]["seed"], 3);
    assert_eq!(t["verdicts"].as_array().unwrap().len(), 3);
    // Bad settings.
    assert_eq!(
        compare("strategies/ml_logistic.toml", &b, &["--alpha", "1.5"]).code,
        2
    );
    assert_eq!(
        compare("strategies/ml_logistic.toml", &b, &["--resamples", "10"]).code,
        2
    );
}
