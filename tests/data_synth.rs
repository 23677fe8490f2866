//! `tradelab data synth`: deterministic, valid candles.

mod common;
use common::*;

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let dir = tempdir();
    let run = |seed: &str, out: &str| {
        let r = tradelab_in(
            dir.path(),
            &[
                "-q", "data", "synth", "--bars", "20000", "--seed", seed, "--out", out,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        std::fs::read(dir.path().join(out)).unwrap()
    };
    let a = run("7", "a.csv");
    assert_eq!(a, run("7", "b.csv"));
    assert_ne!(a, run("8", "c.csv"));
    let p1 = run("7", "a.parquet");
    assert_eq!(p1, run("7", "b.parquet"));
}

#[test]
fn output_is_valid_with_the_asked_shape() {
    let dir = tempdir();
    let r = tradelab_in(
        dir.path(),
        &[
            "data",
            "synth",
            "--bars",
            "5000",
            "--seed",
            "1",
            "--start",
            "2021-03-01",
            "--spacing",
            "5m",
            "--out",
            "s.csv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("5000 bars written to s.csv"));
    let v = tradelab_in(dir.path(), &["data", "validate", "s.csv", "--json"]);
    assert_eq!(v.code, 0, "{}", v.stdout);
    assert_eq!(v.json()["errors"], 0);
    let j = tradelab_in(dir.path(), &["data", "info", "s.csv", "--json"]).json();
    assert_eq!(j["bars"], 5000);
    assert_eq!(j["start"], "2021-03-01T00:00:00Z");
    // 4,999 steps of 5 minutes after the start: 416h 35m = 17d 8h 35m.
    assert_eq!(j["end"], "2021-03-18T08:35:00Z");
    assert_eq!(j["median_spacing_seconds"], 300.0);
    let text = std::fs::read_to_string(dir.path().join("s.csv")).unwrap();
    assert!(
        text.starts_with("timestamp,open,high,low,close,volume\n2021-03-01T00:00:00,100.0,"),
        "{}",
        &text[..80]
    );
}

#[test]
fn bad_arguments() {
    let dir = tempdir();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--bars", "0"],
            "error: --bars must be between 1 and 1,000,000,000, got 0",
        ),
        (
            &["--bars", "1000000", "--spacing", "1w"],
            "error: --bars 1000000 of 1w from 2020-01-01 would run past the year 9999",
        ),
        (
            &["--bars", "5", "--spacing", "fortnight"],
            "error: invalid --spacing 'fortnight': expected e.g. 1m, 5m, 1h, 1d",
        ),
        (
            &["--bars", "5", "--start", "yesterday"],
            "error: invalid --start 'yesterday': expected an ISO date such as 2020-01-01",
        ),
        (
            &["--bars", "5", "--price=-3"],
            "error: --price must be a positive number, got -3",
        ),
    ];
    for (extra, msg) in cases {
        let mut args = vec!["data", "synth", "--out", "s.csv"];
        args.extend_from_slice(extra);
        let r = tradelab_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{extra:?}");
        assert_eq!(r.stderr.trim_end(), msg);
    }
    assert!(files_in(dir.path()).is_empty());
    // clap rejects a non-number with its own usage error, also exit 2.
    let r = tradelab_in(
        dir.path(),
        &["data", "synth", "--bars", "many", "--out", "s.csv"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("invalid value 'many' for '--bars <BARS>'"),
        "{}",
        r.stderr
    );
}
