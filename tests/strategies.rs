//! Strategy files: every shipped strategy works, and every file problem is a
//! clear error at its line and column with exit code 2.

mod common;
use common::*;

const SHIPPED: [&str; 8] = [
    "sma_cross",
    "ema_cross",
    "macd_trend",
    "rsi_reversion",
    "bollinger_reversion",
    "donchian_breakout",
    "long_short_sma",
    "adx_trend",
];

#[test]
fn shipped_strategies_evaluate_on_every_dataset_and_enter_on_goog() {
    let on_disk: Vec<String> = files_in(&root().join("strategies"));
    for name in SHIPPED {
        assert!(on_disk.contains(&format!("{name}.toml")), "{name}");
        let file = format!("strategies/{name}.toml");
        let text = std::fs::read_to_string(root().join(&file)).unwrap();
        assert!(
            text.contains("description = \""),
            "{name} has a description"
        );
        for data in ["GOOG", "EURUSD", "BTCUSD"] {
            let d = format!("datasets/{data}.csv");
            let r = tradelab(&["eval", "--strategy", &file, "--data", &d]);
            assert_eq!(r.code, 0, "{name} on {data}: {}", r.stderr);
            let lines: Vec<&str> = r.stdout.lines().collect();
            assert!(lines[0].starts_with("timestamp,"), "{name}");
            if data == "GOOG" {
                let header: Vec<&str> = lines[0].split(',').collect();
                let entries = lines[1..]
                    .iter()
                    .filter(|l| {
                        l.split(',')
                            .zip(&header)
                            .any(|(v, h)| h.ends_with("_entry") && v == "1")
                    })
                    .count();
                assert!(entries >= 1, "{name} never enters on GOOG");
            }
        }
    }
}

