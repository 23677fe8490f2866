//! ML signals: `[model]` strategies, the `model` column, `ml evaluate`,
//! `ml compare`, the no-leakage guarantee and bad `[model]` tables.

mod common;
use common::*;

use std::collections::HashMap;
use std::sync::Arc;

use tradelab::data::Candles;
use tradelab::indicators::Bars;
use tradelab::ml::train::{predict, Schedule};
use tradelab::strategy::{ColumnCache, Evaluator, Strategy};

fn load(strategy: &str, data: &str) -> (Strategy, Candles) {
    let s = tradelab::pipeline::load(&root().join("strategies").join(strategy)).unwrap();
    let (c, _) = tradelab::data::load(&dataset(data)).unwrap();
    (s, c)
}

fn model(s: &Strategy, c: &Candles) -> Vec<f64> {
    let m = tradelab::ml::run(s, &s.defaults(), c, &ColumnCache::default())
        .unwrap()
        .unwrap();
    m.prob.to_vec()
}

/// The model column up to bar t is bit for bit the same when the data ends
/// at t: every fit used only labels known before the bar it predicts.
#[test]
fn no_leakage_when_the_data_is_cut() {
    for (strategy, data) in [
        ("ml_logistic.toml", "GOOG.csv"),
        ("ml_tree.toml", "GOOG.csv"),
        ("ml_tree.toml", "EURUSD.csv"),
    ] {
        let (s, c) = load(strategy, data);
        let full = model(&s, &c);
        // The first fit on GOOG is at bar 554 (50-bar warm-up of
        // sma(close, 50) counted from 0: first valid row 49 + horizon 5 +
        // 500 training rows); cut before, at, and well after it.
        for t in [300, 553, 554, 555, 603, 604, 1000, 1377, 2000] {
            let cut = model(&s, &c.slice(0, t + 1));
            for i in 0..=t {
                assert!(
                    full[i].to_bits() == cut[i].to_bits(),
                    "{strategy} on {data}: bar {i} differs when the data ends at {t}: {} vs {}",
                    full[i],
                    cut[i]
                );
            }
        }
        assert!(
            full[..554].iter().all(|p| p.is_nan()),
            "{strategy}: NaN before the first fit"
        );
        assert!(full[554..].iter().any(|p| p.is_finite()));
    }
}

/// A model trained without the purge (horizon 0 for a label that reads 5
/// bars ahead) leaks, and `lookahead` catches it on the `model` column.
#[test]
fn an_unpurged_model_is_caught_by_the_lookahead_check() {
    let (s, c) = load("ml_logistic.toml", "GOOG.csv");
    let params = s.defaults();
    let spec = tradelab::ml::spec::of(&s).unwrap().clone();
    let leaky = |c: &Candles| -> HashMap<String, Arc<Vec<f64>>> {
        let cm = spec.compile(&params, &s.source).unwrap();
        let cache = ColumnCache::default();
        let ev = Evaluator::new(Bars::of(c), &c.ts, &cache);
        let mut ids = cm.features.clone();
        ids.push(cm.label);
        let cols: Vec<Vec<f64>> = ev
            .eval(&cm.plan, &ids)
            .into_iter()
            .map(|v| v.to_column(c.len()).to_vec())
            .collect();
        let feats: Vec<&[f64]> = cols[..3].iter().map(Vec::as_slice).collect();
        let unpurged = Schedule {
            horizon: 0,
            train_bars: 500,
            retrain_every: 50,
        };
        let p = predict(&feats, &cols[3], None, &unpurged, &cm.config).unwrap();
        HashMap::from([("model".to_string(), Arc::new(p.prob))])
    };
    let found = tradelab::lookahead::check(&s, &params, &c, 20, &leaky)
        .unwrap()
        .expect("a leak is found");
    assert_eq!(found.what, "model");
    // The purged model (the default path) passes on the same cuts.
    let clean = tradelab::lookahead::check(&s, &params, &c, 20, &|_| HashMap::new()).unwrap();
    assert_eq!(clean, None);
}

