//! `tradelab data fetch` against a mock HTTP server on 127.0.0.1 (these
//! machines and CI have no internet): pagination, retries (429 with
//! Retry-After, 500s), a ban, malformed answers, an empty range, short
//! pages, incremental updates, a changed last bar, an interrupted fetch,
//! closed candles only, and CoinGecko's OHLC rows.

mod common;
use common::mock_http::{kline, klines, query, Mock, Reply};
use common::*;

use std::path::Path;
use std::time::{Duration, Instant};

const H: i64 = 3_600_000;
/// 2024-01-01T00:00:00Z.
const JAN1: i64 = 1_704_067_200_000;

fn fetch(base: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "data",
        "fetch",
        "binance",
        "BTCUSDT",
        "--interval",
        "1h",
        "--base-url",
        base,
        "--backoff",
        "10",
        "--out",
    ];
    let o = out.display().to_string();
    args.push(&o);
    args.extend(extra);
    tradelab(&args)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Pages of 1,000: 2024-01-01 to 2024-02-15 (a date is its whole day) is
/// 46 days × 24 = 1,104 hourly candles, two pages; the second starts one
/// interval after the first's last open (Jan 1 + 1,000 h).
#[test]
fn pagination_follows_start_times() {
    let mock = Mock::start(|p, _| Reply::ok(klines(p, H, 0.0)));
    let dir = tempdir();
    let out = dir.path().join("btc.csv");
    let r = fetch(
        &mock.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-02-15"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("1104 new bars written, 1104 in all, up to 2024-02-15T23:00:00Z"),
        "{}",
        r.stdout
    );
    let text = read(&out);
    assert_eq!(text.lines().count(), 1105);
    assert_eq!(
        text.lines().next(),
        Some("timestamp,open,high,low,close,volume")
    );
    // Hour 0: k = (JAN1 / 1h) % 97 = 473,352 % 97 = 89 (97 · 4,879 = 473,263): open 189, high 191, low 188, close 189.5.
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("2024-01-01T00:00:00,189.0,191.0,188.0,189.5,"),
        "{}",
        text.lines().nth(1).unwrap()
    );
    let req = mock.requests();
    assert_eq!(req.len(), 2);
    assert_eq!(query(&req[0], "startTime").unwrap(), JAN1.to_string());
    assert_eq!(
        query(&req[1], "startTime").unwrap(),
        (JAN1 + 1000 * H).to_string()
    );
    // The end of the range: Feb 15 23:59:59.999.
    assert_eq!(
        query(&req[0], "endTime").unwrap(),
        (JAN1 + 46 * 24 * H - 1).to_string()
    );
    assert_eq!(query(&req[0], "limit").as_deref(), Some("1000"));
    // The file passes validation and loads.
    let v = tradelab(&["data", "validate", out.to_str().unwrap()]);
    assert_eq!(v.code, 0, "{}", v.stdout);
}

