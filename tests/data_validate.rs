//! `tradelab data validate` and the loader's validation rules: each rule with
//! a small bad file, the exact one-line message, and the exit code.

mod common;
use common::*;

const HEADER: &str = "timestamp,open,high,low,close,volume\n";

/// Writes `body` under the standard header as `bad.csv` and returns the dir.
fn bad_csv(body: &str) -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "bad.csv", format!("{HEADER}{body}"));
    dir
}

/// The loader (via `data info`) rejects the file with exactly `message`, exit 2.
fn rejects(body: &str, message: &str) {
    let dir = bad_csv(body);
    let r = tradelab_in(dir.path(), &["data", "info", "bad.csv"]);
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert_eq!(r.stderr.trim_end(), format!("error: {message}"));
    assert!(r.stdout.is_empty());
}

/// `data validate --json` on the file: exit code and the findings.
fn findings(body: &str) -> (i32, serde_json::Value) {
    let dir = bad_csv(body);
    let r = tradelab_in(dir.path(), &["data", "validate", "bad.csv", "--json"]);
    (r.code, r.json())
}

const OK1: &str = "2020-01-01,1,2,0.5,1.5,10\n";

#[test]
fn not_finite_values() {
    rejects(
        &format!("{OK1}2020-01-02,1,2,0.5,NaN,10\n"),
        "bad.csv:3: close is NaN",
    );
    rejects(
        &format!("{OK1}2020-01-02,1,inf,0.5,1,10\n"),
        "bad.csv:3: high is inf",
    );
}

#[test]
fn non_positive_price() {
    rejects(
        &format!("{OK1}2020-01-02,1,2,0,1,10\n"),
        "bad.csv:3: low is 0 (prices must be > 0)",
    );
    rejects(
        &format!("{OK1}2020-01-02,-1,2,-2,1,10\n"),
        "bad.csv:3: open is -1 (prices must be > 0)",
    );
}

#[test]
fn high_below_body_and_low_above_body() {
    rejects(
        &format!("{OK1}2020-01-02,1,1.4,0.5,1.5,10\n"),
        "bad.csv:3: high 1.4 is below max(open, close) = 1.5",
    );
    rejects(
        &format!("{OK1}2020-01-02,1,2,1.2,1.5,10\n"),
        "bad.csv:3: low 1.2 is above min(open, close) = 1",
    );
    // high < low is caught as a high below the body.
    rejects(
        &format!("{OK1}2020-01-02,1,0.8,1.2,1,10\n"),
        "bad.csv:3: high 0.8 is below max(open, close) = 1",
    );
}

#[test]
fn negative_volume() {
    rejects(
        &format!("{OK1}2020-01-02,1,2,0.5,1.5,-3\n"),
        "bad.csv:3: volume is -3 (must be >= 0)",
    );
}

#[test]
fn duplicate_and_unsorted_timestamps() {
    rejects(
        &format!("{OK1}2020-01-02,1,2,0.5,1.5,10\n2020-01-02,1,2,0.5,1.5,10\n"),
        "bad.csv:4: duplicate timestamp 2020-01-02",
    );
    rejects(
        &format!("{OK1}2020-01-03,1,2,0.5,1.5,10\n2020-01-02,1,2,0.5,1.5,10\n"),
        "bad.csv:4: timestamp 2020-01-02 is before the previous row's 2020-01-03: rows must be in increasing time order",
    );
}

#[test]
fn unparseable_fields() {
    rejects(
        &format!("{OK1}2020-01-02,1,2,0.5,abc,10\n"),
        "bad.csv:3: cannot parse 'abc' as a number in column 'close'",
    );
    rejects(
        &format!("{OK1}2020-01-02,1,2,0.5,\"1,234.5\",10\n"),
        "bad.csv:3: cannot parse '1,234.5' as a number in column 'close'",
    );
    rejects(
        &format!("{OK1}2020-13-02,1,2,0.5,1.5,10\n"),
        "bad.csv:3: cannot parse timestamp '2020-13-02': expected an ISO date, an ISO date-time or an integer epoch",
    );
    rejects(
        &format!("{OK1}2020-01-02,1,2,0.5,,10\n"),
        "bad.csv:3: missing value in column 'close'",
    );
    rejects(
        &format!("{OK1}2020-01-02,1,2,0.5\n"),
        "bad.csv:3: 4 fields, expected 6 as in the header",
    );
    rejects(
        &format!("{OK1}2020-01-02,1,2,0.5,1,1,9\n"),
        "bad.csv:3: 7 fields, expected 6 as in the header",
    );
    rejects(
        &format!("{OK1}1577923200,1,2,0.5,1.5,10\n"),
        "bad.csv:3: mixed timestamp formats: '1577923200' is in epoch seconds but line 2 is an ISO date",
    );
}