#[test]
fn eval_exports_the_model_column() {
    let r = tradelab(&[
        "eval",
        "--strategy",
        "strategies/ml_logistic.toml",
        "-e",
        "m=model",
        "-e",
        "up=model > 0.5",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (names, cols) = numeric_columns(&r.stdout);
    assert_eq!(names, vec!["timestamp", "m", "up"]);
    let (m, up) = (&cols[1], &cols[2]);
    assert_eq!(m.len(), 2148);
    // Empty (NaN) until the first fit at bar 554, then probabilities.
    assert!(m[..554].iter().all(|v| v.is_nan()));
    assert!(m[554..].iter().all(|v| (0.0..=1.0).contains(v)));
    for i in 554..2148 {
        assert_eq!(up[i], f64::from(u8::from(m[i] > 0.5)));
    }
    // Without -e, the signals and the model column.
    let r = tradelab(&["eval", "--strategy", "strategies/ml_tree.toml"]);
    assert_eq!(
        r.stdout.lines().next(),
        Some("timestamp,long_entry,long_exit,model")
    );
}

/// A label that is a function of the features is learned: the label is
/// "today's 1-bar return is positive" and the feature is that return.
#[test]
fn a_known_function_is_learned_to_the_expected_accuracy() {
    let dir = tempdir();
    let goog = dataset("GOOG.csv");
    for (kind, floor) in [
        ("logistic", 0.97),
        ("decision_tree", 0.99),
        ("naive_bayes", 0.9),
    ] {
        write(
            dir.path(),
            "known.toml",
            format!(
                "name = \"known\"\ndata = \"{}\"\n[model]\nkind = \"{kind}\"\nfeatures = [\"roc(close, 1)\"]\n\
                 label = \"roc(close, 1) > 0\"\ntrain_bars = 250\nretrain_every = 100\n\
                 [signals]\nlong_entry = \"model > 0.5\"\nlong_exit = \"model < 0.5\"\n",
                goog.display()
            ),
        );
        let r = tradelab_in(dir.path(), &["ml", "evaluate", "known.toml", "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let j = r.json();
        let c = &j["model"]["classification"];
        // Horizon 0 (the label reads nothing ahead): first fit at bar
        // 1 + 250 = 251, so 2148 − 251 = 1897 bars are scored.
        assert_eq!(j["model"]["horizon"], 0);
        assert_eq!(c["rows"], 1897);
        let acc = c["accuracy"].as_f64().unwrap();
        assert!(acc >= floor, "{kind}: accuracy {acc}");
        assert!(c["roc_auc"].as_f64().unwrap() > 0.97, "{kind}");
        // The trading metrics of the strategy that uses the model.
        assert!(j["metrics"]["trades"].as_f64().unwrap() > 100.0);
    }
}

#[test]
fn evaluate_and_compare() {
    let r = tradelab(&["ml", "evaluate", "strategies/ml_logistic.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("ml_logistic on datasets/GOOG.csv: logistic model, label 5 bars ahead, trained on 500 bars, refitted every 50 (32 fits); predictions from 2006-10-30T00:00:00Z"), "{}", r.stdout);
    for word in [
        "accuracy",
        "roc_auc",
        "log_loss",
        "sharpe",
        "confusion matrix",
    ] {
        assert!(r.stdout.contains(word), "{word}");
    }
    let j = tradelab(&["ml", "evaluate", "strategies/ml_logistic.toml", "--json"]).json();
    let c = &j["model"]["classification"];
    // 2148 bars − first fit at 554 − 5 last bars without a known label.
    assert_eq!(c["rows"], 1589);
    let n = [
        "true_positives",
        "false_positives",
        "true_negatives",
        "false_negatives",
    ]
    .map(|k| c[k].as_u64().unwrap());
    assert_eq!(n.iter().sum::<u64>(), 1589);
    let acc = (n[0] + n[2]) as f64 / 1589.0;
    assert_eq!(c["accuracy"].as_f64().unwrap(), acc);

    let r = tradelab(&[
        "ml",
        "compare",
        "strategies/ml_logistic.toml",
        "strategies/ml_tree.toml",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 18);
    // Both on the same bars: GOOG from bar 554 (both have a 50-bar warm-up
    // and the same schedule).
    assert_eq!(rows[0]["metric"], "rows");
    assert_eq!(rows[0]["a"], 1589.0);
    assert_eq!(rows[0]["b"], 1589.0);
    for row in rows {
        let (a, b) = (row["a"].as_f64(), row["b"].as_f64());
        let higher = !matches!(row["metric"].as_str(), Some("log_loss"));
        let expected = match (row["metric"].as_str().unwrap(), a, b) {
            ("rows" | "base_rate" | "trades" | "exposure", _, _) => serde_json::Value::Null,
            (_, Some(a), Some(b)) if a == b => "tie".into(),
            (_, Some(a), Some(b)) => (if (a > b) == higher { "a" } else { "b" }).into(),
            _ => serde_json::Value::Null,
        };
        assert_eq!(row["better"], expected, "{row}");
    }
    let r = tradelab(&["ml", "evaluate", "strategies/sma_cross.toml"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (
            2,
            "error: strategies/sma_cross.toml: the strategy has no [model] table"
        )
    );
}

#[test]
fn model_strategies_report_and_stay_deterministic() {
    let dir = tempdir();
    let out = dir.path().join("rep");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/ml_tree.toml",
        "--data",
        "datasets/EURUSD.csv",
        "--report",
        "json,html,pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(
        assert_svgs_parse(&html),
        14,
        "12 charts of a run report (tests/report.rs) + calibration + prediction"
    );
    let (text, _) = pdf_text(&out.join("report.pdf"));
    for needle in [
        "Model",
        "ROC AUC",
        "log loss",
        "confusion matrix",
        "Calibration",
        "Prediction over time",
    ] {
        assert!(text.contains(needle), "the PDF lacks {needle:?}");
    }
    // One and two threads, two processes: the same JSON.
    let json = |threads| {
        tradelab_with_threads(threads, &["run", "strategies/ml_tree.toml", "--json"]).stdout
    };
    let one = json(1);
    assert!(one == json(2) && one == json(2), "run --json differs");
}

#[test]
fn bad_model_tables() {
    let dir = tempdir();
    let goog = dataset("GOOG.csv");
    let check = |model: &str, expected: &str| {
        write(
            dir.path(),
            "m.toml",
            format!(
                "name = \"m\"\ndata = \"{}\"\n[params]\ndepth = {{ default = 3, min = 1, max = 5 }}\n[model]\n{model}\n[signals]\nlong_entry = \"model > 0.5\"\n",
                goog.display()
            ),
        );
        let r = tradelab_in(dir.path(), &["run", "m.toml"]);
        assert_eq!(r.code, 2, "{model}: {}", r.stdout);
        assert_eq!(r.stderr.lines().next().unwrap(), expected, "{model}");
    };
    let base = "features = [\"rsi(close, 14)\"]\nlabel = \"shift(close, -5) > close\"\ntrain_bars = 100\nretrain_every = 10";
    check(
        &format!("kind = \"xgboost\"\n{base}"),
        "error: m.toml:6:8: unknown model kind 'xgboost': expected logistic, decision_tree, naive_bayes, random_forest or svm",
    );
    check(
        &format!("kind = \"logistic\"\n{base}\nhorizon = 2"),
        "error: m.toml:8:10: the label reads 5 bars ahead but horizon is 2: training rows would use prices not yet known",
    );
    check(
        "kind = \"logistic\"\nfeatures = [\"rsi(close, 14)\"]\nlabel = \"shift(close, -5) - close\"\ntrain_bars = 100\nretrain_every = 10",
        "error: m.toml:8:10: the label must be a condition, e.g. 'shift(close, -5) > close'",
    );
    check(
        "kind = \"logistic\"\nfeatures = [\"shift(close, -1)\"]\nlabel = \"close > open\"\ntrain_bars = 100\nretrain_every = 10",
        "error: m.toml:7:27: shift by -1 would read the future: 'n' must be 0 or more",
    );
    check(
        &format!("kind = \"logistic\"\n{base}\nmax_depth = 3"),
        "error: m.toml:11:13: max_depth does not apply to a logistic model (it takes: alpha, max_iterations)",
    );
    check(
        &format!("kind = \"decision_tree\"\n{base}\nmax_depth = \"depht\""),
        "error: m.toml:11:13: max_depth = 'depht' names no parameter; did you mean 'depth'?",
    );
    check(
        &format!("kind = \"decision_tree\"\n{base}\nmax_depth = 0"),
        "error: m.toml:11:13: max_depth must be an integer from 1 to 64, got 0",
    );
    check(
        "kind = \"logistic\"\nfeatures = []\nlabel = \"close > open\"\ntrain_bars = 100\nretrain_every = 10",
        "error: m.toml:7:12: features needs at least one expression",
    );
    check(
        "kind = \"logistic\"\nfeatures = [\"rsi(close, 14)\"]\nlabel = \"close > open\"\ntrain_bars = 5\nretrain_every = 10",
        "error: m.toml:9:14: train_bars must be at least 20, got 5",
    );
    check(
        &format!("kind = \"logistic\"\n{base}\nepochs = 3"),
        "error: m.toml:11:1: unknown field `epochs`, expected one of `kind`, `features`, `label`, `horizon`, `train_bars`, `retrain_every`, `alpha`, `max_iterations`, `max_depth`, `min_samples_split`, `var_smoothing`, `trees`, `max_features`, `seed`, `c`, `kernel`, `gamma`",
    );
    // A negative shift in a signal is still refused.
    write(
        dir.path(),
        "s.toml",
        "name = \"s\"\n[signals]\nlong_entry = \"shift(close, -1) > close\"\n",
    );
    let r = tradelab_in(
        dir.path(),
        &[
            "eval",
            "--strategy",
            "s.toml",
            "--data",
            goog.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: s.toml:3:28: shift by -1 would read the future"),
        "{}",
        r.stderr
    );
}

/// Too little data for one fit: the model column stays empty and both
/// `run` and `ml evaluate` say why instead of silently trading nothing.
#[test]
fn a_model_that_never_trains_is_reported() {
    let dir = tempdir();
    let text = std::fs::read_to_string(root().join("strategies/ml_tree.toml"))
        .unwrap()
        .replace("train_bars = 500", "train_bars = 5000")
        .replace(
            "../datasets/GOOG.csv",
            dataset("GOOG.csv").to_str().unwrap(),
        );
    write(dir.path(), "big.toml", text);
    // sma(close, 50) is defined from bar 49; 49 + 5 + 5000 = 5054 > 2148 bars.
    let why = "the model was never fitted: the first fit needs bar 5054 (features from bar 49 + horizon 5 + train_bars 5000), and the data has 2148 bars";
    let r = tradelab_in(dir.path(), &["run", "big.toml"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains(&format!(
            "warning: ml_tree on {}: {why}",
            dataset("GOOG.csv").display()
        )),
        "{}",
        r.stderr
    );
    let r = tradelab_in(dir.path(), &["ml", "evaluate", "big.toml"]);
    assert_eq!(
        r.stdout.lines().last(),
        Some(format!("warning: {why}").as_str())
    );
    let j = tradelab_in(dir.path(), &["ml", "evaluate", "big.toml", "--json"]).json();
    assert_eq!(j["model"]["fits"], 0);
    assert_eq!(j["model"]["classification"], serde_json::Value::Null);
}

/// The model column is memoized per dataset by the resolved model: a sweep
/// over a parameter the model does not read (`enter`) fits the tree once;
/// one that changes `max_depth` fits it again.
#[test]
fn a_sweep_over_signal_parameters_fits_the_model_once() {
    let (s, c) = load("ml_tree.toml", "GOOG.csv");
    let cache = ColumnCache::default();
    let mut params = s.defaults();
    let mut finals = Vec::new();
    for enter in [0.5, 0.55, 0.6, 0.65] {
        params.insert("enter".into(), enter);
        let out = tradelab::backtest::run(&s, &params, &s.execution, &c, &cache).unwrap();
        finals.push(out.metrics["final_equity"]);
    }
    assert_eq!(cache.memo.made(), 1, "four trials, one fit");
    // The memoized column is the column a fresh fit gives.
    let fresh =
        tradelab::backtest::run(&s, &params, &s.execution, &c, &ColumnCache::default()).unwrap();
    assert_eq!(fresh.metrics["final_equity"], finals[3]);
    params.insert("depth".into(), 4.0);
    tradelab::backtest::run(&s, &params, &s.execution, &c, &cache).unwrap();
    assert_eq!(cache.memo.made(), 2, "a new max_depth is a new model");
}
