//! `--report xlsx`: the run, sweep and walk-forward workbooks, read back
//! with calamine and compared cell by cell with report.json; fixed bytes;
//! `tradelab report --format xlsx` re-renders them.

mod common;
use common::*;

use std::path::Path;

use calamine::{open_workbook, Data, DataType, Range, Reader, Xlsx};
use serde_json::Value;

fn sheets(path: &Path) -> (Vec<String>, Xlsx<std::io::BufReader<std::fs::File>>) {
    let wb: Xlsx<_> = open_workbook(path).expect("a readable workbook");
    (wb.sheet_names().to_vec(), wb)
}

fn range(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Range<Data> {
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A number cell's value (a date's Excel serial).
fn f(r: &Range<Data>, row: u32, col: u32) -> Option<f64> {
    match r.get_value((row, col))? {
        Data::DateTime(d) => Some(d.as_f64()),
        d => d.as_f64(),
    }
}

fn s(r: &Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col))
        .and_then(|d| d.get_string().map(str::to_string))
        .unwrap_or_default()
}

/// A sheet's XML inside the workbook (for what calamine does not read:
/// conditional formats, autofilters, frozen panes, charts).
fn sheet_xml(path: &Path, n: usize) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut x = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap(),
        &mut x,
    )
    .unwrap();
    x
}

/// UTC ms of an ISO time, from an Excel serial (days since 1899-12-30).
fn ms(serial: f64) -> i64 {
    ((serial - 25_569.0) * 86_400_000.0).round() as i64
}

fn run_folder(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "-q",
        "run",
        "strategies/sma_cross.toml",
        "--report",
        "json,xlsx",
        "--out",
    ];
    let out = dir.display().to_string();
    args.push(&out);
    args.extend(extra);
    let r = tradelab(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap()
}

