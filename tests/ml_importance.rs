//! `ml evaluate --importance`: permutation importance on the out-of-sample
//! windows ranks an informative feature first and a pure-noise one last,
//! near 0; seeded and repeatable; with a bar chart in its report.

mod common;
use common::*;

/// 1,500 daily bars: a random walk whose volume tells the next bar's
/// direction (1,500 + noise before an up bar, 1,000 + noise otherwise) and
/// whose high − close is pure noise.
fn data() -> String {
    let mut x: u64 = 12345;
    let mut u = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let n = 1500;
    let mut close = vec![100.0f64];
    for _ in 1..n {
        let last = *close.last().unwrap();
        close.push(last * (1.0 + (u() - 0.5) * 0.04));
    }
    let mut s = String::from("date,open,high,low,close,volume\n");
    for t in 0..n {
        let up = t + 1 < n && close[t + 1] > close[t];
        let volume = if up { 1500.0 } else { 1000.0 } + (u() * 100.0).round();
        let c = close[t];
        let (h, l) = (c + u() * 2.0, c - 0.5);
        let d = 20_000 + t as i64; // days since 1970
        let (y, m, dd) = civil(d);
        s.push_str(&format!("{y:04}-{m:02}-{dd:02},{c},{h},{l},{c},{volume}\n"));
    }
    s
}

const STRATEGY: &str = "name = \"imp\"\n[model]\nkind = \"logistic\"\nfeatures = [\"volume\", \"high - close\"]\nlabel = \"shift(close, -1) > close\"\nhorizon = 1\ntrain_bars = 300\nretrain_every = 100\n[signals]\nlong_entry = \"model > 0.5\"\nlong_exit = \"model < 0.5\"\n";

#[test]
fn the_informative_feature_first_and_the_noise_last() {
    let dir = tempdir();
    let d = write(dir.path(), "d.csv", data());
    let s = write(dir.path(), "s.toml", STRATEGY);
    let run = || {
        let r = tradelab(&[
            "ml",
            "evaluate",
            &s,
            "--data",
            &d,
            "--importance",
            "--repeats",
            "4",
            "--seed",
            "9",
            "--json",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    };
    let j = run();
    // The model reads volume: its out-of-sample ROC AUC is near 1.
    assert!(j["model"]["classification"]["roc_auc"].as_f64().unwrap() > 0.95);
    let f = j["importance"]["features"].as_array().unwrap();
    assert_eq!(f[0]["feature"], "volume");
    assert_eq!(f[1]["feature"], "high - close");
    // Shuffling volume takes the AUC to about 0.5: a drop near 0.45;
    // shuffling the noise changes next to nothing.
    assert!(f[0]["mean"].as_f64().unwrap() > 0.3, "{}", f[0]);
    assert!(f[1]["mean"].as_f64().unwrap().abs() < 0.02, "{}", f[1]);
    assert_eq!(f[0]["drops"].as_array().unwrap().len(), 4);
    // Seeded: the same numbers again, whatever the thread count.
    assert_eq!(j["importance"], run()["importance"]);
    let one = tradelab_with_threads(
        1,
        &[
            "ml",
            "evaluate",
            &s,
            "--data",
            &d,
            "--importance",
            "--repeats",
            "4",
            "--seed",
            "9",
            "--json",
        ],
    )
    .json();
    assert_eq!(j["importance"], one["importance"]);
    // The report: a bar chart and the table.
    let out = dir.path().join("rep");
    let r = tradelab(&[
        "-q",
        "ml",
        "evaluate",
        &s,
        "--data",
        &d,
        "--importance",
        "--report",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(assert_svgs_parse(&html), 1);
    assert!(html.contains("Permutation importance: drop in ROC AUC when shuffled"));
    // --report without --importance is refused.
    let r = tradelab(&["ml", "evaluate", &s, "--data", &d, "--report", "html"]);
    assert_eq!(r.code, 2);
}
