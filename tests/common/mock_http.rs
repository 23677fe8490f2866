//! A mock HTTP server on 127.0.0.1 for the fetch tests: each request's path
//! and query go to a handler with the request's number, and its reply
//! (status, headers, body, an optional delay) is sent with
//! `Connection: close`. Every request is logged.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned answer.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn ok(body: impl Into<String>) -> Reply {
        Reply {
            status: 200,
            body: body.into(),
            ..Reply::default()
        }
    }

    pub fn status(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            body: body.into(),
            ..Reply::default()
        }
    }
}

/// A running server: its base URL and the requests it has seen.
pub struct Mock {
    pub url: String,
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Mock {
    /// Starts a server answering with `handler(path_and_query, n)`, n = 0, 1, …
    pub fn start(handler: impl Fn(&str, usize) -> Reply + Send + 'static) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                // Skip the headers.
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
                        break;
                    }
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let n = {
                    let mut l = seen.lock().unwrap();
                    l.push(path.clone());
                    l.len() - 1
                };
                let r = handler(&path, n);
                std::thread::sleep(r.delay);
                let mut head = format!(
                    "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                    r.status,
                    r.body.len()
                );
                for (k, v) in &r.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(r.body.as_bytes());
                let _ = stream.flush();
            }
        });
        Mock { url, log }
    }

    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

/// The value of `key` in a request's query.
pub fn query(path: &str, key: &str) -> Option<String> {
    path.split_once('?')?
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")).map(str::to_string))
}

/// Binance klines as the real endpoint pages them: from `startTime`, at
/// most `limit`, open times on the interval's grid up to `endTime`, prices
/// a deterministic function of the open time (`shift` moves every close).
pub fn klines(path: &str, interval_ms: i64, shift: f64) -> String {
    let q = |k: &str| query(path, k).and_then(|v| v.parse::<i64>().ok());
    let (start, end, limit) = (
        q("startTime").unwrap(),
        q("endTime").unwrap(),
        q("limit").unwrap(),
    );
    let first = start.div_euclid(interval_ms) * interval_ms;
    let first = if first < start {
        first + interval_ms
    } else {
        first
    };
    let rows: Vec<String> = (0..limit)
        .map(|i| first + i * interval_ms)
        .take_while(|&t| t <= end)
        .map(|t| kline(t, interval_ms, shift))
        .collect();
    format!("[{}]", rows.join(","))
}

/// One kline at open time `t`.
pub fn kline(t: i64, interval_ms: i64, shift: f64) -> String {
    let k = (t / interval_ms) % 97;
    let open = 100.0 + k as f64;
    let close = open + 0.5 + shift;
    format!(
        "[{t},\"{open:.8}\",\"{:.8}\",\"{:.8}\",\"{close:.8}\",\"{:.8}\",{},\"0\",10,\"0\",\"0\",\"0\"]",
        open + 2.0 + shift.max(0.0),
        open - 1.0,
        1000.0 + k as f64,
        t + interval_ms - 1
    )
}