#[test]
fn the_run_workbook_holds_the_reports_numbers() {
    let dir = tempdir();
    let a = dir.path().join("a");
    let j = run_folder(&a, &["--benchmark", "datasets/sp500_index.csv"]);
    let path = a.join("report.xlsx");
    let (names, mut wb) = sheets(&path);
    assert_eq!(
        names,
        [
            "Summary",
            "Metrics",
            "Trades",
            "Equity",
            "Monthly",
            "Drawdowns",
            "Yearly"
        ]
    );
    let m = &j["metrics"];
    let b = &j["benchmark_metrics"];
    // Summary: the headline row of the strategy and of the S&P 500 (total
    // return 532.15 % against 39.13 %; the index held: exposure 100 %).
    let sum = range(&mut wb, "Summary");
    assert_eq!(s(&sum, 3, 1), "total return");
    assert_eq!(s(&sum, 4, 0), "strategy");
    assert_eq!(s(&sum, 5, 0), "SP500");
    assert_eq!(f(&sum, 4, 1), m["total_return"].as_f64());
    assert_eq!(f(&sum, 5, 1), b["total_return"].as_f64());
    assert_eq!(f(&sum, 4, 3), m["sharpe"].as_f64());
    assert_eq!(f(&sum, 5, 9), Some(1.0));
    assert!(
        sum.get_value((5, 7)).is_none_or(|d| d.is_empty()),
        "no benchmark trades"
    );
    assert!(s(&sum, 1, 0).contains("fast=10 slow=20 · benchmark: SP500"));
    // Metrics: every metric once, grouped, with the report's value and the
    // benchmark's where it has one.
    let met = range(&mut wb, "Metrics");
    let rows = met.height() as u32 - 1;
    assert_eq!(rows as usize, m.as_object().unwrap().len());
    assert_eq!(s(&met, 1, 0), "Returns");
    for r in 1..=rows {
        let k = s(&met, r, 1);
        assert_eq!(f(&met, r, 2), m[&k].as_f64(), "{k}");
        assert_eq!(
            f(&met, r, 3),
            b.get(&k).and_then(Value::as_f64),
            "{k} benchmark"
        );
    }
    // Trades: every trade, dates as real Excel dates.
    let tr = range(&mut wb, "Trades");
    let trades = j["trades"].as_array().unwrap();
    assert_eq!(tr.height() - 1, trades.len());
    for (i, t) in trades.iter().enumerate() {
        let r = 1 + i as u32;
        assert!(matches!(tr.get_value((r, 0)), Some(Data::DateTime(_))));
        let want = t["entry_time"].as_str().unwrap();
        let got = ms(f(&tr, r, 0).unwrap());
        assert_eq!(tradelab_iso(got), want);
        assert_eq!(f(&tr, r, 6), t["pnl"].as_f64());
        assert_eq!(f(&tr, r, 7), t["return"].as_f64());
    }
    // Equity: every bar (2,148), the benchmark scaled to the starting cash,
    // the drawdown's minimum the bar-level max drawdown.
    let eq = range(&mut wb, "Equity");
    assert_eq!(eq.height(), 2149);
    let e = j["equity"]["equity"].as_array().unwrap();
    for i in [0usize, 1000, 2147] {
        assert_eq!(f(&eq, 1 + i as u32, 1), e[i].as_f64());
    }
    // The S&P 500 on 2004-08-20 (1098.35) over 2004-08-19 (1091.23), times 10,000.
    let want = 1098.35 / 1091.23 * 10_000.0;
    assert!((f(&eq, 2, 2).unwrap() - want).abs() < 1e-9);
    let dd = (1..=2148)
        .filter_map(|r| f(&eq, r, 3))
        .fold(0.0f64, f64::min);
    assert_eq!(Some(dd), m["equity_max_drawdown"].as_f64());
    // Monthly: the heatmap's April 2008, +27.6 %, and each year's total.
    let mo = range(&mut wb, "Monthly");
    let row2008 = (1..mo.height() as u32)
        .find(|&r| f(&mo, r, 0) == Some(2008.0))
        .unwrap();
    assert!((f(&mo, row2008, 4).unwrap() - 0.276).abs() < 5e-4);
    let year: f64 = (1..=12)
        .filter_map(|c| f(&mo, row2008, c))
        .map(|v| 1.0 + v)
        .product();
    assert!((f(&mo, row2008, 13).unwrap() - (year - 1.0)).abs() < 1e-12);
    // Drawdowns: every episode, deepest first, with the JSON's depth.
    let dr = range(&mut wb, "Drawdowns");
    let eps = j["drawdowns"].as_array().unwrap();
    assert_eq!(dr.height() - 1, eps.len());
    assert_eq!(f(&dr, 1, 6), eps[0]["depth"].as_f64());
    assert_eq!(f(&dr, 1, 4), eps[0]["days"].as_f64());
    // Yearly: strategy − benchmark.
    let ye = range(&mut wb, "Yearly");
    let y0 = &j["yearly"][0];
    assert_eq!(f(&ye, 1, 1), y0["strategy"].as_f64());
    let diff = y0["strategy"].as_f64().unwrap() - y0["benchmark"].as_f64().unwrap();
    assert_eq!(f(&ye, 1, 3), Some(diff));
    // What calamine does not read: the colour scale on the monthly table,
    // the trades' autofilter and frozen header, the equity chart.
    assert!(sheet_xml(&path, 5)
        .contains("<conditionalFormatting sqref=\"B2:M11\"><cfRule type=\"colorScale\""));
    let trades_xml = sheet_xml(&path, 3);
    assert!(trades_xml.contains("<autoFilter ref=\"A1:M48\""));
    assert!(trades_xml.contains("state=\"frozen\""));
    assert!(sheet_xml(&path, 4).contains("<drawing r:id="));
}

/// The ISO text tradelab writes for UTC ms at midnight.
fn tradelab_iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}

