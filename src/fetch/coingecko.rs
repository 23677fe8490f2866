//! CoinGecko's OHLC endpoint (`GET /api/v3/coins/{id}/ohlc`): `[time, open,
//! high, low, close]` rows with no volume; its granularity follows `days`
//! (30 minutes up to 2 days, 4 hours up to 30, 4 days beyond). A row's time
//! is its candle's close; one later than now is left out.

use serde_json::Value;

use super::Bar;
use crate::error::{Error, Result};

/// The OHLC rows of `id` against `vs` over the last `days` days.
pub fn fetch(
    agent: &ureq::Agent,
    base: &str,
    id: &str,
    vs: &str,
    days: u32,
    now: i64,
    get: &dyn Fn(&ureq::Agent, &str) -> Result<String>,
) -> Result<Vec<Bar>> {
    let url = format!(
        "{}/api/v3/coins/{id}/ohlc?vs_currency={vs}&days={days}",
        base.trim_end_matches('/')
    );
    let request = format!("GET {url}");
    let body = get(agent, &url)?;
    let v: Value = serde_json::from_str(&body)
        .map_err(|e| Error::fetch(&request, format!("the answer is not JSON: {e}")))?;
    let rows = match v {
        Value::Array(rows) => rows,
        Value::Object(o) => {
            let msg = o
                .get("error")
                .and_then(Value::as_str)
                .or_else(|| o.get("status")?.get("error_message")?.as_str())
                .unwrap_or("no message");
            return Err(Error::fetch(
                &request,
                format!("an error object instead of OHLC rows: {msg}"),
            ));
        }
        _ => return Err(Error::fetch(&request, "expected an array of OHLC rows")),
    };
    let mut out: Vec<Bar> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let bad = |what: &str| Error::fetch(&request, format!("row {i}: {what}"));
        let f = r
            .as_array()
            .filter(|f| f.len() == 5)
            .ok_or_else(|| bad("not [time, open, high, low, close]"))?;
        let x = |j: usize| {
            f[j].as_f64()
                .ok_or_else(|| bad("a value that is not a number"))
        };
        let ts = f[0]
            .as_i64()
            .ok_or_else(|| bad("a time that is not a whole number"))?;
        if out.last().is_some_and(|p| ts <= p.ts) {
            return Err(bad("a time out of order"));
        }
        if ts > now {
            continue;
        }
        out.push(Bar {
            ts,
            open: x(1)?,
            high: x(2)?,
            low: x(3)?,
            close: x(4)?,
            volume: 0.0,
        });
    }
    Ok(out)
}
