//! `tradelab data quality`: each check on a hand-made file with exactly
//! that defect (and nothing else), a clean file, --strict and --json.

mod common;
use common::*;

const H: i64 = 3_600_000;
/// 2024-01-01T00:00:00Z, a Monday.
const JAN1: i64 = 1_704_067_200_000;

/// One bar.
#[derive(Clone, Copy)]
struct B {
    t: i64,
    o: f64,
    h: f64,
    l: f64,
    c: f64,
    v: f64,
}

/// 720 hourly bars, every day of the week (30 days): a gentle wave with a
/// little deterministic noise, each open the previous close, volume 1,000
/// to 1,199.
fn clean() -> Vec<B> {
    let mut prev = 100.0;
    (0..720)
        .map(|i| {
            let x = i as f64;
            let c = 100.0 + 2.0 * (x / 10.0).sin() + 0.01 * x + 0.05 * ((x * 7.3).sin());
            let b = B {
                t: JAN1 + i * H,
                o: prev,
                h: prev.max(c) + 0.1,
                l: prev.min(c) - 0.1,
                c,
                v: 1000.0 + ((i * 37) % 200) as f64,
            };
            prev = c;
            b
        })
        .collect()
}

fn csv(bars: &[B]) -> String {
    let mut s = String::from("timestamp,open,high,low,close,volume\n");
    for b in bars {
        let secs = b.t / 1000;
        let (d, r) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, dd) = civil(d);
        s.push_str(&format!(
            "{y:04}-{m:02}-{dd:02}T{:02}:{:02}:00,{},{},{},{},{}\n",
            r / 3600,
            r % 3600 / 60,
            b.o,
            b.h,
            b.l,
            b.c,
            b.v
        ));
    }
    s
}

/// `data quality --json` of `bars`: (check → findings) and the exit code with --strict.
fn quality(bars: &[B]) -> (serde_json::Value, i32) {
    let dir = tempdir();
    let f = write(dir.path(), "x.csv", csv(bars));
    let j = tradelab(&["data", "quality", &f, "--json"]);
    assert_eq!(j.code, 0, "{}", j.stderr);
    let strict = tradelab(&["data", "quality", &f, "--strict"]);
    (j.json(), strict.code)
}

