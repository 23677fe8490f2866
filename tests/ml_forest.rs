//! The random forest: seeded and deterministic at any training size and
//! thread count (a 5,000-row training window included), its
//! hyperparameters as [params] names, and their ranges.

mod common;
use common::*;

fn eval(strategy: &str, data: &str, threads: usize, extra: &[&str]) -> String {
    let mut args = vec![
        "eval",
        "--strategy",
        strategy,
        "--data",
        data,
        "-e",
        "m=model",
    ];
    args.extend(extra);
    tradelab_with_threads(threads, &args).stdout
}

#[test]
fn the_shipped_forest_is_deterministic_and_takes_parameters() {
    let a = eval("strategies/ml_forest.toml", "datasets/GOOG.csv", 1, &[]);
    let b = eval("strategies/ml_forest.toml", "datasets/GOOG.csv", 2, &[]);
    assert!(a == b, "thread counts differ");
    // The depth is a parameter: depth 4 predicts otherwise.
    let c = eval(
        "strategies/ml_forest.toml",
        "datasets/GOOG.csv",
        2,
        &["--set", "depth=4"],
    );
    assert!(a != c);
    let j = tradelab(&["ml", "evaluate", "strategies/ml_forest.toml", "--json"]).json();
    let h = &j["model"]["hyperparameters"];
    assert_eq!(
        (
            h["trees"].as_f64(),
            h["max_depth"].as_f64(),
            h["seed"].as_f64()
        ),
        (Some(50.0), Some(6.0), Some(7.0))
    );
    assert_eq!(j["model"]["kind"], "random_forest");
    // (tests/lookahead.rs checks it for look-ahead.)
}

/// 7,000 synthetic bars, training windows of 5,000 rows: the same bits on
/// 1 and 2 threads and from run to run.
#[test]
fn a_five_thousand_row_window_is_deterministic() {
    let dir = tempdir();
    let data = dir.path().join("s.csv");
    let r = tradelab(&[
        "-q",
        "data",
        "synth",
        "--bars",
        "7000",
        "--seed",
        "3",
        "--spacing",
        "1h",
        "--out",
        data.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = write(
        dir.path(),
        "f.toml",
        "name = \"f\"\n[model]\nkind = \"random_forest\"\nfeatures = [\"rsi(close, 14)\", \"roc(close, 5)\", \"atr(14) / close\"]\nlabel = \"shift(close, -3) > close\"\nhorizon = 3\ntrain_bars = 5000\nretrain_every = 500\ntrees = 20\nmax_depth = 6\n[signals]\nlong_entry = \"model > 0.55\"\nlong_exit = \"model < 0.5\"\n",
    );
    let d = data.to_str().unwrap();
    let a = eval(&s, d, 1, &[]);
    assert_eq!(a, eval(&s, d, 2, &[]));
    assert_eq!(a, eval(&s, d, 2, &[]));
    // The decision tree too (one CART tree on every row: linfa-trees broke
    // ties between equal class weights in hash-map order).
    let t = write(
        dir.path(),
        "t.toml",
        std::fs::read_to_string(&s)
            .unwrap()
            .replace("kind = \"random_forest\"", "kind = \"decision_tree\"")
            .replace("trees = 20\n", ""),
    );
    let b = eval(&t, d, 1, &[]);
    assert_eq!(b, eval(&t, d, 2, &[]));
    assert_ne!(a, b);
    // Predictions exist after the first 5,000-row window.
    let known = a.lines().skip(1).filter(|l| !l.ends_with(',')).count();
    assert!(known > 1500, "{known}");
}

#[test]
fn forest_hyperparameters_are_checked() {
    let dir = tempdir();
    let base = |extra: &str, kind: &str| {
        format!("name = \"f\"\ndata = \"{}\"\n[model]\nkind = \"{kind}\"\nfeatures = [\"rsi(close, 14)\"]\nlabel = \"shift(close, -1) > close\"\ntrain_bars = 100\nretrain_every = 50\n{extra}\n[signals]\nlong_entry = \"model > 0.5\"\nlong_exit = \"model < 0.5\"\n", dataset("GOOG.csv").display())
    };
    for (extra, kind, want) in [
        (
            "trees = 0",
            "random_forest",
            "trees must be an integer from 1 to 10000, got 0",
        ),
        (
            "max_features = -1",
            "random_forest",
            "max_features must be an integer",
        ),
        (
            "seed = 3",
            "logistic",
            "seed does not apply to a logistic model",
        ),
    ] {
        let s = write(dir.path(), "f.toml", base(extra, kind));
        let r = tradelab(&["run", &s]);
        assert_eq!(r.code, 2, "{extra}");
        assert!(r.stderr.contains(want), "{extra}: {}", r.stderr);
    }
}

/// The SVM (linfa-svm, Platt-scaled probabilities): Gaussian and linear
/// kernels, C as a [params] name, the same bits on 1 and 2 threads.
#[test]
fn the_svm_is_deterministic_and_takes_parameters() {
    let dir = tempdir();
    let s = |kernel: u8| {
        write(
            dir.path(),
            &format!("svm{kernel}.toml"),
            format!(
                "name = \"svm\"\ndata = \"{}\"\n[params]\nc = {{ default = 1.0, values = [0.1, 1.0] }}\n[model]\nkind = \"svm\"\nfeatures = [\"rsi(close, 14)\", \"roc(close, 10)\"]\nlabel = \"shift(close, -5) > close\"\nhorizon = 5\ntrain_bars = 300\nretrain_every = 100\nc = \"c\"\nkernel = {kernel}\n[signals]\nlong_entry = \"model > 0.55\"\nlong_exit = \"model < 0.45\"\n",
                dataset("GOOG.csv").display()
            ),
        )
    };
    let (g, l) = (s(1), s(0));
    let d = dataset("GOOG.csv");
    let d = d.to_str().unwrap();
    let a = eval(&g, d, 1, &[]);
    assert_eq!(a, eval(&g, d, 2, &[]));
    assert_ne!(a, eval(&g, d, 2, &["--set", "c=0.1"]));
    assert_ne!(a, eval(&l, d, 2, &[]));
    // Probabilities in [0, 1] from the first fit (bar 305) on.
    let p: Vec<f64> = a
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1)?.parse().ok())
        .collect();
    assert!(p.len() > 1500 && p.iter().all(|v| (0.0..=1.0).contains(v)));
    let j = tradelab(&["ml", "evaluate", &g, "--json"]).json();
    assert_eq!(j["model"]["hyperparameters"]["kernel"], 1.0);
    let bad = write(
        dir.path(),
        "bad.toml",
        std::fs::read_to_string(&g)
            .unwrap()
            .replace("kernel = 1", "kernel = 2"),
    );
    let r = tradelab(&["run", &bad]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("kernel must be an integer from 0 to 1, got 2"),
        "{}",
        r.stderr
    );
}

