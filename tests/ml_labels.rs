//! Triple-barrier labels and meta-labeling: hand-worked label columns
//! (`tradelab eval --strategy S -e y=label`), labels used where they must
//! not be, and the shipped meta-labeling strategy.

mod common;
use common::*;

/// Ten daily bars; closes 100, 103, 106, 94, 95, 96, 96, 96, 96, 96 and
/// highs/lows at the close but bar 7 (high 106, low 90, both barriers).
fn bars() -> String {
    let c = [
        100.0, 103.0, 106.0, 94.0, 95.0, 96.0, 96.0, 96.0, 96.0, 96.0,
    ];
    let mut s = String::from("date,open,high,low,close,volume\n");
    for (i, c) in c.iter().enumerate() {
        let (h, l) = if i == 7 { (106.0, 90.0) } else { (*c, *c) };
        s.push_str(&format!("2024-01-{:02},{c},{h},{l},{c},100\n", i + 1));
    }
    s
}

fn strategy(label: &str, horizon: usize) -> String {
    format!(
        "name = \"tb\"\n[model]\nkind = \"logistic\"\nfeatures = [\"close\"]\nlabel = \"{label}\"\nhorizon = {horizon}\ntrain_bars = 20\nretrain_every = 1\n[signals]\nlong_entry = \"model > 0.5\"\nlong_exit = \"model < 0.5\"\n"
    )
}

fn label(dir: &std::path::Path, label_expr: &str, horizon: usize) -> Vec<String> {
    let data = write(dir, "d.csv", bars());
    let s = write(dir, "s.toml", strategy(label_expr, horizon));
    let r = tradelab(&["eval", "--strategy", &s, "--data", &data, "-e", "y=label"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect()
}

#[test]
fn barriers_by_hand() {
    let dir = tempdir();
    // ±5 % on closes within 3 bars: from 100, 106 (+6 %) at k = 2 → 1;
    // from 103, 94 (−8.7 %) at k = 2 → 0; from 106, 94 at k = 1 → 0; from
    // 94: 95, 96, 96 stay within ±5 % for 3 bars → 0; 95 and 96 likewise;
    // the last three bars (7, 8, 9) have fewer than 3 bars after them and
    // touch nothing: NaN (empty).
    let v = label(dir.path(), "triple_barrier(0.05, 0.05, 3)", 3);
    assert_eq!(v, ["1", "0", "0", "0", "0", "0", "0", "", "", ""]);
    // With "sign": untouched labels take the close's direction after 3
    // bars: 94 → 96 up (1), 95 → 96 (1), 96 → 96 not up (0), 96 → 96 (0).
    let v = label(dir.path(), "triple_barrier(0.05, 0.05, 3, 'sign')", 3);
    assert_eq!(v[3..7], ["1", "1", "0", "0"]);
    // With highs and lows, bar 7 reaches both barriers from 95 (high 106:
    // +11.6 %, low 90: −5.3 %); both in one bar count as the lower one. From
    // bar 4 (95), with "sign": on closes nothing is touched by bar 7 and 96 >
    // 95 gives 1; on highs and lows bar 7 touches both: 0. From 94 (bar 3)
    // the horizon ends at bar 6 untouched either way: 96 > 94, 1.
    let v = label(dir.path(), "triple_barrier(0.05, 0.05, 3, 'sign', 'hl')", 3);
    assert_eq!(v[3..5], ["1", "0"]);
    let v = label(
        dir.path(),
        "triple_barrier(0.05, 0.05, 3, 'sign', 'close')",
        3,
    );
    assert_eq!(v[3..5], ["1", "1"]);
    // The options in any order: 'hl' fourth, 'sign' fifth, as above.
    let w = label(dir.path(), "triple_barrier(0.05, 0.05, 3, 'hl', 'sign')", 3);
    assert_eq!(w[3..5], ["1", "0"]);
    // A barrier width that is an expression, read at t: 2 % + 0 × close.
    let v = label(dir.path(), "triple_barrier(0.02 + 0 * close, 0.2, 1)", 1);
    assert_eq!(v[0..3], ["1", "1", "0"]);
    // only(): the label where the condition holds, unknown elsewhere.
    let v = label(
        dir.path(),
        "only(close > 100, triple_barrier(0.05, 0.05, 3))",
        3,
    );
    assert_eq!(v[..4], ["", "0", "0", ""]);
}

#[test]
fn labels_only_in_labels_and_horizons_that_cover_them() {
    let dir = tempdir();
    let data = write(dir.path(), "d.csv", bars());
    let cases = [
        (
            "name = \"x\"\n[signals]\nlong_entry = \"triple_barrier(0.05, 0.05, 3)\"\nlong_exit = \"close < 0\"\n".to_string(),
            "triple_barrier reads the bars after t: only a [model]'s label may use it",
        ),
        (
            "name = \"x\"\n[signals]\nlong_entry = \"only(close > 1, close > 2)\"\nlong_exit = \"close < 0\"\n".to_string(),
            "only a [model]'s label may use it",
        ),
        (strategy("triple_barrier(0.05, 0.05, 20)", 5), "the label reads 20 bars ahead but horizon is 5"),
        (strategy("triple_barrier(0.05, 0.05, 3, 'up')", 3), "triple_barrier's options are"),
        (strategy("triple_barrier(0.05, 0.05, 3, 'sign', 'zero')", 3), "triple_barrier takes one of"),
        (strategy("triple_barrier(0.05, 0.05)", 3), "triple_barrier takes 3 to 6 arguments"),
    ];
    for (toml, want) in cases {
        let s = write(dir.path(), "s.toml", toml);
        let r = tradelab(&["run", &s, "--data", &data]);
        assert_eq!(r.code, 2, "{want}");
        assert!(
            r.stderr.contains(want.replace("\\\"", "\"").as_str()),
            "{want}: {}",
            r.stderr
        );
    }
}

/// The shipped meta-labeling strategy: its model trains and is scored only
/// on the bars where the primary signal fires (elsewhere the label is
/// unknown), and it never looks ahead.
#[test]
fn meta_labeling_trains_on_the_primary_signal_only() {
    let r = tradelab(&[
        "eval",
        "--strategy",
        "strategies/ml_meta_label.toml",
        "-e",
        "y=label",
        "-e",
        "p=close > sma(close, 100) and rsi(close, 5) < 40",
        "-e",
        "m=model",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<Vec<String>> = r
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    // The label is known exactly where the primary fires (and is resolved).
    assert!(rows.iter().all(|c| c[1].is_empty() || c[2] == "1"));
    let n = rows.len();
    let scored = rows
        .iter()
        .enumerate()
        .filter(|(t, c)| !c[1].is_empty() && !c[3].is_empty() && t + 20 < n)
        .count();
    let j = tradelab(&["ml", "evaluate", "strategies/ml_meta_label.toml", "--json"]).json();
    assert_eq!(
        j["model"]["classification"]["rows"].as_u64(),
        Some(scored as u64)
    );
    assert!(scored > 100, "{scored}");
    let r = tradelab(&["lookahead", "strategies/ml_meta_label.toml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}
