//! `tradelab data convert`: round trips between formats, atomic output.

mod common;
use common::*;

#[test]
fn csv_parquet_csv_is_byte_identical() {
    let dir = tempdir();
    for name in ["GOOG", "EURUSD", "BTCUSD"] {
        let src = dataset(&format!("{name}.csv"));
        let pq = dir.path().join(format!("{name}.parquet"));
        let back = dir.path().join(format!("{name}.csv"));
        let r = tradelab(&[
            "-q",
            "data",
            "convert",
            src.to_str().unwrap(),
            "--out",
            pq.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = tradelab(&[
            "-q",
            "data",
            "convert",
            pq.to_str().unwrap(),
            "--out",
            back.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            std::fs::read(&back).unwrap(),
            std::fs::read(&src).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn binance_to_csv() {
    let dir = tempdir();
    let out = dir.path().join("b.csv");
    let r = tradelab(&[
        "data",
        "convert",
        "tests/fixtures/BTCUSDT-1h-binance.csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("24 bars written to"), "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("timestamp,open,high,low,close,volume"));
    // 1704067200000 ms -> 2024-01-01T00:00:00; prices as in the dump.
    assert_eq!(
        lines.next(),
        Some("2024-01-01T00:00:00,42283.58,42405.35,42204.82,42299.6,1438.58046")
    );
    assert_eq!(text.lines().count(), 25);
}

#[test]
fn failed_input_leaves_no_output() {
    let dir = tempdir();
    write(
        dir.path(),
        "bad.csv",
        "timestamp,open,high,low,close\n2020-01-01,1,2,0.5,oops\n",
    );
    let r = tradelab_in(
        dir.path(),
        &["data", "convert", "bad.csv", "--out", "out.parquet"],
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim_end(),
        "error: bad.csv:2: cannot parse 'oops' as a number in column 'close'"
    );
    assert_eq!(files_in(dir.path()), vec!["bad.csv"]);
}

#[test]
fn unwritable_output_is_a_clear_error_and_leaves_no_temp_file() {
    let dir = tempdir();
    // The output path is an existing directory: the rename fails.
    std::fs::create_dir(dir.path().join("out.csv")).unwrap();
    let src = dataset("BTCUSD.csv");
    let r = tradelab_in(
        dir.path(),
        &[
            "-q",
            "data",
            "convert",
            src.to_str().unwrap(),
            "--out",
            "out.csv",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("error: cannot write out.csv: "),
        "{}",
        r.stderr
    );
    assert_eq!(files_in(dir.path()), vec!["out.csv"]);
}

#[test]
fn output_folder_is_created() {
    let dir = tempdir();
    let src = dataset("BTCUSD.csv");
    let r = tradelab_in(
        dir.path(),
        &[
            "-q",
            "data",
            "convert",
            src.to_str().unwrap(),
            "--out",
            "a/b/c.parquet",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(files_in(&dir.path().join("a/b")), vec!["c.parquet"]);
}