/// The linear model (linfa-linear least squares) predicts a number label:
/// `model` is the predicted value; `ml evaluate` gives RMSE, MAE, R² and
/// the correlation on the scored bars, recomputed here from the columns.
#[test]
fn the_linear_model_predicts_values() {
    let dir = tempdir();
    let s = write(
        dir.path(),
        "lin.toml",
        format!(
            "name = \"lin\"\ndata = \"{}\"\n[model]\nkind = \"linear\"\nfeatures = [\"roc(close, 5)\", \"roc(close, 20)\"]\nlabel = \"shift(close, -5) / close - 1\"\nhorizon = 5\ntrain_bars = 500\nretrain_every = 50\n[signals]\nlong_entry = \"model > 0.002\"\nlong_exit = \"model < 0\"\n",
            dataset("GOOG.csv").display()
        ),
    );
    let r = tradelab(&["eval", "--strategy", &s, "-e", "m=model", "-e", "y=label"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<(f64, f64)> = r
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((f[1].parse().ok()?, f[2].parse().ok()?))
        })
        .collect();
    // Scored: a prediction, and a label 5 bars ahead inside the data (the
    // last 5 labels are NaN: not written).
    let j = tradelab(&["ml", "evaluate", &s, "--json"]).json();
    let reg = &j["model"]["regression"];
    assert_eq!(reg["rows"].as_u64(), Some(rows.len() as u64));
    let n = rows.len() as f64;
    let rmse = (rows.iter().map(|(m, y)| (m - y).powi(2)).sum::<f64>() / n).sqrt();
    assert!((reg["rmse"].as_f64().unwrap() - rmse).abs() < 1e-12);
    assert!(j["model"]["classification"].is_null());
    // Classifier commands refuse it; a condition label is refused.
    assert_eq!(tradelab(&["ml", "monitor", &s]).code, 2);
    assert_eq!(tradelab(&["ml", "compare", &s, &s]).code, 2);
    let bad = write(
        dir.path(),
        "bad.toml",
        std::fs::read_to_string(&s)
            .unwrap()
            .replace("shift(close, -5) / close - 1", "shift(close, -5) > close"),
    );
    let r = tradelab(&["run", &bad]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("a linear model's label is a number to predict"),
        "{}",
        r.stderr
    );
}
