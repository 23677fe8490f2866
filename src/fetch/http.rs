//! One GET with the retry policy every fetch uses: a timeout on every
//! request; HTTP 429 and 5xx (and dropped connections) retried with
//! exponential backoff, honouring `Retry-After`; 418 (banned) and other
//! errors stop at once with the server's message.

use std::time::Duration;

use crate::error::{Error, Result};

/// How requests are made and retried.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// The limit on each request, connect to last byte.
    pub timeout: Duration,
    /// The first retry's wait without `Retry-After`; doubled each time.
    pub backoff: Duration,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            retries: 5,
            timeout: Duration::from_secs(30),
            backoff: Duration::from_secs(1),
        }
    }
}

/// The HTTP agent: the policy's timeout, statuses returned rather than
/// raised, no proxy from the environment.
pub fn agent(p: &Policy) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(p.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("tradelab/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The first 300 characters of a server's answer, on one line.
fn snippet(body: &str) -> String {
    let one: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &one[..i]),
        None => one,
    }
}

/// GETs `url` and returns the body of a 200, retrying as the policy says.
/// `wait` is told each retry's delay before it sleeps.
pub fn get(agent: &ureq::Agent, url: &str, p: &Policy, wait: &dyn Fn(Duration)) -> Result<String> {
    let request = format!("GET {url}");
    let mut attempt = 0u32;
    loop {
        let retry = |why: String, after: Option<Duration>, attempt: u32| -> Result<Duration> {
            if attempt >= p.retries {
                let tries = p.retries + 1;
                return Err(Error::fetch(
                    &request,
                    format!("{why} (gave up after {tries} attempts)"),
                ));
            }
            Ok(after.unwrap_or(p.backoff * 2u32.saturating_pow(attempt)))
        };
        let delay = match agent.get(url).call() {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|s| s.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(64 << 20)
                    .read_to_string()
                    .map_err(|e| Error::fetch(&request, format!("reading the answer: {e}")))?;
                match status {
                    200 => return Ok(body),
                    418 => {
                        return Err(Error::fetch(
                            &request,
                            format!(
                                "HTTP 418: the server has banned this address: {}",
                                snippet(&body)
                            ),
                        ))
                    }
                    429 | 500..=599 => {
                        retry(format!("HTTP {status}: {}", snippet(&body)), after, attempt)?
                    }
                    _ => {
                        return Err(Error::fetch(
                            &request,
                            format!("HTTP {status}: {}", snippet(&body)),
                        ))
                    }
                }
            }
            Err(e) => retry(e.to_string(), None, attempt)?,
        };
        wait(delay);
        std::thread::sleep(delay);
        attempt += 1;
    }
}