#[test]
fn workbooks_are_byte_identical_and_re_render_from_json() {
    let dir = tempdir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run_folder(&a, &[]);
    run_folder(&b, &[]);
    let bytes = std::fs::read(a.join("report.xlsx")).unwrap();
    assert!(bytes == std::fs::read(b.join("report.xlsx")).unwrap());
    let c = dir.path().join("c");
    let r = tradelab(&[
        "-q",
        "report",
        a.join("report.json").to_str().unwrap(),
        "--format",
        "xlsx",
        "--out",
        c.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(bytes == std::fs::read(c.join("report.xlsx")).unwrap());
    // The creation time is fixed (2000-01-01), not the clock's.
    let mut z = zip::ZipArchive::new(std::fs::File::open(a.join("report.xlsx")).unwrap()).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut z.by_name("docProps/core.xml").unwrap(), &mut core).unwrap();
    assert!(core.contains("2000-01-01T00:00:00Z"), "{core}");
}

#[test]
fn portfolio_workbooks_add_weights_and_symbols() {
    let dir = tempdir();
    let out = dir.path().join("p");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/portfolio_momentum.toml",
        "--report",
        "json,xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let (names, mut wb) = sheets(&out.join("report.xlsx"));
    assert_eq!(names[7..], ["Weights", "Per symbol"]);
    let per = range(&mut wb, "Per symbol");
    let want = j["per_symbol"].as_array().unwrap();
    assert_eq!(per.height() - 1, want.len());
    assert_eq!(s(&per, 1, 0), want[0]["symbol"].as_str().unwrap());
    assert_eq!(f(&per, 1, 2), want[0]["pnl"].as_f64());
    let w = range(&mut wb, "Weights");
    assert_eq!(s(&w, 0, 1), want[0]["symbol"].as_str().unwrap());
    let h = &j["holdings"];
    assert_eq!(w.height() - 1, h["bar"].as_array().unwrap().len());
    assert_eq!(f(&w, 1, 1), h["weights"][0][0].as_f64());
    // A symbol column per trade.
    let tr = range(&mut wb, "Trades");
    assert_eq!(s(&tr, 0, 0), "symbol");
}

#[test]
fn sweep_and_walkforward_workbooks() {
    let dir = tempdir();
    let out = dir.path().join("g");
    let r = tradelab(&[
        "-q",
        "optimize",
        "strategies/sma_cross.toml",
        "--report",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let trials = std::fs::read_to_string(out.join("trials.csv")).unwrap();
    let (names, mut wb) = sheets(&out.join("report.xlsx"));
    assert_eq!(names, ["Summary", "Trials", "Heatmap"]);
    let t = range(&mut wb, "Trials");
    assert_eq!(t.height(), trials.lines().count());
    // The objective (sharpe) column of trial 0 equals trials.csv's.
    let head: Vec<&str> = trials.lines().next().unwrap().split(',').collect();
    let first: Vec<&str> = trials.lines().nth(1).unwrap().split(',').collect();
    let csv_sharpe: f64 = first[head.iter().position(|h| *h == "sharpe").unwrap()]
        .parse()
        .unwrap();
    let col = (0..t.width() as u32)
        .find(|&c| s(&t, 0, c) == "sharpe")
        .unwrap();
    assert_eq!(f(&t, 1, col), Some(csv_sharpe));
    let xml = sheet_xml(&out.join("report.xlsx"), 2);
    assert!(xml.contains("<autoFilter ref="));
    assert!(xml.contains("type=\"colorScale\""));
    // The heatmap: slow down the rows, fast across, the best's cell its sharpe.
    let best: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("best.json")).unwrap()).unwrap();
    let h = range(&mut wb, "Heatmap");
    let (bf, bs) = (
        best["best"]["params"]["fast"].as_f64().unwrap(),
        best["best"]["params"]["slow"].as_f64().unwrap(),
    );
    let c = (1..h.width() as u32)
        .find(|&c| f(&h, 1, c) == Some(bf))
        .unwrap();
    let r = (2..h.height() as u32)
        .find(|&r| f(&h, r, 0) == Some(bs))
        .unwrap();
    assert_eq!(f(&h, r, c), best["best"]["metrics"]["sharpe"].as_f64());
    assert!(sheet_xml(&out.join("report.xlsx"), 3).contains("type=\"colorScale\""));

    let w = dir.path().join("w");
    let r = tradelab(&[
        "-q",
        "walkforward",
        "strategies/sma_cross.toml",
        "--train",
        "500",
        "--test",
        "250",
        "--report",
        "json,xlsx",
        "--out",
        w.to_str().unwrap(),
        "--jobs",
        "1",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j: Value =
        serde_json::from_str(&std::fs::read_to_string(w.join("report.json")).unwrap()).unwrap();
    let (names, mut wb) = sheets(&w.join("report.xlsx"));
    assert_eq!(names, ["Summary", "Windows", "Equity"]);
    let win = range(&mut wb, "Windows");
    let windows = j["windows"].as_array().unwrap();
    assert_eq!(win.height() - 1, windows.len());
    let ret = (0..win.width() as u32)
        .find(|&c| s(&win, 0, c) == "test total_return")
        .unwrap();
    assert_eq!(
        f(&win, 1, ret),
        windows[0]["test_metrics"]["total_return"].as_f64()
    );
    // The out-of-sample equity: one row per test bar (windows of 250 bars).
    let eq = range(&mut wb, "Equity");
    let bars: u64 = windows
        .iter()
        .map(|w| {
            w["test"]["end_bar"].as_u64().unwrap() - w["test"]["start_bar"].as_u64().unwrap() + 1
        })
        .sum();
    assert_eq!(eq.height() as u64 - 1, bars);
}

#[test]
fn a_monte_carlo_report_has_no_workbook() {
    let dir = tempdir();
    let r = tradelab(&[
        "montecarlo",
        "strategies/sma_cross.toml",
        "--paths",
        "50",
        "--report",
        "xlsx",
        "--out",
        dir.path().join("m").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no Excel form"), "{}", r.stderr);
    assert!(!dir.path().join("m/report.xlsx").exists());
}
