//! `run --report json,html,pdf` and `tradelab report`: the report folder, a
//! self-contained HTML file, an A4 PDF with selectable text, and
//! re-rendering both from report.json.

mod common;
use common::*;

#[test]
fn run_writes_a_self_contained_report_folder() {
    let dir = tempdir();
    let out = dir.path().join("rep");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/sma_cross.toml",
        "--report",
        "json,html,pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        files_in(&out),
        vec![
            "equity.csv",
            "report.html",
            "report.json",
            "report.pdf",
            "trades.csv"
        ]
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Nothing fetched from a network, every chart inline.
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("<script") && !html.contains("<link"));
    // The tearsheet's three (cumulative return, underwater, monthly
    // heatmap), the yearly bars, rolling Sharpe, volatility and beta, the
    // daily and monthly return distributions, trade returns, log equity,
    // price and trades: 12.
    assert_eq!(html.matches("<svg").count(), 12);
    assert_eq!(assert_svgs_parse(&html), 12);
    // The tearsheet comes before the contents: the header line, then the
    // headline figures of the strategy and of buy and hold (GOOG 100.34 →
    // 806.19: +703.46 %, the compounded daily returns of the close).
    let contents = html.find("<h2>Contents</h2>").unwrap();
    let header = html
        .find("sma_cross on datasets/GOOG.csv · 2004-08-19 to 2013-03-01 (2148 bars) · fast=10 slow=20 · benchmark: buy and hold")
        .expect("the header line");
    assert!(header < contents);
    let strategy_row = "<tr><td>strategy</td><td>532.15 %</td><td>24.16 %</td><td>1.0804</td><td>1.7469</td><td>-20.02 %</td><td>22.31 %</td><td>47</td><td>61.70 %</td><td>57.36 %</td></tr>";
    assert!(html.find(strategy_row).expect("headline row") < contents);
    assert!(html.contains("<tr><td>buy and hold</td><td>703.46 %</td>"));
    let cumulative = html.find("Cumulative return (%)").unwrap();
    let underwater = html.find("Underwater: fall from the peak (%)").unwrap();
    let heatmap = html.find("Monthly returns (%)").unwrap();
    assert!(cumulative < underwater && underwater < heatmap && heatmap < contents);
    // The sections after it, in the issue's order.
    let order = [
        "id=\"metrics\"",
        "id=\"worst-drawdowns\"",
        "id=\"yearly\"",
        "id=\"sharpe\"",
        "id=\"volatility\"",
        "id=\"beta\"",
        "id=\"distribution\"",
        "id=\"price\"",
        "id=\"trades\"",
        "id=\"setup\"",
    ];
    let at: Vec<usize> = order.iter().map(|k| html.find(k).expect(k)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "section order");
    // The distributions mark the 95 % VaR: the metric's −1.90 %.
    assert!(html.contains("Distribution of daily returns (%)"));
    assert!(html.contains("Distribution of monthly returns (%)"));
    assert!(html.contains("VaR 95 %: -1.90 %"));
    assert!(html.contains("normal fit"));
    for section in [
        "Contents",
        "Key metrics",
        "Worst drawdowns (5 of 75)",
        "Yearly returns",
        "Return by calendar year (%)",
        "Equity (log scale)",
        "Monthly returns",
        "Trade returns",
        "Price and trades",
        "Rolling Sharpe",
        "Rolling 6-month volatility (annualized)",
        "Rolling 6-month beta against buy and hold",
        "Trades (47)",
        "Setup",
    ] {
        assert!(html.contains(section), "{section}");
    }
    // The metric tables show the run's numbers, grouped, beside the
    // benchmark's: Sharpe 1.0804 (buy and hold of GOOG 0.8815) opens the
    // risk-adjusted group.
    assert!(
        html.contains("<th>Risk-adjusted</th><th>strategy</th><th>buy and hold</th><th></th><th>strategy</th><th>buy and hold</th></tr><tr><td>sharpe</td><td>1.0804</td><td>0.8815</td>"),
        "sharpe row"
    );
    // The PDF: A4 pages numbered "page i of n", the same sections, and the
    // metrics as selectable text (sharpe 1.0804, total_return 532.15 %).
    let (text, pages) = pdf_text(&out.join("report.pdf"));
    assert!((5..=10).contains(&pages), "{pages} pages");
    // Page 1 is the tearsheet alone: the contents start page 2.
    let first = text.split('\u{c}').next().unwrap();
    for needle in [
        "total return",
        "532.15 %",
        "Cumulative return (%)",
        "Underwater",
        "Monthly returns (%)",
        "sma_cross · page 1 of",
    ] {
        assert!(first.contains(needle), "page 1 lacks {needle:?}");
    }
    assert!(!first.contains("Contents"));
    assert!(text.contains(&format!("sma_cross · page {pages} of {pages}")));
    for needle in [
        "Contents",
        "Setup",
        "Key metrics",
        "Monthly returns",
        "Rolling Sharpe",
        "Rolling 6-month volatility (annualized)",
        "Rolling 6-month beta against buy and hold",
        "Trades (47)",
        "sharpe",
        "1.0804",
        "total_return",
        "532.15 %",
        "max_drawdown",
        "-20.02 %",
        // The chart's own labels are text too.
        "Equity against buy and hold",
        "Monthly returns (%)",
        // 47 trades: the first 20 and the last 20 (the last entered on
        // 2012-12-03), and the 7 between them counted.
        "2012-12-03",
        "… 7 rows not shown",
    ] {
        assert!(text.contains(needle), "the PDF text lacks {needle:?}");
    }
    // report.json = run --json plus the equity curve.
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let single = tradelab(&["run", "strategies/sma_cross.toml", "--json"]).json();
    assert_eq!(j["metrics"], single["metrics"]);
    assert_eq!(j["trades"], single["trades"]);
    assert_eq!(j["equity"]["t"].as_array().unwrap().len(), 2148);
    assert_eq!(
        j["equity"]["equity"][2147],
        single["metrics"]["final_equity"]
    );
    let trades = std::fs::read_to_string(out.join("trades.csv")).unwrap();
    assert_eq!(trades.lines().count(), 48);
    assert!(trades
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("2004-12-06T00:00:00Z,2004-12-20T00:00:00Z,long,55.0,179.13,182.0,118.1257"));
    let equity = std::fs::read_to_string(out.join("equity.csv")).unwrap();
    assert_eq!(equity.lines().nth(1), Some("2004-08-19,10000.0,100.34"));
}