/// Writes `text` as `s.toml` and runs eval on it; returns (code, stderr).
fn strategy_err(text: &str, extra: &[&str]) -> (i32, String) {
    let dir = tempdir();
    write(dir.path(), "s.toml", text);
    let goog = dataset("GOOG.csv");
    let mut args = vec![
        "eval",
        "--strategy",
        "s.toml",
        "--data",
        goog.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let r = tradelab_in(dir.path(), &args);
    (r.code, r.stderr)
}

const GOOD: &str = "name = \"t\"\n[params]\nfast = { default = 10, min = 5, max = 50, step = 5 }\n[signals]\nlong_entry = \"close > sma(close, fast)\"\n";

/// The first line of stderr.
fn first(stderr: &str) -> &str {
    stderr.lines().next().unwrap_or("")
}

#[test]
fn the_good_file_is_good() {
    let (code, err) = strategy_err(GOOD, &[]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn toml_problems() {
    let cases = [
        // An unknown key in [signals], named with its place.
        (GOOD.replace("long_entry", "long_entyr"), "error: s.toml:5:1: unknown field `long_entyr`, expected one of `long_entry`, `long_exit`, `short_entry`, `short_exit`, `constraint`"),
        (format!("{GOOD}[execution]\ncomission = 0.1\n"), "error: s.toml:7:1: unknown field `comission`, expected one of `cash`, `commission`, `commission_fixed`, `slippage_bps`, `fill`, `size`, `size_cash`, `size_units`, `whole_units`, `stop_loss`, `take_profit`, `trailing_stop`, `close_at_end`, `max_positions`"),
        (format!("{GOOD}[model]\nkind = \"x\"\n"), "error: s.toml:6:1: missing field `features`"),
        (format!("{GOOD}[modle]\n"), "error: s.toml:6:2: unknown field `modle`, expected one of `name`, `description`, `data`, `params`, `signals`, `portfolio`, `orders`, `execution`, `model`"),
        // Wrong types.
        (GOOD.replace("name = \"t\"", "name = 3"), "error: s.toml:1:8: invalid type: integer `3`, expected a string"),
        (format!("{GOOD}[execution]\nfill = \"tomorrow\"\n"), "error: s.toml:7:8: unknown variant `tomorrow`, expected `next_open` or `close`"),
        // Not TOML at all.
        ("name = \"t\n".to_string(), "error: s.toml:1:10: invalid basic string, expected `\"`"),
        // No [signals].
        ("name = \"t\"\n".to_string(), "error: s.toml:1:1: missing [signals]: a strategy needs long_entry or short_entry (or a [portfolio] that rebalances)"),
    ];
    for (text, msg) in cases {
        let (code, err) = strategy_err(&text, &[]);
        assert_eq!(code, 2, "{text}");
        assert_eq!(first(&err), msg, "{text}");
    }
}

#[test]
fn parameter_problems() {
    let p = |spec: &str| GOOD.replace("{ default = 10, min = 5, max = 50, step = 5 }", spec);
    let cases = [
        (p("{ default = 10, min = 50, max = 5 }"), "error: s.toml:3:8: parameter 'fast': min 50 is greater than max 5"),
        (p("{ default = 10, min = 5, max = 50, step = 0 }"), "error: s.toml:3:8: parameter 'fast': step must be > 0, got 0"),
        (p("{ default = 60, min = 5, max = 50 }"), "error: s.toml:3:8: default fast = 60 is outside its range 5..50"),
        (p("{ values = [] }"), "error: s.toml:3:8: parameter 'fast': values is empty"),
        (p("{ default = 10, values = [5, 10], min = 1 }"), "error: s.toml:3:8: parameter 'fast': give either values or min/max/step, not both"),
        (p("{ step = 5 }"), "error: s.toml:3:8: parameter 'fast' needs a default"),
        (p("{ default = 10, maximum = 50 }"), "error: s.toml:3:24: unknown field `maximum`, expected one of `default`, `min`, `max`, `step`, `values`"),
        (GOOD.replace("fast = {", "close = {"), "error: s.toml:3:9: parameter 'close' has the name of a column, function or keyword"),
    ];
    for (text, msg) in cases {
        let (code, err) = strategy_err(&text, &[]);
        assert_eq!(code, 2, "{text}");
        assert_eq!(first(&err), msg, "{text}");
    }
}

#[test]
fn signal_and_execution_problems() {
    let cases = [
        (GOOD.replace("close > sma(close, fast)", "sma(close, fast)"), "error: s.toml:5:15: long_entry must be a condition (e.g. 'close > sma(close, 20)'), but it is a number"),
        (GOOD.replace("long_entry", "long_exit"), "error: s.toml:4:1: [signals] needs long_entry or short_entry"),
        (GOOD.replace("[signals]\n", "[signals]\nconstraint = \"fast < close\"\n"), "error: s.toml:5:15: the constraint may use only parameters and numbers, not columns"),
        (format!("{GOOD}[execution]\ncommission = 0.7\n"), "error: s.toml:7:1: commission = 0.7 is out of range: a fraction in [0, 0.5)"),
        (format!("{GOOD}[execution]\nsize = 0.5\nsize_cash = 100\n"), "error: s.toml:7:1: set only one of size, size_cash and size_units"),
        (format!("{GOOD}[execution]\nstop_loss = 1.5\n"), "error: s.toml:7:1: stop_loss = 1.5 is out of range: a fraction in (0, 1)"),
    ];
    for (text, msg) in cases {
        let (code, err) = strategy_err(&text, &[]);
        assert_eq!(code, 2, "{text}");
        assert_eq!(first(&err), msg, "{text}");
    }
}

#[test]
fn set_overrides_are_checked() {
    let cases: [(&str, &str); 6] = [
        ("fast=15", ""),
        (
            "fast=60",
            "error: --set fast=60: fast = 60 is outside its range 5..50",
        ),
        (
            "fast=7.5",
            "error: --set fast=7.5: parameter 'fast' takes integers, got 7.5",
        ),
        (
            "fsat=10",
            "error: --set fsat=10: strategy 't' has no parameter 'fsat'; did you mean 'fast'?",
        ),
        ("fast", "error: --set expects NAME=VALUE, got 'fast'"),
        ("fast=ten", "error: --set fast=ten: 'ten' is not a number"),
    ];
    for (set, msg) in cases {
        let (code, err) = strategy_err(GOOD, &["--set", set]);
        if msg.is_empty() {
            assert_eq!(code, 0, "{set}: {err}");
        } else {
            assert_eq!((code, err.trim_end()), (2, msg), "{set}");
        }
    }
    let values = GOOD.replace(
        "{ default = 10, min = 5, max = 50, step = 5 }",
        "{ values = [5, 10, 20] }",
    );
    let (code, err) = strategy_err(&values, &["--set", "fast=7"]);
    assert_eq!(
        (code, err.trim_end()),
        (
            2,
            "error: --set fast=7: fast = 7 is not one of its values [5, 10, 20]"
        )
    );
}