fn found(j: &serde_json::Value) -> Vec<(String, u64)> {
    j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["count"].as_u64() != Some(0))
        .map(|c| {
            (
                c["check"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn first(j: &serde_json::Value, check: &str) -> serde_json::Value {
    j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == check)
        .unwrap()["findings"][0]
        .clone()
}

#[test]
fn a_clean_file_has_no_findings() {
    let (j, strict) = quality(&clean());
    assert_eq!(found(&j), vec![]);
    assert_eq!(j["ok"], true);
    assert_eq!(strict, 0);
    // 24/7 data has no session to be outside of.
    let s = j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "outside_session")
        .unwrap()
        .clone();
    assert_eq!(s["applies"], false);
}

#[test]
fn a_gap() {
    // Bars 300–304 removed: bar 305 follows bar 299 after 6 h, 5 bars missing.
    let mut b = clean();
    b.drain(300..305);
    let (j, strict) = quality(&b);
    assert_eq!(found(&j), vec![("gaps".to_string(), 1)]);
    let f = first(&j, "gaps");
    assert_eq!(f["bar"], 300);
    assert_eq!(f["bars"], 5);
    assert_eq!(f["time"], "2024-01-13T17:00:00");
    assert_eq!(strict, 1);
}

#[test]
fn stale_closes() {
    // Bars 400–406: seven bars at bar 400's close, flat.
    let mut b = clean();
    let c = b[400].c;
    for x in &mut b[400..407] {
        *x = B {
            o: c,
            h: c,
            l: c,
            c,
            ..*x
        };
    }
    b[407].o = c;
    b[407].h = b[407].h.max(c);
    b[407].l = b[407].l.min(c);
    let (j, _) = quality(&b);
    assert_eq!(found(&j), vec![("stale".to_string(), 1)]);
    let f = first(&j, "stale");
    assert_eq!(
        (f["bar"].as_u64(), f["bars"].as_u64()),
        (Some(400), Some(7))
    );
}

#[test]
fn an_outlier_that_reverts() {
    // Bar 500 closes 15 % high and bar 501 comes back: one outlier. A move
    // that stays (bar 600 onwards 15 % higher) is not one.
    let mut b = clean();
    b[500].c *= 1.15;
    b[500].h = b[500].c + 0.1;
    b[501].o = b[500].c;
    b[501].h = b[501].h.max(b[501].o);
    let (j, _) = quality(&b);
    assert_eq!(found(&j), vec![("outliers".to_string(), 1)]);
    assert_eq!(first(&j, "outliers")["bar"], 500);
    let mut b = clean();
    for x in &mut b[600..] {
        x.o *= 1.15;
        x.h *= 1.15;
        x.l *= 1.15;
        x.c *= 1.15;
    }
    b[600].o = b[599].c;
    b[600].l = b[600].l.min(b[600].o);
    let (j, _) = quality(&b);
    assert_eq!(found(&j), vec![]);
}

#[test]
fn volume_spikes_and_zero_volume_runs() {
    // Bar 650: 50,000 against a median near 1,100.
    let mut b = clean();
    b[650].v = 50_000.0;
    let (j, _) = quality(&b);
    assert_eq!(found(&j), vec![("volume_spikes".to_string(), 1)]);
    assert_eq!(first(&j, "volume_spikes")["bar"], 650);
    // Bars 200–203: volume 0 (four in a row; two in a row are not a run of 3).
    let mut b = clean();
    for x in &mut b[200..204] {
        x.v = 0.0;
    }
    b[100].v = 0.0;
    b[101].v = 0.0;
    let (j, _) = quality(&b);
    assert_eq!(found(&j), vec![("zero_volume".to_string(), 1)]);
    let f = first(&j, "zero_volume");
    assert_eq!(
        (f["bar"].as_u64(), f["bars"].as_u64()),
        (Some(200), Some(4))
    );
}

/// A market open 14:30–20:30 UTC on weekdays (30-minute bars), four weeks:
/// nights and weekends are no gaps; one bar at 03:00 is outside the session.
#[test]
fn bars_outside_the_session() {
    let half = H / 2;
    let mut bars = Vec::new();
    let mut prev = 50.0;
    for day in 0..28i64 {
        if day % 7 >= 5 {
            continue;
        }
        for k in 0..13i64 {
            let t = JAN1 + day * 24 * H + 14 * H + half + k * half;
            let x = (day * 13 + k) as f64;
            let c = 50.0 + (x / 7.0).sin() + 0.03 * (x * 3.1).sin();
            bars.push(B {
                t,
                o: prev,
                h: prev.max(c) + 0.05,
                l: prev.min(c) - 0.05,
                c,
                v: 500.0 + ((day * 13 + k) % 50) as f64,
            });
            prev = c;
        }
    }
    let (j, strict) = quality(&bars);
    assert_eq!(found(&j), vec![], "nights and weekends are closures");
    assert_eq!(strict, 0);
    // Tuesday of week 2, 03:00: between Monday's close and Tuesday's open.
    let t = JAN1 + 8 * 24 * H + 3 * H;
    let at = bars.partition_point(|b| b.t < t);
    let p = bars[at - 1].c;
    bars.insert(
        at,
        B {
            t,
            o: p,
            h: p + 0.05,
            l: p - 0.05,
            c: p,
            v: 500.0,
        },
    );
    bars[at + 1].o = p;
    bars[at + 1].h = bars[at + 1].h.max(p);
    bars[at + 1].l = bars[at + 1].l.min(p);
    let (j, strict) = quality(&bars);
    assert_eq!(found(&j), vec![("outside_session".to_string(), 1)]);
    let f = first(&j, "outside_session");
    assert_eq!(f["time"], "2024-01-09T03:00:00");
    assert_eq!(strict, 1);
}

#[test]
fn the_terminal_table_and_bad_input() {
    // GOOG: two closures of 2 trading days, 2007-01-01/02 and Hurricane Sandy
    // (2012-10-29/30); single holidays are not gaps.
    let r = tradelab(&["data", "quality", "datasets/GOOG.csv"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("bar 597 at 2007-01-03 (line 599): 5d without a bar before this one (2 bars of the session missing)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("bar 2065 at 2012-10-31 (line 2067)"),
        "{}",
        r.stdout
    );
    // A gap list is summarized after 20 (every other hour missing here).
    let b: Vec<B> = clean()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 1 || *i > 200)
        .map(|(_, b)| b)
        .collect();
    let dir = tempdir();
    let f = write(dir.path(), "holes.csv", csv(&b));
    let r = tradelab(&["data", "quality", &f, "--gap", "1.5"]);
    assert!(r.stdout.contains("  … and "), "{}", r.stdout);
    let r = tradelab(&["data", "quality", "nope.csv"]);
    assert_eq!(r.code, 2);
    let r = tradelab(&["data", "quality", "datasets/GOOG.csv", "--outlier-k=-1"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--outlier-k must be a positive number"),
        "{}",
        r.stderr
    );
}
