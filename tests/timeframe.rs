//! `on("1d", EXPR)`: higher timeframes inside expressions, aligned without
//! look-ahead (a higher bar's value shows from its end, the start of the
//! next one, and is carried forward), refused where it cannot be right, and
//! working in signals, model features and portfolios. `lookahead` passes it
//! and catches the wrong alignment (a bar's value shown from its start).

mod common;
use common::*;

use std::collections::HashMap;

/// Three days of 6-hourly bars (2024-01-01 is a Monday): closes 1..12,
/// highs close + 0.5, lows close − 0.5, volume 10 each.
fn six_hourly() -> String {
    let mut s = String::from("timestamp,open,high,low,close,volume\n");
    for i in 0..12 {
        let (d, h) = (1 + i / 4, (i % 4) * 6);
        let c = f64::from(i + 1);
        s.push_str(&format!(
            "2024-01-{d:02}T{h:02}:00:00,{c},{},{},{c},10\n",
            c + 0.5,
            c - 0.5
        ));
    }
    s
}

fn column(text: &str, k: usize) -> Vec<String> {
    text.lines()
        .skip(1)
        .map(|l| l.split(',').nth(k).unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_daily_value_shows_from_the_next_day_on() {
    let dir = tempdir();
    let f = write(dir.path(), "h6.csv", six_hourly());
    let r = tradelab(&[
        "eval",
        "--data",
        &f,
        "-e",
        "c=on('1d', close)",
        "-e",
        "hi=on('1d', high)",
        "-e",
        "s=on('1d', sma(close, 2))",
        "-e",
        "v=on('1d', volume)",
        "-e",
        "up=on(\"1d\", close > open)",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Day 1 (bars 0–3) closes at 4: shown on day 2's four bars; day 2's 8
    // on day 3's; day 3's is never shown (the data ends inside it... at its
    // last bar, 18:00, before its end at midnight).
    let e = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        column(&r.stdout, 1),
        e(&["", "", "", "", "4", "4", "4", "4", "8", "8", "8", "8"])
    );
    // The daily high: max of the day's highs, 4.5 then 8.5.
    assert_eq!(
        column(&r.stdout, 2),
        e(&["", "", "", "", "4.5", "4.5", "4.5", "4.5", "8.5", "8.5", "8.5", "8.5"])
    );
    // sma(daily close, 2) exists from day 2: (4 + 8)/2 = 6, shown on day 3.
    assert_eq!(
        column(&r.stdout, 3),
        e(&["", "", "", "", "", "", "", "", "6", "6", "6", "6"])
    );
    // Summed volume: 4 bars × 10.
    assert_eq!(column(&r.stdout, 4)[4], "40");
    // A condition is false (0), not missing, before its first value; day 1
    // opened at 1 and closed at 4: true.
    assert_eq!(
        column(&r.stdout, 5),
        e(&["0", "0", "0", "0", "1", "1", "1", "1", "1", "1", "1", "1"])
    );
    // 12 hours: two bins a day; the first (00:00, 06:00) closes at 2 and
    // shows from 12:00.
    let r = tradelab(&["eval", "--data", &f, "-e", "c=on('12h', close)"]);
    assert_eq!(column(&r.stdout, 1)[..4], e(&["", "", "2", "2"]));
}

#[test]
fn timeframes_that_cannot_be_right_are_refused_with_line_and_column() {
    let dir = tempdir();
    let data = write(dir.path(), "h6.csv", six_hourly());
    let cases = [
        (
            "on('1h', close)",
            "timeframe '1h' is shorter than the data's bar spacing (6h)",
        ),
        (
            "on('9h', close)",
            "timeframe '9h' is not a multiple of the data's bar spacing (6h)",
        ),
        ("on('1d', on('1w', close))", "on(...) inside on(...)"),
        ("on('1x', close)", "invalid timeframe '1x'"),
        ("on(1, close)", "on's first argument is a quoted timeframe"),
        ("on('1d')", "on takes 2 arguments"),
        ("close + 'x'", "a quoted text is only on's timeframe"),
        ("on('1d, close)", "a text without its closing quote"),
    ];
    for (expr, want) in cases {
        let toml = format!(
            "name = \"t\"\n[signals]\nlong_entry = \"{expr} > 0\"\nlong_exit = \"close < 0\"\n"
        );
        let s = write(dir.path(), "t.toml", toml);
        let r = tradelab(&["run", &s, "--data", &data]);
        assert_eq!(r.code, 2, "{expr}");
        assert!(r.stderr.contains(want), "{expr}: {}", r.stderr);
        // The place in the file: line 3, after `long_entry = "`.
        assert!(r.stderr.contains("t.toml:3:"), "{expr}: {}", r.stderr);
    }
    // The first case points at the timeframe: column 15 + 3 = 18.
    let s = write(
        dir.path(),
        "t.toml",
        "name = \"t\"\n[signals]\nlong_entry = \"on('1h', close) > 0\"\nlong_exit = \"close < 0\"\n",
    );
    let r = tradelab(&["run", &s, "--data", &data]);
    assert!(
        r.stderr.contains(&format!("{s}:3:18: timeframe '1h'")),
        "{}",
        r.stderr
    );
}

#[test]
fn the_shipped_strategy_runs_and_passes_the_lookahead_check() {
    let r = tradelab(&["lookahead", "strategies/htf_pullback.toml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let j = tradelab(&["run", "strategies/htf_pullback.toml", "--json"]).json();
    assert!(j["metrics"]["trades"].as_f64().unwrap() > 10.0);
    // Its trend filter, on the data cut after 3,000 bars, equals the full
    // run's up to the cut (no value uses a later bar).
    let dir = tempdir();
    let cut: String = std::fs::read_to_string(dataset("EURUSD.csv"))
        .unwrap()
        .lines()
        .take(3001)
        .map(|l| format!("{l}\n"))
        .collect();
    let f = write(dir.path(), "cut.csv", cut);
    let e =
        |data: &str| tradelab(&["eval", "--data", data, "-e", "t=on('1d', sma(close, 20))"]).stdout;
    let (full, part) = (e(dataset("EURUSD.csv").to_str().unwrap()), e(&f));
    assert!(full.starts_with(&part));
}

/// The library's look-ahead check catches a daily value shown from the
/// start of its day (before the hours it aggregates have happened).
#[test]
fn the_wrong_alignment_is_caught() {
    use tradelab::strategy::timeframe::Alignment;
    let mut s = tradelab::pipeline::load(&root().join("strategies/htf_pullback.toml")).unwrap();
    let (candles, _) = tradelab::data::load(&dataset("EURUSD.csv")).unwrap();
    let params = s.defaults();
    let none = |_: &tradelab::data::Candles| HashMap::new();
    assert_eq!(
        tradelab::lookahead::check(&s, &params, &candles, 10, &none).unwrap(),
        None
    );
    s.on_alignment = Alignment::Start;
    let found = tradelab::lookahead::check(&s, &params, &candles, 10, &none)
        .unwrap()
        .expect("the look-ahead is found");
    assert!(found.what.starts_with("on(1d,"), "{found:?}");
}

/// In model features and in portfolio signals.
#[test]
fn model_features_and_portfolios() {
    let dir = tempdir();
    let data = dataset("EURUSD.csv");
    let model = format!(
        "name = \"ml_htf\"\ndata = \"{}\"\n[params]\nenter = {{ default = 0.55, values = [0.55] }}\n[model]\nkind = \"logistic\"\nfeatures = [\"rsi(close, 14)\", \"close / on('1d', sma(close, 5)) - 1\", \"on('4h', atr(14)) / close\"]\nlabel = \"shift(close, -5) / close - 1 > 0\"\nhorizon = 5\ntrain_bars = 1000\nretrain_every = 250\n[signals]\nlong_entry = \"model > enter\"\nlong_exit = \"model < 0.5\"\n",
        data.display()
    );
    let m = write(dir.path(), "ml.toml", model);
    let r = tradelab(&["lookahead", &m]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let p = write(
        dir.path(),
        "p.toml",
        format!(
            "name = \"p\"\ndata = \"{}\"\n[portfolio]\nsymbols = [\"HD\", \"CVX\", \"AMD\"]\n[signals]\nlong_entry = \"close > on('1w', sma(close, 10))\"\nlong_exit = \"close < on('1w', sma(close, 10))\"\n[execution]\ncash = 100000\nfill = \"close\"\nsize_cash = 20000\n",
            dataset("sp500_20.csv").display()
        ),
    );
    let r = tradelab(&["run", &p, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.json()["metrics"]["trades"].as_f64().unwrap() > 10.0);
    let r = tradelab(&["lookahead", &p]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}
