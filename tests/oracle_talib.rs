//! Every indicator column of the TA-Lib oracle (tests/fixtures/
//! ta_lib_indicators_GOOG.csv, copied from shared/oracle/indicators_GOOG.csv,
//! TA-Lib 0.8.2) against the library: same NaN rows, values within 1e-9
//! relative.

mod common;
use common::*;

use tradelab::indicators::{lookup, Bars, Inputs};

/// Oracle columns by name; empty cells are NaN.
fn oracle() -> (Vec<String>, Vec<Vec<f64>>) {
    numeric_columns(&std::fs::read_to_string(fixture("ta_lib_indicators_GOOG.csv")).unwrap())
}

/// (oracle column, function, series inputs by name, constant arguments)
const CASES: &[(&str, &str, &[&str], &[f64])] = &[
    ("sma_20", "sma", &["close"], &[20.0]),
    ("ema_20", "ema", &["close"], &[20.0]),
    ("wma_20", "wma", &["close"], &[20.0]),
    ("rsi_14", "rsi", &["close"], &[14.0]),
    ("macd_12_26_9", "macd", &["close"], &[12.0, 26.0, 9.0]),
    (
        "macd_signal_12_26_9",
        "macd_signal",
        &["close"],
        &[12.0, 26.0, 9.0],
    ),
    (
        "macd_hist_12_26_9",
        "macd_hist",
        &["close"],
        &[12.0, 26.0, 9.0],
    ),
    ("bb_upper_20_2", "bb_upper", &["close"], &[20.0, 2.0]),
    ("bb_middle_20_2", "bb_middle", &["close"], &[20.0, 2.0]),
    ("bb_lower_20_2", "bb_lower", &["close"], &[20.0, 2.0]),
    ("atr_14", "atr", &[], &[14.0]),
    ("stoch_k_14_3_3", "stoch_k", &[], &[14.0, 3.0, 3.0]),
    ("stoch_d_14_3_3", "stoch_d", &[], &[14.0, 3.0, 3.0]),
    ("adx_14", "adx", &[], &[14.0]),
    ("cci_20", "cci", &[], &[20.0]),
    ("obv", "obv", &[], &[]),
    ("mfi_14", "mfi", &[], &[14.0]),
    ("willr_14", "willr", &[], &[14.0]),
    ("roc_10", "roc", &["close"], &[10.0]),
    ("stddev_20", "stddev", &["close"], &[20.0]),
    ("highest_20", "highest", &["high"], &[20.0]),
    ("lowest_20", "lowest", &["low"], &[20.0]),
];

#[test]
fn every_oracle_column_matches_ta_lib() {
    let (c, _) = tradelab::data::load(&dataset("GOOG.csv")).unwrap();
    let bars = Bars {
        open: &c.open,
        high: &c.high,
        low: &c.low,
        close: &c.close,
        volume: &c.volume,
    };
    let (names, cols) = oracle();
    assert_eq!(
        CASES.len(),
        names.len() - 1,
        "every oracle column has a case"
    );
    for (column, func, series, args) in CASES {
        let want = &cols[names.iter().position(|n| n == column).unwrap()];
        let series: Vec<&[f64]> = series
            .iter()
            .map(|s| match *s {
                "close" => c.close.as_slice(),
                "high" => c.high.as_slice(),
                "low" => c.low.as_slice(),
                other => panic!("{other}"),
            })
            .collect();
        let mut got = vec![f64::NAN; c.len()];
        let spec = lookup(func).unwrap();
        let mut args = args.to_vec();
        spec.fill_defaults(&mut args);
        (spec.compute)(
            &Inputs {
                series: &series,
                args: &args,
                bars,
                ts: &c.ts,
            },
            &mut got,
        );
        let mut worst = 0.0f64;
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert_eq!(
                g.is_nan(),
                w.is_nan(),
                "{column} row {i}: got {g}, TA-Lib {w}"
            );
            if !w.is_nan() {
                let rel = if *w == 0.0 {
                    g.abs()
                } else {
                    ((g - w) / w).abs()
                };
                worst = worst.max(rel);
                assert!(
                    rel <= 1e-9,
                    "{column} row {i}: got {g}, TA-Lib {w} (rel {rel:e})"
                );
            }
        }
        eprintln!("{column}: worst relative error {worst:e}");
    }
}
