//! `tradelab data resample`: against pandas' resample on EURUSD.

mod common;
use common::*;

/// Parses a CSV into (header, rows of fields).
fn rows(text: &str) -> (String, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Resamples a shipped dataset to `rule` and compares with the pandas
/// reference (tests/fixtures/make_pandas_resample.py): row count, every
/// timestamp, every value as a number, and finally the bytes.
fn matches_pandas(name: &str, rule: &str, expected_rows: usize, source_rows: usize) {
    let dir = tempdir();
    let out = dir.path().join(format!("r_{rule}.csv"));
    let r = tradelab(&[
        "data",
        "resample",
        &format!("datasets/{name}.csv"),
        "--to",
        rule,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours = std::fs::read_to_string(&out).unwrap();
    let theirs = std::fs::read_to_string(fixture(&format!("{name}_{rule}.pandas.csv"))).unwrap();
    let (h1, a) = rows(&ours);
    let (h2, b) = rows(&theirs);
    assert_eq!(h1, h2);
    assert_eq!(a.len(), expected_rows);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x[0], y[0], "timestamp");
        for k in 1..6 {
            let (p, q): (f64, f64) = (x[k].parse().unwrap(), y[k].parse().unwrap());
            assert_eq!(p, q, "row {} column {k}", x[0]);
        }
    }
    assert_eq!(ours, theirs);
    assert!(
        r.stderr.contains(&format!(
            "{source_rows} bars -> {expected_rows} bars of {rule}"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn hourly_to_daily_equals_pandas() {
    // 5,000 hourly bars over 295 calendar days; days with no bar (weekends) are dropped: 251 rows.
    matches_pandas("EURUSD", "1d", 251, 5000);
}

#[test]
fn hourly_to_four_hours_equals_pandas() {
    matches_pandas("EURUSD", "4h", 1292, 5000);
}

#[test]
fn hourly_to_weeks_equals_pandas_w_mon() {
    // Weeks start Monday 00:00 UTC: pandas' resample("W-MON", label="left", closed="left").
    matches_pandas("EURUSD", "1w", 43, 5000);
}

#[test]
fn daily_stock_to_weeks_equals_pandas() {
    // 2,148 trading days from Thursday 2004-08-19 to Friday 2013-03-01: 446 Monday-started weeks.
    matches_pandas("GOOG", "1w", 446, 2148);
}

#[test]
fn first_bins_worked_by_hand() {
    // EURUSD starts 2017-04-19T09:00 (open 1.0716). The 08:00-12:00 bin holds
    // 09:00, 10:00, 11:00: high max(1.0722, 1.07296, 1.07299) = 1.07299,
    // low min(1.07083, 1.07214, 1.0717) = 1.07083, close 1.07192,
    // volume 1413 + 1241 + 1025 = 3679.
    let dir = tempdir();
    let out = dir.path().join("r.parquet");
    let r = tradelab(&[
        "-q",
        "data",
        "resample",
        "datasets/EURUSD.csv",
        "--to",
        "4h",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (c, _) = tradelab::data::load(&out).unwrap();
    assert_eq!(
        tradelab::data::time::format_ms(c.ts[0], false),
        "2017-04-19T08:00:00"
    );
    assert_eq!(
        (c.open[0], c.high[0], c.low[0], c.close[0], c.volume[0]),
        (1.0716, 1.07299, 1.07083, 1.07192, 3679.0)
    );
    assert_eq!(c.spacing_ms, 4 * 3_600_000);
}

#[test]
fn bad_rule_and_bad_output_name() {
    let r = tradelab(&[
        "data",
        "resample",
        "datasets/EURUSD.csv",
        "--to",
        "3x",
        "--out",
        "x.csv",
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim_end(),
        "error: invalid resample rule '3x': expected a positive count and a unit, e.g. 15m, 1h, 4h, 1d, 1w"
    );
    let r = tradelab(&[
        "data",
        "resample",
        "datasets/EURUSD.csv",
        "--to",
        "1d",
        "--out",
        "x.xlsx",
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim_end(),
        "error: cannot tell the output format of 'x.xlsx': use a .csv or .parquet file name"
    );
}