#[test]
fn retries_honour_retry_after_and_back_off_on_5xx() {
    // 429 with Retry-After: 1, then the data.
    let mock = Mock::start(|p, n| match n {
        0 => Reply {
            status: 429,
            headers: vec![("Retry-After".into(), "1".into())],
            body: "{\"code\":-1003,\"msg\":\"Too many requests\"}".into(),
            ..Reply::default()
        },
        _ => Reply::ok(klines(p, H, 0.0)),
    });
    let dir = tempdir();
    let out = dir.path().join("a.csv");
    let t = Instant::now();
    let r = fetch(
        &mock.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-01-01"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(t.elapsed() >= Duration::from_secs(1), "waited Retry-After");
    assert!(
        r.stderr.contains("waiting 1.0 s before retrying"),
        "{}",
        r.stderr
    );
    assert_eq!(mock.requests().len(), 2);
    assert_eq!(read(&out).lines().count(), 25);
    // 500 twice, then the data: backoff 10 ms, then 20 ms.
    let mock = Mock::start(|p, n| {
        if n < 2 {
            Reply::status(500, "oops")
        } else {
            Reply::ok(klines(p, H, 0.0))
        }
    });
    let out = dir.path().join("b.csv");
    let r = fetch(
        &mock.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-01-01"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mock.requests().len(), 3);
    // Always 503: --retries 2, then a clear error naming the request.
    let mock = Mock::start(|_, _| Reply::status(503, "maintenance"));
    let out = dir.path().join("c.csv");
    let r = fetch(
        &mock.url,
        &out,
        &[
            "--from",
            "2024-01-01",
            "--to",
            "2024-01-01",
            "--retries",
            "2",
        ],
    );
    assert_eq!(r.code, 2);
    assert_eq!(mock.requests().len(), 3);
    // Two waits (10 ms, 20 ms), then one error line naming the request.
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stderr);
    assert!(
        lines[0].starts_with("waiting 10 ms before retrying"),
        "{}",
        r.stderr
    );
    assert!(
        lines[1].starts_with("waiting 20 ms before retrying"),
        "{}",
        r.stderr
    );
    let head = format!(
        "error: GET {}/api/v3/klines?symbol=BTCUSDT&interval=1h&startTime=",
        mock.url
    );
    assert!(lines[2].starts_with(&head), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("HTTP 503: maintenance (gave up after 3 attempts)"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

#[test]
fn a_ban_and_malformed_answers_stop_at_once() {
    let dir = tempdir();
    let cases: [(Reply, &str); 5] = [
        (Reply::status(418, "{\"code\":-1003,\"msg\":\"IP banned until 1700000000000.\"}"), "HTTP 418: the server has banned this address: {\"code\":-1003,\"msg\":\"IP banned until 1700000000000.\"}"),
        (Reply::ok("[[1704067200000, \"1.0\""), "the answer is not JSON"),
        (Reply::ok("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"), "an error object instead of klines: code -1121: Invalid symbol."),
        (Reply::status(400, "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"), "HTTP 400: {\"code\":-1121,\"msg\":\"Invalid symbol.\"}"),
        (Reply::ok("[[1704067200000, \"x\", \"1\", \"1\", \"1\", \"1\", 1704070799999]]"), "kline 0: a price that is not a number"),
    ];
    for (reply, want) in cases {
        let mock = Mock::start(move |_, _| reply.clone());
        let out = dir.path().join("x.csv");
        let r = fetch(
            &mock.url,
            &out,
            &["--from", "2024-01-01", "--to", "2024-01-01"],
        );
        assert_eq!(r.code, 2, "{want}");
        assert!(r.stderr.contains(want), "{want}: {}", r.stderr);
        assert!(
            r.stderr.contains("GET http://127.0.0.1:"),
            "names the request: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert_eq!(mock.requests().len(), 1, "no retry: {want}");
        assert!(!out.exists());
    }
}

#[test]
fn empty_ranges_and_short_pages() {
    let dir = tempdir();
    let mock = Mock::start(|_, _| Reply::ok("[]"));
    let out = dir.path().join("e.csv");
    let r = fetch(
        &mock.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-01-02"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("binance BTCUSDT 1h: no closed candles in the range: nothing written"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    // 500 candles where a full page of 1,000 is due: cut off in the middle.
    let mock = Mock::start(|p, _| {
        let start: i64 = query(p, "startTime").unwrap().parse().unwrap();
        let rows: Vec<String> = (0..500).map(|i| kline(start + i * H, H, 0.0)).collect();
        Reply::ok(format!("[{}]", rows.join(",")))
    });
    let r = fetch(
        &mock.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-03-01"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("a short page (500 of 1000 klines) ends at 2024-01-21T19:00:00Z"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

/// A second fetch asks from the file's last bar, checks it is unchanged
/// and appends the rest; a third has nothing new.
#[test]
fn incremental_updates_append_after_the_last_bar() {
    let mock = Mock::start(|p, _| Reply::ok(klines(p, H, 0.0)));
    let dir = tempdir();
    let out = dir.path().join("btc.csv");
    let r = fetch(
        &mock.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-01-10"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = read(&out);
    assert_eq!(first.lines().count(), 1 + 240);
    let r = fetch(
        &mock.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-01-20"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("240 new bars written, 480 in all"),
        "{}",
        r.stdout
    );
    let second = read(&out);
    assert!(
        second.starts_with(&first),
        "the old rows are kept as they were"
    );
    // The second fetch started at the file's last open, Jan 10 23:00.
    let req = mock.requests();
    assert_eq!(
        query(&req[1], "startTime").unwrap(),
        (JAN1 + 239 * H).to_string()
    );
    // Nothing new: exit 0, said, the file untouched.
    let r = fetch(
        &mock.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-01-20"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("is up to date: nothing after its last bar (2024-01-20T23:00:00Z); 480 bars"),
        "{}",
        r.stdout
    );
    assert_eq!(read(&out), second);
    // Parquet works the same way.
    let pq = dir.path().join("btc.parquet");
    assert_eq!(
        fetch(
            &mock.url,
            &pq,
            &["--from", "2024-01-01", "--to", "2024-01-10"]
        )
        .code,
        0
    );
    let r = fetch(
        &mock.url,
        &pq,
        &["--from", "2024-01-01", "--to", "2024-01-20"],
    );
    assert!(
        r.stdout.contains("240 new bars written, 480 in all"),
        "{}",
        r.stdout
    );
    // A file of another spacing is refused.
    let r = tradelab(&[
        "data",
        "fetch",
        "binance",
        "BTCUSDT",
        "--interval",
        "4h",
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-20",
        "--base-url",
        &mock.url,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("its bars are 1h apart, not 4h"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_changed_last_bar_stops_unless_forced() {
    let dir = tempdir();
    let out = dir.path().join("btc.csv");
    let mock = Mock::start(|p, _| Reply::ok(klines(p, H, 0.0)));
    assert_eq!(
        fetch(
            &mock.url,
            &out,
            &["--from", "2024-01-01", "--to", "2024-01-02"]
        )
        .code,
        0
    );
    let before = read(&out);
    // The server now says every close is 0.25 higher.
    let changed = Mock::start(|p, _| Reply::ok(klines(p, H, 0.25)));
    let r = fetch(
        &changed.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-01-05"],
    );
    assert_eq!(r.code, 2);
    // Line 49 of the file is its 48th bar, Jan 2 23:00 (k = 473,399 % 97 = 39: close 139.5).
    assert!(r.stderr.contains("btc.csv:49: the last bar (2024-01-02T23:00:00Z: open 139 high 141 low 138 close 139.5 volume 1039) differs from binance BTCUSDT 1h's (139 141.25 138 139.75 1039): the history changed; --force rewrites the file"), "{}", r.stderr);
    assert_eq!(read(&out), before);
    let r = fetch(
        &changed.url,
        &out,
        &["--from", "2024-01-01", "--to", "2024-01-05", "--force"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("120 new bars written, 120 in all"),
        "{}",
        r.stdout
    );
    assert!(read(&out).lines().nth(1).unwrap().contains(",189.75,"));
}

/// Killed while waiting for the second page: the previous file is intact
/// and no temporary file is left.
#[test]
fn an_interrupted_fetch_leaves_the_file_untouched() {
    let dir = tempdir();
    let out = dir.path().join("btc.csv");
    let quick = Mock::start(|p, _| Reply::ok(klines(p, H, 0.0)));
    assert_eq!(
        fetch(
            &quick.url,
            &out,
            &["--from", "2024-01-01", "--to", "2024-01-02"]
        )
        .code,
        0
    );
    let before = read(&out);
    let slow = Mock::start(|p, n| Reply {
        delay: if n == 1 {
            Duration::from_secs(30)
        } else {
            Duration::ZERO
        },
        ..Reply::ok(klines(p, H, 0.0))
    });
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tradelab"))
        .args([
            "data",
            "fetch",
            "binance",
            "BTCUSDT",
            "--interval",
            "1h",
            "--from",
            "2024-01-01",
            "--to",
            "2024-06-01",
            "--base-url",
            &slow.url,
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while slow.requests().len() < 2 && t.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(slow.requests().len(), 2, "the second page was asked for");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(read(&out), before);
    assert_eq!(files_in(dir.path()), vec!["btc.csv"]);
}

/// Without --to the bound is now: the candle still open is not written.
#[test]
fn only_closed_candles_are_written() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let from = (now - 5 * H).div_euclid(H) * H;
    // The mock serves the open candle too (close time after now), as Binance does.
    let mock = Mock::start(move |p, _| {
        let start: i64 = query(p, "startTime").unwrap().parse().unwrap();
        let rows: Vec<String> = (0..)
            .map(|i| start + i * H)
            .take_while(|&t| t <= now + H)
            .map(|t| kline(t, H, 0.0))
            .collect();
        Reply::ok(format!("[{}]", rows.join(",")))
    });
    let dir = tempdir();
    let out = dir.path().join("now.csv");
    let from_s = tradelab_time(from);
    let r = fetch(&mock.url, &out, &["--from", &from_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 5 hours back from now rounded down to the hour: 5 closed candles (or
    // 4 if the clock passed the hour between the two readings... never
    // more), the open one left out.
    let rows = read(&out).lines().count() - 1;
    assert!((4..=5).contains(&rows), "{rows}");
}

/// `YYYY-MM-DDTHH:MM:SS` of UTC ms.
fn tradelab_time(ms: i64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[test]
fn coingecko_ohlc_has_no_volume_and_env_sets_the_host() {
    let mock = Mock::start(|p, _| {
        if p.contains("/coins/nope/") {
            return Reply::status(404, "{\"error\":\"coin not found\"}");
        }
        if p.contains("/coins/weird/") {
            return Reply::ok(
                "{\"status\":{\"error_code\":429,\"error_message\":\"rate limited\"}}",
            );
        }
        // Four 4-hour candles, times their closes.
        let rows: Vec<String> = (1..=4)
            .map(|i| {
                format!(
                    "[{},{}.0,{}.5,{}.0,{}.25]",
                    JAN1 + i * 4 * H,
                    40 + i,
                    41 + i,
                    39 + i,
                    40 + i
                )
            })
            .collect();
        Reply::ok(format!("[{}]", rows.join(",")))
    });
    let dir = tempdir();
    let out = dir.path().join("btc.csv");
    let run = |coin: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_tradelab"))
            .args([
                "data",
                "fetch",
                "coingecko",
                coin,
                "--days",
                "1",
                "--out",
                out.to_str().unwrap(),
            ])
            .env("TRADELAB_COINGECKO_URL", &mock.url)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run("bitcoin");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("4 new bars written"), "{stdout}");
    assert!(
        stderr.contains("CoinGecko's OHLC endpoint has no volume"),
        "{stderr}"
    );
    assert_eq!(
        mock.requests()[0],
        "/api/v3/coins/bitcoin/ohlc?vs_currency=usd&days=1"
    );
    let text = read(&out);
    assert_eq!(text.lines().next(), Some("timestamp,open,high,low,close"));
    assert_eq!(
        text.lines().nth(1),
        Some("2024-01-01T04:00:00,41.0,42.5,40.0,41.25")
    );
    // Again: the last bar is there and equal, nothing new.
    let (code, stdout, _) = run("bitcoin");
    assert_eq!(code, 0);
    assert!(stdout.contains("is up to date"), "{stdout}");
    let (code, _, stderr) = run("nope");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("HTTP 404: {\"error\":\"coin not found\"}"),
        "{stderr}"
    );
    let (code, _, stderr) = run("weird");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("an error object instead of OHLC rows: rate limited"),
        "{stderr}"
    );
}

use std::process::Command;