#[test]
fn file_level_problems() {
    let dir = tempdir();
    write(dir.path(), "empty.csv", "");
    write(dir.path(), "header.csv", HEADER);
    write(
        dir.path(),
        "noclose.csv",
        "Date,Open,High,Low,Volume\n2020-01-01,1,2,0.5,3\n",
    );
    write(dir.path(), "onecol.csv", "timestamp\n2020-01-01\n");
    write(
        dir.path(),
        "binary.csv",
        b"\xff\xfe\x00garbage\n".as_slice(),
    );
    let cases = [
        ("empty.csv", "error: empty.csv: file is empty"),
        ("header.csv", "error: header.csv: no data rows"),
        (
            "noclose.csv",
            "error: noclose.csv:1: missing required column 'close' (header has: Date, Open, High, Low, Volume)",
        ),
        (
            "onecol.csv",
            "error: onecol.csv:1: only one column: expected comma-, semicolon- or tab-separated columns timestamp,open,high,low,close[,volume]",
        ),
        ("binary.csv", "error: binary.csv:1: not valid UTF-8 text"),
        ("missing.csv", "error: missing.csv: cannot read: no such file"),
    ];
    for (file, msg) in cases {
        for cmd in ["info", "validate"] {
            let r = tradelab_in(dir.path(), &["data", cmd, file]);
            assert_eq!(r.code, 2, "{cmd} {file}: {}", r.stderr);
            assert_eq!(r.stderr.trim_end(), msg, "{cmd} {file}");
        }
    }
}

#[test]
fn validate_reports_every_rule_with_counts() {
    // Line 3: high below body; line 4: NaN; line 5 and 6: zero volume; line 6 duplicates line 5.
    let body = format!(
        "{OK1}2020-01-02,1,1.4,0.5,1.5,10\n2020-01-03,1,2,0.5,nan,10\n2020-01-04,1,2,0.5,1.5,0\n2020-01-04,1,1.2,0.5,1.5,0\n"
    );
    let (code, j) = findings(&body);
    assert_eq!(code, 1);
    assert_eq!(j["ok"], false);
    assert_eq!(j["bars"], 5);
    assert_eq!(j["errors"], 3);
    assert_eq!(j["warnings"], 1);
    let f = j["findings"].as_array().unwrap();
    let summary: Vec<(String, i64, i64)> = f
        .iter()
        .map(|x| {
            (
                x["rule"].as_str().unwrap().to_string(),
                x["line"].as_i64().unwrap(),
                x["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("high_below_body".to_string(), 3, 2),
            ("not_finite".to_string(), 4, 1),
            ("duplicate_timestamp".to_string(), 6, 1),
            ("zero_volume".to_string(), 5, 2),
        ]
    );
    assert_eq!(
        f[0]["message"],
        "high 1.4 is below max(open, close) = 1.5 (2 rows in all)"
    );
    assert_eq!(f[0]["severity"], "error");
    assert_eq!(f[3]["severity"], "warning");
}

#[test]
fn validate_table_and_exit_codes() {
    let dir = bad_csv(&format!("{OK1}2020-01-02,1,2,0.5,NaN,10\n"));
    let r = tradelab_in(dir.path(), &["data", "validate", "bad.csv"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("not_finite"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("bad.csv: INVALID, 1 error(s), 0 warning(s)"),
        "{}",
        r.stdout
    );

    let r = tradelab(&["data", "validate", "datasets/EURUSD.csv"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("datasets/EURUSD.csv: ok, 0 error(s), 1 warning(s)"),
        "{}",
        r.stdout
    );
}

#[test]
fn unparseable_row_is_a_finding_not_a_crash() {
    let (code, j) = findings(&format!("{OK1}2020-01-02,1,2,0.5,abc,10\n"));
    assert_eq!(code, 1);
    assert_eq!(j["findings"][0]["rule"], "unparseable");
    assert_eq!(j["findings"][0]["line"], 3);
}

#[test]
fn warnings_gaps_and_zero_volume() {
    // Hourly bars with one 5-hour hole after line 4 and two zero-volume bars.
    let body = "2020-01-01T00:00:00,1,2,0.5,1.5,10\n2020-01-01T01:00:00,1,2,0.5,1.5,0\n\
                2020-01-01T02:00:00,1,2,0.5,1.5,10\n2020-01-01T07:00:00,1,2,0.5,1.5,0\n\
                2020-01-01T08:00:00,1,2,0.5,1.5,10\n";
    let (code, j) = findings(body);
    assert_eq!(code, 0);
    assert_eq!(j["ok"], true);
    let f = j["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["rule"], "zero_volume");
    assert_eq!(f[0]["count"], 2);
    assert_eq!(f[1]["rule"], "gaps");
    assert_eq!(f[1]["line"], 5);
    assert_eq!(
        f[1]["message"],
        "1 gaps longer than 1.5x the median spacing (1h); the largest is 5h before 2020-01-01T07:00:00"
    );
    // The loader accepts the file and prints the warnings on stderr, unless quiet.
    let dir = bad_csv(body);
    let r = tradelab_in(
        dir.path(),
        &["data", "convert", "bad.csv", "--out", "x.parquet"],
    );
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("warning: bad.csv:3: volume is 0 (2 rows in all)"),
        "{}",
        r.stderr
    );
    let r = tradelab_in(
        dir.path(),
        &[
            "--quiet",
            "data",
            "convert",
            "bad.csv",
            "--out",
            "y.parquet",
        ],
    );
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "");
}
