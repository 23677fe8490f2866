//! `tradelab walkforward`: windows, stitching, and no look into the future.

mod common;
use common::*;

fn wf(data: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "walkforward",
        "strategies/sma_cross.toml",
        "--data",
        data,
        "--json",
    ];
    args.extend_from_slice(extra);
    let r = tradelab(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

#[test]
fn rolling_windows_on_goog() {
    let j = wf("datasets/GOOG.csv", &["--train", "500", "--test", "250"]);
    let w = j["windows"].as_array().unwrap();
    // Training starts at 0, 250, ..., 1500: 7 windows; the last test window is bars 2000..=2147.
    assert_eq!(w.len(), 7);
    assert_eq!(
        (
            w[0]["train"]["start_bar"].as_u64(),
            w[0]["train"]["end_bar"].as_u64()
        ),
        (Some(0), Some(499))
    );
    assert_eq!(
        (
            w[0]["test"]["start_bar"].as_u64(),
            w[0]["test"]["end_bar"].as_u64()
        ),
        (Some(500), Some(749))
    );
    assert_eq!(
        (
            w[6]["test"]["start_bar"].as_u64(),
            w[6]["test"]["end_bar"].as_u64()
        ),
        (Some(2000), Some(2147))
    );
    assert_eq!(w[1]["train"]["start"], "2005-08-16T00:00:00Z");
    // The out-of-sample curve covers every test bar once: 2148 − 500.
    assert_eq!(j["out_of_sample"]["bars"], 1648.0);
    assert!(j["efficiency"].is_number());
    for win in w {
        assert!(win["params"]["fast"].as_f64().unwrap() < win["params"]["slow"].as_f64().unwrap());
        assert!(win["test_metrics"]["total_return"].is_number());
    }
}

#[test]
fn anchored_windows_start_at_the_first_bar() {
    let j = wf(
        "datasets/GOOG.csv",
        &["--train", "2y", "--test", "1y", "--anchored"],
    );
    let w = j["windows"].as_array().unwrap();
    assert!(w.len() >= 5);
    assert!(w.iter().all(|x| x["train"]["start_bar"] == 0));
    // Two calendar years of trading days: about 504 bars.
    let first_end = w[0]["train"]["end_bar"].as_u64().unwrap();
    assert!((495..=510).contains(&first_end), "{first_end}");
}

#[test]
fn windows_never_see_the_future() {
    // Cut GOOG after bar 999 (the end of window 2's test): windows 1 and 2
    // must choose the same parameters and trade exactly the same.
    let dir = tempdir();
    let text = std::fs::read_to_string(dataset("GOOG.csv")).unwrap();
    let cut: Vec<&str> = text.lines().take(1001).collect();
    let short = write(dir.path(), "GOOG_cut.csv", cut.join("\n") + "\n");
    let full = wf("datasets/GOOG.csv", &["--train", "500", "--test", "250"]);
    let part = wf(&short, &["--train", "500", "--test", "250"]);
    let (f, p) = (
        full["windows"].as_array().unwrap(),
        part["windows"].as_array().unwrap(),
    );
    assert_eq!(p.len(), 2);
    for k in 0..2 {
        assert_eq!(f[k]["params"], p[k]["params"], "window {k}");
        assert_eq!(f[k]["test_metrics"], p[k]["test_metrics"], "window {k}");
    }
}

#[test]
fn errors() {
    let r = tradelab(&[
        "walkforward",
        "strategies/sma_cross.toml",
        "--train",
        "5000",
        "--test",
        "100",
    ]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (
            2,
            "error: no walk-forward window fits in 2148 bars: shorten --train or --test"
        )
    );
    let r = tradelab(&[
        "walkforward",
        "strategies/sma_cross.toml",
        "--train",
        "two years",
        "--test",
        "100",
    ]);
    assert_eq!((r.code, r.stderr.trim_end()), (2, "error: invalid --train 'two years': a number of bars (500) or a span (90d, 12w, 6m, 2y)"));
}

#[test]
fn walkforward_report() {
    let dir = tempdir();
    let out = dir.path().join("wf");
    let r = tradelab(&[
        "-q",
        "walkforward",
        "strategies/sma_cross.toml",
        "--train",
        "500",
        "--test",
        "250",
        "--report",
        "json,html,pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        files_in(&out),
        vec!["report.html", "report.json", "report.pdf"]
    );
    let (text, _) = pdf_text(&out.join("report.pdf"));
    for needle in [
        "Walk-forward of sma_cross",
        "Windows",
        "Out-of-sample equity",
        "Out-of-sample metrics",
    ] {
        assert!(text.contains(needle), "the PDF text lacks {needle:?}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.matches("<tr><td>").count() >= 7);
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(j["windows"].as_array().unwrap().len(), 7);
}

/// walkforward searches each training window through the same interface as
/// optimize, so a seeded genetic search works there too, reproducibly.
#[test]
fn walkforward_with_a_genetic_search() {
    let args = [
        "--train",
        "500",
        "--test",
        "250",
        "--method",
        "genetic",
        "--population",
        "8",
        "--generations",
        "3",
        "--seed",
        "7",
    ];
    let a = wf("datasets/GOOG.csv", &args);
    let w = a["windows"].as_array().unwrap();
    assert_eq!(w.len(), 7);
    for win in w {
        // Each window's parameters are a point of the grid found by the search.
        let (f, s) = (
            win["params"]["fast"].as_f64().unwrap(),
            win["params"]["slow"].as_f64().unwrap(),
        );
        assert!(f < s && f % 5.0 == 0.0 && s % 10.0 == 0.0, "{f} {s}");
        assert!(win["in_sample_objective"].is_number());
    }
    let b = wf("datasets/GOOG.csv", &[&args[..], &["--jobs", "1"]].concat());
    assert_eq!(
        a, b,
        "the same seed gives the same walk-forward on any thread count"
    );
}
