//! The bad-input corpus (tests/bad_inputs/): every file gets its exact
//! one-line message with its place, exit code 2, no panic and no output.

mod common;
use common::*;

use std::path::Path;

/// (file, first line of stderr after "error: tests/bad_inputs/<file>")
const CASES: &[(&str, &str)] = &[
    ("empty.csv", ": file is empty"),
    ("header_only.csv", ": no data rows"),
    ("truncated_line.csv", ":3: 4 fields, expected 6 as in the header"),
    ("wrong_delimiter_rows.csv", ":2: 1 fields, expected 6 as in the header"),
    ("tab_missing_columns.tsv", ":1: missing required column 'high' (header has: timestamp, open)"),
    ("non_utf8.csv", ":3: not valid UTF-8 text"),
    ("thousands_separator.csv", ":2: cannot parse '1,234.5' as a number in column 'close'"),
    ("nan_price.csv", ":3: close is NaN"),
    ("inf_price.csv", ":3: high is inf"),
    ("negative_price.csv", ":3: open is -1 (prices must be > 0)"),
    ("zero_price.csv", ":3: low is 0 (prices must be > 0)"),
    ("negative_volume.csv", ":2: volume is -5 (must be >= 0)"),
    ("high_below_low.csv", ":3: high 0.9 is below max(open, close) = 1"),
    ("duplicate_timestamps.csv", ":3: duplicate timestamp 2020-01-01"),
    ("unsorted_timestamps.csv", ":3: timestamp 2020-01-01 is before the previous row's 2020-01-02: rows must be in increasing time order"),
    ("mixed_timestamp_formats.csv", ":3: mixed timestamp formats: '2020-01-02T10:00:00' is an ISO date-time but line 2 is an ISO date"),
    ("epoch_out_of_range.csv", ":3: cannot parse timestamp '99999999999999999999999': expected an ISO date, an ISO date-time or an integer epoch"),
    ("bad_date.csv", ":2: cannot parse timestamp '2020-13-01': expected an ISO date, an ISO date-time or an integer epoch"),
    ("missing_close.csv", ":1: missing required column 'close' (header has: Date, Open, High, Low, Volume)"),
    ("binance_wrong_columns.csv", ":1: no header row, and 7 columns is not a Binance kline dump (12): add a header naming timestamp, open, high, low, close[, volume]"),
    ("garbage.parquet", ": not a readable Parquet file: parquet: File out of specification: The file must end with PAR1"),
    ("unknown_key.toml", ":6:1: unknown field `long_entyr`, expected one of `long_entry`, `long_exit`, `short_entry`, `short_exit`, `constraint`"),
    ("wrong_type.toml", ":1:8: invalid type: integer `3`, expected a string"),
    ("invalid_toml.toml", ":1:10: invalid basic string, expected `\"`"),
    ("min_greater_than_max.toml", ":3:8: parameter 'fast': min 50 is greater than max 5"),
    ("step_zero.toml", ":3:8: parameter 'fast': step must be > 0, got 0"),
    ("empty_grid.toml", ":3:8: parameter 'fast': values is empty"),
    ("unknown_function.toml", ":5:23: unknown function 'sam'; did you mean 'sma'?"),
    ("negative_shift.toml", ":5:36: shift by -1 would read the future: 'n' must be 0 or more"),
    ("division_by_zero.toml", ":5:23: division by zero"),
    ("deep_nesting.toml", ":3:115: expression nested more than 100 levels deep"),
    ("suite_unknown_metric.toml", ":2:8: case 'x': unknown metric 'sharp'"),
    ("suite_missing_data.toml", ":1:1: missing field `data`"),
    // A lone quote as the last field made polars 0.55 panic (found by
    // fuzzing): caught by guard::catch, the line named by the csv crate.
    ("lone_quote.csv", ":3: missing value in column 'close'"),
    ("unclosed_quote.csv", ":2: cannot parse '1\\n2020-01-02,1,1,1,1\\n' as a number in column 'close'"),
    ("fuzz_csv_crash_quote.csv", ":2: cannot parse '100004u1' as a number in column 'close'"),
];

/// Runs the command that reads `file` with an output folder in `out`.
fn feed(file: &str, out: &Path) -> Run {
    let f = format!("tests/bad_inputs/{file}");
    let o = out.join("out.parquet");
    let args: Vec<&str> = if file.starts_with("suite_") {
        vec!["check", &f, "--junit", o.to_str().unwrap()]
    } else if file.ends_with(".toml") {
        vec![
            "eval",
            "--strategy",
            &f,
            "--data",
            "datasets/GOOG.csv",
            "--out",
            o.to_str().unwrap(),
        ]
    } else {
        vec!["data", "convert", &f, "--out", o.to_str().unwrap()]
    };
    tradelab(&args)
}

#[test]
fn every_file_in_the_corpus_has_a_case_and_at_least_thirty() {
    let mut on_disk: Vec<String> = files_in(&root().join("tests/bad_inputs"));
    on_disk.retain(|f| f != "README.md");
    let mut listed: Vec<String> = CASES.iter().map(|c| c.0.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    assert!(CASES.len() >= 30);
}

#[test]
fn each_bad_input_is_one_clear_line_and_exit_2() {
    for (file, msg) in CASES {
        let dir = tempdir();
        let r = feed(file, dir.path());
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        let first = r.stderr.lines().next().unwrap_or("");
        assert_eq!(
            first,
            format!("error: tests/bad_inputs/{file}{msg}"),
            "{file}"
        );
        assert!(files_in(dir.path()).is_empty(), "{file} left output behind");
    }
}

#[test]
fn a_ten_million_character_line_and_a_bom() {
    let dir = tempdir();
    let long = format!(
        "timestamp,open,high,low,close\n2020-01-01,1,2,0.5,{}\n",
        "9".repeat(10_000_000)
    );
    write(dir.path(), "long.csv", long);
    let r = tradelab_in(
        dir.path(),
        &["data", "convert", "long.csv", "--out", "o.parquet"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    // 10^7 nines parse as a float of 1e10000000 = inf.
    assert_eq!(r.stderr.trim_end(), "error: long.csv:2: close is inf");
    assert_eq!(files_in(dir.path()), vec!["long.csv"]);
    // A UTF-8 byte-order mark before the header is not an error.
    write(
        dir.path(),
        "bom.csv",
        "\u{feff}timestamp,open,high,low,close\n2020-01-01,1,2,0.5,1.5\n",
    );
    let r = tradelab_in(dir.path(), &["data", "info", "bom.csv", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["bars"], 1);
}
