//! Parse and check errors in expressions: the exact message, the line:column,
//! the caret under the problem, exit code 2; from `-e` and from strategy files.

mod common;
use common::*;

/// `tradelab eval -e NAME=EXPR` on GOOG; returns (exit code, stderr).
fn eval_err(expr: &str) -> (i32, String) {
    let r = tradelab(&[
        "eval",
        "--data",
        "datasets/GOOG.csv",
        "-e",
        &format!("x={expr}"),
    ]);
    (r.code, r.stderr)
}

/// Asserts the full three-line error for `-e x=EXPR`: message at 1:COL and a caret of WIDTH.
fn rejects(expr: &str, col: usize, width: usize, message: &str) {
    let (code, stderr) = eval_err(expr);
    assert_eq!(code, 2, "{expr}: {stderr}");
    let want = format!(
        "error: -e x:1:{col}: {message}\n  |\n1 | {expr}\n  | {}{}\n",
        " ".repeat(col - 1),
        "^".repeat(width)
    );
    assert_eq!(stderr, want, "{expr}");
}

#[test]
fn syntax_errors() {
    rejects(
        "sma(close, 10",
        14,
        1,
        "expected ',' or ')' in the arguments of sma(, found the end of the expression",
    );
    rejects(
        "close >",
        8,
        1,
        "expected a number, a name or '(', found the end of the expression",
    );
    rejects("close = open", 7, 1, "unexpected '=': use '==' to compare");
    rejects(
        "a < b < c",
        7,
        1,
        "comparisons cannot be chained: write 'a < b and b < c'",
    );
    rejects("close $ 3", 7, 1, "unexpected character '$'");
    rejects(
        "(close + 1",
        11,
        1,
        "expected ')' to close '(', found the end of the expression",
    );
    rejects(
        "close open",
        7,
        4,
        "expected an operator or the end of the expression, found 'open'",
    );
}

#[test]
fn unknown_names_suggest_the_nearest() {
    rejects(
        "sam(close, 3)",
        1,
        3,
        "unknown function 'sam'; did you mean 'sma'?",
    );
    rejects(
        "crosses_abve(close, open)",
        1,
        12,
        "unknown function 'crosses_abve'; did you mean 'crosses_above'?",
    );
    rejects(
        "rsi(clsoe, 14)",
        5,
        5,
        "unknown name 'clsoe'; did you mean 'close'?",
    );
    rejects(
        "frobnicate(close)",
        1,
        10,
        "unknown function 'frobnicate'; 'tradelab indicators' lists the functions",
    );
    rejects(
        "sma + 1",
        1,
        3,
        "'sma' is a function: call it as sma(x, n=30)",
    );
}

#[test]
fn arity_types_and_windows() {
    // A TA-Lib default fills the left-out window; one too many is refused,
    // naming every form of the name.
    rejects(
        "sma(close, 5, 6)",
        1,
        16,
        "sma takes 1 or 2 arguments (sma(x, n=30)), got 3",
    );
    rejects(
        "obv(close, 2)",
        1,
        13,
        "obv takes 0 arguments (obv()) or 1 argument (obv(x)), got 2",
    );
    // vwap's anchor is a quoted period the data can hold.
    rejects(
        "vwap(close)",
        6,
        5,
        "'anchor' of vwap is a quoted period such as \"1d\", \"4h\", \"1w\" or \"all\"",
    );
    rejects(
        "vwap(\"2x\")",
        6,
        4,
        "invalid timeframe '2x': expected a count and a unit, e.g. 15m, 1h, 4h, 1d, 1w",
    );
    rejects(
        "vwap(\"1h\")",
        6,
        4,
        "timeframe '1h' is shorter than the data's bar spacing (1d)",
    );
    rejects(
        "ichimoku_chikou()",
        1,
        15,
        "ichimoku_chikou is the close drawn 26 bars back: its value at bar t is close[t+26], the future; compare close with shift(close, 26) instead",
    );
    rejects(
        "cdlengulfing(1)",
        1,
        15,
        "cdlengulfing takes 0 arguments (cdlengulfing()), got 1",
    );
    rejects(
        "ma(close, 10, 14)",
        15,
        2,
        "'matype' of ma is a moving-average type, TA-Lib's 0 (SMA) to 13 (Wilder), got 14",
    );
    rejects(
        "sma(close, 2.5)",
        12,
        3,
        "window 'n' of sma must be a positive integer, got 2.5",
    );
    rejects(
        "ema(close, 0)",
        12,
        1,
        "window 'n' of ema must be a positive integer, got 0",
    );
    rejects(
        "sma(close, high)",
        12,
        4,
        "argument 'n' of sma must be a constant number or parameter, not a column",
    );
    rejects(
        "sma(close > open, 3)",
        5,
        12,
        "argument 'x' of sma must be a number, but it is a condition",
    );
    rejects(
        "close and open",
        1,
        5,
        "'and' needs conditions, but its left side is a number",
    );
    rejects(
        "not close",
        5,
        5,
        "'not' needs a condition, but its operand is a number",
    );
    rejects(
        "-(close > open)",
        2,
        14,
        "'-' needs a number, but its operand is a condition",
    );
    rejects(
        "(close > open) * 2",
        1,
        14,
        "'*' needs numbers, but its left side is a condition",
    );
    rejects(
        "where(close, 1, 2)",
        7,
        5,
        "argument 'cond' of where must be a condition, but it is a number",
    );
}

#[test]
fn future_references_and_division_by_zero() {
    rejects(
        "shift(close, -1)",
        14,
        2,
        "shift by -1 would read the future: 'n' must be 0 or more",
    );
    rejects("close / (2 - 2)", 9, 7, "division by zero");
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let expr = format!("{}close{}", "(".repeat(10_000), ")".repeat(10_000));
    let (code, stderr) = eval_err(&expr);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: -e x:1:101: expression nested more than 100 levels deep\n"),
        "{}",
        &stderr[..200]
    );
}

#[test]
fn errors_in_a_strategy_file_point_into_the_file() {
    let dir = tempdir();
    let text = "name = \"t\"\n\n[params]\nfast = { default = 10, min = 5, max = 50 }\n\n[signals]\nlong_entry = \"crosses_above(sam(close, fast), sma(close, 20))\"\n";
    write(dir.path(), "t.toml", text);
    let r = tradelab_in(
        dir.path(),
        &[
            "eval",
            "--strategy",
            "t.toml",
            "--data",
            dataset("GOOG.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2);
    // Line 7; the expression starts at column 15 (after `long_entry = "`), `sam` 14 characters in.
    assert_eq!(
        r.stderr,
        "error: t.toml:7:29: unknown function 'sam'; did you mean 'sma'?\n  |\n7 | long_entry = \"crosses_above(sam(close, fast), sma(close, 20))\"\n  |                             ^^^\n"
    );
}
