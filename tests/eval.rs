//! `tradelab eval`: the TA-Lib oracle through the command line, output
//! format, parameters and strategies in scope.

mod common;
use common::*;

#[test]
fn every_ta_lib_oracle_column_through_eval() {
    // The oracle's column names double as the output names.
    let exprs = [
        "sma_20=sma(close, 20)",
        "ema_20=ema(close, 20)",
        "wma_20=wma(close, 20)",
        "rsi_14=rsi(close, 14)",
        "macd_12_26_9=macd(close, 12, 26, 9)",
        "macd_signal_12_26_9=macd_signal(close, 12, 26, 9)",
        "macd_hist_12_26_9=macd_hist(close, 12, 26, 9)",
        "bb_upper_20_2=bb_upper(close, 20, 2)",
        "bb_middle_20_2=bb_middle(close, 20, 2)",
        "bb_lower_20_2=bb_lower(close, 20, 2)",
        "atr_14=atr(14)",
        "stoch_k_14_3_3=stoch_k(14, 3, 3)",
        "stoch_d_14_3_3=stoch_d(14, 3, 3)",
        "adx_14=adx(14)",
        "cci_20=cci(20)",
        "obv=obv()",
        "mfi_14=mfi(14)",
        "willr_14=willr(14)",
        "roc_10=roc(close, 10)",
        "stddev_20=stddev(close, 20)",
        "highest_20=highest(high, 20)",
        "lowest_20=lowest(low, 20)",
    ];
    let mut args = vec!["eval", "--data", "datasets/GOOG.csv"];
    for e in &exprs {
        args.push("-e");
        args.push(e);
    }
    let r = tradelab(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (names, got) = numeric_columns(&r.stdout);
    let oracle = std::fs::read_to_string(fixture("ta_lib_indicators_GOOG.csv")).unwrap();
    let (onames, want) = numeric_columns(&oracle);
    assert_eq!(names, onames, "same columns in the same order");
    // Timestamps are the oracle's too.
    let ts = |t: &str| {
        t.lines()
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ts(&r.stdout), ts(&oracle));
    for k in 1..names.len() {
        for (i, (g, w)) in got[k].iter().zip(&want[k]).enumerate() {
            assert_eq!(
                g.is_nan(),
                w.is_nan(),
                "{} row {i}: {g} vs TA-Lib {w}",
                names[k]
            );
            if !w.is_nan() {
                let rel = if *w == 0.0 {
                    g.abs()
                } else {
                    ((g - w) / w).abs()
                };
                assert!(rel <= 1e-9, "{} row {i}: {g} vs TA-Lib {w}", names[k]);
            }
        }
    }
}

#[test]
fn booleans_are_0_and_1_and_warm_up_is_empty() {
    let r = tradelab(&[
        "eval",
        "--data",
        "datasets/GOOG.csv",
        "-e",
        "up=close > open",
        "-e",
        "s=sma(close, 3)",
        "-e",
        "close",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "timestamp,up,s,close");
    // Bar 0: open 100.0, close 100.34 -> up; no SMA yet.
    assert_eq!(lines[1], "2004-08-19,1,,100.34");
    // Bar 2: SMA3 = (100.34 + 108.31 + 109.4)/3 = 106.0166...; open 110.75 > close 109.4.
    assert!(
        lines[3].starts_with("2004-08-23,0,106.0166666666666"),
        "{}",
        lines[3]
    );
    assert_eq!(lines.len(), 2149);
}

#[test]
fn free_parameters_with_set() {
    let r = tradelab(&[
        "eval",
        "--data",
        "datasets/BTCUSD.csv",
        "--set",
        "n=2",
        "-e",
        "m=sma(close, n)",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // (5.55 + 4.99)/2 = 5.27
    assert_eq!(r.stdout.lines().nth(2), Some("2012-02-29,5.27"));
}

#[test]
fn strategy_signals_and_overrides() {
    let r = tradelab(&["eval", "--strategy", "strategies/sma_cross.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("timestamp,long_entry,long_exit\n"));
    let entry_bars: Vec<usize> = r
        .stdout
        .lines()
        .skip(1)
        .enumerate()
        .filter(|(_, l)| l.split(',').nth(1) == Some("1"))
        .map(|(i, _)| i)
        .collect();
    // backtesting.py's run of this strategy (shared/oracle/bt_GOOG_sma_long_10_20_trades.csv)
    // has 46 closed trades and one open at the end: 47 crosses up. Its first
    // trade enters at bar 75's open, so the cross is seen at bar 74's close.
    assert_eq!(entry_bars.len(), 47);
    assert_eq!(entry_bars[0], 74);
    assert_eq!(entry_bars[1], 87);
    let r = tradelab(&[
        "eval",
        "--strategy",
        "strategies/sma_cross.toml",
        "--set",
        "fast=15",
        "-e",
        "f=sma(close, fast)",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stdout.lines().nth(15).unwrap();
    assert!(
        line.starts_with("2004-09-09,") && !line.ends_with(','),
        "{line}"
    );
    assert!(r.stdout.lines().nth(14).unwrap().ends_with(','));
}

#[test]
fn parquet_and_csv_files() {
    let dir = tempdir();
    for out in ["x.csv", "x.parquet"] {
        let p = dir.path().join(out);
        let r = tradelab(&[
            "eval",
            "--data",
            "datasets/GOOG.csv",
            "-e",
            "r=rsi(close, 14)",
            "--out",
            p.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains("1 columns x 2148 bars written to"),
            "{}",
            r.stderr
        );
    }
    let csv = std::fs::read_to_string(dir.path().join("x.csv")).unwrap();
    assert_eq!(csv.lines().nth(15), Some("2004-09-09,53.27569005653475"));
    // The Parquet file reads back through the candle loader's polars reader.
    let f = std::fs::File::open(dir.path().join("x.parquet")).unwrap();
    use polars::prelude::*;
    let df = ParquetReader::new(f).finish().unwrap();
    assert_eq!(df.height(), 2148);
    let r = df.column("r").unwrap().f64().unwrap();
    assert_eq!(r.null_count(), 14);
    assert_eq!(r.get(14), Some(53.27569005653475));
}

#[test]
fn usage_errors() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["eval", "--data", "datasets/GOOG.csv"],
            "error: nothing to evaluate: give -e NAME=EXPR or --strategy FILE",
        ),
        (
            &["eval", "-e", "close"],
            "error: no data: give --data FILE (or a --strategy with a data file)",
        ),
        (
            &[
                "eval",
                "--data",
                "datasets/GOOG.csv",
                "-e",
                "a=close",
                "-e",
                "a=open",
            ],
            "error: two expressions are named 'a'",
        ),
        (
            &[
                "eval",
                "--strategy",
                "strategies/sma_cross.toml",
                "--set",
                "fast=30",
                "--set",
                "slow=20",
            ],
            "error: the parameters break the constraint of 'sma_cross' (fast=30 slow=20)",
        ),
        (
            &[
                "eval",
                "--data",
                "datasets/GOOG.csv",
                "-e",
                "close",
                "--out",
                "x.json",
            ],
            "error: cannot tell the output format of 'x.json': use a .csv or .parquet file name",
        ),
    ];
    for (args, msg) in cases {
        let r = tradelab(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stderr.trim_end(), msg, "{args:?}");
    }
}
