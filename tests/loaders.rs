//! The candle loaders: every CSV time and column shape, Parquet time types,
//! Binance dumps, and the row numbers in their errors.

mod common;
use common::*;

use polars::prelude::*;
use std::path::Path;
use tradelab::data;

// 2020-01-01T00:00:00Z and the next hour, in UTC milliseconds.
const T0: i64 = 1_577_836_800_000;
const H: i64 = 3_600_000;

fn load_text(name: &str, text: &str) -> data::Candles {
    let dir = tempdir();
    let p = write(dir.path(), name, text);
    data::load(Path::new(&p))
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

#[test]
fn iso_time_shapes_all_mean_the_same_instant() {
    for (a, b) in [
        ("2020-01-01T00:00:00", "2020-01-01T01:00:00"),
        ("2020-01-01 00:00", "2020-01-01 01:00"),
        ("2020-01-01T00:00:00Z", "2020-01-01T01:00:00Z"),
        ("2020-01-01T02:00:00+02:00", "2020-01-01T03:00:00+02:00"),
        ("2019-12-31T19:00:00-0500", "2019-12-31T20:00:00-0500"),
        ("2020-01-01T00:00:00.000Z", "2020-01-01T01:00:00.000Z"),
    ] {
        let c = load_text(
            "t.csv",
            &format!("timestamp,open,high,low,close\n{a},1,2,0.5,1.5\n{b},1,2,0.5,1.5\n"),
        );
        assert_eq!(c.ts, vec![T0, T0 + H], "{a}");
        assert_eq!(c.spacing_ms, H);
    }
}

#[test]
fn epochs_detected_by_magnitude() {
    for (a, b) in [
        ("1577836800", "1577840400"),
        ("1577836800000", "1577840400000"),
        ("1577836800000000", "1577840400000000"),
    ] {
        let c = load_text(
            "t.csv",
            &format!("time,open,high,low,close,volume\n{a},1,2,0.5,1.5,3\n{b},1,2,0.5,1.5,4\n"),
        );
        assert_eq!(c.ts, vec![T0, T0 + H], "{a}");
    }
}

#[test]
fn column_names_any_case_any_order_volume_optional() {
    let c = load_text(
        "t.csv",
        "Close,DATE,Open,Extra,Low,High\n1.5,2020-01-01,1,x,0.5,2\n1.25,2020-01-02,1.5,y,1,1.75\n",
    );
    assert_eq!(c.ts, vec![T0, T0 + 24 * H]);
    assert_eq!(c.open, vec![1.0, 1.5]);
    assert_eq!(c.high, vec![2.0, 1.75]);
    assert_eq!(c.low, vec![0.5, 1.0]);
    assert_eq!(c.close, vec![1.5, 1.25]);
    assert!(!c.has_volume);
    assert_eq!(c.volume, vec![0.0, 0.0]);
    for name in ["timestamp", "Datetime", "open_time", "TIME"] {
        let c = load_text(
            "t.csv",
            &format!("{name},open,high,low,close\n2020-01-01,1,2,0.5,1.5\n"),
        );
        assert_eq!(c.ts, vec![T0], "{name}");
    }
}

#[test]
fn delimiters_bom_crlf_and_quotes() {
    let want = vec![T0, T0 + 24 * H];
    let semi = load_text(
        "t.csv",
        "date;open;high;low;close\n2020-01-01;1;2;0.5;1.5\n2020-01-02;1;2;0.5;1.5\n",
    );
    assert_eq!(semi.ts, want);
    let tab = load_text(
        "t.tsv",
        "date\topen\thigh\tlow\tclose\n2020-01-01\t1\t2\t0.5\t1.5\n2020-01-02\t1\t2\t0.5\t1.5\n",
    );
    assert_eq!(tab.ts, want);
    let bom = load_text(
        "t.csv",
        "\u{feff}date,open,high,low,close\r\n2020-01-01,1,2,0.5,1.5\r\n2020-01-02,1,2,0.5,1.25\r\n",
    );
    assert_eq!(bom.ts, want);
    assert_eq!(bom.close, vec![1.5, 1.25]);
    let quoted = load_text("t.csv", "\"date\",\"open\",\"high\",\"low\",\"close\"\n\"2020-01-01\",\"1\",\"2\",\"0.5\",\"1.5\"\n");
    assert_eq!(quoted.close, vec![1.5]);
}

#[test]
fn binance_dump_columns() {
    let (c, _) = data::load(&fixture("BTCUSDT-1h-binance.csv")).unwrap();
    assert_eq!(c.format, data::Format::Binance);
    assert_eq!(c.len(), 24);
    // First line: 1704067200000,42283.58,42405.35,42204.82,42299.60,1438.58046,...
    assert_eq!(c.ts[0], 1_704_067_200_000);
    assert_eq!(
        (c.open[0], c.high[0], c.low[0], c.close[0]),
        (42283.58, 42405.35, 42204.82, 42299.60)
    );
    assert_eq!(c.volume[0], 1438.58046);
    assert_eq!(c.locate(0), tradelab::Location::Line(1));
}

#[test]
fn binance_dump_errors_name_the_line() {
    // No header, so data row k is line k: the bad close sits on line 2.
    let dir = tempdir();
    let good = std::fs::read_to_string(fixture("BTCUSDT-1h-binance.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().take(3).map(String::from).collect();
    lines[1] = lines[1].replacen(",42467.51000000,", ",4x467.51,", 1);
    write(dir.path(), "k.csv", lines.join("\n") + "\n");
    let r = tradelab_in(dir.path(), &["data", "info", "k.csv"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim_end(),
        "error: k.csv:2: cannot parse '4x467.51' as a number in column 'close'"
    );
}

#[test]
fn headerless_file_that_is_not_binance() {
    let dir = tempdir();
    write(dir.path(), "x.csv", "1577836800,1,2,0.5,1.5\n");
    let r = tradelab_in(dir.path(), &["data", "info", "x.csv"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim_end(),
        "error: x.csv:1: no header row, and 5 columns is not a Binance kline dump (12): add a header naming timestamp, open, high, low, close[, volume]"
    );
}

/// Writes a Parquet file with the given time column and two valid bars.
fn parquet_with_time(dir: &Path, time: Column) -> String {
    let n = time.len();
    let mut df = DataFrame::new(
        n,
        vec![
            time,
            Column::new("Open".into(), vec![1.0; n]),
            Column::new("High".into(), vec![2.0; n]),
            Column::new("Low".into(), vec![0.5; n]),
            Column::new("Close".into(), vec![1.5; n]),
            Column::new("Volume".into(), vec![7i64; n]),
        ],
    )
    .unwrap();
    let p = dir.join("t.parquet");
    ParquetWriter::new(std::fs::File::create(&p).unwrap())
        .finish(&mut df)
        .unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn parquet_time_types() {
    let dir = tempdir();
    let us = Column::new("timestamp".into(), vec![T0 * 1000, (T0 + H) * 1000])
        .cast(&DataType::Datetime(TimeUnit::Microseconds, None))
        .unwrap();
    let date = Column::new("date".into(), vec![18262i32, 18263])
        .cast(&DataType::Date)
        .unwrap();
    let epoch = Column::new("ts".into(), vec![T0 / 1000, (T0 + H) / 1000]);
    let text = Column::new(
        "datetime".into(),
        vec!["2020-01-01T00:00:00Z", "2020-01-01T01:00:00Z"],
    );
    for (col, step) in [(us, H), (date, 24 * H), (epoch, H), (text, H)] {
        let name = col.name().to_string();
        let p = parquet_with_time(dir.path(), col);
        let (c, _) = data::load(Path::new(&p)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(c.format, data::Format::Parquet);
        assert_eq!(c.ts, vec![T0, T0 + step], "{name}");
        assert_eq!(c.volume, vec![7.0, 7.0]);
        assert_eq!(c.columns[0], name);
    }
}

#[test]
fn parquet_errors_name_the_row() {
    let dir = tempdir();
    let dup = Column::new("ts".into(), vec![T0, T0 + H, T0 + H]);
    let p = parquet_with_time(dir.path(), dup);
    let e = data::load(Path::new(&p)).unwrap_err().to_string();
    assert_eq!(
        e,
        format!("{p}: row 3: duplicate timestamp 2020-01-01T01:00:00")
    );

    let mut df =
        df!("timestamp" => [T0], "open" => [1.0], "high" => [2.0], "low" => [0.5]).unwrap();
    let p = dir.path().join("noclose.parquet");
    ParquetWriter::new(std::fs::File::create(&p).unwrap())
        .finish(&mut df)
        .unwrap();
    let r = tradelab_in(dir.path(), &["data", "info", "noclose.parquet"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim_end(),
        "error: noclose.parquet: missing required column 'close' (columns: timestamp, open, high, low)"
    );

    write(dir.path(), "fake.parquet", "timestamp,open\n");
    let r = tradelab_in(dir.path(), &["data", "info", "fake.parquet"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: fake.parquet: not a readable Parquet file"),
        "{}",
        r.stderr
    );
}

#[test]
fn shipped_datasets_load_without_errors() {
    for name in ["GOOG.csv", "EURUSD.csv", "BTCUSD.csv"] {
        let (c, warnings) = data::load(&dataset(name)).unwrap();
        assert!(c.len() > 100);
        assert!(warnings
            .iter()
            .all(|w| w.severity == data::Severity::Warning));
    }
}

#[test]
fn plain_files_read_fast_give_what_the_general_reader_gives() {
    // 120,000 rows (about 8 MB: two ranges read in parallel on two cores)
    // with short decimals (an exact division), long ones and exponents
    // (str::parse), negative values and zeros. The same rows with one
    // quoted field go through polars; every plain variant must give the
    // same candles bit for bit.
    let mut rows = Vec::new();
    let mut p = 100.0f64;
    for i in 0..120_000u64 {
        p += ((i * 7919 % 201) as f64 - 100.0) * 0.0137;
        let long = format!("{:.17}", p * 1.000_000_1);
        let fields = [
            format!("{:.4}", p),
            long,
            format!("{:e}", p * 0.999),
            if i % 1000 == 0 {
                "-0.0".to_string()
            } else {
                format!("{:.2}", p - 0.5)
            },
            format!("{}", i * 37 % 5000),
        ];
        rows.push((T0 / 1000 + i as i64 * 60, fields));
    }
    let text = |sep: &str, eol: &str, quote_last: bool, final_eol: bool| {
        let mut s = format!("timestamp{sep}open{sep}high{sep}low{sep}close{sep}volume{eol}");
        for (k, (t, f)) in rows.iter().enumerate() {
            let mut line = format!("{t}{sep}{}", f.join(sep));
            if quote_last && k + 1 == rows.len() {
                line = format!("{t}{sep}{}{sep}\"{}\"", f[..4].join(sep), f[4]);
            }
            s.push_str(&line);
            if final_eol || k + 1 < rows.len() {
                s.push_str(eol);
            }
        }
        s
    };
    // Read without validation: a close of -0.0 is kept as parsed.
    let dir = tempdir();
    let read = |name: &str, text: &str| {
        let p = write(dir.path(), name, text);
        data::read(Path::new(&p)).unwrap_or_else(|e| panic!("{e}"))
    };
    let general = read("quoted.csv", &text(",", "\n", true, true));
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (name, variant) in [
        ("lf.csv", text(",", "\n", false, true)),
        ("crlf.csv", text(",", "\r\n", false, true)),
        ("no_final_newline.csv", text(",", "\n", false, false)),
        ("semicolons.csv", text(";", "\n", false, true)),
    ] {
        let c = read(name, &variant);
        assert_eq!(c.ts, general.ts, "{name}");
        for (a, b) in [
            (&c.open, &general.open),
            (&c.high, &general.high),
            (&c.low, &general.low),
            (&c.close, &general.close),
            (&c.volume, &general.volume),
        ] {
            assert_eq!(bits(a), bits(b), "{name}");
        }
        assert_eq!(
            (c.has_volume, c.origin),
            (general.has_volume, general.origin)
        );
    }
    assert_eq!(general.len(), 120_000);
    assert_eq!(general.ts[1] - general.ts[0], 60_000);
}