#[test]
fn report_re_renders_the_same_html_from_json() {
    let dir = tempdir();
    let a = dir.path().join("a");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/rsi_reversion.toml",
        "--report",
        "json,html,pdf",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = dir.path().join("b");
    let r = tradelab(&[
        "-q",
        "report",
        a.join("report.json").to_str().unwrap(),
        "--format",
        "html,pdf",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Another process renders the same bytes (svg2pdf's hash-ordered
    // resource entries are sorted).
    for f in ["report.html", "report.pdf"] {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
    assert_eq!(
        files_in(&b),
        vec!["equity.csv", "report.html", "report.pdf", "trades.csv"]
    );
}

#[test]
fn identical_runs_write_identical_report_folders() {
    let dir = tempdir();
    let folder = |name: &str| {
        let out = dir.path().join(name);
        let r = tradelab(&[
            "-q",
            "run",
            "strategies/macd_trend.toml",
            "--data",
            "datasets/EURUSD.csv",
            "--report",
            "json,pdf",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        out
    };
    let (a, b) = (folder("a"), folder("b"));
    for f in ["report.json", "report.pdf", "trades.csv", "equity.csv"] {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
    // EURUSD hourly has hundreds of trades: the PDF lists the first and last
    // 20 and counts the rest; the HTML has every one.
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("report.json")).unwrap()).unwrap();
    let n = j["trades"].as_array().unwrap().len();
    assert!(n > 40, "{n} trades");
    let (text, _) = pdf_text(&a.join("report.pdf"));
    assert!(
        text.contains(&format!("… {} rows not shown", n - 40)),
        "the count of trades left out"
    );
}

#[test]
fn batch_reports_get_one_folder_each_and_bad_formats_are_refused() {
    let dir = tempdir();
    let out = dir.path().join("many");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/sma_cross.toml",
        "strategies/ema_cross.toml",
        "--data",
        "datasets/BTCUSD.csv",
        "--report",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(files_in(&out), vec!["ema_cross_BTCUSD", "sma_cross_BTCUSD"]);
    let r = tradelab(&["run", "strategies/sma_cross.toml", "--report", "docx"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (
            2,
            "error: --report: unknown report format 'docx': expected json, html, pdf and/or xlsx"
        )
    );
    let r = tradelab(&["run", "strategies/sma_cross.toml", "--report", ","]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (
            2,
            "error: --report: no report format given: expected json, html, pdf and/or xlsx"
        )
    );
    assert_eq!(files_in(dir.path()), vec!["many"]);
}

/// `--drawdowns N` sets how many of the worst drawdowns the report lists;
/// the rows are the run JSON's deepest episodes, in order.
#[test]
fn the_report_lists_the_worst_drawdowns_and_the_years() {
    let dir = tempdir();
    let out = dir.path().join("r");
    let r = tradelab(&[
        "-q",
        "run",
        "strategies/sma_cross.toml",
        "--report",
        "json,html",
        "--drawdowns",
        "7",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Worst drawdowns (7 of 75)"));
    // The deepest: 2006-01-12 .. 2006-10-20, 282 days, 196 periods, −20.02 %.
    assert!(html.contains("<td>1</td><td>2006-01-12</td><td>2006-06-12</td><td>2006-10-20</td><td>2006-10-23</td><td>282</td><td>196</td><td>-20.02 %</td>"), "first row");
    // 2008: the strategy 13.69 %, buy and hold −55.51 %, difference 69.20 %.
    assert!(html.contains("<td>2008</td><td>13.69 %</td><td>-55.51 %</td><td>69.20 %</td>"));
    // Re-rendered from report.json: the same bytes.
    let again = dir.path().join("again");
    let r = tradelab(&[
        "-q",
        "report",
        out.join("report.json").to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        html,
        std::fs::read_to_string(again.join("report.html")).unwrap()
    );
}
